"""DOCX: the whole document in reading order, tables with merged headers, Chinese fonts, A4."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Cm

from yusuan.model.document import Document
from yusuan.render import docx as render_docx
from yusuan.render.layout import TableBlock, TextBlock, document_blocks


@pytest.fixture(scope="module")
def docx_path(sample_doc: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "sample.docx"
    render_docx.write(sample_doc, path)
    return path


@pytest.fixture(scope="module")
def reopened(docx_path: Path) -> DocxDocument:
    return docx.Document(str(docx_path))


@pytest.fixture(scope="module")
def blocks(sample_doc: Document) -> list[TableBlock | TextBlock]:
    return document_blocks(sample_doc)


def test_every_table_in_reading_order_with_its_figures(
    reopened: DocxDocument, blocks: list[TableBlock | TextBlock], sample_doc: Document
) -> None:
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    assert len(reopened.tables) == len(tables) == 11 + len(sample_doc.performance)
    for block, table in zip(tables, reopened.tables, strict=True):
        assert len(table.rows) == block.grid.nrows, block.key
        assert len(table.columns) == block.grid.ncols, block.key
        cells = [list(row.cells) for row in table.rows]  # looked up once: python-docx is slow
        for gc in block.grid.cells:
            if gc.value is not None or (gc.text and not gc.head and gc.rowspan == 1):
                assert cells[gc.row][gc.col].text == gc.text, (block.key, gc)
    # Every amount of the model is in its table, as printed.
    t7 = reopened.tables[6]
    printed = {c.text for row in t7.rows for c in row.cells}
    for row in sample_doc.tables["T7"].rows:
        for cell in row.cells.values():
            if cell.value is not None:
                assert f"{cell.value:,.2f}" in printed


def test_every_paragraph_of_the_model_is_printed(
    reopened: DocxDocument, blocks: list[TableBlock | TextBlock], sample_doc: Document
) -> None:
    texts = [p.text for p in reopened.paragraphs]
    expected = [b.text for b in blocks if isinstance(b, TextBlock)]
    # Captions (表 1) are folded into the tables' labels; everything else is printed once.
    assert len(expected) == len(sample_doc.paragraphs) - 11
    position = 0
    for text in expected:
        position = texts.index(text, position) + 1  # in reading order
    headings = {p.text: p.style.name for p in reopened.paragraphs if p.style is not None}
    assert headings["第三部分 2024 年部门预算情况说明"] == "Heading 1"
    assert headings["二、关于自治区人力资源和社会保障厅 2024 年收入预算情况说明"] == "Heading 2"
    assert headings["（一）一般公共预算当年拨款规模变化情况"] == "Heading 3"
    for table in ("表1", "表11", "部门收支总体情况表", "上年结转结余情况明细表"):
        assert table in texts
    assert "编制部门：自治区人力资源和社会保障厅\t单位：万元" in texts


def test_merged_header_cells_and_repeated_header_rows(reopened: DocxDocument) -> None:
    t2 = reopened.tables[1]
    first = t2.rows[0]._tr
    spans = [(tc.xpath("string(.)"), tc.grid_span) for tc in first.tc_lst]
    assert ("财政拨款（补助）", 7) in spans
    assert ("功能分类科目编码", 3) in spans
    name = t2.rows[0].cells[3]
    assert name.text == "功能分类科目名称" and t2.rows[1].cells[3]._tc is name._tc  # merged down
    for n, row in enumerate(t2.rows):
        header = row._tr.trPr.find(qn("w:tblHeader")) is not None
        assert header == (n < 3)


def test_bold_rows_are_bold(reopened: DocxDocument) -> None:
    t6 = reopened.tables[5]
    total = t6.rows[4]
    assert total.cells[2].text == "总计"
    assert all(r.bold for c in total.cells for p in c.paragraphs for r in p.runs)
    plain = t6.rows[6]
    assert plain.cells[2].text == "基本工资"
    assert not any(r.bold for c in plain.cells for p in c.paragraphs for r in p.runs)


def test_a4_pages_landscape_for_wide_tables(reopened: DocxDocument) -> None:
    sizes = {(round(s.page_width / Cm(1)), round(s.page_height / Cm(1))) for s in reopened.sections}
    assert sizes == {(21, 30), (30, 21)}
    assert any(s.page_width > s.page_height for s in reopened.sections)
    assert reopened.sections[0].page_width < reopened.sections[0].page_height


def test_chinese_font_set_for_east_asian_text(reopened: DocxDocument) -> None:
    defaults = reopened.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsia")) == render_docx.SERIF
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    heading = reopened.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == render_docx.SANS
    assert heading.get(qn("w:eastAsiaTheme")) is None  # a theme font would override ours
