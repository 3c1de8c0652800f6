"""Classified lines → blocks (paragraphs, row blocks) → RawDocument (tables with titles).

A table is a block of rows; its title is the nearest title-like line above it since the
previous table. A row block preceded only by 编制部门 / 单位 lines continues the previous
table (a page break in the PDF the text came from); its repeated header rows are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yusuan.limits import checkpoint
from yusuan.model.provenance import Loc
from yusuan.readers.captions import LABEL, NOTE_RE
from yusuan.readers.ir import RawCell, RawDocument, RawParagraph, RawRow, RawTable
from yusuan.readers.markdown.lines import BLANK, HEADING, ITEM, ROW, TEXT, Line
from yusuan.readers.numbering import is_column_numbers
from yusuan.text import clean_text, normalize_name

_META = re.compile(
    r"^\s*(?:编制(?:部门|单位)|填报(?:部门|单位)|部门名称|单位名称|预算单位|金额单位|单位)\s*[:：]"
    r"|^\s*[（(]\s*\d{4}\s*年?\s*[)）]\s*$"
    r"|^\s*(?:单位|金额单位)\s*[:：]?\s*(?:万元|元|亿元)\s*$"
)
_LABEL_ONLY = re.compile(rf"^\s*[（(]?\s*{LABEL}\s*[）)]?\s*$")
_LABEL_PREFIX = re.compile(rf"^\s*[（(]?\s*({LABEL})\s*[）)]?\s*[:：.．、]?\s*")
_UNIT = re.compile(r"(?:单位|金额单位)\s*[:：]?\s*(万元|元|亿元)")
_ORG = re.compile(r"(?:编制(?:部门|单位)|填报(?:部门|单位)|部门名称|单位名称)\s*[:：]\s*(.*)")
_TERMINAL = tuple("。！？；：!?;:")
_ORDINAL_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十]+部分)"
)
_FIELD_START = re.compile(r"^[^，,。：:；]{2,14}[：:]")
_MONEY = re.compile(r"\d\s*(?:万元|元|亿元)")
_AMOUNT_CELL = re.compile(r"-?[\d,]+\.\d+|-?\d{1,3}(,\d{3})+")
_CODE_CELL = re.compile(r"\d{3}(\s*\d{2}){0,2}|\d{5}|\d{7}")


@dataclass(slots=True)
class RowBlock:
    rows: list[RawRow]
    start: int


@dataclass(slots=True)
class ParaBlock:
    para: RawParagraph
    kind: str  # heading / text / item
    lines: list[int] = field(default_factory=list)


Block = RowBlock | ParaBlock


def lines_to_blocks(lines: list[Line]) -> list[Block]:
    """Group rows into row blocks (blank lines inside a block allowed) and join wrapped text."""
    blocks: list[Block] = []
    i = 0
    n = len(lines)
    while i < n:
        checkpoint()
        line = lines[i]
        if line.kind == BLANK:
            i += 1
            continue
        if line.kind == ROW:
            rows: list[RawRow] = []
            j = i
            while j < n:
                if lines[j].kind == ROW:
                    rows.append(_line_to_row(lines[j]))
                    j += 1
                elif lines[j].kind == BLANK:
                    k = j
                    while k < n and lines[k].kind == BLANK:
                        k += 1
                    if k < n and lines[k].kind == ROW:
                        j = k
                    else:
                        break
                else:
                    break
            blocks.append(RowBlock(rows, line.no))
            i = j
            continue
        if line.kind == HEADING:
            para = RawParagraph(line.text, Loc.line(line.no), heading_level=line.level)
            blocks.append(ParaBlock(para, HEADING, [line.no]))
            i += 1
            continue
        # Text or list item: join continuation lines cut by page breaks of the source PDF.
        # The joined text is built from a list (repeated `+=` is quadratic over 10⁶
        # wrapped lines); the continuation test needs only its head, tail and length.
        parts = [line.text]
        length = len(line.text)
        head = line.text[:_HEAD]
        tail = line.text
        nos = [line.no]
        segments = [(0, Loc.line(line.no))]
        j = i + 1
        while (
            line.kind == TEXT and not line.closed and _wants_continuation_parts(head, tail, length)
        ):
            k = j
            while k < n and lines[k].kind == BLANK:
                k += 1
            if k < n and lines[k].kind == TEXT and _can_continue(lines[k].text):
                more = lines[k].text
                segments.append((length, Loc.line(lines[k].no)))
                parts.append(more)
                length += len(more)
                if len(head) < _HEAD:
                    head = (head + more)[:_HEAD]
                tail = more or tail
                nos.append(lines[k].no)
                j = k + 1
            else:
                break
        text = "".join(parts)
        kind = ITEM if line.kind == ITEM else (HEADING if _looks_like_heading(text) else TEXT)
        para = RawParagraph(
            text,
            # One line (most paragraphs): its Loc is the line's, shared (Locs are frozen).
            segments[0][1] if len(nos) == 1 else Loc(lines=tuple(nos)),
            heading_level=9 if kind == HEADING else None,
            segments=tuple(segments),
        )
        blocks.append(ParaBlock(para, kind, nos))
        i = j
    return blocks


_NEEDS_CLEANING = re.compile(r"[<&\u3000\xa0 \r\f\v]")


def _line_to_row(line: Line) -> RawRow:
    loc = Loc.line(line.no)
    # Half the cells of a converted table are empty: they share one cell object (cells are
    # never modified after reading), which halves the allocations of the slowest stage.
    empty = RawCell("", loc)
    texts = line.cells
    bold = line.bold
    if len(bold) < len(texts):
        bold = bold + [False] * (len(texts) - len(bold))
    # Most rows hold no markup and no spaces: their cells are used as they are. The pattern
    # is one character class, so the row's cells are searched joined at once.
    if _NEEDS_CLEANING.search("\t".join(texts)):
        cells = [
            RawCell(clean_text(text), loc, b) if text else empty
            for text, b in zip(texts, bold, strict=False)
        ]
    else:
        cells = [
            RawCell(text, loc, b) if text else empty for text, b in zip(texts, bold, strict=False)
        ]
    return RawRow(cells, loc)


_HEAD = 64  # longer than any _META match: the head of a text decides as the whole would


def _wants_continuation_parts(head: str, tail: str, length: int) -> bool:
    """Whether a text that does not end a sentence goes on in the next line. The text is
    given by its first characters, its last non-empty part and its length."""
    if not length or tail.endswith(_TERMINAL) or _META.match(head):
        return False
    last = tail[-1]
    return "\u3400" <= last <= "\u9fff" or last.isdigit() or last in "、，,（(《〈“"


def _can_continue(text: str) -> bool:
    return not (_ORDINAL_START.match(text) or _FIELD_START.match(text) or _META.match(text))


def _looks_like_heading(text: str) -> bool:
    """An unmarked heading: short, numbered, no sentence end, no amount, no field colon."""
    if len(text) > 48 or text.endswith("。") or _MONEY.search(text):
        return False
    if "：" in text.rstrip("：") or ":" in text.rstrip(":"):
        return False
    return bool(_ORDINAL_START.match(text))


def is_meta(text: str) -> bool:
    return bool(_META.match(text)) or bool(_LABEL_ONLY.match(text))


def _holds_figure(row: RawRow) -> bool:
    """A row with an amount in it (a column-number row `※ 1 2 3` has none)."""
    if _is_numbering(row):
        return False
    return any(_FIGURE.fullmatch(c.text.strip()) for c in row.cells if c.text.strip())


_FIGURE = re.compile(r"-?[\d,]+(?:\.\d+)?%?")


def _is_header_row(row: RawRow) -> bool:
    """Header rows carry no amounts and no codes; ※ / 栏次 numbering rows are headers."""
    texts = [c.text for c in row.cells if c.text]
    if not texts:
        return True
    if any("※" in t or t in ("栏次", "行次") for t in texts) or is_column_numbers(texts):
        return True
    for t in texts:
        if _AMOUNT_CELL.fullmatch(t):
            return False
        if _CODE_CELL.fullmatch(t):
            return False
    return True


def _split_header(rows: list[RawRow]) -> tuple[list[RawRow], list[RawRow]]:
    k = 0
    while k < len(rows) and _is_header_row(rows[k]):
        k += 1
    # A table that marks its header bold (as yusuan writes it) ends the header at the
    # first row that is not (a column-number row `※ 1 2 3` is header, bold or not): a list
    # of names or a form holds no figure to show where.
    if rows and _all_bold(rows[0]):
        first_plain = next(
            (i for i, r in enumerate(rows) if not _all_bold(r) and not _is_numbering(r)),
            len(rows),
        )
        k = min(k, first_plain)
    return rows[:k], rows[k:]


def _all_bold(row: RawRow) -> bool:
    cells = [c for c in row.cells if c.text]
    return bool(cells) and all(c.bold for c in cells)


def _row_key(row: RawRow) -> str:
    return "|".join(normalize_name(c.text) for c in row.cells if c.text)


def blocks_to_raw(blocks: list[Block]) -> RawDocument:
    """Find tables (title, label, unit, org, header, body, notes) and the narrative."""
    doc = RawDocument()
    pending: list[ParaBlock] = []  # paragraphs since the last table block
    current: RawTable | None = None
    header_keys: set[str] = set()

    def flush_pending(upto: int) -> None:
        for pb in pending[:upto]:
            doc.add_paragraph(pb.para)

    for block in blocks:
        if isinstance(block, ParaBlock):
            # Right after a table (or its notes): a `注：` / `说明：` paragraph is its note, as
            # the PDF reader reads one under a grid; so is the statement that an empty table
            # is empty (…为空表。, …没有使用…的支出，故本表无数据。).
            if (
                current is not None
                and not pending
                and block.kind == TEXT
                and (
                    NOTE_RE.match(block.para.text) is not None
                    or (
                        not any(_holds_figure(r) for r in current.body_rows)
                        and any(w in block.para.text for w in ("空表", "没有", "无数据"))
                    )
                )
            ):
                current.notes.append(block.para)
                continue
            pending.append(block)
            continue
        title_idx = _title_index(pending)
        only_meta = all(is_meta(pb.para.text) for pb in pending)
        if only_meta and current is not None:
            # Continuation page: only 编制部门 / 单位 lines (or nothing) since the last rows.
            _absorb_meta(current, pending)
            flush_pending(0)
            pending.clear()
            rows = block.rows
            k = 0
            while k < len(rows) and (_row_key(rows[k]) in header_keys or _is_numbering(rows[k])):
                k += 1
            current.body_rows.extend(rows[k:])
            current.pieces.append(_rows_loc(rows))
            continue
        # A new table.
        title_pb = pending[title_idx] if title_idx is not None else None
        flush_pending(title_idx if title_idx is not None else len(pending))
        title_text = title_pb.para.text if title_pb else ""
        label, title = _split_label(title_text)
        if title_idx is not None:
            label = label or _label_before(pending, title_idx)
        table = RawTable(
            title=title,
            title_loc=title_pb.para.loc if title_pb else block.rows[0].loc,
            label=label,
        )
        _absorb_meta(table, pending[(title_idx or 0) :])
        header, body = _split_header(block.rows)
        table.header_rows = header
        table.body_rows = body
        table.pieces.append(_rows_loc(block.rows))
        header_keys = {_row_key(r) for r in header if not r.is_blank()}
        doc.add_table(table)
        current = table
        pending.clear()
    flush_pending(len(pending))
    return doc


def _is_numbering(row: RawRow) -> bool:
    return any("※" in c.text for c in row.cells) or is_column_numbers(row.texts())


def _rows_loc(rows: list[RawRow]) -> Loc:
    nos = [n for r in rows for n in r.loc.lines]
    return Loc(lines=(min(nos), max(nos))) if nos else Loc()


def _title_index(pending: list[ParaBlock]) -> int | None:
    """The nearest title-like paragraph above a row block (not a 编制部门/单位/表N line)."""
    for idx in range(len(pending) - 1, -1, -1):
        text = pending[idx].para.text
        if is_meta(text):
            continue
        if len(text) > 60 or text.endswith("。"):
            return None
        return idx
    return None


def _split_label(text: str) -> tuple[str | None, str]:
    m = _LABEL_PREFIX.match(text)
    if m and m.end() < len(text):
        return re.sub(r"\s+", "", m.group(1)), text[m.end() :].strip()
    return None, text.strip()


def _label_before(pending: list[ParaBlock], title_idx: int) -> str | None:
    for idx in range(title_idx - 1, max(-1, title_idx - 3), -1):
        text = pending[idx].para.text
        if _LABEL_ONLY.match(text):
            return re.sub(r"\s+", "", text)
    return None


def _absorb_meta(table: RawTable, paras: list[ParaBlock]) -> None:
    for pb in paras:
        text = pb.para.text
        m = _UNIT.search(text)
        if m and table.unit_text is None:
            table.unit_text = m.group(1)
        m2 = _ORG.match(text)
        if m2 and table.org is None:
            table.org = m2.group(1).strip()
