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

SAMPLE_DEPT = "自治区人力资源和社会保障厅"


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
                "SELECT code, amount_yuan FROM v_expense_by_function WHERE department = ?",
                (SAMPLE_DEPT,),
            )[1],
            "split": store.query(
                "SELECT total_yuan, basic_yuan, project_yuan FROM v_basic_project "
                "WHERE department = ?",
                (SAMPLE_DEPT,),
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
    (doc_id,) = [d for d, name, _, _ in stored["docs"] if name == SAMPLE_DEPT]
    assert f'href="/corpus/documents/{doc_id}"' in dept


def test_department_charts_draw_the_stored_figures(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    page = unescape(client.get("/corpus/department?name=" + quote(SAMPLE_DEPT)).text)
    assert page.count("<svg") == 3  # by function class, 基本/项目, 三公
    bars = re.findall(r'<rect class="bar s(\d)"[^>]*><title>([^<]*)</title>', page)
    for code, amount in stored["function"]:
        assert isinstance(amount, Decimal)
        assert any(
            t.startswith(f"{code} ") and t.endswith(f"：{wan(amount)} 万元") for _, t in bars
        )
    ((total, basic, project),) = stored["split"]
    assert f"基本支出：{wan(basic)} 万元" in page
    assert f"项目支出：{wan(project)} 万元" in page
    assert f">{wan(total)}</td>" in page
    # The widest function-class bar is the largest amount.
    widths = {
        t: int(w)
        for w, t in re.findall(r'<rect class="bar s0"[^>]*width="(\d+)"[^>]*><title>([^<]*)', page)
    }
    top = max(stored["function"], key=lambda r: r[1])
    widest = max(widths, key=lambda t: widths[t])
    assert widest.startswith(f"{top[0]} ")


def test_document_page_lists_tables_and_findings(
    client: TestClient, stored: dict[str, list[tuple[object, ...]]]
) -> None:
    (doc_id,) = [d for d, name, _, _ in stored["docs"] if name == SAMPLE_DEPT]
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
    (want,) = [a for c, a in stored["function"] if c == "208"]
    assert [r["amount_yuan"] for r in sample] == [str(want)]
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
