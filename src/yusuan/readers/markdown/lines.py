"""Text → classified lines: headings, table rows (tab-separated, HTML, pipe), text, blanks.

The first stage of the text reader. Each function here is pure and works on the whole
list of lines so the later stages never look at raw markup again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from yusuan import limits
from yusuan.text import has_bold, strip_markup

BLANK, HEADING, ROW, TEXT, ITEM = "blank", "heading", "row", "text", "item"

_HEADING = re.compile(r"^\s*(#{1,6})\s*(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]\s+|\d+[.．、]\s*(?=\S))")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass(slots=True)
class Line:
    no: int  # 1-based line number in the input
    kind: str
    text: str  # markup removed (for TEXT / HEADING / ITEM)
    level: int = 0  # heading level
    cells: list[str] = field(default_factory=list)  # raw cell texts for ROW (markup kept)
    bold: list[bool] = field(default_factory=list)
    closed: bool = False  # TEXT that ends its paragraph (an HTML `<p>`): never joined on


def text_to_lines(text: str) -> list[Line]:
    """Classify every line; HTML tables spanning lines become one ROW line per `<tr>`.

    Raises `LimitError` when the table cells exceed `limits.max_cells`.
    """
    raw_lines = text.splitlines()
    out: list[Line] = []
    max_cells = limits.current().max_cells
    cells = 0
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i]
        no = i + 1
        stripped = raw.strip()
        if stripped[:1] == "<" and stripped.lower().startswith("<table"):
            end = _find_table_end(raw_lines, i)
            rows = html_table_to_lines(raw_lines[i : end + 1], no, max_cells - cells)
            cells += sum(len(r.cells) for r in rows)
            out.extend(rows)
            i = end + 1
        else:
            line = _classify(raw, no)
            cells += len(line.cells)
            out.append(line)
            i += 1
        if cells > max_cells:
            raise limits.LimitError("文本中的表格单元格过多", "max_cells")
    return out


def _classify(raw: str, no: int) -> Line:
    stripped = raw.strip()
    if not stripped:
        return Line(no, BLANK, "")
    if "\t" in raw:
        cells = raw.split("\t")
        # No cell is bold unless the line has a bold tag (a tab ends a tag name as the
        # end of a cell does).
        bold = [has_bold(c) for c in cells] if has_bold(raw) else [False] * len(cells)
        return Line(no, ROW, "", cells=cells, bold=bold)
    if stripped.startswith("|") and stripped.count("|") >= 2:
        if _PIPE_SEPARATOR.match(stripped):
            return Line(no, BLANK, "")
        inner = stripped.strip("|")
        cells = [c.strip() for c in inner.split("|")]
        return Line(no, ROW, "", cells=cells, bold=[has_bold(c) or "**" in c for c in cells])
    m = _HEADING.match(raw)
    if m:
        return Line(no, HEADING, _clean_inline(m.group(2)), level=len(m.group(1)))
    if _LIST_ITEM.match(stripped):
        return Line(no, ITEM, _clean_inline(_LIST_ITEM.sub("", stripped, count=1)))
    return Line(no, TEXT, _clean_inline(stripped))


def _clean_inline(text: str) -> str:
    text = strip_markup(text.replace("**", "").replace("__", ""))
    return text.strip()


def _find_table_end(lines: list[str], start: int) -> int:
    depth = 0
    for j in range(start, len(lines)):
        low = lines[j].lower()
        depth += low.count("<table") - low.count("</table")
        if depth <= 0 and "</table" in low:
            return j
    return len(lines) - 1


class _TableParser(HTMLParser):
    """Collects rows of an HTML table with colspan/rowspan expanded into empty cells."""

    def __init__(self, line_offsets: list[int], budget: int) -> None:
        super().__init__(convert_charrefs=True)
        self._budget = budget  # cells this table may still produce
        self.rows: list[tuple[int, list[tuple[str, bool]]]] = []
        self._row: list[tuple[str, bool]] | None = None
        self._row_line = 0
        self._cell: list[str] | None = None
        self._bold = False
        self._colspan = 1
        self._rowspan = 1
        self._spans: dict[int, int] = {}  # column → rows still covered by a rowspan above
        self._line_offsets = line_offsets

    def _line(self) -> int:
        return self.getpos()[0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = []
            self._row_line = self._line()
        elif tag in ("td", "th") and self._row is not None:
            self._fill_spans()
            self._cell = []
            self._bold = tag == "th"
            a = dict(attrs)
            self._colspan = _span(a.get("colspan"), "colspan")
            self._rowspan = _span(a.get("rowspan"), "rowspan")
        elif tag in ("b", "strong") and self._cell is not None:
            self._bold = True
        elif tag in ("br", "p") and self._cell is not None and self._cell:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            text = "".join(self._cell).strip()
            col = len(self._row)
            self._row.append((text, self._bold))
            self._spend(self._colspan)
            if self._rowspan > 1:
                self._spans[col] = self._rowspan - 1
            for extra in range(1, self._colspan):
                self._row.append(("", False))
                if self._rowspan > 1:
                    self._spans[col + extra] = self._rowspan - 1
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._fill_spans()
            self.rows.append((self._row_line, self._row))
            self._row = None

    def _fill_spans(self) -> None:
        assert self._row is not None
        while self._spans.get(len(self._row), 0) > 0:
            col = len(self._row)
            self._spans[col] -= 1
            self._row.append(("", False))
            self._spend(1)

    def _spend(self, cells: int) -> None:
        self._budget -= cells
        if self._budget < 0:
            raise limits.LimitError("文本中的表格单元格过多", "max_cells")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _span(value: str | None, attr: str) -> int:
    """A colspan/rowspan value; 1 when absent or not a number, refused above the limit."""
    try:
        span = max(1, int((value or "1").strip()[:12] or 1))
    except ValueError:
        return 1
    if span > limits.current().max_span:
        raise limits.LimitError(f"HTML 表格中的 {attr}={span}", "max_span")
    return span


def html_table_to_lines(lines: list[str], first_no: int, budget: int | None = None) -> list[Line]:
    parser = _TableParser([], limits.current().max_cells if budget is None else budget)
    parser.feed("\n".join(lines))
    parser.close()
    out: list[Line] = []
    for line_in_block, cells in parser.rows:
        texts = [text for text, _ in cells]
        out.append(
            Line(
                first_no + line_in_block - 1,
                ROW,
                "",
                cells=texts,
                bold=[b for _, b in cells],
            )
        )
    return out
