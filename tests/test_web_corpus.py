"""The corpus pages and API over a real DuckDB store filled by `yusuan batch`: regions →
departments → documents → tables, search, charts; figures checked against the store itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.web import TestClient, corpus_db  # noqa: F401  (the fixture)
from yusuan.web import Settings, create_app
from yusuan.web.charts import wan

SAMPLE_DEPT = "自治区人力资源和社会保障厅"  # the sample (2024) and its altered next year (2025)
OTHER_DEPT = "上海市普陀区司法局"


@pytest.fixture(scope="module")
def client(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:  # noqa: F811
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("web"), db=corpus_db))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def stored(corpus_db: str) -> dict[str, list[tuple[object, ...]]]:  # noqa: F811
    from yusuan.store import open_store

    with open_store(corpus_db, migrate=False, read_only=True) as store:
        return {
            "docs": store.query("SELECT doc_id, department, region, year FROM documents")[1],
            "function": store.query(
                "SELECT year, code, name, amount_yuan FROM v_expense_by_function "
                "WHERE department = ?",
                (SAMPLE_DEPT,),
            )[1],
            "split": store.query(
                "SELECT department, year, total_yuan, basic_yuan, project_yuan "
                "FROM v_basic_project",
            )[1],
        }


def test_regions_then_departments_then_documents(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    page = client.get("/corpus").text
    regions = {str(r) for _, _, r, _ in stored["docs"] if r} | {"未标明地区"}
    for region in regions:
        assert f">{region}</a>" in page
    shanghai = client.get("/corpus/region?name=" + quote("上海市")).text
    for _, dept, region, _ in stored["docs"]:
        if region == "上海市":
            assert f">{dept}</a>" in shanghai
    dept = client.get("/corpus/department?name=" + quote(SAMPLE_DEPT)).text
    ids = [d for d, name, _, _ in stored["docs"] if name == SAMPLE_DEPT]
    assert len(ids) == 2 and all(f'href="/corpus/documents/{d}"' in dept for d in ids)


def _sample_doc(stored: dict[str, list[tuple[object, ...]]]) -> object:
    (doc_id,) = [d for d, name, _, year in stored["docs"] if name == SAMPLE_DEPT and year == 2024]
    return doc_id


def _svgs(page: str) -> dict[str, str]:
    """Each chart of a page by its caption."""
    return dict(re.findall(r"<figcaption>(.*?)（万元）</figcaption>\s*(<svg.*?</svg>)", page, re.S))


def test_department_charts_draw_the_stored_figures(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    page = unescape(client.get("/corpus/department?name=" + quote(SAMPLE_DEPT)).text)
    charts = _svgs(page)
    assert list(charts) == [
        "2025 年预算支出（按功能分类·类）",
        "支出按功能分类（类）逐年比较",
        "基本支出与项目支出",
        "“三公”经费（按项目、年度）",
    ]
    latest = re.findall(r"<title>([^<]*)</title>", charts["2025 年预算支出（按功能分类·类）"])
    want = [(c, a) for y, c, _, a in stored["function"] if y == 2025]
    assert len(latest) == len(want)
    for code, amount in want:
        assert isinstance(amount, Decimal)
        assert f"{code} " in "".join(t for t in latest if t.endswith(f"：{wan(amount)} 万元"))
    for _, year, total, basic, project in (r for r in stored["split"] if r[0] == SAMPLE_DEPT):
        assert f"{year} 预算 基本支出：{wan(basic)} 万元" in page
        assert f"{year} 预算 项目支出：{wan(project)} 万元" in page
        assert f">{wan(total)}</td>" in page
    # The widest function-class bar is the largest amount.
    widths = {
        t: int(w)
        for w, t in re.findall(
            r'<rect class="bar s0"[^>]*width="(\d+)"[^>]*><title>([^<]*)',
            charts["2025 年预算支出（按功能分类·类）"],
        )
    }
    top = max(want, key=lambda r: r[1])
    widest = max(widths, key=lambda t: widths[t])
    assert widest.startswith(f"{top[0]} ")


def test_function_classes_year_by_year(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    page = unescape(client.get("/corpus/department?name=" + quote(SAMPLE_DEPT)).text)
    chart = _svgs(page)["支出按功能分类（类）逐年比较"]
    bars = re.findall(r'<rect class="bar s(\d)"[^>]*width="(\d+)"[^>]*><title>([^<]*)', chart)
    # One bar per class and year, the year its series, the stored amount its figure.
    assert len(bars) == len(stored["function"])
    amounts = {(y, c): a for y, c, _, a in stored["function"]}
    width = {}
    for series, w, title in bars:
        code = title.split(" ", 1)[0]
        year = 2024 + int(series)
        assert f" {year} 预算：{wan(amounts[(year, code)])} 万元" in title
        width[(year, code)] = int(w)
        if year == 2025:
            change = amounts[(2025, code)] - amounts[(2024, code)]
            assert title.endswith(
                f"，比2024 预算 +{wan(change)} 万元" if change else "，与2024 预算相同"
            )
    # 类 205 grew in the second year (tests/web.py: next_year), the others stayed.
    assert width[(2025, "205")] > width[(2024, "205")]
    assert width[(2025, "208")] == width[(2024, "208")]
    assert (
        '<i class="swatch s0"></i>2024 预算' in page
        and '<i class="swatch s1"></i>2025 预算' in page
    )


def test_two_departments_side_by_side_over_the_years(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    dept = client.get("/corpus/department?name=" + quote(SAMPLE_DEPT)).text
    assert (
        'action="/corpus/compare/departments"' in dept and f'<option value="{OTHER_DEPT}">' in dept
    )
    url = f"/corpus/compare/departments?a={quote(SAMPLE_DEPT)}&b={quote(OTHER_DEPT)}"
    page = unescape(client.get(url).text)
    totals = {(r[0], r[1]): r[2] for r in stored["split"]}
    rows = re.findall(
        r"<tr><td>(\d{4}) 预算</td><td class=\"n\">([^<]*)</td><td class=\"n\">([^<]*)</td></tr>",
        page,
    )
    years = sorted({y for d, y in totals if d in (SAMPLE_DEPT, OTHER_DEPT)})
    assert [int(y) for y, _, _ in rows] == years
    for y, a, b in rows:
        assert a == wan(totals.get((SAMPLE_DEPT, int(y))))
        assert b == wan(totals.get((OTHER_DEPT, int(y))))
    chart = _svgs(page)["支出合计（按年度）"]
    for d, series in ((SAMPLE_DEPT, 0), (OTHER_DEPT, 1)):
        for (name, year), total in totals.items():
            if name == d:
                assert re.search(
                    rf'class="bar s{series}"[^>]*><title>{year} 预算 {d}：{re.escape(wan(total))} 万元',
                    chart,
                )
    assert page.count("<section>") == 2
    missing = f"/corpus/compare/departments?a={quote(SAMPLE_DEPT)}&b=nobody"
    assert client.get(missing).status_code == 404


def test_series_api_gives_the_charts_figures_exactly(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    data = client.get("/api/corpus/series?department=" + quote(SAMPLE_DEPT)).json()
    got = [(r["year"], r["code"], r["amount_yuan"]) for r in data["by_function"]]
    assert sorted(got) == sorted((y, c, str(a)) for y, c, _, a in stored["function"])
    changes = [r["change_yuan"] for r in data["totals"]]
    assert changes[0] is None and len(changes) == 2
    assert client.get("/api/corpus/series?department=nobody").status_code == 404


def test_document_page_lists_tables_and_findings(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    doc_id = _sample_doc(stored)
    page = client.get(f"/corpus/documents/{doc_id}").text
    assert "问题（19）" in page  # 3 errors, 12 warnings, 4 notices, as the audit of the sample
    tables = re.findall(rf"/corpus/documents/{doc_id}/tables/(\d+)", page)
    assert len(tables) == 11
    grid = client.get(f"/corpus/documents/{doc_id}/tables/{tables[0]}").text
    assert "部门收支总体情况表" in grid and '<td class="n">' in grid
    api = client.get(f"/api/corpus/documents/{doc_id}").json()
    assert len(api["tables"]) == 11 and len(api["findings"]) == 19


def test_search_by_name_and_by_code(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    page = client.get("/corpus/search?q=" + quote("司法")).text
    assert ">上海市普陀区司法局</a>" in page
    found = client.get("/api/corpus/search?q=208").json()
    assert found["codes"] and all(row["code"] == "208" for row in found["codes"])
    # Amounts in the API are exact decimal strings, never floats.
    sample = [r for r in found["codes"] if r["department"] == SAMPLE_DEPT]
    want = [a for _, c, _, a in stored["function"] if c == "208"]
    assert sorted(r["amount_yuan"] for r in sample) == sorted(str(a) for a in want)
    assert client.get("/api/corpus/search?q=" + quote("%")).json()["departments"] == []


def test_compare_two_documents_side_by_side(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    a, b = (d for d, *_ in stored["docs"][:2])
    page = client.get(f"/corpus/compare?a={a}&b={b}").text
    assert page.count("<section>") == 2 and page.count("<svg") >= 1


def test_bad_ids_are_404(client: TestClient) -> None:
    assert client.get("/corpus/documents/../../etc").status_code == 404
    assert client.get("/corpus/documents/" + "0" * 64).status_code == 404
    assert client.get("/api/corpus/documents/nothing").status_code == 404
    assert client.get("/corpus/department?name=nobody").status_code == 404


def test_without_a_store_the_corpus_says_how_to_get_one(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path))) as bare:
        page = bare.get("/corpus")
        assert page.status_code == 503 and "yusuan serve --db" in page.text
        assert bare.get("/api/corpus/regions").status_code == 503
