"""Tunable thresholds of the PDF reader, in one place with named defaults.

Distances are in PDF points unless the name ends in `_em` (a multiple of the local font
size) or `_ratio` (a fraction of the page). The defaults were fitted on the published
samples described in `docs/research/published-samples.md`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PdfSettings:
    # --- ruling lines -------------------------------------------------------------------
    # A path thinner than this is a ruling line; table borders are 0.04–1.5 pt in the samples.
    rule_max_thickness: float = 3.0
    # Shorter strokes are tick marks or glyph fragments, not borders.
    rule_min_length: float = 2.0
    # Edge positions closer than this are the same grid line (borders drawn per cell
    # by office software wobble by up to ~0.8 pt).
    snap_tolerance: float = 2.0
    # Collinear pieces with a gap up to this are one line (cell-by-cell borders).
    join_tolerance: float = 3.0
    # Slack when deciding whether a horizontal and a vertical edge touch.
    intersection_tolerance: float = 3.0
    # A border segment counts as present between two grid cells when it covers this share
    # of their common side.
    border_coverage: float = 0.5
    # Fill colours lighter than this on every channel are backgrounds (white cell fills,
    # white "eraser" lines in Excel exports), never borders.
    white_level: int = 245

    # --- characters and lines -----------------------------------------------------------
    # Chars whose baselines differ by less than this share a printed line.
    line_baseline_em: float = 0.3
    # A gap wider than this splits a free-text line into separate segments
    # ("单位名称：… [gap] 单位：万元").
    segment_gap_em: float = 1.6
    # Between two ASCII letters/digits a gap wider than this is a space.
    space_gap_em: float = 0.18
    # Overprinted duplicates (fake bold) are dropped when they start this close.
    duplicate_em: float = 0.3

    # --- page furniture -----------------------------------------------------------------
    # Lines inside these top/bottom bands may be running headers, footers, page numbers.
    header_ratio: float = 0.08
    footer_ratio: float = 0.12
    # A margin line repeated on at least this many pages is furniture.
    repeated_min_pages: int = 3

    # --- captions, notes and paragraphs -------------------------------------------------
    # Caption lines above a table: max vertical gap between consecutive caption lines.
    caption_gap_em: float = 3.2
    # ... and how much further a lone `(2026年度)` line may stand above it.
    year_caption_extra_em: float = 1.5
    # A line of at most this many glyphs within a table's width, between its frame and its
    # continuation on the next page, is spill of a cell the page cut (a vertical `绩效指标`
    # printed a glyph per line in the margin), not text between two tables.
    spill_fragment_chars: int = 4
    # Max gap between a table's bottom and its note ("注：…").
    note_gap_em: float = 2.5
    # ... and between an empty grid and the statement that it is empty, which some print a
    # line further down (烟台 审计局 公开表8: 2.6 em); the statement's wording guards it.
    empty_statement_gap_em: float = 3.5
    # A line indented this much more than the page's left margin starts a paragraph.
    indent_em: float = 1.2
    # A line ending this far before the right margin ends its paragraph.
    short_line_em: float = 1.5
    # A vertical gap this many times the body line pitch separates paragraphs.
    paragraph_gap_ratio: float = 1.55
    # Headings: font this much larger than body text.
    heading_size_ratio: float = 1.12
    heading_max_chars: int = 60

    # --- scanned pages ------------------------------------------------------------------
    # A page without text whose images cover this share of it is a scan.
    scan_image_coverage: float = 0.3
