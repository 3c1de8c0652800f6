"""One page's lines and grids → reading-order items: table items (grid + caption + notes,
or a caption whose table has no frame on this page) and narrative lines.

Captions are read upwards from a grid: title (`…表`), label (`表1`, `公开01表`,
`预算01表`), `编制部门：…`/`单位名称：…`/`部门：…` and `单位：万元` lines, in any order and
combination on one line. Notes (`注：…`) are read downwards. Page furniture (page numbers,
running headers) is dropped before anything else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from yusuan.readers.captions import (
    EMPTY_NOTE_RE,
    LABEL_RE,
    NOTE_RE,
    ORG_RE,
    TITLE_END_RE,
    UNIT_RE,
    YEAR_RE,
    normalize_label,
)
from yusuan.readers.numbering import is_column_numbers
from yusuan.readers.pdf.grid import AMOUNT_RE
from yusuan.readers.pdf.primitives import Grid, Line
from yusuan.readers.pdf.settings import PdfSettings

PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")
PAGE_NO_RE = re.compile(
    r"^[-—–－·•\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[-—–－·•\s]*$"
)
_TERMINAL = "。；;，,：:！？!?"
QUALIFIER_RE = re.compile(r"^[（(][^（）()。：:]{2,30}[）)]$")


@dataclass(slots=True)
class CaptionParts:
    label: str | None = None
    title: str | None = None
    unit: str | None = None
    org: str | None = None
    year: bool = False
    # A bracketed line under the title (`（按支出功能分类科目-不含上年结转）`, 西安 2021).
    qualifier: str | None = None


@dataclass(slots=True)
class Caption:
    label: str | None = None
    title: str | None = None
    title_line: Line | None = None
    unit: str | None = None
    org: str | None = None
    qualifier: str | None = None
    lines: list[Line] = field(default_factory=list)

    def accepts(self, parts: CaptionParts) -> bool:
        return not (
            (parts.label and self.label)
            or (parts.title and self.title)
            or (parts.unit and self.unit)
            or (parts.org and self.org)
            # Captions are read upwards: a qualifier stands below its title, never above.
            or (parts.qualifier and (self.qualifier or self.title or self.label))
        )

    def add(self, parts: CaptionParts, line: Line) -> None:
        self.label = self.label or parts.label
        self.qualifier = self.qualifier or parts.qualifier
        if parts.title:
            title = parts.title
            if self.qualifier and not title.endswith(("）", ")")):
                title += self.qualifier
            self.title, self.title_line = title, line
        self.unit = self.unit or parts.unit
        self.org = self.org or parts.org
        self.lines.append(line)

    @property
    def empty(self) -> bool:
        return not (self.title or self.label or self.unit or self.org)


@dataclass(slots=True)
class TableItem:
    """A table's appearance on one page: its grid (if framed here), caption and notes."""

    page: int
    grid: Grid | None
    caption: Caption
    notes: list[list[Line]] = field(default_factory=list)
    first_on_page: bool = False

    @property
    def top(self) -> float:
        tops = [ln.top for ln in self.caption.lines]
        if self.grid is not None:
            tops.append(self.grid.ys[0])
        return min(tops)


Item = Line | TableItem


@dataclass(slots=True)
class PageLayout:
    number: int
    width: float
    height: float
    items: list[Item] = field(default_factory=list)


# --- caption lines --------------------------------------------------------------------


def is_title_text(text: str) -> bool:
    """A table title as printed: ends in 表 (optionally with a bracketed qualifier)."""
    return (
        2 <= len(text) <= 60
        and TITLE_END_RE.search(text) is not None
        and not NOTE_RE.match(text)
        and not PART_RE.match(text)
        and "。" not in text
    )


def parse_caption_line(line: Line) -> CaptionParts | None:
    """What caption roles a free line can play, or None when it is not caption-like."""
    text = line.text
    parts = CaptionParts()
    unit = UNIT_RE.search(text)
    if unit:
        parts.unit = unit.group("unit")
        text = text[: unit.start()] + " " + text[unit.end() :]
    org = ORG_RE.search(text)
    if org:
        parts.org = org.group("org").strip()
        text = text[: org.start()] + " " + text[org.end() :]
    text = text.strip()
    label = LABEL_RE.match(text)
    if label:
        parts.label = normalize_label(label.group("label"))
        text = text[label.end() :]
    rest = re.sub(r"\s+", "", text)
    if not rest:
        pass
    elif YEAR_RE.match(rest):
        parts.year = True
    elif is_title_text(rest):
        parts.title = rest
    elif QUALIFIER_RE.match(rest) and not (parts.label or parts.unit or parts.org):
        parts.qualifier = rest
    else:
        return None
    return parts


def _centred_title(line: Line, grid: Grid) -> str | None:
    """A short centred line right above a grid titles it even without 表 (`报表目录`)."""
    text = line.compact
    x0, _, x1, _ = grid.bbox
    if not (2 <= len(text) <= 30) or text[-1] in _TERMINAL or NOTE_RE.match(text):
        return None
    if "：" in text or ":" in text:
        return None  # `部门（单位）：…` lines are no titles
    if abs((line.x0 + line.x1) / 2 - (x0 + x1) / 2) > 0.1 * (x1 - x0):
        return None
    if grid.ys[0] - line.bottom > 2.5 * line.size:
        return None
    return text


# --- furniture ------------------------------------------------------------------------


def _in_margin(line: Line, height: float, settings: PdfSettings) -> str | None:
    if line.bottom <= settings.header_ratio * height:
        return "top"
    if line.top >= (1 - settings.footer_ratio) * height:
        return "bottom"
    return None


def furniture_keys(
    pages: Sequence[tuple[float, Sequence[Line]]], settings: PdfSettings
) -> set[tuple[str, str]]:
    """Margin texts (digits masked) repeated on several pages: running headers/footers."""
    counts: Counter[tuple[str, str]] = Counter()
    for height, lines in pages:
        seen: set[tuple[str, str]] = set()
        for line in lines:
            band = _in_margin(line, height, settings)
            if band and parse_caption_line(line) is None:
                seen.add((band, re.sub(r"\d+", "#", line.compact)))
        counts.update(seen)
    return {key for key, n in counts.items() if n >= settings.repeated_min_pages}


def is_furniture(
    line: Line, height: float, keys: set[tuple[str, str]], settings: PdfSettings
) -> bool:
    band = _in_margin(line, height, settings)
    if band is None:
        return False
    if PAGE_NO_RE.match(line.text):
        return True
    return (band, re.sub(r"\d+", "#", line.compact)) in keys


# --- the page -------------------------------------------------------------------------


def page_to_layout(
    number: int,
    width: float,
    height: float,
    grids: Sequence[Grid],
    lines: Sequence[Line],
    settings: PdfSettings,
) -> PageLayout:
    """Attach captions and notes to grids, find frameless captions, keep the rest as text."""
    stream: list[Line | Grid] = [*lines, *grids]
    stream.sort(key=lambda it: (it.ys[0], it.xs[0]) if isinstance(it, Grid) else (it.top, it.x0))
    used: set[int] = set()
    items: list[Item] = []
    tables: list[tuple[int, TableItem]] = []
    for pos, it in enumerate(stream):
        if isinstance(it, Grid):
            caption = caption_above(stream, pos, used, settings)
            notes = notes_below(stream, pos, used, settings)
            tables.append((pos, TableItem(number, it, caption, notes)))
    for pos, table in orphan_captions(number, stream, used, settings):
        tables.append((pos, table))
    by_pos = dict(tables)
    for pos, it in enumerate(stream):
        if pos in by_pos:
            items.append(by_pos[pos])
        elif isinstance(it, Line) and id(it) not in used:
            items.append(it)
    items.sort(key=lambda item: item.top)
    if items and isinstance(items[0], TableItem):
        items[0].first_on_page = True
    return PageLayout(number, width, height, items)


def _title_head(line: Line, caption: Caption) -> bool:
    """The line is the first half of a title printed on two lines: right above the title
    line, centred on it, as large, no sentence, and the title not yet given its label."""
    below = caption.title_line
    if below is None or caption.label or caption.lines[-1] is not below:
        return False
    text = line.compact
    if not (4 <= len(text) <= 40) or text[-1] in _TERMINAL or "。" in text:
        return False
    if NOTE_RE.match(text) or PART_RE.match(text) or "：" in text or ":" in text:
        return False
    if abs(line.size - below.size) > 0.15 * below.size:
        return False
    if below.top - line.bottom > 1.2 * below.size:
        return False
    mid, below_mid = (line.x0 + line.x1) / 2, (below.x0 + below.x1) / 2
    return abs(mid - below_mid) <= 2 * below.size


def caption_above(
    stream: Sequence[Line | Grid], pos: int, used: set[int], settings: PdfSettings
) -> Caption:
    grid = stream[pos]
    assert isinstance(grid, Grid)
    caption = Caption()
    ref_top = grid.ys[0]
    for k in range(pos - 1, -1, -1):
        line = stream[k]
        if isinstance(line, Grid) or id(line) in used:
            break
        parts = parse_caption_line(line)
        gap = ref_top - line.bottom
        # A `(2026年度)` line is only ever a caption: it may stand further off (烟台 绩效目标表).
        allowed = settings.caption_gap_em + (
            settings.year_caption_extra_em if parts and parts.year else 0
        )
        if gap > allowed * line.size:
            break
        if parts is None and not caption.lines and caption.title is None:
            title = _centred_title(line, grid)
            parts = CaptionParts(title=title) if title else None
        if parts is None and _title_head(line, caption):
            # A title printed on two lines (`…政府采购（资产配置、购买服务）` / `预算表…`).
            assert caption.title is not None and caption.title_line is not None
            caption.title = line.compact + caption.title
            caption.title_line = line
            caption.lines.append(line)
            used.add(id(line))
            ref_top = line.top
            continue
        if parts is None or not caption.accepts(parts):
            break
        caption.add(parts, line)
        used.add(id(line))
        ref_top = line.top
    caption.lines.reverse()
    return caption


def holds_figures(grid: Grid) -> bool:
    """Whether any row of the grid holds an amount (a column-number row `※ 1 2 3` does not)."""
    rows: dict[int, list[str]] = {}
    for cell in grid.cells:
        if cell.text.strip():
            rows.setdefault(cell.row, []).append(cell.text.replace(" ", ""))
    return any(
        any(AMOUNT_RE.match(t) for t in texts) and not is_column_numbers(texts)
        for texts in rows.values()
    )


def _empty_statement(
    stream: Sequence[Line | Grid], start: int, grid: Grid, used: set[int], settings: PdfSettings
) -> list[Line]:
    """The statement printed under an empty table (`…没有使用…的支出，…表为空表。`): one
    paragraph right below the grid, its lines wrapped at the grid's width, that says the
    table is empty. Empty list when there is none."""
    first = stream[start] if start < len(stream) else None
    if not isinstance(first, Line) or id(first) in used:
        return []
    if first.top - grid.ys[-1] > settings.empty_statement_gap_em * first.size:
        return []
    lines = [first]
    right = grid.xs[-1]
    for k in range(start + 1, len(stream)):
        line, last = stream[k], lines[-1]
        if (
            not isinstance(line, Line)
            or id(line) in used
            or last.x1 < right - 2 * last.size  # the paragraph ended on a short line
            or line.top - last.bottom > 0.9 * line.size
            or line.x0 > last.x0 + line.size
            or abs(line.size - last.size) >= 0.15 * line.size
        ):
            break
        lines.append(line)
    text = "".join(ln.compact for ln in lines)
    if NOTE_RE.match(text) or not EMPTY_NOTE_RE.search(text):
        return []
    return lines


def notes_below(
    stream: Sequence[Line | Grid], pos: int, used: set[int], settings: PdfSettings
) -> list[list[Line]]:
    """ "注：…" / "说明：…" paragraphs right below a grid (several may follow each other),
    or the statement that an empty grid is empty."""
    grid = stream[pos]
    assert isinstance(grid, Grid)
    if not holds_figures(grid):
        statement = _empty_statement(stream, pos + 1, grid, used, settings)
        if statement:
            used.update(id(line) for line in statement)
            return [statement]
    notes: list[list[Line]] = []
    ref_bottom = grid.ys[-1]
    for k in range(pos + 1, len(stream)):
        line = stream[k]
        if isinstance(line, Grid) or id(line) in used:
            break
        gap = line.top - ref_bottom
        starts = NOTE_RE.match(line.compact) is not None
        if starts and gap <= settings.note_gap_em * line.size:
            notes.append([line])
        elif (
            notes
            and gap <= 0.9 * line.size
            and line.x0 <= notes[-1][0].x0 + line.size
            and abs(line.size - notes[-1][-1].size) < 0.15 * line.size
        ):
            notes[-1].append(line)
        else:
            break
        used.add(id(line))
        ref_bottom = line.bottom
    return notes


def orphan_captions(
    number: int, stream: Sequence[Line | Grid], used: set[int], settings: PdfSettings
) -> list[tuple[int, TableItem]]:
    """Captions with no frame below them on this page: an empty table printed without a
    frame, or a table whose frame starts on the next page."""
    found: list[tuple[int, TableItem]] = []
    n = len(stream)
    pos = 0
    while pos < n:
        line = stream[pos]
        if isinstance(line, Grid) or id(line) in used:
            pos += 1
            continue
        parts = parse_caption_line(line)
        if parts is None or not parts.title:
            pos += 1
            continue
        caption = Caption()
        caption.add(parts, line)
        start = pos
        # A label-only line right above the title belongs to it ("表9" / title).
        if pos > 0 and isinstance(stream[pos - 1], Line) and id(stream[pos - 1]) not in used:
            above = stream[pos - 1]
            assert isinstance(above, Line)
            above_parts = parse_caption_line(above)
            if (
                above_parts is not None
                and above_parts.label
                and not above_parts.title
                and line.top - above.bottom <= settings.caption_gap_em * line.size
            ):
                caption.add(above_parts, above)
                start = pos - 1
        end = pos + 1
        ref = line
        while end < n and isinstance(stream[end], Line) and id(stream[end]) not in used:
            nxt = stream[end]
            assert isinstance(nxt, Line)
            if nxt.top - ref.bottom > settings.caption_gap_em * nxt.size:
                break
            nparts = parse_caption_line(nxt)
            if nparts is None or nparts.title or not caption.accepts(nparts):
                break
            caption.add(nparts, nxt)
            ref = nxt
            end += 1
        if not (caption.unit or caption.org or caption.label):
            pos += 1
            continue  # a heading that happens to end in 表, not a table caption
        caption.lines.sort(key=lambda ln: ln.top)
        for cap_line in caption.lines:
            used.add(id(cap_line))
        notes: list[Line] = []
        while end < n and isinstance(stream[end], Line) and id(stream[end]) not in used:
            nxt = stream[end]
            assert isinstance(nxt, Line)
            if nxt.top - ref.bottom > settings.note_gap_em * nxt.size:
                break
            if not (NOTE_RE.match(nxt.compact) or EMPTY_NOTE_RE.search(nxt.compact) or notes):
                break
            if notes and (nxt.top - ref.bottom > 0.9 * nxt.size or parse_caption_line(nxt)):
                break
            notes.append(nxt)
            used.add(id(nxt))
            ref = nxt
            end += 1
        found.append((start, TableItem(number, None, caption, [notes] if notes else [])))
        pos = end
    return found
