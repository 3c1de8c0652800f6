"""XLSX laid out like the official tables: one sheet per table, merged headers, numeric cells.

Each sheet: 表号, title, the 编制部门 / 单位 line, the header (merged as printed, repeated on
every printed page, frozen on screen), then the rows. Amounts are numbers with a number format
(`#,##0.00`) so that a spreadsheet can sum them; empty cells stay empty. The 绩效目标表 share one
sheet, one after another, each starting a printed page.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.cell.cell import Cell  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.pagebreak import Break  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.properties import PageSetupProperties  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from yusuan.model.document import Document
from yusuan.render.layout import Grid, TableBlock, display_width, table_blocks, title_of

FONT_NAME = "宋体"  # what the official tables are set in; a spreadsheet substitutes if missing
GRID_TOP = 4  # sheet row of the first header row: 表号 (1), title (2), 编制部门 / 单位 (3)
PERFORMANCE_SHEET = "绩效目标表"
COVER_SHEET = "封面"
SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name=FONT_NAME, size=10)
_BOLD = Font(name=FONT_NAME, size=10, bold=True)
_TITLE = Font(name=FONT_NAME, size=16, bold=True)
_POINTS_PER_LINE = 14.0


def write(doc: Document, path: Path) -> None:
    path = Path(path)
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    blocks = table_blocks(doc)
    names: set[str] = set()
    if doc.year or doc.department:
        # The cover's title names the department and the year, which no table title does.
        ws = wb.create_sheet(sheet_name(COVER_SHEET, names))
        _merged_line(ws, 1, 8, title_of(doc), _TITLE, "center")
        ws.row_dimensions[1].height = 28
    for block in blocks:
        if block.performance:
            continue
        ws = wb.create_sheet(sheet_name(block.caption, names))
        _table_sheet(ws, block)
    performance = [b for b in blocks if b.performance]
    if performance:
        ws = wb.create_sheet(sheet_name(PERFORMANCE_SHEET, names))
        _performance_sheet(ws, performance)
    if not wb.worksheets:  # a workbook needs a sheet; say why it is empty
        ws = wb.create_sheet("说明")
        ws["A1"] = "文档中没有表格。"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def sheet_name(caption: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\ and at most 31 characters (Excel's limits)."""
    base = _BAD_SHEET_CHARS.sub("_", caption).strip("'") or "表"
    name = base[:SHEET_NAME_LIMIT]
    n = 2
    while name in taken:
        suffix = f"({n})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def _table_sheet(ws: Worksheet, block: TableBlock) -> None:
    grid = block.grid
    ncols = grid.ncols
    ws["A1"] = block.label or None
    ws["A1"].font = _BOLD
    _merged_line(ws, 2, ncols, block.title, _TITLE, "center")
    ws.row_dimensions[2].height = 28
    _meta_line(ws, 3, ncols, block.department, block.unit)
    row = _draw_grid(ws, grid, GRID_TOP)
    for note in block.notes:
        _note(ws, row, ncols, note, grid)
        row += 1
    _columns(ws, grid)
    ws.freeze_panes = f"A{GRID_TOP + grid.header_rows}"
    ws.print_title_rows = f"3:{GRID_TOP + grid.header_rows - 1}"
    _print_setup(ws, landscape=block.landscape)


def _performance_sheet(ws: Worksheet, blocks: list[TableBlock]) -> None:
    row = 1
    for n, block in enumerate(blocks):
        if n:
            ws.row_breaks.append(Break(id=row - 1))
        _merged_line(ws, row, block.grid.ncols, block.title, _TITLE, "center")
        ws.row_dimensions[row].height = 28
        row += 1
        if block.subtitle:
            _merged_line(ws, row, block.grid.ncols, block.subtitle, _FONT, "center")
            row += 1
        row = _draw_grid(ws, block.grid, row) + 1
    widest = max(blocks, key=lambda b: b.grid.ncols).grid
    _columns(ws, widest)
    _print_setup(ws, landscape=False)


# Characters XML 1.0 cannot hold (openpyxl refuses them); tabs and newlines are kept.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(cell: Cell, text: str | None) -> Cell:
    """Store `text` as a string cell: never a formula, whatever it starts with (`=100%`)."""
    if text:
        cell.value = _ILLEGAL.sub("", text)
        cell.data_type = "s"
    return cell


def _merged_line(ws: Worksheet, row: int, ncols: int, text: str, font: Font, align: str) -> None:
    cell = _text(ws.cell(row, 1), text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center")
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)


def _meta_line(ws: Worksheet, row: int, ncols: int, department: str, unit: str) -> None:
    """编制部门 on the left, 单位 on the right, as the official tables print them."""
    if ncols < 2:
        _text(ws.cell(row, 1), "  ".join(t for t in (department, unit) if t)).font = _FONT
        return
    left = _text(ws.cell(row, 1), department)
    left.font = _FONT
    left.alignment = Alignment(horizontal="left", vertical="center")
    if ncols > 2:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols - 1)
    right = _text(ws.cell(row, ncols), unit)
    right.font = _FONT
    right.alignment = Alignment(horizontal="right", vertical="center")


def _draw_grid(ws: Worksheet, grid: Grid, top: int) -> int:
    """Draw the grid with its top row at sheet row `top`; returns the first row below it."""
    for r in range(grid.nrows):
        for c in range(grid.ncols):
            ws.cell(top + r, c + 1).border = _BORDER
    for cell in grid.cells:
        target = ws.cell(top + cell.row, cell.col + 1)
        if cell.value is not None:
            target.value = cell.value
            target.number_format = cell.number_format
        elif cell.text:
            _text(target, cell.text)
        target.font = _BOLD if cell.bold else _FONT
        target.alignment = Alignment(
            horizontal=cell.align,
            vertical="center",
            wrap_text=cell.value is None,
        )
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=top + cell.row,
                start_column=cell.col + 1,
                end_row=top + cell.row + cell.rowspan - 1,
                end_column=cell.col + cell.colspan,
            )
    _row_heights(ws, grid, top)
    return top + grid.nrows


def _row_heights(ws: Worksheet, grid: Grid, top: int) -> None:
    """Heights for rows whose text wraps: spreadsheets do not grow a row for a merged cell."""
    lines = [1] * grid.nrows
    for cell in grid.cells:
        if not cell.text or cell.value is not None:
            continue
        width = sum(grid.widths[cell.col : cell.col + cell.colspan])
        needed = -(-display_width(cell.text) // max(int(width), 1))
        per_row = -(-needed // cell.rowspan)
        for r in range(cell.row, cell.row + cell.rowspan):
            lines[r] = max(lines[r], per_row)
    for r, n in enumerate(lines):
        if n > 1:
            ws.row_dimensions[top + r].height = n * _POINTS_PER_LINE


def _note(ws: Worksheet, row: int, ncols: int, text: str, grid: Grid) -> None:
    _merged_line(ws, row, ncols, text, _FONT, "left")
    ws.cell(row, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    lines = -(-display_width(text) // max(int(grid.width), 1))
    ws.row_dimensions[row].height = max(lines, 1) * _POINTS_PER_LINE + 4


def _columns(ws: Worksheet, grid: Grid) -> None:
    for c, width in enumerate(grid.widths):
        # Spreadsheet widths count digits of the default font; CJK and bold text run wider.
        ws.column_dimensions[get_column_letter(c + 1)].width = round(width * 1.1 + 2, 1)


def _print_setup(ws: Worksheet, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页，共 &N 页"
