"""Document sets: a 情况说明 and a 报表 published as two files, audited as one document.

北京 publishes them separately; the 报表 is the published sample
(tests/data/published/2026_beijing_zhengwufuwu-shujuju_yusuan_baobiao.pdf) and the 情况说明 a
short text in the wording of the real 北京 2026 ones with that 报表's amounts
(tests/data/sets/README.md). The narrative is only checked against the tables when both files
are read together, and every finding names the file it rests on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yusuan import audit, read, read_set
from yusuan.audit.findings import Finding, Severity
from yusuan.audit.report import Report
from yusuan.errors import InputError
from yusuan.readers.read import text_raw
from yusuan.readers.sets import merge_raw, set_files
from yusuan.reporters import render

from . import published
from .test_cli import assert_clean_failure, run
from .test_pdf_reader import BEIJING

DATA = Path(__file__).parent / "data"
NARRATIVE = DATA / "sets" / "2026_beijing_zhengwufuwu-shujuju_shuoming.md"
TABLES = DATA / "published" / BEIJING
# 基本支出 of 预算03表 合计 is 38,197.009752 万元; the narrative states 38197.01.
RIGHT = "基本支出预算38197.01万元"
WRONG = "基本支出预算39197.01万元"


def _set_report(narrative: str, name: str = str(NARRATIVE)) -> Report:
    """The set (narrative text + the 报表) as `read_set` builds it, the PDF read once."""
    pdf_source = published.assembled(BEIJING, published.raw(BEIJING)).source
    raw, source = merge_raw(
        [
            (published.raw(BEIJING), pdf_source),
            text_raw(narrative, name, "utf-8"),
        ]
    )
    from yusuan.readers.assemble import assemble

    return audit(assemble(raw, source))


def _narrative_findings(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.rule.startswith("N")]


def test_read_set_reads_both_files_as_one_document() -> None:
    doc = read_set([TABLES, NARRATIVE])
    assert doc.profile == "beijing-2026"
    # The narrative file comes first whatever the order given; the tables follow.
    assert [p.path for p in doc.source.parts] == [str(NARRATIVE), str(TABLES)]
    assert doc.source.path == f"{NARRATIVE} + {TABLES}"
    assert doc.source.format == "mixed" and doc.source.pages is None  # the text has no pages
    assert doc.department == "北京市政务服务和数据管理局" and doc.year == 2026
    # Every place names its file: the narrative's lines, the tables' pages.
    assert {p.loc.file for p in doc.paragraphs[:5]} == {str(NARRATIVE)}
    t3 = doc.tables["T3"]
    assert t3.loc.file == str(TABLES) and t3.loc.page == 3
    assert {st.section for st in doc.statements} >= {"income", "expense", "sangong", "other"}


def test_narrative_checked_against_the_tables_only_in_a_set() -> None:
    text = NARRATIVE.read_text(encoding="utf-8")
    assert RIGHT in text
    right = _set_report(text)
    assert next(r.checks for r in right.rules if r.rule == "N301") >= 8
    assert not [f for f in _narrative_findings(right) if f.severity is Severity.ERROR]

    wrong = _set_report(text.replace(RIGHT, WRONG))
    errors = [f for f in _narrative_findings(wrong) if f.severity is Severity.ERROR]
    assert [f.message for f in errors if f.rule == "N301"] == [
        "「基本支出预算」：说明 39,197.010000，预算03表 总计基本支出 38,197.009752，差 1,000.000248"
    ]
    # Its stated share (37.59 %) no longer fits the changed amount either.
    assert [f.rule for f in errors if f.rule != "N301"] == ["N302"]
    finding = next(f for f in errors if f.rule == "N301")
    line = text.splitlines().index(next(x for x in text.splitlines() if RIGHT in x)) + 1
    assert finding.location.file == str(NARRATIVE)
    assert finding.location.lines == (line,)
    assert finding.location.section == "支出预算情况说明"
    assert wrong.evidence(finding) == [(line, text.splitlines()[line - 1].replace(RIGHT, WRONG))]
    # The tables' own findings stay on the 报表's pages.
    a103 = [f for f in wrong.findings if f.rule == "A103"]
    assert a103 and {f.location.file for f in a103} == {str(TABLES)}
    assert {f.location.page for f in a103} == {3, 10}

    # The same narrative alone has no table to be checked against: no N301 finding.
    alone = audit(read(NARRATIVE))
    assert not _narrative_findings(alone)
    assert next(r.checks for r in alone.rules if r.rule == "N301") == 0


def test_reports_name_the_file() -> None:
    text = NARRATIVE.read_text(encoding="utf-8").replace(RIGHT, WRONG)
    report = _set_report(text)
    data = json.loads(report.to_json())
    n301 = next(f for f in data["findings"] if f["rule"] == "N301" and f["severity"] == "error")
    assert n301["location"]["file"] == str(NARRATIVE)
    assert n301["evidence"][0]["text"].endswith(WRONG + "，占本年支出预算37.59%。")
    assert [f["path"] for f in data["document"]["files"]] == [str(NARRATIVE), str(TABLES)]
    shown = render(report, "text", evidence=True)
    assert f"《{NARRATIVE.name}》 · 支出预算情况说明" in shown
    assert f"《{TABLES.name}》 · 预算03表 · 第 3 页" in shown
    assert f"《{TABLES.name}》" in render(report, "markdown")


def test_page_regions_come_from_each_findings_own_pdf() -> None:
    pytest.importorskip("PIL")
    from yusuan.reporters.regions import page_regions

    report = _set_report(NARRATIVE.read_text(encoding="utf-8").replace(RIGHT, WRONG))
    regions = page_regions(report, limit=3)
    assert len(regions.images) == 3 and regions.note.startswith("为控制文件大小")
    with_image = [f for f in report.findings if regions.of(f)]
    assert with_image and {f.location.file for f in with_image} == {str(TABLES)}
    # The narrative is text: it is quoted, not pictured.
    assert not any(regions.of(f) for f in _narrative_findings(report))


def test_a_single_file_reads_as_before(tmp_path: Path) -> None:
    doc = read_set([NARRATIVE])
    assert doc.source.parts == () and doc.source.path == str(NARRATIVE)
    assert all(p.loc.file is None for p in doc.paragraphs)


def test_folder_expands_to_its_disclosure_files(tmp_path: Path) -> None:
    for name in ("b.pdf", "a.md", "notes.json", ".hidden.pdf"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub").mkdir()
    assert [p.name for p in set_files([tmp_path])] == ["a.md", "b.pdf"]
    with pytest.raises(InputError, match="没有公开文件"):
        set_files([tmp_path / "sub"])


def test_files_of_different_years_are_refused(tmp_path: Path) -> None:
    text = NARRATIVE.read_text(encoding="utf-8")
    other = tmp_path / "2025_shuoming.md"
    other.write_text(text.replace("2026", "2025"), encoding="utf-8")
    with pytest.raises(InputError, match=r"不是同一份公开文件.*2026 年.*2025 年"):
        read_set([NARRATIVE, other])
    with pytest.raises(InputError, match="不是同一份公开文件"):  # `read` takes a list too
        read([NARRATIVE, other])
    dept = tmp_path / "other_dept.md"
    dept.write_text(text.replace("北京市政务服务和数据管理局", "北京市审计局"), encoding="utf-8")
    with pytest.raises(InputError, match="不是同一部门"):
        read_set([NARRATIVE, dept])
    result = run("audit", NARRATIVE, other)
    assert_clean_failure(result, 2, "不是同一份公开文件")


def test_cli_audits_a_set_and_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "北京"
    folder.mkdir()
    (folder / NARRATIVE.name).write_text(
        NARRATIVE.read_text(encoding="utf-8").replace(RIGHT, WRONG), encoding="utf-8"
    )
    (folder / TABLES.name).symlink_to(TABLES)
    result = run("audit", folder, "-f", "json", "--select", "N301")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["document"]["files"]] == [
        str(folder / NARRATIVE.name),
        str(folder / TABLES.name),
    ]
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert [f["location"]["file"] for f in errors] == [str(folder / NARRATIVE.name)]


def test_a_last_digit_off_is_tail_adjustment_not_an_error() -> None:
    """北京 tables print 万元 to six decimals, the narrative to two, its parts adjusted to add
    up to the rounded total (corpus: 审计局 项目支出 7,633.51 for 7,633.516247)."""
    text = NARRATIVE.read_text(encoding="utf-8")
    for stated, severity in (("38197.00", Severity.NOTICE), ("38196.99", Severity.ERROR)):
        report = _set_report(text.replace(RIGHT, f"基本支出预算{stated}万元"))
        found = [f for f in report.findings if f.rule == "N301"]
        assert [f.severity for f in found] == [severity], found
        assert found[0].location.file == str(NARRATIVE)
