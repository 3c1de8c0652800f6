"""Text-quality rules (W0xx): each on a real snippet with the defect and on its clean original.

The snippets are sentences of published disclosures (the 普陀区司法局 2026 单位预算 in
tests/data/published/, and the development corpus where named). A defect the samples do not
contain is made the way it arises in practice (a word deleted, a quotation mark dropped, UTF-8
read as GBK), and the untouched sentence is the clean counterpart.
"""

from __future__ import annotations

import copy
import re
from itertools import groupby

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.published import PUBLISHED, doc
from yusuan.audit import audit, select_rules
from yusuan.audit.report import Report
from yusuan.audit.rules.text_quality import (
    _MAYBE_RESIDUE,
    _MAYBE_TRUNCATED,
    _RESIDUE,
    _TRUNCATED,
    _garbled,
    _unusual,
)
from yusuan.audit.rules.yoy import _BOTH_WAYS, _MAYBE_BOTH_WAYS
from yusuan.model.document import Document
from yusuan.model.narrative import Paragraph
from yusuan.model.provenance import Loc
from yusuan.readers.pdf import inspect_pdf

SIFAJU = "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf"

# 普陀区司法局 2026 单位预算, 第 6 页, as published.
XINGZHENG = (
    "1、公共安全支出（204类）司法（06款）行政运行（01项）1434.89万元。主要用于：行政单位的基本支出。"
    "2025年当年预算执行数为1690.69万元，2026年预算安排1434.89万元，比2025年预算执行数减少1.10%。"
    "主要原因是：支出减少。"
)
JICENG = (
    "2、公共安全支出（204类）司法（06款）基层司法业务（04项）2170.39万元。主要用于：人民调解、"
    "医患纠纷、社区矫正和安置帮教等工作支出。2025年当年预算执行数为2149.45万元，2026年预算安排"
    "2170.39万元，比2025年预算执行数增加0.97%。主要原因是：业务量增加。"
)
# 西安市行政审批服务局 2025 部门预算 (tests/data/published), 第 7 页.
XIAN = "持续深化“周末不打烊”“我陪群众走流程”“办不成事反映窗口”等服务举措，群众满意度持续提升。"


def _run(paragraphs: list[Paragraph], rules: str, year: int | None = 2026) -> Report:
    """Audit the 司法局 document with its narrative replaced by `paragraphs`."""
    base = doc(SIFAJU)
    variant = copy.copy(base)
    variant.paragraphs = paragraphs
    variant.year = year
    return audit(variant, rules=select_rules([rules]))


def _para(text: str, section: str | None = "explanation", heading: bool = False) -> Paragraph:
    return Paragraph(
        text=text,
        loc=Loc(page=6, bbox=(50.0, 100.0, 500.0, 160.0)),
        section=section,
        heading=heading,
    )


def _messages(report: Report, rule: str) -> list[str]:
    return [f.message for f in report.findings if f.rule == rule]


def test_the_published_sample_raises_no_text_quality_finding_but_its_own() -> None:
    """On the real document the W rules say nothing (its defects are Y406/Y407/C705's)."""
    report = audit(doc(SIFAJU), rules=select_rules(["W"]))
    assert report.findings == ()
    assert report.summary.checks >= 2  # blank pages and years were checked and passed


def test_truncated_sentence() -> None:
    cut = JICENG.replace("人民调解、医患纠纷、社区矫正和安置帮教等工作支出", "")
    bad = _messages(_run([_para(cut)], "W001"), "W001")
    assert len(bad) == 1 and "主要用于：。" in bad[0]
    assert _messages(_run([_para(JICENG)], "W001"), "W001") == []


def test_truncated_reason_is_left_to_y407() -> None:
    # The real sentence of p21: Y407 reports it; W001 must not report it twice.
    text = "（二）公务用车购置及运行费9.98万元，与2025年预算数持平，主要原因是。"
    assert _messages(_run([_para(text)], "W001"), "W001") == []
    assert len(_messages(_run([_para(text)], "Y407"), "Y407")) == 1


@pytest.mark.parametrize(
    ("residue", "where"),
    [("XX", "人民调解"), ("【待补充】", "业务量增加"), ("××", "2170.39")],
)
def test_template_residue(residue: str, where: str) -> None:
    assert where in JICENG
    bad = _messages(_run([_para(JICENG.replace(where, residue, 1))], "W002"), "W002")
    assert len(bad) == 1 and residue in bad[0]
    assert _messages(_run([_para(JICENG)], "W002"), "W002") == []


def test_document_numbers_in_square_brackets_are_not_residue() -> None:
    # 普陀区万里街道 2025 部门预算, 第 31 页: 【2016】 is part of a document number.
    text = (
        "根据沪府规【2016】168号文关于同意《上海市普陀区控制性详细规划》的批复，建设社区服务设施。"
    )
    assert _messages(_run([_para(text)], "W002"), "W002") == []


def test_blank_page_on_the_real_pdf() -> None:
    """普陀区财政局 2024 决算 prints nothing but an empty table row frame on page 14."""
    juesuan = inspect_pdf(PUBLISHED / "2024_shanghai-putuo_caizhengju_juesuan.pdf")
    assert juesuan.blank_pages == (14,)
    assert inspect_pdf(PUBLISHED / SIFAJU).blank_pages == ()
    base = doc(SIFAJU)
    variant = copy.copy(base)
    variant.source = copy.copy(base.source)
    object.__setattr__(variant.source, "blank_pages", juesuan.blank_pages)
    report = audit(variant, rules=select_rules(["W003"]))
    assert [(f.rule, f.location.page) for f in report.findings] == [("W003", 14)]
    assert audit(base, rules=select_rules(["W003"])).findings == ()


def test_garbled_text() -> None:
    mojibake = (
        "主要职能："
        + "普陀区司法局".encode().decode("gbk", errors="replace")
        + "负责全区司法行政工作。"
    )
    bad = _messages(_run([_para(mojibake)], "W004"), "W004")
    assert len(bad) == 1 and "疑似乱码" in bad[0]
    private = JICENG.replace("人民调解", "人民\ue5e5调解")
    assert len(_messages(_run([_para(private)], "W004"), "W004")) == 1
    kunkao = JICENG.replace("医患纠纷", "锟斤拷锟斤拷")
    assert "锟斤拷" in _messages(_run([_para(kunkao)], "W004"), "W004")[0]
    clean = "主要职能：普陀区司法局负责全区司法行政工作。"
    assert _messages(_run([_para(clean), _para(JICENG)], "W004"), "W004") == []


def test_rare_place_names_are_not_garbled() -> None:
    # 西安 2021 民政局: two uncommon characters together (塬, 殡) are a real name.
    text = "将市殡仪馆和市奉正塬殡仪馆住房公积金纳入社会保障，确保按时足额发放。"
    assert _messages(_run([_para(text)], "W004"), "W004") == []


def _garbled_by_definition(text: str) -> list[str]:
    """W004's finding spelled out character by character (what `_garbled` computes faster)."""
    found = [
        m.group()
        for m in re.finditer(
            r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]|[\u00c0-\u00ff]{2,}"
            r"|(?:锟斤拷)+|烫{3,}|屯{3,}",
            text,
        )
    ]
    runs = ("".join(chars) for unusual, chars in groupby(text, _unusual) if unusual)
    return found + [run for run in runs if len(run) >= 3]


def test_garbled_text_whatever_was_read_before() -> None:
    # The characters of a GBK misreading met first one at a time (a real name: 暨), then
    # in a run, then mixed with common characters already seen.
    mojibake = "普陀区司法局".encode().decode("gbk", errors="replace")
    for text in ("暨南大学", JICENG, mojibake[:2], mojibake, JICENG + mojibake, "暨" + mojibake):
        assert _garbled(text) == _garbled_by_definition(text)
    assert _garbled(mojibake)


# Common and uncommon Chinese characters, mojibake's Latin-1, the GBK classics, punctuation.
_MIXED = st.text(
    st.sampled_from(
        list("主要职能负责司法行政暨塬殡鍗曚綅璐熻矗锟斤拷烫屯ÃÀ©é\ufffd\ue5e5 ，。1a\U00020001")
    )
    | st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF),
    max_size=40,
)


@given(st.lists(_MIXED, max_size=6))
def test_garbled_is_its_definition(texts: list[str]) -> None:
    for text in texts:
        assert _garbled(text) == _garbled_by_definition(text)


_RULE_WORDS = [
    "原因是",
    "原因为",
    "主要原因为",
    "用于",
    "包括",
    "如下",
    "主要是",
    "具体为",
    "主要有",
]
_RULE_WORDS += ["分别是", " ", "：", ":", "。", "；", ";", "X", "x", "×", "*", "＊", "【", "】"]
_RULE_WORDS += ["待补充", "待", "填", "名称", "此处填写", "请填写", "A", "中文"]


@given(st.lists(st.sampled_from(_RULE_WORDS), max_size=16).map("".join))
def test_quick_tests_never_pass_over_a_hit(text: str) -> None:
    """W001 and W002 skip a paragraph by a quick test of characters their patterns need."""
    if _TRUNCATED.search(text):
        assert _MAYBE_TRUNCATED.search(text)
    if _RESIDUE.search(text):
        assert _MAYBE_RESIDUE.search(text)


_DIRECTIONS = ["增加", "增长", "上升", "提高", "减少", "下降", "降低", "（", "(", "/", "／", "、"]
_DIRECTIONS += ["）", ")", " ", "中", "加", "少"]


@given(st.lists(st.sampled_from(_DIRECTIONS), max_size=8).map("".join))
def test_both_ways_quick_test_never_passes_over_a_hit(text: str) -> None:
    """Y406 skips a paragraph without a direction word's last character before a mark."""
    if _BOTH_WAYS.search(text):
        assert _MAYBE_BOTH_WAYS.search(text)


def test_unbalanced_quotation_marks() -> None:
    stray = XIAN.replace("“我陪群众走流程”", "“我陪群众走流程")
    bad = _messages(_run([_para(stray)], "W005"), "W005")
    assert len(bad) == 1 and "引号左 3 个、右 2 个" in bad[0]
    bracket = XINGZHENG.replace("（06款）", "（06款")
    assert len(_messages(_run([_para(bracket)], "W005"), "W005")) == 1
    assert _messages(_run([_para(XIAN), _para(XINGZHENG)], "W005"), "W005") == []


def test_a_paragraph_cut_by_the_reader_is_not_judged_unbalanced() -> None:
    # 北京 应急局 p142: the reader's paragraph stops mid-sentence, before the bracket closes.
    cut = "主要开展：一是6辆应急移动指挥车（大曼、考斯特、宇通1、宇通2、路"
    assert _messages(_run([_para(cut)], "W005"), "W005") == []


def test_missing_full_stop() -> None:
    unfinished = XINGZHENG.removesuffix("。")
    paragraphs = [_para(unfinished), _para(JICENG)]
    bad = _messages(_run(paragraphs, "W006"), "W006")
    assert len(bad) == 1 and "支出减少" in bad[0]
    assert _messages(_run([_para(XINGZHENG), _para(JICENG)], "W006"), "W006") == []


def test_missing_full_stop_waits_for_a_continuation() -> None:
    # 烟台 审计局 p27: a paragraph split by the reader goes on in the next one.
    first = "1.收入预算增加118.76万元。其中一般公共预算收入增加83.76万元，其他收入增加"
    paragraphs = [_para(first), _para("35万元。")]
    assert _messages(_run(paragraphs, "W006"), "W006") == []


def test_year_mismatch() -> None:
    wrong = JICENG.replace("比2025年预算执行数", "比2024年预算执行数")
    bad = _messages(_run([_para(wrong)], "W007"), "W007")
    assert len(bad) == 1 and "2024" in bad[0]
    heading = _para("2025年单位预算编制说明", heading=True)
    assert len(_messages(_run([heading], "W007"), "W007")) == 1
    clean = [_para(JICENG), _para("2026年单位预算编制说明", heading=True)]
    assert _messages(_run(clean, "W007"), "W007") == []


def test_year_mismatch_needs_the_documents_year() -> None:
    wrong = JICENG.replace("比2025年预算执行数", "比2024年预算执行数")
    assert _messages(_run([_para(wrong)], "W007", year=None), "W007") == []


def test_the_bundled_text_sample_raises_none_of_them(sample_doc: Document) -> None:
    """The 新疆 sample (text input) is clean as well."""
    report = audit(sample_doc, rules=select_rules(["W"]))
    assert report.findings == ()
