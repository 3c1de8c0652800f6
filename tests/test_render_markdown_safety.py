"""The Markdown writer escapes document text: nothing in a name is interpreted, all reads back."""

from __future__ import annotations

import copy

import yusuan
from yusuan.model.document import Document
from yusuan.render.markdown import escape, to_markdown

HOSTILE = "人社厅**粗**<script>alert(1)</script>&amp;_斜_[链](u)|`码`\\"


def test_escape_makes_markdown_inert() -> None:
    out = escape(HOSTILE + "\x00\x07")
    for ch in "*<>_[]|`\\\x00\x07":
        assert ch not in out
    assert out.startswith("人社厅&#42;&#42;粗")


def test_hostile_names_survive_build_and_read(sample_doc: Document) -> None:
    doc = copy.deepcopy(sample_doc)
    doc.department = HOSTILE + "\x00"
    project_row = next(r for r in doc.tables["T7"].rows if r.project)
    project_row.project = "项目**粗**<b>x</b>"
    text = to_markdown(doc)
    assert "<script>" not in text and "\x00" not in text
    again = yusuan.read_text(text)
    assert again.department == HOSTILE  # the NUL is dropped, the rest is the same text
    assert "项目**粗**<b>x</b>" in {r.project for r in again.tables["T7"].rows}
    assert not [r for r in again.tables["T7"].rows if r.bold and r.project == project_row.project]


def test_reports_quote_plain_text_not_the_converters_markup(sample_doc: Document) -> None:
    report = yusuan.audit(sample_doc)
    quoted = [
        (no, text)
        for f in report.findings
        for no, text in report.evidence(f)
        if "<b>" in sample_doc.source.lines[no - 1]
    ]
    assert quoted  # some findings rest on bold source lines
    assert not [t for _, t in quoted if "<b>" in t or "</b>" in t]
