"""Reader for text/Markdown disclosures as produced by PDF-to-text converters."""

from __future__ import annotations

from yusuan.readers.ir import RawDocument
from yusuan.readers.markdown.blocks import blocks_to_raw, lines_to_blocks
from yusuan.readers.markdown.html import html_to_lines, is_html_page
from yusuan.readers.markdown.lines import text_to_lines

__all__ = ["text_to_raw"]


def text_to_raw(text: str) -> RawDocument:
    """Text → RawDocument: classify lines, group blocks, find tables and paragraphs.
    A whole HTML page is read by its elements rather than by its lines."""
    lines = html_to_lines(text) if is_html_page(text) else text_to_lines(text)
    return blocks_to_raw(lines_to_blocks(lines))
