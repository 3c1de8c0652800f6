"""Build → Markdown → read: the same document, figure for figure; the ledger's other forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import yusuan
from yusuan.cli import app
from yusuan.compose import build
from yusuan.compose.compare import document_differences
from yusuan.model.document import Document
from yusuan.render.markdown import to_markdown

from .test_build_errors import GOOD, HEADER, _files

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "examples" / "ledger" / "2024_xinjiang_hrss_ledger.csv"
DEPARTMENT = ROOT / "examples" / "ledger" / "2024_xinjiang_hrss_department.toml"


def test_small_ledger_round_trips(tmp_path: Path) -> None:
    result = build(*_files(tmp_path, GOOD))
    doc = result.document
    assert yusuan.audit(doc).summary.errors == 0
    again = yusuan.read_text(to_markdown(doc))
    assert document_differences(doc, again) == []
    # Reasons left out are visible placeholders, and listed.
    assert "reasons.gp.basic" in result.missing
    assert "主要原因是【待补充：reasons.gp.basic】" in to_markdown(doc)


def test_xlsx_ledger_builds_the_same_document(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    csv_ledger, dept = _files(tmp_path, GOOD)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in GOOD:
        # Spreadsheets hold codes and amounts as numbers.
        ws.append(
            [
                row[0],
                int(row[1]),
                int(row[2]),
                row[3],
                row[4],
                row[5] or None,
                float(row[6]),
                float(row[7]),
            ]
        )
    xlsx = tmp_path / "ledger.xlsx"
    wb.save(xlsx)
    a = build(csv_ledger, dept).document
    b = build(xlsx, dept).document
    assert document_differences(a, b) == []


def test_gbk_tab_separated_ledger(tmp_path: Path) -> None:
    csv_ledger, dept = _files(tmp_path, GOOD)
    tsv = tmp_path / "ledger.tsv"
    tsv.write_text("\n".join("\t".join(r) for r in [HEADER, *GOOD]) + "\n", encoding="gb18030")
    assert document_differences(build(csv_ledger, dept).document, build(tsv, dept).document) == []


def test_json_output(tmp_path: Path) -> None:
    ledger, dept = _files(tmp_path, GOOD)
    out = tmp_path / "out.json"
    result = CliRunner().invoke(app, ["build", str(ledger), "-d", str(dept), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    t1 = data["tables"]["T1"]
    total = next(r for r in t1["rows"] if r["key"] == "income_total")
    assert total["cells"]["amount"]["value"] == "151.20"  # a string: never a float
    assert data["department"] == "测试厅"


def test_cli_markdown_output_audits_clean(tmp_path: Path) -> None:
    out = tmp_path / "hrss.md"
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(LEDGER), "-d", str(DEPARTMENT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "错误 0" in result.output
    audited = runner.invoke(app, ["audit", str(out)])
    assert audited.exit_code == 0, audited.output


def test_markdown_renders_a_read_document_back(sample_doc: Document) -> None:
    """The renderer prints any Document: the sample read, rendered and read again."""
    again = yusuan.read_text(to_markdown(sample_doc))
    diffs = document_differences(sample_doc, again)
    # Tables, statements, projects and 绩效 tables come back; paragraph breaks may differ
    # where the reader had joined lines of the PDF text.
    assert [d for d in diffs if d != "段落不同"] == []
    assert len(again.statements) == len(sample_doc.statements)
