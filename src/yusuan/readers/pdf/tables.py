"""Grids and captions → `RawTable`s: header rows, body rows, continuation pages.

Conventions (also in `docs/research/published-samples.md`):

- Every row has one `RawCell` per table column (the columns of the table's first framed
  page). A merged cell's text sits in its top-left position; the positions it covers get
  empty text but the merged cell's box, so spans can be recovered by comparing boxes.
- `title` is the caption as printed with whitespace removed and the label taken out
  (`预算01表 收支总表` → label `预算01表`, title `收支总表`); year and department prefixes
  are kept (`2025年部门收支总体情况表`). Tables printed without a caption inside the
  narrative get the title `""`.
- Header rows are the leading rows before the first row holding a figure, a code, a total
  or nothing at all; 栏次/行次 number rows stay in the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from yusuan.kinds import table_kind
from yusuan.model.provenance import BBox, Loc
from yusuan.readers.ir import RawCell, RawParagraph, RawRow, RawTable
from yusuan.readers.numbering import is_column_numbers
from yusuan.readers.pdf.grid import AMOUNT_RE
from yusuan.readers.pdf.layout import TableItem
from yusuan.readers.pdf.primitives import Grid, GridCell, Line
from yusuan.readers.pdf.text import bbox_union, round_bbox

TOTAL_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、)?(?:本年|本期)?(?:收入|支出)?(?:合计|总计|小计)$"
)
# A code opens a data row; a year (`2025年预算数`, a group header of 重庆/烟台 三公 tables) does not.
_CODE_RE = re.compile(r"^\d{3,}(?!\d*年)")
_FORM_KEY_RE = re.compile(r"(?:项目|部门|单位|部门（单位）|单位（项目）)名称$")
_MAX_HEADER_ROWS = 8
_HEADER_COVERAGE = 0.7


# --- rows of one grid -----------------------------------------------------------------


def _covering(cover: list[list[GridCell]], r: int) -> list[GridCell]:
    seen: dict[int, GridCell] = {}
    for cell in cover[r]:
        seen.setdefault(id(cell), cell)
    return list(seen.values())


def row_kind(grid: Grid, cover: list[list[GridCell]], r: int) -> str:
    """'blank', 'data', 'ordinal' (栏次 numbers) or 'label' (header-like)."""
    if all(not cell.text for cell in _covering(cover, r)):
        return "blank"
    texts = [c.text.replace(" ", "") for c in grid.cells if c.row == r and c.text.strip()]
    if not texts:
        return "label"
    if is_column_numbers(texts):
        return "ordinal"
    if texts in (["无"], ["空"], ["-"], ["—"]):
        return "data"  # "nothing to report" printed in the first body row of an empty table
    if any(AMOUNT_RE.match(t) for t in texts) or _CODE_RE.match(texts[0]):
        return "data"
    if TOTAL_RE.match(texts[0]) and all(AMOUNT_RE.match(t) for t in texts[1:]):
        return "data"
    return "label"


def header_count(grid: Grid) -> int:
    """How many leading grid rows are column headers (0 for forms and header-less pieces)."""
    cover = grid.cover_map()
    if _is_form(grid):
        return 0
    kinds = [row_kind(grid, cover, r) for r in range(grid.nrows)]
    first = next((r for r, k in enumerate(kinds) if k in ("data", "blank")), None)
    if first is None or first > _MAX_HEADER_ROWS:
        # No figures near the top (an empty table, a list of names): a bold top is a header.
        n = 0
        while n < grid.nrows - 1 and _row_bold(grid, n):
            n += 1
        return n if n <= _MAX_HEADER_ROWS else 0
    if first == 0:
        return 0
    # A real header names (nearly) every column the data uses; a form's first rows
    # ("项目名称 | …") do not, so they stay in the body. "Nearly": Shanghai 决算 prints
    # 类/款/项 inside the first data row.
    header_starts = {cell.col for r in range(first) for cell in _covering(cover, r)}
    data_starts = {cell.col for cell in _covering(cover, first)}
    named = len(data_starts & header_starts)
    return first if named >= _HEADER_COVERAGE * len(data_starts) else 0


def _is_form(grid: Grid) -> bool:
    """绩效目标表/自评表 are forms: "项目名称 | <value>" rows, not columns under a header."""
    first = [c for c in grid.cells if c.row == 0 and c.text.strip()]
    # A header's first cell spans down over the sub-header rows; a form's key does not, and
    # is followed by its value, not by another key (深圳: `二级预算单位名称 | 一级项目名称 | …`).
    return (
        2 <= len(first) <= 4
        and first[0].rowspan == 1
        and _FORM_KEY_RE.search(first[0].text) is not None
        and _FORM_KEY_RE.search(first[1].text) is None
    )


def _row_bold(grid: Grid, r: int) -> bool:
    cells = [c for c in grid.cells if c.row == r and c.text.strip()]
    return bool(cells) and all(c.bold for c in cells)


def _boundary_map(piece: list[float], base: list[float]) -> list[int]:
    if len(piece) == len(base):
        return list(range(len(piece)))
    out: list[int] = []
    for x in piece:
        out.append(min(range(len(base)), key=lambda j: abs(base[j] - x)))
    return out


def grid_rows(grid: Grid, base_xs: list[float] | None = None) -> list[RawRow]:
    """The grid's rows as `RawRow`s over the base table's columns (default: its own)."""
    xs = base_xs if base_xs is not None else grid.xs
    ncols = len(xs) - 1
    bmap = _boundary_map(grid.xs, xs)
    cover = grid.cover_map()
    page = grid.page
    rows: list[RawRow] = []
    for r in range(grid.nrows):
        texts: list[str] = [""] * ncols
        boxes: list[BBox | None] = [None] * ncols
        bolds: list[bool] = [False] * ncols
        for cell in _covering(cover, r):
            start = min(bmap[cell.col], ncols - 1)
            end = max(min(bmap[cell.col + cell.colspan], ncols), start + 1)
            box = round_bbox(cell.bbox)
            for c in range(start, end):
                if boxes[c] is None:
                    boxes[c] = box
            if cell.row == r and cell.text:
                texts[start] = texts[start] + cell.text if texts[start] else cell.text
                bolds[start] = bolds[start] or cell.bold
        y0, y1 = grid.ys[r], grid.ys[r + 1]
        cells = [
            RawCell(
                texts[c],
                Loc(page=page, bbox=boxes[c] or round_bbox((xs[c], y0, xs[c + 1], y1))),
                bold=bolds[c],
            )
            for c in range(ncols)
        ]
        rows.append(RawRow(cells, Loc(page=page, bbox=round_bbox((xs[0], y0, xs[-1], y1)))))
    return rows


def row_key(row: RawRow) -> tuple[str, ...]:
    return tuple(c.text.replace(" ", "") for c in row.cells)


# --- notes ----------------------------------------------------------------------------


def lines_to_paragraph(
    lines: list[Line], page: int, heading_level: int | None = None
) -> RawParagraph:
    return lines_to_paragraph_multi([(page, ln) for ln in lines], heading_level)


def lines_to_paragraph_multi(
    lines: list[tuple[int, Line]], heading_level: int | None = None
) -> RawParagraph:
    """Join printed lines into one paragraph, keeping where each line was printed."""
    text = ""
    segments: list[tuple[int, Loc]] = []
    for page, line in lines:
        piece = line.text
        if text and piece and text[-1].isascii() and text[-1].isalpha() and piece[0].isalpha():
            text += " "
        segments.append((len(text), Loc(page=page, bbox=round_bbox(line.bbox))))
        text += piece
    pages = {page for page, _ in lines}
    if len(pages) == 1:
        loc = Loc(page=lines[0][0], bbox=round_bbox(bbox_union([ln.bbox for _, ln in lines])))
    else:
        loc = Loc(page=min(pages))
    return RawParagraph(text, loc, heading_level=heading_level, segments=tuple(segments))


# --- assembling tables over pages -----------------------------------------------------


@dataclass(slots=True)
class OpenTable:
    """A table being read, possibly continued on the next pages."""

    table: RawTable
    xs: list[float] | None = None
    header_keys: set[tuple[str, ...]] = field(default_factory=set)
    last_page: int = 0


def start_table(item: TableItem) -> OpenTable:
    cap = item.caption
    if cap.title is None and cap.label is None and item.grid is not None:
        inside = _title_row(item.grid)
        if inside is not None:
            title, grid = inside
            cap = replace(cap, title=title)
            item = replace(item, caption=cap, grid=grid)
    if cap.title_line is not None:
        title_box = cap.title_line.bbox
    elif cap.lines:
        title_box = bbox_union([ln.bbox for ln in cap.lines])
    elif item.grid is not None:
        title_box = item.grid.bbox
    else:  # pragma: no cover - an item always has a caption line or a grid
        title_box = (0.0, 0.0, 0.0, 0.0)
    table = RawTable(
        title=cap.title or "",
        title_loc=Loc(page=item.page, bbox=round_bbox(title_box)),
        label=cap.label,
        org=cap.org,
        unit_text=cap.unit,
    )
    state = OpenTable(table, last_page=item.page)
    add_piece(state, item)
    return state


def can_continue(state: OpenTable, item: TableItem) -> bool:
    """Is `item` (first thing on its page, right after `state`'s table) more of that table?"""
    table = state.table
    if not item.first_on_page or item.page <= state.last_page or table.notes:
        return False
    cap = item.caption
    if cap.title is not None and cap.title != table.title:
        return False
    if cap.label is not None and cap.label != table.label:
        return False
    if cap.title is None and cap.label is None and not cap.empty:
        return False  # a new caption without a title: better a new table than a wrong merge
    if item.grid is None:
        return cap.title is not None  # the caption repeated alone
    inside = _title_row(item.grid) if cap.title is None else None
    if inside is not None and inside[0] != table.title:
        return False  # a new table titled inside its frame
    if state.xs is not None:
        x0, x1 = state.xs[0], state.xs[-1]
        g0, g1 = item.grid.xs[0], item.grid.xs[-1]
        overlap = min(x1, g1) - max(x0, g0)
        if overlap < 0.6 * min(x1 - x0, g1 - g0):
            return False
    return True


def add_piece(state: OpenTable, item: TableItem) -> None:
    table = state.table
    state.last_page = item.page
    grid = item.grid
    if grid is not None:
        table.pieces.append(Loc(page=item.page, bbox=round_bbox(grid.bbox)))
        if state.xs is None:
            n = header_count(grid)
            rows = grid_rows(grid)
            table.header_rows = rows[:n]
            table.body_rows.extend(rows[n:])
            state.xs = list(grid.xs)
            state.header_keys = {k for k in map(row_key, table.header_rows) if any(k)}
        elif _blank_side_piece(grid, state.xs):
            pass
        else:
            rows = grid_rows(grid, state.xs)
            skip = 0
            while skip < len(rows) and row_key(rows[skip]) in state.header_keys:
                skip += 1
            table.body_rows.extend(rows[skip:])
    for note in item.notes:
        table.notes.append(lines_to_paragraph(note, item.page))


def _blank_side_piece(grid: Grid, base_xs: list[float]) -> bool:
    """Is the grid the far columns of a table too wide for its pages, holding no figure and no
    code (上海 单位收入预算总表: 其他收入 alone on p10, blank, after the other columns on
    p8–9)? Its rows are not the table's rows: mapped onto the table's columns they would
    put a header word where a figure belongs."""
    if grid.xs[-1] - grid.xs[0] >= 0.5 * (base_xs[-1] - base_xs[0]):
        return False
    return not any(
        AMOUNT_RE.match(t) or _CODE_RE.match(t)
        for t in (c.text.strip().replace(" ", "") for c in grid.cells)
        if t
    )


# A table title printed as the first row of the frame: a name ending in 表 (`专项资金绩效目标表`).
_TITLE_IN_FRAME = re.compile(r"^\S{2,40}表$")


def _title_row(grid: Grid) -> tuple[str, Grid] | None:
    """(title, the grid below it) when the frame's first row is one cell across the whole
    table holding a table's name (烟台 市场监管局 p45: the 专项资金绩效目标表 titled inside its
    frame, read before as an untitled table)."""
    first = [c for c in grid.cells if c.row == 0]
    if grid.nrows < 2 or len(first) != 1 or first[0].colspan != grid.ncols or first[0].rowspan != 1:
        return None
    title = first[0].text.replace(" ", "")
    if not _TITLE_IN_FRAME.match(title) or table_kind(title) is None:
        return None
    cells = [replace(c, row=c.row - 1) for c in grid.cells if c.row > 0]
    return title, Grid(page=grid.page, xs=grid.xs, ys=grid.ys[1:], cells=cells)
