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
from yusuan.readers.ir import RawTablePlace
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


def _word_disclosure(path: Path) -> None:
    """A Word file shaped like the published ones, not like ours: a 目录 in a content
    control, 标题 styles, the caption and 编制部门/单位 in plain paragraphs (the two on one
    line, tab-separated), a header merged across and down, a 栏次 row, a row that starts
    after a skipped grid column, a table continued in a second Word table."""
    from docx import Document as new_document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = new_document()
    body = d.element.body
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    toc = d.add_paragraph("目录")
    content.append(toc._p)
    body.insert(0, sdt)
    d.add_heading("第一部分 部门概况", level=1)
    d.add_paragraph("主要职能：负责测试工作。")
    d.add_paragraph("表1")
    d.add_paragraph("2025年部门收支总表")
    d.add_paragraph("编制部门：测试局\t\t\t单位：万元")
    t = d.add_table(rows=5, cols=4)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "项目"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "预算数"
    for c, text in enumerate(["合计", "基本支出", "项目支出"], start=1):
        t.cell(1, c).text = text
    for c, text in enumerate(["栏次", "1", "2", "3"]):
        t.cell(2, c).text = text
    for c, text in enumerate(["一般公共服务支出", "10.00", "6.00", "4.00"]):
        t.cell(3, c).text = text
    for c, text in enumerate(["", "20.00", "20.00", ""]):
        t.cell(4, c).text = text
    tr = t.rows[4]._tr
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    tr.get_or_add_trPr().append(before)
    tr.remove(tr.findall(qn("w:tc"))[0])  # the row starts after one grid column
    run = t.cell(3, 0).paragraphs[0].runs[0]
    run.bold = True
    d.save(str(path))


def test_word_disclosure_tables_and_text_in_document_order(tmp_path: Path) -> None:
    from yusuan.readers.word import read_docx_raw

    path = tmp_path / "disclosure.docx"
    _word_disclosure(path)
    raw, lines = read_docx_raw(path)
    texts = [p.text for p in raw.paragraphs]
    assert texts[:3] == ["目录", "第一部分 部门概况", "主要职能：负责测试工作。"]
    assert raw.paragraphs[1].heading_level == 1
    [table] = raw.tables
    assert (table.label, table.title, table.org, table.unit_text) == (
        "表1",
        "2025年部门收支总表",
        "测试局",
        "万元",
    )
    assert [r.texts() for r in table.header_rows] == [
        ["项目", "预算数", "", ""],
        ["", "合计", "基本支出", "项目支出"],  # 项目 merged down: the covered cell is empty
        ["栏次", "1", "2", "3"],
    ]
    assert [r.texts() for r in table.body_rows] == [
        ["一般公共服务支出", "10.00", "6.00", "4.00"],
        ["", "20.00", "20.00", ""],
    ]
    first = table.body_rows[0]
    assert first.cells[0].bold and not first.cells[1].bold
    # Provenance: the line of the document's text, the Word table and its cell.
    assert first.cells[2].loc.sheet == "表格1" and first.cells[2].loc.cell == "C4"
    assert lines[first.loc.lines[0] - 1] == "一般公共服务支出\t10.00\t6.00\t4.00"
    assert table.body_rows[1].cells[1].loc.cell == "B5"


def test_word_order_of_paragraphs_and_tables_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "disclosure.docx"
    _word_disclosure(path)
    from yusuan.readers.word import read_docx_raw

    raw, _ = read_docx_raw(path)
    first_table = next(i for i, p in enumerate(raw.order) if isinstance(p, RawTablePlace))
    assert first_table > 2  # after the 目录, the heading and the text


def test_damaged_word_file_is_a_clear_input_error(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    _word_disclosure(good)
    data = good.read_bytes()
    import io
    import zipfile

    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]  # cut in the middle of the XML
            dst.writestr(item, content)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(broken.getvalue())
    with pytest.raises(InputError, match="Word 文档"):
        yusuan.read(bad)
    result = CliRunner().invoke(app, ["audit", str(bad)])
    assert result.exit_code == 2 and "Word 文档" in result.output


def test_word_file_joins_a_document_set(tmp_path: Path) -> None:
    from yusuan.readers.read import read_raw
    from yusuan.readers.sets import set_files

    path = tmp_path / "disclosure.docx"
    _word_disclosure(path)
    assert set_files([tmp_path]) == [path]  # a folder contributes its Word files too
    raw, source = read_raw(path)
    assert source.format == "docx" and [t.title for t in raw.tables] == ["2025年部门收支总表"]
