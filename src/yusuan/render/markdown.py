"""Markdown: the text form the text reader reads (tab-separated rows, `<b>` on bold cells).

It draws the same document blocks as every other format (`layout.document_blocks`): each
table has its `表N` line, its title as a heading, `编制部门：` and `单位：` lines, then its
grid one tab-separated line per row — header rows with the `※ 1 2 3` numbering row, merged
cells printed once in their first position, the positions they cover empty, as the readers
expand them. Narrative paragraphs are printed one per line with blank lines between,
headings as `#` lines. `yusuan.read_text(to_markdown(doc))` gives back the same document
(tests/test_round_trip_matrix.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from yusuan.model.document import Document
from yusuan.render.layout import Grid, TableBlock, TextBlock, document_blocks

__all__ = ["escape", "to_markdown", "write"]

_LIST_START = re.compile(r"^\s*(?:[-*+•]\s|\d+[.．、])")


def write(doc: Document, path: Path) -> None:
    Path(path).write_text(to_markdown(doc), encoding="utf-8")


def to_markdown(doc: Document) -> str:
    out: list[str] = []
    for block in document_blocks(doc):
        out.append(_text(block) if isinstance(block, TextBlock) else _table(block))
    return "\n\n".join(b for b in out if b) + "\n"


# What Markdown (or the HTML inside it) would interpret in document text: written as
# character references, which Markdown viewers show as the character and the text reader
# decodes back (yusuan.text.strip_markup). Control characters are dropped.
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "*": "&#42;",
    "_": "&#95;",
    "`": "&#96;",
    "[": "&#91;",
    "]": "&#93;",
    "\\": "&#92;",
    "|": "&#124;",
}
_SPECIAL = re.compile(r"[&<>*_`\[\]\\|]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """Document text made inert for Markdown: special characters as character references."""
    text = _CONTROL.sub("", text)
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], text) if _SPECIAL.search(text) else text


_BREAKS = re.compile(r"[\t\r\n]+")
_PLAIN = re.compile(r"[^\t\r\n&<>*_`\[\]\\|\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*")


def _clean(text: str) -> str:
    """Document text for a line (or a cell) of its own: one line, no tabs, escaped."""
    if _PLAIN.fullmatch(text):  # most cells: nothing to flatten or escape
        return text.strip()
    return escape(_BREAKS.sub(" ", text).strip())


def _text(block: TextBlock) -> str:
    text = _clean(block.text)
    if block.level:
        return "#" * min(block.level, 6) + " " + text
    if _LIST_START.match(text):
        # A numbered line would lose its number as a Markdown list item: make it the item.
        return "- " + text
    if text.startswith(("#", "|")):
        return "\u3000" + text
    return text


def _table(block: TableBlock) -> str:
    head = [block.label] if block.label else []
    head.append("## " + _clean(block.title))
    head += [_clean(line) for line in (block.subtitle, block.department, block.unit) if line]
    parts = ["\n\n".join(head), "\n".join(_rows(block.grid))]
    parts += [_clean(note) for note in block.notes]
    return "\n\n".join(parts)


def _rows(grid: Grid) -> list[str]:
    """One tab-separated line per grid row; bold cells in `<b>`, covered positions empty."""
    lines = []
    for row in grid.rows():
        texts = [""] * grid.ncols
        for cell in row:
            text = _clean(cell.text)
            texts[cell.col] = f"<b>{text}</b>" if text and (cell.bold or cell.head) else text
        lines.append("\t".join(texts))
    return lines
