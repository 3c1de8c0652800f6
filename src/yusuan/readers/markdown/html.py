"""An HTML page (yusuan's own, or a disclosure published as a web page) → classified lines.

The text reader reads converter output line by line; a web page puts its structure in
elements instead: `<h1>`…`<h6>` are headings, `<p>`, `<div>`, `<li>` end their paragraph,
tables are tables wherever their tags fall. This front end turns the page into the text
reader's lines (`lines.Line`) so that everything after it — tables, captions, narrative —
is the text reader's. Line numbers are the page's, so findings cite the page's lines.
`<head>`, scripts, styles and navigation (a page's list of links repeats the table titles)
are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from yusuan import limits
from yusuan.readers.markdown.lines import BLANK, HEADING, ITEM, TEXT, Line, html_table_to_lines

_DOCUMENT = re.compile(r"^\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_BLOCKS = frozenset(
    {"p", "div", "li", "section", "article", "header", "footer", "main", "body", "br", "dd", "dt"}
    | {"blockquote", "pre", "center", "caption", "figure", "figcaption", "ul", "ol", "dl"}
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_SKIPPED = frozenset({"head", "script", "style", "nav", "template", "noscript"})
_NUMBERED = re.compile(r"^\d+[.．、]\s*\S")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def is_html_page(text: str) -> bool:
    """Whether a text is a whole HTML page (not converter text with an inline table)."""
    return bool(_DOCUMENT.match(text[:4096]))


def html_to_lines(text: str) -> list[Line]:
    """The page's headings, paragraphs and table rows as the text reader's lines."""
    parser = _PageParser(text)
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.lines


class _PageParser(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        # HTMLParser counts lines by "\n" alone: the offsets of its lines, to cut tables out.
        self._text_all = text
        self._offsets = [0, *(m.end() for m in re.finditer("\n", text))]
        self.lines: list[Line] = []
        self._text: list[str] = []
        self._text_line = 0
        self._level = 0  # heading level of the open heading element
        self._skip = 0  # depth inside skipped elements
        self._table_depth = 0
        self._table_start = (0, 0)
        self._cells = 0

    # A table is handed whole to the text reader's table parser (spans, bold, limits).
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip or tag in _SKIPPED:
            self._skip += tag in _SKIPPED
            return
        if tag == "table":
            if self._table_depth == 0:
                self.flush()
                self._table_start = self.getpos()
            self._table_depth += 1
            return
        if self._table_depth:
            return
        if tag in _HEADINGS or tag in _BLOCKS:
            self.flush()
            self._level = _HEADINGS.get(tag, 0)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self._skip and not self._table_depth:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= tag in _SKIPPED
            return
        if tag == "table" and self._table_depth:
            self._table_depth -= 1
            if self._table_depth == 0:
                self._table(self.getpos())
            return
        if self._table_depth:
            return
        if tag in _HEADINGS or tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self._skip or self._table_depth:
            return
        if not self._text:
            if not data.strip():
                return
            self._text_line = self.getpos()[0]
        self._text.append(data)

    def flush(self) -> None:
        """End the open paragraph or heading: one line, then a blank one."""
        text = _SPACES.sub(" ", "".join(self._text)).strip().replace("\xa0", " ")
        self._text = []
        level, self._level = self._level, 0
        if not text:
            return
        no = self._text_line
        if level:
            self.lines.append(Line(no, HEADING, text, level=level))
        elif _NUMBERED.match(text):
            # `1、新疆…`: an item of a list, as the text reader takes a numbered line.
            self.lines.append(Line(no, ITEM, text))
        else:
            self.lines.append(Line(no, TEXT, text, closed=True))
        self.lines.append(Line(no, BLANK, ""))

    def _table(self, end: tuple[int, int]) -> None:
        (l0, c0), (l1, c1) = self._table_start, end
        start = self._offsets[l0 - 1] + c0
        stop = self._text_all.find(">", self._offsets[l1 - 1] + c1) + 1
        whole = self._text_all[start : stop or None]
        budget = limits.current().max_cells - self._cells
        rows = html_table_to_lines(whole.split("\n"), l0, budget)
        self._cells += sum(len(r.cells) for r in rows)
        self.lines.extend(rows)
        self.lines.append(Line(l1, BLANK, ""))
