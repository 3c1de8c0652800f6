"""LibreOffice opens the DOCX and XLSX; the PDF renderer prints the whole document.

LibreOffice starts slowly, so the DOCX and the XLSX are converted in one run, and the PDF
renderer (which converts its own DOCX) runs once. scripts/ensure-libreoffice installs
LibreOffice and the Chinese font; these tests skip, saying why, only where it could not.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from yusuan.errors import YusuanError
from yusuan.model.document import Document
from yusuan.render import docx, pdf, xlsx

NOT_INSTALLED = (
    "LibreOffice 或中文字体未安装（scripts/ensure-libreoffice 在 Debian 上以 root 运行时会安装）"
)

# Figures from every part: totals of tables 1 / 3 / 5 / 7, a carry-over, a 三公 item, a
# 绩效目标表 amount; and Chinese text from titles, headers and the narrative.
FIGURES = ("58,654.04", "40,320.67", "34,530.67", "18,333.37", "182.31", "13,582.22", "400.00")
WORDS = (
    "部门收支总体情况表",
    "一般公共预算项目支出情况表",
    "财政拨款（补助）",
    "编制部门：自治区人力资源和社会保障厅",
    "特定目标 6010091N",
)
NARRATIVE = ("第三部分", "名词解释", "项目支出绩效目标表", "政府性基金预算支出情况表为空表")


def _usable() -> bool:
    return pdf.find_soffice() is not None and pdf.has_chinese_font()


needs_libreoffice = pytest.mark.skipif(not _usable(), reason=NOT_INSTALLED)


def _text(path: Path) -> tuple[str, int, set[str]]:
    """Text of every page, the page count and the fonts used."""
    with pdfplumber.open(path) as doc:
        pages = [page.extract_text_simple() or "" for page in doc.pages]
        fonts = {c["fontname"] for c in doc.pages[0].chars}
    return "\n".join(pages), len(pages), fonts


def _flat(text: str) -> str:
    """Text without line breaks and spaces: LibreOffice wraps cells and spaces CJK runs."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def converted(sample_doc: Document, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    work = tmp_path_factory.mktemp("libreoffice")
    sources = [work / "document.docx", work / "tables.xlsx"]  # LibreOffice names by stem
    docx.write(sample_doc, sources[0])
    xlsx.write(sample_doc, sources[1])
    return pdf.convert(sources, work / "pdf")


@needs_libreoffice
def test_docx_opens_in_libreoffice(converted: list[Path]) -> None:
    text, pages, _ = _text(converted[0])
    flat = _flat(text)
    assert pages > 30
    for figure in FIGURES:
        assert figure in text, figure
    for word in (*WORDS, *NARRATIVE):
        assert _flat(word) in flat, word


@needs_libreoffice
def test_xlsx_opens_in_libreoffice(converted: list[Path]) -> None:
    text, pages, _ = _text(converted[1])
    flat = _flat(text)
    assert pages >= 12  # a sheet per table, tables 2 and 7 over several pages
    for figure in FIGURES:
        assert figure in text, figure
    for word in WORDS:
        assert _flat(word) in flat, word


@needs_libreoffice
def test_pdf_renderer_prints_the_whole_document(
    sample_doc: Document, tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = tmp_path_factory.mktemp("pdf") / "out" / "sample.pdf"
    pdf.write(sample_doc, target)
    assert target.read_bytes().startswith(b"%PDF")
    text, pages, fonts = _text(target)
    flat = _flat(text)
    assert pages > 30
    for figure in FIGURES:
        assert figure in text, figure
    for word in (*WORDS, *NARRATIVE, sample_doc.paragraphs[-1].text):
        assert _flat(word) in flat, word
    # The Chinese text is drawn with an embedded Chinese font, not with boxes.
    assert any("CJK" in f for f in fonts), fonts


def test_missing_libreoffice_is_a_clear_chinese_error(
    sample_doc: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(YusuanError, match="生成 PDF 需要 LibreOffice") as raised:
        pdf.write(sample_doc, tmp_path / "x.pdf")
    assert "ensure-libreoffice" in raised.value.message
    assert not (tmp_path / "x.pdf").exists()


def test_missing_chinese_font_is_a_clear_chinese_error(
    sample_doc: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "has_chinese_font", lambda: False)
    with pytest.raises(YusuanError, match="中文字体"):
        pdf.write(sample_doc, tmp_path / "x.pdf")


def test_convert_refuses_files_that_would_overwrite_each_other(tmp_path: Path) -> None:
    with pytest.raises(YusuanError, match="不能重复"):
        pdf.convert([tmp_path / "a.docx", tmp_path / "a.xlsx"], tmp_path, soffice="soffice")


def test_soffice_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\n")
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(program))
    assert pdf.find_soffice() == str(program)


def test_fonts_conf_keeps_the_system_configuration() -> None:
    conf = pdf.fonts_conf()
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in conf
    assert "<family>宋体</family><prefer><family>Noto Serif CJK SC</family>" in conf
