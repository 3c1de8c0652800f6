"""Regression: the 决算 (final accounts) family on its two published samples.

`2024_shanghai-putuo_caizhengju_juesuan.pdf` (上海市普陀区财政局, profile
`shanghai-juesuan-2024`) and `2024_zhongyang_guojiaxinfangju_juesuan.pdf` (国家信访局, profile
`zhongyang-juesuan-2024`); docs/research/published-samples.md §1 and §2. Every pinned finding
was confirmed on the rendered page; the reasoning is next to it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.audit.report import Report
from yusuan.model.document import Document
from yusuan.model.tables import Row, Table
from yusuan.profiles import choose_profile
from yusuan.readers.assemble import match_key

from . import published
from .test_pdf_reader import EXPECTED_TABLES

PUBLISHED = Path(__file__).parent / "data" / "published"
SHANGHAI = PUBLISHED / "2024_shanghai-putuo_caizhengju_juesuan.pdf"
CENTRAL = PUBLISHED / "2024_zhongyang_guojiaxinfangju_juesuan.pdf"
FAMILY = {"shanghai-juesuan-2024", "zhongyang-juesuan-2024"}
OTHERS = [
    "2025_hunan-changsha_gonganju_yusuan.pdf",
    "2025_shaanxi-xian_xingzhengshenpi_yusuan.pdf",
    "2025_shanghai-putuo_wanlijiedao_yusuan.pdf",
    "2026_beijing_zhengwufuwu-shujuju_yusuan_baobiao.pdf",
    "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf",
]


@pytest.fixture(scope="module")
def sh() -> Document:
    return published.doc(SHANGHAI.name)


@pytest.fixture(scope="module")
def zy() -> Document:
    return published.doc(CENTRAL.name)


@pytest.fixture(scope="module")
def sh_report(sh: Document) -> Report:
    return published.report(SHANGHAI.name)


@pytest.fixture(scope="module")
def zy_report(zy: Document) -> Report:
    return published.report(CENTRAL.name)


Key = tuple[str, str, int | None, str]


def keyed(report: Report, *severities: str) -> set[Key]:
    """(rule, severity, page, row or check) of the findings of the given severities."""
    return {
        (f.rule, f.severity.value, f.location.page, f.location.row or f.check or "")
        for f in report.findings
        if f.severity.value in severities
    }


def row(table: Table, code: str) -> Row:
    return next(r for r in table.rows if r.code == code)


def stats(report: Report, rule: str) -> tuple[int, int]:
    found = next((r for r in report.rules if r.rule == rule), None)
    return (found.checks, found.passed) if found else (0, 0)


# ───────────────────────────── profile choice ─────────────────────────────


def test_each_sample_gets_its_profile(sh: Document, zy: Document) -> None:
    assert (sh.profile, sh.profile_confidence, sh.kind) == ("shanghai-juesuan-2024", 1.0, "决算")
    assert (zy.profile, zy.profile_confidence, zy.kind) == ("zhongyang-juesuan-2024", 1.0, "决算")
    # 上海 prints no 编制部门 line: the department comes from the cover title.
    assert (sh.department, sh.year) == ("上海市普陀区财政局", 2024)
    assert (zy.department, zy.year) == ("国家信访局", 2024)


def _titles(name: str) -> list[str]:
    """The titles the PDF reader finds in a sample, as test_pdf_reader pins them."""
    return [title for _, title, _, _ in EXPECTED_TABLES[name]]


def test_the_two_templates_do_not_swap() -> None:
    # The two templates share seven titles: 中央 prints 国有资本经营预算财政拨款支出决算表 and
    # 一般公共预算财政拨款“三公”经费支出决算表 where 上海 prints 收入支出 and plain 财政拨款“三公”.
    for path, own in ((SHANGHAI, "shanghai-juesuan-2024"), (CENTRAL, "zhongyang-juesuan-2024")):
        choice = choose_profile(_titles(path.name))
        assert choice is not None and (choice.profile.id, choice.confidence) == (own, 1.0)


@pytest.mark.parametrize("name", OTHERS)
def test_the_family_is_not_chosen_for_budget_templates(name: str) -> None:
    choice = choose_profile(_titles(name))
    assert choice is None or choice.profile.id not in FAMILY


# ───────────────────────────── tables read ─────────────────────────────

SH_TABLES = {
    "T1": ("收入支出决算总表", [6, 7]),
    "T2": ("收入决算表", [8, 9]),
    "T3": ("支出决算表", [10, 11]),
    "T4": ("财政拨款收入支出决算总表", [12, 13]),  # p14: one empty ruled row
    "T5": ("一般公共预算财政拨款支出决算表", [15]),
    "T6": ("一般公共预算财政拨款基本支出决算表", [16, 17]),
    "T7": ("财政拨款“三公”经费支出决算表", [18]),
    "T8": ("政府性基金预算财政拨款收入支出决算表", [19]),
    "T9": ("国有资本经营预算财政拨款收入支出决算表", [20]),
}
ZY_TABLES = {
    f"T{n}": (f"公开0{n}表", title, [6 + n])
    for n, title in enumerate(
        [
            "收入支出决算总表",
            "收入决算表",
            "支出决算表",
            "财政拨款收入支出决算总表",
            "一般公共预算财政拨款支出决算表",
            "一般公共预算财政拨款基本支出决算表",
            "政府性基金预算财政拨款收入支出决算表",
            "国有资本经营预算财政拨款支出决算表",
            "一般公共预算财政拨款“三公”经费支出决算表",
        ],
        start=1,
    )
}
EMPTY = {"shanghai-juesuan-2024": ("T8", "T9"), "zhongyang-juesuan-2024": ("T7", "T8")}


def test_shanghai_tables_found_typed_and_readable(sh: Document) -> None:
    assert set(sh.tables) == set(SH_TABLES)
    for key, (title, pages) in SH_TABLES.items():
        table = sh.tables[key]
        assert table.readable, (key, table.problems)
        assert table.printed_title == title and table.label is None
        assert table.unit is not None and table.unit.value == "万元"
        assert table.loc.page == pages[0]
        printed = sorted({r.loc.page for r in table.rows if r.loc.page is not None})
        assert printed == ([] if key in EMPTY[sh.profile] else pages), key
    # The only table outside the template: the 单位构成 list of the 概况 (p5, no caption).
    assert [(t.title, t.loc.page) for t in sh.extra_tables] == [("", 5)]


def test_central_tables_found_typed_and_readable(zy: Document) -> None:
    assert set(zy.tables) == set(ZY_TABLES)
    for key, (label, title, pages) in ZY_TABLES.items():
        table = zy.tables[key]
        assert table.readable, (key, table.problems)
        assert (table.label, table.printed_title, table.loc.page) == (label, title, pages[0])
        printed = sorted({r.loc.page for r in table.rows if r.loc.page is not None})
        assert printed == ([] if key in EMPTY[zy.profile] else pages), key
        assert table.notes and table.notes[0].text.startswith("注：本表反映部门本年度")
    # The 附件's evaluation report tables are not part of the template.
    assert [(t.label, t.loc.page) for t in zy.extra_tables] == [("表1", 46), ("表2", 48)]


@pytest.mark.parametrize("which", ["sh", "zy"])
def test_every_table_of_the_toc_is_read(which: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(which)
    toc = "".join(p.text for p in doc.paragraphs if p.loc.page == 2)
    part = toc[toc.index("第二部分") : toc.index("第三部分")]
    pieces = re.split(r"[一二三四五六七八九十]+、", part)[1:]
    listed = [m.group(1) for p in pieces if (m := re.match(r"([^.]+?表)", p))]
    assert len(listed) == 9
    assert {match_key(t) for t in listed} == {
        match_key(t.printed_title) for t in doc.tables.values()
    }


def test_empty_fund_tables_carry_their_notes(sh: Document, zy: Document) -> None:
    for doc in (sh, zy):
        for key in EMPTY[doc.profile]:
            table = doc.tables[key]
            assert table.is_empty and not table.rows
            assert any("本表无数据" in n.text for n in table.notes), key
    assert sh.tables["T8"].notes[0].text == (
        "注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。"
    )
    assert zy.tables["T8"].notes[1].text.startswith("说明：国家信访局没有国有资本经营预算")


def test_shanghai_figures_and_their_pages(sh: Document) -> None:
    t = sh.tables
    t1 = t["T1"]
    for key, page, amount in (
        ("general", 6, "2940.05"),
        ("other", 6, "6.20"),
        ("income_current", 6, "2946.25"),
        ("carry_in", 7, "49.14"),
        ("income_total", 7, "2995.39"),
        ("expense_current", 6, "2940.05"),
        ("carry_out", 7, "55.34"),
        ("expense_total", 7, "2995.39"),
    ):
        item = t1.item(key)
        assert item is not None and (item.loc.page, item.value("amount")) == (page, Decimal(amount))
    # The 类 printed by name alone take the codes the detail tables print for them.
    assert [(r.code, r.value("amount")) for r in t1.coded_rows("expense") if r.value("amount")] == [
        ("201", Decimal("2106.66")),
        ("208", Decimal("326.71")),
        ("210", Decimal("60.99")),
        ("221", Decimal("445.69")),
    ]
    # 收入/支出决算表: `类 | 款 | 项` printed inside the first body row, which is the total.
    total = t["T2"].total_row()
    assert total is not None and total.label == "合计" and total.loc.page == 8
    assert (total.value("total"), total.value("fin"), total.value("other")) == (
        Decimal("2946.25"),
        Decimal("2940.05"),
        Decimal("6.20"),
    )
    r = row(t["T3"], "2010601")
    assert (r.loc.page, r.value("total"), r.value("basic"), r.value("project")) == (
        10,
        Decimal("1511.89"),
        Decimal("1503.52"),
        Decimal("8.37"),
    )
    assert row(t["T3"], "2080599").loc.page == 11  # continuation page without title or header
    t4 = t["T4"]
    carry = t4.item("carry_general")
    assert carry is not None and (carry.loc.page, carry.value("amount")) == (13, Decimal("21.63"))
    out = t4.item("carry_out")
    assert out is not None and out.value("general") == Decimal("21.63")
    # 基本支出决算表: two side-by-side lists, each ending with its own total.
    t6 = t["T6"]
    assert [r.code for r in t6.coded_rows("personnel") if r.level == 1] == ["301", "303"]
    assert [r.code for r in t6.coded_rows("public") if r.level == 1] == ["302", "310"]
    assert row(t6, "302").value("amount") == Decimal("171.07")
    assert row(t6, "30229").loc.page == 17
    for key, amount in (("personnel_total", "2152.26"), ("public_total", "184.65")):
        item = t6.item(key)
        assert item is not None and (item.loc.page, item.value("amount")) == (17, Decimal(amount))
    # 三公: one row of 预算数/决算数 pairs, only 预算数 filled.
    sangong = t["T7"].item("sangong")
    assert sangong is not None and sangong.loc.page == 18
    assert {k: c.value for k, c in sangong.cells.items() if c.value is not None} == {
        "budget_total": Decimal("0.95"),
        "budget_reception": Decimal("0.95"),
    }


def test_central_figures_and_their_pages(zy: Document) -> None:
    t = zy.tables
    t1 = t["T1"]
    for key, line, amount in (
        ("general", "1", "19572.91"),
        ("other", "8", "878.44"),
        ("income_current", "27", "20451.35"),
        ("carry_in", "29", "1615.24"),
        ("income_total", "31", "22066.59"),
        ("expense_current", "58", "14572.53"),
        ("carry_out", "60", "7494.06"),
        ("expense_total", "62", "22066.59"),
    ):
        item = t1.item(key)
        assert item is not None and item.loc.page == 7
        # 行次 is kept as text, never as an amount.
        assert (item.texts["line"], item.value("amount")) == (line, Decimal(amount))
        assert set(item.cells) == {"amount"}
    assert [c.key for c in t1.columns] == ["amount", "amount"]
    assert row(t1, "205").texts == {"line": "36"}
    # Whole codes; 合计 first.
    t2 = t["T2"]
    assert t2.rows[0] is t2.total_row()
    assert row(t2, "2014003").value("other") == Decimal("609.94")
    assert row(t["T3"], "2014099").value("basic") == Decimal("540.61")
    t4 = t["T4"]
    assert row(t4, "201").value("general") == Decimal("9846.82")
    total = t4.item("expense_total")
    assert total is not None and (total.value("total"), total.texts["line"]) == (
        Decimal("20727.53"),
        "64",
    )
    assert row(t["T5"], "2014001").value("total") == Decimal("5757.63")
    # 公开06表: three lists; 公用经费合计 spans both 公用 lists, its figure under the third.
    t6 = t["T6"]
    assert [r.code for r in t6.coded_rows("public_other") if r.level == 1] == ["307", "310", "399"]
    assert row(t6, "39908").label == "对民间非营利组织和群众性自治组织补贴"
    public = t6.item("public_total")
    assert public is not None and public.panel == "public"
    assert (public.value("amount"), public.cells["amount"].loc.page) == (Decimal("2266.65"), 12)
    assert public.cells["amount"].loc.bbox is not None
    assert public.cells["amount"].loc.bbox[0] > 700  # the figure printed under the third list
    sangong = t["T9"].item("sangong")
    assert sangong is not None and sangong.loc.page == 15
    assert [sangong.value(c) for c in ("budget_total", "actual_total", "actual_reception")] == [
        Decimal("76.43"),
        Decimal("46.21"),
        Decimal("0.90"),
    ]


def test_central_selfevaluation_forms(zy: Document) -> None:
    forms = {p.project: p for p in zy.performance}
    assert list(forms) == [
        "信访干部培训专项",
        "信访研究宣传立法专项",
        "资产运行维护",
        "信息化运行维护",
    ]
    assert [p.loc.page for p in zy.performance] == [30, 32, 34, 35]
    it = forms["信息化运行维护"]
    assert it.kind == "selfeval" and it.selfeval is not None and it.unit_name == "国家信访局本级"
    funds = it.selfeval.funds
    assert {col: f.value for col, f in funds["年度资金总额"].items()} == {
        "年初预算数": Decimal("1638.67"),
        "全年预算数": Decimal("1639.34"),
        "全年执行数": Decimal("1032.99"),
    }
    assert funds["上年结转"]["全年预算数"].value == Decimal("281.67")
    assert it.selfeval.rate is not None and it.selfeval.rate.value == Decimal("63.01")
    assert it.selfeval.score_total is not None and it.selfeval.score_total.value == Decimal("90.5")
    assert it.selfeval.score_total.loc.page == 36  # 总分 on the continuation page
    assert len(it.indicators) == 8 and it.weight_total() == Decimal(90)
    last = it.indicators[-1]
    assert (last.level1, last.level3, last.value, last.actual, last.score) == (
        "满意度指标",
        "使用部门满意率",
        "≥96%",
        "90%",
        Decimal("9.3"),
    )
    # p31 continues p30 with another grid: its rows still land in their columns.
    training = forms["信访干部培训专项"]
    assert [(i.level3, i.weight, i.score, i.loc.page) for i in training.indicators[-2:]] == [
        ("信访系统干部整体素质", Decimal(10), Decimal(9), 31),
        ("受训学员满意率", Decimal(10), Decimal(10), 31),
    ]


def test_juesuan_narrative_phrases_are_read(sh: Document, zy: Document) -> None:
    by = {(st.section, st.subject): st for st in zy.statements}
    item = by[("gp_items", "一般公共服务（类）信访事务（款）行政运行（项）")]
    assert item.path == ("一般公共服务", "信访事务", "行政运行")
    assert (item.budget and item.budget.value, item.amount and item.amount.value) == (
        Decimal("5717.32"),
        Decimal("5757.63"),
    )
    assert item.completion is not None and item.completion.value == Decimal("100.71")
    income = by[("overall", "一般公共预算财政拨款收入")]
    assert income.change is not None and income.change.amount is not None
    assert (income.change.word, income.change.amount.value) == ("增加", Decimal("6263.17"))
    summary = by[("performance", "信息化运行维护项目绩效自评综述")]
    assert summary.score is not None and (summary.score.value, summary.score.loc.page) == (
        Decimal("88.5"),
        28,
    )
    sh_by = {(st.section, st.subject): st for st in sh.statements}
    # 上海: the path is printed alone before `主要用于：…。年初预算为…，支出决算为…。`
    housing = sh_by[("gp_items", "住房保障支出（类）住房改革支出（款）购房补贴（项）")]
    assert (housing.budget and housing.budget.value, housing.amount and housing.amount.value) == (
        Decimal("258.50"),
        Decimal("258.50"),
    )
    sangong = sh_by[("sangong", "“三公”经费财政拨款支出")]
    assert sangong.budget is not None and sangong.budget.value == Decimal("0.95")
    assert sangong.completion is not None and sangong.completion.value == 0


# ───────────────────────────── the audit ─────────────────────────────

SH_ERRORS = {
    # p6 收入支出决算总表 prints 八、社会保障和就业支出 326.71; p10 支出决算表 prints 208 at
    # 326.72 (= Σ its 项 84.65 + 160.75 + 80.38 + 0.94). The same figure printed twice, 0.01
    # apart: no rounding allowance between tables.
    ("X202", "error", 6, "208 社会保障和就业支出"),
    # the same between 财政拨款收入支出决算总表 p12 (326.71) and 一般公共预算财政拨款支出决算表 p15
    ("X202", "error", 12, "208 社会保障和就业支出"),
    # p21 “财政拨款收入支出总计0.3万元。与2023年度相比，财政拨款收入支出总计持平” while the
    # 财政拨款收入支出决算总表 p13 prints 总计 2,961.68 (the finding cites the table's cell)
    ("N301", "error", 13, "fin.total"),
    # p21 “一般公共服务支出（类）2106.66万元，占71.73%”: 2,106.66 ÷ 2,940.05 = 71.65%
    # (the four shares add to 100.07%)
    ("N302", "error", 15, ""),
}
ZY_ERRORS = {
    # p17 “收、支总计22066.59万元，与2023年相比，收、支总计各增加5834.37万元，增长35.74%”:
    # last year 16,232.22, so 35.94%
    ("Y401", "error", 17, ""),
    # p28 “信息化运行维护项目绩效自评综述：…项目自评得分为88.5分” while its 自评表 p36 prints
    # 总分 100 | 90.5 (and its lines add to 90.5)
    ("N310", "error", 28, "信息化运行维护.自评得分"),
}
ZY_WARNINGS = {
    # p22–23 items 7–10 name 20805 and 2080501 by their pre-2024 names (行政事业单位离退休,
    # 归口管理的行政单位离退休) while 公开05表 p11 prints 行政事业单位养老支出 / 行政单位离退休;
    # their amounts still bind to those rows.
    ("K806", "warning", 11, "2080501 行政单位离退休"),
    ("K806", "warning", 11, "2080503 离退休人员管理机构"),
    ("K806", "warning", 11, "2080505 机关事业单位基本养老保险缴费支出"),
    ("K806", "warning", 11, "2080506 机关事业单位职业年金缴费支出"),
}


def test_shanghai_findings_are_the_real_defects(sh_report: Report) -> None:
    assert keyed(sh_report, "error", "warning") == SH_ERRORS
    s = sh_report.summary
    assert (s.errors, s.warnings, s.not_run) == (4, 0, 0)
    messages = {f.rule: f.message for f in sh_report.findings if f.severity.value == "error"}
    assert messages["N301"] == "「财政拨款收入支出总计」：说明 0.30，表4 总计 2,961.68，差 2,961.38"
    assert messages["N302"] == (
        "「一般公共服务支出（类）」占比：说明 71.73%，按 2,106.66 ÷ 表5 总计 2,940.05 计算应为 71.65%"
    )


def test_central_findings_are_the_real_defects(zy_report: Report) -> None:
    assert keyed(zy_report, "error") == ZY_ERRORS
    assert keyed(zy_report, "warning") == ZY_WARNINGS
    assert zy_report.summary.not_run == 0
    messages = {f.rule: f.message for f in zy_report.findings if f.severity.value == "error"}
    assert "说明 35.74%" in messages["Y401"] and "计算应为 35.94%" in messages["Y401"]
    assert messages["N310"] == "「信息化运行维护」自评得分：说明 88.5，自评表 90.5，差 2.0"


def test_rounding_is_a_notice_not_an_error(sh_report: Report, zy_report: Report) -> None:
    notices = {f.message for f in sh_report.findings if f.severity.value == "notice"}
    # 基本支出决算表 p16–17: 302 printed 171.07, its 款 add to 171.09 (12 items); 301 likewise.
    assert "表6 302 商品和服务支出：决算数 171.07，明细之和 171.09，差 0.02（四舍五入）" in notices
    assert (
        "表6 301 工资福利支出：决算数 2,082.85，明细之和 2,082.86，差 0.01（四舍五入）" in notices
    )
    # 公开09表: 决算数 合计 46.21 vs 4.69 + 40.61 + 0.90 (the note warns of 尾数误差).
    zy_notices = {(f.rule, f.location.page) for f in zy_report.findings}
    assert ("A101", 15) in zy_notices and ("A103", 7) in zy_notices


@pytest.mark.parametrize("which", ["sh_report", "zy_report"])
def test_table_arithmetic_passes_everywhere(which: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(which)
    for rule in ("A101", "A102", "A103", "A104"):
        checks, passed = stats(report, rule)
        assert checks > 0 and passed == checks, rule


def test_identities_and_narrative_checks_run(sh_report: Report, zy_report: Report) -> None:
    # X201 (totals between tables) holds throughout; X202 fails only on the 208 pair above.
    assert stats(sh_report, "X201") == (28, 28) and stats(sh_report, "X202") == (49, 47)
    assert stats(zy_report, "X201") == (25, 25) and stats(zy_report, "X202") == (61, 61)
    # Every (项) paragraph is found, including those naming 2080501 by its old name.
    assert stats(sh_report, "N303") == (11, 11) and stats(zy_report, "N303") == (14, 14)
    # 完成年初预算的 Y% (14 项 + the total + 三公 and its parts + 4 自评 summaries …)
    assert stats(zy_report, "N309") == (23, 23) and stats(sh_report, "N309") == (6, 6)
    # the 4 自评表: funds in 3 columns, 执行率, its score, 分值 and 得分 totals
    assert stats(zy_report, "S507") == (28, 28)
    assert stats(zy_report, "N310") == (12, 11)
    # 比2023年度决算数增加 … : 13 year-on-year statements read, one wrong. The amounts behind
    # them agree: last year's sources + 年初结转 make last year's 收支总计 (16,232.22) exactly,
    # its 类 + 年末结转 to within rounding — the 35.74% is the misprint, not the 5,834.37.
    assert stats(zy_report, "Y401") == (13, 12)
    assert stats(zy_report, "Y404") == (2, 2)
    y404 = [f.message for f in zy_report.findings if f.rule == "Y404"]
    assert y404 == [
        "由同比增减推算的上年数：上年收支总计 16,232.22，上年各类支出 + 年末结转和结余 16,232.21，"
        "差 0.01（四舍五入）"
    ]
    # the empty fund tables are stated empty in their notes
    assert stats(sh_report, "C702") == (2, 2) and stats(zy_report, "C702") == (2, 2)


def test_findings_carry_page_and_box(sh_report: Report, zy_report: Report) -> None:
    for report in (sh_report, zy_report):
        for f in report.findings:
            assert f.location.page is not None and f.location.bbox is not None, f


@pytest.mark.parametrize(("path", "profile"), [(SHANGHAI, "shanghai"), (CENTRAL, "zhongyang")])
def test_cli_audit_exit_codes(path: Path, profile: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "audit", str(path), "-f", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert f'"profile": "{profile}-juesuan-2024"' in result.stdout
