"""Page regions for reports on PDF input: the part of the page each finding rests on.

For every finding with a page and a box, a crop of the rendered page around the box (with
the box outlined) as a PNG data URI, so an HTML report stays one self-contained file. Each
needed page is rendered once, in grey, at a modest resolution; at most `limit` images are made
(errors first), and the report says when findings were left without one.

Rendering needs pypdfium2 (a core dependency) and Pillow (installed with the `pdf` extra).
Without Pillow, or when the PDF is no longer where it was read, there are no images and
`Regions.note` says why: the report is still complete without them.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yusuan.audit.findings import Finding, Severity
from yusuan.audit.report import Report

DEFAULT_LIMIT = 40  # about 1–2 MB of images: a page that still opens at once in a browser
SCALE = 1.5  # 108 dpi: 9 pt table text comes out 13–14 px high, readable without zooming
MARGIN = 18.0  # points of context around the finding's box
MIN_WIDTH, MIN_HEIGHT = 220.0, 48.0  # points: a lone figure still shows its row and column
_HIGHLIGHT = (211, 47, 47)
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}


@dataclass(slots=True)
class Regions:
    """Data URIs by finding (identity), and what to tell the reader about them."""

    images: dict[int, str] = field(default_factory=dict)
    eligible: int = 0  # findings with a page and a box
    note: str = ""

    def of(self, finding: Finding) -> str | None:
        return self.images.get(id(finding))


def page_regions(report: Report, limit: int = DEFAULT_LIMIT) -> Regions:
    """Crops of the source PDF for the report's findings (none unless the input was a PDF)."""
    regions = Regions()
    # The PDFs read: the document's own file, or each PDF of a document set (by path).
    files = report.document.get("files") or []
    pdfs = {str(f.get("path")) for f in files if f.get("format") == "pdf"}
    if not files and report.document.get("format") == "pdf":
        pdfs = {str(report.document.get("path") or "")}
    if not pdfs or limit <= 0:
        return regions

    def pdf_of(f: Finding) -> str | None:
        path = f.location.file if files else str(report.document.get("path") or "")
        return path if path in pdfs else None

    located = [f for f in report.findings if f.location.page and f.location.bbox and pdf_of(f)]
    regions.eligible = len(located)
    if not located:
        return regions
    try:
        from PIL import Image, ImageDraw  # noqa: F401  (checked here, used below)
    except ImportError:
        regions.note = "未安装 Pillow（yusuan[pdf]），报告中没有附页面截图"
        return regions
    missing = sorted({p for f in located if not Path(p := str(pdf_of(f))).is_file()})
    if missing:
        regions.note = f"找不到原文件 {'、'.join(missing)}，报告中没有附页面截图"
        return regions
    chosen = sorted(located, key=lambda f: _SEVERITY_ORDER[f.severity])[:limit]
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in chosen:
        by_file[str(pdf_of(f))].append(f)
    try:
        for path, findings in by_file.items():
            _render(Path(path), findings, regions)
    except Exception as exc:  # a damaged file must not cost the report; say what happened
        regions.images.clear()
        regions.note = f"无法渲染原文件页面（{type(exc).__name__}），报告中没有附页面截图"
        return regions
    if len(chosen) < len(located):
        regions.note = (
            f"为控制文件大小，只为前 {len(chosen)} 个问题（错误优先）附页面截图，"
            f"其余 {len(located) - len(chosen)} 个问题请按页码查看原文件"
        )
    return regions


def _render(path: Path, findings: Iterable[Finding], regions: Regions) -> None:
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    by_page: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        assert f.location.page is not None
        by_page[f.location.page].append(f)
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number, page_findings in sorted(by_page.items()):
            if not 1 <= number <= len(pdf):
                continue
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                image = page.render(scale=SCALE, grayscale=True).to_pil().convert("RGB")
            finally:
                page.close()
            for f in page_findings:
                box = f.location.bbox
                assert box is not None
                x0, y0, x1, y1 = _crop_box(box, width, height)
                crop = image.crop(_px((x0, y0, x1, y1)))
                draw = ImageDraw.Draw(crop)
                bx0, by0, bx1, by1 = _px((box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0))
                draw.rectangle((bx0 - 2, by0 - 2, bx1 + 2, by1 + 2), outline=_HIGHLIGHT, width=2)
                regions.images[id(f)] = _data_uri(crop)
    finally:
        pdf.close()


def _crop_box(
    box: tuple[float, float, float, float], width: float, height: float
) -> tuple[float, float, float, float]:
    """The box with a margin, grown to a minimum size, kept on the page (PDF points)."""
    x0, y0, x1, y1 = box[0] - MARGIN, box[1] - MARGIN, box[2] + MARGIN, box[3] + MARGIN
    if x1 - x0 < MIN_WIDTH:
        grow = (MIN_WIDTH - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    if y1 - y0 < MIN_HEIGHT:
        grow = (MIN_HEIGHT - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    return max(x0, 0.0), max(y0, 0.0), min(x1, width), min(y1, height)


def _px(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    return (
        round(box[0] * SCALE),
        round(box[1] * SCALE),
        round(box[2] * SCALE),
        round(box[3] * SCALE),
    )


def _data_uri(image: Any) -> str:
    buf = io.BytesIO()
    # Grey text with a red outline: a 16-colour palette keeps it sharp at a fifth of the size.
    image.quantize(colors=16).save(buf, format="PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
