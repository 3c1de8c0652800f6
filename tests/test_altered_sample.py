"""Hand-altered copies of the sample: one changed figure each, caught at the right lines.

Each case changes one thing on one line of the real disclosure and lists every finding the
change must add (rule, severity, first line) and any the change removes. The sample's own
findings stay as they are, so a case also proves the rest of the audit is undisturbed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from yusuan.audit.report import Report

from .conftest import Edit, keyed

Key = tuple[str, str, int]

CASES: dict[str, tuple[list[Edit], set[Key], set[Key]]] = {
    # ── tables ──────────────────────────────────────────────────────────────────
    "table-3-cell": (
        [(240, "4,746.82\t4,746.82", "4,746.82\t4,764.82")],
        {("A101", "error", 240), ("A102", "error", 239)},  # 合计 ≠ 基本 + 项目; 款 ≠ Σ 项
        set(),
    ),
    "table-6-kuan": (
        [(395, "4,272.22\t4,272.22", "4,272.32\t4,272.32")],
        {("A102", "error", 394)},  # 301 ≠ Σ 款 beyond rounding
        {("A102", "notice", 394)},
    ),
    "table-2-total": (
        [(161, "<b>58,654.04</b>", "<b>58,654.40</b>")],
        {("A101", "error", 161), ("A103", "error", 161), ("X201", "error", 148)},
        set(),
    ),
    "table-1-item": (
        [(134, "520.00", "502.00")],
        {("A104", "error", 129)},  # 单位资金 ≠ Σ 其中
        set(),
    ),
    "table-7-project": (
        [(470, "6,268.13\t\t6,268.13", "6,268.31\t\t6,268.31")],
        {("A102", "error", 450), ("X202", "error", 353), ("N304", "error", 470)},
        set(),
    ),
    "table-10-reception": (
        [(588, "1.80\t1.80", "2.80\t2.80")],
        {("A104", "error", 586), ("N301", "error", 588), ("X201", "warning", 415)},
        set(),
    ),
    # ── codes ───────────────────────────────────────────────────────────────────
    "table-5-code": (
        [(342, "208\t01\t01", "208\t01\t02")],
        # 2080101 now missing from 表5; 2080102 is not in the catalog (行政运行 suggested)
        {("X202", "error", 171), ("X202", "error", 342), ("K804", "notice", 342)},
        set(),
    ),
    # ── narrative amounts, shares, year-on-year ─────────────────────────────────
    "narrative-item-amount": (
        [(689, "4,746.82", "4,764.82")],
        {("N301", "error", 342), ("Y401", "error", 689), ("Y404", "error", 665)},
        {("Y404", "notice", 665)},
    ),
    "narrative-share": (
        [(671, "18.76%", "19.76%")],
        {("N302", "error", 332)},
        set(),
    ),
    "yoy-percent": (
        [(689, "10.90%", "11.90%")],
        {("Y401", "error", 689)},
        set(),
    ),
    "yoy-direction": (
        [(695, "增长30.00%", "下降30.00%")],
        {("Y402", "error", 695)},
        set(),
    ),
    "yoy-change-amount": (
        [(699, "110.00万元", "100.00万元")],
        {("Y401", "error", 699), ("Y404", "error", 665)},
        {("Y404", "notice", 665)},
    ),
    "basic-personnel": (
        [(747, "16,465.16", "16,465.61")],
        {("N301", "error", 393), ("S501", "error", 745)},
        set(),
    ),
    "carryover": (
        [(1427, "财政拨款 400.00 万元", "财政拨款 450.00 万元")],
        {("N301", "error", 607), ("S501", "error", 1427)},
        set(),
    ),
    # A change is the difference of two rounded figures: its parts may miss the total's
    # change by a cent (a built narrative did: 0.51 against 0.50), a dime is an error.
    "sangong-change-rounding": (
        [(1423, "公务用车运行费减少1.00万元", "公务用车运行费减少0.99万元")],
        {("S501", "notice", 1423)},
        set(),
    ),
    "sangong-change-parts": (
        [(1423, "公务用车运行费减少1.00万元", "公务用车运行费减少0.90万元")],
        {("S501", "error", 1423), ("Y401", "error", 1423)},
        set(),
    ),
    "sangong-narrative": (
        [(1421, "公务接待费1.80万元", "公务接待费1.90万元")],
        {("N301", "error", 588), ("S501", "error", 1421)},
        set(),
    ),
    # ── projects, sums in words, 绩效 ────────────────────────────────────────────
    "project-scale": (
        [(849, "583.00", "538.00")],
        {("N304", "error", 465), ("S502", "error", 849)},
        set(),
    ),
    "procurement-parts": (
        [(1439, "13,587.37", "13,578.37")],
        {("S501", "error", 1439)},
        set(),
    ),
    "performance-funds": (
        [(1503, "250.00", "200.00")],
        {("S503", "error", 1503)},
        set(),
    ),
    "staffing-parts": (
        [(104, "在职 840 人", "在职 850 人")],
        {("S501", "error", 104)},
        set(),
    ),
    "units-count": (
        [(86, "下属 8 家", "下属 9 家")],
        {("N308", "error", 86)},
        set(),
    ),
    # ── number format, completeness ─────────────────────────────────────────────
    "malformed-cell": (
        [(398, "1,234.08\t1,234.08", "1,2340.8\t1,2340.8")],
        {("F601", "error", 398), ("A102", "error", 394)},
        {("A102", "notice", 394)},
    ),
    "empty-table-statement-removed": (
        [
            (
                558,
                "自治区人力资源和社会保障厅 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。",
                "（此处无说明）",
            ),
            (
                1413,
                "自治区人力资源和社会保障厅2024年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。",
                "（此处无说明）",
            ),
        ],
        {("C702", "error", 547)},
        set(),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_alteration_is_caught_at_its_lines(
    name: str, audit_variant: Callable[[list[Edit]], Report], sample_report: Report
) -> None:
    edits, added, removed = CASES[name]
    report = audit_variant(edits)
    base = keyed(sample_report)
    got = keyed(report)
    assert got - base == added
    assert base - got == removed


def test_table_missing_column_is_reported_not_guessed(
    audit_variant: Callable[[list[Edit]], Report],
) -> None:
    # 表3's 项目支出 column removed from its header numbering: the table cannot be trusted.
    report = audit_variant([(229, "※\t1\t2\t3", "※\t1\t2")])
    c703 = [f for f in report.findings if f.rule == "C703"]
    assert len(c703) == 1 and "表3" in c703[0].message and "2 个金额列" in c703[0].message
    assert any("表3" in n.reason for n in report.not_run)
    assert report.summary.not_run > 0


def test_truncated_document_reports_missing_tables(sample_text: str) -> None:
    import yusuan

    cut = "\n".join(sample_text.split("\n")[:420])  # stops inside 表6
    report = yusuan.audit(yusuan.read_text(cut, path="truncated.md"))
    missing = {f.message for f in report.findings if f.rule == "C701"}
    assert {"缺少表7 一般公共预算项目支出情况表", "缺少表11 上年结转结余情况明细表"} <= missing
    assert any(f.rule == "C704" for f in report.findings)  # the narrative is gone too
    assert report.summary.errors > 0
