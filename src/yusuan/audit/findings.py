"""Findings are immutable data: rule, severity, a Chinese message, and where it rests.

A message is a template with named parameters (`{subject}：{actual_label} {actual}，…`) filled
in once: the finding keeps the template and the parameters beside the rendered sentence, so a
program (or a test) reads the figures and names without parsing Chinese prose."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
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


Param = str | int  # a count stays a number; amounts are passed formatted, as printed


def param_value(value: object) -> Param:
    """A parameter as JSON keeps it: counts as numbers, everything else (amounts already
    formatted, Decimals, names) as the text the message shows."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def freeze_params(params: Mapping[str, object] | None) -> Mapping[str, Param]:
    return MappingProxyType({k: param_value(v) for k, v in (params or {}).items()})


def render_message(template: str, params: Mapping[str, object]) -> str:
    """The sentence of a template; a template without parameters is the sentence itself (its
    braces, if any, are text)."""
    return template.format_map(params) if params else template


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
    template: str = ""  # the message with its variable parts named (empty: the message itself)
    params: Mapping[str, Param] = field(default_factory=lambda: MappingProxyType({}))

    @staticmethod
    def of(
        rule: str,
        slug: str,
        severity: Severity,
        template: str,
        location: Location,
        params: Mapping[str, object] | None = None,
        *,
        expected: str | None = None,
        actual: str | None = None,
        difference: str | None = None,
        check: str | None = None,
    ) -> Finding:
        """A finding whose message is `template` filled with `params`."""
        frozen = freeze_params(params)
        return Finding(
            rule,
            slug,
            severity,
            render_message(template, frozen),
            location,
            expected,
            actual,
            difference,
            check,
            template,
            frozen,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "slug": self.slug,
            "severity": self.severity.value,
            "message": self.message,
            "template": self.template or self.message,
            "params": dict(self.params),
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
