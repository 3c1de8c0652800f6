"""Charts drawn on the server as SVG: bar geometry here, the drawing in `templates/chart.j2`.

No chart library: the charts the corpus pages need (bars by function class, the same classes
year by year, 基本/项目 stacked by year, 三公 items by year, two departments' totals by year)
are rectangles and labels, an SVG the page carries inline,
so nothing is loaded from anywhere and the figures print as exact text. Geometry is computed
from the exact amounts (Decimal) and only then rounded to pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

WAN = Decimal(10000)
CENT = Decimal("0.01")


def wan(amount_yuan: Decimal | None) -> str:
    """An amount in 元 printed in 万元 with two decimals (half up), as disclosures print it."""
    if amount_yuan is None:
        return "–"
    return f"{(amount_yuan / WAN).quantize(CENT, rounding=ROUND_HALF_UP):,}"


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    w: int
    h: int
    series: int
    title: str  # the tooltip: label and exact figure


@dataclass(frozen=True, slots=True)
class Text:
    x: int
    y: int
    text: str
    anchor: str = "start"


@dataclass(slots=True)
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[int, str]] = field(default_factory=list)


def _px(value: Decimal, top: Decimal, span: int) -> int:
    if top <= 0 or value <= 0:
        return 0
    return int((value * span / top).to_integral_value(rounding=ROUND_HALF_UP))


def hbars(title: str, items: list[tuple[str, Decimal]], width: int = 760) -> Chart:
    """Horizontal bars, one per item, longest first as given; labels left, 万元 right."""
    label_w, value_w, row = 230, 120, 26
    span = width - label_w - value_w
    top = max((v for _, v in items), default=Decimal(0))
    chart = Chart(title, width, row * len(items) + 10)
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        short = label if len(label) <= 16 else label[:15] + "…"
        chart.texts.append(Text(label_w - 8, y + 17, short, "end"))
        chart.bars.append(
            Bar(
                label_w,
                y + 3,
                max(_px(value, top, span), 1),
                row - 8,
                0,
                f"{label}：{wan(value)} 万元",
            )
        )
        chart.texts.append(Text(label_w + _px(value, top, span) + 6, y + 17, wan(value)))
    return chart


def columns(
    title: str,
    categories: list[str],
    series: list[tuple[str, list[Decimal | None]]],
    *,
    stacked: bool,
    width: int = 760,
    height: int = 280,
) -> Chart:
    """Vertical bars per category (a year): the series side by side, or stacked."""
    left, bottom, top_pad = 90, 40, 16
    span = height - bottom - top_pad
    sums = [
        sum((s[1][i] or Decimal(0) for s in series), Decimal(0))
        if stacked
        else max((s[1][i] or Decimal(0) for s in series), default=Decimal(0))
        for i in range(len(categories))
    ]
    top = max(sums, default=Decimal(0))
    chart = Chart(title, width, height, legend=[(k, name) for k, (name, _) in enumerate(series)])
    slot = (width - left - 10) // max(len(categories), 1)
    group = min(slot - 20, 160)
    per = group if stacked else max(group // max(len(series), 1), 4)
    chart.texts.append(Text(left - 6, top_pad + 4, f"{wan(top)}", "end"))
    chart.texts.append(Text(left - 6, height - bottom, "0", "end"))
    for i, category in enumerate(categories):
        x0 = left + i * slot + (slot - group) // 2
        base = height - bottom
        for k, (name, values) in enumerate(series):
            value = values[i]
            if value is None:
                continue
            h = _px(value, top, span)
            x = x0 if stacked else x0 + k * per
            y = base - h
            chart.bars.append(Bar(x, y, per - 2, h, k, f"{category} {name}：{wan(value)} 万元"))
            if stacked:
                base = y
        chart.texts.append(Text(x0 + group // 2, height - bottom + 18, category, "middle"))
    return chart


def grouped_hbars(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[Decimal | None]]],
    width: int = 760,
) -> Chart:
    """Horizontal bars grouped by label (a function class), one bar per series (a year) in
    series order, on one scale; each bar's tooltip gives the change on the series before."""
    label_w, value_w, bar, gap = 230, 120, 14, 12
    span = width - label_w - value_w
    top = max((v for _, vs in series for v in vs if v is not None), default=Decimal(0))
    group = bar * len(series) + gap
    chart = Chart(
        title,
        width,
        group * len(labels) + 10,
        legend=[(k, name) for k, (name, _) in enumerate(series)],
    )
    for i, label in enumerate(labels):
        y0 = 5 + i * group
        short = label if len(label) <= 16 else label[:15] + "…"
        chart.texts.append(Text(label_w - 8, y0 + bar * len(series) // 2 + 5, short, "end"))
        before: Decimal | None = None
        for k, (name, values) in enumerate(series):
            value = values[i]
            y = y0 + k * bar
            if value is not None:
                tip = f"{label} {name}：{wan(value)} 万元"
                if before is not None:
                    change, previous = value - before, series[k - 1][0]
                    tip += (
                        f"，比{previous} {'+' if change > 0 else ''}{wan(change)} 万元"
                        if change
                        else f"，与{previous}相同"
                    )
                w = _px(value, top, span)
                chart.bars.append(Bar(label_w, y + 1, max(w, 1), bar - 2, k, tip))
                chart.texts.append(Text(label_w + w + 6, y + bar - 3, wan(value)))
            before = value
    return chart
