"""The intermediate representation every reader produces.

Readers own the quirks of their format (tabs and `<b>` tags, PDF word positions, merged
spreadsheet cells) and stop at this level: tables as rows of cell texts with their places,
narrative as paragraphs. One shared assembler (`yusuan.readers.assemble`) turns a
`RawDocument` into the typed `Document` using a template profile, so typing, code parsing,
numbers and the narrative grammar are written once for all formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yusuan.model.provenance import Loc, merge_locs


@dataclass(slots=True)
class RawCell:
    text: str
    loc: Loc
    bold: bool = False


@dataclass(slots=True)
class RawRow:
    cells: list[RawCell]
    loc: Loc

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def is_blank(self) -> bool:
        return all(not c.text.strip() for c in self.cells)


@dataclass(slots=True)
class RawParagraph:
    """A paragraph (or heading) of running text.

    `segments` map character offsets in `text` to where that stretch was read: a paragraph
    from a PDF spans several printed lines; text input usually has one segment.
    """

    text: str
    loc: Loc
    heading_level: int | None = None
    segments: tuple[tuple[int, Loc], ...] = ()

    def loc_at(self, offset: int) -> Loc:
        """Where the character at `offset` was read (falls back to the paragraph's Loc)."""
        best = self.loc
        for start, loc in self.segments:
            if start <= offset:
                best = loc
            else:
                break
        return best

    def loc_span(self, start: int, end: int) -> Loc:
        if len(self.segments) <= 1:
            return self.loc
        locs = [self.loc_at(start)]
        for seg_start, loc in self.segments:
            if start < seg_start < end:
                locs.append(loc)
        return merge_locs(locs)


@dataclass(slots=True)
class RawTable:
    """One printed table, its continuation pages merged, repeated headers dropped."""

    title: str
    title_loc: Loc
    label: str | None = None  # as printed before/with the title: "表 1", "公开01表", "预算01表"
    org: str | None = None  # 编制部门 / 单位名称 line, as printed
    unit_text: str | None = None  # "万元", "元"
    header_rows: list[RawRow] = field(default_factory=list)
    body_rows: list[RawRow] = field(default_factory=list)
    notes: list[RawParagraph] = field(default_factory=list)  # e.g. "…为空表。"
    pieces: list[Loc] = field(default_factory=list)  # one Loc per physical page/segment

    @property
    def loc(self) -> Loc:
        return merge_locs([self.title_loc, *self.pieces])


@dataclass(frozen=True, slots=True)
class RawParagraphPlace:
    paragraph: int  # index into RawDocument.paragraphs

    def shifted(self, tables: int, paragraphs: int) -> RawParagraphPlace:
        return RawParagraphPlace(self.paragraph + paragraphs)


@dataclass(frozen=True, slots=True)
class RawTablePlace:
    table: int  # index into RawDocument.tables

    def shifted(self, tables: int, paragraphs: int) -> RawTablePlace:
        return RawTablePlace(self.table + tables)


RawPlace = RawParagraphPlace | RawTablePlace
"""Where a block stands in reading order (`RawDocument.order`); the assembler turns each into
the `Place` of `Document.order`."""


@dataclass(slots=True)
class RawDocument:
    """Everything a reader found, in reading order."""

    tables: list[RawTable] = field(default_factory=list)
    paragraphs: list[RawParagraph] = field(default_factory=list)
    order: list[RawPlace] = field(default_factory=list)  # every block once, as read
    warnings: list[tuple[str, Loc]] = field(default_factory=list)

    def add_paragraph(self, paragraph: RawParagraph) -> None:
        """Append a paragraph and its place in reading order."""
        self.order.append(RawParagraphPlace(len(self.paragraphs)))
        self.paragraphs.append(paragraph)

    def add_table(self, table: RawTable) -> None:
        """Append a table and its place in reading order."""
        self.order.append(RawTablePlace(len(self.tables)))
        self.tables.append(table)
