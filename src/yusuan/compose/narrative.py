"""What every narrative template shares: blocks, claims and the printed forms of figures.

Every amount, share (占 X%) and year-on-year change (比上年预算增加/减少 A 万元，增长/下降 B%)
is computed from the exact sums with the functions here; the narratives themselves are the
profiles' Jinja2 templates (`compose/story.py`, `compose/narratives/`). The 绩效目标表 a
department file describes are built here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from yusuan.compose.compile import Totals, wan, wan_text
from yusuan.compose.department import Department
from yusuan.compose.template import Template, identity_items, item_sum_keys
from yusuan.model.narrative import Figure, Indicator, PerformanceTable
from yusuan.model.provenance import Loc
from yusuan.money import format_amount

SECRET = "完全不予公开"
SECRET_FIELDS = (
    "资金分配情况",
    "资金执行时间",
    "资金来源",
    "补贴人数",
    "补贴标准",
    "补贴范围",
    "补贴方式",
    "发放程序",
    "受益人群和社会效益",
)
HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


@dataclass(slots=True)
class Para:
    text: str
    level: int | None = None  # heading level; None for running text


@dataclass(slots=True)
class TableRef:
    key: str


@dataclass(slots=True)
class PerfRef:
    index: int


Block = Para | TableRef | PerfRef


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure the generator wrote, for checking what the reader makes of the text."""

    section: str
    subject: str
    amount: Decimal | None
    share: Decimal | None = None
    change: tuple[str, Decimal, str, Decimal] | None = None  # 增加, A, 增长, B


@dataclass(slots=True)
class Narrative:
    blocks: list[Block] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    performance: list[PerformanceTable] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # reasons and texts left as placeholders


def money(fen: int) -> str:
    return wan_text(fen)


def percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP)


def yoy(cur: int, last: int) -> tuple[str, Decimal, str, Decimal]:
    """(增加/减少, A 万元, 增长/下降, B%) as printed, following the template's conventions:
    B = A ÷ last year; last year 0 is 增长 100.00%; an A that prints as 0.00 is 0.00%."""
    diff = cur - last
    # The change between the figures as printed, as a reader recomputes it: the exact change
    # rounded on its own can differ by 0.01 from the printed ones' difference, and a list of
    # such changes would not add up to the printed total's change.
    a = abs(wan(cur) - wan(last))
    up = diff >= 0
    if a == 0:
        pct = Decimal("0.00")
    else:
        printed_last = wan(cur) - a if up else wan(cur) + a
        if last == 0 or abs(printed_last) <= Decimal("0.02"):
            pct = Decimal("100.00")
        else:
            # of the printed figures too, so that A ÷ (this year ∓ A) gives B back
            pct = percent(int(a.scaleb(2)), int(wan(last).scaleb(2)))
    return ("增加" if up else "减少"), a, ("增长" if up else "下降"), pct


def share_text(cur: int, whole: int) -> tuple[str, Decimal | None]:
    """`，占 Y%` — left out for an amount that prints as 0.00 (a share of nothing says nothing,
    and auditors cannot bound the share of a figure rounded to zero)."""
    if wan(cur) == 0 or whole == 0:
        return "", None
    share = percent(cur, whole)
    return f"，占 {share}%", share


def yoy_text(cur: int, last: int, *, spaced: bool = True) -> str:
    word, a, pword, pct = yoy(cur, last)
    sp = " " if spaced else ""
    return f"比上年预算{word}{sp}{format_amount(a)}{sp}万元，{pword}{sp}{pct}%"


def overall_table(dept: Department, t: Totals, tp: Template) -> PerformanceTable:
    """部门整体绩效目标表: 财政资金 (上级安排 / 本级安排) and 其他资金 from the ledger's sources
    the profile's `performance` names, the rest from the department file."""
    ov = dept.performance.overall
    assert ov is not None
    prof = tp.profile.performance
    items = list(tp.overview.panels[0].items)

    def leaves(refs: list[str]) -> list[str]:
        """收支总表 income items a reference adds up; a reference to another table's item
        (西安 `T4[#current]`) through the items the profile equates with the 收支总表's."""
        out: list[str] = []
        for ref in refs:
            m = re.match(r"([\w-]+)\[#([\w-]+)\]", ref)
            if m is None:
                continue
            if m.group(1) == tp.overview.key:
                out += sorted(item_sum_keys(items, m.group(2)))
                continue
            other = tp.specs.get(m.group(1))
            if other is None or not other.panels:
                continue
            equated = identity_items(tp.profile, other.key, "#", tp.overview.key)
            for leaf in sorted(item_sum_keys(list(other.panels[0].items), m.group(2))):
                for key in equated.get(leaf, []):
                    out += sorted(item_sum_keys(items, key))
        return list(dict.fromkeys(out))

    def amount(keys: list[str], upper: bool | None = None) -> int:
        return sum(
            t.by_source.get(s.index, [0, 0])[0]
            for s in tp.sources
            if s.key in keys and (upper is None or ("上级" in s.label) == upper)
        )

    fiscal_keys = leaves(prof.fiscal_funds)
    upper = amount(fiscal_keys, True)
    own = amount(fiscal_keys, False)
    other = amount(leaves(prof.other_funds))
    lines = [
        ("财政资金（万元）上级安排", _fig(wan(upper))),
        ("本级安排", _fig(wan(own))),
        ("其他资金（万元）其他", _fig(wan(other))),
    ]
    table = PerformanceTable(
        kind="overall",
        loc=Loc(),
        unit_name=ov.unit,
        title=form_title(tp, "overall", "部门整体绩效目标表"),
        fund_lines=lines,
        indicators=[_indicator(row) for row in ov.indicators],
    )
    table.fiscal = _fig(wan(upper) + wan(own))
    table.other = _fig(wan(other))
    table.details = {"部门联系人": ov.contact, "联系电话": ov.phone, "年度绩效目标": ov.goal}
    return table


def _fig(value: Decimal) -> Figure:
    return Figure(value, "万元", format_amount(value), Loc())


def _indicator(row: list[str]) -> Indicator:
    cells = [c.strip() for c in row] + [""] * (9 - len(row))
    weight: Decimal | None
    try:
        weight = Decimal(cells[6]) if re.fullmatch(r"\d+(\.\d+)?", cells[6]) else None
    except ArithmeticError:
        weight = None
    return Indicator(
        level1=cells[0],
        level2=cells[1],
        level3=cells[2],
        value=cells[3],
        loc=Loc(),
        basis=cells[4],
        last_value=cells[5],
        weight=weight,
        rule=cells[7],
        evidence=cells[8],
    )


def form_title(tp: Template, kind: str, default: str) -> str:
    """The title the template gives its 绩效目标表 of a kind (`overall`, `project`)."""
    for spec in tp.profile.tables:
        if spec.layout == f"performance-{kind}" or (
            spec.layout == "performance-grid" and spec.form == kind
        ):
            return spec.title
    return default


def project_table(
    pp: object, funds: tuple[int, int] = (0, 0), title: str = "项目支出绩效目标表"
) -> PerformanceTable:
    """项目支出绩效目标表; `funds`: the project's (财政拨款, 其他资金) 分 in the ledger, for the
    amounts the department file leaves out."""
    from yusuan.compose.department import ProjectPerformance

    assert isinstance(pp, ProjectPerformance)
    fiscal = pp.fiscal if pp.fiscal is not None else wan(funds[0])
    other = pp.other if pp.other is not None else wan(funds[1])
    table = PerformanceTable(
        kind="project",
        loc=Loc(),
        unit_name=pp.unit,
        project=pp.project,
        title=title,
        total=_fig(fiscal + other),
        fiscal=_fig(fiscal),
        other=_fig(other),
        indicators=[_indicator(row) for row in pp.indicators],
    )
    table.details = {"项目负责人": pp.manager, "项目总体目标": pp.goal}
    return table
