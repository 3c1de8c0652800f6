"""A1xx — arithmetic inside one table: row totals, 类/款/项 roll-ups, totals, items, units."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import partial

from yusuan.audit.context import ZERO, AuditContext, Unresolved, Value, total_of
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.model.provenance import Loc
from yusuan.model.tables import Row, RowKind, Table
from yusuan.profiles.schema import ItemSpec, TableSpec

_E, _N = Severity.ERROR, Severity.NOTICE


def _tables(ctx: AuditContext, want: str) -> list[tuple[TableSpec, Table]]:
    """(spec, table) pairs for the tables a rule applies to; unreadable ones are not run."""
    out = []
    for spec in ctx.profile.tables:
        if not getattr(spec, want):
            continue
        table = ctx.doc.tables.get(spec.key)
        if table is None:
            continue
        if not ctx.readable(table):
            continue
        out.append((spec, table))
    return out


def _cell_value(table: Table, row: Row, col: str) -> Value:
    return Value.of_cell(row.cell(col), table.column_label(col), table.unit, row.loc)


def compare_columns(
    ctx: AuditContext,
    table: Table,
    row: Row,
    pairs: list[tuple[str, Value, Value]],
    *,
    subject: str,
    extra_locs: list[Loc] | None = None,
    check: str,
) -> None:
    """Judge one row's columns; columns that repeat one another (a 合计 equal to the only
    filled column) are judged once, so one difference gives one finding naming them all."""
    groups: dict[tuple[Decimal, Decimal], list[tuple[str, Value, Value]]] = {}
    for col, left, right in pairs:
        if left.terms == 0 and right.terms == 0:
            continue
        groups.setdefault((left.amount, right.amount), []).append((col, left, right))
    for members in groups.values():
        col, left, right = members[0]
        columns = "、".join(table.column_label(c) for c, _, _ in members)
        if left.label in ("", table.column_label(col)):
            left.label = columns
        verdict = ctx.compare(
            left,
            right,
            subject=subject,
            location=partial(
                Location.of,
                [row.loc, *(extra_locs or [])],
                table=table.name,
                row=row.describe(),
                column=columns,
            ),
            check=f"{check}.{col}",
        )
        extra = len(members) - 1
        ctx.tally(extra, extra if verdict.ok else 0)


def compare_with_members(
    ctx: AuditContext,
    table: Table,
    row: Row,
    members: list[Row],
    members_label: str,
    *,
    subject: str,
    check: str,
    locate_members: bool = True,
) -> None:
    """Each amount column of `row` against the sum of the same column over `members`."""
    pairs = []
    exact = 0
    for col, cell in row.cells.items():
        # Almost every column adds up to the cent: count it and move on, building the
        # values (labels, locations, rounding terms) only for a column that does not.
        printed = cell.value is not None
        total = ZERO
        any_member = False
        for m in members:
            c = m.cells.get(col)
            if c is not None and c.value is not None:
                total += c.value
                any_member = True
        if cell.amount == total:
            if printed or any_member:
                exact += 1
            continue
        pairs.append(
            (
                col,
                _cell_value(table, row, col),
                total_of((_cell_value(table, m, col) for m in members), members_label),
            )
        )
    ctx.tally(exact, exact)
    if not pairs:
        return
    compare_columns(
        ctx,
        table,
        row,
        pairs,
        subject=subject,
        extra_locs=[m.loc for m in members] if locate_members else None,
        check=check,
    )


def _parts_label(table: Table, parts: list[str]) -> str:
    labels = [table.column_label(p) for p in parts]
    return " + ".join(labels) if len(labels) <= 3 else "各列之和"


@register
class RowTotal(Rule):
    id = "A101"
    slug = "row-total"
    title = "行内合计等于各列之和"
    emits = (_E, _N)
    description = (
        "每一行的合计列等于其组成列之和（模板的 `row_sums`），例如表3、表5 的"
        "“合计 = 基本支出 + 项目支出”，表2 的“总计 = 财政拨款小计 + 财政专户 + 单位资金 + 结转”。"
        "差额在 k × 0.005 以内（k 为相加的数字个数）记为四舍五入提示。"
    )
    bad = "表3 `208 01 01 行政运行  4,746.82  4,746.82  0.50`（合计 ≠ 基本 + 项目）"
    good = "表3 `208 01 01 行政运行  4,746.82  4,746.82  `"

    def run(self, ctx: AuditContext) -> None:
        for spec, table in _tables(ctx, "row_sums"):
            for row in table.rows:
                for rs in spec.row_sums:
                    if rs.total not in row.cells:
                        continue
                    parts = [p for p in rs.parts if p in row.cells]
                    cells = row.cells
                    total_cell = cells[rs.total]
                    printed = [cells[p].amount for p in parts if cells[p].value is not None]
                    if total_cell.amount == sum(printed, ZERO):  # the common case: exact
                        if total_cell.value is not None or printed:
                            ctx.passed()
                        continue
                    left = _cell_value(table, row, rs.total)
                    right = total_of(
                        (_cell_value(table, row, p) for p in parts), _parts_label(table, parts)
                    )
                    compare_columns(
                        ctx,
                        table,
                        row,
                        [(rs.total, left, right)],
                        subject=f"{table.name} {row.describe()}",
                        check=f"{table.key}.row",
                    )


def _children_index(table: Table) -> dict[tuple[str | None, str | None, str], list[Row]]:
    """Rows by (unit, panel, parent code): one pass instead of a scan per row."""
    index: dict[tuple[str | None, str | None, str], list[Row]] = defaultdict(list)
    for r in table.rows:
        parent = r.parent_code
        if parent is not None:
            index[(r.unit_name, r.panel, parent)].append(r)
    return index


@register
class CodeSubtotal(Rule):
    id = "A102"
    slug = "code-subtotal"
    title = "类/款/项 上级等于下级之和"
    emits = (_E, _N)
    description = (
        "支出功能分类的类 = 其下各款之和、款 = 其下各项之和；部门经济分类的类 = 其下各款之和；"
        "在每个金额列分别检查。表7 按预算单位分组检查。印刷时四舍五入造成的 0.01 级差额记为提示。"
    )
    bad = "表6 `301 工资福利支出 14,983.06`，其下各款之和 14,983.04"
    good = "表6 `301 工资福利支出 14,983.05`，其下各款之和 14,983.04（差 0.01，四舍五入提示）"

    def run(self, ctx: AuditContext) -> None:
        for _spec, table in _tables(ctx, "rollup"):
            children = _children_index(table)
            for row in table.rows:
                if row.code is None or row.kind is RowKind.PROJECT:
                    continue
                kids = children.get((row.unit_name, row.panel, row.code), [])
                if not kids:
                    continue
                compare_with_members(
                    ctx,
                    table,
                    row,
                    kids,
                    "明细之和",
                    subject=f"{table.name} {row.describe()}",
                    check=f"{table.key}.{row.code}",
                )


@register
class GrandTotal(Rule):
    id = "A103"
    slug = "grand-total"
    title = "总计等于各类之和"
    emits = (_E, _N)
    description = (
        "总计行等于各“类”行（一级科目）之和；两栏式表格（表1、表4）的支出总计等于右栏各类之和。"
    )
    bad = "表3 总计 58,654.04，而 205、208、210、221、230 各类合计为 58,654.14"
    good = "表3 总计 58,654.04 = 14,615.07 + 34,213.47 + 887.96 + 732.54 + 8,205.00"

    def run(self, ctx: AuditContext) -> None:
        for spec in ctx.profile.tables:
            table = ctx.doc.tables.get(spec.key)
            if table is None:
                continue
            # Panels naming the same total item share it (中央 公开06表: 公用经费合计 covers the
            # 302 list and the 307/310/399 list printed beside it).
            panels: list[tuple[list[str | None], str | None]] = []
            shared: dict[str, list[str | None]] = {}
            for p in spec.panels:
                if not p.classification or p.inferred_classes:
                    continue  # 类 recognised by name: the side's total may count more rows
                if p.total_item is not None and p.total_item in shared:
                    shared[p.total_item].append(p.key)
                    continue
                keys: list[str | None] = [p.key]
                if p.total_item is not None:
                    shared[p.total_item] = keys
                panels.append((keys, p.total_item))
            if spec.grand_total:
                panels.append(([None], None))
            if not panels:
                continue
            if not ctx.readable(table):
                continue
            for keys, total_item in panels:
                total = table.item(total_item) if total_item else table.total_row(keys[0])
                tops = [r for k in keys for r in table.coded_rows(k) if r.level == 1]
                if not tops and keys == [None]:
                    tops = _top_rows(table)
                if total is None:
                    if tops and any(c.value for r in tops for c in r.cells.values()):
                        ctx.skip(
                            f"{table.name}没有总计行", Location.of(table.loc, table=table.name)
                        )
                    continue
                compare_with_members(
                    ctx,
                    table,
                    total,
                    tops,
                    "各类之和" if not tops or tops[0].level == 1 else "各行之和",
                    subject=f"{table.name} {total.label}",
                    check=f"{table.key}.total",
                )


def _top_rows(table: Table) -> list[Row]:
    """The rows a total adds up when the table prints no 类: the coded rows whose parents it
    does not print either (北京 预算05表 lists 项 only, 预算06表 部门经济 款 and 7-digit 项), or,
    in a table without codes, every row but the totals (北京 预算11表 购买服务)."""
    if not any(r.code is not None for r in table.rows):
        return [r for r in table.rows if r.kind is not RowKind.TOTAL]
    return table.outermost_coded_rows()


def _items(spec: TableSpec) -> list[ItemSpec]:
    return [*spec.items, *(i for p in spec.panels for i in p.items)]


@register
class ItemSum(Rule):
    id = "A104"
    slug = "item-sum"
    title = "固定行项目等于其组成项之和"
    emits = (_E, _N)
    description = (
        "模板规定的固定行之间的加总关系：表1 本年收入 = 各收入来源之和、每个来源 = 其“其中”项之和、"
        "收入总计 = 本年收入 + 上年结转结余；表10 “三公”合计 = 出国 + 接待 + 公务用车购置及运行费，"
        "公务用车购置及运行费 = 购置费 + 运行费。"
    )
    bad = "表1 `5. 单位资金 1,890.00`，其中 事业单位经营收入 1,370.00、其他收入 500.00"
    good = "表1 `5. 单位资金 1,890.00`，其中 事业单位经营收入 1,370.00、其他收入 520.00"

    def run(self, ctx: AuditContext) -> None:
        for spec in ctx.profile.tables:
            items = [i for i in _items(spec) if i.parts]
            table = ctx.doc.tables.get(spec.key)
            if not items or table is None:
                continue
            if not ctx.readable(table):
                continue
            for item in items:
                row = table.item(item.key)
                parts = [table.item(p) for p in item.parts]
                present = [p for p in parts if p is not None]
                if row is None:
                    continue
                compare_with_members(
                    ctx,
                    table,
                    row,
                    present,
                    "各组成项之和",
                    subject=f"{table.name} {row.label}",
                    check=f"{table.key}.{item.key}",
                )


@register
class UnitSubtotal(Rule):
    id = "A105"
    slug = "unit-subtotal"
    title = "单位小计与总计"
    emits = (_E, _N)
    description = (
        "按预算单位分组的表（表7 项目支出、表11 结转结余明细）：每个单位行等于其下各类（或各项目）之和，"
        "总计行等于各单位之和。"
    )
    bad = "表7 `新疆铁道职业技术学院 7,816.06`，其下教育支出 2,816.06 + 社会保障和就业支出 5,100.00"
    good = "表7 `新疆铁道职业技术学院 7,816.06` = 2,816.06 + 5,000.00"

    def run(self, ctx: AuditContext) -> None:
        for _spec, table in _tables(ctx, "unit_subtotals"):
            groups: dict[int, list[Row]] = defaultdict(list)
            units: list[Row] = []
            # Units printed with codes nest: `122` 部门 holds `122001` 单位 (Xi'an).
            subunits: dict[int, list[Row]] = defaultdict(list)
            roots: list[Row] = []
            for row in table.rows:
                if row.kind is RowKind.UNIT:
                    parent = _parent_unit(units, row)
                    if parent is None:
                        roots.append(row)
                    else:
                        subunits[id(parent)].append(row)
                    units.append(row)
                elif units and row.unit_name == units[-1].unit_name:
                    groups[id(units[-1])].append(row)
            for unit in units:
                if subunits[id(unit)]:
                    self._compare(ctx, table, unit, subunits[id(unit)], "其下各单位之和")
                    continue
                members = groups[id(unit)]
                tops = (
                    [r for r in members if r.level == 1]
                    or [r for r in members if r.kind is RowKind.ITEM]
                    or [r for r in members if r.kind is RowKind.PROJECT]
                )
                if tops:  # a table listing units alone (三公 by unit) has nothing below them
                    what = {RowKind.PROJECT: "项目", RowKind.ITEM: "项"}.get(tops[0].kind, "类")
                    self._compare(ctx, table, unit, tops, f"其下各{what}之和")
            total = table.total_row()
            if total is not None and units:
                self._compare(ctx, table, total, roots, "各单位之和")
            elif total is None and units:
                raise Unresolved(f"{table.name}没有总计行", table.loc)

    @staticmethod
    def _compare(ctx: AuditContext, table: Table, row: Row, members: list[Row], label: str) -> None:
        compare_with_members(
            ctx,
            table,
            row,
            members,
            label,
            subject=f"{table.name} {row.label}",
            check=f"{table.key}.unit",
            locate_members=False,
        )


def _parent_unit(units: list[Row], row: Row) -> Row | None:
    """The unit a coded unit row belongs to: the nearest one above whose code begins it."""
    code = row.unit_code
    if not code:
        return None
    for up in reversed(units):
        if up.unit_code and len(up.unit_code) < len(code) and code.startswith(up.unit_code):
            return up
    return None
