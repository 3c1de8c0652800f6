"""Narrative lines → paragraphs (`lines_to_paragraphs`), with headings and line provenance.

Chinese body text marks a new paragraph by a two-character indent; headings are short
lines with an outline number (第一部分 / 一、 / （一） / 1.) or a larger or bold font.
A paragraph broken by a page end continues on the next page when the first line there is
neither indented nor a heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from yusuan.readers.ir import RawParagraph
from yusuan.readers.pdf.primitives import Line
from yusuan.readers.pdf.settings import PdfSettings
from yusuan.readers.pdf.tables import lines_to_paragraph_multi

_LEVEL_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^第[一二三四五六七八九十]+(?:部分|章|篇)"), 1),
    (re.compile(r"^[一二三四五六七八九十]+[、.．]"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 3),
    (re.compile(r"^(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)])"), 4),
)
_END_PUNCT = "。；;！？!?"
# An outline number, a short key, a colon and its value on one line.
_RUN_IN_FIELD = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^：:，,。]{2,10}[：:]\S")
_VERY_SHORT_EM = 6.0


def _centred_pair(a: Line, b: Line, size: float, left: float, right: float) -> bool:
    """Two lines centred on each other and on the text block between `left` and `right`
    (a centred heading and its wrapped rest). Two left-aligned lines of about the same
    length are centred on each other too, but they are two items of a list."""
    middle = (left + right) / 2
    return (
        abs(a.x0 - b.x0) > 0.5 * size
        and abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) < 2 * size
        and all(abs((ln.x0 + ln.x1) / 2 - middle) < 2 * size for ln in (a, b))
    )


def _stacked(a: Line, b: Line, size: float) -> bool:
    """Characters set one under the other (a label written vertically in a table's margin)."""
    return len(a.compact) <= 2 and abs(a.x0 - b.x0) < 0.5 * size


def _outline_start(text: str) -> bool:
    return any(pattern.match(text) for pattern, _ in _LEVEL_PATTERNS)


@dataclass(frozen=True, slots=True)
class PageMetrics:
    """Where body text sits on a page: margins and the usual gap between lines.

    `measured` says the margins were seen: at least two different lines end together
    (justified text wrapped there) at least half a page right of the left margin. A page of
    one-line paragraphs (项目 descriptions: `项目名称：…`, `资金来源：…`) never shows its
    right margin, and when every line on it is indented its left margin is the indent.
    """

    left: float
    right: float
    line_gap: float
    body_size: float
    measured: bool = True
    gap_samples: int = 0  # how many line pairs `line_gap` was measured on
    borrowed: bool = False  # the margins are a neighbouring page's (`document_metrics`)

    @property
    def known(self) -> bool:
        """Whether the margins are known (measured here or on a page like it)."""
        return self.measured or self.borrowed


_LONG = 8  # characters of a line that can show the margins
_FULL_LINES = 2
_HANG_EM = 1.5  # how far a line may hang past the right margin
_GAP_SAMPLES = 3
_INDENT_MAX_EM = 4.0  # a first-line indent is 2 characters, rarely more than 4


def page_metrics(lines: Sequence[Line], body_size: float, width: float) -> PageMetrics:
    long = [ln for ln in lines if len(ln.compact) >= _LONG] or list(lines)
    if not long:
        return PageMetrics(0.0, 0.0, body_size * 0.6, body_size, measured=False)
    left = min(ln.x0 for ln in long)
    # The right margin is where wrapped lines end together; a line may hang past it (a
    # closing `：` or `。` set into the margin), so the rightmost end alone overstates it.
    ends = sorted(long, key=lambda ln: -ln.x1)
    right = ends[0].x1
    measured = False
    for ln in ends:
        if right - ln.x1 > _HANG_EM * body_size:
            break
        together = {o.compact for o in long if abs(o.x1 - ln.x1) <= 0.5 * body_size}
        if len(together) >= _FULL_LINES:
            right, measured = ln.x1, ln.x1 - left >= 0.5 * width
            break
    gaps = [
        b.top - a.bottom
        for a, b in pairwise(lines)
        if 0 <= b.top - a.bottom <= 2.5 * max(a.size, b.size)
    ]
    line_gap = median(gaps) if gaps else body_size * 0.6
    return PageMetrics(left, right, line_gap, body_size, measured, len(gaps))


def document_metrics(
    pages: Sequence[tuple[float, Sequence[Line]]], body_size: float, settings: PdfSettings
) -> list[PageMetrics]:
    """Each page's metrics. A page whose margins were not seen and whose lines all start at
    one place (a page of one-line paragraphs, each indented: `资金来源：…`) takes its left
    margin from the nearest page of the same width where the margins were seen — then its
    lines are indented, as they are; a page that shows its own indents keeps its left
    margin (its text block may differ from its neighbours'). A page with too few lines to
    show the line gap takes that too (a cover: the gap between its two title lines is no
    line gap)."""
    own = [page_metrics(lines, body_size, width) for width, lines in pages]
    out: list[PageMetrics] = []
    for i, m in enumerate(own):
        lines = pages[i][1]
        if m.measured or not any(len(ln.compact) >= _LONG for ln in lines):
            out.append(m)  # measured, or no line of text to measure (a stray glyph or two)
            continue
        width = pages[i][0]
        near = sorted(
            (j for j, o in enumerate(own) if o.measured and abs(pages[j][0] - width) <= 2.0),
            key=lambda j: (abs(j - i), j > i),
        )
        if not near:
            out.append(m)
            continue
        ref = own[near[0]]
        indents = any(
            settings.indent_em * ln.size <= ln.x0 - m.left <= _INDENT_MAX_EM * ln.size
            for ln in lines
        )
        left = m.left if indents else min(m.left, ref.left)
        gap = m.line_gap if m.gap_samples >= _GAP_SAMPLES else ref.line_gap
        out.append(PageMetrics(left, m.right, gap, body_size, False, m.gap_samples, True))
    return out


def heading_level(lines: Sequence[Line], body_size: float, settings: PdfSettings) -> int | None:
    """Outline level of a one- or two-line paragraph that looks like a heading."""
    if len(lines) > 2:
        return None
    text = "".join(ln.compact for ln in lines)
    if not text or len(text) > settings.heading_max_chars or text[-1] in _END_PUNCT + "，,：:":
        return None
    size = max(ln.size for ln in lines)
    big = size >= settings.heading_size_ratio * body_size
    bold = all(ln.bold for ln in lines)
    for pattern, level in _LEVEL_PATTERNS:
        if pattern.match(text):
            if level == 4 and not (big or bold):
                return None
            if level >= 3 and not (big or bold) and _RUN_IN_FIELD.match(text):
                return None  # `（一）项目名称：…`: a field of a list, in body type
            if len(lines) == 2 and not (big or bold):
                return None
            return level
    if big or bold:
        return 1 if size >= 1.3 * body_size else 2
    return None


def indents_paragraphs(
    pages: Sequence[Sequence[Line]],
    metrics: Sequence[PageMetrics],
    body_size: float,
    settings: PdfSettings,
) -> bool:
    """Whether the document starts its paragraphs with an indent: the body line after a
    clearly finished one (a sentence end well before the right margin) is indented on
    nearly every such occasion. Then a page that opens at the margin continues the
    paragraph the previous page ended, even on a sentence end."""
    seen = indented = 0
    for lines, m in zip(pages, metrics, strict=True):
        for a, b in pairwise(lines):
            size = max(a.size, b.size)
            if (
                abs(a.size - b.size) > 0.15 * size
                or not 0 <= b.top - a.bottom <= 2.5 * size
                or a.compact[-1:] not in _END_PUNCT
                or m.right - a.x1 <= settings.short_line_em * a.size
                or b.bold
                or b.size >= settings.heading_size_ratio * body_size
                or _outline_start(b.compact)
            ):
                continue
            seen += 1
            indented += b.x0 - m.left >= settings.indent_em * b.size
    return seen >= _INDENT_SAMPLES and indented >= _INDENT_SHARE * seen


_INDENT_SAMPLES = 5
_INDENT_SHARE = 0.8


@dataclass(slots=True)
class ParagraphBuilder:
    """Accumulates lines (page by page) and emits paragraphs."""

    settings: PdfSettings
    body_size: float
    # The document indents its paragraphs (`indents_paragraphs`).
    indented: bool = False
    _lines: list[tuple[int, Line]] = field(default_factory=list)
    _metrics: PageMetrics | None = None
    _prev_metrics: PageMetrics | None = None

    def start_page(self, metrics: PageMetrics) -> None:
        self._prev_metrics = self._metrics
        self._metrics = metrics

    def add(self, page: int, line: Line) -> RawParagraph | None:
        """Add a line; returns the paragraph it closed, if any."""
        closed = None
        if self._lines and self._breaks_before(page, line):
            closed = self.flush()
        self._lines.append((page, line))
        return closed

    def flush(self) -> RawParagraph | None:
        if not self._lines:
            return None
        lines = [ln for _, ln in self._lines]
        level = heading_level(lines, self.body_size, self.settings)
        paragraph = lines_to_paragraph_multi(self._lines, level)
        self._lines = []
        return paragraph

    def _breaks_before(self, page: int, line: Line) -> bool:
        s = self.settings
        m = self._metrics
        assert m is not None
        prev_page, prev = self._lines[-1]
        size = max(line.size, prev.size)
        gap = line.top - prev.bottom if prev_page == page else 0.0
        if abs(line.size - prev.size) > 0.15 * size:
            return True
        if self._is_heading_line(prev) or self._is_heading_line(line):
            # A long heading wrapped onto a second line ("…决算情况" / "说明") stays whole;
            # only a heading that filled its line can have wrapped.
            wrapped = (
                prev_page == page
                and len(self._lines) == 1
                and line.bold == prev.bold
                and not _outline_start(line.compact)
                and gap <= m.line_gap + 0.5 * size
                and (
                    prev.x1 >= m.right - 3 * size
                    or _centred_pair(prev, line, size, m.left, m.right)
                    or _stacked(prev, line, size)
                )
            )
            return not wrapped
        if line.x0 - m.left >= s.indent_em * line.size:
            return True
        prev_m = m if prev_page == page else (self._prev_metrics or m)
        room = prev_m.right - prev.x1
        ended = prev.compact[-1:] in _END_PUNCT + "：:"
        # Ragged right edges are normal (a number or "（项）" that does not fit moves down
        # whole), so only a clearly short line or a finished sentence ends a paragraph —
        # and a line the next one's first word would not have fitted on was full (unless
        # that word numbers a new item: `25.`).
        fitted = _outline_start(line.compact) or room > first_word_width(line) + 0.5 * prev.size
        if room > s.short_line_em * prev.size and ended and fitted:
            return True
        if room > _VERY_SHORT_EM * prev.size:
            return True
        if prev_page != page:
            # A page opening at the margin of a document that indents its paragraphs
            # continues the last one (ended on a full line: `…下降9.09%。` | `主要原因是…`).
            return ended and not (self.indented and m.known)
        return gap > m.line_gap + (s.paragraph_gap_ratio - 1.0) * size

    def _is_heading_line(self, line: Line) -> bool:
        # A full-width line starting with "一、" is the first line of a paragraph, not a
        # heading, unless its font says otherwise.
        m = self._metrics
        short = m is None or line.x1 < m.right - 2 * line.size
        big = line.size >= self.settings.heading_size_ratio * self.body_size
        if not (short or big):
            return False  # a bold run-in lead ("1.行政运行（项）。年初…") is not a heading
        return heading_level([line], self.body_size, self.settings) is not None


_OPENING = "《“‘（(〈【[「『〔"
_WORD_CHARS = frozenset("0123456789.,%-/")


def first_word_width(line: Line) -> float:
    """Width of what a line break cannot split at the start of `line`: an opening bracket
    or quote with the character after it (`《印`), or a run of digits and Latin letters
    (`2,862.54`); else one character."""
    chars = line.chars
    if not chars:
        return 0.0
    k = 0
    while k < len(chars) - 1 and chars[k].text in _OPENING:
        k += 1
    if chars[k].text.isascii() and (chars[k].text.isalnum() or chars[k].text in _WORD_CHARS):
        while (
            k + 1 < len(chars)
            and chars[k + 1].text.isascii()
            and (chars[k + 1].text.isalnum() or chars[k + 1].text in _WORD_CHARS)
        ):
            k += 1
    return chars[k].x1 - chars[0].x0


def body_font_size(lines: Sequence[Line]) -> float:
    sizes: list[float] = []
    for line in lines:
        sizes.extend([line.size] * len(line.compact))
    return median(sizes) if sizes else 10.0
