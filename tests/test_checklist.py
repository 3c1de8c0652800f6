"""The 检查表 against the official one the 普陀区 inspectors filled for the same PDF.

tests/data/published/ holds the 2026 单位预算 of 普陀区司法局 and the official checklist of it.
yusuan's checklist must mark every row the inspector marked 否 as 否, with each of the
inspector's problems among its findings for that row (matched by the figures or the quoted
text, `yusuan.checklist.official`); what yusuan flags beyond the inspector is listed in
docs/checklist.md with its evidence, and pinned here so that a new difference is noticed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.published import PUBLISHED, doc, report
from yusuan.checklist import FAIL, MANUAL, PASS, build_checklist
from yusuan.checklist.compliance import score_document
from yusuan.checklist.official import compare, read_official, split_problems
from yusuan.cli import app
from yusuan.reporters.checklist import render_checklist_xlsx

SIFAJU = "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf"
OFFICIAL = PUBLISHED / "2026_shanghai-putuo_sifaju_danwei_yusuan_jianchabiao.xlsx"


@pytest.fixture(scope="module")
def checklist():  # type: ignore[no-untyped-def]
    return build_checklist(doc(SIFAJU), report(SIFAJU))


@pytest.fixture(scope="module")
def workbook(checklist, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    score = score_document(doc(SIFAJU), report(SIFAJU), checklist)
    path = tmp_path_factory.mktemp("checklist") / "检查表.xlsx"
    path.write_bytes(render_checklist_xlsx(checklist, report(SIFAJU), score))
    return path


def test_the_official_checklist_is_read_row_by_row() -> None:
    rows = read_official(OFFICIAL)
    assert len(rows) == 18
    assert (rows[0].group, rows[0].name, rows[0].status) == ("及时性", "及时公开单位预算", "是")
    failed = {r.name: len(r.problems) for r in rows if r.status == FAIL}
    assert failed == {
        "预算编制说明": 5,
        "《单位支出预算总表》": 1,
        "《单位一般公共预算支出功能分类预算表》": 1,
        "其他相关说明": 2,
    }


def test_every_row_the_inspector_failed_is_failed_with_the_same_problems(checklist) -> None:  # type: ignore[no-untyped-def]
    rows = compare(read_official(OFFICIAL), checklist)
    official = [r for r in rows if r.official is not None]
    assert len(official) == 18
    for row in official:
        assert row.ours is not None, f"no row for {row.name}"
        if row.official is not None and row.official.status == FAIL:
            assert row.ours == FAIL, row.name
            assert row.missed == [], (row.name, row.missed)
            assert len(row.matched) == len(row.official.problems)
    # Which rule found which of the inspector's problems.
    found = [
        (row.name, problem, sorted({f.rule for f in fs}))
        for row in official
        for problem, fs in row.matched
    ]

    def rules_for(name: str, words: str) -> list[str]:
        (hit,) = [rules for n, p, rules in found if n == name and words in p]
        return hit

    assert rules_for("预算编制说明", "增加（减少）的主要原因") == ["Y406"]
    assert rules_for("预算编制说明", "减少1.10%") == ["Y405"]
    assert rules_for("预算编制说明", "57.8万元") == ["N301"]
    assert rules_for("预算编制说明", "购房补贴（03项）207万元") == ["N301", "Y405"]
    assert rules_for("预算编制说明", "医疗卫生与计划生育支出") == ["K806"]
    assert rules_for("《单位支出预算总表》", "行政运行") == ["A101", "A102"]
    assert rules_for("其他相关说明", "主要原因是。") == ["Y407"]
    assert rules_for("其他相关说明", "部门预算安排购置车辆") == ["C705"]


def test_what_yusuan_flags_beyond_the_inspector(checklist) -> None:  # type: ignore[no-untyped-def]
    """Only X201 (表1 公用经费 below 表8's), on both tables: docs/checklist.md shows it is real."""
    rows = compare(read_official(OFFICIAL), checklist)
    extra = {(r.name, f.rule) for r in rows for f in r.extra}
    assert extra == {
        ("《单位财务收支预算总表》", "X201"),
        ("《单位一般公共预算基本支出部门预算经济分类预算表》", "X201"),
    }


def test_rows_no_rule_can_judge_are_never_passed(checklist) -> None:  # type: ignore[no-untyped-def]
    status = {i.name: i.status for i in checklist.items}
    for name in ("及时公开单位预算", "封面", "目录", "主要职能", "机构设置", "名词解释"):
        assert status[name] == MANUAL
    # The document has no 项目经费情况说明 (its 目录 ends with 其他相关说明): not judged either.
    assert status["项目经费情况说明"] == MANUAL
    assert status["《单位收入预算总表》"] == PASS
    manual = [i for i in checklist.items if i.status == MANUAL]
    assert all(i.note for i in manual)


def test_the_workbook_has_the_official_layout_and_a_picture_per_problem(
    checklist,  # type: ignore[no-untyped-def]
    workbook: Path,
) -> None:
    wb = load_workbook(workbook)
    ws = wb.worksheets[0]
    assert ws["A1"].value == "2026年度单位预算公开情况检查表"
    assert ws["A3"].value == "单位名称: 上海市普陀区司法局"
    assert ws["D5"].value == "符合要求"
    # Read back as an official checklist: the same rows and verdicts.
    again = read_official(workbook)
    assert [(r.name, r.status) for r in again] == [(i.name, i.status) for i in checklist.items]
    text = {r.name: "\n".join(r.problems) for r in again}
    assert "第 21 页" in text["其他相关说明"] and "主要原因是。" in text["其他相关说明"]
    # One picture per problem with a page (every finding shown here has one).
    shown = {id(f) for i in checklist.items for f in i.findings}
    assert len(ws._images) == len(shown) == 13  # 12 errors and 1 warning
    captions = [c.value for c in ws["B"] if isinstance(c.value, str) and c.value.startswith("图")]
    assert len(captions) == len(shown)
    assert "合规要点与评分" in wb.sheetnames


def test_the_score_and_its_items(checklist) -> None:  # type: ignore[no-untyped-def]
    score = score_document(doc(SIFAJU), report(SIFAJU), checklist)
    met = {i.name: i.met for i in score.items}
    assert met["公开表齐全（空表注明）"] and met["机关运行经费"] and met["政府采购情况"]
    # The 三公 paragraph says “主要原因是。” without the reason: not met.
    assert not met["“三公”经费情况（含增减原因）"]
    assert score.completeness_max + score.accuracy_max == 100
    assert score.completeness == sum(i.points for i in score.items)
    # 11 rows judged by rules (预算编制说明, 9 tables, 其他相关说明): 5 tables are 是.
    assert (score.rows_judged, score.rows_passed) == (11, 5)
    assert float(score.accuracy) == round(40 * score.rows_passed / score.rows_judged, 1)


def test_problems_are_split_by_their_numbers() -> None:
    assert split_problems("1.甲乙丙。\n2.丁戊 1.10%。") == ("甲乙丙。", "丁戊 1.10%。")
    assert split_problems("只有一条") == ("只有一条",)


def test_cli_audit_writes_the_checklist_and_compare_agrees(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "检查表.xlsx"
    pdf = str(PUBLISHED / SIFAJU)
    result = runner.invoke(app, ["audit", pdf, "-f", "checklist", "-o", str(out)])
    assert result.exit_code == 1  # the document has errors
    assert out.is_file() and load_workbook(io.BytesIO(out.read_bytes())).worksheets[0]["A1"].value
    result = runner.invoke(app, ["audit", pdf, "-f", "checklist"])
    assert result.exit_code == 2 and "-o" in result.output
    result = runner.invoke(app, ["checklist", "compare", str(OFFICIAL), pdf])
    assert result.exit_code == 0, result.output
    assert "yusuan 未发现 0 条" in result.output
    result = runner.invoke(app, ["checklist", "compare", str(tmp_path / "无.xlsx"), pdf])
    assert result.exit_code == 2 and "找不到检查表" in result.output


def _libreoffice() -> bool:
    from yusuan.render import pdf

    return pdf.find_soffice() is not None and pdf.has_chinese_font()


@pytest.mark.skipif(
    not _libreoffice(),
    reason="LibreOffice 或中文字体未安装（scripts/ensure-libreoffice 在 Debian 上以 root 运行时会安装）",
)
def test_libreoffice_opens_the_workbook_and_prints_its_pictures(workbook: Path) -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from yusuan.render import pdf

    (converted,) = pdf.convert([workbook], workbook.parent / "pdf")
    document = pdfium.PdfDocument(str(converted))
    try:
        images, text = 0, []
        for i in range(len(document)):
            page = document[i]
            try:
                images += sum(
                    1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
                )
                textpage = page.get_textpage()
                text.append(textpage.get_text_range())
                textpage.close()
            finally:
                page.close()
    finally:
        document.close()
    flat = "".join("".join(text).split())
    assert "2026年度单位预算公开情况检查表" in flat
    assert "图13" in flat  # the last caption
    # A picture across a page break is drawn on both pages, so there may be more image objects.
    assert images >= len(load_workbook(workbook).worksheets[0]._images) == 13


def test_batch_writes_one_checklist_per_document(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SIFAJU).symlink_to(PUBLISHED / SIFAJU)
    out = tmp_path / "检查表"
    args = ["batch", str(folder), "--db", str(tmp_path / "y.duckdb"), "--jobs", "1"]
    result = CliRunner().invoke(app, [*args, "--checklists", str(out)])
    assert result.exit_code == 0, result.output
    (written,) = out.glob("*.xlsx")
    assert written.name.startswith("2026_shanghai-putuo_sifaju_danwei_yusuan-")
    rows = read_official(written)
    failed = {r.name for r in rows if r.status == FAIL}
    assert {"预算编制说明", "《单位支出预算总表》", "其他相关说明"} <= failed


def test_findings_naming_tables_land_in_their_rows_on_another_template() -> None:
    """北京 预算01–13表: identities name tables `表3、表5` by key, printed names are 预算03表."""
    name = "2026_beijing_zhengwufuwu-shujuju_yusuan_baobiao.pdf"
    built = build_checklist(doc(name), report(name))
    by_table = [
        f
        for f in report(name).findings
        if f.location.table and not f.location.section and f.severity.value != "notice"
    ]
    assert by_table
    rows = {id(f): [i.name for i in built.items if f in i.findings] for f in by_table}
    for f in by_table:
        assert rows[id(f)] and all(n.startswith("《") for n in rows[id(f)]), (f.rule, rows[id(f)])
