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

from yusuan.compose.department import Department
from yusuan.compose.ledger import Ledger
from yusuan.compose.names import CodeNames
from yusuan.compose.template import (
    PERSONNEL_CLASSES,
    Sel,
    Template,
    column_sel,
    identity_items,
    income_items,
    item_role,
    item_sum_keys,
    role_sel,
    table_filter,
)
from yusuan.model.provenance import Loc
from yusuan.model.tables import Cell, Column, Row, RowKind, Table
from yusuan.money import Unit
from yusuan.profiles.schema import ItemSpec, TableSpec

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 分
Pair = list[int]  # [this year 分, last year 分]
_NOLOC = Loc()
_CN_ORDINALS = "一二三四五六七八九十"


def wan(fen: int) -> Decimal:
    """分 → 万元 rounded half up to 0.01 (amounts are never negative)."""
    hundredths = (abs(fen) + 5_000) // 10_000
    return Decimal(-hundredths if fen < 0 else hundredths).scaleb(-2)


def cell(fen: int) -> Cell:
    """A printed cell: blank when the exact amount is zero, else 万元 to two decimals."""
    if fen == 0:
        return Cell(None, "", _NOLOC)
    hundredths = (fen + 5_000) // 10_000  # half up; amounts are never negative
    whole, cents = divmod(hundredths, 100)
    return Cell(Decimal(hundredths).scaleb(-2), f"{whole:,}.{cents:02d}", _NOLOC, 2)


def yuan_cell(fen: int) -> Cell:
    """A cell of a table in 元: whole 元 (as 元 templates print them), blank when zero."""
    if fen == 0:
        return Cell(None, "", _NOLOC)
    whole = (fen + 50) // 100
    return Cell(Decimal(whole), f"{whole:,}", _NOLOC, 0)


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
    carry_fin: int = 0
    carry_nonfin: int = 0
    carry_items: list[tuple[str, str, int]] = field(default_factory=list)  # unit, item, 分
    projects: list[tuple[str, str, int]] = field(default_factory=list)  # unit, project, 分
    income_total: int = 0
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
        totals = _totals(facts, template, dept, names)
        builder = _Builder(template, names, dept, facts)
        tables = {key: builder.build(key) for key in template.specs}
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


def _by_econ_sources(tp: Template) -> frozenset[int]:
    """Sources whose lines tables by 经济科目 (and 三公, 机关运行经费, the narrative's 人员经费)
    may count: 财政拨款 this year, and whatever an economic or fixed-item table shows."""
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
    by_func: dict[FuncKey, Pair] = {}
    by_econ: dict[EconKey, Pair] = {}
    lines: list[GLine] = []
    for (u, func, econ, src, basic, project), (_row, cur, last) in ledger.lines.items():
        k = (func, econ[:3], src, basic)
        p = by_func.get(k)
        if p is None:
            by_func[k] = [cur, last]
        else:
            p[0] += cur
            p[1] += last
        if by_econ_ok[src]:
            e = (econ, src, basic, admin[u])
            p = by_econ.get(e)
            if p is None:
                by_econ[e] = [cur, last]
            else:
                p[0] += cur
                p[1] += last
        if cur and (list_basic[src] if basic else list_project[src]):
            lines.append((u, func, econ, src, basic, project, cur))
    return Facts(by_func, by_econ, lines)


def _add(d: dict[str, Pair], key: str, cur: int, last: int) -> None:
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
        p = by_source.get(s)
        if p is None:
            by_source[s] = [cur, last]
        else:
            p[0] += cur
            p[1] += last
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
    # 三公 as the template's 三公 table counts it (财政拨款, or 一般公共预算 only: 湖南).
    spec = tp.of_kind("sangong")
    sangong_sel = table_filter(spec, "sangong") if spec is not None else Sel(fiscal=True)
    for (econ, s, basic, admin), (cur, last) in facts.by_econ.items():
        source = src[s]
        if source.carry or not source.fiscal:
            continue
        role = sangong_of.get(econ)
        if role is not None and sangong_sel.match(source, basic, econ[:3], econ, admin):
            _add(t.sangong, role, cur, last)
            _add(t.sangong, "total", cur, last)
            if role.startswith("car-"):
                _add(t.sangong, "car", cur, last)
        if source.budget != "general" or not basic:
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
        elif not basic and source.budget == "general":
            prj = nested.setdefault(u, {}).setdefault(func, {})
            prj[project] = prj.get(project, 0) + cur
    merged: dict[tuple[str, str], int] = {}
    for u, funcs in nested.items():
        for projects in funcs.values():
            for project, scale in projects.items():
                key = (unit_names[u], project)
                merged[key] = merged.get(key, 0) + scale
    t.projects = [(u, p, s) for (u, p), s in merged.items()]
    t.carry_items = [
        (unit_names[u], lab, v) for u, items in carry.items() for lab, v in items.items()
    ]
    return t


_SUM_ORDER: dict[int, list[tuple[str, tuple[str, ...]]]] = {}


def _row_sums(spec: TableSpec, values: dict[str, int]) -> dict[str, int]:
    """Fill the profile's `row_sums` totals (a total may be a part of another)."""
    order = _SUM_ORDER.get(id(spec))
    if order is None:
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
        _SUM_ORDER[id(spec)] = order
    out = dict(values)
    for total, parts in order:
        out[total] = sum(out.get(p, 0) for p in parts)
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
    """Printed labels: `一、本年收入`, `1、一般公共预算拨款`, `其中：一般财力` (as templates do)."""
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
        coarse: dict[tuple[str, int, bool], Pair] = {}
        for (func, _cls, s, basic), (cur, last) in facts.by_func.items():
            p = coarse.get((func, s, basic))
            if p is None:
                coarse[(func, s, basic)] = [cur, last]
            else:
                p[0] += cur
                p[1] += last
        self.coarse = coarse

    # ───────────────────────── shared ─────────────────────────

    def build(self, key: str) -> Table:
        spec = self.tp.spec(key)
        kind = self.tp.kinds[key]
        self.unit = spec.unit or self.profile_unit
        self.cell = yuan_cell if self.unit == "元" else cell
        if spec.layout == "two-panel":
            return self._two_panel(spec, kind)
        if spec.layout == "coded":
            if kind == "income":
                return self._coded(spec, self._income_per_code(spec))
            return self._coded(spec, self._per_code(spec, kind))
        if spec.layout == "coded-grouped":
            return self._coded_grouped(spec, kind)
        if spec.layout == "items":
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
        if spec.layout == "two-panel":
            table.columns = [Column(c.key, c.label, p.key) for p in spec.panels for c in p.columns]
        else:
            table.columns = [Column(c.key, c.label) for c in spec.columns]
        return table

    def _cells(self, cols: Iterable[str], values: dict[str, int]) -> dict[str, Cell]:
        c = self.cell
        return {k: c(values.get(k, 0)) for k in cols}

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
                for c, v in values.items():
                    acc[c] = acc.get(c, 0) + v
        if not rolled:
            return table
        grand: dict[str, int] = {}
        for code, values in rolled.items():
            if len(code) == 3:
                for c, v in values.items():
                    grand[c] = grand.get(c, 0) + v
        list_name = "function" if classification == "function" else "economic_dept"
        table.rows.append(
            Row(RowKind.TOTAL, "总计", _NOLOC, self._cells(cols, _row_sums(spec, grand)), bold=True)
        )
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
        out: dict[int, Pair] = {}
        for (_func, s, _basic), (cur, last) in self.coarse.items():
            p = out.get(s)
            if p is None:
                out[s] = [cur, last]
            else:
                p[0] += cur
                p[1] += last
        return out

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

    def _two_panel(self, spec: TableSpec, kind: str) -> Table:
        table = self._table(spec)
        left, right = spec.panels
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
        right_cols = [c.key for c in right.columns]
        fake = TableSpec(
            key=spec.key,
            title=spec.title,
            layout="coded",
            classification="function",
            columns=list(right.columns),
            row_sums=list(spec.row_sums),
        )
        right_rows: list[Row] = []
        grand: dict[str, int] = {}
        if right.classification == "function":
            classes: dict[str, dict[str, int]] = {}
            for code, values in self._per_code(fake, kind).items():
                acc = classes.setdefault(code[:3], {})
                for c, v in values.items():
                    acc[c] = acc.get(c, 0) + v
            right_rows = self._class_rows(
                right.key, classes, right_cols, spec, used_only=right.classes == "used"
            )
            for per_class in classes.values():
                for c, amount in per_class.items():
                    grand[c] = grand.get(c, 0) + amount
        right_total: Row | None = None
        rlabels = item_labels(right.items, ordinals=False)
        for item in right.items:
            if item.total or item.key == right.total_item:
                values = _row_sums(spec, grand) if right.classification else {}
                if not right.classification:
                    values = self._item_values(fake, kind, right.items, item, right_cols)
                # The panel's own total (支出总计) closes the table; a subtotal the classes
                # add up to (湖南 本年支出) is an item row like the others.
                row = Row(
                    RowKind.TOTAL if item.total else RowKind.ITEM,
                    item.label,
                    _NOLOC,
                    self._cells(right_cols, values),
                    key=item.key,
                    panel=right.key,
                    bold=True,
                )
                if item.total:
                    right_total = row
                else:
                    right_rows.append(row)
                continue
            values = self._item_values(fake, kind, right.items, item, right_cols)
            right_rows.append(
                Row(
                    RowKind.ITEM,
                    rlabels[item.key],
                    _NOLOC,
                    self._cells(right_cols, values),
                    key=item.key,
                    panel=right.key,
                    bold=bool(item.parts),
                )
            )
        # Rows in printed order, left before right on each line, totals on the last line.
        for i in range(max(len(left_rows), len(right_rows))):
            if i < len(left_rows):
                table.rows.append(left_rows[i])
            if i < len(right_rows):
                table.rows.append(right_rows[i])
        if left_total is not None:
            table.rows.append(left_total)
        if right_total is not None:
            table.rows.append(right_total)
        return table

    def _item_values(
        self,
        spec: TableSpec,
        kind: str,
        items: list[ItemSpec],
        item: ItemSpec,
        cols: list[str],
    ) -> dict[str, int]:
        """An item row of spending (基本支出, 项目支出 …): Σ of its leaves' money per column."""
        base = table_filter(spec, kind)
        col_sels = self._sels(spec, spec.columns, spending=True)
        values: dict[str, int] = {}
        sources = self.tp.sources
        for leaf_key in item_sum_keys(items, item.key):
            leaf = next(i for i in items if i.key == leaf_key)
            sel = role_sel(item_role(leaf), self.tp, spending=True)
            if sel is None:
                continue
            sel = base & sel
            for (_func, s, basic), (cur, _last) in self.coarse.items():
                if not sel.match(sources[s], basic, "302"):
                    continue
                for c in cols:
                    cs = col_sels.get(c)
                    if cs is None and any(r.total == c for r in spec.row_sums):
                        continue
                    if cs is None or cs.match(sources[s], basic, "302"):
                        values[c] = values.get(c, 0) + cur
        return _row_sums(spec, values)

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
        sels = {k: base & v for k, v in self._sels(spec, spec.columns, spending=True).items()}
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
                        for c, v in values.items():
                            acc[c] = acc.get(c, 0) + v
                    for c, v in values.items():
                        unit_sum[c] = unit_sum.get(c, 0) + v
                        grand[c] = grand.get(c, 0) + v
            body.append(
                Row(
                    RowKind.UNIT,
                    unit,
                    _NOLOC,
                    self._cells(cols, _row_sums(spec, unit_sum)),
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
                        Row(
                            RowKind.PROJECT,
                            self._fname(code),
                            _NOLOC,
                            self._cells(cols, _row_sums(spec, values)),
                            code=code,
                            level=3,
                            unit_name=unit,
                            project=project,
                        )
                    )
        table.rows.append(
            Row(RowKind.TOTAL, "总计", _NOLOC, self._cells(cols, _row_sums(spec, grand)), bold=True)
        )
        table.rows.extend(body)
        return table

    def _grouped_items(self, spec: TableSpec, kind: str) -> Table:
        """总计, unit rows and (for 上年结转结余) a row per project or 基本支出 under each."""
        table = self._table(spec)
        cols = [c.key for c in spec.columns if c.kind == "amount"]
        columns_of = self._columns_of(*self._grouped_lines(spec, kind))
        detail = kind == "carryover"
        by_unit: dict[int, dict[str, dict[str, int]]] = {}
        for u, _func, econ, s, basic, project, cur in self.facts.lines:
            got = columns_of(u, econ, s, basic)
            if not got:
                continue
            label = (project or "基本支出") if detail else ""
            values = by_unit.setdefault(u, {}).setdefault(label, {})
            for c in got:
                values[c] = values.get(c, 0) + cur
        if not by_unit:
            return table
        grand: dict[str, int] = {}
        body: list[Row] = []
        for u, items in by_unit.items():
            unit = self.unit_names[u]
            unit_sum: dict[str, int] = {}
            rows: list[Row] = []
            for label, values in items.items():
                for c, v in values.items():
                    unit_sum[c] = unit_sum.get(c, 0) + v
                    grand[c] = grand.get(c, 0) + v
                if detail:
                    rows.append(
                        Row(
                            RowKind.PROJECT,
                            label,
                            _NOLOC,
                            self._cells(cols, _row_sums(spec, values)),
                            unit_name=unit,
                            project=label,
                        )
                    )
            body.append(
                Row(
                    RowKind.UNIT,
                    unit,
                    _NOLOC,
                    self._cells(cols, _row_sums(spec, unit_sum)),
                    unit_name=unit,
                )
            )
            body.extend(rows)
        table.rows.append(
            Row(RowKind.TOTAL, "总计", _NOLOC, self._cells(cols, _row_sums(spec, grand)))
        )
        table.rows.extend(body)
        return table
