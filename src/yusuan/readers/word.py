"""Word documents (.docx) → the text reader's lines → `RawDocument`.

Disclosures are published as Word files too, and yusuan writes one. A Word file already says
what a PDF only shows: which blocks are paragraphs, which are tables, where cells merge. The
body is walked in document order (content controls such as a generated 目录 included):
a paragraph becomes one line (a heading when its style or outline level says so), a table
one row line per row with merged cells expanded as the other readers do — the text in the
first position, the positions it covers empty. From those lines on, the text reader finds
captions, 编制部门 / 单位 lines, header rows, the column-number row and continued tables,
so a Word table is typed exactly as the same table in any other format.

Provenance: `SourceInfo.lines` is the document's text, one paragraph or table row a line,
and every place cites its line there; a table cell also names its Word table and cell
(`表格3!B7`: the third table, row 7, column B).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from typing import Any

from yusuan import limits
from yusuan.errors import InputError
from yusuan.readers.ir import RawDocument
from yusuan.readers.markdown.blocks import blocks_to_raw, lines_to_blocks
from yusuan.readers.markdown.lines import BLANK, HEADING, ITEM, ROW, TEXT, Line

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_NUMBERED = re.compile(r"^\d+[.．、]\s*\S")
# `编制部门：XX厅<tab>单位：万元` on one line: the two captions the text reader takes apart.
_META_SPLIT = re.compile(r"\t+|\s{4,}|\u3000{2,}")
_META_WORDS = re.compile(r"编制(?:部门|单位)|填报(?:部门|单位)|单位\s*[:：]|金额单位")
MAX_WORD_TABLES = 10_000


def is_docx(data: bytes) -> bool:
    """A zip holding a Word document (`word/document.xml`)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False


@dataclass(slots=True)
class WordText:
    """The document as the text reader's lines, and where each table row came from."""

    lines: list[Line] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # line n (1-based) is texts[n - 1]
    rows: dict[int, tuple[int, int]] = field(default_factory=dict)  # line → (table, row)
    cells: int = 0  # table cells so far, against `limits.max_cells`


def read_docx_raw(path: Path, name: str | None = None) -> tuple[RawDocument, tuple[str, ...]]:
    """The Word file's RawDocument and its text (one paragraph or table row a line).
    InputError, in Chinese, for a damaged or encrypted file."""
    label = name or str(path)
    body = _body(path, label)
    text = WordText()
    _walk(body, text, [0], limits.current().max_cells)
    raw = blocks_to_raw(lines_to_blocks(text.lines))
    _cell_places(raw, text)
    return raw, tuple(text.texts)


def _body(path: Path, label: str) -> Any:
    from docx import Document as open_document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = open_document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise InputError(
            f"{label} 不是可以打开的 Word 文档（.docx）：文件已损坏或不完整；"
            "请用 Word 或 WPS 打开后另存为 .docx 再读取"
        ) from exc
    except (KeyError, ValueError, OSError, SyntaxError) as exc:  # lxml's errors are SyntaxErrors
        raise InputError(
            f"{label} 是 Word 文档（.docx），但内容已损坏，无法读取（{type(exc).__name__}）；"
            "请用 Word 或 WPS 打开后另存为 .docx 再读取"
        ) from exc
    return document.element.body


def _walk(container: Any, out: WordText, tables: list[int], budget: int) -> None:
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            _paragraph(child, out)
        elif tag == f"{_W}tbl":
            tables[0] += 1
            if tables[0] > MAX_WORD_TABLES:
                raise limits.LimitError(f"Word 文档有超过 {MAX_WORD_TABLES:,} 张表格", "max_cells")
            _table(child, out, tables[0], budget)
        elif tag == f"{_W}sdt":  # a content control: a generated 目录, a cover block
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _walk(content, out, tables, budget)


def _add(out: WordText, line: Line, text: str) -> int:
    out.texts.append(text)
    no = len(out.texts)
    line.no = no
    out.lines.append(line)
    return no


def _paragraph(p: Any, out: WordText) -> None:
    text = _text(p).replace("\xa0", " ")
    stripped = text.strip()
    if not stripped:
        _add(out, Line(0, BLANK, ""), "")
        return
    level = _heading_level(p)
    if level:
        _add(out, Line(0, HEADING, re.sub(r"\s+", " ", stripped), level=level), stripped)
    elif _META_WORDS.search(stripped) and _META_SPLIT.search(stripped):
        for part in _META_SPLIT.split(stripped):
            if part.strip():
                _add(out, Line(0, TEXT, part.strip(), closed=True), part.strip())
    elif _NUMBERED.match(stripped):
        _add(out, Line(0, ITEM, stripped), stripped)
    else:
        _add(out, Line(0, TEXT, re.sub(r"[ \t]+", " ", stripped), closed=True), stripped)
    _add(out, Line(0, BLANK, ""), "")


def _text(el: Any) -> str:
    """The text of a paragraph (or cell): runs, tabs and breaks, fields' shown results."""
    parts: list[str] = []
    for node in el.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}delText", f"{_W}p"):
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag in (f"{_W}tab",):
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}p" and parts and node is not el:
            parts.append("\n")  # a cell's second paragraph
    return "".join(parts)


def _heading_level(p: Any) -> int:
    """1–6 for a heading (by outline level or a Heading/标题/Title style), else 0."""
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        return 0
    outline = ppr.find(f"{_W}outlineLvl")
    if outline is not None:
        value = outline.get(f"{_W}val", "")
        if value.isdigit() and int(value) < 6:
            return int(value) + 1
    style = ppr.find(f"{_W}pStyle")
    if style is None:
        return 0
    name = style.get(f"{_W}val", "")
    m = _HEADING_STYLE.match(name)
    if m:
        return min(max(int(m.group(1)), 1), 6)
    return 1 if name.lower() == "title" else 0


def _bold(el: Any) -> bool:
    """Every run with text is bold (direct formatting)."""
    runs = [r for r in el.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    if not runs:
        return False
    for run in runs:
        rpr = run.find(f"{_W}rPr")
        b = rpr.find(f"{_W}b") if rpr is not None else None
        if b is None or b.get(f"{_W}val", "true") in ("0", "false", "off"):
            return False
    return True


def _table(tbl: Any, out: WordText, number: int, budget: int) -> None:
    """One row line per row; merged cells expanded (text first, covered positions empty)."""
    for r, tr in enumerate(tbl.iterchildren(f"{_W}tr")):
        cells: list[str] = []
        bold: list[bool] = []
        trpr = tr.find(f"{_W}trPr")
        before = _grid_skip(trpr, "gridBefore")
        cells += [""] * before
        bold += [False] * before
        for tc in tr.iterchildren(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span = 1
            continued = False
            if tcpr is not None:
                gs = tcpr.find(f"{_W}gridSpan")
                if gs is not None and gs.get(f"{_W}val", "1").isdigit():
                    span = max(1, min(int(gs.get(f"{_W}val", "1")), limits.current().max_span))
                vm = tcpr.find(f"{_W}vMerge")
                continued = vm is not None and vm.get(f"{_W}val", "continue") == "continue"
            text = "" if continued else re.sub(r"\s+", " ", _text(tc)).strip()
            cells.append(text)
            bold.append(bool(text) and _bold(tc))
            cells += [""] * (span - 1)
            bold += [False] * (span - 1)
        out.cells += len(cells)
        if out.cells > budget:
            raise limits.LimitError("Word 文档中的表格单元格过多", "max_cells")
        no = _add(out, Line(0, ROW, "", cells=cells, bold=bold), "\t".join(cells))
        out.rows[no] = (number, r + 1)
    _add(out, Line(0, BLANK, ""), "")


def _grid_skip(trpr: Any, what: str) -> int:
    if trpr is None:
        return 0
    el = trpr.find(f"{_W}{what}")
    value = el.get(f"{_W}val", "0") if el is not None else "0"
    return min(int(value), 64) if value.isdigit() else 0


def _cell_places(raw: RawDocument, text: WordText) -> None:
    """Each table cell's Loc also names its Word table and cell (`表格3!B7`)."""
    from yusuan.readers.sheet.backend import a1

    for table in raw.tables:
        for row in [*table.header_rows, *table.body_rows]:
            if not row.loc.lines:
                continue
            place = text.rows.get(row.loc.lines[0])
            if place is None:
                continue
            number, r = place
            sheet = f"表格{number}"
            last = a1(r - 1, max(len(row.cells) - 1, 0))
            row.loc = replace(row.loc, sheet=sheet, cell=f"{a1(r - 1, 0)}:{last}")
            row.cells = [
                replace(cell, loc=replace(cell.loc, sheet=sheet, cell=a1(r - 1, c)))
                for c, cell in enumerate(row.cells)
            ]
