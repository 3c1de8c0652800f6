"""The narrative checked against the tables when no regional profile binds it (rule N311),
on extracts of real disclosures read under inference (tests/data/corpus/SOURCES.md)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

import yusuan
from yusuan.audit.context import Value
from yusuan.audit.findings import Finding, Severity
from yusuan.audit.rules.narrative_inferred import _misprint_of, _truncates
from yusuan.money import Unit

CORPUS = Path(__file__).parent / "data" / "corpus"
SAMPLE = Path(__file__).parent / "data" / "2024_xinjiang_hrss_budget.md"


def _n311(path: Path) -> tuple[list[Finding], tuple[int, int]]:
    report = yusuan.audit(yusuan.read(path))
    assert report.document["profile"] == "generic"
    stats = next(((r.checks, r.passed) for r in report.rules if r.rule == "N311"), (0, 0))
    return [f for f in report.findings if f.rule == "N311"], stats


def test_chongqing_class_amount_one_cent_off_the_tables_is_a_warning() -> None:
    # 重庆市经信委 p2: `按支出功能分类，包括一般公共服务支出190.62万元`; 表一 (p7) and 表三 (p8)
    # print 190.63. The narrative's other 类 and totals restate the tables and pass.
    findings, (checks, passed) = _n311(CORPUS / "chongqing_2026_jingxinwei_p2_7-8.pdf")
    assert [f.message for f in findings] == [
        "「包括一般公共服务支出」：说明 190.62，表一 一般公共服务支出·预算数 190.63，差 0.01"
        "（疑为笔误；说明与表格的对应按表名和表头推断）"
    ]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].location.page == 1
    assert checks >= 10 and passed == checks - 1


def test_xian_yuan_tables_against_wanyuan_narrative() -> None:
    # 西安市科学技术局 2022: the tables are in 元. `2022年培训费预算29.45万元` against 294,400 元
    # in 表13 is a cent off; `一般公共预算支出93,664.78万元` against 936,647,884.3 元 in 表5 is
    # the same amount cut (not rounded) to the cent, which is no difference.
    findings, (checks, passed) = _n311(CORPUS / "xian_2022_kejiju_p21_35_46-47_61.pdf")
    assert [f.message for f in findings] == [
        "「培训费预算」：说明 29.45，表13 合计·2022年·培训费 29.44，差 0.01"
        "（疑为笔误；说明与表格的对应按表名和表头推断）"
    ]
    doc = yusuan.read(CORPUS / "xian_2022_kejiju_p21_35_46-47_61.pdf")
    assert any(st.amount and st.amount.raw == "93664.78" for st in doc.statements)
    assert checks > passed >= 5


def test_wuxi_shares_are_taken_of_the_totals_the_tables_print() -> None:
    # 无锡市商务局: `基本支出 4,670.4 万元，占 26.74%；项目支出 12,796.25 万元，占 73.26%` of
    # 公开01表's 支出总计 17,466.65; `公务用车购置及运行维护费支出 2.8 万元，占“三公”经费的
    # 43.75%` of 公开09表's “三公”经费合计 6.40. No template names either base.
    path = CORPUS / "wuxi_2026_shangwuju_p9_21_29-30_35.pdf"
    doc = yusuan.read(path)
    report = yusuan.audit(doc)
    assert report.document["profile"] == "generic"
    assert [(r.checks, r.passed) for r in report.rules if r.rule == "N312"] == [(5, 5)]
    # The same page with 26.74% misprinted 26.47%: the neighbouring share (项目支出) is of
    # 17,466.65, by which 4,670.4 is 26.74%.
    for i, st in enumerate(doc.statements):
        if st.share is not None and st.share.raw == "26.74":
            doc.statements[i] = replace(
                st, share=replace(st.share, value=Decimal("26.47"), raw="26.47")
            )
    findings = [f for f in yusuan.audit(doc).findings if f.rule == "N312"]
    assert [(f.severity, f.message) for f in findings] == [
        (
            Severity.WARNING,
            "「基本支出」占比：说明 26.47%，按 4,670.4 ÷ 公开01表 本年支出合计·预算数 17,466.65 计算应为 "
            "26.74%（疑为笔误；基数按相邻占比推断）",
        )
    ]
    # A share stated on another page is of another list: its base says nothing of this one.
    for i, st in enumerate(doc.statements):
        if st.share is not None and st.share.raw != "26.47":
            doc.statements[i] = replace(st, loc=replace(st.loc, page=99))
    assert [f for f in yusuan.audit(doc).findings if f.rule == "N312"] == []


def test_a_profile_that_binds_its_narrative_leaves_it_to_n301_and_n302() -> None:
    report = yusuan.audit(yusuan.read(SAMPLE))
    assert report.document["profile"] == "xinjiang-2024"
    assert [r for r in report.rules if r.rule in ("N311", "N312") and r.checks] == []


def _wan(text: str) -> Value:
    amount = Decimal(text)
    decimals = -amount.as_tuple().exponent  # type: ignore[operator]
    return Value(amount, "", [], 1, Decimal(5).scaleb(-(decimals + 1)), decimals, Unit.WAN)


def _yuan(text: str) -> Value:
    amount = Decimal(text)
    decimals = max(0, -amount.as_tuple().exponent)  # type: ignore[operator]
    return Value(amount, "", [], 1, Decimal(5).scaleb(-(decimals + 1)), decimals, Unit.YUAN)


@pytest.mark.parametrize(
    ("stated", "table", "misprint"),
    [
        (_wan("4764.82"), _wan("4746.82"), True),  # two neighbours swapped
        (_wan("190.62"), _wan("190.63"), True),  # one digit
        (_wan("29.45"), _yuan("294400"), True),  # one digit, once in 万元
        (_wan("4764.82"), _wan("4746.28"), False),  # two digits apart
        (_wan("10057.17"), _wan("13827.62"), False),  # another amount
        (_wan("2.50"), _wan("3.50"), False),  # small figures differ in a digit by chance
        (_wan("190.63"), _wan("190.63"), False),
        (_wan("1190.63"), _wan("190.63"), False),
    ],
)
def test_what_reads_as_a_misprint(stated: Value, table: Value, misprint: bool) -> None:
    assert _misprint_of(stated, table) is misprint


def test_cut_to_the_cent_is_the_same_amount() -> None:
    assert _truncates(_wan("93664.78"), _yuan("936647884.3"))
    assert not _truncates(_wan("93664.77"), _yuan("936647884.3"))
    # Only a finer figure can be cut: two figures of the same precision simply differ.
    assert not _truncates(_wan("190.62"), _wan("190.63"))
