"""The only module that talks to PDFium (via pypdfium2): open, inspect, and turn a page into
`Char`s, ruling `Edge`s and image coverage.

pypdfium2 was chosen over pdfplumber (pdfminer) because it is about ten times faster on the
samples (see `benchmarks/pdf_read.py`) and gives everything the layout analysis needs:
per-glyph boxes and baselines, text-object font size and render mode, path bounds and
colours. pypdfium2 ships no type information, so values are converted to Python types here.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from yusuan import limits
from yusuan.errors import InputError
from yusuan.readers.pdf.primitives import Char, Edge
from yusuan.readers.pdf.settings import PdfSettings

# PDFium page-object types and load-error codes (fpdfview.h / fpdf_edit.h).
_OBJ_TEXT = 1
_OBJ_PATH = 2
_OBJ_IMAGE = 3
_OBJ_FORM = 5
_ERR_FORMAT = 3
_ERR_PASSWORD = 4
_ERR_SECURITY = 5
_TEXT_RENDER_FILL_STROKE = 2

# Vertical extent of a glyph relative to its baseline, in em. PDFium's own "loose" boxes
# use the font's ascent/descent, which some producers (ONLYOFFICE) write as garbage, so the
# box is rebuilt from baseline and font size instead.
_ASCENT_EM = 0.86
_DESCENT_EM = 0.14
_MIDDLE_EM = (_ASCENT_EM - _DESCENT_EM) / 2  # a glyph's middle above its baseline
_CLIP_SLACK = 1.0  # pt: a clipping rectangle drawn on a rule lets the glyphs on it show
_SPILL_EM = 0.8  # how far past a cell's clipping edge a glyph still counts as spilt over it
_CELL_CLIP_EM = 4.0  # a clip at most this many glyphs tall is one cell's
_HIDDEN_EM = 0.15  # past a taller clip, a glyph's middle this far beyond its edge is hidden


def _rebind(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """The same PDFium entry point with plain `c_void_p` handles: object addresses come back
    as ints (hashable, no `ctypes.cast` per glyph), which makes per-glyph calls ~3x cheaper."""
    address = ctypes.cast(fn, ctypes.c_void_p).value
    if address is None:  # pragma: no cover - a loaded library always has its exports
        raise ImportError("PDFium entry point missing")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_vp, _int = ctypes.c_void_p, ctypes.c_int
_get_text_object = _rebind(pdfium_c.FPDFText_GetTextObject, _vp, _vp, _int)
_get_loose_box = _rebind(
    pdfium_c.FPDFText_GetLooseCharBox, _int, _vp, _int, ctypes.POINTER(pdfium_c.FS_RECTF)
)
_get_char_origin = _rebind(
    pdfium_c.FPDFText_GetCharOrigin,
    _int,
    _vp,
    _int,
    ctypes.POINTER(ctypes.c_double),
    ctypes.POINTER(ctypes.c_double),
)
_obj_font_size = _rebind(
    pdfium_c.FPDFTextObj_GetFontSize, _int, _vp, ctypes.POINTER(ctypes.c_float)
)
_obj_matrix = _rebind(pdfium_c.FPDFPageObj_GetMatrix, _int, _vp, ctypes.POINTER(pdfium_c.FS_MATRIX))
_obj_render_mode = _rebind(pdfium_c.FPDFTextObj_GetTextRenderMode, _int, _vp)
_obj_font = _rebind(pdfium_c.FPDFTextObj_GetFont, _vp, _vp)
_font_weight = _rebind(pdfium_c.FPDFFont_GetWeight, _int, _vp)
_font_base_name = _rebind(
    pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, _vp, ctypes.c_char_p, ctypes.c_size_t
)
_font_embedded = _rebind(pdfium_c.FPDFFont_GetIsEmbedded, _int, _vp)
_obj_clip = _rebind(pdfium_c.FPDFPageObj_GetClipPath, _vp, _vp)
_clip_count_paths = _rebind(pdfium_c.FPDFClipPath_CountPaths, _int, _vp)
_clip_count_segments = _rebind(pdfium_c.FPDFClipPath_CountPathSegments, _int, _vp, _int)
_clip_get_segment = _rebind(pdfium_c.FPDFClipPath_GetPathSegment, _vp, _vp, _int, _int)
_obj_text = _rebind(pdfium_c.FPDFTextObj_GetText, ctypes.c_ulong, _vp, _vp, _vp, ctypes.c_ulong)

_f, _pf, _pu = ctypes.c_float, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_uint)
_pi = ctypes.POINTER(ctypes.c_int)
_page_count_objects = _rebind(pdfium_c.FPDFPage_CountObjects, _int, _vp)
_page_get_object = _rebind(pdfium_c.FPDFPage_GetObject, _vp, _vp, _int)
_obj_type = _rebind(pdfium_c.FPDFPageObj_GetType, _int, _vp)
_obj_bounds = _rebind(pdfium_c.FPDFPageObj_GetBounds, _int, _vp, _pf, _pf, _pf, _pf)
_form_count_objects = _rebind(pdfium_c.FPDFFormObj_CountObjects, _int, _vp)
_form_get_object = _rebind(pdfium_c.FPDFFormObj_GetObject, _vp, _vp, ctypes.c_ulong)
_path_draw_mode = _rebind(pdfium_c.FPDFPath_GetDrawMode, _int, _vp, _pi, _pi)
_stroke_color = _rebind(pdfium_c.FPDFPageObj_GetStrokeColor, _int, _vp, _pu, _pu, _pu, _pu)
_fill_color = _rebind(pdfium_c.FPDFPageObj_GetFillColor, _int, _vp, _pu, _pu, _pu, _pu)
_path_count_segments = _rebind(pdfium_c.FPDFPath_CountSegments, _int, _vp)
_path_get_segment = _rebind(pdfium_c.FPDFPath_GetPathSegment, _vp, _vp, _int)
_segment_point = _rebind(pdfium_c.FPDFPathSegment_GetPoint, _int, _vp, _pf, _pf)
_segment_type = _rebind(pdfium_c.FPDFPathSegment_GetType, _int, _vp)
_segment_close = _rebind(pdfium_c.FPDFPathSegment_GetClose, _int, _vp)

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(slots=True)
class PageData:
    """What one page yields before any layout analysis."""

    number: int  # 1-based
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    image_coverage: float = 0.0  # share of the page area covered by images
    rotation: int = 0  # /Rotate in degrees; layout analysis assumes 0
    error: str | None = None  # the page could not be read (damaged content)
    # Text PDFium sets on the page but cannot give as characters, by font: pieces of a font
    # the file does not embed (方正小标宋 titles, 北京市审计局), which are then not read.
    lost_text: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PdfInfo:
    """Quick facts about a PDF, without layout analysis."""

    pages: int
    pages_with_text: tuple[int, ...]
    encrypted: bool
    producer: str | None
    creator: str | None
    blank_pages: tuple[int, ...] = ()  # no text but a page number, no image: nothing printed

    @property
    def scanned_pages(self) -> tuple[int, ...]:
        text = set(self.pages_with_text)
        return tuple(n for n in range(1, self.pages + 1) if n not in text)


# --- opening --------------------------------------------------------------------------


def open_pdf(path: Path) -> Any:
    """Open `path` with PDFium, turning every failure into a one-line `InputError`."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 2048))
            tail = fh.read()
    except FileNotFoundError as exc:
        raise InputError(f"找不到文件：{path}") from exc
    except IsADirectoryError as exc:
        raise InputError(f"这是一个目录，不是 PDF 文件：{path}") from exc
    except OSError as exc:
        raise InputError(f"无法读取文件（{exc.strerror}）：{path}") from exc
    if size == 0:
        raise InputError(f"文件为空（0 字节），不是可读取的 PDF：{name}")
    if b"%PDF-" not in head:
        raise InputError(f"文件不是 PDF（开头没有 %PDF 标记），无法按 PDF 读取：{name}")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == _ERR_PASSWORD:
            raise InputError(f"PDF 文件已加密，需要密码才能打开：{name}") from exc
        if code == _ERR_SECURITY:
            raise InputError(f"PDF 文件使用了不支持的加密方式，无法打开：{name}") from exc
        if b"%%EOF" not in tail:
            raise InputError(
                f"PDF 文件不完整（末尾缺少 %%EOF，可能下载或复制时被截断）：{name}"
            ) from exc
        raise InputError(f"PDF 文件已损坏，无法解析（{_pdfium_reason(exc)}）：{name}") from exc
    try:
        pages = len(doc)
    except Exception as exc:  # a page tree PDFium cannot count
        doc.close()
        raise InputError(f"PDF 文件的页面结构已损坏，无法读取：{name}") from exc
    max_pages = limits.current().max_pages
    if pages > max_pages:
        doc.close()
        raise limits.LimitError(f"{name} 有 {pages:,} 页", "max_pages")
    return doc


def _pdfium_reason(exc: Exception) -> str:
    code = getattr(exc, "err_code", None)
    return "数据格式错误" if code == _ERR_FORMAT else "PDFium 报错"


def is_encrypted(doc: Any) -> bool:
    return int(pdfium_c.FPDF_GetSecurityHandlerRevision(doc.raw)) != -1


def metadata(doc: Any, key: str) -> str | None:
    try:
        value = doc.get_metadata_value(key)
    except Exception:  # metadata is optional: any failure means absent
        return None
    text = str(value).strip() if value is not None else ""
    return text or None


# --- pages ----------------------------------------------------------------------------


def load_page(doc: Any, index: int, settings: PdfSettings) -> PageData:
    limits.checkpoint()
    number = index + 1
    try:
        page = doc[index]
    except Exception as exc:  # PDFium reports damaged pages generically
        return PageData(number, 0.0, 0.0, error=str(exc))
    try:
        left, bottom, right, top = (float(v) for v in page.get_cropbox())
        data = PageData(number, right - left, top - bottom, rotation=int(page.get_rotation()))
        textpage = page.get_textpage()
        upright = [0]
        try:
            # A glyph whose middle lies above or below the page is not printed (西安 2022 科技局:
            # a vertical `绩效指标` overflowing a cell at the foot of p70 is set again above the
            # top of p71, where it came before the table and cut the form in two). Glyphs off
            # the sides stay: a title centred over a table wider than the page (上海 单位收入
            # 预算总表) keeps its `20` of `2026年`.
            h2 = 2 * data.height
            seen: set[int] = set()
            data.chars = [
                c
                for c in page_to_chars(textpage, (left, top), upright, seen)
                if 0 <= c.top + c.bottom <= h2
            ]
            texts: list[int] = []
            data.edges, data.image_coverage = page_to_edges(page, (left, top), settings, texts)
            data.lost_text = page_to_lost_text(textpage, texts, seen)
        finally:
            textpage.close()
        if data.width > 0 and data.height > 0:
            data.image_coverage /= data.width * data.height
        if data.rotation % 360 in (90, 270) and upright[0] * 2 < len(data.chars):
            # A landscape table set on a page turned by /Rotate: its glyphs are turned with
            # it. Read the page as it is displayed.
            rotate_page(data)
        return data
    except Exception as exc:
        return PageData(number, 0.0, 0.0, error=str(exc))
    finally:
        page.close()


def rotate_page(data: PageData) -> None:
    """Turn a page's glyphs and rulings from PDF space into the orientation it is displayed
    in (/Rotate 90 or 270), so that layout analysis sees horizontal lines of text."""
    w, h = data.width, data.height
    clockwise = data.rotation % 360 == 90

    def box(x0: float, x1: float, top: float, bottom: float) -> tuple[float, float, float, float]:
        if clockwise:  # x' = h − y, y' = x
            return h - bottom, h - top, x0, x1
        return top, bottom, w - x1, w - x0  # x' = y, y' = w − x

    chars = []
    for c in data.chars:
        x0, x1, top, bottom = box(c.x0, c.x1, c.top, c.bottom)
        chars.append(Char(c.text, x0, x1, top, bottom, bottom, c.size, c.bold))
    chars.sort(key=lambda c: (round(c.baseline), c.x0))
    edges = []
    for e in data.edges:
        if e.vertical:  # x = pos, y ∈ [start, end] → a horizontal edge
            x0, x1, y0, _ = box(e.pos, e.pos, e.start, e.end)
            edges.append(Edge(False, y0, x0, x1))
        else:  # y = pos, x ∈ [start, end] → a vertical edge
            x0, _, y0, y1 = box(e.start, e.end, e.pos, e.pos)
            edges.append(Edge(True, x0, y0, y1))
    data.chars, data.edges = chars, edges
    data.width, data.height, data.rotation = h, w, 0


def page_to_chars(
    textpage: Any,
    origin: tuple[float, float],
    upright_count: list[int] | None = None,
    objects: set[int] | None = None,
) -> list[Char]:
    """Every non-blank glyph of the page with its box, baseline, size and weight
    (`upright_count[0]` is set to the number of glyphs set upright; `objects` gets the text
    objects the glyphs belong to)."""
    tp = textpage.raw
    count = int(pdfium_c.FPDFText_CountChars(tp))
    if count <= 0:
        return []
    codes = _page_codepoints(tp, count)
    left, top = origin
    rect = pdfium_c.FS_RECTF()
    ox = ctypes.c_double()
    oy = ctypes.c_double()
    rect_ref, ox_ref, oy_ref = ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
    get_box = _get_loose_box
    get_origin = _get_char_origin
    get_obj = _get_text_object
    styles = _StyleReader()
    style_of = styles.style
    chars: list[Char] = []
    append = chars.append
    uprights = 0
    clip_of = styles.clip
    for i, code in enumerate(codes):
        if code <= 32 or code in _BLANKS or 0x2000 <= code <= 0x200F:
            continue  # whitespace and controls: spacing is rebuilt from positions
        obj = get_obj(tp, i) or 0
        size, bold, upright = style_of(obj)
        if not get_box(tp, i, rect_ref):
            continue
        get_origin(tp, i, ox_ref, oy_ref)
        clip = clip_of(obj)
        if clip is not None:
            # A glyph the object's clipping rectangle hides above or below is not printed (Excel
            # sets the whole text of a merged cell taller than a page on every page, clipped to
            # the page's part of it: 北京 预算12表). Glyphs clipped at the sides stay, as glyphs
            # off the page's sides do (a title centred over a table wider than the page).
            # Just past the edge of one cell's clip is that cell's text spilling over its rule
            # (北京 预算03表: the `出` of `…监察支出` under `2110299-其他环境监测与监察支`),
            # which the grid gives back to the cell; past a clip many lines tall, a glyph more
            # than half hidden is the text going on unseen.
            em = size if upright and size > 0 else rect.top - rect.bottom
            my = (
                oy.value + _MIDDLE_EM * size
                if upright and size > 0
                else (rect.top + rect.bottom) / 2
            )
            cell = clip[3] - clip[1] <= _CELL_CLIP_EM * em
            reach = (_SPILL_EM if cell else _HIDDEN_EM) * em
            if my < clip[1] - reach or my > clip[3] + reach:
                continue
        x0, x1 = rect.left - left, rect.right - left
        if x1 < x0:
            x0, x1 = x1, x0
        if upright and size > 0:
            uprights += 1
            base = top - oy.value
            append(
                Char(
                    chr(code),
                    x0,
                    x1,
                    base - _ASCENT_EM * size,
                    base + _DESCENT_EM * size,
                    base,
                    size,
                    bold,
                )
            )
            continue
        box_top, box_bottom = top - rect.top, top - rect.bottom
        if box_bottom < box_top:
            box_top, box_bottom = box_bottom, box_top
        size = size if size > 0 else box_bottom - box_top
        append(Char(chr(code), x0, x1, box_top, box_bottom, box_bottom, size, bold))
    if upright_count is not None:
        upright_count[0] = uprights
    if objects is not None:
        objects.update(styles.objects())
    return chars


_BLANKS = frozenset({0xA0, 0x3000, 0xFEFF, 0xFFFE, 0xFFFF})


def _page_codepoints(tp: Any, count: int) -> list[int]:
    buf = (ctypes.c_ushort * (2 * count + 1))()
    written = int(pdfium_c.FPDFText_GetText(tp, 0, count, buf)) - 1
    units = list(buf[: max(written, 0)])
    if written == count and not any(0xD800 <= u <= 0xDFFF for u in units):
        return units
    # Characters outside the BMP arrive as surrogate pairs, so offsets no longer match
    # char indices: ask per character instead (rare, and still cheap).
    return [int(pdfium_c.FPDFText_GetUnicode(tp, i)) for i in range(count)]


class _StyleReader:
    """(effective font size, bold, upright) per text object, cached: office exports often
    make one object per glyph, so the lookups must be cheap."""

    __slots__ = (
        "_clips",
        "_fonts",
        "_matrix",
        "_matrix_ref",
        "_shared",
        "_size",
        "_size_ref",
        "_styles",
    )

    def __init__(self) -> None:
        self._styles: dict[int, tuple[float, bool, bool]] = {}
        self._clips: dict[int, tuple[float, float, float, float] | None] = {}
        self._shared: dict[tuple[int | None, ...], tuple[float, float, float, float] | None] = {}
        self._fonts: dict[int, bool] = {}
        self._size = ctypes.c_float()
        self._size_ref = ctypes.byref(self._size)
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_ref = ctypes.byref(self._matrix)

    def clip(self, obj: int) -> tuple[float, float, float, float] | None:
        """The rectangle (page space: left, bottom, right, top) the object is clipped to,
        when its clipping path is made of rectangles; None when it is not clipped so."""
        if obj in self._clips:
            return self._clips[obj]
        clip = _obj_clip(obj) if obj else None
        if not clip:
            self._clips[obj] = None
            return None
        # Objects set in one graphics state share their clip's path data: the address of the
        # first point of each of its paths tells them apart (a glyph per object makes
        # thousands of them a page; one path may be shared by clips that differ in another).
        paths = int(_clip_count_paths(clip))
        key = tuple(_clip_get_segment(clip, p, 0) for p in range(paths))
        if key in self._shared:
            found = self._shared[key]
        else:
            found = self._shared[key] = _clip_rectangle(clip, paths)
        self._clips[obj] = found
        return found

    def objects(self) -> list[int]:
        """The text objects asked about: those that gave the page a glyph."""
        return list(self._styles)

    def style(self, obj: int) -> tuple[float, bool, bool]:
        found = self._styles.get(obj)
        if found is None:
            found = self._styles[obj] = self._read(obj)
        return found

    def _read(self, obj: int) -> tuple[float, bool, bool]:
        if not obj:
            return (0.0, False, True)
        size = float(self._size.value) if _obj_font_size(obj, self._size_ref) else 0.0
        m = self._matrix
        if _obj_matrix(obj, self._matrix_ref):
            scale = math.sqrt(abs(m.a * m.d - m.b * m.c))
            upright = abs(m.b) < 1e-6 and abs(m.c) < 1e-6 and m.a > 0 and m.d > 0
        else:
            scale, upright = 1.0, True
        # Office exports print bold as "fill then stroke" (render mode 2) rather than with a
        # bold font; real bold fonts report weight 700 or carry "Bold" in their name.
        bold = int(_obj_render_mode(obj)) == _TEXT_RENDER_FILL_STROKE
        if not bold:
            font = _obj_font(obj)
            if font:
                font_bold = self._fonts.get(font)
                if font_bold is None:
                    font_bold = self._fonts[font] = _font_is_bold(font)
                bold = font_bold
        return (size * scale, bold, upright)


def _clip_rectangle(clip: int, paths: int) -> tuple[float, float, float, float] | None:
    """The intersection of the rectangles among a clipping path's paths (a path that is no
    rectangle is left out: only what is surely hidden is dropped)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    box: tuple[float, float, float, float] | None = None
    for p in range(paths):
        n = int(_clip_count_segments(clip, p))
        if not 4 <= n <= 6:
            continue
        xs: list[float] = []
        ys: list[float] = []
        for k in range(n):
            seg = _clip_get_segment(clip, p, k)
            if not seg or not _segment_point(seg, x_ref, y_ref):
                break
            xs.append(x.value)
            ys.append(y.value)
        else:
            if max(xs) - min(xs) < 1 or max(ys) - min(ys) < 1:
                continue
            # An axis-aligned rectangle: every corner on the box's sides.
            if not all(
                min(abs(px - min(xs)), abs(px - max(xs))) < 0.5
                and min(abs(py - min(ys)), abs(py - max(ys))) < 0.5
                for px, py in zip(xs, ys, strict=True)
            ):
                continue
            r = (min(xs), min(ys), max(xs), max(ys))
            box = (
                r
                if box is None
                else (max(box[0], r[0]), max(box[1], r[1]), min(box[2], r[2]), min(box[3], r[3]))
            )
    if box is None:
        return None
    s = _CLIP_SLACK
    return (box[0] - s, box[1] - s, box[2] + s, box[3] + s)


def _font_is_bold(font: int) -> bool:
    if int(_font_weight(font)) >= 600:
        return True
    buf = ctypes.create_string_buffer(128)
    n = int(_font_base_name(font, buf, 128))
    name = buf.value.decode("latin-1", "replace").lower() if n > 0 else ""
    return "bold" in name or "black" in name


def page_to_lost_text(textpage: Any, texts: list[int], seen: set[int]) -> dict[str, int]:
    """Text objects (of the page, `texts`) in a font the file does not embed that gave no
    character at all, by font name. PDFium sets them (the page shows them) but maps none of
    their codes to text: the cover title of 北京市审计局's 说明, in 方正小标宋, reads as `2026`
    alone. Such text is lost to reading, and the report must say so. A blank object (spaces)
    still has its text."""
    lost: dict[str, int] = {}
    tp = textpage.raw
    for obj in texts:
        if obj in seen:
            continue
        font = _obj_font(obj)
        if not font or _font_embedded(font) or int(_obj_text(obj, tp, None, 0)) > 2:
            continue  # an embedded font's blank object; or text PDFium did give
        buf = ctypes.create_string_buffer(128)
        n = int(_font_base_name(font, buf, 128))
        name = buf.value.decode("latin-1", "replace") if n > 0 else "（无名字体）"
        lost[name] = lost.get(name, 0) + 1
    return lost


def page_to_edges(
    page: Any,
    origin: tuple[float, float],
    settings: PdfSettings,
    texts: list[int] | None = None,
) -> tuple[list[Edge], float]:
    """Ruling edges of the page and the total area of its images (for scan detection);
    `texts` gets the page's text objects, met on the same walk."""
    edges: list[Edge] = []
    image_area = 0.0
    raw_page = page.raw
    n = int(_page_count_objects(raw_page))
    get_object, get_type = _page_get_object, _obj_type
    stack: list[tuple[int, Matrix]] = []
    keep = texts.append if texts is not None else None
    for i in reversed(range(n)):
        obj = get_object(raw_page, i)
        if not obj:
            continue
        if get_type(obj) != _OBJ_TEXT:
            stack.append((obj, _IDENTITY))
        elif keep is not None:
            keep(obj)
    while stack:
        obj, ctm = stack.pop()
        kind = int(get_type(obj))
        if kind == _OBJ_FORM:
            inner = _compose(_object_matrix(obj), ctm)
            count = int(_form_count_objects(obj))
            for j in reversed(range(count)):
                child = _form_get_object(obj, j)
                if not child:
                    continue
                if get_type(child) != _OBJ_TEXT:
                    stack.append((child, inner))
                elif keep is not None:
                    keep(child)
            continue
        if kind not in (_OBJ_PATH, _OBJ_IMAGE):
            continue
        bounds = _bounds(obj, ctm)
        if bounds is None:
            continue
        if kind == _OBJ_IMAGE:
            image_area += (bounds[2] - bounds[0]) * (bounds[3] - bounds[1])
        else:
            edges.extend(path_to_edges(obj, bounds, ctm, origin, settings))
    return edges, image_area


def _object_matrix(obj: int) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not _obj_matrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (float(m.a), float(m.b), float(m.c), float(m.d), float(m.e), float(m.f))


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _bounds(obj: int, ctm: Matrix) -> tuple[float, float, float, float] | None:
    l_, b_, r_, t_ = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    ok = _obj_bounds(obj, ctypes.byref(l_), ctypes.byref(b_), ctypes.byref(r_), ctypes.byref(t_))
    if not ok:
        return None
    x0, y0, x1, y1 = float(l_.value), float(b_.value), float(r_.value), float(t_.value)
    if ctm != _IDENTITY:
        pts = [_apply(ctm, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return (x0, y0, x1, y1)


def _color(getter: Any, obj: int) -> tuple[int, int, int, int]:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return (0, 0, 0, 255)
    return (int(r.value), int(g.value), int(b.value), int(a.value))


def _visible(color: tuple[int, int, int, int], settings: PdfSettings) -> bool:
    r, g, b, a = color
    return a > 0 and not (
        r >= settings.white_level and g >= settings.white_level and b >= settings.white_level
    )


def path_to_edges(
    obj: int,
    bounds: tuple[float, float, float, float],
    ctm: Matrix,
    origin: tuple[float, float],
    settings: PdfSettings,
) -> list[Edge]:
    """Ruling edges drawn by one path object (y flipped to the top-left convention)."""
    fill_mode = ctypes.c_int()
    stroke = ctypes.c_int()
    if not _path_draw_mode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return []
    stroked = bool(stroke.value) and _visible(_color(_stroke_color, obj), settings)
    filled = fill_mode.value != 0 and _visible(_color(_fill_color, obj), settings)
    if not (stroked or filled):
        return []
    left, top = origin
    x0, y0, x1, y1 = bounds
    x0, x1 = x0 - left, x1 - left
    y0, y1 = top - y1, top - y0  # now y0 is the top
    w, h = x1 - x0, y1 - y0
    thick, min_len = settings.rule_max_thickness, settings.rule_min_length
    # The common case by far: a single thin line or a thin filled rectangle.
    if h <= thick and w >= min_len:
        return [Edge(False, (y0 + y1) / 2, x0, x1)]
    if w <= thick and h >= min_len:
        return [Edge(True, (x0 + x1) / 2, y0, y1)]
    if w <= thick or h <= thick:
        return []
    nseg = int(_path_count_segments(obj))
    if nseg <= 5:
        # A box: a stroked cell border, or a filled cell background whose sides are borders.
        return [
            Edge(False, y0, x0, x1),
            Edge(False, y1, x0, x1),
            Edge(True, x0, y0, y1),
            Edge(True, x1, y0, y1),
        ]
    if not stroked:
        return []  # filled polygons with many sides are drawings, not rules
    return _polyline_edges(obj, nseg, _compose(_object_matrix(obj), ctm), origin, settings)


def _polyline_edges(
    obj: int, nseg: int, matrix: Matrix, origin: tuple[float, float], settings: PdfSettings
) -> list[Edge]:
    # A whole grid drawn as one path: split it into its axis-parallel strokes.
    left, top = origin
    x = ctypes.c_float()
    y = ctypes.c_float()
    edges: list[Edge] = []
    prev: tuple[float, float] | None = None
    start: tuple[float, float] | None = None
    for i in range(nseg):
        seg = _path_get_segment(obj, i)
        if not seg or not _segment_point(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        px, py = _apply(matrix, float(x.value), float(y.value))
        point = (px - left, top - py)
        kind = int(_segment_type(seg))
        if kind == 2 or prev is None:  # FPDF_SEGMENT_MOVETO
            prev = start = point
            continue
        edges.extend(_segment_edge(prev, point, settings))
        prev = point
        if _segment_close(seg) and start is not None:
            edges.extend(_segment_edge(point, start, settings))
            prev = start
    return edges


def _segment_edge(
    a: tuple[float, float], b: tuple[float, float], settings: PdfSettings
) -> list[Edge]:
    (ax, ay), (bx, by) = a, b
    tol = settings.rule_max_thickness / 2
    if abs(ay - by) <= tol and abs(ax - bx) >= settings.rule_min_length:
        return [Edge(False, (ay + by) / 2, min(ax, bx), max(ax, bx))]
    if abs(ax - bx) <= tol and abs(ay - by) >= settings.rule_min_length:
        return [Edge(True, (ax + bx) / 2, min(ay, by), max(ay, by))]
    return []
