"""Y4xx — year-on-year statements: percentages, direction words, reasons, last-year totals."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from yusuan.audit.binding import Binding, try_bind
from yusuan.audit.context import ZERO, AuditContext, Value, fmt, total_of
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.audit.rules.percent import judge_percent, percent_range
from yusuan.model.narrative import Statement
from yusuan.model.provenance import Loc
from yusuan.readers.assemble import match_key

_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTICE


def current_amount(ctx: AuditContext, st: Statement) -> Value | None:
    """This year's amount a change is stated against: the statement's own, else an earlier
    statement of the same subject in the section, else the table figure it binds to."""
    if st.amount is not None:
        return Value.of_figure(st.amount, "本年")
    earlier = _earlier_statements(ctx).get(id(st))
    if earlier is not None and earlier.amount is not None:
        return Value.of_figure(earlier.amount, "本年")
    own = try_bind(ctx, st)
    if own is not None:
        return own.value
    return None


def _earlier_statements(ctx: AuditContext) -> dict[int, Statement]:
    """For each statement, the latest earlier one of its section with an amount and the
    same subject (same match key, or bound to the same table subject). One pass over the
    statements, memoised per audit: linear, where a scan back from each one is quadratic."""
    cached = ctx.cache.get("yoy-earlier")
    if cached is not None:
        return cached  # type: ignore[return-value]
    memo: dict[int, object] = {}
    by_key: dict[tuple[str | None, str], tuple[int, Statement]] = {}
    by_subject: dict[tuple[str | None, int], tuple[int, Statement]] = {}
    for i, st in enumerate(ctx.doc.statements):
        key = (st.section, match_key(st.subject))
        own = try_bind(ctx, st)
        subject = (st.section, id(own.subject)) if own and own.subject is not None else None
        found = [c for c in (by_key.get(key), by_subject.get(subject) if subject else None) if c]
        if found:
            memo[id(st)] = max(found, key=lambda c: c[0])[1]
        if st.amount is not None:
            by_key[key] = (i, st)
            if subject is not None:
                by_subject[subject] = (i, st)
    ctx.cache["yoy-earlier"] = memo
    return memo  # type: ignore[return-value]


def last_year(ctx: AuditContext, st: Statement) -> Value | None:
    """Last year's amount implied by `X，比上年增加/减少 A`: X − A or X + A; `持平`: X."""
    if st.change is None:
        return None
    if st.change.amount is None:
        return current_amount(ctx, st) if st.change.word == "持平" else None
    x = current_amount(ctx, st)
    if x is None:
        return None
    a = st.change.amount
    amount = x.amount - st.change.sign * a.value
    return Value(
        amount,
        "上年",
        [*x.locs, a.loc],
        x.terms + 1,
        max(x.half_unit, a.half_unit),
        max(x.decimals, a.decimals),
        x.unit,
    )


@register
class YoyPercent(Rule):
    id = "Y401"
    slug = "yoy-percent"
    title = "同比增减幅度"
    emits = (_E, _W, _N)
    description = (
        "“X 万元，比上年增加 A 万元，增长 B%”：上年数 L = X − A（减少时 L = X + A），"
        "B = A ÷ L × 100，保留两位小数。上年为 0 时按惯例写“增长 100.00%”，增减额为 0 时增幅为 0.00%。"
        "上年数不能为负。"
    )
    bad = "“预算数为 4,746.82 万元，比上年预算增加 466.58 万元，增长 11.90%”（应为 10.90%）"
    good = "“预算数为 4,746.82 万元，比上年预算增加 466.58 万元，增长 10.90%”"

    def run(self, ctx: AuditContext) -> None:
        for st in ctx.doc.statements:
            ch = st.change
            if ch is None or ch.amount is None or ch.pct is None:
                continue
            x = current_amount(ctx, st)
            if x is None:
                ctx.skip(f"「{st.subject}」未写本年金额，无法核对增减幅度", ctx.where(st))
                continue
            a = Value.of_figure(ch.amount, "增减额")
            prev = x.amount - ch.sign * a.amount
            tol = (x.half_unit + a.half_unit) * 2
            location = partial(ctx.where, st)  # made only for a finding
            if ch.base is not None:
                # The sentence names last year's amount (`比2025年年初预算数30385.62万元增加…`):
                # the percentage is of that amount, which need not equal X ∓ A exactly.
                base = Value.of_figure(ch.base, "上年数")
                if base.amount > 0:
                    judge_percent(
                        ctx,
                        stated=ch.pct,
                        numerator=a,
                        denominator=base,
                        subject=f"「{st.subject}」{ch.pct_word or ''}幅度",
                        formula=partial(_listed_base_formula, a, base),
                        location=location,
                    )
                    continue
            if prev < -tol:
                # An increase larger than the amount itself: either the 增减额 is wrong or the
                # change speaks of another amount of the sentence (`作业服务费 7,083.34 万元，上年
                # 结转 564.09 万元…。较上年增加 3,567.18 万元`). Which, the words do not say.
                ctx.report(
                    _W,
                    "「{subject}」本年 {current} 万元，{word} {change} 万元，"
                    "推出上年为 {last_year} 万元（负数）：增减额有误，或增减说的是同句的另一金额，"
                    "请人工核对",
                    location(),
                    params={
                        "subject": st.subject,
                        "current": fmt(x.amount),
                        "word": ch.word,
                        "change": fmt(a.amount),
                        "last_year": fmt(prev),
                    },
                    actual=fmt(a.amount),
                )
                continue
            lv = Value(prev, "上年数", [], 2, max(x.half_unit, a.half_unit))
            formula: str | Callable[[], str] = partial(_derived_base_formula, a, prev, x, ch.sign)
            override: Decimal | None = None
            if a.amount == 0:
                override = ZERO
                formula = "增减额为 0"
            elif abs(prev) <= tol:
                override = Decimal(100)
                formula = "上年为 0（惯例记 100.00%）"
            judge_percent(
                ctx,
                stated=ch.pct,
                numerator=a,
                denominator=lv,
                subject=f"「{st.subject}」{ch.pct_word or ''}幅度",
                formula=formula,
                location=location,
                expected_override=override,
            )


def _listed_base_formula(a: Value, base: Value) -> str:
    return f"{fmt(a.amount)} ÷ 所列上年数 {fmt(base.amount)}"


def _derived_base_formula(a: Value, prev: Decimal, x: Value, sign: int) -> str:
    return f"{fmt(a.amount)} ÷ 上年 {fmt(prev)}（{fmt(x.amount)} {'−' if sign > 0 else '+'} {fmt(a.amount)}）"


@register
class YoyDirection(Rule):
    id = "Y402"
    slug = "yoy-direction"
    title = "增减方向用词一致"
    emits = (_E,)
    description = "“增加”须与“增长”连用，“减少”须与“下降”连用；增减额为 0 时不判断方向。"
    bad = "“比上年预算增加 3.00 万元，下降 30.00%”"
    good = "“比上年预算增加 3.00 万元，增长 30.00%”"

    def run(self, ctx: AuditContext) -> None:
        for st in ctx.doc.statements:
            ch = st.change
            if ch is None or ch.pct_sign is None:
                continue
            if (
                ch.amount is not None
                and ch.amount.value == 0
                and (ch.pct is None or ch.pct.value == 0)
            ):
                ctx.passed()
                continue
            if ch.sign == ch.pct_sign:
                ctx.passed()
                continue
            ctx.report(
                _E,
                "「{subject}」写“{word}”又写“{pct_word}”，增减方向矛盾",
                ctx.where(st),
                params={"subject": st.subject, "word": ch.word, "pct_word": ch.pct_word},
                actual=f"{ch.word} / {ch.pct_word}",
            )


_NO_BUDGET = re.compile(
    r"(?:该项|该项目|本项)?(?:预算)?(?:不做安排|不作安排|未作安排|无预算安排|不再安排|未安排)"
)
_INTO = re.compile(
    r"调整(?:该项目|该项)?至本(?:功能分类)?科目|(?:调整)?纳入本科目|列入本科目|调入本科目"
)
_OUT_OF = re.compile(r"调出本科目|调整至其他科目|不再列入本科目|调整至其他功能分类")
_STAFF = re.compile(r"(?:^|[，,；;、以及和])(?:在职)?人员(?:正常)?(减少|增加)")


@dataclass(frozen=True, slots=True)
class _Staff:
    sign: int  # of the 在职 change
    text: str  # `在职 增加 8 人，退休 增加 7 人，离休 减少 3 人`
    locs: list[Loc]


def _staff_change(ctx: AuditContext) -> _Staff | None:
    staffing = ctx.doc.overview.staffing
    fact = staffing.get("在职")
    if fact is None or fact.change is None or fact.change.amount is None:
        return None
    parts = []
    locs = []
    for key in ("在职", "退休", "离休"):
        f = staffing.get(key)
        if f is not None and f.change is not None and f.change.amount is not None:
            parts.append(f"{key} {f.change.word} {f.change.amount.raw} 人")
            locs.append(f.change.amount.loc)
    sign = fact.change.sign * (1 if fact.change.amount.value else 0)
    return _Staff(sign, "，".join(parts), locs)


@register
class ReasonContradiction(Rule):
    id = "Y403"
    slug = "reason-contradiction"
    title = "原因与数字矛盾"
    emits = (_W,)
    description = (
        "“主要原因”与本段数字或部门概况相矛盾：本年仍有预算却说“该项预算不做安排/无预算安排”；"
        "预算减少却说“调整至本科目/纳入本科目”（或增加却说调出）；部门层面的基本支出说“人员减少”，"
        "而部门概况中在职人员增加（或相反）。原因是文字，需人工判断，记为警告。"
    )
    bad = "“行政单位离退休（项）：2024年预算数为950.39万元 … 主要原因是…该项预算不做安排。”"
    good = "“行政单位离退休（项）：2024年预算数为950.39万元 … 主要原因是…该项预算相应调减。”"

    def run(self, ctx: AuditContext) -> None:
        staff = _staff_change(ctx)
        for st in ctx.doc.statements:
            if not st.reason:
                continue
            problems = self._problems(ctx, st, staff)
            if not problems:
                ctx.passed()
                continue
            for i, (why, params, evidence) in enumerate(problems):
                ctx.report(
                    _W,
                    "「{subject}」" + why,
                    ctx.where(st, [st.reason_loc, *evidence]),
                    params={"subject": st.subject, **params},
                    actual=st.reason,
                    is_check=i == 0,
                )

    @staticmethod
    def _problems(
        ctx: AuditContext, st: Statement, staff: _Staff | None
    ) -> list[tuple[str, dict[str, object], list[Loc]]]:
        """Each contradiction (a message template and its parameters), with the places of
        the figures it contradicts."""
        reason = st.reason or ""
        out: list[tuple[str, dict[str, object], list[Loc]]] = []
        x = current_amount(ctx, st)
        m = _NO_BUDGET.search(reason)
        if m and x is not None and x.amount > 0:
            out.append(
                (
                    "原因称“{reason}”，但本年预算为 {current} 万元",
                    {"reason": _clause(reason, m.start()), "current": fmt(x.amount)},
                    x.locs,
                )
            )
        ch = st.change
        if ch is None or ch.amount is None or ch.amount.value == 0:
            return out
        m = _INTO.search(reason)
        if m and ch.sign < 0:
            out.append(
                (
                    "原因称“{reason}”（调入本科目），但预算比上年减少 {change} 万元",
                    {"reason": _clause(reason, m.start()), "change": fmt(ch.amount.value)},
                    [],
                )
            )
        m = _OUT_OF.search(reason)
        if m and ch.sign > 0:
            out.append(
                (
                    "原因称“{reason}”（调出本科目），但预算比上年增加 {change} 万元",
                    {"reason": _clause(reason, m.start()), "change": fmt(ch.amount.value)},
                    [],
                )
            )
        m = _STAFF.search(reason)
        if m:
            said = 1 if m.group(1) == "增加" else -1
            binding: Binding | None = try_bind(ctx, st)
            dept = (
                binding is not None
                and binding.subject is not None
                and (binding.subject.department_level)
            )
            if dept and staff is not None and staff.sign != 0 and said != staff.sign:
                out.append(
                    (
                        "原因称“人员{staff_word}”，但部门概况为：{staff}",
                        {"staff_word": m.group(1), "staff": staff.text},
                        staff.locs,
                    )
                )
            elif not dept and said != ch.sign:
                out.append(
                    (
                        "原因称“人员{staff_word}”，但预算比上年{word} {change} 万元",
                        {"staff_word": m.group(1), "word": ch.word, "change": fmt(ch.amount.value)},
                        [],
                    )
                )
        return out


def _clause(text: str, pos: int) -> str:
    start = max(text.rfind(ch, 0, pos) for ch in "，,；;。") + 1
    ends = [i for i in (text.find(ch, pos) for ch in "，,；;。") if i >= 0]
    end = min(ends) if ends else len(text)
    return text[start:end].strip()


@register
class LastYearConsistency(Rule):
    id = "Y404"
    slug = "lastyear-consistency"
    title = "同比推出的上年数前后一致"
    emits = (_E, _N)
    description = (
        "由各段“比上年增加/减少”推出的上年数，在不同段落之间应当自洽（模板的 `lastyear`）："
        "上年各收入来源之和 = 上年基本支出 + 项目支出；上年一般公共预算（本级 + 上级转移支付）= 上年一般公共预算拨款；"
        "各（项）上年数之和 = 上年一般公共预算拨款。"
    )
    bad = "各（项）上年数之和 1,872,708.34 万元，而上年一般公共预算拨款（基本 + 项目）为 1,872,608.33 万元"
    good = "各（项）上年数之和 1,872,608.34 万元，上年拨款 1,872,608.33 万元（差 0.01，四舍五入）"

    def run(self, ctx: AuditContext) -> None:
        by_key: dict[str, list[Statement]] = {}
        for st in ctx.doc.statements:
            b = try_bind(ctx, st)
            if b is not None and b.key:
                by_key.setdefault(b.key, []).append(st)
        for spec in ctx.profile.lastyear:
            sides = []
            missing: list[str] = []
            for keys in (spec.left, spec.right):
                values: list[Value] = []
                for key in keys:
                    sts = [s for s in by_key.get(key, []) if s.change is not None]
                    if not sts:
                        if by_key.get(key) and any(
                            (b := try_bind(ctx, s)) is not None and b.value.amount != 0
                            for s in by_key[key]
                        ):
                            missing.append(key)
                        continue
                    seen: set[str] = set()
                    for s in sts:
                        marker = match_key(s.subject)
                        if marker in seen:
                            continue  # the same subject restated (e.g. in two sections)
                        seen.add(marker)
                        ly = last_year(ctx, s)
                        if ly is None:
                            missing.append(key)
                        else:
                            values.append(ly)
                sides.append(values)
            if missing:
                ctx.skip(f"{spec.label}：缺少同比数据（{'、'.join(sorted(set(missing)))}）")
                continue
            left, right = (total_of(v, "") for v in sides)
            if left.terms == 0 or right.terms == 0:
                continue
            names = spec.label.split(" = ", 1)
            left.label = names[0]
            right.label = names[1] if len(names) > 1 else "对应数"
            ctx.compare(
                left,
                right,
                subject="由同比增减推算的上年数",
                location=Location.of([*left.locs, *right.locs]),
                check=spec.id,
            )


def _same_year_amounts(ctx: AuditContext, st: Statement) -> list[Value]:
    """This year's amounts a paragraph states for the statement's subject: its own, and the
    head's when a restatement differs from it (`…（01项）56.12万元 … 2026年预算安排57.8万元`)."""
    own = current_amount(ctx, st)
    out = [own] if own is not None else []
    if st.path:
        for other in ctx.doc.statements:
            if (
                other is not st
                and other.paragraph == st.paragraph
                and other.path == st.path
                and other.amount is not None
                and all(other.amount.value != v.amount for v in out)
            ):
                out.append(Value.of_figure(other.amount, "本年"))
    return out


def _head_subject(ctx: AuditContext, st: Statement) -> str:
    """How a finding names the statement: `预算安排` restating a (项) paragraph's head is named
    by the head's 类/款/项 path."""
    if st.path:
        return st.subject
    for other in ctx.doc.statements:
        if other.paragraph == st.paragraph and other.path:
            return other.subject
    return st.subject


def _agrees(x: Value, base: Value, sign: int, pct: Decimal, half: Decimal, unit: Decimal) -> bool:
    diff = x.amount - base.amount
    tol = x.half_unit + base.half_unit
    direction_ok = abs(diff) <= tol or (diff > 0) == (sign > 0)
    change = Value(abs(diff), "", [], 2, max(x.half_unit, base.half_unit))
    _, low, high = percent_range(change, base)
    return direction_ok and low - half - unit <= pct <= high + half + unit


@register
class YoyStatedBase(Rule):
    id = "Y405"
    slug = "yoy-stated-base"
    title = "同比幅度与所列上年数"
    emits = (_E, _N)
    description = (
        "先写出上年数、再写本年数和增减幅度的句子（“2025 年当年预算执行数为 L 万元，2026 年预算安排 "
        "X 万元，比 2025 年预算执行数减少 B%”）：B = |X − L| ÷ L × 100，保留两位小数，“增加/减少”须与 "
        "X、L 的大小一致。同一段对本年金额写了两个数时，幅度与其中一个相符即可（另一个由 N301 与表格核对）。"
    )
    bad = (
        "“2025年当年预算执行数为1690.69万元，2026年预算安排1434.89万元，比2025年预算执行数减少1.10%”"
        "（应为减少 15.13%）"
    )
    good = "“2025年当年预算执行数为1690.69万元，2026年预算安排1434.89万元，比2025年预算执行数减少15.13%”"

    def run(self, ctx: AuditContext) -> None:
        for st in ctx.doc.statements:
            ch = st.change
            if ch is None or ch.base is None or ch.pct is None or ch.amount is not None:
                continue
            base = Value.of_figure(ch.base, "上年")
            if base.amount <= 0:
                ctx.skip(f"「{st.subject}」所列上年数为 {fmt(base.amount)}，无法计算增减幅度")
                continue
            amounts = _same_year_amounts(ctx, st)
            if not amounts:
                ctx.skip(f"「{st.subject}」未写本年金额，无法核对增减幅度", ctx.where(st))
                continue
            pct = abs(ch.pct.value)
            unit = Decimal(1).scaleb(-ch.pct.decimals)
            agreeing = [
                x for x in amounts if _agrees(x, base, ch.sign, pct, ch.pct.half_unit, unit)
            ]
            location = ctx.where(st, [ch.base.loc, ch.pct.loc])
            if agreeing:
                x = agreeing[0]
                judge_percent(
                    ctx,
                    stated=ch.pct,
                    numerator=Value(abs(x.amount - base.amount), "", [], 2, x.half_unit),
                    denominator=base,
                    subject=f"「{_head_subject(ctx, st)}」{ch.word}幅度",
                    formula=f"|{fmt(x.amount)} − {fmt(base.amount)}| ÷ {fmt(base.amount)}",
                    location=location,
                )
                continue
            found = []
            for i, x in enumerate(amounts):
                diff = x.amount - base.amount
                word = "增加" if diff > 0 else "减少"
                which = "本年" if i == 0 else "本段另写的本年数"
                found.append(
                    f"按{which} {fmt(x.amount)} 万元计算为{word} {fmt(abs(diff) / base.amount * 100)}%"
                )
            ctx.report(
                _E,
                "「{subject}」：说明上年 {last_year} 万元，“{word} {percent}%”，{computed}",
                location,
                params={
                    "subject": _head_subject(ctx, st),
                    "last_year": fmt(base.amount),
                    "word": ch.word,
                    "percent": ch.pct.raw,
                    "computed": "；".join(found),
                },
                expected=found[0].rsplit("为", 1)[-1],
                actual=f"{ch.word} {ch.pct.raw}%",
            )


_BOTH_WAYS = re.compile(
    r"(?:增加|增长|上升|提高)\s*[（(/／、]\s*(?:减少|下降|降低)\s*[)）]?"
    r"|(?:减少|下降|降低)\s*[（(/／、]\s*(?:增加|增长|上升|提高)\s*[)）]?"
)
# What every match of `_BOTH_WAYS` holds: a direction word's last character, then the mark
# between the two words. Searched first (a character class, quick to scan for), it passes
# over the paragraphs that cannot match.
_MAYBE_BOTH_WAYS = re.compile(r"[加长升高少降低]\s*[（(/／、]")


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "。；;") + 1
    ends = [i for i in (text.find(ch, end) for ch in "。；;") if i >= 0]
    return text[left : min(ends) + 1 if ends else len(text)].strip()


@register
class BothDirections(Rule):
    id = "Y406"
    slug = "both-directions"
    title = "增减方向须写明一个"
    emits = (_E,)
    description = (
        "说明照抄模板、同时写了两个方向（“增加（减少）”“增长/下降”），没有按实际情况写明是增加还是减少。"
        "只在发现时计为一次未通过的检查。"
    )
    bad = "“财政拨款收入支出增加（减少）的主要原因是业务量增加。”"
    good = "“财政拨款收入支出增加的主要原因是业务量增加。”"

    def run(self, ctx: AuditContext) -> None:
        for para in ctx.doc.paragraphs:
            if para.heading or not _MAYBE_BOTH_WAYS.search(para.text):
                continue
            for m in _BOTH_WAYS.finditer(para.text):
                sentence = _sentence(para.text, m.start(), m.end())
                ctx.report(
                    _E,
                    "「{sentence}」同时写了“{words}”两个方向，应按实际增减写明其一",
                    Location.of(para.loc, section=ctx.section_title(para.section)),
                    params={"sentence": sentence, "words": m.group()},
                    actual=m.group(),
                )


_NO_REASON = re.compile(r"主要原因(?:是|为)?\s*[：:]?\s*(?:[。；;]|$)")


@register
class ReasonMissing(Rule):
    id = "Y407"
    slug = "reason-missing"
    title = "写了“主要原因是”须写出原因"
    emits = (_E,)
    description = (
        "“主要原因是”之后直接是句号（或段落结束），原因没有写出。原因在下一段分条列出时（以冒号结尾）不算。"
        "只在发现时计为一次未通过的检查。"
    )
    bad = "“公务用车购置及运行费9.98万元，与2025年预算数持平，主要原因是。”"
    good = "“公务用车购置及运行费9.98万元，与2025年预算数持平，主要原因是公务用车数量无变化。”"

    def run(self, ctx: AuditContext) -> None:
        for index, para in enumerate(ctx.doc.paragraphs):
            if para.heading:
                continue
            for m in _NO_REASON.finditer(para.text):
                if m.group().rstrip().endswith(("：", ":")) and m.end() >= len(para.text.rstrip()):
                    continue  # `主要原因是：` closing the paragraph: the list follows
                st = next(
                    (
                        s
                        for s in ctx.doc.statements
                        if s.paragraph == index and s.reason is not None and not _said(s.reason)
                    ),
                    None,
                )
                where = st.reason_loc or st.loc if st is not None else para.loc
                ctx.report(
                    _E,
                    "「{sentence}」写了“主要原因是”，但没有写出原因",
                    Location.of(where, section=ctx.section_title(para.section)),
                    params={"sentence": _sentence(para.text, m.start(), m.start())},
                    actual=m.group().strip(),
                )


def _said(reason: str) -> bool:
    return bool(reason.strip(" ：:，,。；;"))
