"""DOCX of the whole disclosure, in reading order: headings, text, tables, 绩效目标表.

A4; the text on portrait pages, each table on a page of its own (landscape when it is wide),
with its header merged as printed and repeated on every page it runs over. Chinese text is set
in 宋体 (headings 黑体) through the East Asian font slot, and marked zh-CN, so that Word and
LibreOffice choose Chinese glyphs (LibreOffice substitutes an installed CJK font when 宋体 is
missing). python-docx writes the file; nothing here computes a figure.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.table import _Cell

from yusuan.model.document import Document
from yusuan.render.layout import (
    Grid,
    GridCell,
    TableBlock,
    TextBlock,
    display_width,
    document_blocks,
)

SERIF = "宋体"  # body and tables, as in the official documents
SANS = "黑体"  # headings and titles
LATIN = "Times New Roman"
LANGUAGE = "zh-CN"

A4 = (Cm(21.0), Cm(29.7))
A3 = (Cm(29.7), Cm(42.0))
PORTRAIT_MARGINS = (Cm(2.5), Cm(2.2))  # (top and bottom, left and right)
LANDSCAPE_MARGINS = (Cm(1.8), Cm(1.5))
BODY_SIZE = 12.0  # 小四
# Largest and smallest table text: 小五 at most, as the official tables; wide tables get
# smaller text. A table too wide for an A4 page even so goes on an A3 page (西安 表13: 27
# amount columns), where its text may be smaller still (A3_SMALLEST).
TABLE_SIZES = (9.0, 6.5)
A3_SMALLEST = 5.0
CELL_MARGIN_TWIPS = 57  # 0.1 cm each side: the default 0.19 cm wastes a wide table's width
TWIPS_PER_CM = 567

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
_HEADING_SIZES = {1: 16.0, 2: 14.0, 3: 12.0}


def write(doc: Document, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build(doc).save(str(path))


def build(doc: Document) -> DocxDocument:
    """The DOCX document of `doc`, not yet saved."""
    out = new_document()
    _styles(out)
    section = out.sections[0]
    _page(section, landscape=False)
    _page_numbers(section)
    page = (False, A4)  # (landscape, paper) of the current section
    body_on_page = False  # whether the current page already holds something
    for block in document_blocks(doc):
        if isinstance(block, TextBlock):
            if page != (False, A4):
                section = out.add_section(WD_SECTION.NEW_PAGE)
                _page(section, landscape=False)
                page, body_on_page = (False, A4), False
            _text(out, block, new_page=block.level == 1 and body_on_page)
            body_on_page = True
            continue
        wanted = (block.landscape, _paper(block))
        if wanted != page:
            section = out.add_section(WD_SECTION.NEW_PAGE)
            _page(section, landscape=wanted[0], paper=wanted[1])
            page, body_on_page = wanted, False
        _table_block(out, block, section, new_page=body_on_page)
        body_on_page = True
    return out


def _paper(block: TableBlock) -> tuple[Cm, Cm]:
    """A4, or A3 for a table whose columns do not fit an A4 landscape page at the smallest
    text size (their amounts would wrap, and a reader of the PDF could not put them together)."""
    if not block.landscape:
        return A4
    width = float((A4[1] - 2 * LANDSCAPE_MARGINS[1]) / 360000)
    return A4 if _fits(block.grid, width, TABLE_SIZES[1]) else A3


# ─────────────────────────────────────── styles ───────────────────────────────────────


def _fonts(rpr: BaseOxmlElement, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts of a run or style, East Asian slot included, overriding theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _styles(out: DocxDocument) -> None:
    styles = out.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _fonts(rpr, SERIF)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            # Without an East Asian language, LibreOffice may pick Japanese glyph forms.
            lang.set(qn("w:eastAsia"), LANGUAGE)
    normal = out.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.size = Pt(BODY_SIZE)
    _fonts(normal.element.get_or_add_rPr(), SERIF)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.25
    for level, size in _HEADING_SIZES.items():
        style = out.styles[f"Heading {level}"]
        assert isinstance(style, ParagraphStyle)
        _fonts(style.element.get_or_add_rPr(), SANS)
        style.font.size = Pt(size)
        style.font.bold = level < 3
        style.font.color.rgb = None
        color = style.element.rPr.find(qn("w:color")) if style.element.rPr is not None else None
        if color is not None:  # the default template's headings are blue
            style.element.rPr.remove(color)
        style.paragraph_format.space_before = Pt(12 if level == 1 else 6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if level == 1 else WD_ALIGN_PARAGRAPH.LEFT
        )


def _page(section: Section, landscape: bool, paper: tuple[Cm, Cm] = A4) -> None:
    width, height = paper
    vertical, horizontal = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = section.bottom_margin = vertical
    section.left_margin = section.right_margin = horizontal


def _page_numbers(section: Section) -> None:
    """`第 N 页` centred in the footer; later sections inherit the footer."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("第 ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)
    para.add_run(" 页")


def _text_width(section: Section) -> float:
    """Width between the margins, in cm."""
    width = section.page_width or A4[0]
    left = section.left_margin or 0
    right = section.right_margin or 0
    return float((width - left - right) / 360000)  # EMU per cm


# ─────────────────────────────────────── blocks ───────────────────────────────────────


def _text(out: DocxDocument, block: TextBlock, new_page: bool) -> None:
    if block.toc:
        _contents_line(out, block)
        return
    if block.title:
        para = out.add_paragraph()
        # An outline level, not a heading style: the cover keeps its own look, and readers
        # (and Word's navigation pane) still know it for the document's title.
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "0")
        para._p.get_or_add_pPr().append(outline)
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(12)
        run = para.add_run(block.text)
        run.bold = True
        run.font.size = Pt(22)
        _fonts(run._r.get_or_add_rPr(), SANS)
        return
    if block.level:
        para = out.add_heading(block.text, level=block.level)
    else:
        para = out.add_paragraph(block.text)
        para.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
    if new_page:
        para.paragraph_format.page_break_before = True


def _contents_line(out: DocxDocument, block: TextBlock) -> None:
    """A line of the document's own 目录: plain paragraphs, so that it stays out of the outline."""
    para = out.add_paragraph()
    run = para.add_run(block.text)
    if block.title:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.page_break_before = True
        para.paragraph_format.space_after = Pt(12)
        run.bold = True
        run.font.size = Pt(_HEADING_SIZES[1])
        _fonts(run._r.get_or_add_rPr(), SANS)
    elif block.level == 1:
        run.bold = True
        para.paragraph_format.space_before = Pt(6)
    else:
        para.paragraph_format.left_indent = Pt(BODY_SIZE * 2)


def _table_block(out: DocxDocument, block: TableBlock, section: Section, new_page: bool) -> None:
    width = _text_width(section)
    first = None
    if block.label:
        first = out.add_paragraph()
        run = first.add_run(block.label)
        run.bold = True
        _fonts(run._r.get_or_add_rPr(), SANS)
        first.paragraph_format.keep_with_next = True
    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_after = Pt(6)
    run = title.add_run(block.title)
    run.bold = True
    run.font.size = Pt(title_size(block.title, width))
    _fonts(run._r.get_or_add_rPr(), SANS)
    first = first or title
    if new_page:
        first.paragraph_format.page_break_before = True
    if block.subtitle:
        sub = out.add_paragraph(block.subtitle)
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.paragraph_format.keep_with_next = True
    if block.department or block.unit:
        meta = out.add_paragraph()
        meta.paragraph_format.keep_with_next = True
        meta.paragraph_format.tab_stops.add_tab_stop(Cm(width), WD_TAB_ALIGNMENT.RIGHT)
        meta.add_run(f"{block.department}\t{block.unit}")
        for r in meta.runs:
            r.font.size = Pt(10.5)
    _grid(out, block.grid, width)
    for note in block.notes:
        para = out.add_paragraph(note)
        para.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
        para.paragraph_format.space_before = Pt(6)


TITLE_SIZES = (16.0, 12.0)  # a table's title: 三号, smaller when it is long


def title_size(title: str, width_cm: float) -> float:
    """The title's size: 16 pt, or as much less (down to 12 pt) as keeps it on one line — a
    title broken over two lines reads back as two (西安 表7 on a portrait page)."""
    largest, smallest = TITLE_SIZES
    # bold CJK is a little wider than its size; 1 pt = 0.03528 cm
    fitting = width_cm / (display_width(title) / 2 * 1.05 * 0.03528)
    return max(smallest, min(largest, int(fitting * 2) / 2))


def _fitting(grid: Grid, width_cm: float) -> float:
    usable = width_cm - grid.ncols * 2 * CELL_MARGIN_TWIPS / TWIPS_PER_CM
    # A character unit (half a CJK character) is size / 2 points wide; 1 pt = 0.03528 cm.
    return usable / (grid.width * 0.01764)


def _fits(grid: Grid, width_cm: float, size: float) -> bool:
    return _fitting(grid, width_cm) >= size


def table_font_size(grid: Grid, width_cm: float) -> float:
    """The largest table text size (half points) at which the grid's columns fit the width
    (an A3 page's tables may be smaller than an A4 page's)."""
    largest, smallest = TABLE_SIZES
    if width_cm > float(A4[1] / 360000):  # wider than any A4 page: an A3 page
        smallest = A3_SMALLEST
    return max(smallest, min(largest, int(_fitting(grid, width_cm) * 2) / 2))


def _cell_style(out: DocxDocument, size: float) -> ParagraphStyle:
    """The paragraph style of table cells at one text size (empty cells' marks included, so
    that an empty cell does not make its row as tall as a line of body text)."""
    name = f"Table Text {size:g}"
    try:
        found = out.styles[name]
        assert isinstance(found, ParagraphStyle)
        return found
    except KeyError:
        pass
    style = out.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = out.styles["Normal"]
    style.font.size = Pt(size)
    fmt = style.paragraph_format
    fmt.line_spacing = 1.0
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    return style


def _grid(out: DocxDocument, grid: Grid, width_cm: float) -> DocxTable:
    style = _cell_style(out, table_font_size(grid, width_cm))
    table: DocxTable = out.add_table(rows=grid.nrows, cols=grid.ncols)
    table.style = out.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    # Cells are fetched once, before merging: python-docx looks every cell up from scratch.
    cells = [list(row.cells) for row in table.rows]
    # Every column needs its cell margins on top of its share of the text width.
    margin = 2 * CELL_MARGIN_TWIPS / TWIPS_PER_CM
    usable = width_cm - grid.ncols * margin
    widths = [Cm(margin + usable * w / grid.width) for w in grid.widths]
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
    for row in cells:
        for cell, w in zip(row, widths, strict=True):
            cell.width = w
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    # By id, in the XML: python-docx's `paragraph.style = …` scans every style each time.
    style_id = style.style_id
    for row in cells:
        for cell in row:
            cell.paragraphs[0]._p.style = style_id
    for gc in grid.cells:
        _fill(cells[gc.row][gc.col], gc)
    for gc in grid.cells:
        if gc.rowspan > 1 or gc.colspan > 1:
            last = cells[gc.row + gc.rowspan - 1][gc.col + gc.colspan - 1]
            cells[gc.row][gc.col].merge(last)
    for n, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(_on("w:cantSplit"))
        if n < grid.header_rows:  # repeated at the top of every page the table runs over
            trpr.append(_on("w:tblHeader"))
    return table


def _on(tag: str) -> BaseOxmlElement:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    return el


def _cell_margins(table: DocxTable) -> None:
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:  # the schema wants the margins before tblLook
        look.addprevious(margins)
    else:
        tblpr.append(margins)


def _fill(cell: _Cell, gc: GridCell) -> None:
    para = cell.paragraphs[0]
    para.alignment = _ALIGN[gc.align]
    if not gc.text:
        return
    run = para.add_run(gc.text)
    if gc.bold:
        run.bold = True
