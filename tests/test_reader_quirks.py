"""One test per quirk of converted text, each on a small snippet shaped like the real thing."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import yusuan
from yusuan.errors import InputError
from yusuan.model.tables import RowKind, Table
from yusuan.money import Unit
from yusuan.profiles import load_profile
from yusuan.profiles.schema import TableSpec
from yusuan.readers.assemble.figures import (
    _FIGURE,
    _FULLWIDTH_GROUPS,
    _MAYBE_FULLWIDTH_GROUPS,
)
from yusuan.readers.assemble.narrative import _SEGMENT_MARKS, Segment, _split, split_clauses
from yusuan.readers.assemble.tables import type_table
from yusuan.readers.decode import decode_text
from yusuan.readers.markdown import text_to_raw

PROFILE = load_profile("xinjiang-2024")


def typed(text: str, key: str) -> Table:
    raw = text_to_raw(text)
    assert len(raw.tables) == 1, [t.title for t in raw.tables]
    spec = PROFILE.table(key)
    assert spec is not None
    return type_table(raw.tables[0], spec, Unit.WAN)


T3_HEAD = """表 3

## 部门支出总体情况表

编制部门：自治区人力资源和社会保障厅

单位：万元

科目\t\t\t支出预算\t\t
功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出
类\t款\t项\t\t\t\t
※\t※\t※\t※\t1\t2\t3
"""


def test_tab_separated_rows_with_split_codes() -> None:
    text = T3_HEAD + (
        "\t\t\t<b>总计</b>\t<b>4,751.82</b>\t<b>4,746.82</b>\t<b>5.00</b>\n"
        "<b>208</b>\t\t\t<b>社会保障和就业支出</b>\t<b>4,751.82</b>\t<b>4,746.82</b>\t<b>5.00</b>\n"
        "<b>208</b>\t<b>01</b>\t\t<b>人力资源和社会保障管理事务</b>\t<b>4,751.82</b>\t<b>4,746.82</b>\t<b>5.00</b>\n"
        "208\t01\t01\t行政运行\t4,746.82\t4,746.82\t\n"
        "208\t01\t04\t综合业务管理\t5.00\t\t5.00\n"
    )
    table = typed(text, "T3")
    assert table.unit is Unit.WAN
    assert [(r.kind, r.code, r.level) for r in table.rows] == [
        (RowKind.TOTAL, None, None),
        (RowKind.CODE, "208", 1),
        (RowKind.CODE, "20801", 2),
        (RowKind.CODE, "2080101", 3),
        (RowKind.CODE, "2080104", 3),
    ]
    row = table.rows[3]
    assert row.label == "行政运行" and row.loc.lines == (16,)
    assert row.value("total") == Decimal("4746.82") and row.cell("project").value is None  # type: ignore[union-attr]
    assert table.rows[0].bold and not row.bold


def test_whole_codes_read_like_split_codes() -> None:
    split = T3_HEAD + "208\t01\t01\t行政运行\t4,746.82\t4,746.82\t\n"
    whole = (
        T3_HEAD.replace("类\t款\t项\t\t\t\t\n", "")
        + "2080101\t\t\t行政运行\t4,746.82\t4,746.82\t\n"
    )
    a, b = typed(split, "T3"), typed(whole, "T3")
    assert [(r.code, r.label, r.value("total")) for r in a.rows] == [
        (r.code, r.label, r.value("total")) for r in b.rows
    ]
    assert a.rows[0].code == "2080101"


def test_html_table_markup_with_merged_cells() -> None:
    text = (
        "表 3\n\n## 部门支出总体情况表\n\n单位：万元\n\n"
        "<table>\n"
        '<tr><td colspan="4">科目</td><td colspan="3">支出预算</td></tr>\n'
        '<tr><td colspan="3">功能分类科目编码</td><td rowspan="2">功能分类科目名称</td>'
        '<td rowspan="2">合计</td><td rowspan="2">基本支出</td><td rowspan="2">项目支出</td></tr>\n'
        "<tr><td>类</td><td>款</td><td>项</td></tr>\n"
        "<tr><td>※</td><td>※</td><td>※</td><td>※</td><td>1</td><td>2</td><td>3</td></tr>\n"
        "<tr><td></td><td></td><td></td><td><b>总计</b></td><td><b>4,746.82</b></td>"
        "<td><b>4,746.82</b></td><td></td></tr>\n"
        "<tr><td>208</td><td>01</td><td>01</td><td><p>行政运行</p></td><td>4,746.82</td>"
        "<td>4,746.82</td><td></td></tr>\n"
        "</table>\n"
    )
    table = typed(text, "T3")
    assert table.readable, table.problems
    assert [(r.kind, r.code, r.label) for r in table.rows] == [
        (RowKind.TOTAL, None, "总计"),
        (RowKind.CODE, "2080101", "行政运行"),
    ]
    assert table.rows[0].bold
    assert table.rows[1].loc.lines == (13,)  # the line of its <tr>


def test_markup_inside_cells_is_removed_and_bold_kept() -> None:
    text = (
        T3_HEAD + "<b>208</b>\t\t\t<p><b>社会保障和就业支出</b></p>\t<b>1.00</b>\t<b>1.00</b>\t\n"
    )
    row = typed(text, "T3").rows[0]
    assert row.label == "社会保障和就业支出" and row.bold and row.code == "208"


def test_table_continued_over_pages_with_repeated_header() -> None:
    page2 = T3_HEAD.split("编制部门", 1)[1]
    text = (
        T3_HEAD
        + "208\t01\t01\t行政运行\t4,746.82\t4,746.82\t\n\n\n"
        + "编制部门"
        + page2
        + "208\t01\t04\t综合业务管理\t5.00\t\t5.00\n"
    )
    raw = text_to_raw(text)
    assert len(raw.tables) == 1
    table = typed(text, "T3")
    assert [r.code for r in table.rows] == ["2080101", "2080104"]
    assert len(raw.tables[0].pieces) == 2


def test_economic_code_and_name_in_one_cell() -> None:
    text = (
        "表 6\n\n## 一般公共预算基本支出情况表\n\n单位：万元\n\n"
        "科目\t\t一般公共预算基本支出\t\t\n"
        "经济分类科目编码\t经济分类科目名称\t合计\t人员经费\t公用经费\n"
        "类\t款\t\t\t\n"
        "※\t※\t※\t1\t2\n"
        "\t\t※\t3\t\n"
        "<b>301</b>\t<b>工资福利支出</b>\t<b>4,272.22</b>\t<b>4,272.22</b>\t\n"
        "301\t01 基本工资\t4,272.22\t4,272.22\t\n"
    )
    table = typed(text, "T6")
    assert table.readable, table.problems  # the numbering split over two rows still says 3
    assert [(r.code, r.level, r.label) for r in table.rows] == [
        ("301", 1, "工资福利支出"),
        ("30101", 2, "基本工资"),
    ]


T7_HEAD = (
    "科目编码\t\t\t功能分类科目名称\t项目名称\t项目支出合计\t工资福利支出\t商品服务支出\t"
    "对个人和家庭的补助\t债务利息及费用支出\t资本性支出(基本建设)\t资本性支出\t"
    "对企业补助(基本建设)\t对企业补助\t对社会保障基金补助\t其他支出\n"
    "类\t款\t项" + "\t" * 13 + "\n"
    "※\t※\t※\t※\t※\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\n"
)


def test_name_wrapped_onto_the_next_page() -> None:
    empty = "\t" * 11
    text = (
        "表 7\n\n## 一般公共预算项目支出情况表\n\n编制部门：某厅\n\n单位：万元\n\n"
        + T7_HEAD
        + "\t\t\t<b>新疆维吾尔自治区人力资源和社会 保障厅本级</b>\t\t<b>1,100.00</b>\t\t<b>1,100.00</b>"
        + "\t" * 8
        + "\n"
        + "208\t01\t08\t信息化建设\t自治区社会保障信息化建设和管理\t1,100.00\t\t1,100.00"
        + "\t" * 8
        + "\n\n编制部门：某厅\n\n单位：万元\n\n"
        + T7_HEAD
        + "\t\t\t\t维护项目"
        + empty
        + "\n"
    )
    table = typed(text, "T7")
    unit, project = table.rows
    assert unit.kind is RowKind.UNIT
    assert unit.label == "新疆维吾尔自治区人力资源和社会保障厅本级"  # the space of the wrap removed
    assert project.kind is RowKind.PROJECT and project.code == "2080108"
    assert project.project == "自治区社会保障信息化建设和管理维护项目"
    assert project.unit_name == unit.label
    assert len(project.loc.lines) == 2  # both printed lines of the name


def test_empty_table_followed_by_its_statement() -> None:
    text = (
        "表 8\n\n## 政府性基金预算支出情况表\n\n单位：万元\n\n"
        "科目\t\t\t政府性基金预算支出\t\t\t\t\n"
        "功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t\t项目支出\n"
        "类\t款\t项\t\t\t人员经费\t公用经费\t\n"
        "※\t※\t※\t※\t1\t2\t3\t4\n\n"
        "某厅 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。\n"
    )
    raw = text_to_raw(text)
    assert raw.tables[0].notes and "为空表" in raw.tables[0].notes[0].text
    assert not raw.paragraphs or all("为空表" not in p.text for p in raw.paragraphs)
    table = typed(text, "T8")
    assert table.rows == [] and table.is_empty and table.readable


def test_thousands_separators_exact_and_malformed_flagged() -> None:
    text = T3_HEAD + "208\t01\t01\t行政运行\t1,234,567.89\t1,2345.67\t1,222,222.22\n"
    row = typed(text, "T3").rows[0]
    assert row.value("total") == Decimal("1234567.89")
    basic = row.cell("basic")
    assert basic is not None and basic.malformed and basic.value == Decimal("12345.67")
    assert not row.cell("total").malformed  # type: ignore[union-attr]


def test_pipe_tables() -> None:
    text = T3_HEAD.split("科目\t")[0] + (
        "| 功能分类科目编码 | | | 功能分类科目名称 | 合计 | 基本支出 | 项目支出 |\n"
        "|---|---|---|---|---|---|---|\n"
        "| ※ | ※ | ※ | ※ | 1 | 2 | 3 |\n"
        "| 208 | 01 | 01 | 行政运行 | 4,746.82 | 4,746.82 | |\n"
    )
    table = typed(text, "T3")
    assert [(r.code, r.value("basic")) for r in table.rows] == [("2080101", Decimal("4746.82"))]


def test_paragraph_cut_by_a_page_break_is_joined() -> None:
    raw = text_to_raw(
        "(七)会同有关部门指导事业单位人事制度改革，拟订事业单位人员和机关\n\n"
        "工勤人员管理政策，参与人才管理工作。\n\n(八)会同有关部门拟订表彰奖励制度。\n"
    )
    first, second = raw.paragraphs
    assert first.text.endswith("拟订事业单位人员和机关工勤人员管理政策，参与人才管理工作。")
    assert first.loc.lines == (1, 3)
    assert first.loc_at(
        len("(七)会同有关部门指导事业单位人事制度改革，拟订事业单位人员和机关") + 1
    ).lines == (3,)
    assert second.text.startswith("(八)")


SAMPLE = "部门收支总体情况表\t合计 58,654.04 万元\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
    ],
)
def test_encodings_detected(data: bytes, encoding: str) -> None:
    text, found = decode_text(data)
    assert text == SAMPLE and found == encoding


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "空文件"),
        (b"  \n\n ", "空文件"),
        (b"\x00\x01\x02PK\x00\x00binary", "二进制"),
        (b"text \xff\xff\xff end", "编码无法识别"),
    ],
)
def test_undecodable_input_is_refused_clearly(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as info:
        decode_text(data, "x.md")
    assert words in info.value.message and "\n" not in info.value.message


def _spec(**data: object) -> TableSpec:
    return TableSpec.model_validate(data)


def test_kuan_code_printed_alone_is_completed_from_the_row_above() -> None:
    # 长沙 2025: 款 rows print only the 款 code (`| 02 | | 公安`), and 项 rows their full code.
    spec = _spec(
        key="X",
        title="一般公共预算支出情况表",
        layout="coded",
        classification="function",
        columns=[{"key": "total", "label": "总计"}, {"key": "basic", "label": "基本支出"}],
    )
    text = (
        "一般公共预算支出情况表\n\n单位：万元\n\n科目编码\t\t\t功能科目\t总计\t基本支出\n"
        "\t\t\t合计\t10.00\t10.00\n"
        "204\t\t\t公共安全支出\t10.00\t10.00\n"
        "\t02\t\t公安\t10.00\t10.00\n"
        "204\t02\t01\t行政运行\t10.00\t10.00\n"
    )
    raw = text_to_raw(text)
    table = type_table(raw.tables[0], spec, Unit.WAN)
    assert [(r.code, r.level, r.label) for r in table.rows[1:]] == [
        ("204", 1, "公共安全支出"),
        ("20402", 2, "公安"),
        ("2040201", 3, "行政运行"),
    ]


def test_codes_joined_to_names_by_a_hyphen() -> None:
    # 北京 2026 prints `2010301-行政运行` and `30101-基本工资` in one cell.
    spec = _spec(
        key="X",
        title="一般公共预算基本支出表",
        layout="coded",
        classification="economic",
        columns=[{"key": "total", "label": "合计"}],
    )
    text = "一般公共预算基本支出表\n\n部门支出经济分类科目\t合计\n30101-基本工资\t96,722.180672\n"
    row = type_table(text_to_raw(text).tables[0], spec, Unit.WAN).rows[0]
    assert (row.code, row.label, row.value("total")) == (
        "30101",
        "基本工资",
        Decimal("96722.180672"),
    )


def test_side_by_side_panels_with_row_numbers() -> None:
    # 中央 公开01表: 项目 | 行次 | 金额 ‖ 项目 | 行次 | 金额, 行次 kept as text, not summed.
    panel = {
        "label_columns": 1,
        "columns": [
            {"key": "line", "label": "行次", "kind": "index"},
            {"key": "amount", "label": "金额"},
        ],
    }
    spec = _spec(
        key="X",
        title="收入支出决算总表",
        layout="panels",
        panels=[
            {
                "key": "income",
                "label": "收入",
                **panel,
                "items": [
                    {"key": "fin", "label": "一般公共预算财政拨款收入"},
                    {"key": "total", "label": "本年收入合计", "total": True},
                ],
            },
            {
                "key": "expense",
                "label": "支出",
                **panel,
                "items": [
                    {"key": "gps", "label": "一般公共服务支出"},
                    {"key": "etotal", "label": "本年支出合计", "total": True},
                ],
            },
        ],
    )
    text = (
        "收入支出决算总表\n\n金额单位：万元\n\n项目\t行次\t金额\t项目\t行次\t金额\n"
        "栏次\t\t1\t栏次\t\t2\n"
        "一般公共预算财政拨款收入\t1\t27,593.82\t一般公共服务支出\t32\t25,117.33\n"
        "本年收入合计\t27\t27,593.82\t本年支出合计\t58\t25,117.33\n"
    )
    table = type_table(text_to_raw(text).tables[0], spec, Unit.WAN)
    assert table.readable, table.problems
    fin = table.item("fin")
    assert (
        fin is not None
        and fin.texts == {"line": "1"}
        and fin.value("amount") == Decimal("27593.82")
    )
    assert [c.key for c in table.columns] == ["amount", "amount"]  # 行次 is not an amount column
    assert table.item("etotal").value("amount") == Decimal("25117.33")  # type: ignore[union-attr]


def test_unit_row_named_as_the_overview_lists_it(sample_text: str) -> None:
    """表11 (grouped-items) knows a unit row without a unit word (厅, 中心, 本级 …) by the
    部门概况's list of units: a name the overview lists is a unit, the same name unlisted is a
    project. The template's fit is judged before the overview is read, so this holds only
    if the table is typed with the overview's names."""
    name = "新疆维吾尔自治区人力资源和社会保障厅本级"
    renamed = sample_text.replace(name, "自治区人社综合保障")
    listed = yusuan.read_text(renamed, path="sample.md")
    assert listed.profile == "xinjiang-2024"
    kinds = [(r.kind, r.label) for r in listed.tables["T11"].rows]
    assert kinds[1] == (RowKind.UNIT, "自治区人社综合保障")
    unlisted = yusuan.read_text(renamed.replace("- 1、自治区人社综合保障\n", "", 1), path="s.md")
    assert unlisted.profile == "xinjiang-2024"
    kinds = [(r.kind, r.label) for r in unlisted.tables["T11"].rows]
    assert kinds[1] == (RowKind.PROJECT, "自治区人社综合保障")


# A figure as first written: a number not glued to a word or another number, then its unit.
_FIGURE_DEFINITION = re.compile(
    r"(?<![0-9A-Za-z.,])(?P<num>[-−]?\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<unit>万元|亿元|元(?![/／])|万(?=[，。、；,;）)\s]|$)|[%％]|人次|人|家|个|辆|台|平方米|名|项|次|场)"
)
_NARRATIVE_CHARS = list("0123456789-−,.．aZ 万元亿%％人次家个辆台平方米名项场，。、；,;）)/／\n中")


@given(st.lists(st.sampled_from(_NARRATIVE_CHARS), max_size=24).map("".join))
def test_figures_are_found_as_defined(text: str) -> None:
    """The figure pattern is written for speed (its look-behind after the first digit); it
    finds what the plain definition finds, at the same places."""

    def found(rx: re.Pattern[str]) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
        return [(m.span(), m.span("num"), m.group("unit")) for m in rx.finditer(text)]

    assert found(_FIGURE) == found(_FIGURE_DEFINITION)


def test_figures_of_the_sample_narrative_are_found_as_defined(sample_text: str) -> None:
    for line in sample_text.splitlines():
        spans = [(m.span(), m.group("unit")) for m in _FIGURE.finditer(line)]
        assert spans == [(m.span(), m.group("unit")) for m in _FIGURE_DEFINITION.finditer(line)]


_GROUPED = [
    "1",
    "12",
    "123",
    "，100",
    "，0",
    "，",
    ",",
    ".00",
    "．5",
    "万元",
    "亿元",
    "元",
    " ",
    "中",
]


@given(st.lists(st.sampled_from(_GROUPED), max_size=10).map("".join))
@example("一般公共预算拨款收入1，100.00万元")
@example("12，345，678元，1，2345元")
def test_fullwidth_groups_quick_test_never_passes_over_one(text: str) -> None:
    """`1，100.00万元` (full-width digit groups) is looked for only where `d，ddd` is printed."""
    if _FULLWIDTH_GROUPS.search(text):
        assert _MAYBE_FULLWIDTH_GROUPS.search(text)


def _split_by_definition(text: str, base: int, is_sep: Callable[[str, str], bool]) -> list[Segment]:
    """Clauses and segments as first written: every bracket, sentence end and comma looked at,
    a separator cutting only outside brackets."""
    out, depth, start = [], 0, 0
    for m in re.finditer(r"[。；;！？!?，,（(《〈“\[【）)》〉”\]】]", text):
        i, ch = m.start(), m.group()
        if ch in "（(《〈“[【":
            depth += 1
        elif ch in "）)》〉”]】" and depth > 0:
            depth -= 1
        elif depth == 0 and is_sep(ch, text[i + 1] if i + 1 < len(text) else ""):
            out.append(Segment(text[start:i], base + start))
            start = i + 1
    if start < len(text):
        out.append(Segment(text[start:], base + start))
    return out


_CLAUSE_CHARS = [*"。；;！？!?，,（(《〈“[【）)》〉”]】1", "2,000", "中文", "其中：", "包括"]


@given(st.lists(st.sampled_from(_CLAUSE_CHARS), max_size=20).map("".join))
def test_clauses_and_segments_are_cut_as_defined(text: str) -> None:
    clauses = split_clauses(text)
    assert clauses == _split_by_definition(text, 0, lambda ch, nxt: ch in "。；;！？!?")
    for clause in clauses:
        assert _split(clause.text, clause.start, _SEGMENT_MARKS, True) == _split_by_definition(
            clause.text,
            clause.start,
            lambda ch, nxt: ch == "，" or (ch == "," and not nxt.isdigit()),
        )
