"""Spreadsheet disclosures (XLSX, XLS): tables by sheet, merged cells, sheet+cell provenance.

No published spreadsheet disclosure is at hand, so the workbooks are made here: the bundled
sample (with two table errors put in) rendered to XLSX the way the official tables are laid
out, a workbook written cell by cell with openpyxl, and a legacy XLS written record by record
(`tests/biff8.py`). The official inspection checklist (an XLSX that is not a disclosure) is real.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

import yusuan
from yusuan.audit.report import Report
from yusuan.cli import app
from yusuan.errors import InputError
from yusuan.model.document import Document
from yusuan.readers.ir import RawParagraphPlace, RawTablePlace
from yusuan.readers.sheet import read_sheet_raw
from yusuan.render import write

from .biff8 import XlsSheet, write_xls
from .conftest import altered

PUBLISHED = Path(__file__).parent / "data" / "published"
CHECKLIST = PUBLISHED / "2026_shanghai-putuo_sifaju_danwei_yusuan_jianchabiao.xlsx"
A1 = re.compile(r"^[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?$")
# Two table errors in the sample: 表3 行政运行 基本支出 4,746.82 → 4,746.28 (合计 ≠ 基本 + 项目,
# and 20801 ≠ Σ 项), 表10 公务接待费 合计 1.80 → 1.90 (合计 ≠ 资金来源, and 三公合计 ≠ Σ 项目).
EDITS = [
    (240, "4,746.82\t4,746.82\t", "4,746.82\t4,746.28\t"),
    (588, "公务接待费\t1.80", "公务接待费\t1.90"),
]
TABLE_RULES = ("A", "X", "K801", "K802", "K803", "K804", "K805", "C701", "C702", "C703")


def _table_findings(report: Report) -> set[tuple[str, str, str]]:
    return {
        (f.rule, f.severity.value, f.message)
        for f in report.findings
        if f.rule.startswith(TABLE_RULES)
    }


@pytest.fixture(scope="module")
def variant_doc(sample_text: str) -> Document:
    return yusuan.read_text(altered(sample_text, EDITS), path="variant.md")


@pytest.fixture(scope="module")
def variant_xlsx(variant_doc: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sheet") / "variant.xlsx"
    write(variant_doc, "xlsx", path)
    return path


@pytest.fixture(scope="module")
def xlsx_doc(variant_xlsx: Path) -> Document:
    return yusuan.read(variant_xlsx)


def test_rendered_workbook_gives_the_same_table_findings_as_the_text(
    variant_doc: Document, xlsx_doc: Document
) -> None:
    text_report, xlsx_report = yusuan.audit(variant_doc), yusuan.audit(xlsx_doc)
    expected = _table_findings(text_report)
    assert {(r, s) for r, s, _ in expected} >= {
        ("A101", "error"),
        ("A102", "error"),
        ("A104", "error"),
    }
    assert _table_findings(xlsx_report) == expected
    assert xlsx_doc.source.format == "xlsx" and xlsx_doc.profile == "xinjiang-2024"
    assert sorted(xlsx_doc.tables) == sorted(variant_doc.tables)
    assert len(xlsx_doc.performance) == len(variant_doc.performance)


def test_findings_cite_sheet_and_cells(xlsx_doc: Document) -> None:
    report = yusuan.audit(xlsx_doc)
    row_total = next(f for f in report.findings if f.rule == "A101" and "行政运行" in f.message)
    assert row_total.location.sheet == "表3 部门支出总体情况表"
    assert row_total.location.cell is not None and A1.match(row_total.location.cell)
    assert row_total.location.lines == ()
    for f in report.findings:
        if f.rule.startswith(("A", "X")):
            assert f.location.sheet and f.location.cell, f


def test_every_figure_points_at_its_cell(variant_xlsx: Path, xlsx_doc: Document) -> None:
    wb = load_workbook(variant_xlsx)
    checked = 0
    for table in xlsx_doc.tables.values():
        for row in table.rows:
            for cell in row.cells.values():
                assert cell.loc.sheet is not None and cell.loc.cell is not None
                assert A1.match(cell.loc.cell)
                if cell.value is None:
                    continue
                stored = wb[cell.loc.sheet][cell.loc.cell].value
                assert round(float(stored), 6) == float(cell.value), (cell.loc, stored)
                checked += 1
    assert checked > 500
    row = next(r for r in xlsx_doc.tables["T6"].rows if r.code == "301")
    assert (row.cells["total"].text, row.cells["total"].decimals) == ("14,983.05", 2)
    assert row.loc.cell is not None and row.loc.cell.startswith("A") and ":F" in row.loc.cell


def test_merged_header_cells_follow_the_pdf_convention(variant_xlsx: Path) -> None:
    raw = read_sheet_raw(variant_xlsx)
    t3 = next(t for t in raw.tables if t.title == "部门支出总体情况表")
    assert (t3.label, t3.org, t3.unit_text) == ("表3", "自治区人力资源和社会保障厅", "万元")
    top = t3.header_rows[0]
    # 支出预算 spans the three amount columns: text in the top-left cell, the covered cells
    # empty, all three carrying the merged range.
    assert [c.text for c in top.cells[4:]] == ["支出预算", "", ""]
    assert {c.loc.cell for c in top.cells[4:]} == {"E4:G4"}
    assert [n.text for n in next(t for t in raw.tables if t.label == "表8").notes] == [
        "自治区人力资源和社会保障厅 2024 年没有使用政府性基金预算拨款安排的支出，"
        "政府性基金预算支出情况表为空表。"
    ]


def test_several_tables_and_text_on_one_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "公开表"
    ws["A1"] = "第一部分 部门概况"
    ws["A2"] = "本部门下设 3 个处室。"
    ws["A4"] = "表1"
    ws["A5"] = "本级支出分类汇总表"  # a title no bundled template uses
    ws.merge_cells("A5:E5")
    ws["A6"], ws["E6"] = "编制部门：某某局", "单位：万元"
    ws["A7"], ws["C7"] = "科目", "支出预算"
    ws.merge_cells("A7:B7")
    ws.merge_cells("C7:E7")
    for col, text in zip(
        "ABCDE", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], strict=True
    ):
        ws[f"{col}8"] = text
    rows = [
        ("", "合计", 30.5, 20.25, 10.25),
        ("201", "一般公共服务支出", 30.5, 20.25, 10.25),
        ("20101", "人大事务", 30.5, 20.25, 10),
    ]
    for r, values in enumerate(rows, start=9):
        for col, value in zip("ABCDE", values, strict=True):
            ws[f"{col}{r}"] = value or None
    ws["A12"] = "注：本表反映部门本年度支出预算。"
    ws["A15"] = "“三公”经费支出表"
    ws["A16"], ws["B16"] = "项目", "预算数"
    ws["A17"], ws["B17"] = "合计", 2
    ws["A18"], ws["B18"] = "公务接待费", 2
    path = tmp_path / "two.xlsx"
    wb.save(path)

    raw = read_sheet_raw(path)
    assert [(t.label, t.title) for t in raw.tables] == [
        ("表1", "本级支出分类汇总表"),
        (None, "“三公”经费支出表"),
    ]
    first, second = raw.tables
    assert (first.org, first.unit_text, len(first.header_rows)) == ("某某局", "万元", 2)
    assert [r.texts() for r in first.body_rows][1] == [
        "201",
        "一般公共服务支出",
        "30.50",
        "20.25",
        "10.25",
    ]
    assert [n.text for n in first.notes] == ["注：本表反映部门本年度支出预算。"]
    assert first.pieces[0].cell == "A7:E11"
    assert [r.texts() for r in second.body_rows] == [["合计", "2"], ["公务接待费", "2"]]
    assert [(p.text, p.heading_level) for p in raw.paragraphs] == [
        ("第一部分部门概况", 1),  # spaces inside Chinese text dropped, as for PDF
        ("本部门下设 3 个处室。", None),
    ]
    assert raw.order == [
        RawParagraphPlace(0),
        RawParagraphPlace(1),
        RawTablePlace(0),
        RawTablePlace(1),
    ]

    doc = yusuan.read(path)  # no template knows these titles: the generic profile reads them
    report = yusuan.audit(doc)
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert {(f.rule, f.location.sheet, f.location.cell) for f in errors} == {
        ("A101", "公开表", "A11:E11"),  # 20101: 合计 30.50 ≠ 20.25 + 10.00
        ("A102", "公开表", "A10:E11"),  # 201: 项目支出 10.25 ≠ Σ 款 10.00
    }
    assert any("合计 30.50，基本支出 + 项目支出 30.25" in f.message for f in errors)
    assert report.document["profile"] == "generic"


def _xls_table() -> XlsSheet:
    """表3 of a template in 元, written as a legacy workbook: codes stored as numbers."""
    sheet = XlsSheet("表3 支出")
    cells = sheet.cells
    cells[(0, 0)] = "部门支出总体情况表"
    cells[(1, 0)], cells[(1, 4)] = "编制部门：某某局", "单位：元"
    cells[(2, 0)], cells[(2, 2)] = "科目编码", "科目名称"
    cells[(2, 3)], cells[(2, 4)], cells[(2, 5)] = "合计", "基本支出", "项目支出"
    cells[(3, 0)], cells[(3, 1)] = "类", "款"
    body = [
        (None, None, "合计", 1500.0, 1000.0, 500.0),
        (201, None, "一般公共服务支出", 1500.0, 1000.0, 500.0),
        (201, 1, "人大事务", 1500.0, 1000.0, 400.0),
    ]
    for r, values in enumerate(body, start=4):
        for c, value in enumerate(values):
            if value is not None:
                cells[(r, c)] = value
    sheet.merged = [(0, 0, 0, 5), (1, 1, 0, 3), (2, 2, 0, 1), (2, 3, 2, 2), (2, 3, 3, 3)]
    return sheet


def test_hand_made_xls(tmp_path: Path) -> None:
    path = tmp_path / "legacy.xls"
    write_xls(path, [_xls_table()])
    raw = read_sheet_raw(path)
    (table,) = raw.tables
    assert (table.title, table.org, table.unit_text) == ("部门支出总体情况表", "某某局", "元")
    assert [r.texts() for r in table.header_rows] == [
        ["科目编码", "", "科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "", "", "", ""],
    ]
    assert table.header_rows[0].cells[2].loc.cell == "C3:C4"
    # Whole 元 amounts with digit groups; codes stored as numbers stay codes, the 款 code
    # stored as the number 1 gets its leading zero back.
    assert [r.texts() for r in table.body_rows][2] == [
        "201",
        "01",
        "人大事务",
        "1,500",
        "1,000",
        "400",
    ]
    doc = yusuan.read(path, profile="generic")  # 表3 of which template? Say none.
    assert doc.source.format == "xls"
    errors = [f for f in yusuan.audit(doc).findings if f.severity.value == "error"]
    assert {(f.rule, f.location.sheet, f.location.cell) for f in errors} == {
        ("A101", "表3 支出", "A7:F7"),  # 合计 1,500 ≠ 基本 1,000 + 项目 400
        ("A102", "表3 支出", "A6:F7"),  # 201 项目 500 ≠ Σ 款 400
    }


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装")
def test_xls_saved_by_libreoffice_reads_like_the_xlsx(
    variant_xlsx: Path, xlsx_doc: Document, tmp_path: Path
) -> None:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), variant_xlsx],
        check=True,
        capture_output=True,
        timeout=120,
    )
    doc = yusuan.read(tmp_path / "variant.xls")
    assert doc.source.format == "xls"
    assert _table_findings(yusuan.audit(doc)) == _table_findings(yusuan.audit(xlsx_doc))


def _cli(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", str(path)])
    return result.exit_code, result.output


def test_inspection_checklist_is_not_a_disclosure() -> None:
    with pytest.raises(InputError) as info:
        yusuan.read(CHECKLIST)
    message = info.value.message
    assert "2026年度普陀区单位预算公开情况检查表" in message
    assert "不是部门预算/决算公开文件" in message and "没有任何金额" in message
    assert "检查表" in message and "\n" not in message
    code, output = _cli(CHECKLIST)
    assert code == 2 and "没有任何金额" in output


def test_other_zips_and_ole2_files_are_refused(tmp_path: Path) -> None:
    plain = tmp_path / "bundle.xlsx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("a.txt", "hello")
    docx = tmp_path / "report.zip"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("xl/workbook.xml", "not xml")
    doc97 = tmp_path / "old.xls"
    write_xls(doc97, [XlsSheet("x", {(0, 0): "x"})], stream_name="WordDocument")
    cases = {
        plain: "是ZIP 压缩包，不是电子表格",
        # read as Word, which it claims to be; the container check names what is missing
        docx: "是损坏的 Word 文档（.docx）：缺少内容类型清单 [Content_Types].xml",
        broken: "电子表格已损坏",
        doc97: "是Word 97-2003 文档（.doc），不是 Excel 工作簿",
    }
    for path, expected in cases.items():
        with pytest.raises(InputError) as info:
            yusuan.read(path)
        assert expected in info.value.message, info.value.message
        code, output = _cli(path)
        assert code == 2, output


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(InputError, match="电子表格中没有任何内容"):
        yusuan.read(path)
