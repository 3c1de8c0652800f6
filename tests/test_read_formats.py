"""Formats yusuan writes and reads: its own JSON, HTML pages, Word documents."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

import yusuan
from yusuan.cli import app
from yusuan.errors import InputError
from yusuan.model.document import Document
from yusuan.readers.document_json import document_from_json
from yusuan.render.json import to_json

DATA = Path(__file__).parent / "data"


def _same_but_source(a: Document, b: Document) -> bool:
    return dataclasses.replace(b, source=a.source) == a


def test_json_reads_back_to_the_same_document(sample_doc: Document, tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(to_json(sample_doc), encoding="utf-8")
    again = yusuan.read(path)
    assert again.source.path == str(path)
    assert again.source.format == sample_doc.source.format  # what it was first read from
    assert _same_but_source(sample_doc, again)  # every field, provenance included


def test_json_of_a_generic_document_keeps_its_inferred_profile() -> None:
    doc = yusuan.read(DATA / "corpus" / "chongqing_2026_kejiju_p16-19.pdf")
    assert doc.inferred_profile is not None  # read by the generic profile
    again = document_from_json(to_json(doc), "doc.json")
    assert _same_but_source(doc, again)  # bounding boxes, inferred profile and all
    assert yusuan.audit(again).summary == yusuan.audit(doc).summary


def test_damaged_json_is_a_clear_input_error(sample_doc: Document, tmp_path: Path) -> None:
    text = to_json(sample_doc)
    with pytest.raises(InputError, match="已损坏"):
        document_from_json(text[: len(text) // 2], "cut.json")
    with pytest.raises(InputError, match="模型中没有的字段：colour"):
        document_from_json(text.replace('"department":', '"colour": 1, "department":', 1))
    with pytest.raises(InputError, match="yusuan-document/9"):
        document_from_json(text.replace("yusuan-document/1", "yusuan-document/9", 1))
    cut = tmp_path / "cut.json"
    cut.write_text(text[:5000], encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(cut)])
    assert result.exit_code == 2 and "已损坏" in result.output


def test_html_page_headings_paragraphs_and_tables() -> None:
    page = """<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>
<nav><a href="#T1">表1 部门收支总体情况表</a></nav>
<h1>第一部分 部门概况</h1>
<p>一、主要职能</p><p>负责全区人力资源和社会保障工作。<br>负责就业工作。</p>
<ul><li>1、测试厅本级</li></ul>
<div>表1</div><h3>部门收支总体情况表</h3>
<table><tr><th>项目</th><th>金额</th></tr><tr><td><b>合计</b></td><td>1.00</td></tr></table>
</body></html>"""
    from yusuan.readers.markdown import text_to_raw

    raw = text_to_raw(page)
    texts = [p.text for p in raw.paragraphs]
    assert "表1 部门收支总体情况表" not in texts  # navigation repeats titles: left out
    assert texts[:5] == [
        "第一部分 部门概况",
        "一、主要职能",
        "负责全区人力资源和社会保障工作。",
        "负责就业工作。",
        "1、测试厅本级",
    ]
    assert raw.paragraphs[0].heading_level == 1
    [table] = raw.tables
    assert table.title == "部门收支总体情况表" and table.label == "表1"
    assert [r.texts() for r in table.body_rows] == [["合计", "1.00"]]
    assert table.body_rows[0].cells[0].bold
