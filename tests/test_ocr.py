"""Scanned PDFs: refused without OCR; read through RapidOCR with `--ocr` (optional extra).

The OCR tests run only where `yusuan[ocr]` is installed (`pip install -e '.[ocr]'`); they read
one page of the scanned Beijing 情况说明 (about 5–10 s) and check the figures verified by eye
against the page image (docs/ocr.md).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

import yusuan
from yusuan.cli import app
from yusuan.errors import InputError
from yusuan.readers.pdf import ocr as ocr_module
from yusuan.readers.pdf.ocr import lines_to_chars, ocr_available

SCANNED = (
    Path(__file__).parent
    / "data"
    / "published"
    / "2026_beijing_zhengwufuwu-shujuju_yusuan_shuoming_scanned.pdf"
)
needs_ocr = pytest.mark.skipif(
    not ocr_available(), reason="yusuan[ocr]（rapidocr-onnxruntime）未安装：跳过文字识别测试"
)

# Page 7 as printed (checked against the rendered page): 三公 and 政府采购 figures.
PAGE7 = {
    "67.86",
    "80.11",
    "8.35",
    "9.44",
    "51.3",
    "7.25",
    "21.56",
    "12.53",
    "9.03",
    "55,307.45",
    "1,168.3",
    "105.2",
    "54,033.95",
    "760.36",
}


def test_scanned_pdf_without_ocr_is_refused_naming_its_pages() -> None:
    with pytest.raises(InputError, match=r"^第 1–8 页没有文字层（扫描件）"):
        yusuan.read(SCANNED)


def test_ocr_without_the_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_module, "ocr_available", lambda: False)
    with pytest.raises(InputError, match=r"需要安装 yusuan\[ocr\]"):
        yusuan.read(SCANNED, ocr=True)
    result = CliRunner().invoke(app, ["audit", str(SCANNED), "--ocr"])
    assert result.exit_code == 2 and "yusuan[ocr]" in result.output


def test_recognised_lines_become_glyphs_in_points() -> None:
    box = [[200.0, 100.0], [400.0, 100.0], [400.0, 140.0], [200.0, 140.0]]
    chars = lines_to_chars([(box, "收入〇万元", 0.98), (box, "噪点", 0.2)], scale=2.0)
    assert "".join(c.text for c in chars) == "收入0万元"  # 〇 before a unit is a zero
    assert chars[0].x0 == 100.0 and abs(chars[-1].x1 - 200.0) < 1
    assert all(50.0 < c.top < c.bottom < 70.0 for c in chars)


@pytest.fixture(scope="module")
def page7(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = pdfium.PdfDocument(str(SCANNED))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [6])
    path = tmp_path_factory.mktemp("ocr") / "page7.pdf"
    out.save(str(path))
    return path


@needs_ocr
def test_ocr_reads_the_figures_and_the_sums_stated_in_words_hold(page7: Path) -> None:
    doc = yusuan.read(page7, ocr=True)
    printed = {f.raw for f in doc.figures}
    assert printed >= PAGE7, PAGE7 - printed
    headings = [p.text for p in doc.paragraphs if p.heading]
    assert "四、财政拨款“三公”经费预算情况说明" in headings
    assert all(f.loc.page == 1 and f.loc.bbox is not None for f in doc.figures)
    # A 情况说明 alone: no tables, read with the generic profile, its narrative audited.
    assert doc.profile == "generic" and not doc.tables
    sums = {ss.total.raw: [f.value for _, f in ss.parts] for ss in doc.stated_sums}
    assert sums["80.11"] == [Decimal("51.3"), Decimal("7.25"), Decimal("21.56")]
    assert sums["55,307.45"] == [Decimal("1168.3"), Decimal("105.2"), Decimal("54033.95")]
    report = yusuan.audit(doc)
    stated = next(r for r in report.rules if r.rule == "S501")
    assert stated.checks == stated.passed >= 3
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_ocr_reports_its_progress_page_by_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Recognition takes seconds a page: the CLI says how far it has got (issue 9). The
    recogniser (and the page image it takes, a numpy array) is replaced by one that "reads"
    a heading, so this runs without the extra."""
    src = pdfium.PdfDocument(str(SCANNED))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [5, 6])
    two_pages = tmp_path / "scanned-2.pdf"
    out.save(str(two_pages))
    box = [[100.0, 100.0], [500.0, 100.0], [500.0, 140.0], [100.0, 140.0]]
    seen: list[int] = []

    def recognise(image: object, use_cls: bool) -> tuple[list[object], None]:
        seen.append(1)
        return [(box, "一、部门收支总体情况", 0.99)], None

    monkeypatch.setattr(ocr_module, "ocr_available", lambda: True)
    monkeypatch.setattr(ocr_module, "_engine", lambda: recognise)
    monkeypatch.setattr(ocr_module, "_page_image", lambda doc, number: number)
    result = CliRunner().invoke(app, ["show", str(two_pages), "--ocr"])
    assert len(seen) == 2
    assert "文字识别：共 2 页" in result.output
    assert "文字识别：1/2 页" in result.output and "文字识别：2/2 页" in result.output
    # One heading is not a disclosure: refused with rc 2, after the progress lines.
    assert result.exit_code == 2 and "不是部门预算/决算公开文件" in result.output
    # The library has no reporter: it prints nothing.
    with pytest.raises(InputError, match="不是部门预算"):
        yusuan.read(two_pages, ocr=True)
    assert len(seen) == 4
    assert capsys.readouterr() == ("", "")
