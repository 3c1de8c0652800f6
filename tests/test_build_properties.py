"""Property tests: random valid ledgers build documents that audit clean and round-trip.

A valid ledger here is any set of distinct lines over real codes, units and sources, with
the three lines every department has (一般公共预算 基本支出, 项目支出 and a 三公 item): without
them tables 6, 7 or 10 would be empty, which the template does not allow.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yusuan
from yusuan.compose import build_document, prepare
from yusuan.compose.compare import document_differences
from yusuan.compose.compile import wan
from yusuan.compose.department import Department
from yusuan.compose.ledger import fen_text, ledger_from_rows
from yusuan.compose.narrative import percent, yoy
from yusuan.render.markdown import to_markdown

from .test_build_errors import HEADER

UNITS = ["测试厅本级", "测试中心", "测试学院"]
DEPT = Department.model_validate(
    {
        "department": "测试厅",
        "year": 2024,
        "units": [
            {"name": UNITS[0], "kind": "行政"},
            {"name": UNITS[1]},
            {"name": UNITS[2]},
        ],
        "projects": [{"unit": UNITS[1], "name": "专项3", "secret": True}],
    }
)
TEMPLATE, NAMES = prepare(DEPT)
FUNCS = ["2050302", "2050305", "2080101", "2080109", "2080199", "2101101", "2210201", "2300248"]
ECONS = [
    "30101",
    "30102",
    "30199",
    "30201",
    "30217",
    "30231",
    "30299",
    "30302",
    "30399",
    "31002",
    "39999",
]
SOURCES = [s.label for s in TEMPLATE.sources]
# Amounts in 分: large and small, so that rounding to 0.01 万元 (100 元) is exercised. A line
# is 0 or at least 100 元: the template cannot print a nonzero amount below 0.01 万元, and an
# auditor takes a stated 0.00 for an exact zero (docs/build.md, 限制).
AMOUNTS = st.one_of(
    st.just(0),
    st.integers(10_000, 2_000_000),
    st.integers(10_000, 5_000_000_000),
    st.sampled_from([10_000, 14_999, 15_000, 1_000_000, 12_345_678]),
)

line = st.tuples(
    st.sampled_from(UNITS),
    st.sampled_from(FUNCS),
    st.sampled_from(ECONS),
    st.sampled_from(SOURCES),
    st.booleans(),
    st.sampled_from(["专项1", "专项2", "专项3"]),
    AMOUNTS,
    AMOUNTS,
)


def _rows(lines: list[tuple[str, str, str, str, bool, str, int, int]]) -> list[list[str]]:
    rows = [HEADER]
    seen = set()
    for unit, func, econ, source, basic, project, cur, last in lines:
        key = (unit, func, econ, source, basic, "" if basic else project)
        if key in seen:
            continue
        seen.add(key)
        kind = "基本支出" if basic else "项目支出"
        rows.append([unit, func, econ, source, kind, key[5], fen_text(cur), fen_text(last)])
    return rows


ESSENTIAL = [
    (UNITS[0], "2080101", "30101", "一般财力", True, "", 1_000_000, 0),
    (UNITS[0], "2080101", "30217", "一般财力", True, "", 100_000, 200_000),
    (UNITS[0], "2080199", "30299", "一般财力", False, "专项1", 3_000_000, 0),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, max_size=40), st.lists(st.sampled_from([0, 1, 2]), max_size=3))
def test_random_ledgers_audit_clean_and_round_trip(
    lines: list[tuple[str, str, str, str, bool, str, int, int]], bumps: list[int]
) -> None:
    essential = [list(e) for e in ESSENTIAL]
    for b in bumps:  # vary the essential lines too
        essential[b][6] = int(essential[b][6]) * 7 + 1
    rows = _rows([tuple(e) for e in essential] + lines)  # type: ignore[misc]
    ledger = ledger_from_rows(rows, TEMPLATE, DEPT, NAMES)
    doc = build_document(ledger, DEPT, TEMPLATE, NAMES).document
    report = yusuan.audit(doc)
    errors = [f.message for f in report.findings if f.severity.value == "error"]
    assert errors == []
    again = yusuan.read_text(to_markdown(doc))
    assert document_differences(doc, again) == []


@given(st.integers(0, 10**12), st.integers(0, 10**12))
def test_yoy_words_and_figures(cur: int, last: int) -> None:
    word, a, pword, pct = yoy(cur, last)
    assert (word, pword) in (("增加", "增长"), ("减少", "下降"))
    assert (word == "增加") == (cur >= last)
    # A and B restate the printed figures, as an auditor recomputes them from the page:
    # A = |this year − last year| as printed, B = A ÷ last year as printed
    assert a == abs(wan(cur) - wan(last))
    if a == 0:
        assert pct == 0
    elif last == 0 or wan(last) <= Decimal("0.02"):
        assert pct == 100
    else:
        assert pct == (a * 100 / wan(last)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@given(st.integers(0, 10**12), st.integers(1, 10**12))
def test_percent_rounds_half_up(part: int, whole: int) -> None:
    p = percent(part, whole)
    exact = Decimal(part) * 100 / Decimal(whole)
    assert p - Decimal("0.005") <= exact < p + Decimal("0.005")
