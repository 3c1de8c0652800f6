"""The whole disclosure: tables, narrative, facts — every figure with its provenance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from yusuan.model.narrative import (
    Change,
    CountedAmount,
    Figure,
    Paragraph,
    PerformanceTable,
    Project,
    StatedSum,
    Statement,
)
from yusuan.model.provenance import Loc, SourceInfo
from yusuan.model.tables import Table

if TYPE_CHECKING:  # the model does not depend on profiles at run time
    from yusuan.profiles.schema import Profile


@dataclass(slots=True)
class Fact:
    """A figure of the 部门概况 (编制数, 实有人数, 在职 …) with its change when stated."""

    key: str
    label: str
    figure: Figure
    change: Change | None = None


@dataclass(slots=True)
class Listed:
    """A name listed in the text (a budget unit, an internal office)."""

    name: str
    loc: Loc


@dataclass(slots=True)
class Overview:
    units: list[Listed] = field(default_factory=list)  # 预算单位 list, 本级 included
    subunits_stated: Figure | None = None  # "本级预算及下属 8 家预算单位"
    admin_units: Figure | None = None  # 行政单位 N 家
    public_units: Figure | None = None  # 事业单位 N 家
    quasi_units: Figure | None = None  # 参公单位 N 家 (事业单位 managed as 公务员: 上海)
    offices_stated: Figure | None = None  # 下设 N 个处室
    offices: list[Listed] = field(default_factory=list)
    staffing: dict[str, Fact] = field(default_factory=dict)


@dataclass(slots=True)
class ReadNote:
    """Something the reader noticed that the audit should know (not a finding by itself)."""

    kind: str
    message: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class ListedTable:
    """A table the document's own 目录 lists (`五、一般公共预算支出表`, `公开05表 …`): what the
    document says it publishes, against which what was read is measured when no template
    says which tables there must be."""

    title: str
    kind: str  # yusuan.kinds: the kind the title names
    loc: Loc


@dataclass(frozen=True, slots=True)
class ParagraphPlace:
    paragraph: int  # index into Document.paragraphs


@dataclass(frozen=True, slots=True)
class TablePlace:
    table: str  # key into Document.tables


@dataclass(frozen=True, slots=True)
class ExtraTablePlace:
    extra_table: int  # index into Document.extra_tables


@dataclass(frozen=True, slots=True)
class PerformancePlace:
    performance: int  # index into Document.performance


Place = ParagraphPlace | TablePlace | ExtraTablePlace | PerformancePlace
"""Where a block of the document stands in reading order (`Document.order`)."""


@dataclass(slots=True)
class Document:
    source: SourceInfo
    profile: str
    profile_name: str = ""
    profile_confidence: float = 1.0
    department: str | None = None
    year: int | None = None
    kind: str = "预算"  # 预算 / 决算
    tables: dict[str, Table] = field(default_factory=dict)
    extra_tables: list[Table] = field(default_factory=list)  # tables the profile does not name
    paragraphs: list[Paragraph] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    stated_sums: list[StatedSum] = field(default_factory=list)
    counted: list[CountedAmount] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    performance: list[PerformanceTable] = field(default_factory=list)
    overview: Overview = field(default_factory=Overview)
    sections_found: dict[str, Loc] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)  # every figure read from running text
    notes: list[ReadNote] = field(default_factory=list)
    listed_tables: list[ListedTable] = field(default_factory=list)  # the 目录's tables
    # False when the input never held a 情况说明: a workbook of the tables alone. Its missing
    # sections are then not checked (they were not part of what was given), unless asked.
    narrative_included: bool = True
    # Reading order of the blocks: paragraphs, tables, extra tables and 绩效目标表.
    order: list[Place] = field(default_factory=list)
    # The profile inferred from this document itself (generic fallback, unknown template):
    # it cannot be loaded again by id, so whoever needs the profile takes it from here.
    inferred_profile: Profile | None = field(default=None, repr=False)

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)

    def statements_in(self, section: str) -> Iterator[Statement]:
        for st in self.statements:
            if st.section == section:
                yield st

    def section_of_line(self, line: int) -> str | None:
        section: str | None = None
        for para in self.paragraphs:
            first = para.loc.first_line
            if first is not None and first > line:
                break
            section = para.section
        return section
