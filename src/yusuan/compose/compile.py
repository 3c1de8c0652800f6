"""Ledger lines → the template's tables, exactly (分), rounded only when printed.

One pass over the lines fills a few aggregates (by 功能科目 × 经济分类 类 × source × 基本/项目,
by 经济科目, and the lines grouped tables list by unit and project). Each table the profile
lists is then laid out by a builder for its layout, every cell holding the money its column's
roles name (`template.column_sel`), within what the table's kind shows (`table_filter`).
`Totals` keeps the exact sums the narrative needs for its shares and year-on-year changes.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from yusuan.compose.department import Department
from yusuan.compose.errors import BuildError, Issue
from yusuan.compose.ledger import Ledger
from yusuan.compose.names import CodeNames
from yusuan.compose.template import (
    ECON_ROLES,
    PERSONNEL_CLASSES,
    Sel,
    Template,
    column_sel,
    column_year,
    identity_items,
    income_column_sources,
    income_items,
    item_role,
    item_sum_keys,
    role_of,
    role_sel,
    table_filter,
)
from yusuan.model.provenance import Loc
from yusuan.model.tables import Cell, Column, Row, RowKind, Table
from yusuan.money import Unit, format_amount
from yusuan.profiles.schema import ItemSpec, PanelSpec, TableSpec
from yusuan.text import normalize_name

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 分
Pair = list[int]  # [this year 分, last year 分]
K = TypeVar("K")
_NOLOC = Loc()
_CN_ORDINALS = "一二三四五六七八九十"


def wan(fen: int) -> Decimal:
    """分 → 万元 rounded half up to 0.01 (amounts are never negative)."""
    hundredths = (abs(fen) + 5_000) // 10_000
    return Decimal(-hundredths if fen < 0 else hundredths).scaleb(-2)


def wan_text(fen: int) -> str:
    """分 → 万元 as printed (`1,234.56`): what `format_amount(wan(fen))` prints, from integers
    (a narrative of a million projects prints millions of amounts)."""
    hundredths = (abs(fen) + 5_000) // 10_000
    whole, cents = divmod(hundredths, 100)
    return f"-{whole:,}.{cents:02d}" if fen < 0 and hundredths else f"{whole:,}.{cents:02d}"


# Built cells are read, never changed (renderers, the audit and comparisons only read them):
# every blank cell is this one object, and equal amounts of a row share a cell (`_cells`). A
# table of a million project rows × 12 columns is mostly blanks.
BLANK = Cell(None, "", _NOLOC)


def cell(fen: int) -> Cell:
    """A printed cell: blank when the exact amount is zero, else 万元 to two decimals (half
    up, away from zero for a change that is negative)."""
    if fen == 0:
        return BLANK
    sign = "-" if fen < 0 else ""
    hundredths = (abs(fen) + 5_000) // 10_000
    whole, cents = divmod(hundredths, 100)
    value = Decimal(-hundredths if fen < 0 else hundredths).scaleb(-2)
    return Cell(value, f"{sign}{whole:,}.{cents:02d}", _NOLOC, 2)


def yuan_cell(fen: int) -> Cell:
    """A cell of a table in 元: whole 元 (as 上海 prints them), blank when zero."""
    if fen == 0:
        return BLANK
    whole = (abs(fen) + 50) // 100
    whole = -whole if fen < 0 else whole
    return Cell(Decimal(whole), f"{whole:,}", _NOLOC, 0)


def fen_cell(fen: int) -> Cell:
    """A cell of a table in 元 to the 分 (西安 prints `50,937,608.35`): exact, blank when zero."""
    if fen == 0:
        return BLANK
    whole, cents = divmod(abs(fen), 100)
    sign = "-" if fen < 0 else ""
    return Cell(Decimal(fen).scaleb(-2), f"{sign}{whole:,}.{cents:02d}", _NOLOC, 2)


@dataclass(slots=True)
class Totals:
    """Exact sums (分) behind the printed tables, for the narrative."""

    by_source: dict[int, Pair] = field(default_factory=dict)  # source index → pair
    basic: Pair = field(default_factory=lambda: [0, 0])  # every source
    project: Pair = field(default_factory=lambda: [0, 0])
    gp_basic: Pair = field(default_factory=lambda: [0, 0])  # 一般公共预算 this year
    gp_project: Pair = field(default_factory=lambda: [0, 0])
    gp_items: dict[str, Pair] = field(default_factory=dict)  # 项 code → 一般公共预算 pair
    budget_by_class: dict[str, dict[str, int]] = field(default_factory=dict)  # budget → 类 → 分
    budget_pairs: dict[str, Pair] = field(default_factory=dict)  # budget → pair
    budget_total: dict[str, int] = field(default_factory=dict)  # general/fund/capital → 分
    personnel: int = 0
    public: int = 0
    personnel_items: list[str] = field(default_factory=list)  # 款 names with 人员经费
    public_items: list[str] = field(default_factory=list)
    operating: Pair = field(default_factory=lambda: [0, 0])  # 机关运行经费
    sangong: dict[str, Pair] = field(default_factory=dict)  # 三公 role (and `total`) → pair
    # 会议费, 培训费 (`meeting`, `training`) → pair, as the 三公 table counts them
    econ_roles: dict[str, Pair] = field(default_factory=dict)
    gp_econ: dict[str, Pair] = field(default_factory=dict)  # 一般公共预算 by 部门经济分类 款
    gp_gov: dict[str, Pair] = field(default_factory=dict)  # … by 政府经济分类 类
    carry_fin: int = 0
    carry_nonfin: int = 0
    carry_items: list[tuple[str, str, int]] = field(default_factory=list)  # unit, item, 分
    projects: list[tuple[str, str, int]] = field(default_factory=list)  # unit, project, 分
    income_total: int = 0
    # (unit, project) names, normalised → (财政拨款, 其他资金) 分 of its 项目支出 this year
    project_funds: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    expense_classes: list[str] = field(default_factory=list)  # 类 with spending (any source)
    by_class: dict[str, int] = field(default_factory=dict)  # 功能分类 类 → 分 (any source)


@dataclass(slots=True)
class Compiled:
    tables: dict[str, Table]
    totals: Totals


# (功能科目, 经济分类 类, source, 基本?) and (经济科目, source, 基本?, 行政/参公?) → pair;
# grouped lines: (unit, 功能科目, 经济科目, source, 基本?, project, this year 分).
FuncKey = tuple[str, str, int, bool]
EconKey = tuple[str, int, bool, bool]
GLine = tuple[int, str, str, int, bool, str, int]


@dataclass(slots=True)
class Facts:
    by_func: dict[FuncKey, Pair]
    by_econ: dict[EconKey, Pair]  # lines of the sources `_by_econ_sources` names
    lines: list[GLine]  # lines grouped tables may list (`_listed`), in ledger order
    # (unit, 经济科目, source, 基本?) → pair: only for a table by unit with last year's
    # columns (西安 表13); empty otherwise.
    by_unit_econ: dict[tuple[int, str, int, bool], Pair] = field(default_factory=dict)


def compile_tables(
    ledger: Ledger, template: Template, dept: Department, names: CodeNames
) -> Compiled:
    # No cycles are made here either: spare the collector's walks over a large ledger.
    enabled = gc.isenabled()
    gc.disable()
    try:
        facts = _facts(
            ledger, dept, _listed(template), _by_econ_sources(template), len(template.sources)
        )
        if _by_unit_years(template):
            facts.by_unit_econ = _unit_econ(ledger)
        totals = _totals(facts, template, dept, names)
        builder = _Builder(template, names, dept, facts)
        tables: dict[str, Table] = {}
        for key, spec in template.specs.items():
            table = builder.build(key)
            # A table the template does not require and nothing fills (西安 会议费明细表
            # without meetings in the department file) is left out, not printed blank.
            if spec.required or not table.is_empty:
                tables[key] = table
        return Compiled(tables, totals)
    finally:
        if enabled:
            gc.enable()


def _listed(tp: Template) -> set[tuple[int, bool]]:
    """(source, 基本?) of the lines that tables grouped by unit or project may list: the
    projects (一般公共预算项目支出), 上年结转结余, and what each grouped table shows."""
    out: set[tuple[int, bool]] = set()
    grouped = [
        table_filter(spec, tp.kinds[key])
        for key, spec in tp.specs.items()
        if spec.layout in ("coded-grouped", "grouped-items")
    ]
    for s in tp.sources:
        for basic in (True, False):
            if (
                s.carry
                or (not basic and s.budget == "general")
                or any(f.match(s, basic, "301") or f.match(s, basic, "302") for f in grouped)
            ):
                out.add((s.index, basic))
    return out


def _by_unit_years(tp: Template) -> bool:
    """Whether a table by unit shows last year's money (西安 表13: 上年 | 当年 | 增减)."""
    return any(
        spec.layout == "grouped-items" and any(column_year(c) != "current" for c in spec.columns)
        for spec in tp.specs.values()
    )


def _accumulate(values: dict[str, int], *into: dict[str, int]) -> None:
    """Add each column's amount of `values` to every dict of `into`."""
    for c, v in values.items():
        for d in into:
            d[c] = d.get(c, 0) + v


def _sum_pairs(amounts: Iterable[tuple[K, int, int]]) -> dict[K, Pair]:
    """(key, this year, last year) triples summed by key."""
    out: dict[K, Pair] = {}
    for k, cur, last in amounts:
        _add(out, k, cur, last)
    return out


def _unit_econ(ledger: Ledger) -> dict[tuple[int, str, int, bool], Pair]:
    return _sum_pairs(
        ((u, econ, src, basic), cur, last)
        for (u, _func, econ, src, basic, _project), (_row, cur, last) in ledger.lines.items()
    )


def _panel_codes(tp: Template) -> bool:
    """Whether a side-by-side table lists spending by 经济分类 (西安 表1: 部门经济分类 301…,
    政府经济分类 501…): its money is every source's, 上年结转 included, by 经济科目."""
    return any(
        i.code and not panel.classification
        for spec in tp.specs.values()
        for panel in spec.panels[1:]
        for i in panel.items
    )


def _by_econ_sources(tp: Template) -> frozenset[int]:
    """Sources whose lines tables by 经济科目 (and 三公, 机关运行经费, the narrative's 人员经费)
    may count: 财政拨款 this year, and whatever an economic or fixed-item table shows."""
    if _panel_codes(tp):
        return frozenset(s.index for s in tp.sources)
    filters = [
        table_filter(spec, tp.kinds[key])
        for key, spec in tp.specs.items()
        if spec.classification == "economic" or spec.layout in ("items", "grouped-items")
    ]
    return frozenset(
        s.index
        for s in tp.sources
        if (s.fiscal and not s.carry)
        or any(f.match(s, b, c) for f in filters for b in (True, False) for c in ("301", "302"))
    )


def _facts(
    ledger: Ledger,
    dept: Department,
    listed: set[tuple[int, bool]],
    econ_sources: frozenset[int],
    sources: int,
) -> Facts:
    admin = [u.kind in ("行政", "参公") for u in dept.units]
    # Per source, as lists: cheaper in the loop than a tuple looked up in a set.
    n = sources
    list_basic = [(s, True) in listed for s in range(n)]
    list_project = [(s, False) in listed for s in range(n)]
    by_econ_ok = [s in econ_sources for s in range(n)]
    # The loop runs once per ledger line (10⁶ in the benchmark): a defaultdict makes the
    # pair only for a new key, without a call per line.
    by_func: defaultdict[FuncKey, Pair] = defaultdict(lambda: [0, 0])
    by_econ: defaultdict[EconKey, Pair] = defaultdict(lambda: [0, 0])
    lines: list[GLine] = []
    for (u, func, econ, src, basic, project), (_row, cur, last) in ledger.lines.items():
        p = by_func[(func, econ[:3], src, basic)]
        p[0] += cur
        p[1] += last
        if by_econ_ok[src]:
            p = by_econ[(econ, src, basic, admin[u])]
            p[0] += cur
            p[1] += last
        if cur and (list_basic[src] if basic else list_project[src]):
            lines.append((u, func, econ, src, basic, project, cur))
    return Facts(dict(by_func), dict(by_econ), lines)


def _add(d: dict[K, Pair], key: K, cur: int, last: int) -> None:
    p = d.get(key)
    if p is None:
        d[key] = [cur, last]
    else:
        p[0] += cur
        p[1] += last


def _totals(facts: Facts, tp: Template, dept: Department, names: CodeNames) -> Totals:
    t = Totals()
    src = tp.sources
    by_source: dict[int, Pair] = {}
    classes: dict[str, int] = {}
    for (func, _cls, s, basic), (cur, last) in facts.by_func.items():
        _add(by_source, s, cur, last)
        both = t.basic if basic else t.project
        both[0] += cur
        both[1] += last
        classes[func[:3]] = classes.get(func[:3], 0) + cur
        source = src[s]
        budget = source.budget
        if budget is None or source.carry:
            continue
        t.budget_total[budget] = t.budget_total.get(budget, 0) + cur
        _add(t.budget_pairs, budget, cur, last)
        by_class = t.budget_by_class.setdefault(budget, {})
        by_class[func[:3]] = by_class.get(func[:3], 0) + cur
        if budget == "general":
            gp = t.gp_basic if basic else t.gp_project
            gp[0] += cur
            gp[1] += last
            _add(t.gp_items, func, cur, last)
    # Sources in ledger order of first use, as the tables list them.
    t.by_source = {s: by_source[s] for s in sorted(by_source)}
    t.income_total = sum(p[0] for p in t.by_source.values())
    t.expense_classes = sorted(c for c, v in classes.items() if v)
    t.by_class = classes
    personnel: dict[str, int] = defaultdict(int)
    public: dict[str, int] = defaultdict(int)
    sangong_of = {code: role for role, codes in tp.sangong.items() for code in codes}
    econ_role_of = {code: role for role, codes in ECON_ROLES.items() for code in codes}
    # 三公 as the template's 三公 table counts it (财政拨款, or 一般公共预算 only: 湖南).
    spec = tp.of_kind("sangong")
    sangong_sel = table_filter(spec, "sangong") if spec is not None else Sel(fiscal=True)
    for (econ, s, basic, admin), (cur, last) in facts.by_econ.items():
        source = src[s]
        if source.carry or not source.fiscal:
            continue
        role = sangong_of.get(econ)
        in_sangong = sangong_sel.match(source, basic, econ[:3], econ, admin)
        if role is not None and in_sangong:
            _add(t.sangong, role, cur, last)
            _add(t.sangong, "total", cur, last)
            if role.startswith("car-"):
                _add(t.sangong, "car", cur, last)
        other = econ_role_of.get(econ)
        if other is not None and in_sangong:
            _add(t.econ_roles, other, cur, last)
        if source.budget != "general":
            continue
        _add(t.gp_econ, econ, cur, last)
        gov = names.gov_class(econ, admin)
        if gov is not None:
            _add(t.gp_gov, gov, cur, last)
        if not basic:
            continue
        if econ[:3] in PERSONNEL_CLASSES:
            personnel[econ] += cur
        else:
            public[econ] += cur
            if admin:
                t.operating[0] += cur
                t.operating[1] += last
    t.personnel = sum(personnel.values())
    t.public = sum(public.values())
    name = names.name
    t.personnel_items = [name(c, "economic_dept") or c for c in sorted(personnel) if personnel[c]]
    t.public_items = [name(c, "economic_dept") or c for c in sorted(public) if public[c]]
    unit_names = [u.name for u in dept.units]
    # Projects as 一般公共预算项目支出 lists them: by unit, 功能科目, project (first seen).
    nested: dict[int, dict[str, dict[str, int]]] = {}
    carry: dict[int, dict[str, int]] = {}
    project_funds: dict[tuple[int, str], list[int]] = {}
    # Only for 绩效目标表 whose funds the department file leaves to the ledger.
    funds_wanted = any(p.fiscal is None or p.other is None for p in dept.performance.projects)
    for u, func, _econ, s, basic, project, cur in facts.lines:
        source = src[s]
        if source.carry:
            label = project or "基本支出"
            c = carry.setdefault(u, {})
            c[label] = c.get(label, 0) + cur
            if source.fiscal:
                t.carry_fin += cur
            else:
                t.carry_nonfin += cur
        elif not basic:
            if funds_wanted:
                pf = project_funds.setdefault((u, project), [0, 0])
                pf[0 if source.fiscal else 1] += cur
            if source.budget == "general":
                prj = nested.setdefault(u, {}).setdefault(func, {})
                prj[project] = prj.get(project, 0) + cur
    merged: dict[tuple[str, str], int] = {}
    for u, funcs in nested.items():
        for projects in funcs.values():
            for project, scale in projects.items():
                key = (unit_names[u], project)
                merged[key] = merged.get(key, 0) + scale
    t.projects = [(u, p, s) for (u, p), s in merged.items()]
    for (u, project), (fiscal, nonfiscal) in project_funds.items():
        key = (normalize_name(unit_names[u]), normalize_name(project))
        was = t.project_funds.get(key, (0, 0))
        t.project_funds[key] = (was[0] + fiscal, was[1] + nonfiscal)
    t.carry_items = [
        (unit_names[u], lab, v) for u, items in carry.items() for lab, v in items.items()
    ]
    return t


# id(spec) → (spec, order): the spec is kept with its order, so that its id cannot be given
# to another spec (a builder's per-panel spec of another build) while the entry lives.
_SUM_ORDER: dict[int, tuple[TableSpec, list[tuple[str, tuple[str, ...]]]]] = {}
_SUM_ORDER_MAX = 512


def _row_sums(spec: TableSpec, values: dict[str, int]) -> dict[str, int]:
    """Fill the profile's `row_sums` totals (a total may be a part of another)."""
    cached = _SUM_ORDER.get(id(spec))
    if cached is not None and cached[0] is spec:
        order = cached[1]
    else:
        order = []
        pending = list(spec.row_sums)
        seen: set[str] = set()
        while pending:
            done = {r.total for r in pending}
            ready = [r for r in pending if not any(p in done for p in r.parts)]
            if not ready:  # a cycle cannot come from a valid profile; stop anyway
                break
            for r in ready:
                # A total stated twice (湖南 资金总额 = Σ sources = 基本 + 项目) is filled once.
                if r.total not in seen:
                    order.append((r.total, tuple(r.parts)))
                    seen.add(r.total)
                pending.remove(r)
        if len(_SUM_ORDER) >= _SUM_ORDER_MAX:
            _SUM_ORDER.clear()
        _SUM_ORDER[id(spec)] = (spec, order)
    out = dict(values)
    for total, parts in order:  # once per row of every table: no generator per total
        amount = 0
        for p in parts:
            amount += out.get(p, 0)
        out[total] = amount
    return out


def _cn(n: int) -> str:
    """Chinese numerals as ordinals print them: 一 … 十、十一、二十、一百零一 (≥ 1000 in digits)."""
    if n >= 1000 or n <= 0:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _CN_ORDINALS[hundreds - 1] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _CN_ORDINALS[tens - 1]) + "十"
    if ones:
        out += _CN_ORDINALS[ones - 1]
    return out


def item_labels(items: list[ItemSpec], ordinals: bool) -> dict[str, str]:
    """Printed labels: `一、本年收入`, `1、一般公共预算拨款`, `其中：一般财力` (as templates do),
    or the item's `printed` label."""
    by_key = {i.key: i for i in items}
    depth: dict[str, int] = {}
    first_child: set[str] = set()
    for root in (i for i in items if i.total):
        stack = [(p, 1) for p in reversed(root.parts)]
        while stack:
            key, d = stack.pop()
            if key in depth or key not in by_key:
                continue
            depth[key] = d
            parts = by_key[key].parts
            if parts:
                first_child.add(parts[0])
            stack.extend((p, d + 1) for p in reversed(parts))
    labels: dict[str, str] = {}
    counters: dict[tuple[int, str | None], int] = defaultdict(int)
    parent_of = {p: i.key for i in items for p in i.parts}
    for item in items:
        d = depth.get(item.key, 0)
        label = item.label
        if item.printed and not item.code:  # the template's own numbering (西安 `(1)…`)
            labels[item.key] = item.printed
            continue
        if item.within:
            labels[item.key] = f"其中：{label}"
            continue
        if ordinals and d == 1:
            counters[(1, None)] += 1
            label = f"{_cn(counters[(1, None)])}、{label}"
        elif ordinals and d == 2:
            parent = parent_of.get(item.key)
            counters[(2, parent)] += 1
            label = f"{counters[(2, parent)]}、{label}"
        elif d >= 2 and item.key in first_child and not item.total:
            label = f"其中：{label}"
        labels[item.key] = label
    return labels


class _Builder:
    """Lays out one table from the facts; the cells of a column hold what its roles select."""

    def __init__(
        self, template: Template, names: CodeNames, dept: Department, facts: Facts
    ) -> None:
        self.tp = template
        self.names = names
        self.dept = dept
        self.facts = facts
        self.profile_unit = template.profile.unit
        self.unit_names = [u.name for u in dept.units]
        # Σ over 经济分类 类 when no column of a table needs it: far fewer entries.
        self.coarse = _sum_pairs(
            ((func, s, basic), cur, last)
            for (func, _cls, s, basic), (cur, last) in facts.by_func.items()
        )
        self._gov_cache: dict[tuple[str, bool], str] = {}
        self._fakes: dict[tuple[str, str], TableSpec] = {}

    # ───────────────────────── shared ─────────────────────────

    def build(self, key: str) -> Table:
        spec = self.tp.spec(key)
        kind = self.tp.kinds[key]
        self.unit = spec.unit or self.profile_unit
        if self.unit == "元":
            self.cell = fen_cell if self.tp.profile.yuan_decimals == 2 else yuan_cell
        else:
            self.cell = cell
        if spec.layout in ("two-panel", "panels"):
            return self._panels(spec, kind)
        if spec.layout == "coded":
            if kind == "income":
                return self._coded(spec, self._income_per_code(spec))
            return self._coded(spec, self._per_code(spec, kind))
        if spec.layout == "coded-grouped":
            return self._coded_grouped(spec, kind)
        if spec.layout == "items":
            if not spec.items and kind == "procurement":
                return self._purchases(spec)
            if not spec.items and kind == "meeting-training":
                return self._meetings(spec)
            return self._items(spec, kind)
        return self._grouped_items(spec, kind)

    def _table(self, spec: TableSpec) -> Table:
        table = Table(
            key=spec.key,
            title=spec.title,
            printed_title=spec.title,
            loc=_NOLOC,
            number=spec.number,
            label=f"表{spec.number}" if spec.number is not None else None,
            unit=Unit.YUAN if self.unit == "元" else Unit.WAN,
        )
        table.kind = self.tp.kinds[spec.key]
        if spec.layout in ("two-panel", "panels"):
            table.columns = [Column(c.key, c.label, p.key) for p in spec.panels for c in p.columns]
        else:  # text columns (备注) are the rows' `texts`, as readers keep them
            table.columns = [Column(c.key, c.label) for c in spec.columns if c.kind == "amount"]
        return table

    def _sum_row(
        self,
        kind: RowKind,
        label: str,
        cols: list[str],
        spec: TableSpec,
        values: dict[str, int],
        **row: Any,
    ) -> Row:
        """A row of `kind` whose cells are `values` summed to the columns of `spec`."""
        return Row(kind, label, _NOLOC, self._cells(cols, _row_sums(spec, values)), **row)

    def _cells(self, cols: Iterable[str], values: dict[str, int]) -> dict[str, Cell]:
        """A row's cells; columns of equal amounts (a 合计 and its only part) share one."""
        make = self.cell
        out: dict[str, Cell] = {}
        made: dict[int, Cell] = {0: BLANK}
        for k in cols:
            fen = values.get(k, 0)
            got = made.get(fen)
            if got is None:
                got = made[fen] = make(fen)
            out[k] = got
        return out

    def _sels(self, spec: TableSpec, columns: Iterable[object], spending: bool) -> dict[str, Sel]:
        out: dict[str, Sel] = {}
        amounts = [c for c in columns if c.kind == "amount"]  # type: ignore[attr-defined]
        if len(amounts) == 1 and not spec.row_sums:
            # A panel's only amount column (预算数, 本年预算) holds its rows' money.
            return {amounts[0].key: Sel()}  # type: ignore[attr-defined]
        for col in columns:
            sel = column_sel(self.tp, spec, col, spending)  # type: ignore[arg-type]
            if sel is not None:
                out[col.key] = sel  # type: ignore[attr-defined]
        return out

    def _fname(self, code: str) -> str:
        return self.names.name(code, "function") or code

    def _by_class(self, sels: dict[str, Sel]) -> bool:
        return any(s.classes is not None or s.personnel is not None for s in sels.values())

    def _per_code(self, spec: TableSpec, kind: str) -> dict[str, dict[str, int]]:
        """Function or economic codes → column → 分, for a coded table of spending."""
        base = table_filter(spec, kind)
        sels = {k: base & v for k, v in self._sels(spec, spec.columns, spending=True).items()}
        per_code: dict[str, dict[str, int]] = {}
        sources = self.tp.sources
        if spec.classification == "economic":
            cache: dict[tuple[int, bool, str, bool], tuple[str, ...]] = {}
            for (econ, s, basic, admin), (cur, _last) in self.facts.by_econ.items():
                k = (s, basic, econ, admin)
                cols = cache.get(k)
                if cols is None:
                    cols = cache[k] = tuple(
                        c
                        for c, sel in sels.items()
                        if sel.match(sources[s], basic, econ[:3], econ, admin)
                    )
                if cols and cur:
                    acc = per_code.setdefault(econ, {})
                    for c in cols:
                        acc[c] = acc.get(c, 0) + cur
            return per_code
        if self._by_class(sels):
            fine: dict[tuple[int, bool, str], tuple[str, ...]] = {}
            for (func, cls, s, basic), (cur, _last) in self.facts.by_func.items():
                k2 = (s, basic, cls)
                cols = fine.get(k2)
                if cols is None:
                    cols = fine[k2] = tuple(
                        c for c, sel in sels.items() if sel.match(sources[s], basic, cls)
                    )
                if cols:
                    acc = per_code.setdefault(func, {})
                    for c in cols:
                        acc[c] = acc.get(c, 0) + cur
            return per_code
        selector = {
            (s.index, basic): tuple(c for c, sel in sels.items() if sel.match(s, basic, "302"))
            for s in sources
            for basic in (True, False)
        }
        for (func, s, basic), (cur, _last) in self.coarse.items():
            cols = selector[(s, basic)]
            if cols:
                acc = per_code.setdefault(func, {})
                for c in cols:
                    acc[c] = acc.get(c, 0) + cur
        return per_code

    def _income_per_code(self, spec: TableSpec) -> dict[str, dict[str, int]]:
        """收入总表: each column holds the sources of the 收支总表 items it equals (the
        profile's identities), else the money its roles name."""
        holder = {s.index: s.income_column for s in self.tp.sources if s.income_column}
        named = set(holder.values())
        extra = {
            k: v
            for k, v in self._sels(spec, spec.columns, spending=False).items()
            if k not in named
        }
        per_code: dict[str, dict[str, int]] = {}
        sources = self.tp.sources
        for (func, s, basic), (cur, _last) in self.coarse.items():
            acc = per_code.setdefault(func, {})
            col = holder.get(s)
            if col is not None:
                acc[col] = acc.get(col, 0) + cur
            for c, sel in extra.items():
                if sel.match(sources[s], basic, "302"):
                    acc[c] = acc.get(c, 0) + cur
        return per_code

    def _coded(self, spec: TableSpec, per_code: dict[str, dict[str, int]]) -> Table:
        """A coded table: 总计, then 类 / 款 / 项 rows with the profile's row sums."""
        table = self._table(spec)
        cols = [c.key for c in spec.columns if c.kind == "amount"]
        classification = spec.classification or "function"
        leaf_len = 7 if classification == "function" else 5
        rolled: dict[str, dict[str, int]] = {}
        for code, values in per_code.items():
            if not any(values.values()):
                continue
            for n in range(3, leaf_len + 1, 2):
                acc = rolled.setdefault(code[:n], {})
                _accumulate(values, acc)
        if not rolled:
            return table
        grand: dict[str, int] = {}
        for code, values in rolled.items():
            if len(code) == 3:
                _accumulate(values, grand)
        list_name = "function" if classification == "function" else "economic_dept"
        table.rows.append(self._sum_row(RowKind.TOTAL, "总计", cols, spec, grand, bold=True))
        for code in sorted(rolled):
            level = (len(code) - 1) // 2
            name = self.names.name(code, list_name) or code
            table.rows.append(
                Row(
                    RowKind.CODE,
                    name,
                    _NOLOC,
                    self._cells(cols, _row_sums(spec, rolled[code])),
                    code=code,
                    level=level,
                    bold=len(code) < leaf_len,
                )
            )
        return table

    # ───────────────────────── two panels ─────────────────────────

    def _source_amounts(self, year: int = 0) -> dict[str, int]:
        """收支总表 leaf item → 分 (a leaf split into several sources adds them up)."""
        out: dict[str, int] = {}
        by_source = self._by_source()
        for s in self.tp.sources:
            out[s.key] = out.get(s.key, 0) + by_source.get(s.index, [0, 0])[year]
        return out

    def _by_source(self) -> dict[int, Pair]:
        return _sum_pairs((s, cur, last) for (_func, s, _basic), (cur, last) in self.coarse.items())

    def _income_panel(self, spec: TableSpec, kind: str) -> dict[str, int]:
        """Left-panel item → 分: the 收支总表's from its sources; another table's from the
        收支总表 items its identities equate it with, else from its items' roles."""
        left = spec.panels[0]
        overview = self.tp.overview
        leaves = self._source_amounts()
        if spec.key == overview.key:
            return leaves
        t1_items = income_items(overview)
        refs = identity_items(self.tp.profile, spec.key, "#", overview.key)
        base = table_filter(spec, kind)
        by_source = self._by_source()
        out: dict[str, int] = {}
        for item in left.items:
            if item.parts or item.total:
                continue
            if item.key in refs:
                keys: set[str] = set()
                for ref in refs[item.key]:
                    keys |= item_sum_keys(t1_items, ref)
                out[item.key] = sum(leaves.get(k, 0) for k in keys)
                continue
            sel = role_sel(item_role(item), self.tp, spending=False)
            if sel is None:
                continue
            sel = base & sel
            out[item.key] = sum(
                by_source.get(s.index, [0, 0])[0]
                for s in self.tp.sources
                if sel.match(s, True, "302") or sel.match(s, False, "302")
            )
        return out

    def _panels(self, spec: TableSpec, kind: str) -> Table:
        """Side-by-side panels: the income items, then each spending side — 功能分类 类 (and
        the items around them), or items selected by role and classification code (部门预算
        支出经济分类 301…, 政府预算支出经济分类 501…). Every spending side adds up to the same
        total; money a side has no row for is an input the template cannot show."""
        table = self._table(spec)
        left, *rights = spec.panels
        income = self._income_panel(spec, kind)
        labels = item_labels(left.items, ordinals=True)
        left_rows: list[Row] = []
        left_total: Row | None = None
        lcol = left.columns[0].key
        for item in left.items:
            amount = sum(income.get(k, 0) for k in item_sum_keys(left.items, item.key))
            row = Row(
                RowKind.TOTAL if item.total else RowKind.ITEM,
                labels[item.key],
                _NOLOC,
                {lcol: self.cell(amount)},
                key=item.key,
                panel=left.key,
                bold=bool(item.parts) or item.total,
            )
            if item.total:
                left_total = row
            else:
                left_rows.append(row)
        sides: list[tuple[list[Row], Row | None]] = [(left_rows, left_total)]
        spending: list[tuple[PanelSpec, dict[str, int]]] = []
        for panel in rights:
            rows, total, values = self._spending_panel(spec, kind, panel)
            sides.append((rows, total))
            if total is not None and panel.columns:
                spending.append((panel, values))
        self._check_sides(spec, kind, spending)
        # Rows in printed order, left to right on each line, the totals on the last line.
        for i in range(max(len(rows) for rows, _ in sides)):
            for rows, _ in sides:
                if i < len(rows):
                    table.rows.append(rows[i])
        for _, total in sides:
            if total is not None:
                table.rows.append(total)
        return table

    def _spending_panel(
        self, spec: TableSpec, kind: str, panel: PanelSpec
    ) -> tuple[list[Row], Row | None, dict[str, int]]:
        """One spending side: its rows, its total row and the total's values by column."""
        cols = [c.key for c in panel.columns]
        fake = self._panel_spec(spec, panel)
        class_rows: list[Row] = []
        grand: dict[str, int] = {}
        if panel.classification == "function":
            classes: dict[str, dict[str, int]] = {}
            for code, values in self._per_code(fake, kind).items():
                acc = classes.setdefault(code[:3], {})
                _accumulate(values, acc)
            class_rows = self._class_rows(
                panel.key, classes, cols, fake, used_only=panel.classes == "used"
            )
            for per_class in classes.values():
                for c, amount in per_class.items():
                    grand[c] = grand.get(c, 0) + amount
        items = list(panel.items)
        by_key = {i.key: i for i in items}
        memo: dict[str, dict[str, int]] = {}

        def value(key: str) -> dict[str, int]:
            got = memo.get(key)
            if got is not None:
                return got
            item = by_key[key]
            if panel.classification and (
                key == panel.total_item or (item.total and not item.parts)
            ):
                got = dict(grand)
            elif item.parts:
                got = {}
                for part in item.parts:
                    for c, v in value(part).items():
                        got[c] = got.get(c, 0) + v
            else:
                sel = self._leaf_sel(items, item, table_filter(spec, kind))
                got = {} if sel is None else self._sel_values(fake, sel, cols)
            memo[key] = got
            return got

        labels = item_labels(items, ordinals=False)
        rows: list[Row] = []
        total_row: Row | None = None
        placed = not class_rows
        for item in items:
            if not placed and (item.key == panel.total_item or item.total):
                rows += class_rows  # the 类 come right before the total they add up to
                placed = True
            values = _row_sums(fake, value(item.key))
            row = Row(
                RowKind.TOTAL if item.total else RowKind.ITEM,
                item.label if item.code or item.key == panel.total_item else labels[item.key],
                _NOLOC,
                self._cells(cols, values),
                key=item.key,
                panel=panel.key,
                bold=bool(item.parts) or item.total or item.key == panel.total_item,
                code=item.code,
                level=1 if item.code else None,
            )
            if item.total:
                total_row = row
            else:
                rows.append(row)
        if not placed:
            rows += class_rows
        total = memo.get(total_row.key, {}) if total_row is not None and total_row.key else {}
        return rows, total_row, _row_sums(fake, total)

    def _panel_spec(self, spec: TableSpec, panel: PanelSpec) -> TableSpec:
        """A panel as a coded table of its own columns (kept: `_row_sums` caches by identity)."""
        key = (spec.key, panel.key)
        got = self._fakes.get(key)
        if got is None:
            keys = {c.key for c in panel.columns}
            got = self._fakes[key] = TableSpec(
                key=spec.key,
                title=spec.title,
                layout="coded",
                classification="function",
                columns=list(panel.columns),
                panels=list(spec.panels),
                row_sums=[r for r in spec.row_sums if {r.total, *r.parts} <= keys],
            )
        return got

    def _leaf_sel(self, items: list[ItemSpec], item: ItemSpec, base: Sel) -> Sel | None:
        """The money a spending item without parts holds: its code's (a 部门经济分类 类 or 款,
        a 政府经济分类 类) or its role's, within the roles of the items it is a part of."""
        if item.code:
            if item.code.startswith("5"):
                own: Sel | None = Sel(govs=frozenset({item.code[:3]}))
            elif len(item.code) == 3:
                own = Sel(classes=frozenset({item.code}))
            else:
                own = Sel(econs=frozenset({item.code}))
        else:
            own = role_sel(item_role(item), self.tp, spending=True)
        if own is None or own.never:
            return None
        sel = base & own
        parents = {p: i for i in items for p in i.parts}
        up = parents.get(item.key)
        while up is not None:
            outer = role_sel(item_role(up), self.tp, spending=True)
            if outer is not None and not outer.never:
                sel = sel & outer
            up = parents.get(up.key)
        return sel

    def _sel_values(self, spec: TableSpec, sel: Sel, cols: list[str]) -> dict[str, int]:
        """Column → 分 of the money `sel` selects (columns by their own roles)."""
        col_sels = self._sels(spec, spec.columns, spending=True)
        wanted = [c for c in cols if c in col_sels]
        sources = self.tp.sources
        values: dict[str, int] = {}
        if sel.needs_econ:
            for (econ, s, basic, admin), (cur, _last) in self.facts.by_econ.items():
                gov = self._gov(econ, admin) if sel.govs is not None else ""
                if not cur or not sel.match(sources[s], basic, econ[:3], econ, admin, gov):
                    continue
                for c in wanted:
                    if col_sels[c].match(sources[s], basic, econ[:3], econ, admin, gov):
                        values[c] = values.get(c, 0) + cur
            return values
        for (_func, cls, s, basic), (cur, _last) in self.facts.by_func.items():
            if not cur or not sel.match(sources[s], basic, cls):
                continue
            for c in wanted:
                if col_sels[c].match(sources[s], basic, cls):
                    values[c] = values.get(c, 0) + cur
        return values

    def _gov(self, econ: str, admin: bool) -> str:
        key = (econ, admin)
        got = self._gov_cache.get(key)
        if got is None:
            got = self._gov_cache[key] = self.names.gov_class(econ, admin) or ""
        return got

    def _check_sides(
        self, spec: TableSpec, kind: str, spending: list[tuple[PanelSpec, dict[str, int]]]
    ) -> None:
        """Every spending side shows all the money: a 经济科目 a side has no row for (西安 表1
        lists 307 债务利息 only under 专项业务经费) is refused, naming the side and the codes."""
        if len(spending) < 2:
            return
        first, expected = spending[0]
        issues: list[Issue] = []
        for panel, values in spending[1:]:
            col = panel.columns[0].key
            if values.get(col, 0) == expected.get(first.columns[0].key, 0):
                continue
            base = table_filter(spec, kind)
            sels = [
                s
                for i in panel.items
                if not i.parts and not i.total
                for s in [self._leaf_sel(list(panel.items), i, base)]
                if s is not None
            ]
            sources = self.tp.sources
            codes = sorted(
                {
                    f"{econ}（{'基本支出' if basic else '项目支出'}）"
                    for (econ, s, basic, admin), (cur, _l) in self.facts.by_econ.items()
                    if cur
                    and base.match(sources[s], basic, econ[:3], econ, admin)
                    and not any(
                        x.match(sources[s], basic, econ[:3], econ, admin, self._gov(econ, admin))
                        for x in sels
                    )
                }
            )
            shown = "、".join(codes[:8]) + ("等" if len(codes) > 8 else "")
            issues.append(
                Issue(
                    "台账",
                    f"模板「{self.tp.profile.id}」{spec.title}的「{panel.label}」没有列示这些经济科目的行：{shown or '（未知）'}",
                    column="经济科目编码",
                )
            )
        if issues:
            raise BuildError(issues)

    def _class_rows(
        self,
        panel: str,
        values: dict[str, dict[str, int]],
        cols: list[str],
        spec: TableSpec,
        used_only: bool = False,
    ) -> list[Row]:
        classes = {} if used_only else dict(self.names.level1_functions())
        for code, v in values.items():
            if any(v.values()) or not used_only:
                classes.setdefault(code, self._fname(code))
        rows = []
        for code in sorted(classes):
            v = _row_sums(spec, values.get(code, {}))
            row = Row(RowKind.CODE, classes[code], _NOLOC, self._cells(cols, v), code=code, level=1)
            row.panel = panel
            rows.append(row)
        return rows

    # ───────────────────────── fixed items ─────────────────────────

    def _items(self, spec: TableSpec, kind: str) -> Table:
        """Fixed rows × columns (三公 table): a cell holds what its row and column both name."""
        table = self._table(spec)
        cols = [c.key for c in spec.columns if c.kind == "amount"]
        base = table_filter(spec, kind)
        col_sels = self._sels(spec, spec.columns, spending=True)
        sources = self.tp.sources
        labels = item_labels(spec.items, ordinals=False)
        leaf_values: dict[str, dict[str, int]] = {}
        for item in spec.items:
            if item.parts:
                continue
            row_sel = None if item.total else role_sel(item_role(item), self.tp, True)
            sel = base if row_sel is None else base & row_sel
            values: dict[str, int] = {}
            for (econ, s, basic, admin), (cur, _last) in self.facts.by_econ.items():
                if not cur or not sel.match(sources[s], basic, econ[:3], econ, admin):
                    continue
                for c, cs in col_sels.items():
                    if cs.match(sources[s], basic, econ[:3], econ, admin):
                        values[c] = values.get(c, 0) + cur
            leaf_values[item.key] = values
        for item in spec.items:
            values = {}
            for leaf in item_sum_keys(spec.items, item.key):
                for c, v in leaf_values.get(leaf, {}).items():
                    values[c] = values.get(c, 0) + v
            table.rows.append(
                Row(
                    RowKind.TOTAL if item.total else RowKind.ITEM,
                    labels[item.key],
                    _NOLOC,
                    self._cells(cols, _row_sums(spec, values)),
                    key=item.key,
                    bold=bool(item.parts) or item.total,
                )
            )
        return table

    # ───────────────────────── grouped by unit ─────────────────────────

    def _grouped_lines(self, spec: TableSpec, kind: str) -> tuple[dict[str, Sel], Sel]:
        base = table_filter(spec, kind)
        own = self._sels(spec, spec.columns, spending=kind != "income")
        if kind == "income":  # by source: the 收支总表 items each column equals
            for col, sources in income_column_sources(self.tp, spec).items():
                own[col] = Sel(sources=sources)
        sels = {k: base & v for k, v in own.items()}
        return sels, base

    def _columns_of(
        self, sels: dict[str, Sel], base: Sel
    ) -> Callable[[int, str, int, bool], tuple[str, ...]]:
        """The amount columns a ledger line (unit, 经济科目, source, 基本/项目) adds to, memoised:
        a ledger of 10⁶ lines has few distinct combinations."""
        sources = self.tp.sources
        admin = [u.kind in ("行政", "参公") for u in self.dept.units]
        cache: dict[tuple[int, bool, str, bool], tuple[str, ...]] = {}

        def columns_of(u: int, econ: str, s: int, basic: bool) -> tuple[str, ...]:
            k = (s, basic, econ, admin[u])
            got = cache.get(k)
            if got is None:
                args = (sources[s], basic, econ[:3], econ, admin[u])
                got = cache[k] = (
                    tuple(c for c, sel in sels.items() if sel.match(*args))
                    if base.match(*args)
                    else ()
                )
            return got

        return columns_of

    def _coded_grouped(self, spec: TableSpec, kind: str) -> Table:
        """Units, their 功能科目 and projects (一般公共预算项目支出表)."""
        table = self._table(spec)
        cols = [c.key for c in spec.columns if c.kind == "amount"]
        columns_of = self._columns_of(*self._grouped_lines(spec, kind))
        by_unit: dict[int, dict[str, dict[str, dict[str, int]]]] = {}
        for u, func, econ, s, basic, project, cur in self.facts.lines:
            got = columns_of(u, econ, s, basic)
            if not got:
                continue
            values = by_unit.setdefault(u, {}).setdefault(func, {}).setdefault(project, {})
            for c in got:
                values[c] = values.get(c, 0) + cur
        if not by_unit:
            return table
        grand: dict[str, int] = {}
        body: list[Row] = []
        for u, funcs in by_unit.items():
            unit = self.unit_names[u]
            unit_sum: dict[str, int] = {}
            rolled: dict[str, dict[str, int]] = {}
            for func, projects in funcs.items():
                for values in projects.values():
                    for n in (3, 5):
                        acc = rolled.setdefault(func[:n], {})
                        _accumulate(values, acc)
                    _accumulate(values, unit_sum, grand)
            body.append(
                self._sum_row(
                    RowKind.UNIT,
                    unit,
                    cols,
                    spec,
                    unit_sum,
                    unit_name=unit,
                    bold=True,
                )
            )
            for code in sorted({*rolled, *funcs}):
                if len(code) < 7:
                    body.append(
                        Row(
                            RowKind.CODE,
                            self._fname(code),
                            _NOLOC,
                            self._cells(cols, _row_sums(spec, rolled[code])),
                            code=code,
                            level=(len(code) - 1) // 2,
                            unit_name=unit,
                            bold=True,
                        )
                    )
                    continue
                for project, values in funcs[code].items():
                    body.append(
                        self._sum_row(
                            RowKind.PROJECT,
                            self._fname(code),
                            cols,
                            spec,
                            values,
                            code=code,
                            level=3,
                            unit_name=unit,
                            project=project,
                        )
                    )
        table.rows.append(self._sum_row(RowKind.TOTAL, "总计", cols, spec, grand, bold=True))
        table.rows.extend(body)
        return table

    def _grouped_items(self, spec: TableSpec, kind: str) -> Table:
        """总计, the 部门 row (when it has a code), unit rows and under each unit: a row per
        project or 基本支出 (上年结转结余), or the template's blocks (西安 表10: 通用项目, 专用项目)
        with the projects the department file places in them."""
        table = self._table(spec)
        cols = [c.key for c in spec.columns if c.kind == "amount"]
        sels, base = self._grouped_lines(spec, kind)
        years = {c.key: column_year(c) for c in spec.columns if c.key in sels}
        detail = kind == "carryover"
        blocks = bool(spec.items) and kind == "projects"
        by_unit: dict[int, dict[str, dict[str, int]]] = {}
        if any(y != "current" for y in years.values()):
            self._by_unit_years(sels, base, years, by_unit)
        else:
            columns_of = self._columns_of(sels, base)
            # A 收入总表 or 支出总表 shows all the money: a source no column holds is refused.
            whole = kind in ("income", "expense")
            admin = [u.kind in ("行政", "参公") for u in self.dept.units]
            unplaced: set[int] = set()
            for u, _func, econ, s, basic, project, cur in self.facts.lines:
                got = columns_of(u, econ, s, basic)
                if not got:
                    if whole and base.match(self.tp.sources[s], basic, econ[:3], econ, admin[u]):
                        unplaced.add(s)
                    continue
                label = (project or "基本支出") if detail or blocks else ""
                values = by_unit.setdefault(u, {}).setdefault(label, {})
                for c in got:
                    values[c] = values.get(c, 0) + cur
            if unplaced:
                names = "、".join(self.tp.sources[i].label for i in sorted(unplaced))
                raise BuildError(
                    [
                        Issue(
                            "台账",
                            f"模板「{self.tp.profile.id}」的{spec.title}没有列示这些资金来源的列："
                            f"{names}（这种钱无处列示，不能用于该模板）",
                            column="资金来源",
                        )
                    ]
                )
        if not by_unit:
            return table
        grand: dict[str, int] = {}
        body: list[Row] = []
        for u, items in by_unit.items():
            unit = self.unit_names[u]
            unit_sum: dict[str, int] = {}
            for values in items.values():
                _accumulate(values, unit_sum, grand)
            code = self.dept.units[u].code or None
            body.append(
                self._sum_row(
                    RowKind.UNIT,
                    unit,
                    cols,
                    spec,
                    unit_sum,
                    unit_name=unit,
                    unit_code=code,
                )
            )
            if blocks:
                body += self._blocks(spec, unit, items, cols)
            elif detail:
                body += [
                    self._sum_row(
                        RowKind.PROJECT,
                        label,
                        cols,
                        spec,
                        values,
                        unit_name=unit,
                        project=label,
                    )
                    for label, values in items.items()
                ]
        table.rows.append(
            Row(RowKind.TOTAL, "总计", _NOLOC, self._cells(cols, _row_sums(spec, grand)))
        )
        if self.dept.code and any(u.code for u in self.dept.units):
            # The 部门 (`122`) above its units (`122001` …), as tables by unit code print it.
            name = self.dept.department
            table.rows.append(
                self._sum_row(
                    RowKind.UNIT,
                    name,
                    cols,
                    spec,
                    grand,
                    unit_name=name,
                    unit_code=self.dept.code,
                )
            )
        table.rows.extend(body)
        return table

    def _by_unit_years(
        self,
        sels: dict[str, Sel],
        base: Sel,
        years: dict[str, str],
        by_unit: dict[int, dict[str, dict[str, int]]],
    ) -> None:
        """Unit → column → 分 for a table with last year's and the change's columns (西安 表13
        上年 | 当年 | 增减): from the ledger's lines by unit and 经济科目, both years."""
        sources = self.tp.sources
        admin = [u.kind in ("行政", "参公") for u in self.dept.units]
        for (u, econ, s, basic), (cur, last) in self.facts.by_unit_econ.items():
            args = (sources[s], basic, econ[:3], econ, admin[u])
            if not base.match(*args):
                continue
            values = by_unit.setdefault(u, {}).setdefault("", {})
            for c, sel in sels.items():
                if sel.match(*args):
                    year = years[c]
                    amount = cur if year == "current" else last if year == "last" else cur - last
                    values[c] = values.get(c, 0) + amount
        for u in [
            u for u, items in by_unit.items() if not any(any(v.values()) for v in items.values())
        ]:
            del by_unit[u]

    def _blocks(
        self, spec: TableSpec, unit: str, projects: dict[str, dict[str, int]], cols: list[str]
    ) -> list[Row]:
        """A unit's projects under the template's blocks (通用项目, 专用项目): each block's row,
        then its project classes (`group`) and projects, as the department file places them;
        a project it does not place goes in the first block."""
        first = spec.items[0]
        where: dict[str, tuple[str, str]] = {}  # project → (block key, group)
        for p in self.dept.projects:
            if normalize_name(p.unit) != normalize_name(unit):
                continue
            block_key = next(
                (
                    i.key
                    for i in spec.items
                    if normalize_name(p.category)
                    in {normalize_name(n) for n in [i.label, *i.aliases]}
                ),
                first.key,
            )
            where[normalize_name(p.name)] = (block_key, p.group.strip())
        intro = {
            normalize_name(p.name): p.intro
            for p in self.dept.projects
            if normalize_name(p.unit) == normalize_name(unit) and p.intro
        }
        text_col = next((c.key for c in spec.columns if c.kind == "text"), None)
        rows: list[Row] = []
        for item in spec.items:
            placed = [
                (name, values)
                for name, values in projects.items()
                if where.get(normalize_name(name), (first.key, ""))[0] == item.key
            ]
            if not placed:
                continue
            block: dict[str, int] = {}
            groups: dict[str, dict[str, int]] = {}
            for name, values in placed:
                group = where.get(normalize_name(name), ("", ""))[1] or name
                acc = groups.setdefault(group, {})
                _accumulate(values, block, acc)
            rows.append(
                self._sum_row(
                    RowKind.ITEM,
                    item.label,
                    cols,
                    spec,
                    block,
                    key=item.key,
                    unit_name=unit,
                )
            )
            for group, gvalues in groups.items():
                members = [
                    (n, v)
                    for n, v in placed
                    if (where.get(normalize_name(n), ("", ""))[1] or n) == group
                ]
                if not (len(members) == 1 and members[0][0] == group):
                    rows.append(self._project_row(group, unit, cols, spec, gvalues, None, None))
                for name, values in members:
                    rows.append(
                        self._project_row(
                            name,
                            unit,
                            cols,
                            spec,
                            values,
                            text_col,
                            intro.get(normalize_name(name)),
                        )
                    )
        return rows

    def _project_row(
        self,
        name: str,
        unit: str,
        cols: list[str],
        spec: TableSpec,
        values: dict[str, int],
        text_col: str | None,
        text: str | None,
    ) -> Row:
        row = self._sum_row(
            RowKind.PROJECT,
            name,
            cols,
            spec,
            values,
            unit_name=unit,
            project=name,
        )
        if text_col and text:
            row.texts = {text_col: text}
        return row

    # ─────────────────────── lists from the department file ───────────────────────

    def _purchases(self, spec: TableSpec) -> Table:
        """政府采购预算表 (西安 表12): 合计, then each purchase the department file lists, with its
        部门 and 政府预算支出经济分类 (the latter from the unit's kind and the catalog's table)."""
        table = self._table(spec)
        procurement = self.dept.procurement
        items = procurement.items if procurement is not None else []
        if not items:
            return table
        amount = next((c.key for c in spec.columns if c.kind == "amount"), None)
        if amount is None:
            return table
        total = 0
        rows: list[Row] = []
        for item in items:
            fen = int(item.amount * FEN_PER_WAN)
            total += fen
            unit = self.dept.unit(item.unit)
            agency = unit is None or unit.kind in ("行政", "参公")
            gov = self.names.gov_item(item.economic, agency) or ""
            texts = {}
            for c in spec.columns:
                if c.kind != "amount":
                    text = _purchase_text(c.label, item.quantity, item.when, item.note)
                    text = text or _code_part(c.label, item.economic, gov)
                    if text:
                        texts[c.key] = text
            label = " ".join(
                t for t in (item.function, item.project, item.catalog, item.content, item.spec) if t
            )
            row = Row(RowKind.ITEM, label, _NOLOC, {amount: self.cell(fen)}, texts=texts)
            rows.append(row)
        table.rows.append(Row(RowKind.TOTAL, "合计", _NOLOC, {amount: self.cell(total)}, bold=True))
        table.rows += rows
        return table

    def _meetings(self, spec: TableSpec) -> Table:
        """会议费 / 培训费明细表 (西安): the department file's list, which must add up to the
        ledger's 会议费 (培训费) as the 三公 table counts it."""
        table = self._table(spec)
        role = role_of([spec.title])
        entries = self.dept.meetings if role == "meeting" else self.dept.trainings
        amount = next((c.key for c in spec.columns if c.kind == "amount"), None)
        if not entries or amount is None or role not in ECON_ROLES:
            return table
        listed = sum((e.amount for e in entries), Decimal(0))
        sangong = self.tp.of_kind("sangong")
        base = table_filter(sangong, "sangong") if sangong is not None else Sel(fiscal=True)
        sel = base & Sel(econs=frozenset(ECON_ROLES[role]), carry=False)
        sources = self.tp.sources
        ledger = sum(
            cur
            for (econ, s, basic, admin), (cur, _last) in self.facts.by_econ.items()
            if sel.match(sources[s], basic, econ[:3], econ, admin)
        )
        if wan(ledger) != listed:
            key = "meetings" if role == "meeting" else "trainings"
            raise BuildError(
                [
                    Issue(
                        "部门文件",
                        f"{spec.title}各项之和 {format_amount(listed)} 万元，与台账中的"
                        f"{'会议费' if role == 'meeting' else '培训费'}（"
                        f"{'、'.join(ECON_ROLES[role])}）{format_amount(wan(ledger))} 万元不符",
                        column=key,
                    )
                ]
            )
        for e in entries:
            texts = {}
            for c in spec.columns:
                if c.kind != "amount":
                    text = _purchase_text(c.label, "", e.when, e.note)
                    text = text or (e.people if "人数" in c.label else "")
                    if text:
                        texts[c.key] = text
            table.rows.append(
                Row(
                    RowKind.ITEM,
                    e.name,
                    _NOLOC,
                    {amount: self.cell(int(e.amount * FEN_PER_WAN))},
                    texts=texts,
                )
            )
        return table


def _purchase_text(label: str, quantity: str, when: str, note: str) -> str:
    """A text column of a list from the department file, by the words of its label."""
    if "数量" in label:
        return quantity
    if "时间" in label:
        return when
    if "说明" in label or "备注" in label:
        return note
    return ""


def _code_part(label: str, dept: str, gov: str) -> str:
    """`部门预算支出经济科目编码（类）` → 302; `政府…（款）` → 05: the 类 or 款 digits of a code."""
    if "经济" not in label:
        return ""
    code = gov if "政府" in label else dept
    if not code:
        return ""
    words = normalize_name(label)
    if words.endswith(("类)", "类）")):
        return code[:3]
    if words.endswith(("款)", "款）")):
        return code[3:5]
    return code
