"""Reading any region's disclosure from what it prints (issue 8), on real documents.

Each PDF under tests/data/corpus/ is a few pages of a disclosure from the development corpus
(tests/data/corpus/SOURCES.md), kept because it once broke the reading: a wrong template
chosen, a caption taken for a title, a memo column summed, a list read past its end. The
rule of all of them: a misread is never reported as an error.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

import yusuan
from yusuan.audit.findings import Severity
from yusuan.kinds import column_role, table_kind
from yusuan.model.document import PerformancePlace
from yusuan.model.provenance import Loc
from yusuan.model.tables import Cell
from yusuan.readers.assemble.contents import contents_notes
from yusuan.readers.assemble.narrative import paragraphs_to_stated_sums
from yusuan.readers.assemble.tables import parse_label
from yusuan.readers.ir import RawCell
from yusuan.readers.pdf.reader import read_pdf_raw
from yusuan.reporters.common import verdict
from yusuan.show import document_json

CORPUS = Path(__file__).parent / "data" / "corpus"


def _errors(report: yusuan.Report) -> list[str]:
    return [f"{f.rule} {f.message}" for f in report.findings if f.severity is Severity.ERROR]


@pytest.fixture(scope="module")
def read_audit() -> dict[str, tuple[yusuan.Document, yusuan.Report]]:
    out = {}
    for path in sorted(CORPUS.glob("*.pdf")):
        doc = yusuan.read(path)
        out[path.stem] = (doc, yusuan.audit(doc))
    return out


# ───────────────────────────── the catalogue ─────────────────────────────


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("部门收支总体情况表", "overview"),
        ("部门财务收支预算总表", "overview"),
        ("收入支出决算总表", "overview"),
        ("2022年部门综合预算收入总表", "income"),
        ("本年支出总体情况表", "expense"),
        ("财政拨款收支预算总体情况表", "finance-overview"),
        ("一般公共预算支出情况表（按功能分类科目）", "gp-function"),
        ("部门一般公共预算基本支出部门预算经济分类预算表", "gp-basic-economic"),
        ("财政拨款基本支出表（经济科目）", "gp-basic-economic"),
        ("政府性基金预算财政拨款收入支出决算表", "gov-fund"),
        ('一般公共预算"三公"经费、会议费、培训费支出表', "sangong"),
        ("一般公共预算项目支出情况表", "projects"),
        ("项目支出绩效目标表", "performance"),
        ("单位：苏州市科学技术局", None),
    ],
)
def test_table_kinds_are_read_from_titles(title: str, kind: str | None) -> None:
    assert table_kind(title) == kind


@pytest.mark.parametrize(
    ("headers", "role"),
    [
        (["财政拨款", "小计"], "fiscal"),  # a 小计 under its group is the group's total
        (["支出预算", "合计"], "total"),
        (["其中：基本支出"], "basic"),
        (["事业收入（不含教育收费）"], "business-income"),
        (["使用非财政拨款结余"], "non-fiscal-balance"),
        (["2026 年政府采购项目", "小计"], "procurement"),
        (["公务用车购置及运行维护费", "小计"], "car"),
        (["功能分类科目名称"], None),  # names nothing the catalogue knows: reported, unused
        (["预算数（功能分类）"], "amount"),  # a qualifier in brackets (西安 表1)
        (["预算数（单位：万元）"], "amount"),
        (["其中：专项资金列入部门预算项目"], "special-fund"),
        (["上年实户资金余额"], "prior-balance"),
        (["结转下年"], "carry-forward"),  # not 上年结转 (烟台 支出总表)
        (["上年“三公”经费小计"], "sangong-total"),
        (["2026年预算数"], None),  # which year is the table's is not said by one header
        # 西安 2022 三公 table: every column under 增减变化情况 is a change, not an amount.
        (["增减变化情况", "一般公共预算拨款安排的“三公”经费预算", "公务接待费"], "change"),
        (["2022比2021"], "change"),  # 西安 2022 情况说明's year-on-year tables
        (["项目总额"], "total"),  # 绩效目标表 funds (北京 预算表12)
        (["其中：", "财政资金"], "fiscal"),
        (["非财政资金"], None),
    ],
)
def test_column_roles_are_read_from_header_text(headers: list[str], role: str | None) -> None:
    assert column_role(headers) == role


@pytest.mark.parametrize(
    ("headers", "year", "role"),
    [
        (["2026年预算数"], 2026, "amount"),
        (["2026年预算数", "合计"], 2026, "total"),
        (["2025年预算数", "合计"], 2026, "prior-year"),
        (["2026年预算数", "公务接待费"], 2026, "reception"),
    ],
)
def test_a_year_over_a_column_is_the_tables_year_or_the_last(
    headers: list[str], year: int, role: str
) -> None:
    assert column_role(headers, year) == role


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("[201]一般公共服务支出", "201", "一般公共服务支出"),
        ("【30101】基本工资", "30101", "基本工资"),
        ("  30101 基本工资", "30101", "基本工资"),
        ("301 01 基本工资", "30101", "基本工资"),
        ("208 01 01 行政运行", "2080101", "行政运行"),
    ],
)
def test_codes_as_printed_in_other_regions(text: str, code: str, name: str) -> None:
    label = parse_label([RawCell(text, Loc())])
    assert (label.code, label.names) == (code, [name])


# ───────────────────────────── real documents ─────────────────────────────


def test_chongqing_table5_columns_are_named_by_header_not_position(read_audit) -> None:
    # 重庆 表五 prints 人员经费 and 公用经费 beside 基本支出: the 新疆 template, read by position,
    # took 人员经费 for 合计 (36 false A101 errors in one document).
    doc, report = read_audit["chongqing_2026_kejiju_p16-19"]
    assert doc.profile == "generic"
    (table,) = doc.tables.values()
    assert table.kind == "gp-function"
    roles = {c.role for c in table.columns}
    assert {"total", "basic", "personnel", "public", "project"} <= roles
    assert _errors(report) == []
    a101 = next(r for r in report.rules if r.rule == "A101")
    assert a101.checks > 50 and a101.passed == a101.checks


def test_yantai_labels_and_turned_pages(read_audit) -> None:
    # 烟台: `公开表1` above the title and `部门（单位）：烟台市财政局 单位：万元` below it (that line
    # was taken for the title); 公开表2 is printed on a page turned by /Rotate 90.
    doc, report = read_audit["yantai_2026_caizhengju_p10-12"]
    tables = {t.label: t for t in doc.tables.values()}
    assert set(tables) == {"公开表1", "公开表2"}
    assert tables["公开表1"].printed_title == "收支总体情况表"
    assert tables["公开表2"].kind == "income" and len(tables["公开表2"].rows) > 20
    assert doc.department == "烟台市财政局"
    x301 = next(r for r in report.rules if r.rule == "X301")
    assert x301.checks >= 1 and x301.passed == x301.checks  # 收入总计 = 支出总计, read
    assert _errors(report) == [] and report.document["coverage"]["complete"]


def test_suzhou_unit_line_is_no_table_and_sangong_memo_columns(read_audit) -> None:
    # 苏州 单位预算: `单位：苏州市科学技术局 单位：万元` made a new (empty) table of every page;
    # its 三公 table prints 会议费 and 培训费 beside “三公”经费合计, which they are not part of.
    doc, report = read_audit["suzhou_2026_kejiju_danwei_p12_26"]
    titles = [t.printed_title for t in [*doc.tables.values(), *doc.extra_tables]]
    assert not any(t.startswith("单位") for t in titles)
    assert {t.kind for t in doc.tables.values()} == {"overview", "sangong"}
    assert any("不含「会议费、培训费」" in n.message for n in doc.notes)
    assert _errors(report) == []


def test_shenzhen_procurement_memo_group_and_cover_year(read_audit) -> None:
    # 深圳 支出总表: a 2026年政府采购项目 group beside 支出总计 is a memo, not a part (5–135
    # false A101 errors per document); the year is on the cover before the department.
    doc, report = read_audit["shenzhen_2026_tongjiju_p1_19"]
    assert (doc.department, doc.year) == ("深圳市统计局（本级）", 2026)
    assert any("「支出总计」不含" in n.message for n in doc.notes)
    assert _errors(report) == []


def test_suzhou_numbered_lists_stop_at_their_own_items(read_audit) -> None:
    # `（一）收入预算总计 X 万元。包括：1．… （1）… 2．…`: the items are 1．and 2．, not the
    # sub-items, and the list ends at （二）; `收入、支出预算总计各 X。其中：（一）收入…（二）支出…`
    # lists the same total twice, respectively.
    doc, report = read_audit["suzhou_2026_jiaotongju_p31-32_39"]
    sums = {(s.total.value, tuple(f.value for _, f in s.parts)) for s in doc.stated_sums}
    assert (Decimal("299.12"), (Decimal("154.97"), Decimal("144.15"))) in sums
    assert (Decimal("249977.11"), (Decimal("249977.11"), Decimal("0"))) in sums  # 1．+ 2．
    assert not any(len(p) == 2 and p[0] == p[1] == t for t, p in sums)  # 收、支 respectively
    assert _errors(report) == []
    s501 = next(r for r in report.rules if r.rule == "S501")
    assert s501.checks >= 3 and s501.passed == s501.checks


def test_beijing_stated_last_year_amount_is_the_base(read_audit) -> None:
    # `比2025年年初预算数30385.62万元增加2466.43万元，增长8.12%`: 8.12% is of 30,385.62.
    doc, report = read_audit["beijing_2026_shenjiju_shuoming_p5-6"]
    st = next(s for s in doc.statements if s.change and s.change.base is not None)
    assert str(st.change.base.value) == "30385.62"
    assert _errors(report) == []
    y401 = next(r for r in report.rules if r.rule == "Y401")
    assert y401.checks >= 1 and y401.passed == y401.checks


def test_xian_2022_layout_is_not_taken_for_xian_2025(read_audit) -> None:
    # 西安 2022: the 收支总表 has 9 columns where the 2025 template has 8, and a 序号 column.
    doc, report = read_audit["xian_2022_guoziwei_p24-31"]
    assert doc.profile == "generic"
    assert any("xian-2025" in n.message for n in doc.notes)
    kinds = {t.kind for t in doc.tables.values()}
    assert {"overview", "income", "expense", "gp-function", "gp-basic-economic"} <= kinds
    assert _errors(report) == []


def test_shanghai_conventions_are_not_errors(read_audit) -> None:
    # 上海 单位预算: the narrative gives whole 万元 (`1,237万元` for 12,376,700 元), explains per
    # 类 (not per 项), and says `政府性基金拨款支出预算为0` for its blank fund table.
    doc, report = read_audit["shanghai_2026_wenbaozhongxin_danwei-yusuan"]
    assert doc.profile == "shanghai-yusuan-danwei"
    assert _errors(report) == []
    n301 = [f for f in report.findings if f.rule == "N301"]
    assert n301 and all(f.severity is Severity.NOTICE for f in n301)
    # Per-类 paragraphs are not per-项 ones: the 项 check is not run, and says why.
    assert any(n.rule == "N303" and "没有读到按科目" in n.reason for n in report.not_run)
    assert verdict(report) == "未发现错误"


def test_beijing_wrapped_names_spilling_into_the_next_row_are_given_back() -> None:
    # 北京 预算03表 prints `2120399-其他城乡社区公共设施` in a row too short for it: the wrapped
    # `支出` crosses the rule into the next row, which read `支出2120803-城市建设支出` and lost
    # its code (4,683.731750 missing from 类 212: A103 ×2 and X202 false errors).
    path = CORPUS / "beijing_2026_yingjiju_baobiao_p1-6.pdf"
    doc = yusuan.read(path, profile="beijing-2026")
    report = yusuan.audit(doc)
    rows = {r.code: r for r in doc.tables["T3"].rows if r.code}
    assert rows["2120399"].label == "其他城乡社区公共设施支出"
    assert rows["2120803"].cells["total"].value == Decimal("4683.731750")
    for rule in ("A103", "X202"):
        result = next(r for r in report.rules if r.rule == rule)
        assert result.checks >= 4 and result.passed == result.checks, rule


def test_beijing_spill_below_the_last_rule_does_not_end_the_table() -> None:
    # 北京 生态环境局 预算03表, pages 8–9: the last row's `支出` hangs below the page's bottom
    # rule; read as a paragraph it ended the table, and pages 9–12 (117 rows, the 合计 row
    # among them) became a table of their own (6 false X202 errors).
    raw = read_pdf_raw(CORPUS / "beijing_2026_shengtaihuanjingju_baobiao_p8-9.pdf")
    assert len(raw.tables) == 1
    (table,) = raw.tables
    assert [p.page for p in table.pieces] == [1, 2]
    labels = [r.cells[0].text for r in table.body_rows]
    assert len(labels) == 60 and all(re.match(r"\d{7}-", t) for t in labels)
    # 7 rows on page 8 and 24 on page 9, each name whole (the code-less `支出` rows were 11)
    assert sum(t.startswith("2110199") for t in labels) == 31
    assert labels.count("2110199-其他环境保护管理事务支出") == 31


def _stated_sums(name: str) -> dict[str, tuple[Decimal, list[Decimal]]]:
    raw = read_pdf_raw(CORPUS / name)
    sums = paragraphs_to_stated_sums([(p, None) for p in raw.paragraphs])
    return {s.total_label: (s.total.value, [f.value for _, f in s.parts]) for s in sums}


def test_shenzhen_includes_inside_a_phrase_opens_no_list() -> None:
    # `环境质量监测工作 4,097.79 万元，用于开展包括大气、水…监测；生态质量监测工作 584.84 万元…`:
    # `包括` is a word of the phrase, not a list under 4,097.79 (a false S501, 差 1,229.78); the
    # items belong to `生态环境监测预算 6,965.81 万元，主要包括：` (4,097.79 + … = 6,965.80).
    sums = _stated_sums("text/shenzhen_2026_shengtaihuanjingju_p15.pdf")
    assert "环境质量监测工作" not in sums
    total, parts = sums["生态环境监测预算"]
    assert total == Decimal("6965.81") and len(parts) == 7
    assert sum(parts) == Decimal("6965.80")  # rounded items, a partial (主要包括) list


def test_shenzhen_a_describing_clause_after_qizhong_lists_nothing() -> None:
    # `（1）气象预报 799.00 万元，…。其中气象预报预警基础业务运行服务包括…16 项服务；…；（2）…
    # 258.00 万元…；（3）…200.00 万元…`: the clause after `其中` describes; the amounts after
    # the `；` are 精准预报's next items, not parts of 799.00.
    sums = _stated_sums("text/shenzhen_2026_qixiangju_p8-9.pdf")
    assert "气象预报" not in sums
    assert sums["精准预报"] == (Decimal("1357.00"), [Decimal("799.00")])


def test_xian_coded_items_add_up_to_their_coded_parent() -> None:
    # 西安 2021: `（1）进修及培训（20508）102.32 万元…具体为：人员经费…；专项业务经费 74.00 万元…。
    # 其中：` then `①培训支出（2050803）102.32 万元`: the ① items are the 项 of 款 20508; held
    # to 专项业务经费 (the last amount before `其中：`) they made 4 false S501 errors.
    sums = _stated_sums("text/xian_2021_minzhengju_p21-23.pdf")
    assert sums["进修及培训（20508）"] == (Decimal("102.32"), [Decimal("102.32")])
    total, parts = sums["民政管理事务（20802）"]
    assert total == Decimal("3386.08") and len(parts) == 5 and sum(parts) == total


def test_xian_a_nil_item_still_counts_for_last_year() -> None:
    # 西安统计局: `4.行政运行（2050101）0.00万元，较上年减少3.54万元` — 表5 prints no row for a
    # nil 项, so the item was dropped and the 项 last-year amounts fell 3.54 short of the
    # stated last-year total (a false Y404). Pages 15–17 (the list) and 30 (表5).
    path = CORPUS / "xian_2026_tongjiju_p15-17_30.pdf"
    report = yusuan.audit(yusuan.read(path, profile="xian-2025"))
    y404 = next(r for r in report.rules if r.rule == "Y404")
    assert y404.checks == 1 and y404.passed == 1
    assert not any(f.rule == "Y404" and f.severity is Severity.ERROR for f in report.findings)


def test_xian_filled_special_fund_form_and_withheld_forms() -> None:
    # 西安财政局: 表16 专项资金总体绩效目标表 is filled (政策性农业保险市级补贴资金, 6600 万元) but,
    # read as text without amount columns, was called blank (a false C702); and `其中粮食储备及
    # 重要商品储备相关业务预算经费绩效目标表…为涉密内容，按规定不予公开`: the published forms
    # cannot add up to 表10 (a false S506, 差 17,016.00 = 6,600 in 表16 + 10,416 withheld).
    path = CORPUS / "xian_2026_caizhengju_p21_38_44_59.pdf"
    report = yusuan.audit(yusuan.read(path, profile="xian-2025"))
    assert not any(f.rule in ("C702", "S506") for f in report.findings)
    assert any(n.rule == "S506" and "涉密" in n.reason for n in report.not_run)


def test_yantai_sangong_year_groups_are_headers() -> None:
    # 烟台 公开表7 (重庆 表八 alike): `2025年预算数 | 2026年预算数` over the 三公 columns; the
    # year row was taken for data (`2025…` read as a code) and the table was not read.
    doc = yusuan.read(CORPUS / "yantai_2026_caizhengju_p21.pdf")
    (table,) = doc.tables.values()
    assert table.kind == "sangong" and table.readable
    roles = [c.role for c in table.columns]
    assert roles[:6] == ["prior-year"] * 6
    assert roles[6:] == ["total", "outbound", "car", "car-purchase", "car-running", "reception"]
    (row,) = table.rows
    assert row.cells[table.columns[6].key].value == Decimal("23.40")


def test_shenzhen_a_header_row_of_keys_is_no_form() -> None:
    # 深圳: the project list printed under the narrative, `二级预算单位名称 | 一级项目名称 |
    # 预算数（万元） | 绩效目标`, was taken for a form (`…名称 | value`) and left unread.
    doc = yusuan.read(CORPUS / "shenzhen_2026_tongjiju_p11-12.pdf")
    (table,) = [*doc.tables.values(), *doc.extra_tables]
    assert table.readable
    assert [c.role for c in table.columns] == ["amount"]
    assert table.rows[0].cells[table.columns[0].key].value == Decimal("352.27")


def test_xian_a_comma_list_ends_at_its_semicolon() -> None:
    # 西安科技局 2022: `实有人员303人，其中行政71人，事业232人；单位管理的离退休人员共188人`:
    # the list is 71 + 232; the retirees after the `；` were summed in (a false S501, 491).
    sums = _stated_sums("text/xian_2022_kejiju_p18.pdf")
    assert sums["实有人员"] == (Decimal("303"), [Decimal("71"), Decimal("232")])


# ───────────────────────────── templates that do not fit ─────────────────────────────


def test_a_template_that_does_not_fit_its_tables_is_not_applied(sample_text: str) -> None:
    # Two tables with one more amount column than the template prints: another region's
    # layout under the same titles. Typed by the template, every row would be an error.
    lines = sample_text.split("\n")
    start = lines.index("## 一般公共预算支出情况表")
    end = lines.index("## 一般公共预算项目支出情况表")
    for i in range(start, end):
        if re.search(r"\t[\d,]+\.\d\d", lines[i]):
            lines[i] += "\t9.99"
    doc = yusuan.read_text("\n".join(lines), path="other-layout.md")
    assert doc.profile == "generic"
    assert any("与本文件不符" in n.message for n in doc.notes)
    assert yusuan.read_text(sample_text).profile == "xinjiang-2024"


def test_conclusion_names_what_was_not_read(sample_text: str) -> None:
    cut = "\n".join(sample_text.split("\n")[:420])  # stops inside 表6
    report = yusuan.audit(yusuan.read_text(cut, path="truncated.md"))
    assert not report.document["coverage"]["complete"]
    assert "缺少" in verdict(report) and "未发现错误" not in verdict(report)


# ───────────────────────────── format ─────────────────────────────


def test_fullwidth_digit_groups_are_read_and_reported() -> None:
    text = "\n".join(
        [
            "# 某局2026年部门预算",
            "## 一、收支预算总体情况",
            "本部门2026年收入预算1，100.00万元，其中：一般公共预算拨款收入1，000.00万元，"
            "其他收入100.00万元。支出预算1,100.00万元，比上年增加100.00万元，增长10.00%。",
        ]
    )
    doc = yusuan.read_text(text, path="fullwidth.md")
    assert [f.value for f in doc.figures][:3] == [1100, 1000, 100]
    report = yusuan.audit(doc)
    f602 = [f for f in report.findings if f.rule == "F602"]
    assert {f.actual for f in f602} == {"1，100.00", "1，000.00"}
    assert all(f.severity is Severity.WARNING for f in f602)
    assert _errors(report) == []


def test_guangzhou_change_inside_brackets_stays_inside() -> None:
    # 广州 气象局 2026 p. 25, as printed: the bracket states the parts' own changes; the change
    # after it is the total's (24.8 + 25.05 = 49.85 last year, 25.05 ÷ 49.85 = 50.3%).
    text = "\n".join(
        [
            "# 广州市气象局2026年部门预算",
            "## 六、“三公”经费预算情况说明",
            "2026年“三公”经费预算26.11万元，比上年减少25.05万元。其中：因公出国（境）费0万元，"
            "比上年增加0万元，增长0%，主要原因是与上年持平，无增减变化；公务用车购置及运行维护费"
            "24.8万元（公务用车购置费0万元，比上年减少19.6万元；公务用车运行维护费24.8万元，"
            "比上年减少5.45万元。）比上年减少25.05万元，下降50.3%，主要原因是减少公务用车购置经费，"
            "根据实际业务安排减少应急保障车运行维护费；公务接待费1.31万元，比上年增加0万元，增长0%。",
        ]
    )
    doc = yusuan.read_text(text, path="guangzhou.md")
    car = next(s for s in doc.statements if s.subject == "公务用车购置及运行维护费")
    assert car.change is not None and car.change.amount is not None
    assert (car.amount.value, car.change.amount.value) == (Decimal("24.8"), Decimal("25.05"))
    purchase = next(s for s in doc.statements if s.subject == "公务用车购置费")
    assert purchase.change is not None and purchase.change.amount.value == Decimal("19.6")
    report = yusuan.audit(doc)
    assert not [f for f in report.findings if f.rule in ("Y401", "Y402")]


@pytest.mark.parametrize(
    ("listing", "stated"),
    [
        # 广州 宣传部 2026 p. 3: other names in brackets, then a `；` clause listing units.
        (
            "本部门设14个内设机构和机关党委，内设机构具体包括：办公室（综合协调处）、研究室、理论处、"
            "新闻处、文艺处（电影处）、宣传教育处（全民国防教育处）、精神文明协调处、精神文明创建处、"
            "对外宣传与新闻发布处、出版与版权管理处、干部处、反非法反违禁处（市“扫黄打非”办公室）、"
            "意识形态工作处、国有文化资产监管处（文化改革发展处）；3个下属单位，具体包括：中共广州市委"
            "讲师团、广州市国防教育中心、广州市版权保护中心。",
            14,
        ),
        # 上海 信访办 2026 p. 4: the last two joined by 和.
        (
            "上海市信访办公室单位设12个内设机构，包括：秘书处、组织人事处、办信处、接访处、来访协调处、"
            "网上信访处、法规处、督查处、综合处、信息技术处、人民建议征集处和市民服务热线管理办公室。",
            12,
        ),
    ],
    ids=["guangzhou-xuanchuanbu", "shanghai-xinfangban"],
)
def test_office_lists_count_what_is_printed(listing: str, stated: int) -> None:
    text = "\n".join(
        [
            "# 某部门2026年部门预算",
            "## 一、部门概况",
            listing,
            "## 二、收支预算总体情况",
            "2026年收入预算1,000.00万元，其中：一般公共预算拨款收入900.00万元，其他收入100.00万元。"
            "支出预算1,000.00万元，其中：基本支出800.00万元，项目支出200.00万元。",
        ]
    )
    doc = yusuan.read_text(text, path="offices.md")
    assert doc.overview.offices_stated is not None
    assert doc.overview.offices_stated.value == stated == len(doc.overview.offices)
    assert not [f for f in yusuan.audit(doc).findings if f.rule == "N308"]


def test_shanghai_income_table_without_its_empty_column_is_read_by_its_header() -> None:
    # 上海市数据局 单位收入预算总表 prints four of the template's five amount columns on pages
    # 8–9 and the fifth, 其他收入, alone on page 10 with no figures. Counting five amount
    # columns from the right put every 科目 name in 合计: the table was unreadable (C703).
    path = CORPUS / "shanghai_2026_shujuju_danwei_p8-10.pdf"
    doc = yusuan.read(path, profile="shanghai-yusuan-danwei")
    table = doc.tables["T2"]
    assert table.readable, table.problems
    assert [c.key for c in table.columns] == ["total", "fin", "business", "operating"]
    rows = {r.code: r for r in table.rows if r.code}
    assert rows["2014101"].cells["total"].value == Decimal("28853324")
    assert rows["2014101"].cells["fin"].value == Decimal("28853324")
    assert table.total_row() is not None
    assert table.total_row().cells["total"].value == Decimal("471452100")
    report = yusuan.audit(doc)
    assert not [f for f in report.findings if f.rule in ("A101", "A102", "C703")]


def test_shanghai_blank_far_columns_on_their_own_page_are_no_rows_under_inference() -> None:
    # The same pages read with no template: the blank 其他收入 piece of p10 is narrower than
    # the table and holds no figure and no code, so it is not appended as rows (its header
    # word landed in 合计 and the table could not be read).
    doc = yusuan.read(CORPUS / "shanghai_2026_shujuju_danwei_p8-10.pdf", profile="generic")
    (table,) = [t for t in doc.tables.values() if t.kind == "income"]
    assert table.readable, table.problems
    total = table.total_row()
    assert total is not None
    assert [str(c.value) for c in total.cells.values() if c.value is not None][:2] == [
        "471452100",
        "471452100",
    ]
    assert _errors(yusuan.audit(doc)) == []


def test_performance_form_under_a_distant_year_line_keeps_its_title() -> None:
    # 烟台市审计局 p. 33: `政策和项目预算绩效目标表` / `(2026年度)` stand 3.3 em above the
    # form's frame; the caption stopped at the year line and the form went untitled, unread.
    doc = yusuan.read(CORPUS / "yantai_2026_shenjiju_p33.pdf")
    assert [p.project for p in doc.performance] == ["原审计署烟台基地退休人员补助经费"]
    assert {"成本指标", "产出指标"} <= {i.level1 for i in doc.performance[0].indicators}
    assert doc.extra_tables == []


def test_xian_2021_titles_with_a_qualifier_line_or_on_two_lines() -> None:
    # 西安 2021 prints `表5` / title / `（按支出功能分类科目-不含上年结转）` / `预算单位：…` above
    # the frame, and 表12's title on two lines. The bracketed line ended the caption: the
    # title became an empty table of its own and the frame an untitled one, on every page.
    doc = yusuan.read(CORPUS / "xian_2021_minzhengju_p46-47_72.pdf")
    titles = [t.printed_title for t in doc.tables.values()] + [t.title for t in doc.extra_tables]
    assert titles == [
        "2021年部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）",
        "2021年部门综合预算政府采购（资产配置、购买服务）预算表（不含上年结转）",
    ]
    table = next(iter(doc.tables.values()))
    assert {r.loc.page for r in table.rows} == {1, 2}  # the continuation page joined
    rows = {r.code: r for r in table.rows if r.code}
    assert rows["2089999"].cells[table.columns[0].key].value == Decimal("251905047.37")
    report = yusuan.audit(doc)
    assert _errors(report) == []


def test_xian_procurement_codes_beside_the_figures_open_no_panel() -> None:
    # 西安 2021–2022 表12 政府采购: `科目编码 类 款 项 | 单位编码 | 采购项目 … | 数量 |
    # 部门预算支出经济科目编码 类 款 | 政府预算支出… 类 款 | 实施采购时间 | 预算金额 | 说明`.
    # The economic codes right of 数量 were taken for a second panel's labels, and the table
    # went unread; read with the 功能 code as the rows' names, every purchase under one 项
    # was a second name for that code (K802 errors). The codes classify each purchase.
    doc = yusuan.read(CORPUS / "xian_2022_zhujianju_p58.pdf")
    (table,) = doc.tables.values()
    assert table.kind == "procurement"
    assert [(c.label, c.role) for c in table.columns] == [
        ("数量", "quantity"),
        ("预算金额", "amount"),
    ]
    assert not any(r.code for r in table.rows)
    total = table.total_row()
    assert total is not None and total.cells["c15"].value == Decimal("87323949.20")
    dated = next(r for r in table.rows if "城建系统教育培训" in r.label)
    assert dated.cells["c15"].value == Decimal("147800.00")
    assert dated.texts["c10"] == "302" and dated.texts["c14"].startswith("2022-12-31")
    report = yusuan.audit(doc)
    assert _errors(report) == []
    assert not [f for f in report.findings if f.rule == "C703"]


def test_xian_2022_unit_code_column_holding_a_one() -> None:
    # 西安 2022 表10/表12 print a 资金性质 line `1 | 全额` in the 单位编码 column: the lone `1`
    # made the column an amount column, and both tables went unread.
    doc = yusuan.read(CORPUS / "xian_2022_kejiju_p57_60.pdf")
    projects, procurement = doc.tables.values()
    assert projects.kind == "projects" and procurement.kind == "procurement"
    assert [(c.label, c.role) for c in projects.columns] == [("项目金额", "amount")]
    assert [r.label for r in projects.rows[:3]] == ["合计", "1 全额", "204001 西安市科学技术局"]
    total = procurement.total_row()
    assert total is not None and total.cells["c16"].value == Decimal("7998080")
    report = yusuan.audit(doc)
    assert _errors(report) == []
    assert not doc.extra_tables


def test_xian_titles_qualified_without_carryover_keep_their_kind() -> None:
    # `（按支出功能分类科目-不含上年结转）` says what the table leaves out: the 上年结转 in
    # it made every 西安 2021–2022 table a 上年结转结余表.
    assert (
        table_kind("2021年部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）")
        == "gp-function"
    )
    assert (
        table_kind("2022年部门综合预算一般公共预算基本支出明细表（支出经济分类科目-不含上年结转）")
        == "gp-basic-economic"
    )
    assert table_kind("2022年部门综合预算专项业务经费支出表（不含上年结转）") == "projects"
    assert table_kind("2022部门综合预算财政拨款上年结转资金支出表") == "carryover"
    # 按功能科目分: by function, not the economic-class 基本支出 table.
    assert (
        table_kind("2022年部门综合预算一般公共预算基本支出明细表（按功能科目分）")
        == "basic-function"
    )


def test_xian_2021_contents_page_and_list_of_units_are_no_unread_tables() -> None:
    # 西安 2021 p. 17 lists its 预算单位 (`序号 | 单位名称 | 拟变动情况`, every row `无`), p. 38
    # is the 报表目录 framed as a table. Neither prints a figure: both were listed as tables
    # whose structure could not be read, and the 目录 as a table left unaudited.
    doc = yusuan.read(CORPUS / "xian_2021_minzhengju_p17_38_61.pdf")
    # The 目录 says which tables are empty (`是否空表`): read as a contents table, its lines
    # the statements of the tables they name.
    contents, projects = doc.tables.values()
    assert projects.kind == "projects"
    assert contents.kind == "contents" and contents.readable
    (units,) = doc.extra_tables
    assert units.readable and not units.problems
    report = yusuan.audit(doc)
    coverage = report.document["coverage"]
    assert coverage["unread"] == [] and coverage["complete"]
    c703 = [f.message for f in report.findings if f.rule == "C703"]
    assert len(c703) == 1 and "目录" not in c703[0]
    assert any("另有 1 张未审核" in f.message for f in report.findings if f.rule == "C710")
    assert _errors(report) == []


def test_xian_2022_narrative_tables_of_staff_and_year_on_year_changes() -> None:
    # 西安 科技局 2022 情况说明: p. 20 staff by unit (编制人数 / 实有人数 › 小计 行政 事业 |
    # 离退休人员); p. 26 each 功能 项 in three rows `2022 | 2021 | 2022比2021` under a 年度
    # column, which was taken for figures and left the table unread; p. 30 `2022年 | 2021年 |
    # 2022比2021` columns, the last unnamed.
    doc = yusuan.read(CORPUS / "xian_2022_kejiju_p20_26_30.pdf")
    staff, by_year, by_class = doc.tables.values()
    assert {c.role for c in staff.columns} == {"headcount"}
    assert [(c.label, c.role) for c in by_year.columns] == [
        ("合计", "total"),
        ("人员经费", "personnel"),
        ("公用经费", "public"),
        ("业务经费", "project"),  # under 项目支出
        ("专项资金", "special-fund"),
    ]
    assert [r.label for r in by_year.rows[:3]] == [
        "培训支出（进修及培训） 2022",
        "2021",
        "2022比2021",
    ]
    assert by_year.rows[2].cells["c3"].value == Decimal("-2.62")
    assert [c.role for c in by_class.columns] == ["amount", "prior-year", "change"]
    report = yusuan.audit(doc)
    assert _errors(report) == []
    assert not doc.extra_tables
    # 合计 = 人员经费 + 公用经费 + 业务经费 + 专项资金 and 小计 = 行政 + 事业 hold: checked.
    assert report.summary.checks >= 40


def test_xian_2022_header_wider_than_its_cell_keeps_its_glyphs() -> None:
    # 西安 科技局 2022 表4: `政府预算支出经济科目（按大类）` is centred over a narrower cell, its
    # `政` left of the cell's left rule and its `）` right of the right one. They went to the
    # neighbours (`预算数政`, `）预算数`) and two 预算数 columns lost their names.
    raw = read_pdf_raw(CORPUS / "xian_2022_kejiju_p45.pdf")
    header = [c.text for c in raw.tables[0].header_rows[-1].cells]
    assert header[-2:] == ["政府预算支出经济科目（按大类）", "预算数"]
    assert header[-4] == "部门预算支出经济科目（按大类）" and header[-3] == "预算数"
    doc = yusuan.read(CORPUS / "xian_2022_kejiju_p45.pdf")
    (table,) = doc.tables.values()
    assert [c.role for c in table.columns] == ["amount"] * 4
    assert _errors(yusuan.audit(doc)) == []


def test_personnel_and_public_totals_agree_with_the_basic_table() -> None:
    # 西安 2022 表5 prints 人员经费支出 | 公用经费支出 | 专项业务经费支出, no 基本支出: each of
    # the first two totals is the 基本支出表's (表8) total of the same column.
    doc = yusuan.read(CORPUS / "xian_2022_guoziwei_p24-31.pdf")
    assert [t.kind for t in doc.tables.values()][4:] == [
        "gp-function",
        "gp-economic",
        "basic-function",  # 基本支出明细表（按功能科目分）
        "gp-basic-economic",
    ]
    assert _errors(yusuan.audit(doc)) == []
    gp = next(t for t in doc.tables.values() if t.kind == "gp-function")
    total = gp.total_row()
    assert total is not None
    key = next(c.key for c in gp.columns if c.role == "public")
    total.cells[key] = replace(total.cells[key], value=total.cells[key].value + 1)
    x301 = [m for m in _errors(yusuan.audit(doc)) if m.startswith("X301")]
    assert len(x301) == 1 and "公用经费合计" in x301[0]


def test_xian_2022_serial_number_column_before_the_codes() -> None:
    # 西安 2022 表5/表7: `序号 | 功能科目编码 | 功能科目名称 | 合计 …`. The 序号 column made a
    # panel of its own: codes were never read, and no 类/款/项 check ran.
    doc = yusuan.read(CORPUS / "xian_2022_kejiju_p46-47_51-52.pdf")
    first, second = doc.tables.values()
    rows = {r.code: r for r in first.rows if r.code}
    assert rows["2060404"].label == "科技成果转化与扩散"
    assert rows["2060404"].texts == {"c1": "13"}
    assert rows["2060404"].cells["c4"].value == Decimal("776961000")
    # p. 52: `…缴费支` runs across the column rule; its `支` is the name's, not the amount's.
    rows = {r.code: r for r in second.rows if r.code}
    assert rows["2080505"].label == "机关事业单位基本养老保险缴费支"
    assert rows["2080505"].cells["c4"].value == Decimal("2947399.16")
    report = yusuan.audit(doc)
    assert any(f.rule == "A102" for f in report.findings) or report.summary.checks > 100
    assert _errors(report) == []
    # Names cut off by a narrow cell (`其他社会保障和就业支`) are a layout matter, not a conflict.
    k802 = [f for f in report.findings if f.rule == "K802"]
    assert k802 and all(f.severity is Severity.NOTICE for f in k802)
    assert all("印得不全" in f.message for f in k802)


def test_performance_targets_printed_as_a_list_are_read_as_a_table() -> None:
    # 广州 项目支出绩效目标表（含转移支付项目）: one row per project under 总计 | 财政拨款 |
    # 财政专户拨款 | 其他资金 | 绩效目标 | 绩效指标. Taken for a form per project, it read
    # 0 rows and no sum was checked.
    doc = yusuan.read(CORPUS / "guangzhou_2026_zhengwushujuju_xiangmu-jixiao_p1.pdf")
    (table,) = doc.tables.values()
    assert [c.label for c in table.columns] == ["总计", "财政拨款", "财政专户拨款", "其他资金"]
    rows = {r.label: r for r in table.rows}
    total = table.columns[0].key
    assert rows["合计"].cells[total].value == Decimal("86246.64")
    assert rows["广州12345政务服务便民热线平台运营项目"].cells[total].value == Decimal("12000.00")
    report = yusuan.audit(doc)
    assert report.summary.checks > 10 and _errors(report) == []
    row_sums = next(r for r in report.rules if r.rule == "A101")
    assert row_sums.checks == row_sums.passed >= len(table.rows) - 1


def test_header_glyph_sunk_across_the_rule_stays_in_the_header() -> None:
    # 西安 2021 收入总表: the last glyph of `对附属单位上缴收入` crosses the header's bottom rule;
    # by its centre it fell into the first row, which read `入0.00`: the table was unreadable.
    doc = yusuan.read(CORPUS / "xian_2021_minzhengju_p42.pdf")
    (table,) = doc.tables.values()
    assert table.readable, table.problems
    labels = [c.label for c in table.columns]
    assert "对附属单位上缴收入" in labels
    key = table.columns[labels.index("对附属单位上缴收入")].key
    first = table.rows[0]
    assert first.label == "合计" and first.cells[key].value == 0
    assert _errors(yusuan.audit(doc)) == []


def test_beijing_tables_listing_xiang_only_have_their_total_checked_under_inference() -> None:
    # 北京 预算03表/05表 print 项 codes only, no 类 rows. Inferred, the 合计 is compared with the
    # outermost codes printed: 05表 adds up and is checked; 03表 (rows missing from the
    # published table, an error the beijing-2026 profile reports) differs in 3 columns, which
    # under inference may equally be rows not read, so it is said to be unchecked, not an error.
    path = Path(__file__).parent / "data" / "published"
    doc = yusuan.read(
        path / "2026_beijing_zhengwufuwu-shujuju_yusuan_baobiao.pdf", profile="generic"
    )
    report = yusuan.audit(doc)
    assert _errors(report) == []
    assert any("支出总表" in n.message and "未作合计行检查" in n.message for n in doc.notes)
    gp = next(k for k, t in doc.tables.items() if t.kind == "gp-function")
    assert doc.inferred_profile is not None
    assert next(s for s in doc.inferred_profile.tables if s.key == gp).grand_total
    a103 = next(r for r in report.rules if r.rule == "A103")
    assert a103.checks >= 1 and a103.passed == a103.checks


def test_wuxi_names_broken_by_the_page_go_on_in_their_row(read_audit) -> None:
    # 无锡 人社局 政府采购支出表: Word breaks a tall row at the foot of p36 and p37 (pages 2 and
    # 3 of the extract); the rest of the unit's name (`险基金管理中心`, `师学院`) opens the next
    # page with no figure of its own.
    doc, report = read_audit["wuxi_2026_renshe_p35-38"]
    (table,) = doc.tables.values()
    labels = [r.label for r in table.rows]
    assert "无锡市社会保险基金管理中心" in labels and "江苏省无锡技师学院" in labels
    assert not {"无锡市社会保", "险基金管理中心", "师学院"} & set(labels)
    joined = next(
        r for r in table.rows if r.label == "无锡市社会保险基金管理中心" and r.loc.page == 2
    )
    assert str(joined.cells["c6"].value) == "66.00"
    assert _errors(report) == []


def test_beijing_performance_grid_funds_are_named_by_their_header() -> None:
    # 北京市审计局 预算表12 项目支出绩效目标表: `项目总额 | 其中： 财政资金 | 其他资金`. The grid's
    # amount columns were never given a role: 3 columns of 53 unnamed in every 北京 报表.
    doc = yusuan.read(CORPUS / "beijing_2026_shenjiju_baobiao_p12.pdf", profile="beijing-2026")
    table = doc.tables["PP"]
    assert [(c.label, c.role) for c in table.columns] == [
        ("项目总额", "total"),
        ("财政资金", "fiscal"),
        ("其他资金", "other-income"),
    ]
    first = table.rows[0]
    assert first.label.endswith("《北京审计》杂志办刊经费")
    assert first.cells["total"].value == first.cells["fiscal"].value == Decimal("17.398000")
    a101 = next(r for r in yusuan.audit(doc).rules if r.rule == "A101")
    assert a101.checks == a101.passed >= 2


def test_chongqing_performance_grid_is_titled_and_read_by_its_header() -> None:
    # 重庆市规划和自然资源局 表十二: `资金主管部门：重庆市规划和自然资源局  单位：万元` between the
    # title and the grid ended the caption: the title became an empty table, the grid an
    # untitled one read as figures (指标值, 指标权重 unnamed, an indicator's name and unit as
    # rows). Its header names the project and the indicator: a 绩效 grid, a block per project.
    doc = yusuan.read(CORPUS / "chongqing_2026_guiziju_p28_31.pdf")
    assert doc.extra_tables == []
    (table,) = doc.tables.values()
    assert (table.label, table.kind) == ("表十二", "performance")
    assert table.printed_title == "2026年市级一般性项目绩效目标表（一级项目）"
    assert [(c.label, c.role) for c in table.columns] == [("当年财政拨款预算金额", "fiscal")]
    assert [(r.label, r.cells["fiscal"].value) for r in table.rows] == [
        ("规划和自然资源综合管理", Decimal("28901.54")),
        ("规划和自然资源事务", Decimal("35786.65")),
        ("规划测绘及地理信息事务", Decimal("18473.32")),
    ]
    overall, first, *_ = doc.performance
    assert first.project == "规划和自然资源综合管理"
    assert [(i.level3, i.value, i.weight) for i in first.indicators[:2]] == [
        ("形成科技成果数", "≥25个（套）", Decimal("20")),
        ("重点宣传项目", "≥40项", Decimal("20")),
    ]
    assert [len(p.indicators) for p in doc.performance[1:]] == [6, 6, 6]
    assert all(sum(i.weight or 0 for i in p.indicators) == 100 for p in doc.performance)
    # 表十 names no indicator levels: `指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%) | 是否核心`
    # made no indicator header, and the form was read without a single indicator.
    assert overall.kind == "overall" and len(overall.indicators) == 8
    assert [(i.level3, i.value, i.weight, i.evidence) for i in overall.indicators[:2]] == [
        ("每年开采监测覆盖面积", "≥8万平方公里", Decimal("15"), ""),
        ("重庆市2025年度国土空间总体规划实施体检成果", "＝1套", Decimal("15"), ""),
    ]
    assert _errors(yusuan.audit(doc)) == []


def test_yantai_performance_indicators_one_per_row_and_across_the_page() -> None:
    # 烟台市财政局 政策和项目预算绩效目标表 (pp. 33–34): each indicator has its own ruled row, its
    # 一级/二级 cells left blank under spanning ones. Rows with two filled cells were taken for
    # a wrapped indicator: four indicators read as one (`人均会议成本人均培训成本…`, values run
    # together). Page 34 repeats the title over the form's last rows: it was a form of its own,
    # empty, and those indicators were lost.
    doc = yusuan.read(CORPUS / "yantai_2026_caizhengju_p33-34.pdf")
    (form,) = doc.performance
    assert form.project == "财政工作专项经费"
    assert form.total is not None and form.fiscal is not None and form.other is not None
    assert (form.total.value, form.fiscal.value, form.other.value) == (315, 315, 0)
    assert [(i.level2, i.level3, i.value) for i in form.indicators[:4]] == [
        ("经济成本", "人均会议成本", "≤400元/人天"),
        ("经济成本", "人均培训成本", "≤450元/人天"),
        ("经济成本", "印刷费支出标准", "文件排版1元/页、红头文件1元/页、印刷0.3元/页"),
        ("经济成本", "专项经费总额", "≤315万元"),
    ]
    assert len(form.indicators) == 18
    assert [(i.level1, i.level3, i.loc.page) for i in form.indicators[-2:]] == [
        ("满意度指标", "职工满意度", 2),
        ("满意度指标", "会议、培训对象满意度", 2),
    ]
    assert [p for p in doc.order if isinstance(p, PerformancePlace)] == [PerformancePlace(0)]
    assert _errors(yusuan.audit(doc)) == []


def test_yantai_special_fund_form_names_its_project() -> None:
    # 烟台市民政局 专项资金绩效目标表: `专项资金名称 | 惠民殡葬补助资金`; the form went unnamed.
    doc = yusuan.read(CORPUS / "yantai_2026_minzhengju_p33.pdf")
    (form,) = doc.performance
    assert (form.project, form.unit_name) == ("惠民殡葬补助资金", "烟台市民政局")
    assert [(i.level2, i.level3, i.value) for i in form.indicators[1:3]] == [
        ("数量指标", "基本殡葬费用减免完成率", "1"),
        ("数量指标", "节地生态安葬奖补人数", "≥50人"),
    ]
    assert len(form.indicators) == 11


# ───────────────────────────── tables printed empty ─────────────────────────────


def _c702(report: yusuan.Report) -> tuple[int, int]:
    rule = next(r for r in report.rules if r.rule == "C702")
    return rule.checks, rule.passed


def test_yantai_empty_fund_tables_are_read_with_their_statement() -> None:
    # 烟台市审计局 公开表8/9: title, header, one blank ruled row, and `（注：2026年没有使用…的
    # 支出。）` 2.6 em below the grid. Under the inferred profile they were listed as
    # 「不属于模板，未审核」(C703), and the statement, further down than a note may stand, was
    # read as a paragraph of the narrative.
    doc = yusuan.read(CORPUS / "yantai_2026_shenjiju_p19-21.pdf", profile="generic")
    assert not doc.extra_tables
    empty = [t for t in doc.tables.values() if t.is_empty]
    assert [(t.name, t.kind) for t in empty] == [
        ("公开表8", "gov-fund"),
        ("公开表9", "state-capital"),
    ]
    for table in empty:
        assert table.readable and not table.rows
        assert [c.role for c in table.columns] == [
            "total",
            "basic",
            "personnel",
            "public",
            "project",
        ]
        assert len(table.notes) == 1 and "没有使用" in table.notes[0].text
    assert not any("没有使用" in p.text for p in doc.paragraphs)
    report = yusuan.audit(doc)
    assert report.document["coverage"]["unread"] == []
    assert report.document["coverage"]["empty"] == [
        {
            "table": "公开表8",
            "title": "政府性基金预算支出情况表",
            "notes": [empty[0].notes[0].text],
        },
        {
            "table": "公开表9",
            "title": "国有资本经营预算支出情况表",
            "notes": [empty[1].notes[0].text],
        },
    ]
    listing = {t["name"]: t for t in document_json(doc)["tables"]}
    assert (listing["公开表8"]["kind"], listing["公开表8"]["empty"]) == ("gov-fund", True)
    assert listing["公开表7"]["empty"] is False
    assert not [f for f in report.findings if f.rule == "C703"]
    assert _c702(report) == (3, 3) and _errors(report) == []


def test_suzhou_empty_table_keeps_its_total_row_out_of_the_header() -> None:
    # 苏州市交通运输局 公开11表: header `项目 | | 本年支出合计 | 基本支出 | 项目支出`, a 栏次 row,
    # then `合计 | | | |` and `…故本表无数据。`. The 合计 row was moved into the header with the
    # digitless rows of an empty table, and the header no longer had a label column.
    doc = yusuan.read(CORPUS / "suzhou_2026_jiaotongju_p22-24.pdf", profile="generic")
    assert not doc.extra_tables
    tables = {t.name: t for t in doc.tables.values()}
    fund, capital = tables["公开10表"], tables["公开11表"]
    assert (fund.kind, capital.kind) == ("gov-fund", "state-capital")
    assert fund.is_empty and capital.is_empty
    assert [c.role for c in capital.columns] == ["total", "basic", "project"]
    assert [r.label for r in capital.rows] == ["合计"]
    report = yusuan.audit(doc)
    assert _c702(report) == (3, 3) and _errors(report) == []


def test_xian_2022_contents_lines_state_which_tables_are_empty() -> None:
    # 西安 2022 (国资委): 表9 政府性基金收支表, 表11 结转资金支出表 and 表12 政府采购预算表 are
    # printed as header only; the 目录 says `是否空表：是 | 公开空表理由：不涉及` for each.
    doc = yusuan.read(CORPUS / "xian_2022_guoziwei_p19_23_32_34-36.pdf", profile="generic")
    tables = {t.name: t for t in doc.tables.values()}
    assert tables["目录"].kind == "contents"
    empty = {n: t.kind for n, t in tables.items() if t.is_empty and t.kind != "contents"}
    assert empty == {"表9": "gov-fund", "表11": "carryover", "表12": "procurement"}
    for name in empty:
        (note,) = tables[name].notes
        assert note.text.startswith(f"目录：{name} ") and note.text.endswith("是否空表：是，不涉及")
    # Header words naming no amount (资金性质, 采购目录) make text columns, not unnamed amounts.
    assert [c.label for c in tables["表11"].columns] == ["金额"]
    assert [c.role for c in tables["表12"].columns] == ["quantity", "amount"]
    report = yusuan.audit(doc)
    assert report.document["coverage"]["columns_unnamed"] == []
    assert _c702(report) == (4, 4) and _errors(report) == []


def test_xian_2022_a_reason_for_an_empty_table_is_its_statement() -> None:
    # 西安 住建局 2022 leaves 是否空表 blank in the full file's reading and prints only the
    # reason, `不涉及`: that says the table is empty as well.
    doc = yusuan.read(CORPUS / "xian_2022_guoziwei_p19_23_32_34-36.pdf", profile="generic")
    contents = next(t for t in doc.tables.values() if t.kind == "contents")
    for row in contents.rows:
        row.texts["empty"] = ""
    for table in doc.tables.values():
        table.notes = []
    assert doc.inferred_profile is not None
    contents_notes(doc, doc.inferred_profile)
    notes = {t.name: [n.text for n in t.notes] for t in doc.tables.values() if t.notes}
    assert notes["表11"] == ["目录：表11 2022年部门综合预算财政拨款上年结转资金支出表 不涉及"]


def test_xian_2022_the_narrative_may_say_a_table_is_empty() -> None:
    # Without a note or a 目录 line, a sentence of the 说明 naming the table's kind and saying
    # it is empty is its statement: `本部门2022年无政府采购预算，并已公开空表。` (p19).
    doc = yusuan.read(CORPUS / "xian_2022_guoziwei_p19_23_32_34-36.pdf", profile="generic")
    procurement = next(t for t in doc.tables.values() if t.kind == "procurement")
    procurement.notes = []
    assert _errors(yusuan.audit(doc)) == []
    # Without that sentence the table's emptiness is stated nowhere: a finding.
    doc.paragraphs = [p for p in doc.paragraphs if "政府采购" not in p.text]
    assert [f.rule for f in yusuan.audit(doc).findings if f.severity is Severity.ERROR] == ["C702"]


def test_shanghai_overview_classes_by_name_are_compared_with_the_expense_table() -> None:
    # Read with no template, 上海 单位财务收支预算总表 lists its 支出 by 类 name alone
    # (`一、社会保障和就业支出`): the names take the catalog's codes, and each 类 is compared
    # with the 支出预算总表's total for that code (X301 / X310). Changing one figure shows it.
    doc = yusuan.read(CORPUS / "shanghai_2026_wenbaozhongxin_danwei-yusuan.pdf", profile="generic")
    (overview,) = [t for t in doc.tables.values() if t.kind == "overview"]
    assert [r.code for r in overview.coded_rows()] == ["207", "208", "210", "221"]
    assert _errors(yusuan.audit(doc)) == []
    row = next(r for r in overview.coded_rows() if r.code == "208")
    key, cell = next((k, c) for k, c in row.cells.items() if c.value)
    assert cell.value is not None
    row.cells[key] = Cell(cell.value + 100, cell.text, cell.loc, cell.decimals)
    errors = _errors(yusuan.audit(doc))
    x301 = [e for e in errors if e.startswith("X301")]
    assert len(x301) == 1 and "收支总表支出各类 = 支出总表同类合计：208" in x301[0]
    assert "差 100" in x301[0]


def test_yantai_title_printed_inside_the_frame(read_audit) -> None:
    # 烟台 市场监管局 p45: `专项资金绩效目标表` is the first row of the form's frame, with no
    # caption above it; the form was an untitled, unread table.
    doc, report = read_audit["yantai_2026_shijianju_p45-46"]
    assert doc.extra_tables == []
    form, following = doc.performance
    assert form.project == "市场监管发展专项" and following.project == "公务用车集中统管"
    assert {"成本指标"} <= {i.level1 for i in form.indicators}
    assert _errors(report) == []


@pytest.mark.parametrize(
    ("extract", "indicators"),
    [
        # p71 sets the vertical `标` of a cell cut at the foot of p70 above the page's top edge.
        ("xian_2022_kejiju_p70-71", 7),
        # `产/出/指/标` printed a glyph per line under the frame of p48 and `数量指标` above p49's.
        ("xian_2022_yibaoju_p48-49", 8),
    ],
)
def test_xian_2022_performance_form_goes_on_past_glyphs_spilt_by_the_page(
    read_audit, extract: str, indicators: int
) -> None:
    doc, report = read_audit[extract]
    assert doc.extra_tables == []
    assert report.document["coverage"]["unread"] == []
    (form,) = doc.performance
    assert len(form.indicators) == indicators
    assert _errors(report) == []


def test_beijing_projects_running_over_pages_keep_their_own_indicators() -> None:
    # 北京市应急管理局 预算12表 pp. 20–31. A project's 编码名称, 金额 and 年度绩效目标 are merged
    # cells as tall as all its indicator rows, often taller than a page: each page rules them
    # at the sides only, sets their whole text and clips it to the page's part (so the name
    # shows on whichever page holds the cell's middle), and a new project may begin halfway
    # down a page with its name on the next. Read as the frame's columns, with the clipped
    # text left out and a project's rows kept from the one above, every project is a form of
    # its own indicators: 安全生产标准化 ends with the two 成本指标 at the top of p22; the four
    # rows below its foot are 应急指挥中心信息化技术保障项目's, named on p24.
    doc = yusuan.read(CORPUS / "beijing_2026_yingjiju_baobiao_p20-31.pdf", profile="beijing-2026")
    forms = [(p.project[:21], len(p.indicators)) for p in doc.performance if p.project]
    assert forms == [
        ("11000022T000000447090", 9),
        ("11000022T000000447427", 9),
        ("11000022T000000447576", 15),
        ("11000022T000000447587", 20),
        ("11000022T000000450192", 20),
        ("11000022T000000450212", 15),
        ("11000022T000000450223", 10),
    ]
    standard = doc.performance[1]
    assert [i.level3[:9] for i in standard.indicators[-2:]] == [
        "安全生产标准化（二",
        "安全生产标准化现场",
    ]
    centre = doc.performance[2]
    assert centre.indicators[0].value == "≤9.064万元" and centre.indicators[0].loc.page == 3
    assert [t for t in doc.extra_tables if t.kind is None and not t.rows] == []


def test_beijing_project_names_cut_by_the_page_break_are_one_project() -> None:
    # 北京市应急管理局 预算12表: a project beginning at the foot of p. 39 shows there the top of
    # its name and its funds, cut by the rule (`11000022T000000469175-事故责任追究和 20.000000`),
    # and p. 40 the same cut line again with the rest (`故责任追究和整改措施落实情况评估服务`);
    # p. 72 ends a name inside `北京市` after the code, p. 73 goes on `京市森林消防…` with the
    # funds. Each is one project, not two (whose funds would count twice).
    path = CORPUS / "text" / "beijing_2026_yingjiju_baobiao_p20_39-40_72-73.pdf"
    doc = yusuan.read(path, profile="beijing-2026")
    named = [(p.project, p.total.value if p.total else None) for p in doc.performance]
    assert named[1:] == [
        ("11000022T000000469175-事故责任追究和整改措施落实情况评估服务", Decimal("20.000000")),
        (
            "11000024T000002843044-北京市森林消防综合应急救援队伍“野外化、实战化”大练兵服务",
            Decimal("158.703050"),
        ),
    ]
    projects = [r.project for r in doc.tables["PP"].rows if r.project]
    assert len(projects) == len(set(projects)) == 3


def test_beijing_goal_line_straddling_the_foot_keeps_the_table_going() -> None:
    # 北京市财政局 预算12表 p17: the foot of the frame cuts a 年度绩效目标 line
    # (`有企业财务会计`, its top 1.4 pt above the rule). Read as a paragraph it ended the table,
    # and the 38 projects after it were one piece not audited.
    path = CORPUS / "text" / "beijing_2026_caizhengju_baobiao_p17-18.pdf"
    doc = yusuan.read(path, profile="beijing-2026")
    assert [(p.project[:21], p.loc.page) for p in doc.performance] == [
        ("11000022T000000455794", 1),
        ("11000022T000000456408", 1),
        ("11000022T000000456476", 2),
    ]
    assert doc.extra_tables == []
