"""The Xi'an 部门综合预算 template (profile `xian-2025`) on its published sample.

`2025_shaanxi-xian_xingzhengshenpi_yusuan.pdf` (西安市行政审批服务局 2025): tables in 元, the
会议费/培训费明细 and the 绩效目标表 in 万元, the narrative in 万元. Every figure below was
read off the rendered pages; docs/research/published-samples.md §4 describes the tables.
The sample has no arithmetic defect: every identity of the profile holds, and the only
findings are rounding notices and the unit list of p8 that no template table describes.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from yusuan import audit
from yusuan.audit.report import Report
from yusuan.cli import app
from yusuan.model.document import Document
from yusuan.model.tables import RowKind, Table
from yusuan.money import Unit
from yusuan.profiles import choose_profile
from yusuan.readers.ir import RawDocument

from . import published
from .test_pdf_reader import EXPECTED_TABLES, XIAN

PDF = Path(__file__).parent / "data" / "published" / XIAN


def _raw() -> RawDocument:
    return published.raw(XIAN)


def _assemble(raw: RawDocument) -> Document:
    return published.assembled(XIAN, raw)


def _doc() -> Document:
    return published.doc(XIAN)


def _report() -> Report:
    return published.report(XIAN)


_pages = published.pages


def _row(table: Table, label: str, panel: str | None = None) -> object:
    for row in table.rows:
        if (row.label == label or row.describe() == label) and panel in (None, row.panel):
            return row
    raise AssertionError(f"{table.name}: no row {label!r}")


# ───────────────────────────── the profile is chosen ─────────────────────────────


def test_profile_is_chosen_for_the_sample_with_full_confidence() -> None:
    doc = _doc()
    assert (doc.profile, doc.profile_confidence) == ("xian-2025", 1.0)
    assert (doc.department, doc.year) == ("西安市行政审批服务局（汇总）", 2025)


def test_profile_is_not_chosen_for_other_templates() -> None:
    for name, tables in EXPECTED_TABLES.items():
        choice = choose_profile([title for _, title, _, _ in tables])
        if name == XIAN:
            assert choice is not None and choice.profile.id == "xian-2025"
        else:
            assert choice is None or choice.profile.id != "xian-2025", name


# ───────────────────────────── tables found ─────────────────────────────


def test_every_table_of_the_contents_is_found_where_printed() -> None:
    doc = _doc()
    found = {k: (t.label, t.printed_title, _pages(t)) for k, t in doc.tables.items()}
    assert found == {
        "TC": (None, "报表目录", [20]),
        "TM": (None, "会议费明细表", [15, 16]),  # caption at the foot of p15, frame on p16
        "TT": (None, "培训费明细表", [16]),
        "T1": ("表1", "部门综合预算收支总表", [21]),
        "T2": ("表2", "部门综合预算收入总表", [22]),
        "T3": ("表3", "部门综合预算支出总表", [23]),
        "T4": ("表4", "部门综合预算财政拨款收支总表", [24]),
        "T5": ("表5", "部门综合预算一般公共预算支出明细表（按支出功能分类科目）", [25]),
        "T6": ("表6", "部门综合预算一般公共预算支出明细表（按支出经济分类科目）", [26, 27]),
        "T7": ("表7", "部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", [28]),
        "T8": ("表8", "部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）", [29]),
        "T9": ("表9", "部门综合预算政府性基金收支表", [30]),
        "T10": ("表10", "部门综合预算专项业务经费支出表", [31, 32]),
        "T11": ("表11", "部门综合预算财政拨款上年结转资金支出表", [33]),
        "T12": ("表12", "部门综合预算政府采购（资产配置、购买服务）预算表", [34]),
        "T13": (
            "表13",
            "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表",
            [35],
        ),
        "PS": ("表16", "专项资金总体绩效目标表", [46]),
    }
    assert all(t.readable for t in doc.tables.values())
    # 表14: one form per project page; 表15: the 部门整体 form.
    forms = [(p.kind, p.title, p.loc.page) for p in doc.performance]
    assert forms == [
        *(("project", "部门专项业务经费绩效目标表", page) for page in range(36, 45)),
        ("overall", "部门整体支出绩效目标表", 45),
    ]
    # The document's own 报表目录 (p20) lists 16 tables: each one is read.
    listed = [r.label for r in doc.tables["TC"].rows]
    assert len(listed) == 16 and listed[0] == "表1 部门综合预算收支总表"
    numbers = {t.number for t in doc.tables.values()} | {14, 15}
    assert all(int(label.split()[0][1:]) in numbers for label in listed)


def test_empty_tables_are_declared_empty_by_the_contents() -> None:
    doc = _doc()
    for key in ("T9", "T11", "PS"):
        table = doc.tables[key]
        assert table.is_empty
        (note,) = table.notes
        assert note.text.endswith("是否空表：是，不涉及") and note.loc.page == 20


# ───────────────────────────── figures read, units ─────────────────────────────


def test_figures_are_read_exactly_with_their_pages_and_units() -> None:
    doc = _doc()
    t1, t6, t10, t13 = (doc.tables[k] for k in ("T1", "T6", "T10", "T13"))
    assert {t.unit for t in (t1, t6, t10, t13)} == {Unit.YUAN}
    assert doc.tables["TM"].unit is Unit.WAN and doc.tables["TT"].unit is Unit.WAN
    total = t1.item("income_total")
    assert total is not None and total.cell("amount") is not None
    cell = total.cells["amount"]
    assert (cell.value, cell.loc.page) == (Decimal("50937608.35"), 21) and cell.loc.bbox
    # The three 支出 sides of 表1 and their 类 rows: 功能 by name (code from the other tables),
    # 部门经济分类 with the code its template row stands for.
    assert [r.code for r in t1.rows if r.panel == "func" and r.code and r.value("func")] == [
        "201",
        "205",
        "208",
        "210",
        "221",
    ]
    b302 = t1.item("d_b302")
    assert b302 is not None and (b302.code, b302.value("dept")) == ("302", Decimal("2002091.90"))
    reception = next(r for r in t6.rows if r.code == "30217")
    assert reception.cells["total"].loc.page == 26 and reception.value("total") == 20000
    last = t10.rows[-1]
    assert (last.kind, last.project, last.loc.page) == (
        RowKind.PROJECT,
        "综合业务工作经费",
        32,
    )
    assert last.value("amount") == Decimal("937300.00")
    units = [(r.unit_code, r.label) for r in t13.rows if r.kind is RowKind.UNIT]
    assert units == [("122", "西安市行政审批服务局"), ("122001", "西安市行政审批服务局")]
    assert t13.rows[0].cells["diff_total"].value == Decimal("-430400.00")
    meeting = next(r for r in doc.tables["TM"].rows if "观摩会" in r.label)
    assert (meeting.value("amount"), meeting.loc.page) == (Decimal("1.00"), 16)


def test_performance_forms_read_in_wan_yuan() -> None:
    forms = _doc().performance
    projects = [p for p in forms if p.kind == "project"]
    assert [p.total.value for p in projects if p.total] == [
        Decimal(v)
        for v in (
            "29.78",
            "273.36",
            "12.00",
            "577.2",
            "23.86",
            "53.20",
            "1181.512",
            "25.00",
            "837.09",
        )
    ]
    assert all(p.weight_total() == 90 for p in projects)  # 分值权重（90分）
    overall = forms[-1]
    assert overall.unit_name == "西安市行政审批服务局"
    assert overall.total is not None and overall.total.value == Decimal("5093.76")
    assert [label for label, _ in overall.fund_lines] == [
        "基本履职人员经费及单位运转经费。",
        overall.fund_lines[1][0],
    ]


# ───────────────────────────── the audit ─────────────────────────────


def _keyed(report: Report) -> set[tuple[str, str, int | None]]:
    return {(f.rule, f.severity.value, f.location.page) for f in report.findings}


def test_every_identity_holds_and_only_rounding_is_noticed() -> None:
    report = _report()
    assert _keyed(report) == {
        # p8: the 预算单位构成 list (序号 | 单位名称 | 拟变动情况) is no template table.
        ("C703", "notice", 8),
        # Last year's amounts implied by the 万元 items (p10–13) add up to the implied total
        # within their rounding: Σ 项 4,431.70, Σ 部门/政府经济分类 4,431.69 vs 4,431.68.
        ("Y404", "notice", 10),
    }
    s = report.summary
    assert (s.errors, s.warnings, s.notices, s.not_run) == (0, 0, 4, 0)
    assert s.checks > 900 and s.passed == s.checks
    # 表14 and 表15 are read as forms: found, as C701 says, so the reading is complete.
    assert report.document["coverage"]["missing"] == []
    assert report.document["coverage"]["complete"]
    ran = {r.rule for r in report.rules if r.checks}
    assert ran >= {
        "A101",
        "A102",
        "A103",
        "A104",
        "A105",
        "X201",
        "X202",
        "N301",
        "N303",
        "S501",
        "S503",
        "S504",
        "S505",
        "S506",
        "Y401",
        "Y402",
        "Y404",
        "C701",
        "C702",
    }
    y404 = sorted(f.message for f in report.findings if f.rule == "Y404")
    assert y404[0].endswith(
        "各功能分类（项）上年数之和 4,431.70，上年一般公共预算拨款支出 4,431.68，差 0.02（四舍五入）"
    )


def test_narrative_in_wan_yuan_meets_tables_in_yuan() -> None:
    """`行政运行（2010301）1,501.46万元` is 表5's 15,014,610.00 元 rounded: an exact pass."""
    report = _report()
    n301 = next(r for r in report.rules if r.rule == "N301")
    assert n301.checks == n301.passed >= 40
    assert not [f for f in report.findings if f.rule == "N301"]


def _altered(edit: tuple[str, str, str]) -> Report:
    """The sample with one printed cell changed: (table title, old text, new text)."""
    raw = copy.deepcopy(_raw())
    title, old, new = edit
    table = next(t for t in raw.tables if t.title == title)
    hits = [c for r in table.body_rows for c in r.cells if c.text == old]
    assert hits, old
    hits[0].text = new
    return audit(_assemble(raw))


def test_a_changed_figure_breaks_the_identities_that_hold_it() -> None:
    # 表13 当年会议费 19,600.00 → 29,600.00: the 会议费明细 (Σ 1.96 万元), 表6 30215, the
    # narrative (1.96 万元) and the block's own sums disagree with it.
    title = "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表"
    report = _altered((title, "19,600.00", "29,600.00"))
    keyed = _keyed(report)
    assert {("A101", "error", 35), ("X201", "error", 16), ("N301", "error", 15)} <= keyed
    assert any(f.rule == "X201" and f.severity.value == "warning" for f in report.findings)
    msg = next(f.message for f in report.findings if "会议费明细表" in f.message)
    assert "1.96" in msg and "2.96" in msg
    # 100 元 more (1.97 万元) is within the rounding of three figures printed to 0.01 万元.
    slight = _altered((title, "19,600.00", "19,700.00"))
    assert ("X201", "notice", 16) in _keyed(slight)


def test_a_changed_class_breaks_the_four_sided_balance() -> None:
    # 表1 部门经济分类 (2)商品和服务支出 2,002,091.90 → 2,001,091.90.
    report = _altered(("部门综合预算收支总表", "2,002,091.90", "2,001,091.90"))
    keyed = _keyed(report)
    assert ("A104", "error", 21) in keyed  # 人员经费和公用经费支出 ≠ Σ its 类
    # 表1 (部门预算) 302 now falls short of 表4 (财政拨款) 302.
    (x202,) = [f for f in report.findings if f.rule == "X202"]
    assert x202.severity.value == "error" and x202.location.row == "302 商品和服务支出"


# ───────────────────────────── the command line ─────────────────────────────


def test_audit_exit_codes() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["audit", str(PDF)]).exit_code == 0
    assert runner.invoke(app, ["audit", str(PDF), "--fail-on", "warning"]).exit_code == 0
    # Read with another template, the tables do not fit: errors, exit code 1.
    assert runner.invoke(app, ["audit", str(PDF), "--profile", "xinjiang-2024"]).exit_code == 1
