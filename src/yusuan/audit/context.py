"""What a rule sees: the document, its profile, value lookup, the rounding model, and the
bookkeeping of checks run, passed and not run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from yusuan.audit.findings import Finding, Location, NotRun, Severity
from yusuan.audit.registry import Rule
from yusuan.model.document import Document
from yusuan.model.narrative import Figure, Statement
from yusuan.model.provenance import Loc
from yusuan.model.tables import Cell, Row, RowKind, Table
from yusuan.money import Unit, convert, format_amount
from yusuan.profiles.schema import REF_PATTERN, Profile, SectionSpec

ZERO = Decimal(0)
HALF_CENT = Decimal("0.005")
_HALF_UNITS = {d: Decimal(5).scaleb(-(d + 1)) for d in range(9)}


class Unresolved(Exception):
    """A value a check needs could not be read; the check is reported as not run."""

    def __init__(self, reason: str, loc: Loc | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.loc = loc


@dataclass(slots=True)
class Value:
    """An amount as printed (or a sum of printed amounts) with what it rests on."""

    amount: Decimal
    label: str
    locs: list[Loc] = field(default_factory=list)
    terms: int = 1  # printed figures in it (empty cells are exact zeros, not terms)
    half_unit: Decimal = HALF_CENT
    decimals: int = 2
    unit: Unit | None = None

    @staticmethod
    def of_cell(cell: Cell | None, label: str, unit: Unit | None, loc: Loc | None = None) -> Value:
        if cell is None:
            return Value(ZERO, label, [loc] if loc else [], 0, HALF_CENT, 2, unit)
        printed = cell.value is not None
        half = _HALF_UNITS.get(cell.decimals) or Decimal(5).scaleb(-(cell.decimals + 1))
        if not printed:
            half = HALF_CENT
        return Value(
            cell.amount,
            label,
            [cell.loc],
            1 if printed else 0,
            half,
            cell.decimals if printed else 2,
            unit,
        )

    @staticmethod
    def of_figure(fig: Figure, label: str) -> Value:
        unit = Unit.parse(fig.unit)
        half, decimals = fig.half_unit, fig.decimals
        if unit is not None and decimals < 2 and not fig.rounded:
            # Narratives write round amounts without decimals (`7361 万元`, `41.9万元`);
            # they mean the amount to the cent, not a figure rounded to 1 or 0.1 万元.
            half, decimals = HALF_CENT, 2
        elif fig.rounded:
            # A narrative that rounds to whole 万元 may also cut the decimals off (`1,237万元`
            # for 1,237.67): a whole unit either way is that convention, not an error.
            half = 2 * half
        terms = 0 if fig.value == 0 else 1  # a stated zero is exact
        return Value(fig.value, label, [fig.loc], terms, half, decimals, unit)

    def in_unit(self, unit: Unit | None) -> Value:
        if unit is None or self.unit is None or unit is self.unit:
            return self
        return Value(
            convert(self.amount, self.unit, unit),
            self.label,
            self.locs,
            self.terms,
            convert(self.half_unit, self.unit, unit),
            self.decimals,
            unit,
        )


def _cell_total(cell: Cell, label: str, unit: Unit | None) -> Value:
    """`total_of([Value.of_cell(cell, "", unit)], label)`, made in one step: most codes of a
    table are printed in one row, and the audit sums every code of every table it compares."""
    if cell.value is None:
        return Value(ZERO + ZERO, label, [cell.loc], 0, HALF_CENT, 2, unit)
    half = _HALF_UNITS.get(cell.decimals) or Decimal(5).scaleb(-(cell.decimals + 1))
    return Value(
        ZERO + cell.value,
        label,
        [cell.loc],
        1,
        half,
        cell.decimals if cell.decimals > 0 else 2,
        unit,
    )


def total_of(values: Iterable[Value], label: str) -> Value:
    """The sum of values (converted to the first value's unit), with all they rest on."""
    amount = ZERO
    locs: list[Loc] = []
    terms = 0
    half: Decimal | None = None
    decimals = 0
    unit: Unit | None = None
    for v in values:
        if unit is None:
            unit = v.unit
        elif v.unit is not None and v.unit is not unit:
            v = v.in_unit(unit)
        amount += v.amount
        locs.extend(v.locs)
        terms += v.terms
        if half is None or v.half_unit > half:
            half = v.half_unit
        if v.decimals > decimals:
            decimals = v.decimals
    return Value(
        amount, label, locs, terms, half if half is not None else HALF_CENT, decimals or 2, unit
    )


@dataclass(slots=True)
class Verdict:
    ok: bool  # equal, or within rounding
    rounding: bool  # differs within rounding tolerance
    difference: Decimal


def tolerance(left: Value, right: Value) -> Decimal:
    """k × half a unit of the last printed digit, k = figures in the comparison − 1 (≥ 1)."""
    k = max(1, left.terms + right.terms - 1)
    return k * max(left.half_unit, right.half_unit)


def restates(coarse: Value, fine: Value) -> bool:
    """`coarse` is one printed figure that is `fine` (one figure, same unit) rounded half up to
    the digits `coarse` is printed with: 189,767,551 元 stated as 18,976.76 万元, 7,315 元 as
    0.73 万元. That is the same amount written at a coarser precision, not a difference."""
    if coarse.terms != 1 or fine.terms != 1 or coarse.half_unit <= fine.half_unit:
        return False
    step = coarse.half_unit * 2
    return (fine.amount / step).quantize(Decimal(1), ROUND_HALF_UP) * step == coarse.amount


def judge(left: Value, right: Value, relation: str = "eq") -> Verdict:
    right = right.in_unit(left.unit)
    diff = left.amount - right.amount
    tol = tolerance(left, right)
    if (relation == "le" and diff <= 0) or (relation == "ge" and diff >= 0):
        return Verdict(True, False, diff)
    if diff == 0 or restates(left, right) or restates(right, left):
        return Verdict(True, False, diff)
    if abs(diff) <= tol:
        return Verdict(True, True, diff)
    return Verdict(False, False, diff)


MIN_DOUBT = 3  # leaf codes disagreeing before a per-code comparison is taken for a misread


def misread_codes(codes: Iterable[str], failing: Iterable[str]) -> str | None:
    """Whether a per-code comparison between two tables rests on a misread: most of its leaf
    codes disagree (a page of rows lost, a column misplaced, two tables paired wrongly), which
    is no set of printed errors. Only leaves count: one wrong figure breaks its 项 and the 款
    and 类 above it. Returns `k/n 个末级科目不符` for the not-run reason, else None."""
    every = set(codes)
    parents = {c[:n] for c in every for n in (3, 5) if len(c) > n}
    leaves = every - parents
    bad = [c for c in set(failing) if c in leaves]
    if len(bad) >= MIN_DOUBT and len(bad) * 3 > len(leaves):
        return f"{len(bad)}/{len(leaves)} 个末级科目不符"
    return None


def fmt(value: Decimal, decimals: int = 2) -> str:
    return format_amount(value, decimals)


class AuditContext:
    def __init__(self, doc: Document, profile: Profile, *, require_narrative: bool = False) -> None:
        self.doc = doc
        self.profile = profile
        # Check the 情况说明 even where the input never held one (a workbook of the tables).
        self.require_narrative = require_narrative
        self.findings: list[Finding] = []
        self.not_run: list[NotRun] = []
        self.stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.rule: Rule | None = None
        self._code_cache: dict[tuple[str, str, str | None], dict[str, Value]] = {}
        self.cache: dict[str, dict[int, object]] = {}  # per-audit memo (statement bindings)
        self._sections: dict[str, SectionSpec] | None = None

    # ───────────────────────── bookkeeping ─────────────────────────

    def _rid(self) -> tuple[str, str]:
        assert self.rule is not None
        return self.rule.id, self.rule.slug

    def tally(self, checks: int, passed: int) -> None:
        """Count checks settled together with one reported outcome."""
        rid, _ = self._rid()
        self.stats[rid][0] += checks
        self.stats[rid][1] += passed

    def passed(self, n: int = 1) -> None:
        assert self.rule is not None  # the commonest call of an audit: kept short
        counts = self.stats[self.rule.id]
        counts[0] += n
        counts[1] += n

    def report(
        self,
        severity: Severity,
        template: str,
        location: Location,
        *,
        params: Mapping[str, object] | None = None,
        expected: str | None = None,
        actual: str | None = None,
        difference: str | None = None,
        check: str | None = None,
        counts_as_passed: bool = False,
        is_check: bool = True,
    ) -> None:
        """Report a finding: its message is `template` with `params` filled in (a template
        without params is the message as it stands)."""
        rid, slug = self._rid()
        if is_check:
            self.stats[rid][0] += 1
            if counts_as_passed:
                self.stats[rid][1] += 1
        self.findings.append(
            Finding.of(
                rid,
                slug,
                severity,
                template,
                location,
                params,
                expected=expected,
                actual=actual,
                difference=difference,
                check=check,
            )
        )

    def readable(self, table: Table) -> bool:
        """Whether a table can be checked; if not, the rule's checks on it are not run (and
        the reason is reported) rather than passed."""
        if table.readable:
            return True
        problem = table.problems[0] if table.problems else "结构与模板不符"
        self.skip(
            f"{table.name} {table.title}无法读取：{problem}",
            Location.of(table.loc, table=table.name),
        )
        return False

    def skip(self, reason: str, location: Location | None = None) -> None:
        rid, slug = self._rid()
        self.not_run.append(NotRun(rid, slug, reason, location or Location()))

    def compare(
        self,
        left: Value,
        right: Value,
        *,
        subject: str,
        location: Location | Callable[[], Location],
        relation: str = "eq",
        severity: Severity = Severity.ERROR,
        check: str | None = None,
        note: str = "",
    ) -> Verdict:
        """Compare two amounts under the rounding model and report the outcome.

        Message: `{subject}：{actual_label} {actual}，{expected_label} {expected}，差 {difference}`
        (then `（四舍五入）` for a rounding notice, or the identity's note).
        """
        verdict = judge(left, right, relation)
        if verdict.ok and not verdict.rounding:
            self.passed()
            return verdict  # most checks pass: format nothing, locate nothing
        if callable(location):
            location = location()
        decimals = max(left.decimals, right.decimals)
        right_u = right.in_unit(left.unit)
        # `actual` is the figure under check (a total, a stated amount), `expected` what the
        # identity says it must be (the sum of its parts, the table's figure).
        actual, expected = fmt(left.amount, decimals), fmt(right_u.amount, decimals)
        diff = fmt(abs(verdict.difference), decimals)
        params = {
            "subject": subject,
            "actual_label": left.label,
            "actual": actual,
            "expected_label": right.label,
            "expected": expected,
            "difference": diff,
        }
        base = "{subject}：{actual_label} {actual}，{expected_label} {expected}"
        if verdict.rounding:
            self.report(
                Severity.NOTICE,
                base + "，差 {difference}（四舍五入）",
                location,
                params=params,
                expected=expected,
                actual=actual,
                difference=diff,
                check=check,
                counts_as_passed=True,
            )
        else:
            word = {"eq": "", "le": "，超出", "ge": "，不足"}[relation]
            template = base + word + "，差 {difference}"
            if note:
                template += "（{note}）"
                params["note"] = note
            self.report(
                severity,
                template,
                location,
                params=params,
                expected=expected,
                actual=actual,
                difference=diff,
                check=check,
            )
        return verdict

    # ───────────────────────── value lookup ─────────────────────────

    def table(self, key: str) -> Table:
        table = self.doc.tables.get(key)
        spec = self.profile.table(key)
        title = (
            f"表{spec.number} {spec.title}"
            if spec and spec.number
            else (spec.title if spec else key)
        )
        if table is None:
            raise Unresolved(f"未找到{title}")
        if not table.readable:
            raise Unresolved(f"{title}无法读取：{table.problems[0]}", table.loc)
        return table

    def resolve(self, ref: str) -> Value:
        """Value of a reference like `T2[@total].general` or `T6[30217].total`."""
        m = REF_PATTERN.match(ref)
        if m is None:
            raise Unresolved(f"模板引用格式错误：{ref}")
        table = self.table(m.group("table"))
        sel, col = m.group("row"), m.group("col")
        column = table.column(col)
        if column is None:
            raise Unresolved(f"{table.name} 没有「{col}」列（模板错误）")
        if sel == "@total":
            row = table.total_row()
            label = f"{table.name} 总计" + (
                "" if column.label in ("总计", "合计") else column.label
            )
            if row is None:
                if not table.rows:  # an empty table: its total is zero
                    return Value(ZERO, label, [table.loc], 0, HALF_CENT, 2, table.unit)
                raise Unresolved(f"{table.name} 没有总计行", table.loc)
            return Value.of_cell(row.cell(col), label, table.unit, row.loc)
        if sel == "@rows":
            rows = [r for r in table.rows if r.kind is not RowKind.TOTAL]
            summed = total_of(
                (Value.of_cell(r.cell(col), "", table.unit, r.loc) for r in rows),
                f"{table.name} 各行{column.label}之和",
            )
            summed.unit = table.unit  # an empty list sums to zero in the table's unit
            return summed
        if sel.startswith("#"):
            key = sel[1:]
            row = table.item(key)
            label = f"{table.name} {self._item_label(table.key, key)}"
            if row is None:
                return Value(ZERO, label, [], 0, HALF_CENT, 2, table.unit)
            if len(row.cells) > 1 and column.label not in label:
                label += column.label  # `表1 支出总计公用经费`: which of the row's figures
            return Value.of_cell(row.cell(col), label, table.unit, row.loc)
        if sel == "*":
            raise Unresolved("逐科目引用需用 code_values")
        values = self.code_values(table, col)
        return values.get(sel) or Value(
            ZERO, f"{table.name} {sel}", [], 0, HALF_CENT, 2, table.unit
        )

    def _item_label(self, table_key: str, item_key: str) -> str:
        spec = self.profile.table(table_key)
        if spec is None:
            return item_key
        for item in [*spec.items, *(i for p in spec.panels for i in p.items)]:
            if item.key == item_key:
                return item.label
        return item_key

    def code_values(self, table: Table, col: str) -> dict[str, Value]:
        """Per classification code: the table's amount in `col`.

        In tables grouped by budget unit (表7), a code's amount is summed over units: each
        unit contributes its subtotal row for the code, or the sum of its project lines.
        """
        cache_key = (table.key, col, None)
        if cache_key in self._code_cache:
            return self._code_cache[cache_key]
        groups: dict[str | None, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for row in table.rows:
            if row.code is None or row.cell(col) is None:
                continue
            groups[row.unit_name][row.code].append(row)
        out: dict[str, list[Cell]] = defaultdict(list)
        for by_code in groups.values():
            for code, rows in by_code.items():
                subtotals = [r for r in rows if r.kind is RowKind.CODE]
                use = subtotals or rows
                for r in use:
                    cell = r.cell(col)
                    assert cell is not None
                    out[code].append(cell)
        result = {
            code: _cell_total(cells[0], f"{table.name} {code}", table.unit)
            if len(cells) == 1
            else total_of([Value.of_cell(c, "", table.unit) for c in cells], f"{table.name} {code}")
            for code, cells in out.items()
        }
        # A table that prints no row of a level at all (北京 预算03/05表 list 项 only) still
        # states each 类 and 款 as the sum of its 项; a level printed for some codes is left
        # as printed, so that a missing row stays visible.
        lengths = {len(code) for code in result}
        derived: dict[str, list[Value]] = defaultdict(list)
        for code, value in result.items():
            for n in range(len(code) - 2, 2, -2):
                if n not in lengths:
                    derived[code[:n]].append(value)
        for code, vals in derived.items():
            result[code] = total_of(vals, f"{table.name} {code}")
        self._code_cache[cache_key] = result
        return result

    def where(self, st: Statement, extra: Iterable[Loc | None] = ()) -> Location:
        """Where a statement's finding rests: its clause, any figures it is compared with,
        and its section's title."""
        return Location.of([st.loc, *extra], section=self.section_title(st.section))

    def section(self, key: str) -> SectionSpec | None:
        """The profile's section `key`, as `Profile.section` finds it, from an index made once
        per audit (every paragraph and statement asks for its section, some rules many times)."""
        if self._sections is None:
            self._sections = self.profile.section_index()
        return self._sections.get(key)

    def section_title(self, key: str | None) -> str | None:
        if key is None:
            return None
        spec = self.section(key)
        return spec.title if spec else key
