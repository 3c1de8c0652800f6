"""The Beijing template (profile `beijing-2026`) on its published sample.

`2026_beijing_zhengwufuwu-shujuju_yusuan_baobiao.pdf` (北京市政务服务和数据管理局 2026 部门预算
报表): 预算01–13表 in 万元 with six decimals. The 情况说明 is a separate scanned file without a
text layer, so only the tables' own identities apply. Every figure below was read off the
rendered pages; docs/research/published-samples.md §7 describes the tables.

One real defect, confirmed on pp. 3–6 and 10–12: the rows printed in 预算03表 支出总表 and
预算06表 一般公共预算基本支出表 add up to less than their printed 合计 (rows are missing from the
print: 16,960.331779 万元 of 2010301 基本支出, 5,145.484835 of 2010302 and 404.405000 of 2014102
项目支出), which 预算01表 and 预算05表 show from their side.
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
from yusuan.model.tables import RowKind
from yusuan.profiles import choose_profile
from yusuan.readers.ir import RawDocument

from . import published
from .test_pdf_reader import BEIJING, EXPECTED_TABLES, SCANNED

DATA = Path(__file__).parent / "data" / "published"
PDF = DATA / BEIJING


def _raw() -> RawDocument:
    return published.raw(BEIJING)


def _assemble(raw: RawDocument) -> Document:
    return published.assembled(BEIJING, raw)


def _doc() -> Document:
    return published.doc(BEIJING)


def _report() -> Report:
    return published.report(BEIJING)


_pages = published.pages
_keyed = published.keyed_by_page


def _altered(title: str, old: str, new: str) -> Report:
    raw = copy.deepcopy(_raw())
    table = next(t for t in raw.tables if t.title == title)
    cell = next(c for r in table.body_rows for c in r.cells if c.text == old)
    cell.text = new
    return audit(_assemble(raw))


# ───────────────────────────── the profile is chosen ─────────────────────────────


def test_profile_is_chosen_for_the_sample_with_full_confidence() -> None:
    doc = _doc()
    assert (doc.profile, doc.profile_confidence) == ("beijing-2026", 1.0)


def test_profile_is_not_chosen_for_other_templates() -> None:
    for name, tables in EXPECTED_TABLES.items():
        choice = choose_profile([title for _, title, _, _ in tables])
        if name == BEIJING:
            assert choice is not None and choice.profile.id == "beijing-2026"
        else:
            assert choice is None or choice.profile.id != "beijing-2026", name


# ───────────────────────────── tables found ─────────────────────────────


def test_every_table_is_found_where_printed() -> None:
    doc = _doc()
    found = {k: (t.label, t.printed_title, _pages(t)[0]) for k, t in doc.tables.items()}
    assert found == {
        "T1": ("预算01表", "收支总表", 1),
        "T2": ("预算02表", "收入总表", 2),
        "T3": ("预算03表", "支出总表", 3),
        "T4": ("预算04表", "财政拨款收支总表", 7),
        "T5": ("预算05表", "一般公共预算支出表", 8),
        "T6": ("预算06表", "一般公共预算基本支出表", 10),
        "T7": ("预算07表", "政府性基金预算支出表", 13),
        "T8": ("预算08表", "国有资本经营预算支出表", 14),
        "T9": ("预算09表", "财政拨款“三公”经费支出表", 15),
        "T10": ("预算10表", "政府采购预算明细表", 16),
        "T11": ("预算11表", "财政拨款政府购买服务明细表", 17),
        "PP": ("预算表12", "项目支出绩效目标表", 20),
    }
    assert _pages(doc.tables["T3"]) == [3, 4, 5, 6] and _pages(doc.tables["T6"]) == [10, 11, 12]
    assert _pages(doc.tables["T11"]) == [17, 18, 19]
    assert all(t.readable for t in doc.tables.values())
    assert doc.tables["T7"].is_empty and doc.tables["T8"].is_empty
    projects = [p for p in doc.performance if p.kind == "project"]
    assert len(projects) == 82  # one block per project over pp. 20–80
    assert projects[0].loc.page == 20 and projects[-1].loc.page == 80
    (overall,) = [p for p in doc.performance if p.kind == "overall"]
    assert overall.loc.page == 81 and overall.unit_name == "北京市政务服务和数据管理局"


# ───────────────────────────── figures, six decimals ─────────────────────────────


def test_six_decimals_are_read_exactly_with_their_pages() -> None:
    doc = _doc()
    t1, t3, t5, t6, t9 = (doc.tables[k] for k in ("T1", "T3", "T5", "T6", "T9"))
    total = t1.item("income_total")
    assert total is not None
    cell = total.cells["amount"]
    assert (cell.value, cell.decimals, cell.loc.page) == (Decimal("101673.030619"), 6, 1)
    assert cell.loc.bbox is not None
    # 类 by name only in 预算01表: codes from the catalog (no table prints a 类 row).
    codes = [r.code for r in t1.rows if r.panel == "expense" and r.value("expense") and r.code]
    assert codes == ["201", "205", "208", "210", "212", "221", "229"]
    # 预算03表: one row per (功能, 政府经济, 部门经济) triple, coded by its function 项.
    first = t3.rows[0]
    assert (first.code, first.label, first.value("total"), first.loc.page) == (
        "2010301",
        "行政运行",
        Decimal("1077.766800"),
        3,
    )
    assert all(r.level == 3 for r in t3.rows if r.code)
    # 预算05表 repeats a 项 per budget unit: 2010301 is printed twice (p8).
    assert [r.value("total") for r in t5.rows if r.code == "2010301"][:2] == [
        Decimal("3749.310269"),
        Decimal("18703.728551"),
    ]
    # 预算06表: the row is the 部门经济 code's, 7-digit codes included.
    travel = next(r for r in t6.rows if r.code == "3021101")
    assert (travel.label, travel.level, travel.value("public")) == (
        "差旅费",
        3,
        Decimal("35.280000"),
    )
    (sangong,) = t9.rows
    assert sangong.kind is RowKind.TOTAL and sangong.value("reception") == Decimal("7.249836")


# ───────────────────────────── the audit ─────────────────────────────


EXPECTED = {
    # 预算03表 合计 101,605.173803 | 38,197.009752 | 63,408.164051 (p6), its printed rows
    # (pp. 3–6) add to 79,094.952189 | 21,236.677973 | 57,858.274216.
    ("A103", "error", 3),
    # 预算06表 合计 38,186.119752 | 人员经费 36,546.620316 (p12), its rows (pp. 10–12) add to
    # 21,225.787973 | 19,586.288537: the same 16,960.331779 of 人员经费 is missing.
    ("A103", "error", 10),
    # 预算01表 201 一般公共服务支出 87,574.015036 (p1) vs the 201 rows of 预算03表: 65,063.793422.
    ("X202", "error", 1),
    # 预算03表 (all funds) below 预算05表 (一般公共预算) for 2010301, 2010302 (p3), 2014102 (p4).
    ("X202", "error", 3),
    ("X202", "error", 4),
}


def test_findings_are_exactly_the_real_defect() -> None:
    report = _report()
    assert _keyed(report) == EXPECTED
    s = report.summary
    assert (s.errors, s.warnings, s.notices) == (9, 0, 0)
    a103 = sorted(f.message for f in report.findings if f.rule == "A103")
    assert a103[0] == (
        "预算03表 合计：合计 101,605.173803，各行之和 79,094.952189，差 22,510.221614"
    )
    rows = sorted(f.location.row or "" for f in report.findings if f.rule == "X202")
    assert rows == [
        "201 一般公共服务支出",
        "2010301 行政运行",
        "2010302 一般行政管理事务",
        "2014102 一般行政管理事务",
    ]
    # Without the 说明 (a separate scanned file) the empty 预算07/08表 cannot be checked
    # for their statement: not run, not passed.
    assert sorted(n.location.page or 0 for n in report.not_run) == [13, 14]
    assert all(n.rule == "C702" for n in report.not_run)


def test_everything_else_adds_up_to_the_millionth() -> None:
    stats = {r.rule: (r.checks, r.passed) for r in _report().rules}
    for rule in ("A101", "A104", "S503", "S504", "X201"):
        checks, passed = stats[rule]
        assert checks > 0 and passed == checks, rule
    assert stats["A101"][0] > 300  # 合计 = 基本 + 项目 … in every row of every table
    assert stats["A103"][0] - stats["A103"][1] == 5


def test_six_decimal_rounding_model() -> None:
    # 公务接待费 7.249836 → 7.249936 (p15): 0.0001 off three figures printed to 0.000001 is an
    # error, not rounding; the 6-decimal total would pass at two decimals.
    report = _altered("财政拨款“三公”经费支出表", "7.249836", "7.249936")
    a101 = [f for f in report.findings if f.rule == "A101"]
    assert [(f.severity.value, f.location.page) for f in a101] == [("error", 15)]
    assert a101[0].message.endswith("差 0.000100")
    # 0.000001 off is within the rounding of the figures: a notice.
    report = _altered("财政拨款“三公”经费支出表", "7.249836", "7.249837")
    assert [f.severity.value for f in report.findings if f.rule == "A101"] == ["notice"]


# ───────────────────────────── the command line ─────────────────────────────


def test_audit_exit_codes() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["audit", str(PDF)]).exit_code == 1  # the defect above
    assert runner.invoke(app, ["audit", str(PDF), "--select", "A101"]).exit_code == 0
    # The 说明 has no text layer: unreadable input.
    assert runner.invoke(app, ["audit", str(DATA / SCANNED)]).exit_code == 2
