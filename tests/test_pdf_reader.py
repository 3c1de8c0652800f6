"""The PDF reader on the published samples (tests/data/published) and on broken input.

Expected tables were checked against each document's table of contents and by looking at
the rendered pages; see docs/research/published-samples.md.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

import yusuan
from yusuan.errors import InputError
from yusuan.fuzz import pdf_bytes
from yusuan.model.provenance import Loc
from yusuan.readers.ir import RawDocument, RawParagraphPlace, RawRow, RawTable, RawTablePlace
from yusuan.readers.pdf import PdfSettings, inspect_pdf, read_pdf_raw
from yusuan.reporters.common import verdict

DATA = Path(__file__).parent / "data" / "published"
SH_JUESUAN = "2024_shanghai-putuo_caizhengju_juesuan.pdf"
CENTRAL = "2024_zhongyang_guojiaxinfangju_juesuan.pdf"
HUNAN = "2025_hunan-changsha_gonganju_yusuan.pdf"
XIAN = "2025_shaanxi-xian_xingzhengshenpi_yusuan.pdf"
WANLI = "2025_shanghai-putuo_wanlijiedao_yusuan.pdf"
BEIJING = "2026_beijing_zhengwufuwu-shujuju_yusuan_baobiao.pdf"
SIFAJU = "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf"
SCANNED = "2026_beijing_zhengwufuwu-shujuju_yusuan_shuoming_scanned.pdf"

# (label, title as printed, first page, last page) — titles keep year prefixes, lose labels.
EXPECTED_TABLES: dict[str, list[tuple[str | None, str, int, int]]] = {
    SH_JUESUAN: [
        (None, "", 5, 5),  # 部门决算单位构成 list inside the narrative
        (None, "收入支出决算总表", 6, 7),
        (None, "收入决算表", 8, 9),
        (None, "支出决算表", 10, 11),
        (None, "财政拨款收入支出决算总表", 12, 14),  # p14 is an empty row on a "blank" page
        (None, "一般公共预算财政拨款支出决算表", 15, 15),
        (None, "一般公共预算财政拨款基本支出决算表", 16, 17),
        (None, "财政拨款“三公”经费支出决算表", 18, 18),
        (None, "政府性基金预算财政拨款收入支出决算表", 19, 19),
        (None, "国有资本经营预算财政拨款收入支出决算表", 20, 20),
    ],
    CENTRAL: [
        ("公开01表", "收入支出决算总表", 7, 7),
        ("公开02表", "收入决算表", 8, 8),
        ("公开03表", "支出决算表", 9, 9),
        ("公开04表", "财政拨款收入支出决算总表", 10, 10),
        ("公开05表", "一般公共预算财政拨款支出决算表", 11, 11),
        ("公开06表", "一般公共预算财政拨款基本支出决算表", 12, 12),
        ("公开07表", "政府性基金预算财政拨款收入支出决算表", 13, 13),
        ("公开08表", "国有资本经营预算财政拨款支出决算表", 14, 14),
        ("公开09表", "一般公共预算财政拨款“三公”经费支出决算表", 15, 15),
        (None, "信访干部培训专项项目绩效自评表", 30, 31),
        (None, "信访研究宣传立法专项项目绩效自评表", 32, 33),
        (None, "资产运行维护项目绩效自评表", 34, 34),
        (None, "信息化运行维护项目绩效自评表", 35, 36),
        ("表1", "项目年度绩效指标表", 46, 46),
        ("表2", "综合评价得分情况表", 48, 48),
    ],
    HUNAN: [
        (None, "2025年部门收支总体情况表", 13, 13),
        (None, "2025年部门收入总体情况表", 14, 14),
        (None, "2025年部门支出总体情况表", 15, 15),
        (None, "2025年财政拨款收支总体情况表", 16, 17),
        (None, "2025年一般公共预算支出情况表", 18, 18),
        (None, "2025年一般公共预算基本支出情况表", 19, 20),
        (None, "2025年一般公共预算“三公”经费支出情况表", 21, 21),
        (None, "2025年政府性基金预算支出情况表", 22, 22),
        (None, "2025年项目支出绩效目标表", 23, 50),
        (None, "2025年部门整体支出绩效目标表", 51, 53),
    ],
    XIAN: [
        (None, "", 8, 8),  # 预算单位构成 list inside the narrative
        (None, "会议费明细表", 15, 16),  # caption at the foot of p15, frame on p16
        (None, "培训费明细表", 16, 16),
        (None, "报表目录", 20, 20),
        ("表1", "部门综合预算收支总表", 21, 21),
        ("表2", "部门综合预算收入总表", 22, 22),
        ("表3", "部门综合预算支出总表", 23, 23),
        ("表4", "部门综合预算财政拨款收支总表", 24, 24),
        ("表5", "部门综合预算一般公共预算支出明细表（按支出功能分类科目）", 25, 25),
        ("表6", "部门综合预算一般公共预算支出明细表（按支出经济分类科目）", 26, 27),
        ("表7", "部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", 28, 28),
        ("表8", "部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）", 29, 29),
        ("表9", "部门综合预算政府性基金收支表", 30, 30),
        ("表10", "部门综合预算专项业务经费支出表", 31, 32),
        ("表11", "部门综合预算财政拨款上年结转资金支出表", 33, 33),
        ("表12", "部门综合预算政府采购（资产配置、购买服务）预算表", 34, 34),
        ("表13", "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", 35, 35),
        ("表14", "部门专项业务经费绩效目标表", 36, 44),
        ("表15", "部门整体支出绩效目标表", 45, 45),
        ("表16", "专项资金总体绩效目标表", 46, 46),
    ],
    WANLI: [
        (None, "2025年部门财务收支预算总表", 9, 9),
        (None, "2025年部门收入预算总表", 10, 13),
        (None, "2025年部门支出预算总表", 14, 18),
        (None, "2025年部门财政拨款收支预算总表", 19, 19),
        (None, "2025年部门一般公共预算支出功能分类预算表", 20, 24),
        (None, "2025年部门政府性基金预算支出功能分类预算表", 25, 25),
        (None, "2025年部门国有资本经营预算支出功能分类预算表", 26, 26),
        (None, "2025年部门一般公共预算基本支出部门预算经济分类预算表", 27, 28),
        (None, "2025年部门“三公”经费和机关运行经费预算表", 29, 29),
    ],
    BEIJING: [
        ("预算01表", "收支总表", 1, 1),
        ("预算02表", "收入总表", 2, 2),
        ("预算03表", "支出总表", 3, 6),
        ("预算04表", "财政拨款收支总表", 7, 7),
        ("预算05表", "一般公共预算支出表", 8, 9),
        ("预算06表", "一般公共预算基本支出表", 10, 12),
        ("预算07表", "政府性基金预算支出表", 13, 13),
        ("预算08表", "国有资本经营预算支出表", 14, 14),
        ("预算09表", "财政拨款“三公”经费支出表", 15, 15),
        ("预算10表", "政府采购预算明细表", 16, 16),
        ("预算11表", "财政拨款政府购买服务明细表", 17, 19),
        ("预算表12", "项目支出绩效目标表", 20, 80),
        ("预算13表", "部门整体支出绩效目标表", 81, 85),
    ],
    SIFAJU: [
        (None, "2026年预算单位财务收支预算总表", 8, 8),
        (None, "2026年预算单位收入预算总表", 9, 10),
        (None, "2026年预算单位支出预算总表", 11, 12),
        (None, "2026年预算单位财政拨款收支预算总表", 13, 13),
        (None, "2026年预算单位一般公共预算支出功能分类预算表", 14, 15),
        (None, "2026年预算单位政府性基金预算支出功能分类预算表", 16, 16),
        (None, "2026年预算单位国有资本经营预算支出功能分类预算表", 17, 17),
        (None, "2026年预算单位一般公共预算基本支出部门预算经济分类预算表", 18, 19),
        (None, "2026年单位“三公”经费和机关运行经费预算表", 20, 20),
    ],
}


@cache
def read(name: str) -> RawDocument:
    return read_pdf_raw(DATA / name)


def table(doc: RawDocument, title: str, label: str | None = None) -> RawTable:
    found = [t for t in doc.tables if t.title == title and (label is None or t.label == label)]
    assert len(found) == 1, f"{title!r}: {len(found)} tables"
    return found[0]


def rows_starting(t: RawTable, *prefix: str) -> list[RawRow]:
    n = len(prefix)
    return [r for r in t.body_rows if tuple(r.texts()[:n]) == prefix]


def row_with(t: RawTable, text: str) -> RawRow:
    found = [r for r in t.body_rows if text in r.texts()]
    assert len(found) == 1, f"{text!r}: {len(found)} rows"
    return found[0]


def pages_of(t: RawTable) -> list[int]:
    return [p.page for p in t.pieces if p.page is not None]


# --- every table, on every sample -----------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_tables_found_match_the_printed_list(name: str) -> None:
    doc = read(name)
    found = []
    for t in doc.tables:
        pages = [t.title_loc.page, *pages_of(t)]
        found.append((t.label, t.title, min(p for p in pages if p), max(p for p in pages if p)))
    assert found == EXPECTED_TABLES[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_every_cell_has_a_page_and_a_box_and_rows_are_aligned(name: str) -> None:
    doc = read(name)
    for t in doc.tables:
        ncols = {len(r.cells) for r in t.header_rows + t.body_rows}
        assert len(ncols) <= 1, t.title
        piece_pages = set(pages_of(t))
        for row in t.header_rows + t.body_rows:
            assert row.loc.page in piece_pages
            for cell in row.cells:
                assert cell.loc.page == row.loc.page and cell.loc.bbox is not None
                x0, top, x1, bottom = cell.loc.bbox
                assert 0 <= x0 < x1 and 0 <= top < bottom
        header_keys = {tuple(r.texts()) for r in t.header_rows}
        repeated = [r for r in t.body_rows if any(r.texts()) and tuple(r.texts()) in header_keys]
        assert not repeated, f"{t.title}: repeated header rows left in the body"


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_reading_order_lists_every_block_once_in_page_order(name: str) -> None:
    doc = read(name)
    tables = [p.table for p in doc.order if isinstance(p, RawTablePlace)]
    paragraphs = [p.paragraph for p in doc.order if isinstance(p, RawParagraphPlace)]
    assert len(tables) + len(paragraphs) == len(doc.order)
    assert sorted(tables) == list(range(len(doc.tables)))
    assert sorted(paragraphs) == list(range(len(doc.paragraphs)))
    pages = [
        (
            doc.tables[p.table].title_loc.page
            if isinstance(p, RawTablePlace)
            else doc.paragraphs[p.paragraph].loc.page
        )
        for p in doc.order
    ]
    assert pages == sorted(pages)
    # Page numbers and running footers are not narrative.
    assert not [p for p in doc.paragraphs if re.fullmatch(r"[\d\s\-—]+", p.text)]


# --- Shanghai 决算 (ONLYOFFICE, one border path per cell side) ---------------------------


def test_shanghai_juesuan_figures_units_and_continuations() -> None:
    doc = read(SH_JUESUAN)
    total = table(doc, "收入支出决算总表")
    assert total.unit_text == "万元" and pages_of(total) == [6, 7]
    assert [r.texts() for r in total.header_rows] == [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
    ]
    (grand,) = rows_starting(total, "总计")
    assert grand.texts() == ["总计", "2,995.39", "总计", "2,995.39"]
    assert grand.loc.page == 7 and grand.cells[1].loc.page == 7
    # A name wrapped onto two printed lines inside its cell is one value.
    income = table(doc, "收入决算表")
    (pension,) = rows_starting(income, "208", "05", "05")
    assert pension.texts()[3:5] == ["机关事业单位基本养老保险缴费支出", "160.75"]
    assert pension.loc.page == 8
    # Continued on p13 without a header, and on p14 (otherwise blank) with one empty row.
    grants = table(doc, "财政拨款收入支出决算总表")
    assert pages_of(grants) == [12, 13, 14]
    assert grants.body_rows[-1].is_blank() and grants.body_rows[-1].loc.page == 14
    (grand,) = rows_starting(grants, "总计")
    assert grand.texts()[:2] == ["总计", "2,961.68"] and grand.loc.page == 13


def test_shanghai_juesuan_headers_spans_and_empty_tables() -> None:
    doc = read(SH_JUESUAN)
    gpb = table(doc, "一般公共预算财政拨款支出决算表")
    assert len(gpb.header_rows) == 4
    assert gpb.header_rows[-1].texts()[:3] == ["类", "款", "项"]
    # A merged header cell: text in its first column, the covered ones empty, same box.
    top = gpb.header_rows[0].cells
    assert top[0].text == "项目" and [c.text for c in top[1:4]] == ["", "", ""]
    assert {c.loc.bbox for c in top[:4]} == {top[0].loc.bbox}
    assert gpb.body_rows[-1].texts()[0] == "合计" and gpb.body_rows[-1].texts()[4] == "2,940.05"
    fund = table(doc, "政府性基金预算财政拨款收入支出决算表")
    assert [n.text for n in fund.notes] == [
        "注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。"
    ]
    assert fund.notes[0].loc.page == 19
    assert (
        all(r.is_blank() for r in fund.body_rows[:-1]) and fund.body_rows[-1].texts()[0] == "合计"
    )


def test_shanghai_juesuan_narrative_with_line_provenance() -> None:
    doc = read(SH_JUESUAN)
    headings = {p.text: p.heading_level for p in doc.paragraphs if p.heading_level}
    assert headings["第三部分上海市普陀区财政局2024年度部门决算情况说明"] == 1  # wrapped heading
    assert headings["一、收入支出决算总体情况说明"] == 2
    assert headings["（一）一般公共预算财政拨款支出决算总体情况"] == 3
    (para,) = [p for p in doc.paragraphs if "收入支出总计2995.39万元" in p.text]
    start = para.text.index("2995.39")
    loc = para.loc_span(start, start + len("2995.39"))
    assert loc.page == 21 and loc.bbox is not None
    assert len(para.segments) == 3  # printed on three lines, one Loc each
    # The figure sits on the first printed line of the paragraph.
    assert loc == para.segments[0][1]


# --- central 决算 (公开01–09表, 行次/栏次) ------------------------------------------------


def test_central_row_and_column_numbers_stay_as_cells() -> None:
    doc = read(CENTRAL)
    t01 = table(doc, "收入支出决算总表", "公开01表")
    assert t01.org == "国家信访局" and t01.unit_text == "万元"
    assert t01.header_rows[-1].texts() == ["栏次", "", "1", "栏次", "", "2"]
    (first,) = rows_starting(t01, "一、一般公共预算财政拨款收入")
    assert first.texts() == [
        "一、一般公共预算财政拨款收入",
        "1",
        "19,572.91",
        "一、一般公共服务支出",
        "32",
        "10,685.56",
    ]
    (grand,) = rows_starting(t01, "总计")
    assert grand.texts() == ["总计", "31", "22,066.59", "总计", "62", "22,066.59"]
    assert grand.cells[0].bold and grand.loc.page == 7
    assert [n.text[:9] for n in t01.notes] == ["注：本表反映部门本"]
    # Whole 7-digit function codes in one column.
    t02 = table(doc, "收入决算表", "公开02表")
    assert row_with(t02, "2080505").texts()[:3] == [
        "2080505",
        "机关事业单位基本养老保险缴费支出",
        "414.34",
    ]
    t06 = table(doc, "一般公共预算财政拨款基本支出决算表", "公开06表")
    assert "对民间非营利组织和群众性自治组织补贴" in row_with(t06, "39908").texts()
    # Two notes under one table: "注：…" then "说明：…".
    t07 = table(doc, "政府性基金预算财政拨款收入支出决算表", "公开07表")
    assert [n.text[:3] for n in t07.notes] == ["注：本", "说明："]


def test_central_form_continued_with_other_columns_and_cross_page_paragraph() -> None:
    doc = read(CENTRAL)
    form = table(doc, "信访干部培训专项项目绩效自评表")
    assert pages_of(form) == [30, 31] and form.header_rows == []
    assert form.body_rows[0].texts()[:3] == ["项目名称", "", "信访干部培训专项"]
    last = form.body_rows[-1]
    assert (
        last.loc.page == 31
        and last.texts()[0] == "总分"
        and [t for t in last.texts() if t.isdigit()] == ["100", "98"]
    )
    (para,) = [p for p in doc.paragraphs if "财政拨款基本支出10234.37万元" in p.text]
    assert {loc.page for _, loc in para.segments} == {23, 24}
    assert para.loc == Loc(page=23)  # a paragraph over two pages has no single box
    assert para.loc_at(para.text.index("7967.72")).page == 24


# --- Hunan (iText, 万元) ------------------------------------------------------------------


def test_hunan_split_codes_overflowing_cells_and_long_continuations() -> None:
    doc = read(HUNAN)
    income = table(doc, "2025年部门收入总体情况表")
    assert income.org == "长沙市公安局" and income.unit_text == "万元"
    assert income.header_rows[-1].texts()[:5] == ["**", "**", "**", "**", "1"]
    assert rows_starting(income, "204", "02", "01")[0].texts()[3:7] == [
        "行政运行",
        "28,398.17",
        "28,398.17",
        "28,398.17",
    ]
    # The printed letter-spacing of "收 入 总 计" is not part of the value.
    grants = table(doc, "2025年财政拨款收支总体情况表")
    assert pages_of(grants) == [16, 17] and grants.body_rows[-1].texts()[:2] == [
        "收入总计",
        "68,632.12",
    ]
    assert [n.text for n in grants.notes] == ["注：本表反映部门财政拨款的总收支情况。"]
    perf = table(doc, "2025年项目支出绩效目标表")
    assert pages_of(perf) == list(range(23, 51)) and len(perf.header_rows) == 2
    # A 绩效目标 printed past the bottom rule of p33 still belongs to its cell.
    assert any(
        "助推我局移动警务进入全国第一方阵。" in c.text for r in perf.body_rows for c in r.cells
    )
    sangong = table(doc, "2025年一般公共预算“三公”经费支出情况表")
    assert row_with(sangong, "106_长沙市公安局").texts()[1] == "458.50"


# --- Xi'an (tables 元, captions above, repeated headers) -----------------------------------


def test_xian_captions_continuations_and_wrapped_names() -> None:
    doc = read(XIAN)
    meetings = table(doc, "会议费明细表")
    assert meetings.title_loc.page == 15 and pages_of(meetings) == [16]
    assert meetings.unit_text == "万元" and meetings.header_rows[0].texts()[:2] == [
        "序号",
        "会议名称",
    ]
    assert row_with(meetings, "观摩会").texts()[4] == "1.00"
    t6 = table(doc, "部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "表6")
    assert t6.unit_text == "元" and pages_of(t6) == [26, 27]
    last = t6.body_rows[-1]
    assert last.loc.page == 27 and last.texts()[:5] == [
        "31007",
        "信息网络及软件购置更新",
        "50306",
        "设备购置",
        "11,815,120.00",
    ]
    t10 = table(doc, "部门综合预算专项业务经费支出表", "表10")
    wrapped = row_with(t10, "西安市政务服务线上线下融合及效能提升项目（业务支撑部分）")
    assert wrapped.texts()[2] == "11,815,120.00" and wrapped.loc.page == 31
    assert row_with(t10, "行政审批和政务服务工作专项业务经费").loc.page == 32
    t14 = table(doc, "部门专项业务经费绩效目标表", "表14")
    assert len(pages_of(t14)) == 9 and t14.header_rows == []  # a form per project, no header
    assert (
        t14.body_rows[0].texts()[0] == "项目名称"
        and "办公区室外绿化项目" in t14.body_rows[0].texts()
    )
    t13 = table(doc, "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", "表13")
    assert len(t13.header_rows) == 4 and t13.body_rows[0].texts()[2] == "695,000.00"


# --- Beijing (Excel export, 6 decimals, merged rows) ---------------------------------------


def test_beijing_six_decimals_empty_tables_and_row_spans() -> None:
    doc = read(BEIJING)
    t01 = table(doc, "收支总表", "预算01表")
    assert t01.unit_text == "万元"
    (grand,) = rows_starting(t01, "收入总计")
    assert grand.texts() == ["收入总计", "101,673.030619", "支出总计", "101,673.030619"]
    assert grand.cells[1].bold
    t07 = table(doc, "政府性基金预算支出表", "预算07表")
    assert t07.body_rows[0].is_blank() and t07.body_rows[1].texts()[1] == "合计"
    t03 = table(doc, "支出总表", "预算03表")
    assert pages_of(t03) == [3, 4, 5, 6] and len(t03.body_rows) == 121
    t12 = table(doc, "项目支出绩效目标表", "预算表12")
    first, second = t12.body_rows[:2]
    assert first.texts()[:2] == [
        "11000022T000000438666-《北京市人民政府公报》制作发行服务",
        "61.221600",
    ]
    # A cell spanning rows: the rows below carry "" with the spanning cell's box.
    assert second.texts()[0] == "" and second.cells[0].loc.bbox == first.cells[0].loc.bbox
    assert second.texts()[5:7] == ["成本指标", "经济成本指标"]


# --- Shanghai 预算 (元; 合计 alone on the last page; the inspected defect) -----------------


def test_shanghai_yusuan_split_codes_and_lonely_total() -> None:
    doc = read(WANLI)
    spend = table(doc, "2025年部门支出预算总表")
    assert pages_of(spend) == [14, 15, 16, 17, 18] and spend.unit_text == "元"
    assert spend.org == "上海市普陀区人民政府万里街道办事处"
    assert (
        rows_starting(spend, "208", "05", "05")[0].texts()[3] == "机关事业单位基本养老保险缴费支出"
    )
    total = spend.body_rows[-1]
    assert total.loc.page == 18
    assert [t for t in total.texts() if t] == ["合计", "189,767,551", "101,341,746", "88,425,805"]
    sangong = table(doc, "2025年部门“三公”经费和机关运行经费预算表")
    assert sangong.unit_text == "万元" and sangong.body_rows[0].texts() == [
        "37.91",
        "0",
        "1.35",
        "36.56",
        "15",
        "21.56",
        "464.64",
    ]


def test_sifaju_row_the_inspector_flagged_is_read_as_printed() -> None:
    doc = read(SIFAJU)
    for title, page in (
        ("2026年预算单位支出预算总表", 11),
        ("2026年预算单位一般公共预算支出功能分类预算表", 14),
    ):
        (row,) = rows_starting(table(doc, title), "204", "06", "01")
        assert row.loc.page == page
        assert row.texts()[3:] == ["行政运行", "14,348,853.34", "14,348,853.34", "64,840,547.00"]


# --- tables printed without rules -------------------------------------------------------


def test_tables_without_rules_are_rebuilt_from_text_alignment() -> None:
    # A real page with its rules removed, as if the table had been printed without borders.
    from yusuan.readers.pdf.backend import load_page, open_pdf
    from yusuan.readers.pdf.reader import pages_to_document

    settings = PdfSettings()
    pdf = open_pdf(DATA / SH_JUESUAN)
    page = load_page(pdf, 14, settings)
    pdf.close()
    assert page.number == 15 and page.edges
    page.edges = []
    doc = pages_to_document([page], SH_JUESUAN, settings)
    (t,) = doc.tables
    assert t.title == "一般公共预算财政拨款支出决算表" and t.unit_text == "万元"
    assert t.header_rows[-1].texts()[:3] == ["类", "款", "项"]
    assert len(t.body_rows) == 20
    (row,) = rows_starting(t, "201", "06", "01")
    assert row.texts() == ["201", "06", "01", "行政运行", "1,511.89", "1,503.52", "8.37"]
    assert t.body_rows[-1].texts()[3:] == ["合计", "2,940.05", "2,336.91", "603.14"]
    assert row.cells[4].loc.page == 15 and row.cells[4].loc.bbox is not None


# --- scanned and partly scanned input --------------------------------------------------


def test_wholly_scanned_pdf_is_refused_naming_its_pages() -> None:
    with pytest.raises(InputError) as err:
        read_pdf_raw(DATA / SCANNED)
    assert err.value.message.startswith("第 1–8 页没有文字层（扫描件）")
    assert "--ocr" in err.value.message  # names the way out
    info = inspect_pdf(DATA / SCANNED)
    assert (
        info.pages == 8 and info.pages_with_text == () and info.scanned_pages == tuple(range(1, 9))
    )


def test_partly_scanned_pdf_is_read_with_a_warning(tmp_path: Path) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    merged = pdfium.PdfDocument(str(DATA / SIFAJU))
    merged.import_pages(pdfium.PdfDocument(str(DATA / SCANNED)), [0])
    target = tmp_path / "mixed.pdf"
    merged.save(str(target))
    merged.close()
    doc = read_pdf_raw(target)
    assert len(doc.tables) == 9
    assert doc.warnings == [("第 22 页没有文字层（扫描件），未读取其内容", Loc(page=22))]
    # The report says so: a warning, the coverage, and the conclusion.
    report = yusuan.audit(yusuan.read(target))
    unread = [f for f in report.findings if f.rule == "C711"]
    assert [(f.severity.value, f.message, f.location.page) for f in unread] == [
        ("warning", "第 22 页没有文字层（扫描件），未读取其内容", 22)
    ]
    assert report.document["coverage"]["unread_parts"] == [unread[0].message]
    assert not report.document["coverage"]["complete"]
    assert "第 22 页没有文字层（扫描件），未读取其内容" in verdict(report)


def test_rotated_page_is_flagged(tmp_path: Path) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    pdf = pdfium.PdfDocument(str(DATA / SIFAJU))
    pdf[20].set_rotation(90)
    target = tmp_path / "rotated.pdf"
    pdf.save(str(target))
    pdf.close()
    doc = read_pdf_raw(target)
    assert doc.warnings == [
        ("第 21 页设置了 90° 旋转，版面按未旋转分析，表格可能读错", Loc(page=21))
    ]


def test_inspect_reports_pages_text_and_producer() -> None:
    info = inspect_pdf(DATA / SH_JUESUAN)
    assert info.pages == 25 and info.producer == "ONLYOFFICE/8.0.1.31" and not info.encrypted
    assert 14 not in info.pages_with_text and len(info.pages_with_text) == 24  # p14: a blank page
    assert inspect_pdf(DATA / HUNAN).producer.startswith("iText")  # type: ignore[union-attr]


# --- bad input -------------------------------------------------------------------------


def _minimal_pdf(encrypt: bool) -> bytes:
    """A one-page PDF; with `encrypt`, protected by a (random) user password."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    if encrypt:  # standard security handler, RC4 40-bit; /U does not match an empty password
        objs.append(
            b"<< /Filter /Standard /V 1 /R 2 /O <"
            + b"11" * 32
            + b"> /U <"
            + b"22" * 32
            + b"> /P -4 >>"
        )
    trailer = b" /Encrypt 5 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">]"
    return pdf_bytes(objs, trailer if encrypt else b"")


def _assert_one_line_chinese(message: str) -> None:
    assert "\n" not in message and re.search(r"[\u4e00-\u9fff]", message)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("truncated", "PDF 文件不完整"),
        ("corrupt", "PDF 文件已损坏"),
        ("encrypted", "PDF 文件已加密"),
        ("text", "文件不是 PDF"),
        ("empty", "文件为空"),
        ("missing", "找不到文件"),
        ("no_text", "PDF 中没有任何可读取的文字"),
    ],
)
def test_unreadable_input_raises_input_error(tmp_path: Path, case: str, expected: str) -> None:
    sample = (DATA / SIFAJU).read_bytes()
    target = tmp_path / f"{case}.pdf"
    if case == "truncated":
        target.write_bytes(sample[: len(sample) // 2])
    elif case == "corrupt":
        flipped = bytearray(sample)
        for i in range(16, len(flipped) - 64, 3):  # header and trailer intact, body garbled
            flipped[i] ^= 0x55
        target.write_bytes(bytes(flipped))
    elif case == "encrypted":
        target.write_bytes(_minimal_pdf(encrypt=True))
    elif case == "text":
        target.write_text("部门预算公开\n这不是 PDF 文件。\n", encoding="utf-8")
    elif case == "empty":
        target.write_bytes(b"")
    elif case == "no_text":
        target.write_bytes(_minimal_pdf(encrypt=False))
    with pytest.raises(InputError) as err:
        read_pdf_raw(target)
    assert err.value.message.startswith(expected), err.value.message
    assert target.name in err.value.message or case == "missing"
    _assert_one_line_chinese(err.value.message)


def test_pdf_encrypted_by_a_real_tool_is_refused(tmp_path: Path) -> None:
    pypdf = pytest.importorskip(
        "pypdf",
        reason="pypdf is not installed (optional; the hand-made encrypted PDF above always runs)",
    )
    writer = pypdf.PdfWriter(clone_from=str(DATA / SIFAJU))
    writer.encrypt(user_password="secret", owner_password="owner")
    target = tmp_path / "locked.pdf"
    with target.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(InputError) as err:
        read_pdf_raw(target)
    assert err.value.message.startswith("PDF 文件已加密")


def test_settings_are_plain_named_defaults() -> None:
    settings = PdfSettings()
    assert settings.snap_tolerance == 2.0 and settings.footer_ratio == 0.12
    doc = read_pdf_raw(DATA / SIFAJU, PdfSettings(segment_gap_em=1.6))
    assert [t.title for t in doc.tables] == [t[1] for t in EXPECTED_TABLES[SIFAJU]]


def test_text_in_a_font_the_file_does_not_embed_is_said_to_be_lost() -> None:
    # 北京市审计局's 说明: the cover title `北京市审计局 2026 年度部门预算信息公开` and `目 录`
    # are set in 方正小标宋, not embedded; PDFium shows the glyphs but gives no text for them,
    # so the page reads `2026` where the title was. The reader says what it lost.
    doc = read_pdf_raw(DATA.parent / "corpus" / "text" / "beijing_2026_shenjiju_shuoming_p1.pdf")
    assert doc.warnings == [
        (
            "第 1 页有 18 处文字无法提取（字体 FZXiaoBiaoSong-B05S 未嵌入文件），这些文字未读取",
            Loc(page=1),
        )
    ]
    assert doc.paragraphs[0].text == "2026"
    # Pages of the same file set in embedded fonts lose nothing, and say nothing.
    assert (
        read_pdf_raw(DATA.parent / "corpus" / "beijing_2026_shenjiju_shuoming_p5-6.pdf").warnings
        == []
    )


def test_text_clipped_out_of_sight_is_not_read() -> None:
    # 北京市应急管理局 预算12表 p81: the 年度绩效目标 of a project whose merged cell is taller
    # than the page is set whole on every page and clipped to the page's part of the frame.
    # The page shows it down to `…专项数据库。通过科学情景模拟` (cut by the frame's foot); the
    # lines set below (`与实战化流程推演的深度融合…践样板。`) are not printed, and not read.
    doc = read_pdf_raw(DATA.parent / "corpus" / "beijing_2026_yingjiju_baobiao_p81.pdf")
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in [*t.header_rows, *t.body_rows] for c in r.cells]
    )
    assert "专项数据库" in text and "通过科学情景模拟" in text
    assert "与实战化流程推演" not in text and "践样板" not in text


def test_a_cell_line_cut_by_the_frames_top_rule_is_no_caption() -> None:
    # 北京市应急管理局 预算12表 pp. 76–77: a 年度绩效目标 going on over the page break shows, at
    # the top of p. 77, a line cut by the frame's top rule (`内的防汛抗旱技术`). It belongs to the
    # cell below it; read as a caption it began a table of its own and the rest of 预算12表 was
    # left unread.
    doc = read_pdf_raw(DATA.parent / "corpus" / "text" / "beijing_2026_yingjiju_baobiao_p76-77.pdf")
    assert len(doc.tables) == 1 and doc.paragraphs == []
    goals = [c.text for r in doc.tables[0].body_rows for c in r.cells if "防汛抗旱技术" in c.text]
    assert goals[-1].startswith("内的防汛抗旱技术发展，编制有利于防汛应急指挥的专题性材料")
