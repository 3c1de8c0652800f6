"""项目绩效自评表 (决算): the form's own sums (S507) and the narrative's summary of it (N310)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from yusuan.audit.context import AuditContext, Value, fmt, total_of
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.audit.rules.percent import judge_percent
from yusuan.model.narrative import Figure, PerformanceTable, SelfEvaluation, Statement
from yusuan.text import normalize_name

_E, _N = Severity.ERROR, Severity.NOTICE
_TOTAL = "年度资金总额"
_PARTS = ("财政拨款", "上年结转", "其他资金")
_COLUMNS = ("年初预算数", "全年预算数", "全年执行数")
HUNDRED = Decimal(100)


def _name(p: PerformanceTable) -> str:
    return f"绩效自评表「{p.project or p.title or '未写项目名称'}」"


def _forms(ctx: AuditContext) -> list[tuple[PerformanceTable, SelfEvaluation]]:
    return [(p, p.selfeval) for p in ctx.doc.performance if p.selfeval is not None]


def _exact(value: Decimal, label: str, figs: list[Figure]) -> Value:
    """Scores are given, not rounded from finer amounts: they must add up as printed."""
    decimals = max((f.decimals for f in figs), default=0)
    return Value(value, label, [f.loc for f in figs], len(figs), Decimal(0), decimals)


@register
class SelfEvaluationForm(Rule):
    id = "S507"
    slug = "selfeval-form"
    title = "绩效自评表的资金与得分"
    emits = (_E, _N)
    description = (
        "项目绩效自评表内部一致：年初预算数、全年预算数、全年执行数三列中，年度资金总额 = 财政拨款 + "
        "上年结转 + 其他资金；执行率 = 全年执行数 ÷ 全年预算数；执行率得分 = 分值 × 执行率（不超过分值）；"
        "总分的分值与得分 = 各指标分值、得分之和加上执行率的分值、得分。"
    )
    bad = "“年度资金总额 536.20 | 其中：财政拨款 473.76 | 上年结转 52.44”；或各项得分之和 94.7 而总分写 96.7"
    good = "“年度资金总额 536.20 | 其中：财政拨款 473.76 | 上年结转 62.44 | 其他资金 0.00”"

    def run(self, ctx: AuditContext) -> None:
        for p, ev in _forms(ctx):
            self._funds(ctx, p, ev)
            self._rate(ctx, p, ev)
            self._scores(ctx, p, ev)

    @staticmethod
    def _funds(ctx: AuditContext, p: PerformanceTable, ev: SelfEvaluation) -> None:
        total_line = ev.funds.get(_TOTAL, {})
        for col in _COLUMNS:
            total = total_line.get(col)
            parts = [ev.funds[k][col] for k in _PARTS if col in ev.funds.get(k, {})]
            if total is None or not parts:
                continue
            ctx.compare(
                Value.of_figure(total, f"{_TOTAL}（{col}）"),
                total_of([Value.of_figure(f, "") for f in parts], "财政拨款 + 上年结转 + 其他资金"),
                subject=_name(p),
                location=Location.of([total.loc, *(f.loc for f in parts)], row=p.project),
                check=f"{p.project}.{col}",
            )

    @staticmethod
    def _rate(ctx: AuditContext, p: PerformanceTable, ev: SelfEvaluation) -> None:
        line = ev.funds.get(_TOTAL, {})
        budget, spent = line.get("全年预算数"), line.get("全年执行数")
        if ev.rate is not None and budget is not None and spent is not None and budget.value:
            judge_percent(
                ctx,
                stated=ev.rate,
                numerator=Value.of_figure(spent, "全年执行数"),
                denominator=Value.of_figure(budget, "全年预算数"),
                subject=f"{_name(p)}执行率",
                formula=f"全年执行数 {fmt(spent.value)} ÷ 全年预算数 {fmt(budget.value)}",
                location=Location.of([ev.rate.loc, spent.loc, budget.loc], row=p.project),
            )
        if ev.rate is None or ev.rate_weight is None or ev.rate_score is None:
            return
        # The score is the product rounded to the digits printed (10 × 77.13% → 7.7).
        step = Decimal(1).scaleb(-ev.rate_score.decimals)
        earned = (ev.rate_weight.value * min(ev.rate.value, HUNDRED) / HUNDRED).quantize(
            step, rounding=ROUND_HALF_UP
        )
        ctx.compare(
            _exact(ev.rate_score.value, "执行率得分", [ev.rate_score]),
            _exact(earned, "分值 × 执行率", [ev.rate_weight, ev.rate]),
            subject=_name(p),
            location=Location.of([ev.rate_score.loc, ev.rate.loc], row=p.project),
            check=f"{p.project}.rate",
        )

    @staticmethod
    def _scores(ctx: AuditContext, p: PerformanceTable, ev: SelfEvaluation) -> None:
        for attr, own, what in (
            ("weight_total", "rate_weight", "分值"),
            ("score_total", "rate_score", "得分"),
        ):
            total: Figure | None = getattr(ev, attr)
            rate: Figure | None = getattr(ev, own)
            values = [getattr(i, "weight" if what == "分值" else "score") for i in p.indicators]
            if total is None or not values or any(v is None for v in values):
                continue
            figs = [
                Figure(v, "分", str(v), i.loc, _decimals(v))
                for v, i in zip(values, p.indicators, strict=True)
                if v is not None
            ]
            if rate is not None:
                figs.append(rate)
            summed = sum((f.value for f in figs), Decimal(0))
            ctx.compare(
                _exact(total.value, f"总分{what}", [total]),
                _exact(summed, f"各指标{what}与执行率{what}之和", figs),
                subject=_name(p),
                location=Location.of([total.loc, *(f.loc for f in figs)], row=p.project),
                check=f"{p.project}.{what}",
            )


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _form_for(
    forms: list[tuple[PerformanceTable, SelfEvaluation]], st: Statement
) -> tuple[PerformanceTable, SelfEvaluation] | None:
    """The form whose project the statement names (the longest name found in its subject)."""
    subject = normalize_name(st.subject)
    named = [(p, ev) for p, ev in forms if p.project and normalize_name(p.project) in subject]
    return max(named, key=lambda f: len(f[0].project or ""), default=None)


@register
class SelfEvaluationSummary(Rule):
    id = "N310"
    slug = "selfeval-summary"
    title = "说明中的项目自评结果与自评表一致"
    emits = (_E,)
    description = (
        "决算说明中对项目绩效自评结果的概述（“X项目绩效自评综述：…项目自评得分为 S 分。全年预算数为"
        " B 万元，执行数为 A 万元…”）与该项目的绩效自评表一致：S 为总分的得分，B、A 为年度资金总额的"
        "全年预算数、全年执行数。按项目名称对应。"
    )
    bad = "“信息化运行维护项目绩效自评综述：…项目自评得分为88.5分”，自评表总分得分 90.5"
    good = "“…项目自评得分为90.5分”"

    def run(self, ctx: AuditContext) -> None:
        forms = _forms(ctx)
        if not forms:
            return
        for st in ctx.doc.statements:
            if st.score is None and st.budget is None:
                continue
            found = _form_for(forms, st)
            if found is None:
                continue
            p, ev = found
            line = ev.funds.get(_TOTAL, {})
            where = [st.loc]
            for stated, printed, what in (
                (st.score, ev.score_total, "自评得分"),
                (st.budget, line.get("全年预算数"), "全年预算数"),
                (st.amount, line.get("全年执行数"), "全年执行数"),
            ):
                if stated is None or printed is None:
                    continue
                exact = stated.unit == "分"
                ctx.compare(
                    _exact(stated.value, "说明", [stated])
                    if exact
                    else Value.of_figure(stated, "说明"),
                    _exact(printed.value, "自评表", [printed])
                    if exact
                    else Value.of_figure(printed, "自评表"),
                    subject=f"「{p.project}」{what}",
                    location=Location.of(
                        [*where, stated.loc, printed.loc], section=ctx.section_title(st.section)
                    ),
                    check=f"{p.project}.{what}",
                )
