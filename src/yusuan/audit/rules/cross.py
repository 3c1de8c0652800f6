"""X2xx — identities between tables, declared in the profile (`[[identities]]`)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from yusuan.audit.context import (
    ZERO,
    AuditContext,
    Unresolved,
    Value,
    judge,
    misread_codes,
    total_of,
)
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.model.tables import Table
from yusuan.profiles.schema import REF_PATTERN, IdentitySpec

_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTICE


def _sum(values: list[Value]) -> Value:
    if len(values) == 1:
        return values[0]
    return total_of(values, " + ".join(v.label for v in values))


@register
class CrossTable(Rule):
    id = "X201"
    slug = "cross-table"
    title = "表间勾稽关系"
    emits = (_E, _W, _N)
    description = (
        "模板声明的表间等式，例如“表5 基本支出总计 = 表6 总计”“表2 总计 = 表1 收入总计”"
        "“表11 总计 = 表1 上年结转结余”。表10 公务接待费、公务用车运行费与表6 对应经济科目的差额"
        "可能来自项目支出，按模板记为警告。"
    )
    bad = "表5 基本支出总计 18,333.37，表6 总计 18,333.38"
    good = "表5 基本支出总计 18,333.37，表6 总计 18,333.37"

    def run(self, ctx: AuditContext) -> None:
        for ident in ctx.profile.identities:
            if ident.per_code:
                continue
            try:
                left = ctx.resolve(ident.left)
                right = _sum([ctx.resolve(r) for r in ident.right])
            except Unresolved as exc:
                ctx.skip(f"{ident.label}：{exc.reason}", Location.of(exc.loc))
                continue
            if left.terms == 0 and right.terms == 0:
                ctx.passed()
                continue
            ctx.compare(
                left,
                right,
                subject=ident.label,
                location=partial(Location.of, [*left.locs, *right.locs], table=_table_names(ident)),
                relation=ident.relation,
                severity=Severity(ident.severity),
                check=ident.id,
                note=ident.note,
            )


def _table_names(ident: IdentitySpec) -> str:
    names: list[str] = []
    for ref in [ident.left, *ident.right]:
        m = REF_PATTERN.match(ref)
        if m:
            key = m.group("table")
            name = f"表{key[1:]}" if key[1:].isdigit() else key
            if name not in names:
                names.append(name)
    return "、".join(names)


def _code_name(tables: list[Table], code: str) -> str:
    for t in tables:
        for row in t.rows:
            if row.code == code and row.label:
                return row.label
    return ""


@register
class CrossTableByCode(Rule):
    id = "X202"
    slug = "cross-table-by-code"
    title = "表间逐科目一致"
    emits = (_E, _N)
    description = (
        "同一科目在两张表中的金额一致，例如“表3 各科目合计 = 表2 同科目总计”"
        "“表5 各科目合计 = 表2 同科目一般公共预算 + 上级转移支付”“表7 各科目（各单位合计）= 表5 同科目项目支出”。"
        "某科目只在一张表中出现时，另一张表按 0 计。"
    )
    bad = "表3 `2080111 公共就业服务和职业技能鉴定机构 1,655.87`，表2 同科目总计 1,665.87"
    good = "表3 与表2 的 2080111 均为 1,655.87"

    def run(self, ctx: AuditContext) -> None:
        for ident in ctx.profile.identities:
            if not ident.per_code:
                continue
            try:
                self._one(ctx, ident)
            except Unresolved as exc:
                ctx.skip(f"{ident.label}：{exc.reason}", Location.of(exc.loc))

    @staticmethod
    def _one(ctx: AuditContext, ident: IdentitySpec) -> None:
        def side(ref: str) -> tuple[Table, dict[str, Value]]:
            m = REF_PATTERN.match(ref)
            assert m is not None
            table = ctx.table(m.group("table"))
            if table.column(m.group("col")) is None:
                raise Unresolved(f"{table.name} 没有「{m.group('col')}」列（模板错误）")
            return table, ctx.code_values(table, m.group("col"))

        lt, left = side(ident.left)
        rights = [side(r) for r in ident.right]
        if ident.codes == "left":
            codes = set(left)
        elif ident.codes == "right":
            codes = {c for _, vals in rights for c in vals}
        else:
            codes = set(left) | {c for _, vals in rights for c in vals}
        if ident.levels:
            lengths = {1: 3, 2: 5, 3: 7}
            codes = {c for c in codes if len(c) in {lengths[lv] for lv in ident.levels}}
        tables = [lt, *(t for t, _ in rights)]
        labels = [
            f"{t.name} {t.column_label(m.group('col')) if (m := REF_PATTERN.match(ref)) else ''}".strip()
            for (t, _), ref in zip(rights, ident.right, strict=True)
        ]

        def fails(code: str) -> bool:
            lv0 = left.get(code) or Value(ZERO, "", [], 0)
            rvs = [v for _, vals in rights if (v := vals.get(code)) is not None]
            return not judge(lv0, _sum(rvs) if rvs else Value(ZERO, "", [], 0), ident.relation).ok

        doubt = misread_codes(codes, [code for code in codes if fails(code)])
        if doubt is not None:
            # Rows were missed in reading one of the tables, not that many errors printed.
            ctx.skip(
                f"{ident.label}：{doubt}，多半是某张表有行或列未读对，未逐科目核对",
                Location.of([t.loc for t in tables], table=_table_names(ident)),
            )
            return
        for code in sorted(codes):
            found = left.get(code)
            found_parts = [vals.get(code) for _, vals in rights]
            amount = found.amount if found is not None else ZERO
            parts_amount = sum((v.amount for v in found_parts if v is not None), ZERO)
            if amount == parts_amount and ident.relation == "eq":
                # Exact, the usual case: count it without building labelled values.
                if (found is not None and found.terms) or any(v and v.terms for v in found_parts):
                    ctx.passed()
                continue
            # Copies: the per-code values are cached and shared with other rules.
            lv = replace(found, label=lt.name) if found else Value(ZERO, lt.name, [], 0)
            parts = [
                replace(v, label=label) if v else Value(ZERO, label, [], 0)
                for v, label in zip(found_parts, labels, strict=True)
            ]
            rv = _sum(parts)
            if lv.terms == 0 and rv.terms == 0:
                continue
            name = _code_name(tables, code)
            ctx.compare(
                lv,
                rv,
                subject=f"{ident.label}：{code} {name}".rstrip(),
                location=partial(
                    Location.of,
                    [*lv.locs, *rv.locs],
                    table=_table_names(ident),
                    row=f"{code} {name}".rstrip(),
                ),
                relation=ident.relation,
                severity=Severity(ident.severity),
                check=f"{ident.id}:{code}",
            )
