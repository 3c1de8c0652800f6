"""The column-number row (※ / 栏次 / 1 2 3) is header in every reader, never data."""

from __future__ import annotations

import pytest

from yusuan.model.provenance import Loc
from yusuan.readers.ir import RawCell, RawRow, RawTable
from yusuan.readers.numbering import is_column_numbers, lift


@pytest.mark.parametrize(
    "texts",
    [
        ["※", "※", "※", "※", "1", "2", "3"],
        ["栏次", "1", "2", "3"],
        ["*", "", "1", "2"],
        ["※", "※"],  # an empty table's header: only the marks
        ["行次", "", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
    ],
)
def test_column_number_rows(texts: list[str]) -> None:
    assert is_column_numbers(texts)


@pytest.mark.parametrize(
    "texts",
    [
        ["合计", "1", "2"],  # a total row of small figures
        ["1"],  # one number may be a figure
        ["3", "2", "1"],  # numbers that do not rise
        ["栏次"],
        ["※", "120.00"],
        [],
    ],
)
def test_not_column_number_rows(texts: list[str]) -> None:
    assert not is_column_numbers(texts)


def _row(*texts: str) -> RawRow:
    return RawRow([RawCell(t, Loc()) for t in texts], Loc())


def test_lift_moves_leading_rows_to_the_header_and_drops_repeated_ones() -> None:
    table = RawTable(
        "部门收支总体情况表",
        Loc(),
        header_rows=[_row("项目", "本年预算", "上年预算")],
        body_rows=[
            _row("※", "1", "2"),
            _row("一般公共预算", "10.00", "9.00"),
            _row("※", "1", "2"),  # a continuation page's header row
            _row("合计", "10.00", "9.00"),
        ],
    )
    lift(table)
    assert [r.texts() for r in table.header_rows] == [
        ["项目", "本年预算", "上年预算"],
        ["※", "1", "2"],
    ]
    assert [r.texts()[0] for r in table.body_rows] == ["一般公共预算", "合计"]


def test_lift_keeps_numbers_alone_in_a_form_without_header() -> None:
    table = RawTable("绩效目标表", Loc(), body_rows=[_row("", "10", "20"), _row("", "1", "2")])
    lift(table)
    assert len(table.body_rows) == 2 and not table.header_rows
