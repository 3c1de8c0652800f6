"""Findings are immutable data: rule, severity, a Chinese message, and where it rests."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from yusuan.model.provenance import BBox, Loc, merge_locs


class Severity(StrEnum):
    ERROR = "error"  # figures disagree
    WARNING = "warning"  # needs a person's judgement
    NOTICE = "notice"  # rounding (四舍五入) and other remarks that are not defects

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "notice": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "notice": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    lines: tuple[int, ...] = ()
    table: str | None = None  # "表6"
    section: str | None = None  # the narrative section's title
    row: str | None = None
    column: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    sheet: str | None = None
    cell: str | None = None
    file: str | None = None  # the file of a document set the place is in (None: one file)

    @staticmethod
    def of(
        locs: list[Loc | None] | Loc | None,
        table: str | None = None,
        section: str | None = None,
        row: str | None = None,
        column: str | None = None,
    ) -> Location:
        if isinstance(locs, Loc) or locs is None:
            locs = [locs]
        merged = merge_locs(locs)
        bbox = merged.bbox
        if bbox is None and merged.page is not None:
            # Evidence on several pages (表1 p8 against 表8 p19): point at the first page's.
            boxes = [
                x.bbox
                for x in locs
                if x is not None and x.page == merged.page and x.file == merged.file and x.bbox
            ]
            if boxes:
                bbox = merge_locs(Loc(page=merged.page, bbox=b) for b in boxes).bbox
        return Location(
            lines=merged.lines,
            table=table,
            section=section,
            row=row,
            column=column,
            page=merged.page,
            bbox=bbox,
            sheet=merged.sheet,
            cell=merged.cell,
            file=merged.file,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": list(self.lines),
            "table": self.table,
            "section": self.section,
            "row": self.row,
            "column": self.column,
            "page": self.page,
            "bbox": list(self.bbox) if self.bbox else None,
            "sheet": self.sheet,
            "cell": self.cell,
            "file": self.file,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    slug: str
    severity: Severity
    message: str
    location: Location
    expected: str | None = None
    actual: str | None = None
    difference: str | None = None
    check: str | None = None  # the profile identity or item checked (e.g. "T5-T6-basic")

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "slug": self.slug,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
            "expected": self.expected,
            "actual": self.actual,
            "difference": self.difference,
            "check": self.check,
        }


@dataclass(frozen=True, slots=True)
class NotRun:
    """A check whose inputs could not be read: reported, never counted as passed."""

    rule: str
    slug: str
    reason: str
    location: Location = field(default_factory=Location)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "slug": self.slug,
            "reason": self.reason,
            "location": self.location.to_dict(),
        }
