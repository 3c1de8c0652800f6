"""X3xx — identities between table kinds, checked on the document's own structure.

A regional profile states its template's identities (X201, X202). A document whose template
no profile knows is read by its own titles and headers (`yusuan.kinds`): its tables carry a
kind and its columns a role, and the identities every template shares are checked between
them — 收入总计 = 支出总计, the 基本支出 of the 一般公共预算支出表 = the 基本支出表's total,
all funds ≥ 一般公共预算 per code. A table or column that cannot be named takes no part.
"""

from __future__ import annotations

from functools import partial

from yusuan.audit.context import AuditContext, Value, judge, misread_codes
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.kinds import KindIdentity, catalogue, kind_name
from yusuan.model.tables import Row, RowKind, Table

_E = Severity.ERROR
_N = Severity.NOTICE


def _tables(ctx: AuditContext, kind: str) -> list[Table]:
    return [t for t in ctx.doc.tables.values() if t.kind == kind and t.rows]


def _coded_panel(table: Table) -> str | None:
    """The side of a two-sided table that holds its coded rows (the 支出 side of a 收支总表)."""
    panels = {r.panel for r in table.coded_rows()}
    return panels.pop() if len(panels) == 1 else None


def _column(table: Table, roles: str, panel: str | None = None) -> str | None:
    """The key of the one column holding the first of `roles` (`total|basic`) found, on the
    `panel` side only when one is given."""
    columns = [c for c in table.columns if panel is None or c.panel == panel]
    for role in roles.split("|"):
        keys = [c.key for c in columns if c.role == role]
        if len(keys) == 1:
            return keys[0]
        if len(keys) > 1:
            return None  # two columns of one role: which is meant is not known
    return None


def _grand_total(table: Table, panel: str | None = None) -> Row | None:
    """The table's (or a side's) grand total: a 总计 row, else its only 合计 row."""
    totals = [
        r for r in table.rows if r.kind is RowKind.TOTAL and (panel is None or r.panel == panel)
    ]
    grand = [r for r in totals if "总计" in r.label.replace(" ", "")]
    if len(grand) == 1:
        return grand[0]
    return totals[0] if len(totals) == 1 else None


@register
class KindIdentities(Rule):
    id = "X301"
    slug = "kind-identities"
    title = "按表类与表头推断的表间关系"
    emits = (_E, _N)
    description = (
        "模板未识别时，按表名认出各表的类别（收支总表、一般公共预算支出表、一般公共预算基本支出表…），"
        "按表头文字认出各列的含义（合计、基本支出、一般公共预算…），核对各地模板共有的表间关系："
        "收支总表的收入总计 = 支出总计；收支总表支出栏的各类（只印类名的，按分类科目目录补上编码）= "
        "支出总表同类合计；一般公共预算支出表的基本支出合计 = 一般公共预算基本支出表的合计，"
        "其人员经费、公用经费合计 = 基本支出表的人员经费、公用经费合计；"
        "支出总表每个科目的合计不少于一般公共预算支出表同一科目的合计。表名或列名认不出的表和列不参加核对；"
        "同类表不止一张时不核对（不知道对应哪一张）。关系写在 `kinds/data/kinds.toml`。"
    )
    bad = "收支总表：收入总计 9,069.47，支出总计 9,096.47"
    good = "收支总表：收入总计 9,069.47，支出总计 9,069.47"

    def run(self, ctx: AuditContext) -> None:
        if ctx.profile.identities:
            return  # the document's template states its own identities (X201, X202)
        for ident in catalogue().identity:
            if ident.check == "panel-totals":
                self._panel_totals(ctx, ident)
            else:
                self._cells(ctx, ident)

    def _panel_totals(self, ctx: AuditContext, ident: KindIdentity) -> None:
        assert ident.kind is not None
        for table in _tables(ctx, ident.kind):
            if not ctx.readable(table):
                continue
            panels = sorted({c.panel for c in table.columns if c.panel is not None})
            if len(panels) != 2:
                continue
            rows = [_grand_total(table, p) for p in panels]
            keys = [_column_in_panel(table, p) for p in panels]
            if any(r is None for r in rows) or any(k is None for k in keys):
                ctx.skip(
                    f"{ident.label}：{table.name} 未读到两侧的总计行或金额列",
                    Location.of(table.loc, table=table.name),
                )
                continue
            left_row, right_row = rows
            assert left_row is not None and right_row is not None
            left_key, right_key = keys
            assert left_key is not None and right_key is not None
            left = Value.of_cell(left_row.cell(left_key), left_row.label, table.unit, left_row.loc)
            right = Value.of_cell(
                right_row.cell(right_key), right_row.label, table.unit, right_row.loc
            )
            ctx.compare(
                left,
                right,
                subject=f"{table.name} {ident.label}",
                location=partial(Location.of, [left_row.loc, right_row.loc], table=table.name),
                check=ident.id,
            )

    def _cells(self, ctx: AuditContext, ident: KindIdentity) -> None:
        (lk, lrow, lrole), (rk, rrow, rrole) = ident.left, ident.right
        lts, rts = _tables(ctx, lk), _tables(ctx, rk)
        if len(lts) != 1 or len(rts) != 1:
            return  # the kinds are not both in this document, or not once each
        lt, rt = lts[0], rts[0]
        if not (ctx.readable(lt) and ctx.readable(rt)):
            return
        by_code = lrow == "code"
        lcol = _column(lt, lrole, _coded_panel(lt) if by_code else None)
        rcol = _column(rt, rrole, _coded_panel(rt) if by_code else None)
        if (lcol is None or rcol is None) and ident.optional:
            return
        if lcol is None or rcol is None:
            missing = kind_name(lk) if lcol is None else kind_name(rk)
            ctx.skip(
                f"{ident.label}：{missing}中没有认出所需的列",
                Location.of([lt.loc, rt.loc]),
            )
            return
        if lrow == "total" and rrow == "total":
            left_row, right_row = _grand_total(lt), _grand_total(rt)
            if left_row is None or right_row is None:
                ctx.skip(f"{ident.label}：未读到合计行", Location.of([lt.loc, rt.loc]))
                return
            pairs = [(left_row, right_row)]
        else:
            pairs = _by_code(lt, rt)
            if not pairs:
                return
        _compare_pairs(ctx, ident, lt, rt, lcol, rcol, pairs)


def _column_in_panel(table: Table, panel: str) -> str | None:
    cols = [c for c in table.columns if c.panel == panel]
    totals = [c.key for c in cols if c.role == "total"]
    if len(totals) == 1:
        return totals[0]
    return cols[0].key if len(cols) == 1 else None


def _by_code(lt: Table, rt: Table) -> list[tuple[Row, Row]]:
    def index(table: Table) -> dict[str, Row] | None:
        rows: dict[str, Row] = {}
        for row in table.coded_rows():
            assert row.code is not None
            if row.code in rows:
                return None  # codes repeat (per unit): no single figure per code
            rows[row.code] = row
        return rows

    left, right = index(lt), index(rt)
    if not left or not right:
        return []
    return [(left[code], right[code]) for code in right if code in left]


def _compare_pairs(
    ctx: AuditContext,
    ident: KindIdentity,
    lt: Table,
    rt: Table,
    lcol: str,
    rcol: str,
    pairs: list[tuple[Row, Row]],
) -> None:
    values = [
        (
            Value.of_cell(a.cell(lcol), f"{lt.name} {lt.column_label(lcol)}", lt.unit, a.loc),
            Value.of_cell(b.cell(rcol), f"{rt.name} {rt.column_label(rcol)}", rt.unit, b.loc),
            a,
            b,
        )
        for a, b in pairs
    ]
    coded = [(a.code, lv, rv) for lv, rv, a, _ in values if a.code is not None]
    doubt = misread_codes(
        [c for c, _, _ in coded],
        [c for c, lv, rv in coded if not judge(lv, rv, ident.relation).ok],
    )
    if doubt is not None:
        # The two tables are not what their titles suggest, or rows were lost in reading.
        ctx.skip(
            f"{ident.label}：{doubt}，两表的对应关系存疑，未核对", Location.of([lt.loc, rt.loc])
        )
        return
    for lv, rv, a, b in values:
        subject = ident.label if a.code is None else f"{ident.label}：{a.describe()}"
        ctx.compare(
            lv,
            rv,
            subject=subject,
            location=partial(Location.of, [a.loc, b.loc], table=f"{lt.name}、{rt.name}"),
            relation=ident.relation,
            check=ident.id,
        )
