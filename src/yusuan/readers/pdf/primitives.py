"""Plain geometric values the pipeline passes between its steps.

All coordinates are PDF points with the origin at the page's top-left corner (the
convention of `yusuan.model.provenance.BBox`), so boxes can go into a `Loc` unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from yusuan.model.provenance import BBox


class Char(NamedTuple):
    """One printed glyph (whitespace is never kept: spacing is rebuilt from geometry).

    A named tuple rather than a dataclass: pages have thousands of glyphs and tuple
    construction is several times cheaper.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    bold: bool

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Edge:
    """A ruling segment: `pos` is x for a vertical edge, y for a horizontal one."""

    vertical: bool
    pos: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a line without wide gaps."""

    text: str
    bbox: BBox


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: chars sharing a baseline, left to right, split at wide gaps."""

    segments: tuple[Segment, ...]
    bbox: BBox
    baseline: float
    size: float
    bold: bool
    chars: tuple[Char, ...] = field(default=(), repr=False, compare=False)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def compact(self) -> str:
        """The text without any spaces (for pattern matching on letter-spaced captions)."""
        return "".join(s.text for s in self.segments).replace(" ", "")

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def bottom(self) -> float:
        return self.bbox[3]


@dataclass(slots=True)
class GridCell:
    """A (possibly merged) cell of a ruled grid."""

    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_cell_lines(self.lines)

    @property
    def bold(self) -> bool:
        return bool(self.lines) and all(line.bold for line in self.lines)


@dataclass(slots=True)
class Grid:
    """A ruled table region on one page: `ys` row boundaries, `xs` column boundaries."""

    page: int
    xs: list[float]
    ys: list[float]
    cells: list[GridCell]

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def cover_map(self) -> list[list[GridCell]]:
        """For every (row, col) the cell covering it."""
        placeholder = GridCell(-1, -1, 1, 1, (0.0, 0.0, 0.0, 0.0))
        table = [[placeholder] * self.ncols for _ in range(self.nrows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    table[r][c] = cell
        return table


def is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_cell_lines(lines: list[Line]) -> str:
    """Lines inside one cell are one value wrapped by the cell's width: rejoin them.

    Chinese needs no separator; a space is kept only between two ASCII words.
    """
    out = ""
    for line in lines:
        text = "".join(_join_segments(line.segments))
        if out and text and out[-1].isascii() and out[-1].isalpha() and text[0].isalpha():
            out += " "
        out += text
    return out


def _join_segments(segments: tuple[Segment, ...]) -> list[str]:
    # Inside a cell wide gaps are letter-spacing ("合　　计"), not separators, except
    # between two numbers that happen to share a cell.
    parts: list[str] = []
    for seg in segments:
        if (
            parts
            and parts[-1]
            and seg.text
            and is_ascii_alnum(parts[-1][-1])
            and is_ascii_alnum(seg.text[0])
        ):
            parts.append(" ")
        parts.append(seg.text)
    return parts
