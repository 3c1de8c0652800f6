"""Ledger lines → the template's tables, exactly (分), rounded to 万元 only when printed.

One pass over the lines fills a few aggregates (by 功能科目 and source, by 经济科目, by unit and
project, 三公, 结转); every table is then laid out from them. `Totals` keeps the exact sums
the narrative needs for its shares and year-on-year changes.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from yusuan.compose.department import Department
from yusuan.compose.ledger import Ledger
from yusuan.compose.names import CodeNames
from yusuan.compose.template import PERSONNEL_CLASSES, T7_ECON_COLUMNS, Template, item_sum_keys
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
    budget_total: dict[str, int] = field(default_factory=dict)  # general/fund/capital → 分
    personnel: int = 0
    public: int = 0
    personnel_items: list[str] = field(default_factory=list)  # 款 names with 人员经费
    public_items: list[str] = field(default_factory=list)
    operating: Pair = field(default_factory=lambda: [0, 0])  # 机关运行经费
    sangong: dict[str, Pair] = field(default_factory=dict)  # T10 item → pair (all budgets)
    carry_fin: int = 0
    carry_nonfin: int = 0
    carry_items: list[tuple[str, str, int]] = field(default_factory=list)  # unit, item, 分
    projects: list[tuple[str, str, int]] = field(default_factory=list)  # unit, project, 分
    income_total: int = 0
    expense_classes: list[str] = field(default_factory=list)  # 类 with spending (any source)


@dataclass(slots=True)
class Compiled:
    tables: dict[str, Table]
    totals: Totals


def _pair(d: dict[object, Pair], key: object) -> Pair:
    p = d.get(key)
    if p is None:
        p = d[key] = [0, 0]
    return p


def compile_tables(
    ledger: Ledger, template: Template, dept: Department, names: CodeNames
) -> Compiled:
    # No cycles are made here either: spare the collector's walks over a large ledger.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _compile(ledger, template, dept, names)
    finally:
        if enabled:
            gc.enable()


def _compile(ledger: Ledger, template: Template, dept: Department, names: CodeNames) -> Compiled:
    sources = template.sources
    budget_of = [s.budget for s in sources]
    carry_of = [s.carry for s in sources]
    admin = [u.kind in ("行政", "参公") for u in dept.units]
    unit_names = [u.name for u in dept.units]
    sangong_of = {code: item for item, codes in template.sangong.items() for code in codes}

    by_func: dict[tuple[str, int, bool], Pair] = {}
    t6: dict[str, int] = defaultdict(int)
    operating = [0, 0]
    t7: dict[int, dict[str, dict[str, dict[str, int]]]] = {}  # unit → 项 → project → column
    t10: dict[tuple[str, str], Pair] = {}
    t11: dict[int, dict[str, dict[str, int]]] = {}
    other_budgets: dict[str, dict[tuple[str, str, bool], int]] = {"fund": {}, "capital": {}}
    for (u, func, econ, src, basic, project), (_row, cur, last) in ledger.lines.items():
        p = by_func.get((func, src, basic))
        if p is None:
            by_func[(func, src, basic)] = [cur, last]
        else:
            p[0] += cur
            p[1] += last
        budget = budget_of[src]
        if budget is not None:
            item = sangong_of.get(econ)
            if item is not None:
                q = _pair(t10, (item, budget))  # type: ignore[arg-type]
                q[0] += cur
                q[1] += last
            if budget != "general":
                detail = other_budgets[budget]
                k = (func, econ[:3], basic)
                detail[k] = detail.get(k, 0) + cur
            else:
                if basic:
                    t6[econ] += cur
                    if admin[u] and econ[:3] not in PERSONNEL_CLASSES:
                        operating[0] += cur
                        operating[1] += last
                elif cur:
                    col = T7_ECON_COLUMNS[econ[:3]]
                    cols = t7.setdefault(u, {}).setdefault(func, {}).setdefault(project, {})
                    cols[col] = cols.get(col, 0) + cur
        carry = carry_of[src]
        if carry is not None and cur:
            if basic:
                col = "personnel" if econ[:3] in PERSONNEL_CLASSES else "public"
                label = project or "基本支出"
            else:
                col, label = "project", project
            cols = t11.setdefault(u, {}).setdefault(label, {})
            key = f"{carry}_{col}"
            cols[key] = cols.get(key, 0) + cur

    totals = Totals()
    layout = _Layout(template, names, dept, by_func, totals)
    tables = {
        "T1": layout.t1(),
        "T2": layout.t2(),
        "T3": layout.t3(),
        "T4": layout.t4(),
        "T5": layout.t5(),
        "T6": layout.t6(t6),
        "T7": layout.t7(t7, unit_names),
        "T8": layout.budget_table("T8", other_budgets["fund"]),
        "T9": layout.budget_table("T9", other_budgets["capital"]),
        "T10": layout.t10(t10),
        "T11": layout.t11(t11, unit_names),
    }
    totals.operating = operating
    return Compiled(tables, totals)


_SUM_ORDER: dict[int, list[tuple[str, tuple[str, ...]]]] = {}


def _row_sums(spec: TableSpec, values: dict[str, int]) -> dict[str, int]:
    """Fill the profile's `row_sums` totals (a total may be a part of another)."""
    order = _SUM_ORDER.get(id(spec))
    if order is None:
        order = []
        pending = list(spec.row_sums)
        while pending:
            done = {r.total for r in pending}
            ready = [r for r in pending if not any(p in done for p in r.parts)]
            if not ready:  # a cycle cannot come from a valid profile; stop anyway
                break
            for r in ready:
                order.append((r.total, tuple(r.parts)))
                pending.remove(r)
        _SUM_ORDER[id(spec)] = order
    out = dict(values)
    for total, parts in order:
        out[total] = sum(out.get(p, 0) for p in parts)
    return out


def _cells(spec_columns: Iterable[str], values: dict[str, int]) -> dict[str, Cell]:
    return {c: cell(values.get(c, 0)) for c in spec_columns}


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


class _Layout:
    def __init__(
        self,
        template: Template,
        names: CodeNames,
        dept: Department,
        by_func: dict[tuple[str, int, bool], Pair],
        totals: Totals,
    ) -> None:
        self.tp = template
        self.names = names
        self.dept = dept
        self.by_func = by_func
        self.totals = totals
        src = template.sources
        for (func, s, basic), (cur, last) in by_func.items():
            p = _pair(totals.by_source, s)  # type: ignore[arg-type]
            p[0] += cur
            p[1] += last
            both = totals.basic if basic else totals.project
            both[0] += cur
            both[1] += last
            budget = src[s].budget
            if budget is not None:
                totals.budget_total[budget] = totals.budget_total.get(budget, 0) + cur
                by_class = totals.budget_by_class.setdefault(budget, {})
                by_class[func[:3]] = by_class.get(func[:3], 0) + cur
            if budget == "general":
                gp = totals.gp_basic if basic else totals.gp_project
                gp[0] += cur
                gp[1] += last
                item = _pair(totals.gp_items, func)  # type: ignore[arg-type]
                item[0] += cur
                item[1] += last
        totals.income_total = sum(p[0] for p in totals.by_source.values())

    # ───────────────────────── shared ─────────────────────────

    def _table(self, key: str) -> Table:
        spec = self.tp.spec(key)
        table = Table(
            key=key,
            title=spec.title,
            printed_title=spec.title,
            loc=_NOLOC,
            number=spec.number,
            label=f"表{spec.number}" if spec.number is not None else None,
            unit=Unit.WAN,
        )
        if spec.layout == "two-panel":
            table.columns = [Column(c.key, c.label, p.key) for p in spec.panels for c in p.columns]
        else:
            table.columns = [Column(c.key, c.label) for c in spec.columns]
        return table

    def _fname(self, code: str) -> str:
        return self.names.name(code, "function") or code

    def _coded(
        self,
        key: str,
        per_code: dict[str, dict[str, int]],
        classification: str = "function",
    ) -> Table:
        """A coded table: 总计, then 类 / 款 / 项 rows with the profile's row sums."""
        spec = self.tp.spec(key)
        table = self._table(key)
        cols = [c.key for c in spec.columns]
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
            Row(RowKind.TOTAL, "总计", _NOLOC, _cells(cols, _row_sums(spec, grand)), bold=True)
        )
        for code in sorted(rolled):
            level = (len(code) - 1) // 2
            name = self.names.name(code, list_name) or code
            table.rows.append(
                Row(
                    RowKind.CODE,
                    name,
                    _NOLOC,
                    _cells(cols, _row_sums(spec, rolled[code])),
                    code=code,
                    level=level,
                    bold=len(code) < leaf_len,
                )
            )
        return table

    def _class_panel_rows(
        self,
        table: Table,
        panel: str,
        values: dict[str, dict[str, int]],
        cols: list[str],
        spec: TableSpec,
    ) -> list[Row]:
        classes = dict(self.names.level1_functions())
        for code in values:
            classes.setdefault(code, self._fname(code))
        rows = []
        for code in sorted(classes):
            v = _row_sums(spec, values.get(code, {}))
            row = Row(RowKind.CODE, classes[code], _NOLOC, _cells(cols, v), code=code, level=1)
            row.panel = panel
            rows.append(row)
        return rows

    def _two_panel(
        self, key: str, income: dict[str, int], classes: dict[str, dict[str, int]]
    ) -> Table:
        spec = self.tp.spec(key)
        table = self._table(key)
        left, right = spec.panels
        labels = item_labels(left.items, ordinals=True)
        left_rows: list[Row] = []
        left_total: Row | None = None
        for item in left.items:
            amount = sum(income.get(k, 0) for k in item_sum_keys(left.items, item.key))
            row = Row(
                RowKind.TOTAL if item.total else RowKind.ITEM,
                labels[item.key],
                _NOLOC,
                {left.columns[0].key: cell(amount)},
                key=item.key,
                panel=left.key,
                bold=bool(item.parts) or item.total,
            )
            if item.total:
                left_total = row
            else:
                left_rows.append(row)
        right_cols = [c.key for c in right.columns]
        right_rows = self._class_panel_rows(table, right.key, classes, right_cols, spec)
        grand: dict[str, int] = {}
        for v in classes.values():
            for c, amount in v.items():
                grand[c] = grand.get(c, 0) + amount
        total_item = next(i for i in right.items if i.total)
        right_total = Row(
            RowKind.TOTAL,
            total_item.label,
            _NOLOC,
            _cells(right_cols, _row_sums(spec, grand)),
            key=total_item.key,
            panel=right.key,
            bold=True,
        )
        # Rows in printed order, left before right on each line, totals on the last line.
        for i in range(max(len(left_rows), len(right_rows))):
            if i < len(left_rows):
                table.rows.append(left_rows[i])
            if i < len(right_rows):
                table.rows.append(right_rows[i])
        if left_total is not None:
            table.rows.append(left_total)
        table.rows.append(right_total)
        return table

    # ───────────────────────── tables ─────────────────────────

    def _income_leaves(self, year: int = 0) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.tp.sources:
            out[s.key] = self.totals.by_source.get(s.index, [0, 0])[year]
        return out

    def t1(self) -> Table:
        classes: dict[str, dict[str, int]] = {}
        for (func, _s, _b), (cur, _last) in self.by_func.items():
            acc = classes.setdefault(func[:3], {})
            acc["amount"] = acc.get("amount", 0) + cur
        self.totals.expense_classes = sorted(c for c, v in classes.items() if v.get("amount"))
        return self._two_panel("T1", self._income_leaves(), classes)

    def t2(self) -> Table:
        per_code: dict[str, dict[str, int]] = {}
        for (func, s, _b), (cur, _last) in self.by_func.items():
            acc = per_code.setdefault(func, {})
            col = self.tp.sources[s].t2_column
            acc[col] = acc.get(col, 0) + cur
        return self._coded("T2", per_code)

    def _basic_project(self, key: str, budget: str | None) -> Table:
        per_code: dict[str, dict[str, int]] = {}
        for (func, s, basic), (cur, _last) in self.by_func.items():
            if budget is not None and self.tp.sources[s].budget != budget:
                continue
            acc = per_code.setdefault(func, {})
            col = "basic" if basic else "project"
            acc[col] = acc.get(col, 0) + cur
        return self._coded(key, per_code)

    def t3(self) -> Table:
        return self._basic_project("T3", None)

    def t5(self) -> Table:
        return self._basic_project("T5", "general")

    def t4(self) -> Table:
        spec = self.tp.spec("T4")
        left = spec.panels[0]
        t1_items = self.tp.spec("T1").panels[0].items
        leaves = self._income_leaves()
        income: dict[str, int] = {}
        for item in left.items:
            if item.parts or item.total:
                continue
            t1_key = self.tp.t4_income.get(item.key)
            if t1_key is not None:
                income[item.key] = sum(leaves.get(k, 0) for k in item_sum_keys(t1_items, t1_key))
        classes: dict[str, dict[str, int]] = {}
        for budget, by_class in self.totals.budget_by_class.items():
            for code, amount in by_class.items():
                acc = classes.setdefault(code, {})
                acc[budget] = acc.get(budget, 0) + amount
        return self._two_panel("T4", income, classes)

    def t6(self, by_econ: dict[str, int]) -> Table:
        per_code: dict[str, dict[str, int]] = {}
        personnel: dict[str, int] = {}
        public: dict[str, int] = {}
        for econ, amount in by_econ.items():
            if not amount:
                continue
            col = "personnel" if econ[:3] in PERSONNEL_CLASSES else "public"
            per_code[econ] = {col: amount}
            (personnel if col == "personnel" else public)[econ] = amount
        self.totals.personnel = sum(personnel.values())
        self.totals.public = sum(public.values())
        name = self.names.name
        self.totals.personnel_items = [
            name(c, "economic_dept") or c for c in sorted(personnel) if personnel[c]
        ]
        self.totals.public_items = [name(c, "economic_dept") or c for c in sorted(public)]
        return self._coded("T6", per_code, classification="economic")

    def t7(
        self, by_unit: dict[int, dict[str, dict[str, dict[str, int]]]], unit_names: list[str]
    ) -> Table:
        spec = self.tp.spec("T7")
        table = self._table("T7")
        cols = [c.key for c in spec.columns]
        if not by_unit:
            return table
        grand: dict[str, int] = {}
        body: list[Row] = []
        for u, funcs in by_unit.items():
            unit = unit_names[u]
            unit_sum: dict[str, int] = {}
            rolled: dict[str, dict[str, int]] = {}
            for func, projects in funcs.items():
                for project, values in projects.items():
                    for n in (3, 5):
                        acc = rolled.setdefault(func[:n], {})
                        for c, v in values.items():
                            acc[c] = acc.get(c, 0) + v
                    for c, v in values.items():
                        unit_sum[c] = unit_sum.get(c, 0) + v
                        grand[c] = grand.get(c, 0) + v
                    scale = sum(values.values())
                    self.totals.projects.append((unit, project, scale))
            body.append(
                Row(
                    RowKind.UNIT,
                    unit,
                    _NOLOC,
                    _cells(cols, _row_sums(spec, unit_sum)),
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
                            _cells(cols, _row_sums(spec, rolled[code])),
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
                            _cells(cols, _row_sums(spec, values)),
                            code=code,
                            level=3,
                            unit_name=unit,
                            project=project,
                        )
                    )
        table.rows.append(
            Row(RowKind.TOTAL, "总计", _NOLOC, _cells(cols, _row_sums(spec, grand)), bold=True)
        )
        table.rows.extend(body)
        merged: dict[tuple[str, str], int] = {}
        for unit, project, scale in self.totals.projects:
            merged[(unit, project)] = merged.get((unit, project), 0) + scale
        self.totals.projects = [(u, p, s) for (u, p), s in merged.items()]
        return table

    def budget_table(self, key: str, detail: dict[tuple[str, str, bool], int]) -> Table:
        """表8 / 表9: 政府性基金 or 国有资本经营预算 spending by 功能科目, 人员/公用/项目."""
        per_code: dict[str, dict[str, int]] = {}
        for (func, econ_class, basic), cur in detail.items():
            acc = per_code.setdefault(func, {})
            if basic:
                col = "personnel" if econ_class in PERSONNEL_CLASSES else "public"
            else:
                col = "project"
            acc[col] = acc.get(col, 0) + cur
        return self._coded(key, per_code)

    def t10(self, by_item: dict[tuple[str, str], Pair]) -> Table:
        spec = self.tp.spec("T10")
        table = self._table("T10")
        cols = [c.key for c in spec.columns]
        labels = item_labels(spec.items, ordinals=False)
        for item in spec.items:
            leaves = item_sum_keys(spec.items, item.key)
            values: dict[str, int] = {}
            last = 0
            for (leaf, budget), (cur, prev) in by_item.items():
                if leaf in leaves:
                    values[budget] = values.get(budget, 0) + cur
                    last += prev
            values = _row_sums(spec, values)
            self.totals.sangong[item.key] = [values.get("total", 0), last]
            table.rows.append(
                Row(
                    RowKind.TOTAL if item.total else RowKind.ITEM,
                    labels[item.key],
                    _NOLOC,
                    _cells(cols, values),
                    key=item.key,
                    bold=bool(item.parts) or item.total,
                )
            )
        return table

    def t11(self, by_unit: dict[int, dict[str, dict[str, int]]], unit_names: list[str]) -> Table:
        spec = self.tp.spec("T11")
        table = self._table("T11")
        cols = [c.key for c in spec.columns]
        if not by_unit:
            return table
        grand: dict[str, int] = {}
        body: list[Row] = []
        for u, items in by_unit.items():
            unit = unit_names[u]
            unit_sum: dict[str, int] = {}
            rows: list[Row] = []
            for label, values in items.items():
                for c, v in values.items():
                    unit_sum[c] = unit_sum.get(c, 0) + v
                    grand[c] = grand.get(c, 0) + v
                full = _row_sums(spec, values)
                self.totals.carry_items.append((unit, label, full.get("total", 0)))
                rows.append(
                    Row(
                        RowKind.PROJECT,
                        label,
                        _NOLOC,
                        _cells(cols, full),
                        unit_name=unit,
                        project=label,
                    )
                )
            body.append(
                Row(
                    RowKind.UNIT,
                    unit,
                    _NOLOC,
                    _cells(cols, _row_sums(spec, unit_sum)),
                    unit_name=unit,
                )
            )
            body.extend(rows)
        full = _row_sums(spec, grand)
        self.totals.carry_fin = full.get("fin_total", 0)
        self.totals.carry_nonfin = full.get("nonfin_total", 0)
        table.rows.append(Row(RowKind.TOTAL, "总计", _NOLOC, _cells(cols, full)))
        table.rows.extend(body)
        return table
