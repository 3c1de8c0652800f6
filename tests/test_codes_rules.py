"""K8xx — classification codes against the document itself and the catalog.

The real sample raises no code finding: every code it prints is in the catalog (2024
edition) under the name it prints, every 款/项 sits under its parent, and every (项)
paragraph's path names the codes of 表5. Each altered copy below plants one defect and
must produce exactly the listed K findings, with all their lines, and no other K finding.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

import yusuan
from yusuan.audit import select_rules
from yusuan.audit.report import Report
from yusuan.catalog import load_catalog, names_match
from yusuan.model.document import Document
from yusuan.profiles import load_profile
from yusuan.profiles.schema import ColumnSpec, TableSpec

from .conftest import SAMPLE, Edit, altered

KFinding = tuple[str, str, tuple[int, ...]]


def k_findings(report: Report) -> set[KFinding]:
    """(rule, severity, every line) of the code findings."""
    return {
        (f.rule, f.severity.value, f.location.lines)
        for f in report.findings
        if f.rule.startswith("K")
    }


_LINES = SAMPLE.read_text(encoding="utf-8").split("\n")


def swap_lines(a: int, b: int) -> list[Edit]:
    """Edits exchanging two whole lines of the sample (moving a row with `audit_variant`)."""
    return [(a, _LINES[a - 1], _LINES[b - 1]), (b, _LINES[b - 1], _LINES[a - 1])]


def drop_line(n: int, starts: str) -> Edit:
    """An edit emptying line `n` (a row left out), which must start with `starts`."""
    assert _LINES[n - 1].startswith(starts), _LINES[n - 1]
    return (n, _LINES[n - 1], "")


# ───────────────────────────── the real sample ─────────────────────────────


def test_sample_raises_no_code_finding(sample_report: Report) -> None:
    assert k_findings(sample_report) == set()
    assert not [n for n in sample_report.not_run if n.rule.startswith("K")]
    ran = {r.rule: r.checks for r in sample_report.rules if r.rule.startswith("K")}
    assert set(ran) == {"K801", "K802", "K803", "K804", "K805", "K806"}
    assert all(checks > 0 for checks in ran.values()), ran


def test_every_code_and_name_of_the_sample_resolves(sample_doc: Document) -> None:
    cat = load_catalog()
    lists = {"function": "function", "economic": "economic_dept"}
    profile = load_profile(sample_doc.profile)
    checked = 0
    for spec in profile.tables:
        table = sample_doc.tables.get(spec.key)
        classification = spec.classification or next(
            (p.classification for p in spec.panels if p.classification), None
        )
        if table is None or classification is None:
            continue
        for row in table.coded_rows():
            assert row.code is not None
            entry = cat.entry(row.code, lists[classification], 2024)
            assert entry is not None, (table.name, row.code)
            assert names_match(entry.name, row.label), (table.name, row.code, row.label)
            checked += 1
    assert checked > 250


def test_sample_paths_not_in_table_5_are_left_to_n301(sample_report: Report) -> None:
    # 机关服务（项）and four other 0.00 paragraphs name items 表5 does not print: not a code
    # finding (their amount, 0.00, is what N301 checks), so 35 paths give 30 checks.
    k806 = next(r for r in sample_report.rules if r.rule == "K806")
    assert (k806.checks, k806.passed) == (30, 30)


# ───────────────────────────── altered copies ─────────────────────────────


CASES: dict[str, tuple[list[Edit], set[KFinding], str]] = {
    # A 项 renamed in every table that prints it: the catalog knows 2080101 as 行政运行.
    "renamed-item": (
        [(n, "\t行政运行\t", "\t行政管理\t") for n in (171, 240, 342)],
        {("K803", "warning", (171, 240, 342))},
        "表2、表3、表5 2080101：名称「行政管理」与《2024年政府收支分类科目》的「行政运行」不一致",
    ),
    # The pre-renaming name of 2080501, printed consistently: a warning naming the edition.
    "outdated-name": (
        [(n, "\t行政单位离退休\t", "\t归口管理的行政单位离退休\t") for n in (194, 253, 355)],
        {("K803", "warning", (194, 253, 355))},
        "是旧名称，最迟自《2024年政府收支分类科目》起改为「行政单位离退休」",
    ),
    # An invented 款 of 301, a branch the catalog holds in full for 2024: an error.
    "invented-code-complete-branch": (
        [(396, "301\t02 津贴补贴", "301\t04 津贴补贴")],
        {("K804", "error", (396,))},
        "相近编码：30102 津贴补贴",
    ),
    # An invented 项 of 20508, a branch not marked complete: only a notice.
    "invented-code-partial-branch": (
        [(n, "205\t08\t01", "205\t08\t02") for n in (168, 237, 339)],
        {("K804", "notice", (168, 237, 339))},
        "分类科目目录的来源中没有此编码（目录不完整，未收录不等于编码无效）；相近编码：2050801 教师进修",
    ),
    # 表5's 2080199 row (line 353) moved below the 20805 row (354): a 项 under the wrong 款.
    "item-under-wrong-kuan": (
        swap_lines(353, 354),
        {("K801", "error", (353, 354))},
        "表5 2080199 其他人力资源和社会保障管理事务支出：列在款 20805 行政事业单位养老支出 之下，"
        "按编码其上级款应为 20801",
    ),
    # 表5 without its 205 教育支出 row: a 款 with no 类 row where the table shows 类 rows.
    "kuan-without-lei": (
        [drop_line(333, "<b>205</b>\t\t\t<b>教育支出</b>")],
        {("K801", "error", (334,))},
        "表5 20503 职业教育：上面没有其所属类 205 的行",
    ),
    # The same in 表7, inside one unit: 技工教师进修学校 loses its 208 row, and the 230 row
    # of the unit before must not count as the parent of its 20801 row.
    "kuan-without-lei-in-unit": (
        [drop_line(476, "<b>208</b>\t\t\t<b>社会保障和就业支出</b>")],
        {("K801", "error", (485,))},
        "表7 20801 人力资源和社会保障管理事务：上面没有其所属类 208 的行",
    ),
    # 表3 alone prints 2080101 under another name.
    "one-code-two-names": (
        [(240, "\t行政运行\t", "\t行政管理\t")],
        {("K802", "error", (240,))},
        "表3 2080101：名称「行政管理」与表2、表5 的「行政运行」不一致（同一编码印有两个名称）；"
        "《2024年政府收支分类科目》为「行政运行」",
    ),
    # 302 01 办公费 moved from 公用经费 to 人员经费.
    "economic-code-wrong-column": (
        [(407, "113.73\t\t113.73", "113.73\t113.73\t")],
        {("K805", "warning", (407,))},
        "表6 30201 办公费：「人员经费」列有 113.73，但该列只含经济分类 301、303；"
        "302 商品和服务支出 不属于此列，应列在「公用经费」",
    ),
    # A (项) paragraph that files 教师进修 under another 款 of the table.
    "narrative-path-wrong-kuan": (
        [(687, "进修及培训（款）", "职业教育（款）")],
        {("K806", "error", (338, 339, 687))},
        "说明写作「职业教育（款）」，表5 中其上级款为 20508 进修及培训（「职业教育」是 20503 的名称）",
    ),
    # A (项) paragraph using the old name of the 款 20805.
    "narrative-path-old-kuan-name": (
        [(715, "行政事业单位养老支出（款）", "行政事业单位离退休（款）")],
        {("K806", "warning", (354, 355, 715))},
        "「行政事业单位离退休」是旧名称，最迟自《2024年政府收支分类科目》起改为「行政事业单位养老支出」",
    ),
    # A (项) paragraph using the old name of the 项 2080501 itself.
    "narrative-path-old-item-name": (
        [(715, "行政单位离退休（项）", "归口管理的行政单位离退休（项）")],
        {("K806", "warning", (355, 715))},
        "使用 2080501 的旧名称「归口管理的行政单位离退休」：最迟自《2024年政府收支分类科目》起为"
        "「行政单位离退休」",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_planted_code_defect_is_found_at_its_lines(
    name: str, audit_variant: Callable[[list[Edit]], Report]
) -> None:
    edits, expected, words = CASES[name]
    report = audit_variant(edits)
    assert k_findings(report) == expected
    messages = [f.message for f in report.findings if f.rule.startswith("K")]
    assert any(words in m for m in messages), messages


def test_code_findings_do_not_repeat_each_other(
    audit_variant: Callable[[list[Edit]], Report],
) -> None:
    # A name printed two ways is K802's; K803 does not also compare either name with the
    # catalog, even though 行政管理 is not the catalog's name.
    report = audit_variant([(240, "\t行政运行\t", "\t行政管理\t")])
    assert not [f for f in report.findings if f.rule == "K803"]


@pytest.mark.parametrize("year", [None, 2023])
def test_completeness_is_not_borrowed_from_another_year(sample_text: str, year: int | None) -> None:
    # 301 is complete in the 2024 edition only. A document of unknown year, or of 2023
    # (checked against the nearest edition, 2024), gets a notice for an invented 款 of 301.
    doc = yusuan.read_text(altered(sample_text, [(396, "301\t02", "301\t04")]), path="v.md")
    doc.year = year
    report = yusuan.audit(doc, rules=select_rules(["K804"]))
    assert k_findings(report) == {("K804", "notice", (396,))}


# ───────────────────────────── column classes are profile data ─────────────────────────────


def test_economic_columns_follow_the_profile(sample_text: str) -> None:
    doc = yusuan.read_text(altered(sample_text, [(407, "113.73\t\t113.73", "113.73\t113.73\t")]))
    profile = load_profile(doc.profile)
    rules = select_rules(["K805"])
    assert k_findings(yusuan.audit(doc, profile, rules)) == {("K805", "warning", (407,))}
    # A template whose 人员经费 may hold 302 makes the same table pass.
    t6 = profile.table("T6")
    assert t6 is not None
    wider = t6.model_copy(update={"column_classes": {"personnel": ["301", "302", "303"]}})
    tables = [wider if t.key == "T6" else t for t in profile.tables]
    assert (
        k_findings(yusuan.audit(doc, profile.model_copy(update={"tables": tables}), rules)) == set()
    )


def test_column_classes_name_economic_classes() -> None:
    cat = load_catalog()
    profile = load_profile("xinjiang-2024")
    t6, t7 = profile.table("T6"), profile.table("T7")
    assert t6 is not None and t7 is not None
    assert t6.column_classes == {
        "personnel": ["301", "303"],
        "public": ["302", "307", "310", "399"],
    }
    # 表7: one 类 per column, all different, every amount column but the total mapped.
    classes = [c for cs in t7.column_classes.values() for c in cs]
    assert all(len(cs) == 1 for cs in t7.column_classes.values())
    assert len(set(classes)) == len(classes) == len(t7.columns) - 1
    # The catalog attests 301/302/303/307/310/312/399 (312 对企业补助: 广州 and 深圳 in the
    # development corpus); 309, 311, 313 (基本建设, 社会保障基金补助) no catalog source
    # prints (docs/catalog.md).
    unattested = {c for c in classes if cat.entry(c, "economic_dept") is None}
    assert unattested == {"309", "311", "313"}
    labels = {c.key: c.label for c in t7.columns}
    for key, (cls,) in t7.column_classes.items():
        entry = cat.entry(cls, "economic_dept")
        if entry is not None and key != "goods":  # printed short: 商品服务支出
            assert names_match(labels[key], entry.name), (key, labels[key], entry.name)


@pytest.mark.parametrize(
    ("column_classes", "words"),
    [({"nope": ["301"]}, "unknown column"), ({"total": ["30101"]}, "3-digit")],
)
def test_column_classes_are_validated(column_classes: dict[str, list[str]], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        TableSpec(
            key="T",
            title="t",
            layout="coded",
            classification="economic",
            columns=[ColumnSpec(key="total", label="合计")],
            column_classes=column_classes,
        )
