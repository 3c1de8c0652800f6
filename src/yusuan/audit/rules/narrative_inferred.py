"""N311, N312 — the narrative against the tables when no regional profile binds it.

A profile says which table figure each sentence of its template restates (N301). A document
whose template no profile knows has only its tables' kinds and column roles
(`yusuan.kinds`); `kinds.toml` says, per subject word (三公经费, 基本支出, 一般公共预算 …), where
such a figure may be printed. The places are wide on purpose — the narrative's wording does
not say whether 基本支出 means all funds or 一般公共预算 — so a stated amount found in any of
them agrees, and one found in none is a warning to look at, not an error: the pairing is
inferred, and a misread must never be reported as an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from yusuan.audit.binding import find_row_by_names, row_index
from yusuan.audit.context import AuditContext, Value, fmt, judge
from yusuan.audit.findings import Severity
from yusuan.audit.registry import Rule, register
from yusuan.audit.rules.percent import percent_range
from yusuan.kinds import NarrativeFigure, catalogue, narrative_subject
from yusuan.model.narrative import Statement
from yusuan.model.tables import Column, Row, RowKind, Table
from yusuan.money import Unit
from yusuan.text import normalize_name

_W = Severity.WARNING

# Columns that hold no amount of this year: last year's, the change, counts of people or cars.
_NOT_AMOUNTS = frozenset({"prior-year", "change", "quantity", "headcount"})
# `其中：`, `包括`, `主要用于`: words that open a clause before its subject.
_LEAD = re.compile(r"^(?:其中|包括|主要包括|主要是|分别是|主要用于|用于|含)[：:，,、]?")
_ROW_YEAR = re.compile(r"(\d{4})年")


@dataclass(slots=True)
class _Place:
    table: Table
    row: Row
    column: Column

    def value(self) -> Value:
        label = f"{self.table.name} {self.row.label.strip() or '本行'}·{self.column.label}"
        return Value.of_cell(self.row.cell(self.column.key), label, self.table.unit, self.row.loc)


@register
class NarrativeAmountInferred(Rule):
    id = "N311"
    slug = "narrative-amount-inferred"
    title = "说明中的金额在表格中找得到（按表类推断）"
    emits = (_W,)
    description = (
        "模板未识别（没有地区模板说明每句话对应哪张表的哪个数）时，按 `kinds/data/kinds.toml` 的"
        "`[[narrative]]`：说明中的主语（“三公”经费、因公出国（境）费、基本支出、一般公共预算、"
        "政府性基金、上年结转…）可能对应的各表位置（表类 + 行 + 列的含义），以及说明中写出的"
        "类/款/项（按路径或类名，在支出总表、一般公共预算支出表等表中查找）。说明的金额等于其中任何"
        "一个数（含四舍五入与截尾）即为一致；都不等而与其中一个数只差一位数字或相邻两位颠倒时，"
        "报警告（疑为笔误）——对应关系是推断的，不作为错误。与各数都不像的金额可能说的是别的口径"
        "（某单位、某项目、增减额），不核对；有地区模板时由 N301 核对。"
    )
    bad = "“2026年“三公”经费预算2,171.58万元”，表八 2026年预算数·合计为 2,171.85"
    good = "“2026年“三公”经费预算2,171.85万元”"

    def run(self, ctx: AuditContext) -> None:
        tables = _inferred_tables(ctx)
        if not tables:
            return
        index = _Index(ctx, tables)
        for st in _money_statements(ctx):
            places = index.places(st)
            if places:
                _judge(ctx, st, places)


class _Index:
    """Where each subject's figures are, found once per audit: a document states hundreds of
    amounts, its tables may hold many thousands of rows, and each statement only picks."""

    def __init__(self, ctx: AuditContext, tables: list[Table]) -> None:
        self.ctx = ctx
        self.tables = tables
        codes = catalogue().narrative_codes
        self.coded = [t for t in tables if codes is not None and t.kind in codes.kinds]
        self.columns = codes.columns if codes is not None else ["*"]
        self.by_entry: dict[str, list[_Place]] = {}
        # 类 rows by name: the bare 类 names of a narrative (`包括一般公共服务支出190.62万元`).
        self.classes: dict[str, list[tuple[Table, Row]]] = {}
        for table in self.coded:
            for row in table.rows:
                if row.kind is RowKind.PROJECT or row.level not in (None, 1):
                    continue
                if row.code is not None and len(row.code) != 3:
                    continue
                self.classes.setdefault(normalize_name(row.label), []).append((table, row))

    def places(self, st: Statement) -> list[_Place]:
        rows = self._coded_rows(st)
        if rows:
            return [_Place(t, r, c) for t, r in rows for c in _columns(t, r, self.columns)]
        entry = narrative_subject(st.subject)
        if entry is None:
            return []
        found = self.by_entry.get(entry.id)
        if found is None:
            found = self.by_entry[entry.id] = [
                p for fig in entry.figures for p in _figure_places(self.ctx, self.tables, fig)
            ]
        return found

    def _coded_rows(self, st: Statement) -> list[tuple[Table, Row]]:
        """The rows of the 类/款/项 a statement names: by its path, or by a bare 类 name."""
        if st.path:
            found = []
            for table in self.coded:
                row = find_row_by_names(row_index(self.ctx, table), st.path, [])
                if row is not None:
                    found.append((table, row))
            return found
        name = normalize_name(_LEAD.sub("", normalize_name(st.subject)))
        if not name.endswith("支出") or len(name) < 4:
            return []
        return self.classes.get(name, [])


def _inferred_tables(ctx: AuditContext) -> list[Table]:
    """The document's tables of a known kind, when no profile binds the narrative (N301 and
    N302 check it then)."""
    if any(s.subjects or s.names or s.share_base for s in ctx.profile.sections):
        return []
    return [t for t in ctx.doc.tables.values() if t.kind and t.rows]


def _money_statements(ctx: AuditContext) -> Iterator[Statement]:
    """Statements of an amount in 元/万元, outside the 部门概况 and the 名词解释."""
    for st in ctx.doc.statements:
        if st.amount is None or Unit.parse(st.amount.unit) is None:
            continue
        spec = ctx.section(st.section) if st.section else None
        if spec is None or spec.kind not in ("overview", "glossary"):
            yield st


def _figure_places(
    ctx: AuditContext, tables: list[Table], fig: NarrativeFigure
) -> Iterator[_Place]:
    year = ctx.doc.year
    for table in tables:
        if "*" not in fig.kinds and table.kind not in fig.kinds:
            continue
        for row in table.rows:
            if not _this_year(row, year):
                continue
            if fig.rows == ["@total"]:
                if row.kind is RowKind.TOTAL:
                    yield from (_Place(table, row, c) for c in _columns(table, row, fig.columns))
            elif fig.rows:
                if row.kind is RowKind.PROJECT or row.code is not None:
                    continue  # a project or 科目 named like the subject is not its figure
                # The words name the row (`公务接待费 | 合计 | 一般公共预算`) or the column
                # (深圳 表9: `公务接待费 › 一般公共预算` over rows of years).
                in_row = any(w in normalize_name(row.label) for w in fig.rows)
                for column in _columns(table, row, fig.columns):
                    if in_row or any(w in normalize_name(column.label) for w in fig.rows):
                        yield _Place(table, row, column)
            else:
                yield from (_Place(table, row, c) for c in _columns(table, row, fig.columns))


def _this_year(row: Row, year: int | None) -> bool:
    """Rows of another year or of the change (深圳 表9: `深圳市审计局 2025年 | 2026年 |
    增减变化金额`)."""
    label = normalize_name(row.label)
    if "增减" in label:
        return False
    return year is None or all(int(y) == year for y in _ROW_YEAR.findall(label))


def _columns(table: Table, row: Row, roles: list[str]) -> list[Column]:
    return [
        c
        for c in table.columns
        if c.role is not None
        and c.role not in _NOT_AMOUNTS
        and ("*" in roles or c.role in roles)
        and (row.panel is None or c.panel is None or c.panel == row.panel)
        and row.cell(c.key) is not None
    ]


def _judge(ctx: AuditContext, st: Statement, places: list[_Place]) -> None:
    assert st.amount is not None
    stated = Value.of_figure(st.amount, "说明")
    readable = [p for p in places if p.table.readable]
    values = [p.value() for p in readable]
    if any(judge(stated, v).ok or _truncates(stated, v) for v in values):
        ctx.passed()
        return
    unreadable = sorted({p.table.name for p in places if not p.table.readable})
    cells = [p.row.cell(p.column.key) for p in readable]
    if unreadable or any(c is not None and c.malformed for c in cells):
        # A figure that may be the one stated could not be read: nothing can be said.
        names = "、".join(unreadable) or "对应的表格"
        ctx.skip(f"「{st.subject}」：{names}无法可靠读取，未核对", ctx.where(st))
        return
    near = next((v for v in values if _misprint_of(stated, v)), None)
    if near is None:
        # The amount is none of the places' figures and like none of them: the sentence
        # states something the tables do not (a unit's share, a change, last year's amount).
        return
    right = near.in_unit(stated.unit)
    diff = fmt(abs(stated.amount - right.amount), stated.decimals)
    ctx.report(
        _W,
        "「{subject}」：说明 {stated}，{table_label} {table_amount}，差 {difference}"
        "（疑为笔误；说明与表格的对应按表名和表头推断）",
        ctx.where(st, near.locs),
        params={
            "subject": st.subject,
            "stated": fmt(stated.amount, stated.decimals),
            "table_label": near.label,
            "table_amount": fmt(right.amount, max(stated.decimals, right.decimals)),
            "difference": diff,
        },
        expected=fmt(right.amount, max(stated.decimals, right.decimals)),
        actual=fmt(stated.amount, stated.decimals),
        difference=diff,
        check=f"narrative:{st.subject}",
    )


def _truncates(stated: Value, table: Value) -> bool:
    """`93,664.78 万元` for 936,647,884.33 元: the finer figure cut, not rounded, to the stated
    digits — a convention some narratives follow, not a different amount."""
    right = table.in_unit(stated.unit)
    if right.half_unit >= stated.half_unit:
        return False
    step = Decimal(1).scaleb(-stated.decimals)
    return right.amount.quantize(step, ROUND_DOWN) == stated.amount


def _misprint_of(stated: Value, table: Value) -> bool:
    """Whether `stated` reads like a misprint of the table figure: at the stated precision the
    same digits but one, or two neighbours swapped (4,764.82 for 4,746.82). A figure unlike
    every candidate is taken for a different amount, which the inferred pairing cannot judge."""
    step = Decimal(1).scaleb(-stated.decimals)
    right = table.in_unit(stated.unit).amount.quantize(step, ROUND_HALF_UP)
    if abs(right) < 10 or stated.amount < 0 or right < 0:
        return False  # small figures differ in one digit by chance
    return _digits_misprinted(stated.amount.quantize(step), right)


def _digits_misprinted(stated: Decimal, right: Decimal) -> bool:
    """The same digits but one, or two neighbours swapped, at the same precision."""
    a = str(stated).replace(".", "")
    b = str(right).replace(".", "")
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    i, j = diff[0], diff[-1]
    return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]


@register
class NarrativeShareInferred(Rule):
    id = "N312"
    slug = "narrative-share-inferred"
    title = "说明中的占比（按表类推断基数）"
    emits = (_W,)
    description = (
        "模板未识别时，说明中“X 万元，占 Y%”的基数不由模板给出：按 `kinds.toml` 的"
        "`[[narrative_share_base]]`，取收支总表、收入总表、支出总表、一般公共预算支出表等的总计行，"
        "以及“三公”经费合计，Y 等于 X 除以其中任何一个（在各数印刷精度的舍入范围内，另容末位 1 个"
        "单位的尾差调整）即为一致。都不等时，若同一章节同一页上紧挨着的占比用的基数算出的值与 Y 只差一位数字"
        "或相邻两位颠倒，报警告（疑为笔误）；否则不知道基数，不核对。"
    )
    bad = "“本年一般公共预算收入242,360.10万元，占96.59%”，收入总计 249,983.64（应为 96.95%）"
    good = "“本年一般公共预算收入242,360.10万元，占96.95%”"

    def run(self, ctx: AuditContext) -> None:
        tables = _inferred_tables(ctx)
        if not tables:
            return
        bases = _share_bases(ctx, tables)
        if not bases:
            return
        stated = [
            st
            for st in _money_statements(ctx)
            if st.share is not None and st.amount is not None and st.amount.value != 0
        ]
        matched = [_matching_bases(st, bases) for st in stated]
        for i, st in enumerate(stated):
            if matched[i]:
                ctx.passed()
                continue
            # The base is the one the neighbouring shares of the list are taken of: the shares
            # stated just before and after, in the same section on the same page.
            nearby = [
                b
                for j in (i - 1, i + 1)
                if 0 <= j < len(stated) and _same_list(st, stated[j])
                for b in matched[j]
            ]
            _report_misprinted_share(ctx, st, nearby)


def _same_list(a: Statement, b: Statement) -> bool:
    return a.section == b.section and a.loc.page == b.loc.page


def _share_bases(ctx: AuditContext, tables: list[Table]) -> list[Value]:
    readable = [t for t in tables if t.readable]
    seen: dict[tuple[str, str, str], Value] = {}
    for fig in catalogue().narrative_share_base:
        for place in _figure_places(ctx, readable, fig):
            value = place.value()
            if value.amount != 0:
                seen.setdefault((place.table.key, place.row.label, str(value.amount)), value)
    return list(seen.values())


def _share_bounds(st: Statement, base: Value) -> tuple[Decimal, Decimal, Decimal]:
    assert st.amount is not None
    part = Value.of_figure(st.amount, st.subject)
    return percent_range(part, base.in_unit(part.unit))


def _matching_bases(st: Statement, bases: list[Value]) -> list[Value]:
    assert st.share is not None
    share = abs(st.share.value)
    slack = st.share.half_unit + Decimal(1).scaleb(-st.share.decimals)  # a tail adjustment
    found = []
    for base in bases:
        _, low, high = _share_bounds(st, base)
        if min(abs(low), abs(high)) - slack <= share <= max(abs(low), abs(high)) + slack:
            found.append(base)
    return found


def _report_misprinted_share(ctx: AuditContext, st: Statement, bases: list[Value]) -> None:
    assert st.share is not None and st.amount is not None
    step = Decimal(1).scaleb(-st.share.decimals)
    # Name the base on the subject's side: 支出总计 for a share of 支出, 收入合计 for one of 收入.
    side = next((w for w in ("支出", "收入") if w in st.subject), None)
    for base in sorted(bases, key=lambda b: side is None or side not in b.label):
        exact, _, _ = _share_bounds(st, base)
        expected = abs(exact).quantize(step, ROUND_HALF_UP)
        if not _digits_misprinted(abs(st.share.value).quantize(step), expected):
            continue
        right = base.in_unit(Unit.parse(st.amount.unit))
        ctx.report(
            _W,
            "「{subject}」占比：说明 {stated}%，按 {amount} ÷ {base_label} {base} 计算应为 "
            "{expected}%（疑为笔误；基数按相邻占比推断）",
            ctx.where(st, base.locs),
            params={
                "subject": st.subject,
                "stated": st.share.raw,
                "amount": st.amount.raw,
                "base_label": base.label,
                "base": fmt(right.amount, max(2, right.decimals)),
                "expected": str(expected),
            },
            expected=str(expected),
            actual=st.share.raw,
            check=f"share:{st.subject}",
        )
        return
