"""The Hunan template (profile `hunan-2025`) on its published sample.

`2025_hunan-changsha_gonganju_yusuan.pdf` (长沙市公安局 2025 部门预算, 万元): eight tables titled
`…总体情况表` / `…情况表`, the 项目支出 and 部门整体支出绩效目标表 as grids. Every figure below
was read off the rendered pages; docs/research/published-samples.md §3 describes the tables.
Three real defects were confirmed on the pages (p10, p23); see the pinned findings.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from yusuan import audit
from yusuan.audit.report import Report
from yusuan.cli import app
from yusuan.model.document import Document
from yusuan.model.tables import RowKind
from yusuan.profiles import choose_profile, load_profile
from yusuan.readers.assemble import match_key
from yusuan.readers.ir import RawDocument

from . import published
from .test_pdf_reader import EXPECTED_TABLES, HUNAN

PDF = Path(__file__).parent / "data" / "published" / HUNAN


def _raw() -> RawDocument:
    return published.raw(HUNAN)


def _assemble(raw: RawDocument) -> Document:
    return published.assembled(HUNAN, raw)


def _doc() -> Document:
    return published.doc(HUNAN)


def _report() -> Report:
    return published.report(HUNAN)


_pages = published.pages
_keyed = published.keyed_by_page


# ───────────────────────────── the profile is chosen ─────────────────────────────


def test_profile_is_chosen_for_the_sample_with_full_confidence() -> None:
    doc = _doc()
    assert (doc.profile, doc.profile_confidence) == ("hunan-2025", 1.0)
    assert (doc.department, doc.year) == ("长沙市公安局", 2025)


def test_profile_is_not_chosen_for_other_templates() -> None:
    for name, tables in EXPECTED_TABLES.items():
        choice = choose_profile([title for _, title, _, _ in tables])
        if name == HUNAN:
            assert choice is not None and choice.profile.id == "hunan-2025"
        else:
            assert choice is None or choice.profile.id != "hunan-2025", name


# ───────────────────────────── tables found ─────────────────────────────


def test_every_table_of_the_contents_is_found_where_printed() -> None:
    doc = _doc()
    found = {k: (t.printed_title, _pages(t)[0]) for k, t in doc.tables.items()}
    assert found == {
        "T1": ("2025年部门收支总体情况表", 13),
        "T2": ("2025年部门收入总体情况表", 14),
        "T3": ("2025年部门支出总体情况表", 15),
        "T4": ("2025年财政拨款收支总体情况表", 16),
        "T5": ("2025年一般公共预算支出情况表", 18),
        "T6": ("2025年一般公共预算基本支出情况表", 19),
        "T7": ("2025年一般公共预算“三公”经费支出情况表", 21),
        "T8": ("2025年政府性基金预算支出情况表", 22),
        "PP": ("2025年项目支出绩效目标表", 23),
        "PO": ("2025年部门整体支出绩效目标表", 51),
    }
    assert _pages(doc.tables["T4"]) == [16, 17] and _pages(doc.tables["T6"]) == [19, 20]
    assert all(t.readable for t in doc.tables.values())
    # The 目录 (p2) names the ten tables by their short names: each one is a table read.
    toc = "".join(p.text for p in doc.paragraphs if p.loc.page == 2 and not p.heading)
    names = re.findall(r"\d+、(.+?)(?=\d+、|注：|$)", toc)
    assert len(names) == 10 and names[0] == "部门收支总表"
    profile = load_profile("hunan-2025")
    for name in names:
        spec = next(
            s
            for s in profile.tables
            if any(match_key(name) == match_key(n) for n in [s.title, *s.aliases])
            or match_key(name) == match_key(s.title.removesuffix("情况表") + "表")
        )
        assert spec.key in doc.tables, name


def test_performance_grids_become_one_form_per_project() -> None:
    doc = _doc()
    projects = [p for p in doc.performance if p.kind == "project"]
    assert len(projects) == 14
    first = projects[0]
    assert (first.project, first.unit_name, first.total.value if first.total else None) == (
        "大型警保卫及基础设施安全保护工作经费",
        "长沙市公安局",
        Decimal("428.69"),
    )
    assert {ind.loc.page for ind in first.indicators} == {23, 24, 25}  # continued over 3 pages
    assert (first.indicators[0].value, first.indicators[0].weight) == ("≤100%", 20)
    assert all(p.weight_total() == 90 for p in projects)  # 备注 holds the weights
    last = projects[-1]
    assert last.project == "装备、服装及其他设备购置费" and last.loc.page == 48
    (overall,) = [p for p in doc.performance if p.kind == "overall"]
    assert overall.unit_name == "长沙市公安局" and overall.total is not None
    assert overall.total.value == Decimal("68632.12")
    assert [label for label, _ in overall.fund_lines] == [
        "一般公共预算",
        "政府性基金拨款",
        "财政专户管理资金",
        "其他资金",
    ]


# ───────────────────────────── figures read ─────────────────────────────


def test_figures_are_read_with_their_pages() -> None:
    doc = _doc()
    t1, t2, t5, t6, t7 = (doc.tables[k] for k in ("T1", "T2", "T5", "T6", "T7"))
    basic = t1.item("basic")
    assert basic is not None and basic.value("expense") == Decimal("28398.17")
    assert basic.cells["expense"].loc.page == 13 and basic.cells["expense"].loc.bbox
    row = next(r for r in t2.rows if r.code == "2040202")
    assert (row.value("total"), row.value("fin_funds"), row.loc.page) == (
        Decimal("36490.02"),
        Decimal("18228.51"),
        14,
    )
    # 款 rows print only the 款 code (`| 02 | | 公安`); rows are not sorted by code.
    assert [r.code for r in t5.rows] == [
        None,
        "204",
        "20402",
        "2040201",
        "2040220",
        "2040202",
        "2040221",
        "2040219",
        "201",
        "20111",
        "2011199",
    ]
    other = next(r for r in t6.rows if r.code == "30299")
    assert (other.value("personnel"), other.value("public"), other.loc.page) == (
        Decimal("83.47"),
        Decimal("716.22"),
        20,
    )
    (unit,) = [r for r in t7.rows if r.kind is RowKind.UNIT]
    assert (unit.unit_code, unit.label, unit.value("total")) == ("106", "长沙市公安局", 458.5)


# ───────────────────────────── the audit ─────────────────────────────


EXPECTED = {
    # p23 项目支出绩效目标表: 合计 and 长沙市公安局 print 40,233.95 (= 表5 项目支出), the 14
    # projects listed on p23–50 add up to 39,052.86: 1,181.09 万元 of projects have no row.
    ("A105", "error", 23),
    # p10 国有资产: “单位价值50万元以上设备8台，其中，单位价值100万元以上设备15台” and
    # “新增配备单位价值50万元以上设备0台，其中，单位价值100万元以上设备3台”: part > whole.
    ("S501", "error", 10),
    # 20111 纪检监察事务 and 20402 公安 are not in the classification catalog's sources (the
    # catalog is partial; K804 says so as a notice, not as a defect of the document).
    ("K804", "notice", 14),
}


def test_findings_are_exactly_the_real_defects() -> None:
    report = _report()
    assert _keyed(report) == EXPECTED
    s = report.summary
    assert (s.errors, s.warnings, s.notices, s.not_run) == (3, 0, 2, 0)
    messages = sorted(f.message for f in report.findings if f.rule in ("A105", "S501"))
    assert messages == [
        "其他重要事项的情况说明：单位价值100万元以上设备 15，单位价值50万元以上设备 8，超出，差 7",
        "其他重要事项的情况说明：单位价值100万元以上设备 3，新增配备单位价值50万元以上设备 0，超出，差 3",
        "表9 长沙市公安局：资金总额 40,233.95，其下各项目之和 39,052.86，差 1,181.09",
    ]
    a105 = next(f for f in report.findings if f.rule == "A105")
    assert a105.location.bbox is not None and a105.location.row == "长沙市公安局"


def test_table_arithmetic_passes_except_the_real_defect() -> None:
    stats = {r.rule: (r.checks, r.passed) for r in _report().rules}
    for rule in ("A101", "A102", "A103", "A104"):
        checks, passed = stats[rule]
        assert checks > 0 and passed == checks, rule
    assert stats["A105"][0] - stats["A105"][1] == 1
    for rule in ("X201", "X202", "N301", "N302", "S503", "S504", "S505", "Y401", "C702"):
        checks, passed = stats[rule]
        assert checks > 0 and passed == checks, rule


def test_a_changed_figure_breaks_the_identities_that_hold_it() -> None:
    # 表5 2040219 信息化建设 1,900.00 → 1,800.00 (p18): its row, its 款, 表2 and 表3 disagree.
    raw = copy.deepcopy(_raw())
    table = next(t for t in raw.tables if t.title == "2025年一般公共预算支出情况表")
    row = next(r for r in table.body_rows if r.texts()[2] == "19")
    row.cells[4].text = "1,800.00"
    keyed = _keyed(audit(_assemble(raw)))
    assert {("A101", "error", 18), ("A102", "error", 18), ("X202", "error", 14)} <= keyed


# ───────────────────────────── the command line ─────────────────────────────


def test_audit_exit_codes() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["audit", str(PDF)]).exit_code == 1  # real errors
    assert runner.invoke(app, ["audit", str(PDF), "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, ["audit", str(PDF), "--select", "A101"]).exit_code == 0
