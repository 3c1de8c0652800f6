"""No input gives an internal error: property-based runs over every reader and the ledger.

Brief here (a couple of hundred inputs per target, a few seconds); the coverage-guided run
of millions of inputs is scripts/fuzz (atheris), recorded in docs/fuzzing.md. Inputs that
once broke a reader are kept in tests/data/fuzz-regressions/ and replayed every run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yusuan.fuzz import PREFIXES, dispatch, ledger_any, read_any, read_text_any

from .hostile import pdf, text_cell, xlsx

REGRESSIONS = Path(__file__).parent / "data" / "fuzz-regressions"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like a disclosure: table rows, HTML cells with spans, amounts and headings.
_TOKENS = st.sampled_from(
    [
        "\t", "\n", "|", "表1", "部门收支总体情况表", "单位：万元", "201", "2080101", "合计",
        "1,234.56", "-5.00", "12345678901234567890123", "<table>", "</table>", "<tr>", "</tr>",
        '<td colspan="3">', '<td rowspan="99">', "</td>", "<b>", "**", "# ", "比上年增加",
        "万元", "，", "。", "%", "[/x]", "=1+1", "\x00", "项目名称：", "预算安排规模：",
    ]
)  # fmt: skip
_DOCLIKE = st.lists(st.one_of(_TOKENS, st.text(max_size=8)), max_size=80).map("".join)


@FAST
@given(_DOCLIKE)
def test_text_reader_never_fails_internally(text: str) -> None:
    read_text_any(text)


@FAST
@given(st.sampled_from(PREFIXES), st.binary(max_size=600))
def test_any_bytes_never_fail_internally(prefix: bytes, body: bytes) -> None:
    read_any(prefix + body)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "XFD", "AA"]),
            st.integers(1, 1_048_576),
            st.one_of(st.text(max_size=6), st.decimals(allow_nan=False, allow_infinity=False)),
        ),
        max_size=12,
    ),
    st.sampled_from(["", '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>']),
)
def test_generated_workbooks_never_fail_internally(
    cells: list[tuple[str, int, object]], merges: str
) -> None:
    rows = "".join(
        text_cell(f"{col}{row}", str(v).replace("<", "").replace("&", ""))
        if isinstance(v, str)
        else f'<c r="{col}{row}"><v>{v}</v></c>'
        for col, row, v in cells
    )
    read_any(xlsx(f'<row r="1">{rows}</row>', merges))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["[2 0 R]", "[3 0 R]", "[3 0 R 3 0 R]", "[]", "[4 0 R]"]),
        min_size=1,
        max_size=1,
    ),
    st.integers(-1, 5),
)
def test_generated_page_trees_never_fail_internally(kids: list[str], count: int) -> None:
    read_any(
        pdf(
            [
                "<< /Type /Catalog /Pages 2 0 R >>",
                f"<< /Type /Pages /Kids {kids[0]} /Count {count} >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            ]
        )
    )


_LEDGER_CELLS = st.one_of(
    st.sampled_from(
        ["2080101", "30101", "一般财力", "基本支出", "项目支出", "1.00", "-1", "1e9", ""]
    ),
    st.text(max_size=10),
)


@FAST
@given(st.lists(st.lists(_LEDGER_CELLS, min_size=1, max_size=9), max_size=6))
def test_ledger_loader_never_fails_internally(rows: list[list[str]]) -> None:
    header = "单位,功能科目编码,经济科目编码,资金来源,支出类型,项目名称,本年预算数,上年预算数"
    body = "\n".join(",".join(r) for r in rows)
    ledger_any(f"{header}\n{body}\n".encode())


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*")), ids=lambda p: p.name)
def test_inputs_that_once_failed(path: Path) -> None:
    dispatch(path.read_bytes())
