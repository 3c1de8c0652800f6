"""What a template profile file may say. Profiles are data (TOML), validated here.

A profile names a template's tables (titles, aliases, layout, columns, fixed items), the
identities inside and between them, and how the narrative's sections and subjects map to
table figures. Adding a region is a new profile file, not new code.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Layout = Literal[
    "two-panel",  # items on the left, function 类 on the right (收支总表, 财政拨款收支总表)
    "panels",  # as two-panel with any number of side-by-side panels (Xi'an 收支总表, 基本支出 lists)
    "coded",  # classification rows: 类/款/项 codes, a name, amount columns
    "coded-grouped",  # as coded, grouped under budget-unit rows, with project rows (项目支出表)
    "items",  # fixed rows named by the template (三公 table)
    "grouped-items",  # total, unit rows and project rows (上年结转结余明细表)
    "performance-overall",  # 部门整体绩效目标表
    "performance-project",  # 项目支出绩效目标表
    "performance-selfeval",  # 项目绩效自评表 (决算): funds by column, 执行率, 分值/得分
    "performance-grid",  # 绩效目标表 printed as one grid: a block of rows per project
    "contents",  # 报表目录: lists the tables and says which are empty (是否空表, 理由)
]
Severity = Literal["error", "warning", "notice"]
Relation = Literal["eq", "le", "ge"]

# T2[@total].general, T1[#income_total].amount, T6[30217].total, T3[*].total,
# TM[@rows].amount (Σ of every row that is not a total: lists printed without a 合计)
REF_PATTERN = re.compile(
    r"^(?P<table>[A-Za-z][\w-]*)\[(?P<row>@total|@rows|\*|#[\w-]+|\d{3,7})\]\.(?P<col>[\w-]+)$"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    key: str
    label: str
    aliases: list[str] = Field(default_factory=list)
    # `amount` columns are read as money and summed; `index` (行次) and `text` (备注, 项目简介)
    # columns are kept as text on the row and never enter arithmetic.
    kind: Literal["amount", "index", "text"] = "amount"
    # Header cells the official table prints over this column, outermost first, when they are
    # more than `label` (["财政拨款（补助）", "一般公共预算"]). Renderers only.
    header: list[str] = Field(default_factory=list)
    # The column's role (`yusuan.kinds`), when the header text alone would not tell it.
    role: str | None = None


class HeaderSpec(_Strict):
    """How the official table prints its column header. Renderers draw it; readers ignore it.

    Each header column is a path of printed cells, outermost first: adjacent columns whose paths
    begin alike share one merged cell, and a path's last cell reaches down to the last header row.
    """

    stub: list[list[str]] = Field(default_factory=list)  # leading columns: codes, name, project
    over: list[str] = Field(default_factory=list)  # cells above every amount column (支出预算)
    codes: Literal["split", "whole"] = "split"  # 类/款/项 in a column each, or whole in one
    numbers: bool = False  # the 栏次 row: ※ under the leading columns, 1…n under the amounts
    labels: dict[str, str] = Field(default_factory=dict)  # fixed cells of form-like tables


class ItemSpec(_Strict):
    """A fixed row of a table, matched by its label in printed order."""

    key: str
    label: str
    aliases: list[str] = Field(default_factory=list)
    parts: list[str] = Field(default_factory=list)  # item keys this row is the sum of
    total: bool = False  # the panel's (or table's) total row
    optional: bool = False
    # The classification code the row stands for when printed by name only (a 收支总表 listing
    # `1、一般公共服务支出`): the row then takes part in per-code identities (`T1[*]`).
    code: str | None = None
    # A `其中` row: part of that item's amount, added to no total (西安 `其中：专项资金列入部门
    # 预算的项目` within 一般公共预算拨款). The builder counts it in that item; readers ignore it.
    within: str | None = None
    # The row's role (`yusuan.kinds`), when its label alone would not tell it (西安
    # `人员经费和公用经费支出` is 基本支出, not 人员经费). Builder only.
    role: str | None = None
    # Whether a ledger line may name this income item as its source (builder only): not when
    # the template's relations leave its money no place (西安 表4 = 表5 + 表9 holds no
    # 财政拨款结转, which 表5 and 表9 cannot show by budget).
    ledger: bool = True
    # The label as the builder prints it, numbering included (`一、部门预算`, `(1)一般公共预算拨款`),
    # when it is more than `label`. Readers match `label` and `aliases`.
    printed: str | None = None


class PanelSpec(_Strict):
    key: str
    label: str
    columns: list[ColumnSpec]
    items: list[ItemSpec] = Field(default_factory=list)
    classification: Literal["function", "economic"] | None = None  # coded rows on this panel
    label_columns: int = 1  # printed columns before the amounts (code and name may be two)
    header: HeaderSpec | None = None
    total_item: str | None = None  # item key of the panel total (Σ coded rows when coded)
    # Coded rows print the 类 name without its code (上海: `一、一般公共服务支出`): the code is
    # taken from the document's other tables, else from the classification catalog.
    codes_by_name: bool = False
    # Set by inference (no profile): the side was taken for a list of 功能分类 类 because its
    # names are 类 names. A row of another name is an item, not an unreadable 类, and no
    # total of the side is asserted to be their sum (the side may list 结转下年 as well).
    inferred_classes: bool = False
    # Which 类 a coded panel lists when built from a ledger: every 类 of the year's catalog
    # (新疆 表1、表4) or only those with money (上海, 湖南 print no empty 类). Readers ignore it.
    classes: Literal["all", "used"] = "all"


class RowSumSpec(_Strict):
    total: str
    parts: list[str]


class TableSpec(_Strict):
    key: str
    title: str
    layout: Layout
    # The table's kind (`yusuan.kinds`), when the title alone would not tell it.
    kind: str | None = None
    # The unit this table prints in when it differs from the profile's (上海 “三公” table:
    # 万元 among tables in 元). The builder prints in it; readers take the printed `单位：` line.
    unit: Literal["万元", "元"] | None = None
    number: int | None = None
    aliases: list[str] = Field(default_factory=list)
    classification: Literal["function", "economic"] | None = None
    columns: list[ColumnSpec] = Field(default_factory=list)
    panels: list[PanelSpec] = Field(default_factory=list)
    items: list[ItemSpec] = Field(default_factory=list)
    required: bool = True
    repeatable: bool = False
    may_be_empty: bool = False
    row_sums: list[RowSumSpec] = Field(default_factory=list)
    rollup: bool = False  # 类 = Σ 款 = Σ 项 in every amount column
    grand_total: bool = False  # total row = Σ top-level rows
    unit_subtotals: bool = False  # unit row = Σ its rows; total = Σ units
    # Which economic 类 (3-digit codes) each amount column holds, by column key: 表6 人员经费
    # → 301, 303. Columns left out (合计) hold anything. Template data, so a region whose
    # 公用经费 differs changes its profile, not the rule (K805, docs/catalog.md).
    column_classes: dict[str, list[str]] = Field(default_factory=dict)
    header: HeaderSpec | None = None  # the printed header (renderers); None: a plain one
    # Printed columns before the amounts, when fixed. 0: rows print no label at all (上海 三公
    # table, one row of figures); an `items` table then takes its items in printed order.
    label_columns: int | None = None
    # A `performance-grid` holds 项目支出 (`project`) or 部门整体 (`overall`) 绩效目标; its
    # `columns` name every printed column (see readers/assemble/performance_grid.py).
    form: Literal["project", "overall"] = "project"
    # The label cell holding the row's own code when a row prints several (北京 预算06表:
    # `50101-工资奖金津补贴 | 30101-基本工资`, the row is 部门经济 30101's): counted from 0.
    code_column: int | None = None
    # How many of `columns` (kind `index`, 序号) are printed left of the labels rather than
    # after them (西安 2022: `序号 | 功能科目编码 | 功能科目名称 | 合计 …`).
    leading_index: int = 0

    @model_validator(mode="after")
    def _check_layout(self) -> TableSpec:
        if self.layout == "two-panel" and len(self.panels) != 2:
            raise ValueError(f"{self.key}: a two-panel table needs two panels")
        if self.layout == "panels" and len(self.panels) < 2:
            raise ValueError(f"{self.key}: a panels table needs at least two panels")
        if self.layout in ("coded", "coded-grouped") and self.classification is None:
            raise ValueError(f"{self.key}: a coded table needs a classification")
        column_keys = {c.key for c in self.columns} | {
            c.key for p in self.panels for c in p.columns
        }
        for rs in self.row_sums:
            unknown = [k for k in [rs.total, *rs.parts] if k not in column_keys]
            if unknown:
                raise ValueError(f"{self.key}: row_sums names unknown columns {unknown}")
        for col, classes in self.column_classes.items():
            if col not in column_keys:
                raise ValueError(f"{self.key}: column_classes names unknown column {col!r}")
            bad = [c for c in classes if not (len(c) == 3 and c.isdigit())]
            if bad:
                raise ValueError(f"{self.key}: column_classes[{col}] needs 3-digit 类 codes: {bad}")
        item_keys = {i.key for i in self.items} | {i.key for p in self.panels for i in p.items}
        for item in [*self.items, *(i for p in self.panels for i in p.items)]:
            missing = [k for k in [*item.parts, *([item.within] if item.within else [])]]
            missing = [k for k in missing if k not in item_keys]
            if missing:
                raise ValueError(f"{self.key}: item {item.key} has unknown parts {missing}")
        return self


def _check_ref(ref: str) -> str:
    if not REF_PATTERN.match(ref):
        raise ValueError(f"bad cell reference {ref!r} (expected e.g. T2[@total].general)")
    return ref


class IdentitySpec(_Strict):
    """`left` (relation) Σ `right`, between cells of one or several tables.

    With `*` in the row part, the identity holds for every classification code.
    """

    id: str
    label: str
    left: str
    right: list[str]
    relation: Relation = "eq"
    severity: Severity = "error"
    codes: Literal["union", "left", "right"] = "union"
    levels: list[int] = Field(default_factory=list)
    note: str = ""

    @field_validator("left")
    @classmethod
    def _left(cls, v: str) -> str:
        return _check_ref(v)

    @field_validator("right")
    @classmethod
    def _right(cls, v: list[str]) -> list[str]:
        return [_check_ref(r) for r in v]

    @model_validator(mode="after")
    def _stars(self) -> IdentitySpec:
        stars = ["[*]" in r for r in [self.left, *self.right]]
        if any(stars) and not all(stars):
            raise ValueError(f"{self.id}: either every reference uses [*] or none does")
        return self

    @property
    def per_code(self) -> bool:
        return "[*]" in self.left


class SubjectSpec(_Strict):
    """A narrative subject (matched by substring) and the table figure it restates."""

    match: list[str]
    ref: list[str]
    key: str | None = None  # names the statement for last-year identities
    relation: Relation = "eq"
    severity: Severity = "error"
    department_level: bool = False  # reasons may be checked against staffing changes
    # The subject must be a match, not contain one: a bare `支出` (湖南 `支出较去年减少…`)
    # would otherwise catch every 类 name.
    exact: bool = False
    # The budget the subject's 决算 is measured against (三公 table's 预算数): a stated
    # 年初预算 must equal it, and `完成预算的 Y%` is judged against it when none is stated.
    budget: list[str] = Field(default_factory=list)

    @field_validator("ref", "budget")
    @classmethod
    def _refs(cls, v: list[str]) -> list[str]:
        return [_check_ref(r) for r in v]


class NamesSpec(_Strict):
    """Resolve subjects written as classification names (教育支出（类）…（项）) in a table."""

    table: str
    column: str
    levels: list[int] = Field(default_factory=list)
    key: str | None = None  # statements resolved this way share this key (e.g. gp.items)
    require_items: bool = False  # every nonzero 项 of the table needs its paragraph


class SectionSpec(_Strict):
    key: str
    title: str
    match: list[str]
    kind: Literal["statements", "projects", "overview", "performance", "glossary", "other"] = (
        "statements"
    )
    required: bool = False
    share_base: list[str] = Field(default_factory=list)
    subjects: list[SubjectSpec] = Field(default_factory=list)
    names: NamesSpec | None = None
    empty_table: str | None = None  # the table whose emptiness this section must state
    parent: str | None = None  # a subsection's content counts for its parent section


class LastYearSpec(_Strict):
    """Last year's amounts implied by year-on-year statements must agree across statements."""

    id: str
    label: str
    left: list[str]  # statement keys
    right: list[str]


class PerformanceSpec(_Strict):
    weight_total: Decimal | None = None
    fiscal_funds: list[str] = Field(default_factory=list)  # refs: the 财政资金 of 整体 table
    other_funds: list[str] = Field(default_factory=list)  # refs: non-appropriation income
    # refs: what the 项目支出绩效目标表 together cover (Σ of their funds, rule S506), e.g. the
    # 项目支出 total of the 一般公共预算 table; empty: not checked.
    projects_total: list[str] = Field(default_factory=list)
    projects_field: Literal["total", "fiscal"] = "total"  # which fund line is summed

    @field_validator("fiscal_funds", "other_funds", "projects_total")
    @classmethod
    def _refs(cls, v: list[str]) -> list[str]:
        return [_check_ref(r) for r in v]


class ProjectsSpec(_Strict):
    table: str  # the project table (表7)
    column: str  # its amount column
    secret_markers: list[str] = Field(default_factory=lambda: ["完全不予公开", "涉密"])
    carryover_table: str | None = None


class Profile(_Strict):
    id: str
    name: str
    region: str
    kind: Literal["预算", "决算"]
    unit: Literal["万元", "元"] = "万元"
    # Decimals of amounts in 元 as the builder prints them: whole 元 (上海) or 分 (西安).
    yuan_decimals: Literal[0, 2] = 0
    # Who publishes: a 部门 (with its budget units) or one 预算单位. A 单位预算 must speak of
    # 本单位/单位预算, not 本部门/部门预算 (rule C705). None: not checked.
    entity: Literal["部门", "单位"] | None = None
    detect: list[str] = Field(default_factory=list)  # words typical of this template
    tables: list[TableSpec]
    identities: list[IdentitySpec] = Field(default_factory=list)
    sections: list[SectionSpec] = Field(default_factory=list)
    lastyear: list[LastYearSpec] = Field(default_factory=list)
    performance: PerformanceSpec = Field(default_factory=PerformanceSpec)
    projects: ProjectsSpec | None = None

    @model_validator(mode="after")
    def _check_refs(self) -> Profile:
        keys = {t.key for t in self.tables}
        if len(keys) != len(self.tables):
            raise ValueError("table keys must be unique")
        refs: list[str] = []
        for ident in self.identities:
            refs += [ident.left, *ident.right]
        for sec in self.sections:
            refs += sec.share_base
            for subj in sec.subjects:
                refs += subj.ref + subj.budget
            if sec.names and sec.names.table not in keys:
                raise ValueError(f"section {sec.key}: unknown table {sec.names.table}")
        refs += self.performance.fiscal_funds + self.performance.other_funds
        refs += self.performance.projects_total
        section_keys = {s.key for s in self.sections}
        for sec in self.sections:
            if sec.parent is not None and sec.parent not in section_keys:
                raise ValueError(f"section {sec.key}: unknown parent {sec.parent}")
        for ref in refs:
            m = REF_PATTERN.match(ref)
            if m and m.group("table") not in keys:
                raise ValueError(f"reference {ref} names an unknown table")
        ids = [i.id for i in self.identities]
        if len(set(ids)) != len(ids):
            raise ValueError("identity ids must be unique")
        stmt_keys = {s.key for sec in self.sections for s in sec.subjects if s.key} | {
            sec.names.key for sec in self.sections if sec.names and sec.names.key
        }
        for ly in self.lastyear:
            unknown = [k for k in [*ly.left, *ly.right] if k not in stmt_keys]
            if unknown:
                raise ValueError(f"last-year identity {ly.id} names unknown statements {unknown}")
        return self

    def table(self, key: str) -> TableSpec | None:
        for t in self.tables:
            if t.key == key:
                return t
        return None

    def section(self, key: str) -> SectionSpec | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def section_index(self) -> dict[str, SectionSpec]:
        """Every section by key (the first of a repeated key, as `section` finds it), for a
        pass that looks up many paragraphs' sections."""
        index: dict[str, SectionSpec] = {}
        for s in self.sections:
            index.setdefault(s.key, s)
        return index
