"""N309 — 决算 execution statements: `年初预算为 B 万元，支出决算为 X 万元，完成年初预算的 Y%`."""

from __future__ import annotations

from functools import partial

from yusuan.audit.binding import bind
from yusuan.audit.context import AuditContext, Unresolved, Value, fmt, total_of
from yusuan.audit.findings import Severity
from yusuan.audit.registry import Rule, register
from yusuan.audit.rules.percent import judge_percent
from yusuan.model.narrative import Statement

_E, _N = Severity.ERROR, Severity.NOTICE


def _table_budget(ctx: AuditContext, st: Statement) -> Value | None:
    """The 预算数 the profile gives the statement's subject (`budget` refs), if any."""
    binding = bind(ctx, st)
    if binding is None or binding.subject is None or not binding.subject.budget:
        return None
    values = [ctx.resolve(r) for r in binding.subject.budget]
    return values[0] if len(values) == 1 else total_of(values, "+".join(v.label for v in values))


@register
class ExecutionRate(Rule):
    id = "N309"
    slug = "execution-rate"
    title = "决算完成预算的比例"
    emits = (_E, _N)
    description = (
        "决算说明中的“完成（年初）预算的 Y%”等于 决算数 ÷ 预算数 × 100：预算数取同一句写出的"
        "（年初）预算，未写时取模板为该主体指定的表中预算数（`budget`，如“三公”经费表的预算数列）；"
        "同一句写出的预算数也须与表中预算数一致。比例按印刷位数判断，四舍五入范围内通过，"
        "多一个末位单位记为提示。预算为 0 时比例无从计算，只接受决算也为 0 的“0%”。"
    )
    bad = "“年初预算为5,717.32万元，支出决算为5,757.63万元，完成年初预算的100.17%”（应为 100.71%）"
    good = "“年初预算为5,717.32万元，支出决算为5,757.63万元，完成年初预算的100.71%”"

    def run(self, ctx: AuditContext) -> None:
        for st in ctx.doc.statements:
            if st.completion is None and st.budget is None:
                continue
            try:
                table_budget = _table_budget(ctx, st)
            except Unresolved as exc:
                ctx.skip(f"「{st.subject}」的预算数：{exc.reason}", ctx.where(st))
                continue
            if st.budget is not None and table_budget is not None:
                ctx.compare(
                    Value.of_figure(st.budget, "说明预算数"),
                    table_budget,
                    subject=f"「{st.subject}」预算数",
                    location=partial(ctx.where, st, table_budget.locs),
                    check="budget",
                )
            if st.completion is None:
                continue
            if st.amount is None:
                ctx.skip(f"「{st.subject}」写了完成预算的比例，但没有读到决算数", ctx.where(st))
                continue
            budget = Value.of_figure(st.budget, "预算数") if st.budget else table_budget
            if budget is None:
                ctx.skip(f"「{st.subject}」写了完成预算的比例，但没有预算数可比", ctx.where(st))
                continue
            actual = Value.of_figure(st.amount, "决算数")
            if budget.amount == 0:
                if actual.amount == 0 and st.completion.value == 0:
                    ctx.passed()
                else:
                    ctx.skip(f"「{st.subject}」预算数为 0，完成比例无从计算", ctx.where(st))
                continue
            judge_percent(
                ctx,
                stated=st.completion,
                numerator=actual,
                denominator=budget,
                subject=f"「{st.subject}」完成预算的比例",
                formula=f"决算 {fmt(actual.amount)} ÷ 预算 {fmt(budget.amount)}",
                location=ctx.where(st, budget.locs),
            )
