"""Unknown templates: the generic profile reads every table it can and checks what the header
rows and codes establish; documents that are no disclosure stay input errors."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

import yusuan
from yusuan.audit.report import Report
from yusuan.cli import app
from yusuan.errors import InputError
from yusuan.model.document import Document
from yusuan.model.tables import RowKind
from yusuan.money import Unit
from yusuan.profiles import load_profile
from yusuan.profiles.generic import GENERIC_CONFIDENCE, GENERIC_ID
from yusuan.readers.assemble.generic import row_sum_failures

from .conftest import altered

DATA = Path(__file__).parent / "data"

PUBLISHED = Path(__file__).parent / "data" / "published"
SIFAJU = PUBLISHED / "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf"
# The same two table errors as tests/test_sheet_reader.py.
EDITS = [
    (240, "4,746.82\t4,746.82\t", "4,746.82\t4,746.28\t"),
    (588, "公务接待费\t1.80", "公务接待费\t1.90"),
]


def renamed(text: str) -> str:
    """The sample with every table title replaced by one no template knows (绩效目标表 kept)."""
    lines = text.split("\n")
    n = 0
    for i, line in enumerate(lines):
        if i > 100 and re.match(r"^#{2,3} .*表$", line) and "绩效目标表" not in line:
            n += 1
            lines[i] = re.sub(r"^(#{2,3} ).*$", lambda m, n=n: f"{m.group(1)}资金明细第{n}号", line)
    assert n == 12  # 11 tables and the part heading 第二部分 …公开表
    return "\n".join(lines)


@pytest.fixture(scope="module")
def generic_doc(sample_text: str) -> Document:
    return yusuan.read_text(renamed(altered(sample_text, EDITS)), path="renamed.md")


@pytest.fixture(scope="module")
def generic_report(generic_doc: Document) -> Report:
    return yusuan.audit(generic_doc)


def _spec(doc: Document, label: str):  # type: ignore[no-untyped-def]
    assert doc.inferred_profile is not None
    key = next(k for k, t in doc.tables.items() if t.label == label)
    spec = doc.inferred_profile.table(key)
    assert spec is not None
    return doc.tables[key], spec


def test_unknown_titles_fall_back_to_the_generic_profile(
    generic_doc: Document, generic_report: Report
) -> None:
    assert generic_doc.profile == GENERIC_ID
    assert generic_doc.profile_confidence == GENERIC_CONFIDENCE < 0.1
    # 9 tables with figures typed; the two empty ones listed, not audited.
    assert sorted(t.label or "" for t in generic_doc.tables.values()) == sorted(
        f"表{n}" for n in (1, 2, 3, 4, 5, 6, 7, 10, 11)
    )
    assert len(generic_doc.performance) == 17
    notice = [f for f in generic_report.findings if f.rule == "C710"]
    assert len(notice) == 1 and notice[0].severity.value == "notice"
    assert "未识别的模板" in notice[0].message and "9 张表" in notice[0].message
    assert generic_report.document["profile"] == "generic"


def test_columns_and_row_sums_come_from_the_header(generic_doc: Document) -> None:
    t3, spec3 = _spec(generic_doc, "表3")
    assert (spec3.layout, spec3.classification) == ("coded", "function")
    assert [c.label for c in t3.columns] == ["合计", "基本支出", "项目支出"]
    assert [
        (t3.column_label(r.total), [t3.column_label(p) for p in r.parts]) for r in spec3.row_sums
    ] == [("合计", ["基本支出", "项目支出"])]
    assert spec3.rollup and spec3.grand_total
    t2, spec2 = _spec(generic_doc, "表2")
    sums = {t2.column_label(r.total): [t2.column_label(p) for p in r.parts] for r in spec2.row_sums}
    # 总计 = 财政拨款（补助）小计 + the other sources; 小计 = Σ the 财政拨款 columns.
    assert sums["总计"][:4] == [
        "财政拨款（补助）小计",
        "财政专户（教育收费）",
        "单位资金",
        "财政拨款结转",
    ]
    assert sums["财政拨款（补助）小计"] == [
        "一般公共预算",
        "上级一般公共预算安排的转移支付",
        "政府性基金预算",
        "上级政府性基金安排的转移支付",
        "国有资本经营预算",
    ]
    t11, spec11 = _spec(generic_doc, "表11")
    sums = [
        (t11.column_label(r.total), [t11.column_label(p) for p in r.parts]) for r in spec11.row_sums
    ]
    assert sums[0] == ("总计", ["财政拨款·合计", "非财政拨款·合计"])
    assert sums[1] == (
        "财政拨款·合计",
        ["财政拨款·基本支出·人员经费", "财政拨款·基本支出·公用经费", "财政拨款·项目支出"],
    )
    _, spec6 = _spec(generic_doc, "表6")
    assert (spec6.classification, spec6.rollup) == ("economic", True)
    t7, spec7 = _spec(generic_doc, "表7")
    assert spec7.layout == "coded-grouped" and spec7.unit_subtotals and not spec7.rollup
    assert any(r.kind is RowKind.PROJECT for r in t7.rows)
    _, spec1 = _spec(generic_doc, "表1")
    assert spec1.layout == "two-panel" and spec1.panels[1].classification == "function"


def test_generic_audit_finds_the_table_errors(sample_text: str, generic_report: Report) -> None:
    known = yusuan.audit(yusuan.read_text(altered(sample_text, EDITS), path="variant.md"))

    def arithmetic(report: Report) -> set[tuple[str, str, str]]:
        return {
            (f.rule, f.severity.value, f.message)
            for f in report.findings
            if f.rule in ("A101", "A102")
        }

    # The row and roll-up checks the template states are found from the header alone.
    assert arithmetic(generic_report) == arithmetic(known)
    assert {r for r, s, _ in arithmetic(known) if s == "error"} == {"A101", "A102"}
    # What needs the template is not checked: the 三公 items, the identities between tables.
    rules = {f.rule for f in generic_report.findings}
    assert "A104" in {f.rule for f in known.findings} and "A104" not in rules
    assert not any(f.rule.startswith("X") for f in generic_report.findings)
    # The narrative is still read: year-on-year reasons are checked.
    assert "Y403" in rules


def test_a_real_sample_forced_through_the_generic_path() -> None:
    result = CliRunner().invoke(
        app, ["audit", str(SIFAJU), "--profile", "generic", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["document"]["profile"] == "generic"
    assert data["document"]["profile_confidence"] == GENERIC_CONFIDENCE
    row_errors = [
        (f["location"]["page"], f["message"])
        for f in data["findings"]
        if f["rule"] == "A101" and f["severity"] == "error"
    ]
    # The inspector's finding (支出预算总表 p11, 一般公共预算支出功能分类预算表 p14), from the
    # header structure alone: 合计 ≠ 基本支出 + 项目支出 in row 2040601 行政运行.
    assert sorted(page for page, _ in row_errors) == [11, 14]
    assert all("2040601 行政运行：合计 14,348,853.34" in m for _, m in row_errors)
    assert any(f["rule"] == "C710" for f in data["findings"])


def test_misread_header_identities_are_dropped_with_a_note() -> None:
    # 合计 | 预算数 | 执行数: the header puts 合计 over two measures, which it does not sum.
    body = "\n".join(f"{code}\t{name}\t{a}\t{a}\t{b}" for code, name, a, b in _ROWS)
    text = (
        "# 某局 2025 年预算执行情况\n\n## 支出执行对照表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\t预算数\t执行数\n"
        f"\t合计\t600.00\t600.00\t540.00\n{body}\n"
    )
    doc = yusuan.read_text(text, path="measures.md")
    report = yusuan.audit(doc)
    assert doc.profile == GENERIC_ID
    assert not [f for f in report.findings if f.rule == "A101"]
    notes = [f.message for f in report.findings if f.rule == "C710"]
    assert any("「合计 = 预算数 + 执行数」在 5 行中有 5 行不成立" in m for m in notes), notes


_ROWS = [
    ("201", "一般公共服务支出", "300.00", "270.00"),
    ("20101", "人大事务", "300.00", "270.00"),
    ("208", "社会保障和就业支出", "300.00", "270.00"),
    ("20801", "人力资源和社会保障管理事务", "300.00", "270.00"),
]


def test_forced_generic_profile_loads_as_a_base() -> None:
    base = load_profile("generic")
    assert base.id == GENERIC_ID and base.tables == []
    assert {s.kind for s in base.sections} >= {"overview", "glossary", "statements"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# 通知\n\n请各单位于 3 月底前报送材料。\n", "没有找到任何表格"),
        (
            "# 目录\n\n## 报表目录\n\n序号\t报表名称\t是否空表\n1\t收支总表\t否\n2\t收入总表\t否\n",
            "没有任何金额",
        ),
    ],
)
def test_non_disclosures_stay_input_errors(text: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        yusuan.read_text(text, path="x.md")
    with pytest.raises(InputError, match=expected):
        yusuan.read_text(text, path="x.md", profile="generic")


def test_a_template_recognising_few_of_its_tables_gives_way_to_the_generic_profile(
    sample_text: str,
) -> None:
    # Keep the titles of 表1–表3 only: 3 of the Xinjiang template's 11 tables is too few to
    # trust it (it would report the other 8 as missing); the document is read generically
    # and a note names the near miss.
    keep = {"部门收支总体情况表", "部门收入总体情况表", "部门支出总体情况表"}
    lines = sample_text.split("\n")
    renamed = [
        (
            "## 某某表"
            if line.startswith("#")
            and line.strip("# ").endswith("表")
            and line.strip("# ") not in keep
            and 100 < no < 600
            else line
        )
        for no, line in enumerate(lines, 1)
    ]
    doc = yusuan.read_text("\n".join(renamed), path="few.md")
    assert doc.profile == GENERIC_ID and doc.profile_confidence == GENERIC_CONFIDENCE
    assert any("xinjiang-2024" in note.message for note in doc.notes)
    report = yusuan.audit(doc)
    # The template reports no table missing; the document's own 目录 lists eight titles no
    # table prints any more, which is said as a warning (missing, or not read).
    c701 = [f for f in report.findings if f.rule == "C701"]
    assert {f.severity.value for f in c701} == {"warning"} and len(c701) == 8
    assert "一般公共预算支出情况表" in report.document["coverage"]["missing_listed"]
    # With --profile the template is still applied as asked.
    forced = yusuan.read_text("\n".join(renamed), path="few.md", profile="xinjiang-2024")
    assert forced.profile == "xinjiang-2024"


def test_whole_yuan_tables_round_by_half_a_yuan_when_judging_a_template() -> None:
    # 上海 prints 单位预算 in whole 元: a 合计 of 506,287 over parts 356,271 + 150,017 (each
    # rounded from 分) is rounding, not a sign that the template does not fit. A table in whole
    # 元 said it printed two decimals, and such a built 上海 document was read back generically.
    doc = yusuan.read(DATA / "corpus" / "shanghai_2026_wenbaozhongxin_danwei-yusuan.pdf")
    profile = load_profile(doc.profile)
    table = doc.tables["T1"]
    spec = profile.table("T1")
    assert table.unit is Unit.YUAN and table.decimals() == 0 and spec is not None
    row_sum = spec.row_sums[0]
    row = next(r for r in table.rows if r.cell(row_sum.total) and r.value(row_sum.total))
    total = row.cells[row_sum.total]
    for off, failing in ((1, 0), (3, 1)):
        row.cells[row_sum.total] = replace(total, value=total.amount + off)
        assert row_sum_failures(table, row_sum)[1] == failing
