"""Regression: the findings on the real 2024 新疆人社厅 disclosure (tests/data)."""

from __future__ import annotations

from yusuan.audit.report import Report
from yusuan.model.document import Document

from .conftest import keyed

# Every finding the sample deserves, by (rule, severity, first line). Each was checked by
# hand against the document; see docs/sample-findings.md for the reasoning.
EXPECTED = {
    # the malformed `3,8394.24`
    ("F601", "error", 1450),
    # 职业技能鉴定专项业务费: 资金分配 200.00 vs 预算安排规模 100.00
    ("S502", "error", 1017),
    # "18 个涉密项目 … 3,480.67": the 18 secret projects of table 7 total 3,080.67
    ("N306", "error", 443),  # first of the 表7 rows it is compared with (line 1845)
    # 整体绩效目标表 其他资金 4,870.00 vs non-appropriation income 5,390.00
    ("S504", "warning", 128),
    # 绩效 summary counts: 12 财政拨款 projects ≠ 34,530.67; 4 非财政 projects ≠ 5,390.00
    ("N307", "warning", 1458),
    # weights of two 项目支出绩效目标表 add to 70 and 60 instead of 90
    ("S505", "warning", 1506),
    ("S505", "warning", 1820),
    # reasons contradicting their own figures
    ("Y403", "warning", 639),  # 单位资金 1,890.00 "无预算安排"
    # 基本支出 "人员减少" (lines 645, and 665 in 五（一）) while 在职 +8, 退休 +7 (line 104)
    ("Y403", "warning", 104),
    ("Y403", "warning", 691),  # 机关服务 decreased to 0 "调整该项目至本功能分类科目"
    ("Y403", "warning", 715),  # 行政单位离退休 950.39 "该项预算不做安排"
    ("Y403", "warning", 717),  # 事业单位离退休 289.67 "该项预算不做安排"
    ("Y403", "warning", 1421),  # 公务接待费 1.80 (line 1421) "本年度无预算安排" (1423)
    # rounding, not errors
    ("A102", "notice", 394),  # 表6 301: 14,983.05 vs Σ 14,983.04
    ("A102", "notice", 406),  # 表6 302: 1,868.21 vs Σ 1,868.22
    ("N302", "notice", 332),  # 62.65% where 62.66% (tail adjustment to 100%)
    ("Y404", "notice", 665),  # Σ 项 last-year amounts 1,872,608.34 vs 1,872,608.33
}


def test_sample_findings_are_exactly_the_real_defects(sample_report: Report) -> None:
    assert keyed(sample_report) == EXPECTED


def _span(a: int, b: int, step: int = 1) -> tuple[int, ...]:
    return tuple(range(a, b + 1, step))


# Every line each finding rests on (the issue asks for rule id + lines).
EXPECTED_LINES = [
    ("S504", (128, 129, 1470)),  # 财政专户, 单位资金 (表1) and 其他资金 (整体绩效目标表)
    ("N302", (332, 673)),  # 表5 总计 (the share's base) and the statement
    ("A102", _span(394, 405)),  # 301 and its eleven 款
    ("A102", _span(406, 420)),  # 302 and its fourteen 款
    ("Y403", (639,)),
    ("Y403", (104, 645)),  # the reason, and 部门概况's staffing changes it contradicts
    ("Y403", (104, 665)),
    # the two statements giving 基本/项目, and the 30 (项) paragraphs (728–730 are blank)
    ("Y404", (665, 667, *_span(681, 727, 2), *_span(731, 741, 2))),
    ("Y403", (691,)),
    ("Y403", (715,)),
    ("Y403", (717,)),
    ("S502", (1017, 1021)),  # 预算安排规模 and 资金分配情况
    ("Y403", (1421, 1423)),  # 公务接待费 1.80, then "本年度无预算安排"
    ("F601", (1450,)),
    ("N307", (1458,)),
    ("N307", (1458,)),
    ("S505", _span(1506, 1517)),  # the indicator rows whose weights add to 70
    ("S505", _span(1820, 1823)),  # … to 60
    # the sentence, the 18 secret projects' rows of 表7, and 表11's carried-over secret project
    ("N306", (*_span(443, 448), 499, 500, *_span(509, 522), 609, 1845)),
]


def test_sample_findings_cite_every_line_they_rest_on(sample_report: Report) -> None:
    got = [(f.rule, f.location.lines) for f in sample_report.findings]
    assert sorted(got) == sorted(EXPECTED_LINES)


def test_sample_summary_counts(sample_report: Report) -> None:
    s = sample_report.summary
    assert (s.errors, s.notices) == (3, 4)
    assert s.warnings == 12  # Y403 ×7 (one line has two) … see EXPECTED; N307 ×2
    assert s.not_run == 0
    assert s.checks > 1000 and s.passed == s.checks - s.errors - s.warnings


def test_table6_rounding_message_names_both_figures(sample_report: Report) -> None:
    msgs = [f.message for f in sample_report.findings if f.rule == "A102"]
    assert (
        "表6 301 工资福利支出：合计、人员经费 14,983.05，明细之和 14,983.04，差 0.01（四舍五入）"
        in msgs
    )


def test_every_table_and_section_read(sample_doc: Document) -> None:
    assert sorted(sample_doc.tables, key=lambda k: int(k[1:])) == [f"T{i}" for i in range(1, 12)]
    assert all(t.readable for t in sample_doc.tables.values())
    assert len(sample_doc.projects) == 33
    assert sum(1 for p in sample_doc.performance if p.kind == "project") == 16
    assert sample_doc.department == "自治区人力资源和社会保障厅"
    assert sample_doc.year == 2024


def test_rules_all_ran_on_the_sample(sample_report: Report) -> None:
    ran = {r.rule for r in sample_report.rules if r.checks}
    # Rules with nothing to check on this document are the only ones allowed to be idle.
    assert ran >= {
        "A101",
        "A102",
        "A103",
        "A104",
        "A105",
        "X201",
        "X202",
        "N301",
        "N302",
        "N303",
        "N304",
        "N305",
        "N306",
        "N307",
        "N308",
        "Y401",
        "Y402",
        "Y403",
        "Y404",
        "S501",
        "S502",
        "S503",
        "S504",
        "S505",
        "F601",
        "C701",
        "C702",
        "C703",
        "C704",
    }
