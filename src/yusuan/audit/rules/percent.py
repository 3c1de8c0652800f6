"""Judging a printed percentage against the figures it is computed from.

A percentage printed to 0.01 computed from amounts printed to 0.01 万元 is exact only up to
the rounding of all three: the check accepts every value the true (unrounded) amounts could
give, reports one more unit in the last place as rounding (tail adjustments so that shares
add up to 100% are common), and anything beyond as an error.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from yusuan.audit.context import AuditContext, Value
from yusuan.audit.findings import Location, Severity
from yusuan.model.narrative import Figure

HUNDRED = Decimal(100)


def percent_range(numerator: Value, denominator: Value) -> tuple[Decimal, Decimal, Decimal]:
    """(exact, low, high) of numerator / denominator × 100 under the printed rounding."""
    p, b = numerator.amount, denominator.amount
    hp = numerator.half_unit * max(1, numerator.terms)
    hb = denominator.half_unit * max(1, denominator.terms)
    exact = p / b * HUNDRED
    candidates = []
    for dp in (-hp, hp):
        for db in (-hb, hb):
            den = b + db
            if den != 0 and (den > 0) == (b > 0):
                candidates.append((p + dp) / den * HUNDRED)
    if not candidates:
        return exact, exact, exact
    return exact, min(candidates), max(candidates)


def judge_percent(
    ctx: AuditContext,
    *,
    stated: Figure,
    numerator: Value,
    denominator: Value,
    subject: str,
    formula: str | Callable[[], str],
    location: Location | Callable[[], Location],
    expected_override: Decimal | None = None,
    check: str | None = None,
) -> bool:
    """Report pass / rounding notice / error for a printed percentage. True if not an error.

    `formula` and `location` may be given as functions that make them: most percentages
    hold, and they are needed only for a finding."""
    s = abs(stated.value)
    hs = stated.half_unit
    unit = Decimal(1).scaleb(-stated.decimals)
    if expected_override is not None:
        exact = low = high = expected_override
    else:
        exact, low, high = percent_range(numerator, denominator)
        # Printed percentages are unsigned; a range around 0 (a 决算 of 0.00: `完成预算的0%`)
        # still includes 0 once folded.
        straddles = low <= 0 <= high
        exact, low, high = abs(exact), min(abs(low), abs(high)), max(abs(low), abs(high))
        if straddles:
            low = Decimal(0)
    shown = exact.quantize(unit, rounding=ROUND_HALF_UP)
    stated_text = f"{stated.raw}%"
    if low - hs <= s <= high + hs:
        ctx.passed()
        return True
    if callable(formula):
        formula = formula()
    if callable(location):
        location = location()
    if low - hs - unit <= s <= high + hs + unit:
        ctx.report(
            Severity.NOTICE,
            "{subject}：说明 {stated}，按 {formula} 计算为 {computed}%，相差 {unit} 个百分点"
            "（四舍五入或尾差调整）",
            location,
            params={
                "subject": subject,
                "stated": stated_text,
                "formula": formula,
                "computed": shown,
                "unit": unit,
            },
            expected=f"{shown}%",
            actual=stated_text,
            difference=str(unit),
            check=check,
            counts_as_passed=True,
        )
        return True
    ctx.report(
        Severity.ERROR,
        "{subject}：说明 {stated}，按 {formula} 计算应为 {computed}%",
        location,
        params={"subject": subject, "stated": stated_text, "formula": formula, "computed": shown},
        expected=f"{shown}%",
        actual=stated_text,
        difference=str(abs(s - shown)),
        check=check,
    )
    return False
