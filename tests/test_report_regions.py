"""HTML reports on PDF input show the page region of each finding, inlined as PNG data URIs."""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

import yusuan
from yusuan.audit.report import Report
from yusuan.reporters import render
from yusuan.reporters.html import render_html
from yusuan.reporters.regions import MARGIN, SCALE, page_regions

PDF = Path(__file__).parent / "data" / "published" / "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf"
_IMG = re.compile(r'<img class="region" src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture(scope="module")
def pdf_report() -> Report:
    return yusuan.audit(yusuan.read(PDF))


def _finding_blocks(page: str) -> list[tuple[str, str, bytes | None]]:
    """(rule, message, image bytes) for each finding block of the page."""
    out = []
    for block in page.split('<div class="finding ')[1:]:
        rule = re.search(r'<span class="rule">(\w+)', block)
        msg = re.search(r'<div class="msg">([^<]*)</div>', block)
        img = _IMG.search(block)
        assert rule and msg
        out.append((rule.group(1), msg.group(1), base64.b64decode(img.group(1)) if img else None))
    return out


def test_each_located_finding_shows_its_page_region(pdf_report: Report) -> None:
    page = render(pdf_report, "html")
    blocks = _finding_blocks(page)
    located = [f for f in pdf_report.findings if f.location.page and f.location.bbox]
    assert len(located) >= 10
    assert sum(1 for _, _, img in blocks if img) == len(located)
    # The inspector's finding: 表3 行政运行 on page 11, its row outlined in the crop.
    _, _, png = next(b for b in blocks if b[0] == "A101" and "行政运行" in b[1])
    assert png is not None and png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    finding = next(f for f in located if f.rule == "A101" and "行政运行" in f.message)
    assert finding.location.page == 11 and finding.location.bbox is not None
    x0, y0, x1, y1 = finding.location.bbox
    assert image.width <= round((x1 - x0 + 2 * MARGIN) * SCALE) + 2
    assert image.height <= round(max(y1 - y0 + 2 * MARGIN, 48) * SCALE) + 2
    raw = image.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    reds = sum(1 for r, g, b in pixels if r > 150 and g < 90 and b < 90)
    darks = sum(1 for r, g, b in pixels if r < 100 and g < 100 and b < 100)
    assert reds > image.width and darks > 200  # the outline, and printed figures inside it
    # Self-contained: nothing is loaded from elsewhere.
    assert not re.search(r'(?:src|href)="(?!data:|#)', page)


def test_images_are_capped_and_the_page_says_so(pdf_report: Report) -> None:
    page = render_html(pdf_report, regions=3)
    blocks = _finding_blocks(page)
    shown = [(rule, img) for rule, _, img in blocks if img]
    assert len(shown) == 3
    located = sum(1 for f in pdf_report.findings if f.location.page and f.location.bbox)
    assert f"只为前 3 个问题（错误优先）附页面截图，其余 {located - 3} 个问题" in page
    errors = {f.message for f in pdf_report.findings if f.severity.value == "error"}
    assert all(msg in errors for _, msg, img in blocks if img)


def test_no_evidence_means_no_images(pdf_report: Report) -> None:
    page = render(pdf_report, "html", evidence=False)
    assert not _IMG.search(page) and "附页面截图" not in page


def test_text_input_keeps_its_quoted_lines(sample_report: Report) -> None:
    page = render(sample_report, "html")
    assert not _IMG.search(page)
    assert 'class="ev"' in page and page_regions(sample_report).images == {}


def test_a_moved_pdf_leaves_the_report_without_images(pdf_report: Report, tmp_path: Path) -> None:
    copy = tmp_path / "moved.pdf"
    shutil.copy(PDF, copy)
    report = yusuan.audit(yusuan.read(copy))
    copy.unlink()
    page = render(report, "html")
    assert not _IMG.search(page)
    assert f"找不到原文件 {copy}" in page
