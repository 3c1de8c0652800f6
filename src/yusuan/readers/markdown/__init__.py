"""Reader for text/Markdown disclosures as produced by PDF-to-text converters."""

from __future__ import annotations

from yusuan.readers.ir import RawDocument
from yusuan.readers.markdown.blocks import blocks_to_raw, lines_to_blocks
from yusuan.readers.markdown.lines import text_to_lines

__all__ = ["text_to_raw"]


def text_to_raw(text: str) -> RawDocument:
    """Text → RawDocument: classify lines, group blocks, find tables and paragraphs."""
    return blocks_to_raw(lines_to_blocks(text_to_lines(text)))
