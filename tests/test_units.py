"""Exact money, units and the rounding model, on the figures of the sample."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yusuan.audit.context import Value, judge, tolerance
from yusuan.money import Unit, convert, format_amount, parse_number
from yusuan.text import clean_text, strip_markup

D = Decimal


@pytest.mark.parametrize(
    ("text", "value", "decimals", "malformed"),
    [
        ("58,654.04", D("58654.04"), 2, False),
        ("1,807", D("1807"), 0, False),
        ("0.00", D("0"), 2, False),
        ("-1,000.5", D("-1000.5"), 1, False),
        ("3,8394.24", D("38394.24"), 2, True),
        ("1,2,3", D("123"), 0, True),
        ("１２３．４５", D("123.45"), 2, False),
        ("2,065.110000", D("2065.110000"), 6, False),
    ],
)
def test_parse_number(text: str, value: Decimal, decimals: int, malformed: bool) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert (parsed.value, parsed.decimals, parsed.malformed) == (value, decimals, malformed)


@pytest.mark.parametrize("text", ["", "总计", "※", "—", "12.", ".5", "1.2.3", "208 01 a"])
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_units_convert_exactly() -> None:
    assert convert(D("58654.04"), Unit.WAN, Unit.YUAN) == D("586540400")
    assert convert(D("1"), Unit.YUAN, Unit.WAN) == D("0.0001")
    assert Unit.parse("单位：万元") is Unit.WAN and Unit.parse("金额单位：元") is Unit.YUAN
    assert format_amount(D("14983.045")) == "14,983.05"  # half up, as budget systems print


def test_rounding_model_tells_rounding_from_error() -> None:
    total = Value(D("14983.05"), "合计")
    parts = Value(D("14983.04"), "明细之和", terms=11)
    assert tolerance(total, parts) == D("0.055")
    v = judge(total, parts)
    assert v.ok and v.rounding and v.difference == D("0.01")
    same_figure = judge(Value(D("18333.37"), "a"), Value(D("18333.38"), "b"))
    assert not same_figure.ok  # one printed figure against another: no rounding allowance
    assert judge(Value(D("5"), "x"), Value(D("7"), "y"), "le").ok
    assert not judge(Value(D("200"), "x"), Value(D("100"), "y"), "le").ok


_PIECES = ["<b>", "</b>", "<p>", "&nbsp;", "&amp;", " ", "\u3000", "\xa0", "1", ",", ".", "中"]
_PIECES += ["文", "b", ">", "<", "/", "\t"]


@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_clean_text_of_a_bold_cell_is_its_markup_removed(inner: str) -> None:
    """`<b>4,500.00</b>` (a bold cell of converted text) takes a shortcut: the same result
    as the general cleaning (markup removed, spaces collapsed, CJK gaps closed)."""
    for text in (inner, f"<b>{inner}</b>"):
        general = strip_markup(text).replace("\u3000", " ").replace("\xa0", " ")
        general = " ".join(general.split())
        general = re.sub(
            r"(?<=[\u3400-\u9fff\uf900-\ufaff（）()“”、，。：；])\s+(?=[\u3400-\u9fff\uf900-\ufaff（）()“”、，。：；])",
            "",
            general,
        )
        assert clean_text(text) == general


def test_a_number_parsed_twice_is_the_same_number() -> None:
    first, again = parse_number("58,654.04"), parse_number("58,654.04")
    assert first == again and first is not None
    assert (first.value, first.decimals) == (Decimal("58654.04"), 2)
    assert parse_number(" 1,000 ") == parse_number(" 1,000 ")
    assert parse_number("12345678901234567890123") is None  # an account number, not money
