"""绩效目标表 → PerformanceTable: fund lines and indicator rows.

Converted indicator rows are often shifted by a column or cut in two (`按照完成比例赋` +
`分`); the 指标值设置依据 cell (历史标准, 计划标准 …) anchors each row, and rows without it
continue the previous indicator.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from yusuan.model.narrative import Figure, Indicator, PerformanceTable
from yusuan.model.provenance import Loc, merge_locs
from yusuan.money import parse_number
from yusuan.readers.ir import RawRow, RawTable
from yusuan.text import normalize_name

_BASIS = re.compile(r"(?:历史|计划|行业|预算支出|其他|国家|地方|社会公认)标准|标准值")
# What a form names its project by: 烟台 专项资金绩效目标表 prints `专项资金名称`.
_PROJECT_KEYS = ("项目名称", "专项资金名称")
_UNIT_KEYS = ("预算单位", "部门名称", "单位名称", "部门(单位)名称", "主管部门")
_HEADER_FIELDS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    # 重庆 prints no levels: `绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%)`.
    "level3": ("三级指标", "指标名称"),
    "value": ("指标值",),
    "value_kind": ("指标性质",),
    "measure": ("计量单位", "度量单位"),
    "basis": ("指标值设置依据", "指标设定依据", "设置依据", "指标值确定依据"),
    "last": ("上年完成值", "上年实际完成值"),
    "weight": ("指标分值权重", "分值权重", "权重", "指标权重"),
    "rule": ("指标赋分规则", "赋分规则"),
    "evidence": ("佐证资料",),
}
_DEFAULT_POS = {
    "level1": 0,
    "level2": 1,
    "level3": 2,
    "value": 3,
    "basis": 4,
    "last": 5,
    "weight": 6,
    "rule": 7,
    "evidence": 8,
    "value_kind": -1_000,  # printed only where the header names them
    "measure": -1_000,
}


def _cells(row: RawRow) -> list[str]:
    return [c.text for c in row.cells]


def _figure(text: str, loc: Loc) -> Figure | None:
    # Forms write the unit into the cell now and then (西安: `2,080.76万元`).
    parsed = parse_number(text.strip().removesuffix("万元"))
    if parsed is None:
        return None
    return Figure(parsed.value, "万元", parsed.raw, loc, parsed.decimals, parsed.malformed)


def _after(texts: list[str], label_idx: int) -> str:
    for t in texts[label_idx + 1 :]:
        if t:
            return t
    return ""


def raw_to_performances(raw: RawTable, kind: str) -> list[PerformanceTable]:
    """One table per form: a caption printed over several forms (西安 表14, one project per
    page) is read as one raw table whose forms each begin with a `项目名称` row, or with the
    unit rows printed right above it (新疆: `预算单位 | …` then `项目名称 | …`)."""
    rows = [*raw.header_rows, *raw.body_rows]
    starts = [i for i, row in enumerate(rows) if _starts_form(row)] if kind == "project" else []
    for n, start in enumerate(starts):
        floor = starts[n - 1] + 1 if n else 0
        while start > floor and _unit_row(rows[start - 1]):
            start -= 1
        starts[n] = start
    if len(starts) <= 1:
        return [raw_to_performance(raw, kind)]
    bounds = [0, *starts[1:], len(rows)]
    out = []
    for a, b in pairwise(bounds):
        part = rows[a:b]
        loc = merge_locs([r.loc for r in part])
        out.append(_build(part, kind, loc, raw.title))
    return out


def continues_form(raw: RawTable, kind: str, previous: RawTable | None) -> RawTable | None:
    """A form cut by a page break: the next page repeats the title over indicator rows only,
    no 项目名称, funds or header row (烟台 政策和项目预算绩效目标表). The previous raw table of the
    same title, with this page's rows after its own; None when `raw` is a form of its own."""
    if previous is None or normalize_name(previous.title) != normalize_name(raw.title):
        return None
    alone = raw_to_performances(raw, kind)
    if len(alone) != 1 or _has_head(alone[0]) or alone[0].indicators:
        return None
    rows = [*raw.header_rows, *raw.body_rows]
    if not any(sum(1 for c in r.cells if c.text.strip()) >= 2 for r in rows):
        return None
    return replace(
        previous,
        header_rows=[],
        body_rows=[*previous.header_rows, *previous.body_rows, *rows],
        pieces=[*previous.pieces, *raw.pieces],
    )


def _has_head(form: PerformanceTable) -> bool:
    return bool(
        form.project
        or form.unit_name
        or form.total
        or form.fiscal
        or form.other
        or form.fund_lines
        or form.details
    )


def _indicator_header(norm: list[str]) -> bool:
    """The header row of a form's indicators: `一级指标 | 二级指标 | 三级指标 | 指标值 …`, or
    without levels `指标名称 | 指标性质 | 指标值 | 计量单位 …` (重庆)."""
    return "一级指标" in norm or ("指标名称" in norm and "指标值" in norm)


def _starts_form(row: RawRow) -> bool:
    first = next((c.text for c in row.cells if c.text.strip()), "")
    return normalize_name(first).startswith(_PROJECT_KEYS)


def _unit_row(row: RawRow) -> bool:
    """`预算单位 | 新疆…中心`: the unit key of a form's head (as `_funds_row` reads it)."""
    first = next((c.text for c in row.cells if c.text.strip()), "")
    return normalize_name(first).startswith(_UNIT_KEYS)


def raw_to_performance(raw: RawTable, kind: str) -> PerformanceTable:
    return _build([*raw.header_rows, *raw.body_rows], kind, raw.loc, raw.title)


def _build(rows: list[RawRow], kind: str, loc: Loc, title: str) -> PerformanceTable:
    table = PerformanceTable(kind=kind, loc=loc, title=title)
    positions: dict[str, int] | None = None
    in_funds = False
    columns: dict[str, int] | None = None  # 总额 | 财政拨款 | 其他资金 printed as columns
    for row in rows:
        texts = _cells(row)
        if not any(texts):
            continue
        norm = [normalize_name(t) for t in texts]
        if positions is not None and not _indicator_header(norm):
            # The bulk of a form: indicator rows, read by the header's positions.
            _indicator_row(table, row, texts, positions)
            continue
        if _indicator_header(norm):
            positions = _header_positions(norm)
            in_funds = False
            continue
        if positions is None:
            if kind == "overall" and columns is None:
                columns = _fund_columns(norm)
                if columns is not None:
                    continue
            if columns is not None:
                _fund_columns_row(table, row, texts, columns)
                continue
            in_funds = _funds_row(table, row, texts, norm, in_funds)
            continue
        _indicator_row(table, row, texts, positions)
    if kind == "overall" and table.fund_lines and columns is None:
        fiscal = [f for label, f in table.fund_lines if "其他" not in label]
        other = [f for label, f in table.fund_lines if "其他" in label]
        if fiscal:
            table.fiscal = _sum_figure(fiscal)
        if other:
            table.other = _sum_figure(other)
    return table


def _fund_columns(norm: list[str]) -> dict[str, int] | None:
    """Columns of an overall form that lists tasks with their funds (西安 表15: `任务名称 |
    主要内容 | 总额 | 财政拨款 | 其他资金`), from the row naming them."""
    found = {}
    for idx, n in enumerate(norm):
        for key, names in (
            ("total", ("总额", "预算支出总额")),
            ("fiscal", ("财政拨款",)),
            ("other", ("其他资金",)),
        ):
            if n in names and key not in found:
                found[key] = idx
    return found if {"total", "fiscal"} <= set(found) else None


def _fund_columns_row(
    table: PerformanceTable, row: RawRow, texts: list[str], columns: dict[str, int]
) -> None:
    """A task line (its 总额 is a fund line) or the 金额合计 line (the form's funds)."""

    def fig(key: str) -> Figure | None:
        idx = columns.get(key)
        if idx is None or idx >= len(texts):
            return None
        if not texts[idx]:  # the column is printed, its cell left blank: nothing
            return Figure(Decimal(0), "万元", "", row.cells[idx].loc, 2)
        return _figure(texts[idx], row.cells[idx].loc)

    idx = columns["total"]
    if idx >= len(texts) or not texts[idx]:
        return  # a line without its 总额 (年度总体目标 …) is no fund line
    total = fig("total")
    if total is None:
        return
    label = "".join(t for t in texts[: columns["total"]] if t)
    # The 金额合计 line (西安), or figures alone under the headers (北京 预算13表).
    if not label or "合计" in normalize_name(label):
        table.total, table.fiscal, table.other = total, fig("fiscal"), fig("other")
    else:
        table.fund_lines.append((label, total))


def _sum_figure(figs: list[Figure]) -> Figure:
    total = sum((f.value for f in figs), Decimal(0))
    loc = Loc(lines=tuple(sorted({n for f in figs for n in f.loc.lines})))
    return Figure(total, "万元", "+".join(f.raw for f in figs), loc, max(f.decimals for f in figs))


def _funds_row(
    table: PerformanceTable, row: RawRow, texts: list[str], norm: list[str], in_funds: bool
) -> bool:
    """Header block of a 绩效 table: unit, project, funds. Returns whether fund lines follow."""
    joined = "".join(norm)
    for idx, n in enumerate(norm):
        if n.startswith(_UNIT_KEYS) and table.unit_name is None:
            table.unit_name = _after(texts, idx) or None
        elif n.startswith(_PROJECT_KEYS) and table.project is None:
            table.project = _after(texts, idx) or None
    # 西安 prints one fund per row (`实施期资金总额：| 29.78`, `其中：财政拨款 | 29.78`).
    one_per_row = table.kind == "project" and any(
        w in joined for w in ("资金总额", "财政拨款", "其他资金")
    )
    if one_per_row or "年度预算总额" in joined or ("财政拨款" in joined and "其他资金" in joined):
        for idx, n in enumerate(norm):
            value = _after(texts, idx)
            cell_loc = row.cells[idx].loc
            if n.startswith("年度预算总额") or n.rstrip(":") in (
                "资金总额",
                "项目资金总额",
                "实施期资金总额",
                "年度预算资金总额",  # 烟台
            ):
                table.total = table.total or _figure(value, cell_loc)
            elif "财政拨款" in n:
                table.fiscal = table.fiscal or _figure(value, cell_loc)
            elif n.startswith("其他资金"):
                table.other = table.other or _figure(value, cell_loc)
        return False
    if table.kind == "overall":
        if "年度预算" in joined or "资金来源" in joined:
            return True
        if in_funds:
            numbers = [(i, parse_number(t)) for i, t in enumerate(texts) if t]
            values = [(i, p) for i, p in numbers if p is not None]
            if values:
                idx, _ = values[-1]
                label = "".join(t for t in texts[:idx] if t)
                fig = _figure(texts[idx], row.cells[idx].loc)
                if fig is not None:
                    table.fund_lines.append((label, fig))
            return True
    return in_funds


_ABSENT = -1_000  # a field the header shows no column for
_BRACKET_TAIL = re.compile(r"\([^()]*\)$")


def _header_positions(norm: list[str]) -> dict[str, int]:
    pos = dict(_DEFAULT_POS)
    named: set[str] = set()
    # `分值权重（90分）`: the bracket states the total, the column is the weight.
    bare = [_BRACKET_TAIL.sub("", n) for n in norm]
    for field, names in _HEADER_FIELDS.items():
        for idx, n in enumerate(norm):
            if n in names or bare[idx] in names:
                pos[field] = idx
                named.add(field)
                break
    # A field the header does not name keeps its usual column only when no named field is
    # there: a 部门整体 form without 上年完成值 has 指标分值权重 in that column.
    taken = {pos[f] for f in named}
    levelless = "level1" not in named  # 重庆: no usual columns to fall back on
    for field in pos.keys() - named:
        if pos[field] in taken or levelless:
            pos[field] = _ABSENT
    return pos


def _indicator_row(
    table: PerformanceTable, row: RawRow, texts: list[str], pos: dict[str, int]
) -> None:
    has_basis = pos["basis"] != _ABSENT
    basis_idx = (
        next((i for i, t in enumerate(texts) if _BASIS.search(t)), None) if has_basis else None
    )
    filled = sum(1 for t in texts if t)
    # Without a 设置依据 column to anchor rows, a row naming an indicator in its 三级指标 cell
    # and giving its value in the 指标值 cell is an indicator of its own, though its 一级/二级
    # cells are left blank under the spanning ones (烟台): a wrapped indicator goes on in the
    # same cell, or leaves one of the two empty on the next line.
    own = not has_basis and _holds(texts, pos["level3"]) and _holds(texts, pos["value"])
    if basis_idx is None:
        if not own and (filled <= 2 or not _holds(texts, pos["value"])):
            if table.indicators:
                _continue_indicator(table.indicators[-1], texts, pos, row.loc)
            return
        basis_idx = pos["basis"]  # a basis the pattern does not know (政府工作报告 …)
    shift = basis_idx - pos["basis"]  # 0 for a form without a 设置依据 column

    def get(field: str) -> str:
        idx = pos[field] + shift
        return texts[idx] if 0 <= idx < len(texts) else ""

    level3 = get("level3")
    value_idx = pos["value"] + shift
    if not level3:
        # The name drifted left into an earlier column.
        for t in reversed(texts[: max(0, value_idx)]):
            if t and not t.endswith("指标"):
                level3 = t
                break
    prev = table.indicators[-1] if table.indicators else None
    level1 = get("level1") if pos["level1"] + shift >= 0 else ""
    level2 = get("level2") if pos["level2"] + shift >= 0 else ""
    if level1 == level3:
        level1 = ""
    if level2 == level3:
        level2 = ""
    value, kind, measure = get("value"), get("value_kind"), get("measure")
    if value and kind and kind[0] in "≤≥=＝<>＜＞":
        value = kind + value  # `≥ | 950 | 亿元` printed in three cells (重庆)
    if value and measure and not value.endswith(measure):
        value += measure
    table.indicators.append(
        Indicator(
            level1=level1 or (prev.level1 if prev else ""),
            level2=level2 or (prev.level2 if prev else ""),
            level3=level3,
            value=value,
            loc=row.loc,
            basis=texts[basis_idx] if 0 <= basis_idx < len(texts) else "",
            last_value=get("last"),
            weight=_weight(get("weight")),
            rule=get("rule"),
            evidence=get("evidence"),
        )
    )


def _holds(texts: list[str], idx: int) -> bool:
    return 0 <= idx < len(texts) and bool(texts[idx].strip())


def _continue_indicator(ind: Indicator, texts: list[str], pos: dict[str, int], loc: Loc) -> None:
    for field in ("value", "rule", "evidence", "level3"):
        idx = pos[field]
        if 0 <= idx < len(texts) and texts[idx]:
            current = getattr(ind, field)
            setattr(ind, field, (current + texts[idx]).replace(" ", ""))
    ind.loc = Loc(lines=tuple(sorted({*ind.loc.lines, *loc.lines})))


_WEIGHT = re.compile(r"\d+(\.\d+)?")


def _weight(text: str) -> Decimal | None:
    t = text.strip().rstrip("分")
    try:
        return Decimal(t) if _WEIGHT.fullmatch(t) else None
    except InvalidOperation:
        return None
