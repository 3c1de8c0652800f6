"""A workbook of the tables alone never held a 情况说明: its sections are not checked (and
the report says so) unless asked for; a workbook that does hold one is checked as before."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import yusuan
from yusuan.cli import app
from yusuan.compose import build
from yusuan.render import xlsx

from .test_build_errors import GOOD, _files


def test_tables_only_workbook_sections_not_checked_unless_asked(tmp_path: Path) -> None:
    doc = build(*_files(tmp_path, GOOD)).document
    path = tmp_path / "tables.xlsx"
    xlsx.write(doc, path)
    read = yusuan.read(path)
    assert not read.narrative_included
    report = yusuan.audit(read)
    assert not [f for f in report.findings if f.rule == "C704"]
    [skipped] = [n for n in report.not_run if n.rule == "C704"]
    assert "没有情况说明" in skipped.reason
    asked = yusuan.audit(read, require_narrative=True)
    assert {f.rule for f in asked.findings if f.severity.value == "error"} == {"C704"}

    runner = CliRunner()
    plain = runner.invoke(app, ["audit", str(path)])
    assert plain.exit_code == 0, plain.output
    assert "情况说明不在输入中" in plain.output
    strict = runner.invoke(app, ["audit", str(path), "--require-narrative"])
    assert strict.exit_code == 1 and "C704" in strict.output


def test_text_with_narrative_is_still_checked(sample_doc: yusuan.Document) -> None:
    assert sample_doc.narrative_included
