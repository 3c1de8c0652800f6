"""Characters → printed lines (`chars_to_lines`) and the spacing rules for their text."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from statistics import median

from yusuan.model.provenance import BBox
from yusuan.readers.pdf.primitives import Char, Line, Segment, is_ascii_alnum
from yusuan.readers.pdf.settings import PdfSettings


def chars_to_lines(chars: Sequence[Char], settings: PdfSettings) -> list[Line]:
    """Group chars sharing a baseline into lines, top to bottom."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: (c.baseline, c.x0))
    groups: list[list[Char]] = []
    current = [ordered[0]]
    ref, ref_size = ordered[0].baseline, ordered[0].size
    for ch in ordered[1:]:
        tol = settings.line_baseline_em * max(min(ch.size, ref_size), 1.0)
        if ch.baseline - ref <= tol:
            current.append(ch)
        else:
            groups.append(current)
            current = [ch]
            ref, ref_size = ch.baseline, ch.size
    groups.append(current)
    lines = [chars_to_line(g, settings) for g in groups]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def chars_to_line(chars: Sequence[Char], settings: PdfSettings) -> Line:
    """One line from chars on a common baseline: split into segments at wide gaps."""
    ordered = dedupe_overprint(sorted(chars, key=lambda c: c.x0), settings)
    size = median(c.size for c in ordered) or 1.0
    segments = split_segments(ordered, settings.segment_gap_em * size, settings)
    weighted = [c for c in ordered if c.text.isalnum()] or list(ordered)
    bold = sum(c.bold for c in weighted) >= 0.6 * len(weighted)
    return Line(
        segments=tuple(segments),
        bbox=_bbox_of(ordered),
        baseline=median(c.baseline for c in ordered),
        size=size,
        bold=bold,
        chars=tuple(ordered),
    )


def split_segments(ordered: Sequence[Char], gap: float, settings: PdfSettings) -> list[Segment]:
    """Runs of chars (left to right) separated by more than `gap`."""
    segments: list[Segment] = []
    run: list[Char] = [ordered[0]]
    for prev, ch in pairwise(ordered):
        if ch.x0 - prev.x1 > gap:
            segments.append(_segment(run, settings))
            run = []
        run.append(ch)
    segments.append(_segment(run, settings))
    return segments


def dedupe_overprint(chars: Sequence[Char], settings: PdfSettings) -> list[Char]:
    """Drop glyphs printed twice at (almost) the same place: a common fake-bold trick."""
    out: list[Char] = []
    for ch in chars:
        if out:
            last = out[-1]
            if ch.text == last.text and abs(ch.x0 - last.x0) < settings.duplicate_em * ch.size:
                continue
        out.append(ch)
    return out


def _segment(chars: Sequence[Char], settings: PdfSettings) -> Segment:
    parts: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if (
            prev is not None
            and is_ascii_alnum(prev.text)
            and is_ascii_alnum(ch.text)
            and ch.x0 - prev.x1 > settings.space_gap_em * ch.size
        ):
            parts.append(" ")
        parts.append(ch.text)
        prev = ch
    return Segment("".join(parts), _bbox_of(chars))


def _bbox_of(chars: Sequence[Char]) -> BBox:
    first = chars[0]
    x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    for c in chars:
        if c.x0 < x0:
            x0 = c.x0
        if c.top < top:
            top = c.top
        if c.x1 > x1:
            x1 = c.x1
        if c.bottom > bottom:
            bottom = c.bottom
    return (x0, top, x1, bottom)


def bbox_union(boxes: Sequence[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def round_bbox(box: BBox) -> BBox:
    """Provenance boxes are rounded to 0.01 pt: stable in tests, far below glyph size."""
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))
