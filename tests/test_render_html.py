"""HTML: one self-contained page with every table, every figure and every paragraph."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from yusuan.model.document import Document
from yusuan.render import html, write
from yusuan.render.layout import TableBlock, TextBlock, document_blocks


class _Sections(HTMLParser):
    """Texts and amount cells of each `<section id=…>`, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.cells: dict[str, list[tuple[str, dict[str, str | None]]]] = {}
        self.cell: dict[str, str | None] | None = None
        self.buffer: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self.current = found.get("id")
            self.cells[self.current or ""] = []
        if tag in ("td", "th"):
            self.cell, self.buffer = found | {"tag": tag}, []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.cells[self.current].append(("".join(self.buffer), self.cell))
            self.cell = None
        if tag == "section":
            self.current = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cell is not None:
            self.buffer.append(data)


@pytest.fixture(scope="module")
def page(sample_doc: Document, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("html") / "sample.html"
    write(sample_doc, "html", path)  # through the dispatcher, as the CLI will
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(page: str) -> _Sections:
    parser = _Sections()
    parser.feed(page)
    return parser


def test_self_contained(page: str) -> None:
    assert page.startswith("<!doctype html>") and "<style>" in page
    for outside in ("<script", "<link", "http://", "https://", "@import", "url("):
        assert outside not in page


def test_every_table_with_every_figure(parsed: _Sections, sample_doc: Document) -> None:
    for key, table in sample_doc.tables.items():
        cells = parsed.cells[key]
        amounts = [(text, attrs["data-value"]) for text, attrs in cells if "data-value" in attrs]
        expected = [
            (f"{c.value:,.{c.decimals}f}", c.value)
            for row in table.rows
            for c in row.cells.values()
            if c.value is not None
        ]
        assert sorted((t, Decimal(str(v))) for t, v in amounts) == sorted(expected), key
    assert len([k for k in parsed.cells if k.startswith("P")]) == len(sample_doc.performance)


def test_headers_merged_and_notes_of_empty_tables(parsed: _Sections, sample_doc: Document) -> None:
    heads = {
        (text, attrs.get("colspan")) for text, attrs in parsed.cells["T2"] if attrs["tag"] == "th"
    }
    assert ("财政拨款（补助）", "7") in heads and ("类", None) in heads
    assert ("基本支出", "2") in {
        (text, attrs.get("colspan")) for text, attrs in parsed.cells["T11"]
    }
    page = "".join(parsed.text)
    for key in ("T8", "T9"):
        assert sample_doc.tables[key].notes[0].text in page


def test_every_paragraph_in_order(parsed: _Sections, sample_doc: Document) -> None:
    page = "".join(parsed.text)
    position = 0
    for block in document_blocks(sample_doc):
        text = block.text if isinstance(block, TextBlock) else block.title
        position = page.index(text, position)
    assert "编制部门：自治区人力资源和社会保障厅" in page
    assert sum(1 for b in document_blocks(sample_doc) if isinstance(b, TableBlock)) == 28


def test_to_html_escapes_text(sample_doc: Document) -> None:
    sample_doc_paragraph = sample_doc.paragraphs[0]
    original = sample_doc_paragraph.text
    try:
        sample_doc_paragraph.text = "<b>厅</b> & 局"
        out = html.to_html(sample_doc)
    finally:
        sample_doc_paragraph.text = original
    assert "&lt;b&gt;厅&lt;/b&gt; &amp; 局" in out


def test_write_creates_parent_directories(sample_doc: Document, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "page.html"
    html.write(sample_doc, target)
    assert target.stat().st_size > 100_000
