"""S5xx — sums stated in words: `其中` lists, project allocations, 绩效 funds and weights."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import partial

from yusuan.audit.context import ZERO, AuditContext, Unresolved, Value, fmt, judge, total_of
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.model.narrative import Figure, PerformanceTable, Project

_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTICE


@register
class StatedSum(Rule):
    id = "S501"
    slug = "stated-sum"
    title = "文字中的合计与其中各项"
    emits = (_E, _N)
    description = (
        "文字写出的“X，其中：A a，B b，C c”须加总一致：政府采购（货物 + 工程 + 服务）、车辆（按类别的辆数与价值）、"
        "实有人数（在职 + 退休 + 离休）、“三公”经费各项、收入与支出的构成、项目资金分配的各部分等。"
        "只列一项的“其中”只要求不超过合计。增减额的“其中”按增加为正、减少为负加总；增减额各是两年印出数之差，"
        "四舍五入的容差按两个数计。"
    )
    bad = (
        "“政府采购预算 19,053.22 万元，其中：货物 5,465.85 万元，工程 0 万元，服务 13,578.37 万元”"
    )
    good = (
        "“政府采购预算 19,053.22 万元，其中：货物 5,465.85 万元，工程 0 万元，服务 13,587.37 万元”"
    )

    def run(self, ctx: AuditContext) -> None:
        for ss in ctx.doc.stated_sums:
            parts = [Value.of_figure(f, label) for label, f in ss.parts]
            total = Value.of_figure(ss.total, ss.total_label or "合计")
            if ss.signed:
                # A change is the difference of two printed figures, each rounded: the total's
                # change and its parts' add up only within the rounding of both years' figures
                # (a part stated `增加 0` may still be two amounts rounded alike).
                for v in (*parts, total):
                    v.terms = 2
            where = Location.of(
                [ss.loc, ss.total.loc, *(f.loc for _, f in ss.parts)],
                section=ctx.section_title(ss.section),
            )
            subject = ctx.section_title(ss.section) or "文字中的合计"
            if len(parts) == 1:
                best = max(
                    (Value.of_figure(c, "") for c in ss.candidates or [ss.total]),
                    key=lambda v: v.amount,
                )
                best.label = total.label
                ctx.compare(parts[0], best, subject=subject, location=where, relation="le")
                continue
            summed = total_of(parts, "其中各项之和")
            for cand in ss.candidates:
                cv = Value.of_figure(cand, "")
                if cand is not ss.total and judge(cv, summed).ok:
                    total = cv
                    total.label = "前文所列金额"
                    break
            if _misread_list(total.amount, summed.amount):
                ctx.skip(
                    f"{subject}：「{total.label}」{fmt(total.amount)} 与其后所列各项之和 "
                    f"{fmt(summed.amount)} 相差数倍，列举的范围读取存疑（可能跨段或跨页），未核对",
                    where,
                )
                continue
            if ss.partial:
                # `主要包括` names the main parts only: they may not exceed the total.
                ctx.compare(summed, total, subject=subject, location=where, relation="le")
            else:
                ctx.compare(total, summed, subject=subject, location=where)


def _misread_list(total: Decimal, summed: Decimal) -> bool:
    """Parts adding up to several times their total, or to a small fraction of it, are not
    a miscount but a list read with the wrong extent: the next paragraph's or section's
    amounts taken in, or the list's own total taken for an item. A doubtful reading is
    never reported as an error."""
    if total == 0 or summed == 0:
        return total != summed
    ratio = abs(summed / total)
    return ratio > _MISREAD_RATIO or ratio * _MISREAD_RATIO < 1 or (summed > 0) != (total > 0)


_MISREAD_RATIO = Decimal(2)


def allocated_amount(project: Project) -> tuple[Decimal, int] | None:
    """The amount a 资金分配情况 allocates: the stated total before a `其中` list, else the
    sum of the amounts stated."""
    figs = project.allocation_figures
    if not figs:
        return None
    if project.allocation_listed:
        return figs[0].value, 1
    return sum((f.value for f in figs), ZERO), len(figs)


@register
class ProjectAllocation(Rule):
    id = "S502"
    slug = "project-allocation"
    title = "项目资金分配不超过预算安排规模"
    emits = (_E,)
    description = (
        "项目说明中“资金分配情况”分配的金额（“其中”之前写明的总额，或所列各笔之和）不得超过该项目的"
        "“预算安排规模”。括号中的说明性金额不计入。"
    )
    bad = "“预算安排规模：100.00万元 … 资金分配情况：鉴定专项成本性支出200.00万元”"
    good = "“预算安排规模：100.00万元 … 资金分配情况：鉴定专项成本性支出100.00万元”"

    def run(self, ctx: AuditContext) -> None:
        for project in ctx.doc.projects:
            if project.secret or project.scale is None or not project.allocation:
                continue
            found = allocated_amount(project)
            if found is None:
                continue
            amount, terms = found
            alloc = Value(
                amount,
                "资金分配情况",
                [project.allocation_loc] if project.allocation_loc else [],
                terms,
            )
            ctx.compare(
                alloc,
                Value.of_figure(project.scale, "预算安排规模"),
                subject=f"项目「{project.name}」",
                location=partial(
                    Location.of,
                    [project.scale.loc, project.allocation_loc],
                    section="项目支出情况说明",
                    row=project.name,
                ),
                relation="le",
                check=project.name,
            )


def _name(p: PerformanceTable) -> str:
    if p.kind == "overall":
        return f"部门整体绩效目标表（{p.unit_name or ''}）"
    return f"项目支出绩效目标表「{p.project or '未写项目名称'}」"


@register
class PerformanceFunds(Rule):
    id = "S503"
    slug = "performance-funds"
    title = "绩效目标表资金合计"
    emits = (_E, _N)
    description = "项目支出绩效目标表：年度预算总额 = 财政拨款 + 其他资金。部门整体绩效目标表：资金总额 = 各资金来源之和。"
    bad = "“年度预算总额 255.00 | 其中：财政拨款 5.00 | 其他资金 200.00”"
    good = "“年度预算总额 255.00 | 其中：财政拨款 5.00 | 其他资金 250.00”"

    def run(self, ctx: AuditContext) -> None:
        for p in ctx.doc.performance:
            if p.total is None:
                continue
            parts = [f for f in (p.fiscal, p.other) if f is not None]
            if p.kind == "overall" and p.fund_lines:
                parts = [f for _, f in p.fund_lines]
            if not parts:
                if not _prints_sources(ctx, p):
                    continue  # the template prints the 资金总额 alone: nothing adds up to it
                ctx.skip(f"{_name(p)}没有读到资金来源", Location.of(p.loc))
                continue
            ctx.compare(
                Value.of_figure(p.total, "年度预算总额"),
                total_of([Value.of_figure(f, "") for f in parts], "各资金来源之和"),
                subject=_name(p),
                location=partial(
                    Location.of, [p.total.loc, *(f.loc for f in parts)], row=p.project
                ),
            )


def _prints_sources(ctx: AuditContext, p: PerformanceTable) -> bool:
    """Whether the template's form has fund-source lines: a `performance-grid` (湖南 项目支出
    绩效目标表) may print only the project's 资金总额."""
    for spec in ctx.profile.tables:
        if spec.layout == "performance-grid" and spec.title == p.title:
            return any(
                c.key in ("fiscal", "other") or c.key.startswith(("fiscal_", "other_"))
                for c in spec.columns
            )
    return True


def _fig_value(f: Figure | None, label: str) -> Value | None:
    return Value.of_figure(f, label) if f is not None else None


@register
class PerformanceOtherFunds(Rule):
    id = "S504"
    slug = "performance-other-funds"
    title = "整体绩效目标表资金来源与收入"
    emits = (_W, _N)
    description = (
        "部门整体绩效目标表的财政资金应等于部门的财政拨款收入、其他资金应等于非财政拨款收入"
        "（财政专户 + 单位资金，模板的 `performance`）。口径可能不同（例如未含结转），记为警告。"
    )
    bad = "整体绩效目标表“其他资金 4,870.00”，表1 财政专户核拨 3,500.00 + 单位资金 1,890.00 = 5,390.00"
    good = "整体绩效目标表“其他资金 5,390.00”"

    def run(self, ctx: AuditContext) -> None:
        perf = ctx.profile.performance
        for p in ctx.doc.performance:
            if p.kind != "overall":
                continue
            for fig, refs, label in (
                (p.fiscal, perf.fiscal_funds, "财政资金"),
                (p.other, perf.other_funds, "其他资金"),
            ):
                if not refs:
                    continue
                value = _fig_value(fig, f"整体绩效目标表{label}")
                if value is None:
                    ctx.skip(f"部门整体绩效目标表没有读到{label}", Location.of(p.loc))
                    continue
                try:
                    income = total_of([ctx.resolve(r) for r in refs], "")
                except Unresolved as exc:
                    ctx.skip(exc.reason, Location.of(p.loc))
                    continue
                income.label = " + ".join(ctx.resolve(r).label for r in refs)
                ctx.compare(
                    value,
                    income,
                    subject="部门整体绩效目标表",
                    location=Location.of([*value.locs, *income.locs]),
                    severity=_W,
                    note="需人工确认口径",
                )


@register
class PerformanceWeights(Rule):
    id = "S505"
    slug = "performance-weights"
    title = "绩效指标分值权重合计"
    emits = (_W,)
    description = (
        "项目支出绩效目标表各指标的分值权重之和应为模板规定的总分（新疆模板为 90 分，另 10 分为预算执行率）。"
        "合计不足通常意味着缺少成本、效益或满意度指标。"
    )
    bad = "“公共就业服务专项”各指标权重之和 70"
    good = "各指标权重之和 90"

    def run(self, ctx: AuditContext) -> None:
        expected = ctx.profile.performance.weight_total
        if expected is None:
            return
        for p in ctx.doc.performance:
            if p.kind != "project":
                continue
            total = p.weight_total()
            if total is None:
                continue
            if total == expected:
                ctx.passed()
                continue
            levels = sorted({i.level1 for i in p.indicators if i.level1})
            ctx.report(
                _W,
                "{form}各指标分值权重之和为 {total}，应为 {expected}（一级指标：{levels}）",
                Location.of([i.loc for i in p.indicators if i.weight is not None], row=p.project),
                params={
                    "form": _name(p),
                    "total": f"{total:g}",
                    "expected": f"{expected:g}",
                    "levels": "、".join(levels),
                },
                expected=f"{expected:g}",
                actual=f"{total:g}",
                difference=f"{abs(expected - total):g}",
            )


_WITHHELD = re.compile(r"绩效目标表[^。]{0,40}(?:涉密|不予公开|不公开)")


@register
class PerformanceProjectsTotal(Rule):
    id = "S506"
    slug = "performance-projects-total"
    title = "项目绩效目标表资金合计与表格"
    emits = (_E, _N)
    description = (
        "各项目支出绩效目标表的资金（模板 `performance.projects_field`：项目总额或财政拨款）之和，"
        "等于模板 `performance.projects_total` 指明的表格金额，例如项目支出（专项业务经费）总计："
        "每个有预算的项目都有一张绩效目标表，表中的资金就是该项目的预算。单位不同时按精确换算比较。"
    )
    bad = (
        "「办公区室外绿化项目」实施期资金总额 30.78 万元：9 张项目绩效目标表合计 3,014.002 万元，"
        "表10 专项业务经费合计 30,130,020.00 元"
    )
    good = "9 张项目绩效目标表合计 3,013.002 万元，表10 合计 30,130,020.00 元"

    def run(self, ctx: AuditContext) -> None:
        perf = ctx.profile.performance
        if not perf.projects_total:
            return
        projects = [p for p in ctx.doc.performance if p.kind == "project"]
        if not projects:
            ctx.skip("没有读到项目支出绩效目标表", Location())
            return
        withheld = next((p for p in ctx.doc.paragraphs if _WITHHELD.search(p.text)), None)
        if withheld is not None:
            # 西安财政局: `其中粮食储备及重要商品储备相关业务预算经费绩效目标表…为涉密内容，按规定
            # 不予公开`: the published forms cannot add up to every project.
            ctx.skip(
                "情况说明称部分绩效目标表涉密、不予公开，无法核对合计", Location.of(withheld.loc)
            )
            return
        figures: list[Figure] = []
        for p in projects:
            fig = p.fiscal if perf.projects_field == "fiscal" else p.total
            if fig is None and perf.projects_field == "total" and p.fiscal is not None:
                fig = p.fiscal if p.other is None else None
            if fig is None:
                ctx.skip(f"{_name(p)}没有读到资金", Location.of(p.loc, row=p.project))
                return
            figures.append(fig)
        try:
            expected = total_of([ctx.resolve(r) for r in perf.projects_total], "")
        except Unresolved as exc:
            ctx.skip(exc.reason, Location.of(exc.loc))
            return
        expected.label = " + ".join(ctx.resolve(r).label for r in perf.projects_total)
        word = "财政拨款" if perf.projects_field == "fiscal" else "资金"
        summed = total_of(
            [Value.of_figure(f, "") for f in figures], f"{len(figures)} 张项目绩效目标表{word}之和"
        )
        ctx.compare(
            summed,
            expected,
            subject="项目支出绩效目标表",
            location=Location.of([*expected.locs, *summed.locs]),
        )
