"""F6xx — how numbers are printed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from yusuan.audit.context import AuditContext, fmt
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.model.narrative import Figure
from yusuan.model.tables import Cell, Table


def _cells(table: Table, keep: Callable[[Cell], bool]) -> Iterator[tuple[Cell, str, Location]]:
    """The table's cells that `keep` picks, with how findings name and locate them."""
    for row in table.rows:
        for key, cell in row.cells.items():
            if keep(cell):
                where = f"{table.name} {row.describe()} {table.column_label(key)}"
                loc = Location.of(
                    cell.loc, table=table.name, row=row.describe(), column=table.column_label(key)
                )
                yield cell, where, loc


def _figures(
    ctx: AuditContext, keep: Callable[[Figure], bool]
) -> Iterator[tuple[Figure, Location]]:
    """The narrative's figures that `keep` picks, each printed place once (a figure is read
    again by every statement that restates it)."""
    seen: set[tuple[str, tuple[int, ...], int | None]] = set()
    for fig in ctx.doc.figures:
        spot = (fig.raw, fig.loc.lines, fig.loc.page)
        if not keep(fig) or spot in seen:
            continue
        seen.add(spot)
        section = ctx.section_title(ctx.doc.section_of_line(fig.loc.first_line or 0))
        yield fig, Location.of(fig.loc, section=section)


@register
class MalformedNumber(Rule):
    id = "F601"
    slug = "malformed-number"
    title = "数字格式错误"
    emits = (Severity.ERROR,)
    description = (
        "千分位分隔符位置错误的数字（如 `3,8394.24`）无法确定其真实数值，须更正。表格单元格和说明文字中的"
        "数字都检查；每张表、整篇说明各计一次检查。"
    )
    bad = "“其他资产价值 3,8394.24 万元”"
    good = "“其他资产价值 38,394.24 万元”"

    def run(self, ctx: AuditContext) -> None:
        for table in ctx.doc.tables.values():
            bad = 0
            for cell, where, loc in _cells(table, lambda c: c.malformed):
                bad += 1
                ctx.report(
                    Severity.ERROR,
                    "数字「{printed}」的千分位分隔不正确（按 {read} 读取）：{where}",
                    loc,
                    params={
                        "printed": cell.text,
                        "read": fmt(cell.amount, cell.decimals),
                        "where": where,
                    },
                    actual=cell.text,
                    expected=fmt(cell.amount, cell.decimals),
                    is_check=bad == 1,
                )
            if not bad:
                ctx.passed()
        bad = 0
        for fig, loc in _figures(ctx, lambda f: f.malformed):
            bad += 1
            ctx.report(
                Severity.ERROR,
                "数字「{printed}」的千分位分隔不正确（按 {read} 读取）",
                loc,
                params={"printed": fig.raw, "read": fmt(fig.value, fig.decimals)},
                actual=fig.raw,
                expected=fmt(fig.value, fig.decimals),
                is_check=bad == 1,
            )
        if not bad:
            ctx.passed()


_FULLWIDTH = frozenset("，．０１２３４５６７８９－")


@register
class FullWidthNumber(Rule):
    id = "F602"
    slug = "fullwidth-number"
    title = "数字中用了全角字符"
    emits = (Severity.WARNING,)
    description = (
        "数字须用半角数字和标点书写：`1，100.00` 用全角逗号作千分位，`１２.５０` 用全角数字，读者和软件都可能"
        "把全角逗号当作分句（读成 100.00）。数值能确定时按该数值核对，并提示改正。"
    )
    bad = "“一般公共预算拨款收入 1，100.00 万元”"
    good = "“一般公共预算拨款收入 1,100.00 万元”"

    def run(self, ctx: AuditContext) -> None:
        found = 0
        for table in ctx.doc.tables.values():
            fullwidth = _cells(
                table, lambda c: c.value is not None and not _FULLWIDTH.isdisjoint(c.text)
            )
            for cell, where, loc in fullwidth:
                found += 1
                ctx.report(
                    Severity.WARNING,
                    "数字「{printed}」含全角字符，应写作 {read}：{where}",
                    loc,
                    params={
                        "printed": cell.text,
                        "read": fmt(cell.amount, cell.decimals),
                        "where": where,
                    },
                    actual=cell.text,
                    expected=fmt(cell.amount, cell.decimals),
                )
        for fig, loc in _figures(ctx, lambda f: not _FULLWIDTH.isdisjoint(f.raw)):
            found += 1
            ctx.report(
                Severity.WARNING,
                "数字「{printed}」含全角字符，应写作 {read}",
                loc,
                params={"printed": fig.raw, "read": fmt(fig.value, fig.decimals)},
                actual=fig.raw,
                expected=fmt(fig.value, fig.decimals),
            )
        if not found:
            ctx.passed()
