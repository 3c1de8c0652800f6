"""Ruling edges → grids of (merged) cells, and chars → cells.

A table is rebuilt the way a reader sees it: every distinct x of a vertical rule is a column
boundary, every distinct y of a horizontal rule a row boundary; two neighbouring grid cells
belong to the same (merged) cell when no rule separates them. This gives merged header
cells and cells spanning rows (Beijing's project names) without special cases.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import pairwise

from yusuan.readers.pdf.primitives import Char, Edge, Grid, GridCell, Line, Segment
from yusuan.readers.pdf.settings import PdfSettings
from yusuan.readers.pdf.text import chars_to_lines

AMOUNT_RE = re.compile(r"^[-−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")

_NOTE_START_RE = re.compile(r"^(?:注|备注|说明)\s*\d?\s*[：:]")
_MIN_CELL = 3.0  # pt: rules closer than this are one double rule, not a sliver column


class _UnionFind:
    __slots__ = ("parent",)

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def merge_edges(edges: Sequence[Edge], settings: PdfSettings) -> list[Edge]:
    """Snap edges to common positions and join collinear pieces into long rules."""
    out: list[Edge] = []
    for vertical in (False, True):
        group = sorted((e for e in edges if e.vertical == vertical), key=lambda e: e.pos)
        clusters: list[list[Edge]] = []
        for e in group:
            if clusters and e.pos - clusters[-1][0].pos <= settings.snap_tolerance:
                clusters[-1].append(e)
            else:
                clusters.append([e])
        for cluster in clusters:
            pos = sum(e.pos for e in cluster) / len(cluster)
            spans = sorted((e.start, e.end) for e in cluster)
            start, end = spans[0]
            for s, t in spans[1:]:
                if s <= end + settings.join_tolerance:
                    end = max(end, t)
                else:
                    out.append(Edge(vertical, pos, start, end))
                    start, end = s, t
            out.append(Edge(vertical, pos, start, end))
    return out


def edges_to_grids(edges: Sequence[Edge], page: int, settings: PdfSettings) -> list[Grid]:
    """Connected sets of rules that enclose at least two cells."""
    merged = merge_edges(edges, settings)
    hs = [e for e in merged if not e.vertical]
    vs = sorted((e for e in merged if e.vertical), key=lambda e: e.pos)
    if not hs or not vs:
        return []
    tol = settings.intersection_tolerance
    hs += close_open_columns(hs, vs, tol)
    uf = _UnionFind(len(hs) + len(vs))
    v_pos = [v.pos for v in vs]
    for i, h in enumerate(hs):
        lo = bisect_left(v_pos, h.start - tol)
        hi = bisect_right(v_pos, h.end + tol)
        for j in range(lo, hi):
            v = vs[j]
            if v.start - tol <= h.pos <= v.end + tol:
                uf.union(i, len(hs) + j)
    components: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, h in enumerate(hs):
        components.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        components.setdefault(uf.find(len(hs) + j), ([], []))[1].append(v)
    grids: list[Grid] = []
    for comp_h, comp_v in components.values():
        if len(comp_h) < 2 or len(comp_v) < 2:
            continue
        grid = component_to_grid(comp_h, comp_v, page, settings)
        if grid is not None and len(grid.cells) >= 2:
            grids.append(grid)
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


def close_open_columns(hs: Sequence[Edge], vs: Sequence[Edge], tol: float) -> list[Edge]:
    """The rules a frame leaves out where its left columns run on from page to page.

    A merged cell taller than a page (北京 预算12表: a project's 编码名称, 金额 and 年度绩效目标
    beside its many indicator rows) is printed on each page with its vertical rules only: no
    rule closes it at the page's top or foot, while the indicator columns beside it are ruled
    all round. Two or more vertical rules that stop, unclosed, at the height where the frame to
    their right begins (or ends) are those columns: the frame's top (foot) rule is drawn on
    over them, so that they are read as the frame's columns and not as loose text beside it."""
    by_pos = sorted(hs, key=lambda e: e.pos)
    h_pos = [h.pos for h in by_pos]

    def rules_at(y: float) -> list[Edge]:
        return by_pos[bisect_left(h_pos, y - tol) : bisect_right(h_pos, y + tol)]

    def closed(v: Edge, y: float) -> bool:
        return any(h.start - tol <= v.pos <= h.end + tol for h in rules_at(y))

    extra: list[Edge] = []
    for top in (True, False):
        open_at: dict[float, list[Edge]] = {}
        for v in vs:
            y = v.start if top else v.end
            if not closed(v, y):
                key = next((k for k in open_at if abs(k - y) <= tol), y)
                open_at.setdefault(key, []).append(v)
        for y, group in open_at.items():
            if len(group) < 2:
                continue
            right = max(v.pos for v in group)
            # The frame: a rule at this height starting right of the group, from a vertical
            # rule (its left border) that runs on from there the same way.
            frame = [
                h
                for h in rules_at(y)
                if h.start >= right - tol
                and any(
                    abs(v.pos - h.start) <= tol and abs((v.start if top else v.end) - y) <= tol
                    for v in vs
                )
            ]
            if frame:
                h = min(frame, key=lambda e: e.start)
                extra.append(Edge(False, h.pos, min(v.pos for v in group), h.start))
    return extra


def _cluster_positions(values: Sequence[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][0] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    centres = [sum(c) / len(c) for c in out]
    kept: list[float] = []
    for c in centres:
        if kept and c - kept[-1] < _MIN_CELL:
            continue
        kept.append(c)
    return kept


def _index_of(positions: Sequence[float], value: float, tol: float) -> int | None:
    i = bisect_right(positions, value)
    best: int | None = None
    for j in (i - 1, i):
        if not (0 <= j < len(positions)) or abs(positions[j] - value) > tol:
            continue
        if best is None or abs(positions[j] - value) < abs(positions[best] - value):
            best = j
    return best


def _covered(spans: list[tuple[float, float]], a: float, b: float, share: float) -> bool:
    need = share * (b - a)
    got = 0.0
    for s, t in spans:
        lo, hi = max(s, a), min(t, b)
        if hi > lo:
            got += hi - lo
            if got >= need:
                return True
    return False


def component_to_grid(
    hs: Sequence[Edge], vs: Sequence[Edge], page: int, settings: PdfSettings
) -> Grid | None:
    snap = settings.snap_tolerance
    ys = _cluster_positions([h.pos for h in hs], snap)
    xs = _cluster_positions([v.pos for v in vs], snap)
    # Tables open on a side (no outer vertical rule) still end where their rules end.
    x_lo, x_hi = min(h.start for h in hs), max(h.end for h in hs)
    y_lo, y_hi = min(v.start for v in vs), max(v.end for v in vs)
    if x_lo < xs[0] - 2 * snap:
        xs.insert(0, x_lo)
    if x_hi > xs[-1] + 2 * snap:
        xs.append(x_hi)
    if y_lo < ys[0] - 2 * snap:
        ys.insert(0, y_lo)
    if y_hi > ys[-1] + 2 * snap:
        ys.append(y_hi)
    nrows, ncols = len(ys) - 1, len(xs) - 1
    if nrows < 1 or ncols < 1:
        return None
    v_at: list[list[tuple[float, float]]] = [[] for _ in xs]
    h_at: list[list[tuple[float, float]]] = [[] for _ in ys]
    for v in vs:
        j = _index_of(xs, v.pos, snap + _MIN_CELL)
        if j is not None:
            v_at[j].append((v.start, v.end))
    for h in hs:
        i = _index_of(ys, h.pos, snap + _MIN_CELL)
        if i is not None:
            h_at[i].append((h.start, h.end))
    share = settings.border_coverage
    uf = _UnionFind(nrows * ncols)
    for r in range(nrows):
        a, b = ys[r], ys[r + 1]
        for c in range(ncols - 1):
            if not _covered(v_at[c + 1], a, b, share):
                uf.union(r * ncols + c, r * ncols + c + 1)
    for r in range(nrows - 1):
        spans = h_at[r + 1]
        for c in range(ncols):
            if not _covered(spans, xs[c], xs[c + 1], share):
                uf.union(r * ncols + c, (r + 1) * ncols + c)
    boxes: dict[int, list[int]] = {}
    for r in range(nrows):
        for c in range(ncols):
            root = uf.find(r * ncols + c)
            box = boxes.get(root)
            if box is None:
                boxes[root] = [r, r, c, c]
            else:
                box[0], box[1] = min(box[0], r), max(box[1], r)
                box[2], box[3] = min(box[2], c), max(box[3], c)
    cells = [
        GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
        for r0, r1, c0, c1 in boxes.values()
    ]
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Grid(page=page, xs=xs, ys=ys, cells=cells)


def assign_chars(grids: Sequence[Grid], chars: Sequence[Char], settings: PdfSettings) -> list[Char]:
    """Put every char inside a grid into its cell (as lines); return the chars outside."""
    if not grids:
        return list(chars)
    frames = [
        (
            g.xs,
            g.ys,
            g.xs[0] - 1,
            g.xs[-1] + 1,
            g.ys[0] - 1,
            g.ys[-1] + 1,
            g.ncols - 1,
            g.nrows - 1,
            g.cover_map(),
        )
        for g in grids
    ]
    free: list[Char] = []
    buckets: dict[int, list[Char]] = {}
    # Han glyphs that start left of their cell's left rule: a name too long for its cell
    # printed across the rule (西安 `…缴费支` + `出 2947399.16`), checked once all are placed.
    straddling: list[tuple[Char, GridCell, GridCell]] = []
    # ... and those that start above their cell's top rule: a header's last line sunk across
    # the rule (西安 2021 `对附属单位上缴收` + `入0.00` in the first row).
    sinking: list[tuple[Char, GridCell, GridCell]] = []
    # ... and those that end right of their cell's right rule: a centred header too wide for
    # its cell, its first glyph left of the rule (西安 2022 表4 `预算数政 | 府预算支出经济科目`).
    leaning: list[tuple[Char, GridCell, GridCell]] = []
    for ch in chars:
        cx = (ch.x0 + ch.x1) / 2
        cy = (ch.top + ch.bottom) / 2
        for xs, ys, left, right, top, bottom, last_col, last_row, cover in frames:
            if left <= cx <= right and top <= cy <= bottom:
                col = bisect_right(xs, cx) - 1
                row = bisect_right(ys, cy) - 1
                col = 0 if col < 0 else last_col if col > last_col else col
                row = 0 if row < 0 else last_row if row > last_row else row
                cell = cover[row][col]
                if _is_han(ch.text):
                    if col and ch.x0 < xs[col] - 1.0:
                        straddling.append((ch, cover[row][col - 1], cell))
                    elif row and ch.top < ys[row] - 1.0:
                        sinking.append((ch, cover[row - 1][col], cell))
                    elif col < last_col and ch.x1 > xs[col + 1] + 1.0:
                        leaning.append((ch, cell, cover[row][col + 1]))
                bucket = buckets.get(id(cell))
                if bucket is None:
                    buckets[id(cell)] = [ch]
                else:
                    bucket.append(ch)
                break
        else:
            free.append(ch)
    for ch, left_cell, cell in straddling:
        _return_straddling(ch, left_cell, cell, buckets)
    for ch, cell, right_cell in leaning:
        _give_leaning(ch, cell, right_cell, buckets)
    by_cell: dict[int, tuple[GridCell, GridCell, list[Char]]] = {}
    for ch, above, cell in sinking:
        by_cell.setdefault(id(cell), (above, cell, []))[2].append(ch)
    for above, cell, sunk in by_cell.values():
        _return_sinking(sunk, above, cell, buckets)
    for grid in grids:
        for cell in grid.cells:
            cell_chars = buckets.get(id(cell))
            if cell_chars:
                cell.lines = chars_to_lines(cell_chars, settings)
    return free


def _is_han(text: str) -> bool:
    """A Han glyph, or the full-width punctuation set among them (`）`, `，`)."""
    return (
        "\u4e00" <= text <= "\u9fff" or "\uff01" <= text <= "\uff5e" or "\u3001" <= text <= "\u3011"
    )


def _give_leaning(
    ch: Char, cell: GridCell, right: GridCell, buckets: dict[int, list[Char]]
) -> None:
    """Move a glyph printed across its cell's right rule to the cell on the right when it
    starts that cell's text on the same line (its right edge meets the first glyph's left)
    and does not continue its own cell's text."""
    if right is cell:
        return
    own = buckets.get(id(cell))
    right_chars = buckets.get(id(right))
    if not own or not right_chars or ch not in own:
        return
    pitch = 0.25 * ch.size
    if not any(abs(c.x0 - ch.x1) <= pitch and abs(c.top - ch.top) <= pitch for c in right_chars):
        return
    if any(
        c is not ch and abs(c.x1 - ch.x0) <= pitch and abs(c.top - ch.top) <= pitch for c in own
    ):
        return
    own.remove(ch)
    right_chars.append(ch)


def _return_straddling(
    ch: Char, left: GridCell, cell: GridCell, buckets: dict[int, list[Char]]
) -> None:
    """Move a glyph printed across a column rule back to the cell on its left when it
    continues that cell's text on the same line (its left edge meets the last glyph's right)."""
    if left is cell:
        return
    left_chars = buckets.get(id(left))
    if not left_chars:
        return
    pitch = 0.25 * ch.size
    if not any(abs(c.x1 - ch.x0) <= pitch and abs(c.top - ch.top) <= pitch for c in left_chars):
        return
    own = buckets.get(id(cell))
    if own is None or ch not in own:
        return
    own.remove(ch)
    left_chars.append(ch)


def _return_sinking(
    sunk: list[Char], above: GridCell, cell: GridCell, buckets: dict[int, list[Char]]
) -> None:
    """Move glyphs printed across a row rule to the cell above when they are the next line
    of that cell's text (one line pitch below its last line) and stand clear above the
    cell's own content. Glyphs of a cell's first line poke above its rule in tightly set
    tables too: those share their line with the rest of the cell and stay."""
    if above is cell:
        return
    above_chars = buckets.get(id(above))
    own = buckets.get(id(cell))
    if not above_chars or not own:
        return
    rest = [c for c in own if c not in sunk]
    size = max(c.size for c in sunk)
    if not rest or min(c.top for c in rest) < max(c.bottom for c in sunk) - 0.25 * size:
        return
    last_top = max(c.top for c in above_chars)
    if not all(0.8 * c.size <= c.top - last_top <= 1.6 * c.size for c in sunk):
        return
    buckets[id(cell)] = rest
    above_chars.extend(sunk)


def return_spilled_lines(grid: Grid) -> None:
    """Give a wrapped name's last line back to the cell it spilled out of.

    北京's 预算03表 prints `2120399-其他城乡社区公共设施` in a row too short for it: the
    wrapped `支出` crosses the rule into the next row's cell (its centre below the rule), so
    that row would read `支出2120803-城市建设支出` and lose its code. A first line that
    starts above its cell's top rule, one line pitch below the last line of the cell above
    and left-aligned with it, while the next line starts inside the cell, belongs above.
    """
    cells_above: dict[tuple[int, int], GridCell] = {}
    for cell in grid.cells:
        cells_above[(cell.row + cell.rowspan, cell.col)] = cell
    for cell in grid.cells:
        if len(cell.lines) < 2:
            continue
        first, rest = cell.lines[0], cell.lines[1:]
        top = cell.bbox[1]
        if not first.top < top - 1.0 < first.bottom:
            continue
        if rest[0].top < top - 1.0:
            continue
        above = cells_above.get((cell.row, cell.col))
        if above is None or above.colspan != cell.colspan or not above.lines:
            continue
        last = above.lines[-1]
        if abs(last.x0 - first.x0) > 0.5 * first.size:
            continue
        if not (0.9 * first.size <= first.top - last.top <= 1.6 * first.size):
            continue
        above.lines.append(first)
        cell.lines = rest


def split_unruled_rows(grid: Grid, settings: PdfSettings) -> Grid:
    """Split grid rows that hold several printed records without rules between them.

    A row is split only when its text falls into two or more baseline bands, every band
    has text in at least two cells, and some cell holds figures in two bands (a column of
    stacked amounts): a wrapped name beside one centred amount, or top-aligned codes beside
    lower text (Shanghai 决算 基本支出表), never qualify.
    """
    bands_by_row: dict[int, list[list[tuple[GridCell, Line]]]] = {}
    for r in range(grid.nrows):
        entries = [
            (cell, line)
            for cell in grid.cells
            if cell.row == r and cell.rowspan == 1
            for line in cell.lines
        ]
        if len(entries) < 4:
            continue
        bands = _baseline_bands(entries, settings)
        if len(bands) < 2:
            continue
        if all(len({id(cell) for cell, _ in band}) >= 2 for band in bands) and _stacked_amounts(
            bands
        ):
            bands_by_row[r] = bands
    if not bands_by_row:
        return grid
    return _rebuild_rows(grid, bands_by_row)


def _stacked_amounts(bands: list[list[tuple[GridCell, Line]]]) -> bool:
    """True when one cell holds amounts in two or more bands: a column of stacked figures."""
    seen: dict[int, set[int]] = {}
    for k, band in enumerate(bands):
        for cell, line in band:
            if AMOUNT_RE.match(line.compact):
                seen.setdefault(id(cell), set()).add(k)
    return any(len(ks) >= 2 for ks in seen.values())


def _baseline_bands(
    entries: list[tuple[GridCell, Line]], settings: PdfSettings
) -> list[list[tuple[GridCell, Line]]]:
    ordered = sorted(entries, key=lambda e: e[1].baseline)
    bands: list[list[tuple[GridCell, Line]]] = [[ordered[0]]]
    for entry in ordered[1:]:
        ref = bands[-1][0][1]
        if entry[1].baseline - ref.baseline <= settings.line_baseline_em * 2 * ref.size:
            bands[-1].append(entry)
        else:
            bands.append([entry])
    return bands


def _rebuild_rows(grid: Grid, bands_by_row: dict[int, list[list[tuple[GridCell, Line]]]]) -> Grid:
    new_ys: list[float] = [grid.ys[0]]
    first_new_row: list[int] = []
    for r in range(grid.nrows):
        first_new_row.append(len(new_ys) - 1)
        bands = bands_by_row.get(r)
        if bands:
            for upper, lower in pairwise(bands):
                bottom = max(line.bottom for _, line in upper)
                top = min(line.top for _, line in lower)
                new_ys.append((bottom + top) / 2)
        new_ys.append(grid.ys[r + 1])
    first_new_row.append(len(new_ys) - 1)
    cells: list[GridCell] = []
    for cell in grid.cells:
        start = first_new_row[cell.row]
        end = first_new_row[cell.row + cell.rowspan]
        bands = bands_by_row.get(cell.row) if cell.rowspan == 1 else None
        if not bands:
            cells.append(
                GridCell(start, cell.col, end - start, cell.colspan, cell.bbox, cell.lines)
            )
            continue
        x0, _, x1, _ = cell.bbox
        for k, band in enumerate(bands):
            lines = [line for owner, line in band if owner is cell]
            cells.append(
                GridCell(
                    start + k,
                    cell.col,
                    1,
                    cell.colspan,
                    (x0, new_ys[start + k], x1, new_ys[start + k + 1]),
                    lines,
                )
            )
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(page=grid.page, xs=grid.xs, ys=new_ys, cells=cells)


def absorb_overflow(grids: Sequence[Grid], lines: Sequence[Line]) -> list[Line]:
    """Text spilling below a grid's bottom rule (a long 绩效目标 in Hunan) is still part of
    the bottom cell it hangs from; return the lines that are not. A line whose pieces hang
    from different cells (北京 预算12表: the 年度绩效目标 and a 三级指标 both cut by the foot
    of the page's frame) is given back piece by piece."""
    rest: list[Line] = []
    ends: dict[int, float] = {}
    for line in lines:
        if _NOTE_START_RE.match(line.compact):
            rest.append(line)
            continue
        owner = _overflow_owner(grids, ends, line)
        if owner is not None:
            _give(owner, line, ends)
            continue
        top = _crossing_top(grids, line)
        if top is not None:
            # A cell's text cut by the frame's top rule (a merged cell going on from the page
            # before, 北京 预算12表) belongs to that cell, not above the table as a caption.
            top.lines.insert(0, line)
            x0, y0, x1, y1 = top.bbox
            top.bbox = (x0, min(y0, line.top), x1, y1)
            continue
        parts = [_segment_line(line, s) for s in line.segments] if len(line.segments) > 1 else []
        owners = [_overflow_owner(grids, ends, part) for part in parts]
        cells = {id(o[1]) for o in owners if o is not None}
        if not parts or None in owners or len(cells) < len(parts):
            rest.append(line)
            continue
        for part, found in zip(parts, owners, strict=True):
            assert found is not None
            _give(found, part, ends)
    return rest


def _overflow_owner(
    grids: Sequence[Grid], ends: dict[int, float], line: Line
) -> tuple[Grid, GridCell] | None:
    """The bottom cell a line below (or across) a grid's bottom rule hangs from."""
    for grid in grids:
        bottom = ends.get(id(grid), grid.ys[-1])
        # A line crossing the bottom rule (北京's wrapped `支出`) cannot be a note.
        crossing = line.top < bottom - 1.0 < bottom < line.bottom
        if not (crossing or -2.0 <= line.top - bottom <= 0.6 * line.size):
            continue
        for cell in grid.cells:
            if cell.row + cell.rowspan != grid.nrows:
                continue
            if not cell.lines:
                # Text straddling the rule under an empty cell is that cell's, cut by the rule
                # (北京 预算12表: a project's first amounts at the foot of the page).
                if not crossing:
                    continue
            # Only wrapped text overflows; a one-line label above a note does not.
            elif len(cell.lines) < 2 and not (
                crossing and abs(cell.lines[-1].x0 - line.x0) <= 0.5 * line.size
            ):
                continue
            x0, _, x1, _ = cell.bbox
            if x0 - 1 <= line.x0 and line.x1 <= x1 + 1:
                return grid, cell
    return None


def _crossing_top(grids: Sequence[Grid], line: Line) -> GridCell | None:
    """The first-row cell whose top rule the line crosses, within that cell's sides."""
    for grid in grids:
        top = grid.ys[0]
        if not line.top < top - 1.0 < top + 1.0 < line.bottom:
            continue
        for cell in grid.cells:
            x0, _, x1, _ = cell.bbox
            if cell.row == 0 and x0 - 1 <= line.x0 and line.x1 <= x1 + 1:
                return cell
    return None


def _give(owner: tuple[Grid, GridCell], line: Line, ends: dict[int, float]) -> None:
    grid, cell = owner
    cell.lines.append(line)
    x0, y0, x1, y1 = cell.bbox
    cell.bbox = (x0, y0, x1, max(y1, line.bottom))
    ends[id(grid)] = line.bottom


def _segment_line(line: Line, seg: Segment) -> Line:
    """One piece of a line, as a line of its own."""
    x0, _, x1, _ = seg.bbox
    chars = tuple(c for c in line.chars if x0 - 0.5 <= c.x0 and c.x1 <= x1 + 0.5)
    return Line((seg,), seg.bbox, line.baseline, line.size, line.bold, chars)
