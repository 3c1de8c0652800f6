"""The document's own 目录 as the measure of completeness when no template names the tables
(C701 under inference, the report's coverage), on real extracts (tests/data/corpus/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import yusuan
from yusuan.audit.findings import Severity
from yusuan.model.narrative import Paragraph
from yusuan.model.provenance import Loc
from yusuan.readers.assemble.contents import listed_tables
from yusuan.reporters.common import verdict

CORPUS = Path(__file__).parent / "data" / "corpus"


def _paragraphs(*lines: str, page: int = 2) -> list[Paragraph]:
    return [Paragraph(text, Loc(page=page)) for text in lines]


def test_wuxi_contents_page_with_two_of_its_tables() -> None:
    # 无锡市商务局: the 目录 (p2) lists 十三 tables; the extract holds 公开01表 and 公开09表.
    doc = yusuan.read(CORPUS / "wuxi_2026_shangwuju_p2_9_21.pdf")
    assert [t.kind for t in doc.listed_tables][:4] == [
        "overview",
        "income",
        "expense",
        "finance-overview",
    ]
    assert len(doc.listed_tables) == 13
    report = yusuan.audit(doc)
    assert report.document["profile"] == "generic"
    c701 = [f for f in report.findings if f.rule == "C701"]
    assert {f.severity for f in c701} == {Severity.WARNING}
    assert len(c701) == 11
    assert "目录列出的「收入总表」在文件中没有读到（缺表，或未能读出，请对照原件）" in [
        f.message for f in c701
    ]
    coverage = report.document["coverage"]
    assert not coverage["complete"]
    assert coverage["missing"] == [] and len(coverage["missing_listed"]) == 11
    assert "政府采购支出表" in coverage["missing_listed"]
    assert verdict(report) == "目录所列的 11 张表没有读到，未发现错误的结论只适用于已读取的部分"


def test_a_narrative_without_its_tables_is_not_measured_against_its_contents() -> None:
    # 北京 publishes the 情况说明 and the 报表 as two files; the 说明's 目录 lists the 报表's.
    doc = yusuan.read(CORPUS / "beijing_2026_caizhengju_shuoming_p1-6.pdf")
    assert len(doc.listed_tables) == 11 and not doc.tables
    report = yusuan.audit(doc)
    assert [f for f in report.findings if f.rule == "C701"] == []
    assert [n.reason for n in report.not_run if n.rule == "C701"] == [
        "本文件没有表格，目录所列的表不在本文件中（与报表文件一同审核：yusuan audit 说明 报表）"
    ]


def test_contents_lines_read_as_tables() -> None:
    found = listed_tables(
        _paragraphs(
            "目录",
            "第一部分广州市信访局概况",
            "第二部分2026年部门预算表",
            "一、收支总体情况表",
            "五、一般公共预算支出情况表（按功能分类科目）",
            # Three entries run together on one line; the last lost its 表 to the next line.
            "六、一般公共预算基本支出情况表（按经济分类科目）七、一般公共预算项目支出情况表"
            "（按经济分类科目）八、财政拨款安排的行政经费及“三公”经费预算",
            "十一、部门预算基本支出预算表 ………… 12",
            "第三部分2026年部门预算情况说明",
            "第四部分政府采购预算情况",
            "第一部分广州市信访局概况",  # the body begins
            "一、收支总体情况表",
        )
    )
    assert [(t.title, t.kind) for t in found] == [
        ("收支总体情况表", "overview"),
        ("一般公共预算支出情况表(按功能分类科目)", "gp-function"),
        ("一般公共预算基本支出情况表(按经济分类科目)", "gp-basic-economic"),
        ("一般公共预算项目支出情况表(按经济分类科目)", "gp-economic"),
        ("部门预算基本支出预算表", "basic"),
    ]


def test_the_contents_end_at_the_first_sentence() -> None:
    found = listed_tables(
        _paragraphs(
            "目 录",
            "一、收支总表",
            "本部门2026年收入预算1,000.00万元。",
            "二、收入总表",
        )
    )
    assert [t.title for t in found] == ["收支总表"]
    assert listed_tables(_paragraphs("一、收支总表", "二、收入总表")) == []
