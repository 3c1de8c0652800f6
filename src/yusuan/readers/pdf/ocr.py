"""Scanned pages through OCR (optional: `pip install yusuan[ocr]`, used only with `--ocr`).

RapidOCR (PaddleOCR's PP-OCRv4 Chinese models run by onnxruntime) ships its models inside its
PyPI package, so nothing is downloaded at run time. Each page without a text layer is rendered
at 144 dpi and recognised line by line; every recognised line becomes glyphs spread evenly
over its box (`Char`s, as PDFium would give them), so the rest of the PDF reader — lines,
paragraphs, headings by outline number, page furniture, provenance as page + box — works on
scanned pages unchanged. Pages with a text layer are read as usual. Measurements and the
decision to offer it: docs/ocr.md.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from yusuan.errors import InputError
from yusuan.progress import report
from yusuan.readers.ir import RawDocument
from yusuan.readers.pdf.backend import load_page, open_pdf
from yusuan.readers.pdf.primitives import Char
from yusuan.readers.pdf.reader import pages_to_document
from yusuan.readers.pdf.settings import PdfSettings

OCR_PACKAGE = "rapidocr_onnxruntime"
SCALE = 2.0  # 144 dpi: 5-号 text is ~28 px high, where PP-OCRv4 is at its best
MIN_SCORE = 0.5  # recognition confidence below which a line is noise (chart marks, stains)
_SIZE_OF_BOX = 0.82  # font size / line-box height for CJK text as PP-OCR draws its boxes
# A zero the recogniser reads as the CJK numeral 〇 ("收入〇万元"); in dates (二〇二六年) it is
# followed by another numeral, never by a unit.
_ZERO_BEFORE_UNIT = re.compile(r"〇(?=\s*(?:万元|亿元|元|%|台|辆|个|人))")


def ocr_available() -> bool:
    return importlib.util.find_spec(OCR_PACKAGE) is not None


@cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-not-found, unused-ignore]

    return RapidOCR()


def read_pdf_raw_ocr(path: Path, settings: PdfSettings | None = None) -> RawDocument:
    """As `read_pdf_raw`, with the scanned pages recognised by OCR instead of skipped."""
    if not ocr_available():
        raise InputError("文字识别（--ocr）需要安装 yusuan[ocr]（rapidocr-onnxruntime）")
    settings = settings or PdfSettings()
    doc = open_pdf(path)
    try:
        pages = [load_page(doc, i, settings) for i in range(len(doc))]
        scanned = [
            page
            for page in pages
            if not (page.error or page.chars or page.image_coverage < settings.scan_image_coverage)
        ]
        # A page takes seconds: say how far recognition has got (yusuan.progress).
        report("文字识别", 0, len(scanned))
        for done, page in enumerate(scanned, start=1):
            result, _ = _engine()(_page_image(doc, page.number), use_cls=False)
            page.chars = lines_to_chars(result or [], SCALE)
            report("文字识别", done, len(scanned))
    finally:
        doc.close()
    return pages_to_document(pages, path.name, settings)


def _page_image(doc: Any, number: int) -> Any:
    """Page `number` (1-based) rendered at SCALE, as the array the recogniser takes."""
    pdf_page = doc[number - 1]
    try:
        return pdf_page.render(scale=SCALE).to_numpy()
    finally:
        pdf_page.close()


def lines_to_chars(lines: Sequence[Any], scale: float) -> list[Char]:
    """RapidOCR's `[box, text, score]` lines (box: four corners in pixels) → glyphs in points."""
    chars: list[Char] = []
    for box, text, score in lines:
        text = _ZERO_BEFORE_UNIT.sub("0", str(text).strip())
        if float(score) < MIN_SCORE or not text:
            continue
        xs = [float(p[0]) / scale for p in box]
        ys = [float(p[1]) / scale for p in box]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        size = (bottom - top) * _SIZE_OF_BOX
        pad = (bottom - top - size) / 2
        step = (x1 - x0) / len(text)
        for i, ch in enumerate(text):
            if ch.isspace():
                continue
            left = x0 + i * step
            chars.append(
                Char(
                    ch, left, left + step * 0.96, top + pad, bottom - pad, bottom - pad, size, False
                )
            )
    return chars
