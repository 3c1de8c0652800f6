"""Where a figure was read: the link from every value in the model back to its source.

One `Loc` type serves every reader so that findings and reports need not know which
format a document came from: text readers fill `lines`, PDF readers `page` and `bbox`,
spreadsheet readers `sheet` and `cell`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin at the page's top-left (pdfplumber's convention)."""


@dataclass(frozen=True, slots=True)
class Loc:
    """A place in a source document.

    `lines` are 1-based line numbers of the input text (for text input, and for any
    reader that can say which line of its own text rendering a value came from).
    `page` is 1-based. `cell` is an A1 reference. `file` is the path of the file the place
    is in when the document was read from several files (a document set, `yusuan.read_set`);
    None for a document read from one file.
    """

    lines: tuple[int, ...] = ()
    page: int | None = None
    bbox: BBox | None = None
    sheet: str | None = None
    cell: str | None = None
    file: str | None = None

    @staticmethod
    def line(no: int) -> Loc:
        return Loc(lines=(no,))

    @property
    def first_line(self) -> int | None:
        return self.lines[0] if self.lines else None

    def describe(self) -> str:
        """Short Chinese description, e.g. `第 12 行`, `第 3 页`, `Sheet1!B4`."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(file_label(self.file))
        if self.lines:
            parts.append("第 " + "、".join(str(n) for n in self.lines) + " 行")
        if self.page is not None:
            parts.append(f"第 {self.page} 页")
        if self.sheet is not None:
            parts.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
        return "，".join(parts)


def file_label(path: str) -> str:
    """How a report names a file of a document set: its name, without the folder."""
    return f"《{PurePath(path).name}》"


def merge_locs(locs: Iterable[Loc | None]) -> Loc:
    """One Loc covering several: lines are united (sorted); page/sheet kept when shared.

    Places in different files of a document set are not mixed: line and page numbers mean
    something only within their file, so the merged Loc covers the first file's places."""
    present = [loc for loc in locs if loc is not None]
    files = {loc.file for loc in present}
    first_file = next((loc.file for loc in present if loc.file is not None), None)
    if len(files) > 1:
        present = [loc for loc in present if loc.file in (first_file, None)]
    lines: set[int] = set()
    pages: set[int] = set()
    sheets: set[str] = set()
    bboxes: list[BBox] = []
    cells: list[str] = []
    for loc in present:
        lines.update(loc.lines)
        if loc.page is not None:
            pages.add(loc.page)
        if loc.sheet is not None:
            sheets.add(loc.sheet)
        if loc.bbox is not None:
            bboxes.append(loc.bbox)
        if loc.cell is not None:
            cells.append(loc.cell)
    page = next(iter(pages)) if len(pages) == 1 else (min(pages) if pages else None)
    bbox = _union(bboxes) if bboxes and len(pages) <= 1 else None
    sheet = next(iter(sheets)) if len(sheets) == 1 else None
    cell = cells[0] if len(cells) == 1 else None
    if len(cells) > 1 and sheet is not None:
        # Several cells of one sheet: the range covering them, as a box covers PDF cells.
        cell = _a1_union(cells)
    return Loc(
        lines=tuple(sorted(lines)), page=page, bbox=bbox, sheet=sheet, cell=cell, file=first_file
    )


_A1 = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _a1_point(ref: str) -> tuple[int, int] | None:
    m = _A1.match(ref)
    if m is None:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _a1_name(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _a1_union(refs: list[str]) -> str | None:
    """`B7`, `D7`, `B9:C9` → `B7:D9`; None if a reference is not A1 notation."""
    points: list[tuple[int, int]] = []
    for ref in refs:
        for part in ref.split(":"):
            point = _a1_point(part)
            if point is None:
                return None
            points.append(point)
    r0, c0 = min(p[0] for p in points), min(p[1] for p in points)
    r1, c1 = max(p[0] for p in points), max(p[1] for p in points)
    first, last = _a1_name(r0, c0), _a1_name(r1, c1)
    return first if first == last else f"{first}:{last}"


def _union(boxes: list[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What was read: the path, how it was decoded, and (for text) its lines for quoting."""

    path: str
    format: str  # "text", "pdf", "xlsx", ...
    encoding: str | None = None
    lines: tuple[str, ...] = field(default=(), repr=False)
    pages: int | None = None
    blank_pages: tuple[int, ...] = ()  # PDF pages with nothing printed but a page number
    # A document set (several files read as one document): each file as read, in reading
    # order; `path` then lists them and every Loc names its file (`Loc.file`).
    parts: tuple[SourceInfo, ...] = ()

    def part(self, path: str | None) -> SourceInfo:
        """The file a Loc with `file=path` is in (this source itself when not a set)."""
        if path is not None:
            for p in self.parts:
                if p.path == path:
                    return p
        return self

    def line_text(self, no: int) -> str:
        if 1 <= no <= len(self.lines):
            return self.lines[no - 1]
        return ""
