"""Sheets → tables and paragraphs of the shared IR (`RawDocument`).

Conventions (the same as the PDF reader's, docs/readers.md):

- A sheet holds one table or several, one under the other: an optional label (`表6`,
  `预算01表`), a title, the 编制部门 / 单位 line, header rows, then the body until a blank gap
  followed by something that is not table rows (the next title, a paragraph), or a note
  (`注：…`), which goes to the table's `notes`. Text outside tables becomes paragraphs.
- Every row has one cell per table column. A merged cell's text is in its top-left position;
  the positions it covers have empty text. Every position of a merged range carries the
  range as its `Loc.cell` (`B4:D4`), so spans can be recovered by comparing locations, as
  with the PDF reader's boxes. Other cells carry their own reference (`Loc.cell == "B7"`).
- Header rows are the leading rows before the first row holding a figure, a code, a total or
  `无`; 栏次 number rows stay in the header. Forms (绩效目标表: `项目名称 | …`) have none.
- Numeric cells are printed with the decimals of their table (the most any figure of the
  table's body has, at most 6) and thousands separators, as a spreadsheet's `#,##0.00`
  shows them; integers in the leading columns (codes stored as numbers) stay bare digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from yusuan.model.provenance import Loc
from yusuan.readers.captions import LABEL, NOTE_RE, ORG_KEYS, TITLE_END_RE, YEAR_RE
from yusuan.readers.ir import RawCell, RawDocument, RawParagraph, RawRow, RawTable
from yusuan.readers.numbering import is_column_numbers
from yusuan.readers.sheet.backend import MergedRange, Sheet, SheetCell, a1, a1_range
from yusuan.text import clean_text

_LABEL_ONLY = re.compile(rf"^[（(]?\s*{LABEL}\s*[）)]?$")
_LABEL_TITLE = re.compile(rf"^[（(]?\s*({LABEL})\s*[）)]?[\s:：、.．-]*(\S.*)$")
_ORG = re.compile(rf"^(?:{ORG_KEYS})\s*[:：]\s*(.*)$")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|千元|元)\s*$")
_NOTE = NOTE_RE
_YEAR_LINE = YEAR_RE
_TITLE_END = TITLE_END_RE
_AMOUNT = re.compile(r"^[-−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_CODE = re.compile(r"^\d{3,}")
_TOTAL = re.compile(
    r"^(?:[一二三四五六七八九十]+、)?(?:本年|本期)?(?:收入|支出)?(?:合计|总计|小计)$"
)
_FORM_KEY = re.compile(r"(?:项目|部门|单位|部门（单位）|单位（项目）)名称$")
_HEADING = (
    (re.compile(r"^第[一二三四五六七八九十]+部分"), 1),
    (re.compile(r"^[一二三四五六七八九十]+、[^。；;]{1,40}$"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）][^。；;]{1,40}$"), 3),
)
_MAX_HEADER_ROWS = 8
_MAX_DECIMALS = 6


@dataclass(slots=True)
class _Row:
    index: int
    cells: list[tuple[int, SheetCell]]  # content cells (top-left of merges), left to right

    @property
    def single_text(self) -> str | None:
        if len(self.cells) == 1 and self.cells[0][1].number is None:
            return self.cells[0][1].text
        return None


@dataclass(slots=True)
class _Open:
    label: str | None
    title: str
    title_loc: Loc
    org: str | None
    unit: str | None
    rows: list[_Row] = field(default_factory=list)
    notes: list[_Row] = field(default_factory=list)


class _SheetReader:
    """One sheet: walks its rows once, emitting paragraphs and tables in order."""

    def __init__(self, sheet: Sheet, doc: RawDocument) -> None:
        self.sheet = sheet
        self.doc = doc
        self.owner: dict[tuple[int, int], MergedRange] = {}
        for rng in sheet.merged:
            r0, c0, r1, c1 = rng
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self.owner[(r, c)] = rng
        self.tables_on_sheet = 0

    # ── cells ───────────────────────────────────────────────────────────────

    def content(self, r: int) -> list[tuple[int, SheetCell]]:
        out = []
        for c, cell in enumerate(self.sheet.rows[r]):
            if cell.empty:
                continue
            rng = self.owner.get((r, c))
            if rng is not None and (rng[0], rng[1]) != (r, c):
                continue  # a covered cell (calamine leaves values there only in odd files)
            out.append((c, cell))
        return out

    def loc(self, r: int, c: int) -> Loc:
        rng = self.owner.get((r, c))
        if rng is not None:
            return Loc(sheet=self.sheet.name, cell=a1_range(*rng))
        return Loc(sheet=self.sheet.name, cell=a1(r, c))

    def span_loc(self, r0: int, c0: int, r1: int, c1: int) -> Loc:
        return Loc(sheet=self.sheet.name, cell=a1_range(r0, c0, r1, c1))

    # ── the walk ────────────────────────────────────────────────────────────

    def read(self) -> None:
        pending: list[_Row] = []
        caption: dict[str, tuple[str, Loc] | None] = {"label": None, "org": None, "unit": None}
        table: _Open | None = None
        gap = False
        for r in range(len(self.sheet.rows)):
            row = _Row(r, self.content(r))
            if not row.cells:
                gap = gap or table is not None
                continue
            kind = self.kind(row)
            if table is not None:
                if kind == "note" or (kind == "single" and _is_sentence(row, table)):
                    table.notes.append(row)
                    continue
                if not table.notes and self.continues(table, row, kind, gap):
                    table.rows.append(row)
                    gap = False
                    continue
                self.emit_table(table)
                table, gap = None, False
            if kind == "label":
                text = _compact(row.cells[0][1].text)
                m = _LABEL_TITLE.match(text)
                if m and not _LABEL_ONLY.match(text):
                    caption["label"] = (_compact(m.group(1)), self.loc(r, row.cells[0][0]))
                    pending.append(_Row(r, [(row.cells[0][0], SheetCell(m.group(2)))]))
                else:
                    caption["label"] = (text, self.loc(r, row.cells[0][0]))
                continue
            if kind == "meta":
                org, unit = _meta(row)
                if org:
                    caption["org"] = (org, self.loc(r, row.cells[0][0]))
                if unit:
                    caption["unit"] = (unit, self.loc(r, row.cells[-1][0]))
                continue
            if kind == "year" and pending:
                continue
            if kind in ("single", "note", "year"):
                pending.append(row)
                continue
            table = self.start_table(pending, caption, row)
            pending = []
            caption = {"label": None, "org": None, "unit": None}
        if table is not None:
            self.emit_table(table)
        for row in pending:
            self.emit_paragraph(row)

    def kind(self, row: _Row) -> str:
        text = row.single_text
        if text is not None:
            compact = _compact(text)
            if _NOTE.match(compact):
                return "note"
            if _LABEL_ONLY.match(compact) or (
                _LABEL_TITLE.match(compact) and _TITLE_END.search(compact)
            ):
                return "label"
            if _YEAR_LINE.match(compact):
                return "year"
        if _meta(row) != (None, None):
            return "meta"
        return "single" if text is not None else "grid"

    def continues(self, table: _Open, row: _Row, kind: str, gap: bool) -> bool:
        """Is `row` more of the open table (rather than what follows it)?"""
        if kind in ("label", "meta", "year"):
            return False
        text = row.single_text
        if text is not None and _TITLE_END.search(_compact(text)) and len(text) >= 4:
            return False  # the next table's title, printed without a blank row
        if not gap:
            return True
        # After blank rows: more rows of the same table (padding rows, a page's worth of
        # space) continue it; a header-like row starts a new, untitled table.
        return kind == "grid" and self.row_kind(row) != "label"

    # ── captions and paragraphs ─────────────────────────────────────────────

    def start_table(
        self,
        pending: list[_Row],
        caption: dict[str, tuple[str, Loc] | None],
        first: _Row,
    ) -> _Open:
        title_at = None
        for i in range(len(pending) - 1, -1, -1):
            text = _compact(pending[i].cells[0][1].text)
            if len(text) <= 60 and _TITLE_END.search(text):
                title_at = i
                break
        if title_at is None and pending:
            text = _compact(pending[-1].cells[0][1].text)
            if len(text) <= 40 and not text.endswith("。"):
                title_at = len(pending) - 1
        header_extra: list[_Row] = []
        if title_at is not None:
            for row in pending[:title_at]:
                self.emit_paragraph(row)
            trailing = pending[title_at + 1 :]
            contiguous = all(b.index == a.index + 1 for a, b in pairwise([*trailing, first]))
            if trailing and contiguous:
                header_extra = trailing
            else:
                for row in trailing:
                    self.emit_paragraph(row)
            title_row = pending[title_at]
            title = _compact(title_row.cells[0][1].text)
            title_loc = self.loc(title_row.index, title_row.cells[0][0])
        else:
            for row in pending:
                self.emit_paragraph(row)
            title, title_loc = "", self.loc(first.index, first.cells[0][0])
        label = caption["label"][0] if caption["label"] else None
        if not title and self.tables_on_sheet == 0:
            # A table without a caption line, alone at the top of its sheet: the sheet's name
            # is its caption (`表6 一般公共预算基本支出情况表`).
            name = _compact(self.sheet.name)
            m = _LABEL_TITLE.match(name)
            if m:
                label, title = label or _compact(m.group(1)), m.group(2)
            elif not _LABEL_ONLY.match(name) and not re.fullmatch(r"Sheet\d*", name):
                title = name
        self.tables_on_sheet += 1
        org = caption["org"][0] if caption["org"] else None
        unit = caption["unit"][0] if caption["unit"] else None
        return _Open(label, title, title_loc, org, unit, rows=[*header_extra, first])

    def emit_paragraph(self, row: _Row) -> None:
        col, cell = row.cells[0]
        loc = self.loc(row.index, col)
        for line in cell.text.split("\n"):
            text = clean_text(line)
            if not text:
                continue
            level = next((lv for pattern, lv in _HEADING if pattern.match(text)), None)
            self.doc.add_paragraph(RawParagraph(text, loc, heading_level=level))

    # ── tables ──────────────────────────────────────────────────────────────

    def row_kind(self, row: _Row) -> str:
        """'data', 'ordinal' (栏次 numbers) or 'label' (header-like), as the PDF reader's."""
        texts = [_compact(_plain(cell)) for _, cell in row.cells]
        if is_column_numbers(texts):
            return "ordinal"
        if texts in (["无"], ["空"], ["-"], ["—"]):
            return "data"
        if any(cell.number is not None for _, cell in row.cells):
            return "data"
        if any(_AMOUNT.match(t) for t in texts) or _CODE.match(texts[0]):
            return "data"
        if _TOTAL.match(texts[0]) and all(_AMOUNT.match(t) for t in texts[1:]):
            return "data"
        return "label"

    def header_count(self, rows: list[_Row]) -> int:
        if _is_form(rows[0], self.owner):
            return 0
        kinds = [self.row_kind(row) for row in rows]
        first = next((i for i, k in enumerate(kinds) if k == "data"), None)
        if first is None:
            # No figures, no 合计 row: a header alone (an empty table) ends with its 栏次 row;
            # a list of names has one header row.
            ordinal = [i for i, k in enumerate(kinds) if k == "ordinal"]
            if ordinal and ordinal[-1] < _MAX_HEADER_ROWS:
                return ordinal[-1] + 1
            return 1 if len(rows) > 1 else len(rows)
        return first if first <= _MAX_HEADER_ROWS else 0

    def emit_table(self, table: _Open) -> None:
        rows = table.rows
        c0 = min(c for row in rows for c, _ in row.cells)
        c1 = max(self.extent(row.index, c)[1] for row in rows for c, _ in row.cells)
        n_header = self.header_count(rows)
        formats = self.number_formats(rows[n_header:], c0, c1, table.unit)
        raw_rows = [
            self.raw_row(row.index, c0, c1, formats if i >= n_header else None)
            for i, row in enumerate(rows)
        ]
        r_last = max(self.extent(row.index, c)[0] for row in rows for c, _ in row.cells)
        raw = RawTable(
            title=table.title,
            title_loc=table.title_loc,
            label=table.label,
            org=table.org,
            unit_text=table.unit,
            header_rows=raw_rows[:n_header],
            body_rows=raw_rows[n_header:],
            pieces=[self.span_loc(rows[0].index, c0, r_last, c1)],
        )
        for note in table.notes:
            col, cell = note.cells[0]
            raw.notes.append(RawParagraph(clean_text(cell.text), self.loc(note.index, col)))
        self.doc.add_table(raw)

    def extent(self, r: int, c: int) -> tuple[int, int]:
        """(last row, last column) a content cell covers."""
        rng = self.owner.get((r, c))
        return (rng[2], rng[3]) if rng is not None else (r, c)

    def number_formats(
        self, body: list[_Row], c0: int, c1: int, unit: str | None
    ) -> dict[int, int | None]:
        """Decimals per column for numeric cells; None for code columns (bare digits)."""
        decimals = 2 if unit in ("万元", "亿元") else 0  # how those tables are always printed
        first_text = c1 + 1
        integral: dict[int, bool] = {}
        for row in body:
            texts = [(c, cell) for c, cell in row.cells if cell.number is None]
            if texts and not _TOTAL.match(_compact(texts[0][1].text)):
                first_text = min(first_text, texts[0][0])
            for c, cell in row.cells:
                if cell.number is None:
                    continue
                d = _decimals(cell.number)
                decimals = max(decimals, d)
                integral[c] = integral.get(c, True) and d == 0 and cell.number >= 0
        # Codes stored as numbers sit left of the first name; amounts right of it.
        return {
            c: None if c < first_text and integral.get(c, True) else decimals
            for c in range(c0, c1 + 1)
        }

    def raw_row(self, r: int, c0: int, c1: int, formats: dict[int, int | None] | None) -> RawRow:
        """One row over the table's columns; `formats` None prints numbers as they are
        (header rows: 栏次 numbers)."""
        cells: list[RawCell] = []
        line = self.sheet.rows[r]
        for c in range(c0, c1 + 1):
            rng = self.owner.get((r, c))
            covered = rng is not None and (rng[0], rng[1]) != (r, c)
            cell = line[c] if c < len(line) else SheetCell()
            if covered:
                text = ""
            elif formats is None:
                text = _plain(cell)
            else:
                text = _format(cell, formats.get(c), pad=c > c0)
            cells.append(RawCell(text, self.loc(r, c)))
        return RawRow(cells, self.span_loc(r, c0, r, c1))


def _is_sentence(row: _Row, table: _Open) -> bool:
    """A statement printed right under a table (`…为空表。`) is a note, not a row."""
    text = row.single_text or ""
    return bool(table.rows) and (text.rstrip().endswith("。") or len(text) > 60)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _plain(cell: SheetCell) -> str:
    if cell.number is None:
        return clean_text(cell.text)
    return _format(cell, None)


def _decimals(number: float) -> int:
    text = f"{round(number, _MAX_DECIMALS):.{_MAX_DECIMALS}f}".rstrip("0")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _format(cell: SheetCell, decimals: int | None, pad: bool = False) -> str:
    """A numeric cell as a spreadsheet shows it: `1,500.00` with the table's decimals; a
    code stored as a number bare, a one-digit 款/项 code with its leading zero back (`01`)."""
    if cell.number is None:
        return clean_text(cell.text)
    if decimals is None:
        if _decimals(cell.number) == 0:
            n = round(cell.number)
            return f"{n:02d}" if pad and 0 <= n < 10 else str(n)
        decimals = _decimals(cell.number)
    return f"{cell.number:,.{decimals}f}"


def _meta(row: _Row) -> tuple[str | None, str | None]:
    """(org, unit) when the row is an 编制部门 / 单位 line, else (None, None)."""
    org = unit = None
    rest = 0
    for _, cell in row.cells:
        if cell.number is not None:
            return None, None
        text = clean_text(cell.text)
        m = _UNIT.search(text)
        if m:
            unit = m.group(1)
            text = text[: m.start()].strip()
        if text:
            m = _ORG.match(text)
            if m and len(text) <= 60:
                org = m.group(1).strip() or org
            elif len(text) > 20:
                return None, None
            else:
                rest += 1
    if org is None and unit is None:
        return None, None
    if rest and org is None:
        return None, None  # `单位：万元` beside other text is a header, not a caption line
    return org, unit


def _is_form(first: _Row, owner: dict[tuple[int, int], MergedRange]) -> bool:
    """绩效目标表 are forms: `项目名称 | <value>` rows, not columns under a header."""
    cells = [cell for _, cell in first.cells]
    if not 2 <= len(cells) <= 4 or cells[0].number is not None:
        return False
    rng = owner.get((first.index, first.cells[0][0]))
    spans_down = rng is not None and rng[2] > rng[0]
    return not spans_down and _FORM_KEY.search(_compact(cells[0].text)) is not None


def sheets_to_document(sheets: list[Sheet]) -> RawDocument:
    doc = RawDocument()
    for sheet in sheets:
        _SheetReader(sheet, doc).read()
    return doc
