"""项目绩效自评表 (决算) → PerformanceTable of kind `selfeval`.

The form (中央 template, one per project, possibly over two pages):

    项目名称 | 信访干部培训专项
    主管部门 | [292]国家信访局 | 实施单位 | 国家信访局
    项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
        年度资金总额： | 180.61 | 180.03 | 180.03 | 10.0 | 100.00% | 10
        其中：财政拨款 | …   上年结转 | …   其他资金 | …
    年度总体目标 | 预期目标 | 实际完成情况
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因…
    总分 | 100 | 98

Columns are found by their header words, so a form whose grid differs by a column reads the
same; merged 一级/二级指标 cells leave their text to the rows below.
"""

from __future__ import annotations

import re
from decimal import Decimal

from yusuan.model.narrative import Figure, Indicator, PerformanceTable, SelfEvaluation
from yusuan.model.provenance import Loc
from yusuan.money import parse_number
from yusuan.readers.ir import RawRow, RawTable
from yusuan.text import normalize_name, strip_ordinal

__all__ = ["raw_to_selfeval"]

_FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
_INDICATOR_COLUMNS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "value": ("年度指标值", "指标值"),
    "actual": ("实际完成值",),
    "weight": ("分值",),
    "score": ("得分",),
}
_FUND_LABEL = re.compile(r"^(?:其中[:：]?)?(?P<name>.+?)[:：]?$")


def _figure(text: str, loc: Loc, unit: str) -> Figure | None:
    t = text.strip().rstrip("%％")
    parsed = parse_number(t)
    if parsed is None:
        return None
    return Figure(parsed.value, unit, parsed.raw, loc, parsed.decimals, parsed.malformed)


def _after(texts: list[str], idx: int) -> str:
    return next((t for t in texts[idx + 1 :] if t), "")


def raw_to_selfeval(raw: RawTable) -> PerformanceTable:
    table = PerformanceTable(kind="selfeval", loc=raw.loc, title=raw.title)
    ev = SelfEvaluation()
    table.selfeval = ev
    funds: dict[str, int] | None = None
    indicators: dict[str, int] | None = None
    for row in [*raw.header_rows, *raw.body_rows]:
        texts = [c.text for c in row.cells]
        norm = [normalize_name(t) for t in texts]
        if not any(texts):
            continue
        if "全年预算数" in norm:
            funds = {name: norm.index(name) for name in _FUND_COLUMNS if name in norm}
            continue
        if "一级指标" in norm:
            indicators = _positions(norm)
            continue
        first = next(i for i, n in enumerate(norm) if n)
        head = norm[first]
        if head.startswith("项目名称"):
            table.project = _after(texts, first) or None
        elif head.startswith("主管部门"):
            table.details["主管部门"] = _after(texts, first)
            if "实施单位" in norm:
                table.unit_name = _after(texts, norm.index("实施单位")) or None
        elif head.startswith("总分"):
            _totals(ev, row, texts, indicators)
        elif indicators is not None:
            _indicator(table, row, texts, indicators)
        elif funds is not None:
            _fund_line(ev, row, texts, funds)
    return table


def _positions(norm: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for field, names in _INDICATOR_COLUMNS.items():
        for idx, n in enumerate(norm):
            if n in names and idx not in out.values():
                out[field] = idx
                break
    return out


def _fund_line(ev: SelfEvaluation, row: RawRow, texts: list[str], cols: dict[str, int]) -> None:
    """`年度资金总额： | 180.61 | 180.03 | 180.03 | 10.0 | 100.00% | 10`: the label is the last
    text before the first figure column."""
    start = min(cols.values())
    label_text = next((t for t in reversed(texts[:start]) if t), "")
    m = _FUND_LABEL.match(normalize_name(strip_ordinal(label_text)))
    if not m:
        return
    name = m.group("name")
    line: dict[str, Figure] = {}
    for col in ("年初预算数", "全年预算数", "全年执行数"):
        idx = cols.get(col)
        if idx is not None and idx < len(texts):
            fig = _figure(texts[idx], row.cells[idx].loc, "万元")
            if fig is not None:
                line[col] = fig
    if not line:
        return
    ev.funds[name] = line
    if name == "年度资金总额":
        for col, attr, unit in (
            ("执行率", "rate", "%"),
            ("分值", "rate_weight", "分"),
            ("得分", "rate_score", "分"),
        ):
            idx = cols.get(col)
            if idx is not None and idx < len(texts):
                setattr(ev, attr, _figure(texts[idx], row.cells[idx].loc, unit))


def _totals(ev: SelfEvaluation, row: RawRow, texts: list[str], cols: dict[str, int] | None) -> None:
    """`总分 | … | 100 | 98`: under the indicators' 分值 and 得分 columns, else the last two
    figures of the line."""
    figures = [(i, t) for i, t in enumerate(texts) if t and parse_number(t) is not None]
    if cols and "weight" in cols and "score" in cols:
        w, s = cols["weight"], cols["score"]
        picked = [(w, texts[w] if w < len(texts) else ""), (s, texts[s] if s < len(texts) else "")]
    else:
        picked = figures[-2:]
    if len(picked) == 2:
        (wi, wt), (si, st) = picked
        ev.weight_total = _figure(wt, row.cells[wi].loc, "分") if wt else None
        ev.score_total = _figure(st, row.cells[si].loc, "分") if st else None


def _decimal(text: str) -> Decimal | None:
    parsed = parse_number(text.strip().rstrip("分"))
    return parsed.value if parsed is not None else None


def _indicator(
    table: PerformanceTable, row: RawRow, texts: list[str], cols: dict[str, int]
) -> None:
    def get(field: str) -> str:
        idx = cols.get(field)
        return texts[idx] if idx is not None and idx < len(texts) else ""

    level3 = get("level3")
    if not level3:
        return
    prev = table.indicators[-1] if table.indicators else None
    table.indicators.append(
        Indicator(
            level1=get("level1") or (prev.level1 if prev else ""),
            level2=get("level2") or (prev.level2 if prev else ""),
            level3=level3,
            value=get("value"),
            loc=row.loc,
            weight=_decimal(get("weight")),
            actual=get("actual"),
            score=_decimal(get("score")),
        )
    )
