"""绩效目标表 printed as one grid: a block of rows per project (or per unit), not a form each.

湖南 prints every project of the department in one table (`单位编码 | 单位（项目）名称 | 资金总额
| 绩效目标 | 一级指标 | … | 备注`), 北京 likewise (`项目名称 | 项目总额 | 财政资金 | 其他资金 |
绩效目标 | 一级指标 | …`). The cells naming the project span all its indicator rows; a page
break repeats them on the first row of the next page. 湖南 puts a `合计` row and a row per unit
(`106001 | 长沙市公安局`) above the projects.

The profile names every printed column by a key (`columns`, in printed order). Keys with a
meaning here: `unit_code`, `name`, `goal`; amount columns `total`, `fiscal`/`fiscal_*`,
`other`/`other_*` (the funds; several make fund lines), any other amount column is only
carried into the table; indicator columns `level1`, `level2`, `level3`, `value`, `value_kind`
(≤, ≥, ＝, 定性), `measure` (度量单位), `basis`, `rule`, `weight`, `evidence`.

Two things come out: the `PerformanceTable` of each block, for the 绩效 rules, and a `Table`
with one row per block (plus the 合计 and unit rows), for the arithmetic and identities.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from yusuan.model.narrative import Figure, Indicator, PerformanceTable
from yusuan.model.provenance import Loc, merge_locs
from yusuan.model.tables import Cell, Column, Row, RowKind, Table
from yusuan.money import Unit, parse_number
from yusuan.profiles.schema import TableSpec
from yusuan.readers.assemble.tables import column_spec_role, new_table, unit_code
from yusuan.readers.ir import RawCell, RawRow, RawTable
from yusuan.text import normalize_name

__all__ = ["grid_to_performance"]

_INDICATOR_KEYS = ("level1", "level2", "level3", "value")
_COMPARATORS = ("≤", "≥", "=", "＝", "<", ">", "＜", "＞")


class _Block:
    """The rows of one project (or unit) of the grid."""

    def __init__(self, kind: str, name: str, row: RawRow) -> None:
        self.kind = kind
        self.name = name
        self.first = row
        self.rows: list[RawRow] = [row]
        self.unit_code = ""


def grid_to_performance(
    raw: RawTable, spec: TableSpec, default_unit: Unit
) -> tuple[Table, list[PerformanceTable]]:
    keys = [c.key for c in spec.columns]
    pos = {k: i for i, k in enumerate(keys)}
    table = new_table(raw, spec, default_unit)
    table.columns = [
        Column(c.key, c.label, None, column_spec_role(c))
        for c in spec.columns
        if c.kind == "amount"
    ]
    amount_keys = [c.key for c in spec.columns if c.kind == "amount"]
    forms: list[PerformanceTable] = []
    block: _Block | None = None
    unit: tuple[str, str] | None = None  # (code, name) of the unit rows above the projects

    def text(row: RawRow, key: str) -> str:
        idx = pos.get(key)
        if idx is None or idx >= len(row.cells):
            return ""
        return row.cells[idx].text.strip()

    def close() -> None:
        # A project whose name never came (the table ended first) is not read as anyone's.
        if block is not None and block.name:
            forms.append(_form(block, spec, pos, unit))

    name_at = pos.get("name")
    prev_name_loc: Loc | None = None
    for row in raw.body_rows:
        if row.is_blank():
            continue
        if len(row.cells) != len(keys):
            table.problems.append(
                f"{row.loc.describe()}：有 {len(row.cells)} 列，模板为 {len(keys)} 列"
            )
            continue
        name, code = text(row, "name"), text(row, "unit_code")
        has_indicator = any(text(row, k) for k in ("goal", *_INDICATOR_KEYS))
        cells = _cells(row, spec, pos, amount_keys, table)
        if cells is None:
            continue
        label = name or code
        if label and not has_indicator:
            # 合计 and unit lines: figures only, above the projects they add up.
            if normalize_name(label) in ("合计", "总计"):
                table.rows.append(Row(RowKind.TOTAL, label, row.loc, cells))
                continue
            coded = unit_code([RawCell(code, row.loc), RawCell(name, row.loc)])
            unit = (coded[0], coded[1]) if coded else (code, name)
            table.rows.append(
                Row(
                    RowKind.UNIT,
                    unit[1],
                    row.loc,
                    cells,
                    unit_name=unit[1],
                    unit_code=unit[0] or None,
                )
            )
            continue
        name_loc = row.cells[name_at].loc if name_at is not None else None
        begins = _begins_span(prev_name_loc, name_loc, row)
        prev_name_loc = name_loc
        if not name and begins and block is not None and has_indicator and spec.form != "overall":
            # A project's spanning cells begin here, its name printed on the next page (北京
            # 预算12表: a merged cell's text is centred over all of it, and this page holds only
            # its top): its rows are not the previous project's.
            close()
            block = _Block(spec.form, "", row)
            block.unit_code = code
            continue
        if name and block is not None and not block.name:
            # The name of the project begun on the page before.
            block.name, block.first = name, row
            block.rows.append(row)
            table.rows.append(_project_row(name, row, cells, unit))
            continue
        joined = _name_cut_by_page(block, row, name, spec, pos) if name and block else None
        if joined is not None and block is not None:
            # One project whose name the page break cut; its funds on either page.
            block.name = joined
            block.rows.append(row)
            funds_here = any(text(row, k) for k in amount_keys)
            if funds_here and not any(text(block.first, k) for k in amount_keys):
                block.first = row
            if table.rows and table.rows[-1].kind is RowKind.PROJECT:
                last = table.rows[-1]
                last.label = last.project = joined
                if funds_here and not any(c.value is not None for c in last.cells.values()):
                    last.cells = cells
            continue
        if name and (block is None or not _same_block(block, row, name, spec, pos)):
            close()
            kind = spec.form
            block = _Block(kind, name, row)
            block.unit_code = code
            if kind == "overall":
                table.rows.append(
                    Row(RowKind.UNIT, name, row.loc, cells, unit_name=name, unit_code=code or None)
                )
            else:
                table.rows.append(_project_row(name, row, cells, unit))
            continue
        if block is not None:
            block.rows.append(row)
    close()
    if table.problems:
        table.readable = False
    return table, forms


def _project_row(
    name: str, row: RawRow, cells: dict[str, Cell], unit: tuple[str, str] | None
) -> Row:
    return Row(
        RowKind.PROJECT, name, row.loc, cells, unit_name=unit[1] if unit else None, project=name
    )


def _begins_span(before: Loc | None, here: Loc | None, row: RawRow) -> bool:
    """Whether a row's name cell is a merged cell beginning at this row, on the page of the
    row before (the cell box of a PDF grid: a spanned row carries its merged cell's box)."""
    if before is None or here is None or before.bbox is None or here.bbox is None:
        return False
    if before.page != here.page or row.loc.bbox is None:
        return False
    starts_here = abs(here.bbox[1] - row.loc.bbox[1]) <= 0.5 and here.bbox[1] > before.bbox[1] + 0.5
    return starts_here and here.bbox[3] > row.loc.bbox[3] + 0.5


def _name_cut_by_page(
    block: _Block | None, row: RawRow, name: str, spec: TableSpec, pos: dict[str, int]
) -> str | None:
    """The whole name when `name`, first on its page, goes on from the block's name cut by
    the page break: the cut line shown on both pages (`…-事故责任追究和` then
    `故责任追究和整改措施落实情况评估服务`), or the name's head with its project code on one
    page and the rest without one on the next (`11000024T000002843044-北` then `京市森林消防…`).
    The funds must agree where both pages print them. None otherwise."""
    if block is None or not block.name or block.rows[-1].loc.page == row.loc.page:
        return None
    for c in spec.columns:
        if c.kind == "amount":
            idx = pos[c.key]
            a, b = row.cells[idx].text.strip(), block.first.cells[idx].text.strip()
            if a and b and a != b:
                return None
    before, after = normalize_name(block.name), normalize_name(name)
    for n in range(min(len(before), len(after)) - 1, 2, -1):
        if before.endswith(after[:n]):
            return block.name + after[n:]
    if _CODED.match(before) and not _CODED.match(after) and not after[:1].isdigit():
        return block.name + name
    if _CODE_HEAD.match(before) and _CODE_TAIL.match(after):
        return block.name + name  # the break cut the code itself (`11000023T000` | `002092910-…`)
    return None


# A project name led by its project code (北京 `11000022T000000447090-安全检查…`).
_CODED = re.compile(r"^[0-9]{6,}[0-9A-Z]*[-—－]")
_CODE_HEAD = re.compile(r"^[0-9]{6,}[0-9A-Z]*$")
_CODE_TAIL = re.compile(r"^[0-9A-Z]+[-—－]")


def _same_block(
    block: _Block, row: RawRow, name: str, spec: TableSpec, pos: dict[str, int]
) -> bool:
    """A page break repeats the spanning cells (name, funds, goal) of the project it cuts."""
    if normalize_name(name) != normalize_name(block.name):
        return False
    for c in spec.columns:
        if c.kind == "amount":
            idx = pos[c.key]
            if row.cells[idx].text.strip() != block.first.cells[idx].text.strip():
                return False
    return True


def _cells(
    row: RawRow,
    spec: TableSpec,
    pos: dict[str, int],
    amount_keys: list[str],
    table: Table,
) -> dict[str, Cell] | None:
    out: dict[str, Cell] = {}
    for key in amount_keys:
        raw = row.cells[pos[key]]
        t = raw.text.strip()
        if not t:
            out[key] = Cell(None, "", raw.loc)
            continue
        parsed = parse_number(t)
        if parsed is None:
            label = next(c.label for c in spec.columns if c.key == key)
            table.problems.append(f"{row.loc.describe()}：「{label}」列读到「{t}」而不是金额")
            return None
        out[key] = Cell(parsed.value, t, raw.loc, parsed.decimals, parsed.malformed)
    return out


def _figure(cell: RawCell) -> Figure | None:
    parsed = parse_number(cell.text.strip().removesuffix("万元"))
    if parsed is None:
        return None
    return Figure(parsed.value, "万元", parsed.raw, cell.loc, parsed.decimals, parsed.malformed)


def _form(
    block: _Block, spec: TableSpec, pos: dict[str, int], unit: tuple[str, str] | None
) -> PerformanceTable:
    first = block.first
    form = PerformanceTable(
        kind=block.kind,
        loc=merge_locs([r.loc for r in block.rows]),
        title=spec.title,
    )
    if block.kind == "overall":
        form.unit_name = block.name
    else:
        form.project = block.name
        form.unit_name = unit[1] if unit else None
    goal = pos.get("goal")
    if goal is not None and first.cells[goal].text.strip():
        form.details["绩效目标"] = first.cells[goal].text.strip()
    fiscal: list[tuple[str, Figure]] = []
    other: list[tuple[str, Figure]] = []
    for c in spec.columns:
        if c.kind != "amount":
            continue
        cell = first.cells[pos[c.key]]
        fig = _figure(cell) if cell.text.strip() else Figure(Decimal(0), "万元", "", cell.loc, 2)
        if fig is None:
            continue
        if c.key == "total":
            form.total = fig
        elif c.key == "fiscal" or c.key.startswith("fiscal_"):
            fiscal.append((c.label, fig))
        elif c.key == "other" or c.key.startswith("other_"):
            other.append((c.label, fig))
    if fiscal:
        form.fiscal = _sum(fiscal)
    if other:
        form.other = _sum(other)
    if len(fiscal) + len(other) > 2 or block.kind == "overall":
        form.fund_lines = [*fiscal, *other]
    level1 = level2 = ""
    for row in block.rows:
        texts = {k: row.cells[i].text.strip() for k, i in pos.items()}
        level1 = texts.get("level1") or level1
        level2 = texts.get("level2") or level2
        level3, value = texts.get("level3", ""), texts.get("value", "")
        if not level3 and not value:
            continue  # a level printed without indicators (社会成本指标 ——)
        kind, measure = texts.get("value_kind", ""), texts.get("measure", "")
        shown = value
        if kind in _COMPARATORS or (kind and kind[0] in _COMPARATORS):
            shown = f"{kind}{value}"
        if measure and value and not value.endswith(measure):
            shown += measure
        form.indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                level3=level3,
                value=shown,
                loc=row.loc,
                basis=texts.get("basis", ""),
                weight=_weight(texts.get("weight", "")),
                rule=texts.get("rule", ""),
                evidence=texts.get("evidence", ""),
            )
        )
    return form


def _sum(figs: list[tuple[str, Figure]]) -> Figure:
    if len(figs) == 1:
        return figs[0][1]
    total = sum((f.value for _, f in figs), Decimal(0))
    loc: Loc = merge_locs([f.loc for _, f in figs])
    raw = "+".join(f.raw or "0" for _, f in figs)
    return Figure(total, "万元", raw, loc, max(f.decimals for _, f in figs))


def _weight(text: str) -> Decimal | None:
    t = text.strip().rstrip("分")
    if not t:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None
