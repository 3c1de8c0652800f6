"""XLSX: one sheet per official table, numeric cells equal to the model, merged headers."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from yusuan.model.document import Document
from yusuan.render import xlsx
from yusuan.render.layout import TableBlock, table_blocks
from yusuan.render.xlsx import (
    COVER_SHEET,
    GRID_TOP,
    PERFORMANCE_SHEET,
    SHEET_NAME_LIMIT,
    sheet_name,
)


@pytest.fixture(scope="module")
def xlsx_path(sample_doc: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "sample.xlsx"
    xlsx.write(sample_doc, path)
    return path


@pytest.fixture(scope="module")
def workbook(xlsx_path: Path) -> Workbook:
    return load_workbook(xlsx_path)


def _tables(doc: Document) -> Iterator[TableBlock]:
    return (b for b in table_blocks(doc) if not b.performance)


def _merged_at(ws: Worksheet, row: int, col: int) -> tuple[int, int] | None:
    """(rows, columns) of the merged range whose top-left cell is (row, col)."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row == row and rng.min_col == col:
            return (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
    return None


def test_one_sheet_per_table_named_like_the_official_titles(
    workbook: Workbook, sample_doc: Document
) -> None:
    # The cover names the department and the year, which no table title does.
    cover, *names = workbook.sheetnames
    assert cover == COVER_SHEET
    assert workbook[cover]["A1"].value == "自治区人力资源和社会保障厅 2024 年部门预算公开"
    assert names[0] == "表1 部门收支总体情况表"
    assert names[9] == "表10 财政拨款“三公”经费支出情况表"
    assert names[:11] == [
        f"表{t.number} {t.title}"
        for t in sorted(sample_doc.tables.values(), key=lambda t: t.number or 0)
    ]
    assert names[11:] == [PERFORMANCE_SHEET]
    assert all(len(n) <= SHEET_NAME_LIMIT for n in names)


def test_sheet_names_respect_excel_limits() -> None:
    taken: set[str] = set()
    long = "表12 部门财政拨款收支预算总表（含政府性基金和国有资本经营预算）明细"
    first = sheet_name(long, taken)
    second = sheet_name(long, taken)
    assert len(first) == len(second) == SHEET_NAME_LIMIT
    assert first != second and second.endswith("(2)")
    assert sheet_name("表[1]: a/b?", taken) == "表_1__ a_b_"


def test_every_model_cell_is_a_number_equal_to_the_model(
    workbook: Workbook, sample_doc: Document
) -> None:
    for block in _tables(sample_doc):
        ws = workbook[block.caption]
        table = sample_doc.tables[block.key]
        numeric = [c for row in ws.iter_rows() for c in row if isinstance(c.value, int | float)]
        expected = [
            (i, key, cell)
            for i, row in enumerate(table.rows)
            for key, cell in row.cells.items()
            if cell.value is not None
        ]
        # Empty cells stay empty: no zero is written where the model holds nothing.
        assert len(numeric) == len(expected), block.key
        where = {c.source: c for c in block.grid.cells if c.source is not None}
        leaves = _leaf_headers(ws, block)
        for i, key, cell in expected:
            gc = where[(i, key)]
            target = ws.cell(GRID_TOP + gc.row, gc.col + 1)
            assert Decimal(str(target.value)) == cell.value, (block.key, i, key)
            assert target.number_format == "#,##0.00"
            assert target.font.bold == table.rows[i].bold
            # The number sits under its column's printed header and on its row's line.
            column = table.column(key)
            assert column is not None
            assert leaves[gc.col] in (column.label, *_spec_leaf(sample_doc, block.key, key))
            row = table.rows[i]
            texts = [c.value for c in ws[GRID_TOP + gc.row] if isinstance(c.value, str)]
            assert any(row.label in t or (row.project or "\0") in t for t in texts)


def _spec_leaf(doc: Document, table_key: str, col_key: str) -> list[str]:
    from yusuan.profiles import load_profile

    spec = load_profile(doc.profile).table(table_key)
    assert spec is not None
    columns = [*spec.columns, *(c for p in spec.panels for c in p.columns)]
    return [c.header[-1] for c in columns if c.key == col_key and c.header]


def _leaf_headers(ws: Worksheet, block: TableBlock) -> dict[int, str]:
    """Per grid column, the lowest header text over it (merged cells read at their top-left)."""
    leaves: dict[int, str] = {}
    last = GRID_TOP + block.grid.header_rows - 1
    rows = range(GRID_TOP, last + 1)
    for col in range(1, block.grid.ncols + 1):
        for r in reversed(rows):
            value = ws.cell(r, col).value
            if value is None:
                for rng in ws.merged_cells.ranges:
                    if rng.min_row <= r <= rng.max_row and rng.min_col <= col <= rng.max_col:
                        value = ws.cell(rng.min_row, rng.min_col).value
            if isinstance(value, str) and value != "※" and not value.isdigit():
                leaves[col - 1] = value
                break
    return leaves


def test_headers_are_merged_as_printed(workbook: Workbook, sample_doc: Document) -> None:
    for block in _tables(sample_doc):
        ws = workbook[block.caption]
        for cell in block.grid.cells:
            if cell.rowspan > 1 or cell.colspan > 1:
                assert _merged_at(ws, GRID_TOP + cell.row, cell.col + 1) == (
                    cell.rowspan,
                    cell.colspan,
                ), (block.key, cell.text)
                assert ws.cell(GRID_TOP + cell.row, cell.col + 1).value == cell.text
    t2 = workbook["表2 部门收入总体情况表"]
    assert t2.cell(GRID_TOP, 6).value == "财政拨款（补助）"
    assert _merged_at(t2, GRID_TOP, 6) == (1, 7)
    t11 = workbook["表11 上年结转结余情况明细表"]
    assert t11.cell(GRID_TOP, 1).value == "项目名称" and _merged_at(t11, GRID_TOP, 1) == (3, 1)


def test_title_department_unit_freeze_and_print_setup(
    workbook: Workbook, sample_doc: Document
) -> None:
    for block in _tables(sample_doc):
        ws = workbook[block.caption]
        assert ws["A1"].value == block.label
        assert ws["A2"].value == block.title and ws["A2"].font.bold
        assert ws["A3"].value == "编制部门：自治区人力资源和社会保障厅"
        assert ws.cell(3, block.grid.ncols).value == "单位：万元"
        assert ws.freeze_panes == f"A{GRID_TOP + block.grid.header_rows}"
        assert ws.page_setup.orientation == ("landscape" if block.landscape else "portrait")
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == f"$3:${GRID_TOP + block.grid.header_rows - 1}"
        assert all(ws.column_dimensions[c].width >= 5 for c in "ABC")
    assert workbook["表2 部门收入总体情况表"].page_setup.orientation == "landscape"


def test_codes_in_three_columns_and_projects(workbook: Workbook) -> None:
    ws = workbook["表7 一般公共预算项目支出情况表"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=GRID_TOP + 3)]
    assert rows[0][3] == "总计" and rows[0][5] == pytest.approx(34530.67)
    assert rows[4][:6] == ["205", "03", "02", "中等职业教育", "特定目标 6010091N", 13.04]


def test_empty_tables_show_their_note(workbook: Workbook, sample_doc: Document) -> None:
    for key in ("T8", "T9"):
        block = next(b for b in _tables(sample_doc) if b.key == key)
        ws = workbook[block.caption]
        note = ws.cell(GRID_TOP + block.grid.header_rows, 1).value
        assert note == sample_doc.tables[key].notes[0].text


def test_performance_tables_on_one_sheet(workbook: Workbook, sample_doc: Document) -> None:
    ws = workbook[PERFORMANCE_SHEET]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts.count("项目支出绩效目标表") == sum(
        1 for p in sample_doc.performance if p.kind == "project"
    )
    assert len(ws.row_breaks.brk) == len(sample_doc.performance) - 1
    amounts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, int | float)]
    assert all(c.number_format == "#,##0.00" for c in amounts)


def test_text_is_never_written_as_a_formula(xlsx_path: Path, workbook: Workbook) -> None:
    # The sample's 绩效 indicator values read `=100%`, `=3 次`: text, not formulas.
    import zipfile

    with zipfile.ZipFile(xlsx_path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in zf.read(n) for n in sheets)
    texts = [
        c.value
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert texts  # the values are there, as text
    assert all(
        c.data_type == "s"
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    )


def test_hostile_names_are_text_and_control_characters_dropped(
    sample_doc: Document, tmp_path: Path
) -> None:
    import copy

    doc = copy.deepcopy(sample_doc)
    doc.department = '=HYPERLINK("http://x","点我")\x00\x07'
    path = tmp_path / "hostile.xlsx"
    xlsx.write(doc, path)
    values = [
        c.value for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row
    ]
    assert '编制部门：=HYPERLINK("http://x","点我")' in values  # NUL and BEL dropped
