"""The pipeline: PDF → pages → grids and lines → page layouts → `RawDocument`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pypdfium2.raw as pdfium_c

from yusuan.errors import InputError
from yusuan.limits import checkpoint
from yusuan.model.provenance import Loc
from yusuan.readers.ir import RawDocument
from yusuan.readers.pdf.backend import (
    PageData,
    PdfInfo,
    is_encrypted,
    load_page,
    metadata,
    open_pdf,
)
from yusuan.readers.pdf.grid import (
    absorb_overflow,
    assign_chars,
    edges_to_grids,
    return_spilled_lines,
    split_unruled_rows,
)
from yusuan.readers.pdf.layout import (
    PageLayout,
    TableItem,
    furniture_keys,
    is_furniture,
    page_to_layout,
)
from yusuan.readers.pdf.narrative import (
    ParagraphBuilder,
    body_font_size,
    document_metrics,
    indents_paragraphs,
)
from yusuan.readers.pdf.primitives import Grid, Line
from yusuan.readers.pdf.settings import PdfSettings
from yusuan.readers.pdf.tables import OpenTable, add_piece, can_continue, start_table
from yusuan.readers.pdf.text import chars_to_lines
from yusuan.readers.pdf.unruled import lines_to_text_grids


def read_pdf_raw(path: Path, settings: PdfSettings | None = None) -> RawDocument:
    """Read a published disclosure PDF (text layer) into the shared `RawDocument` IR.

    Raises `InputError` for input that is not a readable PDF (missing, empty, not a PDF,
    truncated, corrupt, encrypted) and for PDFs with no text layer at all (scans).
    """
    settings = settings or PdfSettings()
    doc = open_pdf(path)
    try:
        pages = [load_page(doc, i, settings) for i in range(len(doc))]
    finally:
        doc.close()
    return pages_to_document(pages, path.name, settings)


# What a page that prints nothing else may still carry: its number (`- 3 -`, `第 3 页 共 9 页`).
_PAGE_NUMBER_ONLY = re.compile(r"[\s\d\-—–_/.·第页共]+")


def inspect_pdf(path: Path) -> PdfInfo:
    """Page count, pages with a text layer, encryption and producer, without layout work."""
    doc = open_pdf(path)
    try:
        with_text: list[int] = []
        blank: list[int] = []
        for i in range(len(doc)):
            try:  # a damaged page (a cycle in the page tree…) simply has no readable text
                page = doc[i]
            except Exception:
                continue
            images = 0
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                images = sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
            except Exception:  # a damaged page simply has no readable text
                text, images = "", 1  # and is not called blank: it is reported as damaged
            finally:
                page.close()
            if str(text).strip():
                with_text.append(i + 1)
            if not images and not _PAGE_NUMBER_ONLY.sub("", str(text)):
                blank.append(i + 1)
        return PdfInfo(
            pages=len(doc),
            pages_with_text=tuple(with_text),
            encrypted=is_encrypted(doc),
            producer=metadata(doc, "Producer"),
            creator=metadata(doc, "Creator"),
            blank_pages=tuple(blank),
        )
    finally:
        doc.close()


def page_ranges(numbers: Sequence[int]) -> str:
    """`[1, 2, 3, 5]` → `1–3、5` (the way page spans are written in messages)."""
    spans: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((n, n))
    return "、".join(f"{a}–{b}" if a != b else str(a) for a, b in spans)


def pages_to_document(pages: Sequence[PageData], name: str, settings: PdfSettings) -> RawDocument:
    warnings = pages_to_warnings(pages, name, settings)
    regions = [page_to_regions(page, settings) for page in pages if not page.error]
    keys = furniture_keys([(page.height, lines) for page, _, lines in regions], settings)
    layouts = [
        page_to_layout(
            page.number,
            page.width,
            page.height,
            grids,
            [ln for ln in lines if not is_furniture(ln, page.height, keys, settings)],
            settings,
        )
        for page, grids, lines in regions
    ]
    document = layouts_to_document(layouts, settings)
    document.warnings[:0] = warnings
    return document


def pages_to_warnings(
    pages: Sequence[PageData], name: str, settings: PdfSettings
) -> list[tuple[str, Loc]]:
    """Scanned, damaged and rotated pages; `InputError` when no page has any text."""
    broken = [p.number for p in pages if p.error]
    scanned = [
        p.number
        for p in pages
        if not p.error and not p.chars and p.image_coverage >= settings.scan_image_coverage
    ]
    if not any(p.chars for p in pages):
        if scanned:
            raise InputError(
                f"第 {page_ranges(scanned)} 页没有文字层（扫描件），"
                "需要先做文字识别（OCR）才能读取（命令行加 --ocr，需安装 yusuan[ocr]）："
                f"{name}"
            )
        if broken and len(broken) == len(pages):
            raise InputError(f"PDF 文件已损坏，所有页面都无法读取：{name}")
        raise InputError(f"PDF 中没有任何可读取的文字：{name}")
    warnings = [(f"第 {n} 页没有文字层（扫描件），未读取其内容", Loc(page=n)) for n in scanned]
    warnings += [(f"第 {n} 页已损坏，无法读取", Loc(page=n)) for n in broken]
    for page in pages:
        if page.lost_text:
            fonts = "、".join(sorted(page.lost_text))
            pieces = sum(page.lost_text.values())
            warnings.append(
                (
                    f"第 {page.number} 页有 {pieces} 处文字无法提取（字体 {fonts} 未嵌入文件），"
                    "这些文字未读取",
                    Loc(page=page.number),
                )
            )
        if page.rotation % 360 and page.chars:
            message = (
                f"第 {page.number} 页设置了 {page.rotation}° 旋转，版面按未旋转分析，表格可能读错"
            )
            warnings.append((message, Loc(page=page.number)))
    return warnings


def page_to_regions(
    page: PageData, settings: PdfSettings
) -> tuple[PageData, list[Grid], list[Line]]:
    """The page's tables as grids (ruled, then rule-less) and its remaining text lines."""
    checkpoint()
    grids = edges_to_grids(page.edges, page.number, settings)
    free = assign_chars(grids, page.chars, settings)
    for grid in grids:
        return_spilled_lines(grid)
    grids = [split_unruled_rows(g, settings) for g in grids]
    lines = absorb_overflow(grids, chars_to_lines(free, settings))
    text_grids, lines = lines_to_text_grids(lines, page.number, settings)
    return page, grids + text_grids, lines


def layouts_to_document(layouts: Sequence[PageLayout], settings: PdfSettings) -> RawDocument:
    """Walk the pages in reading order, merging table continuations and paragraphs."""
    document = RawDocument()
    narrative = [it for layout in layouts for it in layout.items if isinstance(it, Line)]
    builder = ParagraphBuilder(settings, body_font_size(narrative))
    current: OpenTable | None = None  # the table just read, while nothing else followed it

    def emit_paragraph() -> None:
        paragraph = builder.flush()
        if paragraph is not None:
            document.add_paragraph(paragraph)

    page_lines = [
        (layout.width, [it for it in layout.items if isinstance(it, Line)]) for layout in layouts
    ]
    metrics = document_metrics(page_lines, builder.body_size, settings)
    builder.indented = indents_paragraphs(
        [lines for _, lines in page_lines], metrics, builder.body_size, settings
    )
    # Short fragments printed beside a table's frame (a vertical `绩效指标` spilling from a cell
    # cut by the page) wait: if the table goes on after them they were its spill, else text.
    held: list[tuple[int, Line]] = []

    def release() -> None:
        for number, line in held:
            closed = builder.add(number, line)
            if closed is not None:
                document.add_paragraph(closed)
        held.clear()

    for layout, page_metrics in zip(layouts, metrics, strict=True):
        builder.start_page(page_metrics)
        only_held = True  # nothing but held fragments so far on this page
        for item in layout.items:
            if isinstance(item, TableItem):
                if held and only_held and current is not None:
                    item.first_on_page = True  # the fragments before it do not count
                if current is not None and can_continue(current, item):
                    held.clear()
                    emit_paragraph()
                    add_piece(current, item)
                    only_held = False
                    continue
                release()
                emit_paragraph()
                current = start_table(item)
                document.add_table(current.table)
                only_held = False
                continue
            if current is not None and _fragment_beside(current, item, settings):
                held.append((layout.number, item))
                continue
            release()
            only_held = False
            current = None
            closed = builder.add(layout.number, item)
            if closed is not None:
                document.add_paragraph(closed)
    release()
    # Keep the open paragraph across the page break; a table on the next page closes it.
    emit_paragraph()
    return document


def _fragment_beside(state: OpenTable, line: Line, settings: PdfSettings) -> bool:
    """A line of a few glyphs within the open table's width: spill of a cell the page cut."""
    xs = state.xs
    if xs is None or len(line.compact) > settings.spill_fragment_chars:
        return False
    return xs[0] - 1 <= line.x0 and line.x1 <= xs[-1] + 1
