"""Where the PDF reader ends a paragraph, and what it attaches to a table, on real pages.

Each case is a few pages of a real disclosure (tests/data/corpus/, SOURCES.md there) or of the
PDF yusuan renders from the published 新疆 sample (tests/data/built/, README.md there), kept
because the reading went wrong on them:

- a page of one-line paragraphs, each indented, never shows its margins: its left margin is
  the indent and its longest line is its right margin, so no line looked indented or short
  and the whole page ran into one paragraph;
- a page that opens at the margin continues the paragraph the previous page ended, in a
  document that indents its paragraphs, even when the last line ended a sentence;
- a line hanging into the right margin (`…事业运行（项）：`) is no measure of it;
- a line that the next line's first word (`《印`) would not have fitted on was full;
- the statement printed under an empty table (`…为空表。`, `（注：…没有使用…的支出。）`) is
  the table's note;
- `（一）项目名称：…` in body type is a field of a list, not a heading;
- two left-aligned lines are no centred heading and its wrapped rest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import yusuan
from yusuan.readers.assemble.narrative import find_counted
from yusuan.readers.assemble.performance import raw_to_performances
from yusuan.readers.ir import RawDocument, RawParagraph, RawTable
from yusuan.readers.markdown import text_to_raw
from yusuan.readers.pdf.reader import read_pdf_raw

DATA = Path(__file__).parent / "data"
BUILT = DATA / "built" / "xinjiang_2024_pdf_p14_21_23-25_27.pdf"


@pytest.fixture(scope="module")
def built() -> RawDocument:
    return read_pdf_raw(BUILT)


def _read(name: str) -> RawDocument:
    return read_pdf_raw(DATA / "corpus" / name)


def _texts(raw: RawDocument) -> list[str]:
    return [p.text for p in raw.paragraphs]


def _starting(raw: RawDocument, prefix: str) -> RawParagraph:
    found = [p for p in raw.paragraphs if p.text.startswith(prefix)]
    assert len(found) == 1, (prefix, [p.text[:40] for p in found])
    return found[0]


def test_indented_one_line_paragraphs_take_the_margin_of_the_page_before() -> None:
    # 苏州市数据局 p32: `…合计64,090.74万元，其中：` then one indented line per 支出 kind;
    # the first line is the page's longest, so it looked full and took the next one in.
    texts = _texts(_read("text/suzhou_2026_shujuju_p30-32.pdf"))
    start = texts.index("苏州市数据局2026年支出预算合计64,090.74万元，其中：")
    assert texts[start + 1 : start + 3] == [
        "基本支出6,895.74万元，占10.76%；",
        "项目支出57,195万元，占89.24%；",
    ]


def test_a_project_page_reads_one_field_per_paragraph(built: RawDocument) -> None:
    texts = _texts(built)
    start = texts.index("（二）项目名称：特定目标6010092A")
    assert texts[start : start + 5] == [
        "（二）项目名称：特定目标6010092A",
        "设立的政策依据：完全不予公开。",
        "预算安排规模：41.04万元",
        "项目承担单位：新疆维吾尔自治区人力资源和社会保障厅本级",
        "资金分配情况：完全不予公开。",
    ]
    assert all(p.heading_level is None for p in built.paragraphs if "项目名称：" in p.text)


def test_a_page_opening_at_the_margin_continues_the_paragraph() -> None:
    # 西安市民政局 2021 p33–34: the page ends on `…120台（套）。` at the right margin and the
    # next opens unindented with `2021年当年部门预算安排购置车辆7辆…`: one paragraph.
    raw = _read("text/xian_2021_minzhengju_p32-34.pdf")
    para = _starting(raw, "截止2020年底，本部门所属预算单位共有车辆93辆")
    assert "（套）。2021年当年部门预算安排购置车辆7辆；" in para.text
    assert {loc.page for _, loc in para.segments} == {2, 3}
    assert not any(t.startswith("2021年当年部门预算安排购置车辆") for t in _texts(raw))


def test_a_line_hanging_into_the_margin_does_not_move_it(built: RawDocument) -> None:
    # `…事业运行（项）：` hangs its colon past the margin; measured by it, the line
    # `…下降9.09%。` looked short and ended its paragraph.
    para = _starting(
        built, "10、社会保障和就业支出（类）人力资源和社会保障管理事务（款）信息化建设"
    )
    assert para.text.endswith("下降9.09%。主要原因是本年度根据工作安排减少该项目资金预算安排。")


def test_a_line_the_next_word_did_not_fit_on_was_full(built: RawDocument) -> None:
    # `…调查统计制度》；` ends 1.6 characters short: `《印` cannot be split.
    para = _starting(built, "设立的政策依据：财政部、人社部《关于调整博士后日常经费标准的通知》")
    assert "《自治区急需紧缺人才需求信息调查统计制度》；《印发〈关于进一步加强" in para.text


def test_the_statement_under_an_empty_table_is_its_note(built: RawDocument) -> None:
    table = built.tables[0]
    assert (table.label, table.title) == ("表8", "政府性基金预算支出情况表")
    assert [n.text for n in table.notes] == [
        "自治区人力资源和社会保障厅2024年没有使用政府性基金预算拨款安排的支出，"
        "政府性基金预算支出情况表为空表。"
    ]
    assert not any("为空表" in t for t in _texts(built))


def test_a_bracketed_note_under_an_empty_table_is_its_note() -> None:
    # 烟台市大数据局 公开表8/9: `（注：2026年没有使用…的支出。）` under the empty grid.
    doc = yusuan.read(DATA / "corpus" / "yantai_2026_dashujuju_p19-20.pdf")
    tables = [*doc.tables.values(), *doc.extra_tables]
    assert [(t.is_empty, [n.text for n in t.notes]) for t in tables] == [
        (True, ["（注：2026年没有使用政府性基金预算拨款安排的支出。）"]),
        (True, ["（注：2026年没有使用国有资本经营预算拨款安排的支出。）"]),
    ]
    assert not any("没有使用" in p.text for p in doc.paragraphs)


def test_a_heading_is_not_run_into_the_paragraph_below() -> None:
    # 深圳市财政局 p10: two left-aligned lines of about the same length were taken for a
    # centred heading and its wrapped rest.
    raw = _read("text/shenzhen_2026_caizhengju_p10.pdf")
    heading = _starting(raw, "二、实施部门预算绩效管理的项目情况及工作要求")
    assert heading.text == "二、实施部门预算绩效管理的项目情况及工作要求"
    assert heading.heading_level == 2
    assert _starting(raw, "2026年深圳市财政局（本级）所有项目支出预算纳入").heading_level is None


# ───────────── what the PDF reader hands the assembler, read the same way ─────────────

SAMPLE = DATA / "2024_xinjiang_hrss_budget.md"


def test_forms_printed_one_after_another_under_one_caption_keep_their_unit_rows() -> None:
    # 新疆 prints each project's 绩效目标表 on its own page, the caption once: the PDF reader
    # continues one table over the pages. Each form opens with its `预算单位` row, which
    # belongs to it, not to the last indicator of the form before.
    raw = text_to_raw(SAMPLE.read_text(encoding="utf-8"))
    forms = [t for t in raw.tables if t.title == "项目支出绩效目标表"]
    separately = [p for t in forms for p in raw_to_performances(t, "project")]
    joined = RawTable(title=forms[0].title, title_loc=forms[0].title_loc)
    joined.body_rows = [row for t in forms for row in (*t.header_rows, *t.body_rows)]
    together = raw_to_performances(joined, "project")
    assert len(together) == len(separately) == 16
    assert [(p.unit_name, p.project) for p in together] == [
        (p.unit_name, p.project) for p in separately
    ]
    assert [[i.level3 for i in p.indicators] for p in together] == [
        [i.level3 for i in p.indicators] for p in separately
    ]
    assert together[0].unit_name == "新疆维吾尔自治区干部疗养院"
    assert together[0].indicators[-1].level3 == "就医人员满意率"


def test_a_counted_label_does_not_keep_the_spaces_around_the_count() -> None:
    # The sample spaces its figures (`部门有 18 个涉密项目`), a PDF prints them without:
    # the label is the same.
    sentence = next(
        line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if "个涉密项目" in line
    )
    assert "有 18 个涉密项目" in sentence
    [(label, *_)] = find_counted(sentence)
    [(unspaced, *_)] = find_counted(sentence.replace(" ", ""))
    assert label == unspaced == "部门有涉密项目"
