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
_VERY_SHORT_EM = 6.0


def _centred_pair(a: Line, b: Line, size: float) -> bool:
    return abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) < 2 * size


def _outline_start(text: str) -> bool:
    return any(pattern.match(text) for pattern, _ in _LEVEL_PATTERNS)


@dataclass(frozen=True, slots=True)
class PageMetrics:
    """Where body text sits on a page: margins and the usual gap between lines."""

    left: float
    right: float
    line_gap: float
    body_size: float


def page_metrics(lines: Sequence[Line], body_size: float) -> PageMetrics:
    long = [ln for ln in lines if len(ln.compact) >= 8] or list(lines)
    if not long:
        return PageMetrics(0.0, 0.0, body_size * 0.6, body_size)
    left = min(ln.x0 for ln in long)
    right = max(ln.x1 for ln in long)
    gaps = [
        b.top - a.bottom
        for a, b in pairwise(lines)
        if 0 <= b.top - a.bottom <= 2.5 * max(a.size, b.size)
    ]
    line_gap = median(gaps) if gaps else body_size * 0.6
    return PageMetrics(left, right, line_gap, body_size)


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
            if len(lines) == 2 and not (big or bold):
                return None
            return level
    if big or bold:
        return 1 if size >= 1.3 * body_size else 2
    return None


@dataclass(slots=True)
class ParagraphBuilder:
    """Accumulates lines (page by page) and emits paragraphs."""

    settings: PdfSettings
    body_size: float
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
                and (prev.x1 >= m.right - 3 * size or _centred_pair(prev, line, size))
            )
            return not wrapped
        if line.x0 - m.left >= s.indent_em * line.size:
            return True
        prev_m = m if prev_page == page else (self._prev_metrics or m)
        room = prev_m.right - prev.x1
        ended = prev.compact[-1:] in _END_PUNCT + "：:"
        # Ragged right edges are normal (a number or "（项）" that does not fit moves down
        # whole), so only a clearly short line or a finished sentence ends a paragraph.
        if room > s.short_line_em * prev.size and ended:
            return True
        if room > _VERY_SHORT_EM * prev.size:
            return True
        if prev_page != page:
            return ended
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


def body_font_size(lines: Sequence[Line]) -> float:
    sizes: list[float] = []
    for line in lines:
        sizes.extend([line.size] * len(line.compact))
    return median(sizes) if sizes else 10.0
