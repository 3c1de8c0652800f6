"""Tables printed without rules (or with horizontal rules only): free lines → grids.

Three or more consecutive lines that split into at least three cells, one of them a figure,
form the body; the columns are the x-ranges the body cells cover, separated by gaps no cell
crosses. Label lines right above the body (not captions) become header rows. The result is
an ordinary `Grid`, so captions, notes and continuations work as for ruled tables.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise
from statistics import median

from yusuan.readers.captions import NOTE_RE
from yusuan.readers.pdf.grid import AMOUNT_RE
from yusuan.readers.pdf.layout import parse_caption_line
from yusuan.readers.pdf.primitives import Grid, GridCell, Line, Segment
from yusuan.readers.pdf.settings import PdfSettings
from yusuan.readers.pdf.text import split_segments

_MIN_BODY_LINES = 3
_MAX_HEADER_LINES = 6
_CELL_GAP_EM = 0.9  # one em separates table cells, never the glyphs of one value
_ROW_GAP_EM = 1.5
_HEADER_GAP_EM = 2.5  # header labels are centred in tall cells, further from their neighbours


def lines_to_text_grids(
    lines: Sequence[Line], page: int, settings: PdfSettings
) -> tuple[list[Grid], list[Line]]:
    """Grids for the rule-less tables among `lines`, and the lines not in one."""
    cells_of = [_cells(line, settings) for line in lines]
    tabular = [len(c) >= 3 and any(AMOUNT_RE.match(s.text) for s in c) for c in cells_of]
    used: set[int] = set()
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        if not tabular[i]:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and tabular[j] and _close(lines[j - 1], lines[j]):
            j += 1
        if j - i >= _MIN_BODY_LINES:
            start = i
            while (
                start > 0
                and i - start < _MAX_HEADER_LINES
                and _close(lines[start - 1], lines[start], _HEADER_GAP_EM)
                and _header_line(lines[start - 1], lines[i:j])
            ):
                start -= 1
            rows = [(lines[k], cells_of[k]) for k in range(start, j)]
            grid = _rows_to_grid(rows, i - start, page)
            if grid is not None:
                grids.append(grid)
                used.update(range(start, j))
        i = j
    return grids, [line for k, line in enumerate(lines) if k not in used]


def _cells(line: Line, settings: PdfSettings) -> list[Segment]:
    # Figures in neighbouring columns sit closer than the segment gap of running text.
    if not line.chars:
        return list(line.segments)
    return split_segments(line.chars, _CELL_GAP_EM * line.size, settings)


def _close(upper: Line, lower: Line, em: float = _ROW_GAP_EM) -> bool:
    return lower.top - upper.bottom <= em * max(upper.size, lower.size)


def _header_line(line: Line, body: Sequence[Line]) -> bool:
    """A column-label line above a rule-less body: not a caption, not a sentence."""
    text = line.compact
    if parse_caption_line(line) is not None or NOTE_RE.match(text) or text[-1:] in "。；：:":
        return False
    x0 = min(b.x0 for b in body)
    x1 = max(b.x1 for b in body)
    return line.x0 >= x0 - line.size and line.x1 <= x1 + line.size


def _rows_to_grid(rows: list[tuple[Line, list[Segment]]], n_header: int, page: int) -> Grid | None:
    body_spans = sorted((s.bbox[0], s.bbox[2]) for _, cells in rows[n_header:] for s in cells)
    size = median(line.size for line, _ in rows)
    columns: list[list[float]] = []
    for x0, x1 in body_spans:
        if columns and x0 <= columns[-1][1] + 0.5 * size:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < 3:
        return None
    left = min(columns[0][0], *(line.x0 for line, _ in rows)) - 1.0
    right = max(columns[-1][1], *(line.x1 for line, _ in rows)) + 1.0
    xs = [left, *((a[1] + b[0]) / 2 for a, b in pairwise(columns)), right]
    ys = [rows[0][0].top - 1.0]
    ys.extend((a.bottom + b.top) / 2 for (a, _), (b, _) in pairwise(rows))
    ys.append(rows[-1][0].bottom + 1.0)
    last = len(xs) - 2
    cells: list[GridCell] = []
    for r, (line, segments) in enumerate(rows):
        by_col: dict[int, list[Line]] = {}
        for seg in segments:
            col = min(max(bisect_right(xs, (seg.bbox[0] + seg.bbox[2]) / 2) - 1, 0), last)
            by_col.setdefault(col, []).append(
                Line((seg,), seg.bbox, line.baseline, line.size, line.bold)
            )
        for c in range(len(xs) - 1):
            box = (xs[c], ys[r], xs[c + 1], ys[r + 1])
            cells.append(GridCell(r, c, 1, 1, box, by_col.get(c, [])))
    return Grid(page=page, xs=xs, ys=ys, cells=cells)
