"""Tables of a disclosure: typed rows (codes, levels, units, projects) and exact cells."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from yusuan.model.provenance import Loc
from yusuan.money import Unit

ZERO = Decimal(0)


class RowKind(StrEnum):
    TOTAL = "total"  # 总计 / 合计 row of a table or panel
    UNIT = "unit"  # a budget unit's subtotal row (table 7, table 11)
    CODE = "code"  # a classification row: 类 / 款 / 项 with its code
    PROJECT = "project"  # a project line (table 7: 项 code + project name; table 11)
    ITEM = "item"  # a fixed row named by the template (table 1 income items, table 10)


@dataclass(slots=True)
class Cell:
    """One printed amount. `value` is None for an empty cell (read as zero by arithmetic)."""

    value: Decimal | None
    text: str
    loc: Loc
    decimals: int = 2
    malformed: bool = False

    @property
    def amount(self) -> Decimal:
        return self.value if self.value is not None else ZERO

    @property
    def empty(self) -> bool:
        return self.value is None


@dataclass(slots=True)
class Row:
    kind: RowKind
    label: str
    loc: Loc
    cells: dict[str, Cell] = field(default_factory=dict)
    code: str | None = None
    level: int | None = None  # 1 类, 2 款, 3 项 (function); 1 类, 2 款 (economic)
    key: str | None = None  # the template's item key for fixed rows
    panel: str | None = None  # which side of a two-panel table (table 1, table 4)
    unit_name: str | None = None  # the budget unit a row belongs to (tables 7 and 11)
    project: str | None = None
    bold: bool = False
    texts: dict[str, str] = field(default_factory=dict)  # index (行次) and text columns
    # The budget unit's own code on a unit row (`122` 部门, `122001` 单位, `106_…`): a unit
    # whose code extends another's is that unit's subunit.
    unit_code: str | None = None

    def value(self, column: str) -> Decimal:
        cell = self.cells.get(column)
        return cell.amount if cell is not None else ZERO

    def cell(self, column: str) -> Cell | None:
        return self.cells.get(column)

    @property
    def parent_code(self) -> str | None:
        if self.code is None or len(self.code) <= 3:
            return None
        return self.code[:-2]

    def describe(self) -> str:
        """How a finding names the row: `301 工资福利支出`, `总计`, `[单位] …`."""
        if self.kind is RowKind.PROJECT and self.project:
            return f"{self.code or ''} {self.project}".strip()
        if self.code:
            return f"{self.code} {self.label}".strip()
        return self.label


@dataclass(slots=True)
class Column:
    key: str
    label: str
    panel: str | None = None
    # What the column holds, read from its printed header (`yusuan.kinds`): `total`, `basic`,
    # `general` …; None when the header names nothing known (no identity between kinds uses it).
    role: str | None = None


@dataclass(slots=True)
class TableNote:
    text: str
    loc: Loc


@dataclass(slots=True)
class Table:
    key: str  # the profile's key: "T1" … "T11"
    title: str  # the template's title
    printed_title: str  # as printed
    loc: Loc
    number: int | None = None
    label: str | None = None
    unit: Unit | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    notes: list[TableNote] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why (part of) the table is unreadable
    readable: bool = True
    # The table's kind, recognised from its printed title (`yusuan.kinds`): `overview` (收支总表),
    # `gp-basic-economic` (一般公共预算基本支出表) …; None when the title names no known kind.
    kind: str | None = None
    _labels: dict[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """How findings name the table: `表6 一般公共预算基本支出情况表`."""
        if self.number is not None:
            return f"表{self.number}"
        return self.label or self.title

    @property
    def is_empty(self) -> bool:
        return not any(
            cell.value is not None and cell.value != 0
            for row in self.rows
            for cell in row.cells.values()
        )

    def column(self, key: str) -> Column | None:
        for col in self.columns:
            if col.key == key:
                return col
        return None

    def column_label(self, key: str) -> str:
        if self._labels is None:
            self._labels = {c.key: c.label for c in self.columns}
        return self._labels.get(key, key)

    def total_row(self, panel: str | None = None) -> Row | None:
        for row in self.rows:
            if row.kind is RowKind.TOTAL and (panel is None or row.panel == panel):
                return row
        return None

    def item(self, key: str) -> Row | None:
        for row in self.rows:
            if row.key == key:
                return row
        return None

    def coded_rows(self, panel: str | None = None) -> Iterator[Row]:
        for row in self.rows:
            if row.code is not None and (panel is None or row.panel == panel):
                yield row

    def outermost_coded_rows(self) -> list[Row]:
        """The coded rows whose parent codes the table does not print: its 类 when it prints
        them, the 项 of a table that lists 项 only (北京 预算03表/05表)."""
        coded = [r for r in self.rows if r.code is not None]
        printed = {r.code for r in coded}
        return [
            r
            for r in coded
            if not any((r.code or "")[:n] in printed for n in range(len(r.code or "") - 2, 2, -2))
        ]

    def decimals(self) -> int:
        """Decimals the amounts are printed with (the widest seen, 2 when nothing is printed):
        0 for a table in whole 元 (上海), whose rounding is half a 元, not half a cent."""
        widest: int | None = None
        for row in self.rows:
            for cell in row.cells.values():
                if cell.value is not None and (widest is None or cell.decimals > widest):
                    widest = cell.decimals
        return 2 if widest is None else widest
