"""Workbook files → plain sheets of cells, through python-calamine (XLSX, XLSM, XLSB, XLS, ODS).

calamine reads every workbook format with one API, returns merged ranges for XLSX and XLS
alike, and is about fifty times faster than openpyxl on a disclosure workbook (docs/readers.md).
It does not report fonts or number formats, so bold is not known and the decimals of numeric
cells are inferred per table by the layout step.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from yusuan import limits
from yusuan.errors import InputError
from yusuan.readers.sheet.extent import Biff12Extent

MergedRange = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


@dataclass(slots=True)
class SheetCell:
    """One cell as stored: text for strings, `number` for numeric cells (text left empty)."""

    text: str = ""
    number: float | None = None

    @property
    def empty(self) -> bool:
        return self.number is None and not self.text


@dataclass(slots=True)
class Sheet:
    name: str
    rows: list[list[SheetCell]]  # from A1, rectangular
    merged: list[MergedRange] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


def column_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"


def a1_range(r0: int, c0: int, r1: int, c1: int) -> str:
    if (r0, c0) == (r1, c1):
        return a1(r0, c0)
    return f"{a1(r0, c0)}:{a1(r1, c1)}"


def workbook_kind(data: bytes) -> str | None:
    """`xlsx`, `xlsb` or `ods` for a zip that holds a workbook; None for any other zip."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "mimetype" in names:
                with zf.open("mimetype") as fh:  # read a little: it may be a zip bomb
                    mime = fh.read(100).decode("ascii", "replace").strip()
                if mime == "application/vnd.oasis.opendocument.spreadsheet":
                    return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError, NotImplementedError):
        return None
    return None


# --- limits on what a workbook may unpack to ------------------------------------------

_CHUNK = 1 << 20
_RATIO_FLOOR = 10 * 1024 * 1024  # below this, any compression ratio is harmless
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml$")
_BINARY_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.bin$")
# A cell with content (`<c r="B7" …>…</c>`, not the self-closing empty `<c r="B7" s="1"/>`).
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?<!/)>')
# A formula directly followed by the end of its cell: no cached value (`<v>`) stored.
_FORMULA_NO_VALUE = re.compile(rb"<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


@dataclass(slots=True)
class ZipScan:
    """What the members of a workbook zip unpack to, measured by unpacking them."""

    unzipped: int = 0
    # worksheet member → (rows, columns) spanned by the cells that hold something
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)
    formulas_without_values: dict[str, int] = field(default_factory=dict)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def scan_zip(data: bytes, name: str) -> ZipScan:
    """Unpack every member in a streaming way and refuse a zip bomb or an oversized sheet.

    Checked: total unpacked size, unpacked ÷ packed ratio, and for XLSX worksheets the
    rows × columns spanned by the cells present (not the declared `<dimension>`, which a
    hostile file can set to the whole grid). Raises `LimitError`; a damaged zip is left to
    the workbook library, which names the damage.
    """
    lim = limits.current()
    scan = ZipScan()
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return scan
    with zf:
        for info in zf.infolist():
            sheet = bool(_WORKSHEET.match(info.filename))
            binary = Biff12Extent() if _BINARY_WORKSHEET.match(info.filename) else None
            rows = cols = formulas = 0
            tail = b""
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        scan.unzipped += len(chunk)
                        _check_unzipped(scan.unzipped, len(data), lim, name)
                        if binary is not None:  # XLSB: BIFF12 records
                            binary.feed(chunk)
                            rows, cols = binary.rows, binary.cols
                            _check_sheet(rows, cols, info.filename, name, lim)
                        if not sheet:
                            continue
                        text = tail + chunk
                        # A tag cut at the chunk end is seen whole in the next round.
                        cut = text.rfind(b"<")
                        body, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
                        for m in _CELL_REF.finditer(body):
                            rows = max(rows, int(m.group(2)))
                            cols = max(cols, _column_number(m.group(1)))
                        formulas += len(_FORMULA_NO_VALUE.findall(body))
                        _check_sheet(rows, cols, info.filename, name, lim)
            except limits.LimitError:
                raise
            except Exception:
                continue  # members: the workbook library reports the damage by name
            if sheet or binary is not None:
                scan.extents[info.filename] = (rows, cols)
                if formulas:
                    scan.formulas_without_values[info.filename] = formulas
    return scan


def _check_sheet(rows: int, cols: int, member: str, name: str, lim: limits.Limits) -> None:
    if rows * cols > lim.max_sheet_cells:
        raise limits.LimitError(
            f"{name} 的工作表 {member} 的数据范围达到 {rows:,} 行 × {cols:,} 列",
            "max_sheet_cells",
        )


def _check_unzipped(unzipped: int, packed: int, lim: limits.Limits, name: str) -> None:
    if unzipped > lim.max_unzipped_bytes:
        raise limits.LimitError(
            f"{name} 解压后的内容过大（可能是“压缩炸弹”）",
            "max_unzipped_bytes",
        )
    if unzipped > _RATIO_FLOOR and unzipped > lim.max_zip_ratio * max(packed, 1):
        raise limits.LimitError(
            f"{name} 解压后是压缩数据的 {unzipped // max(packed, 1):,} 倍以上（可能是“压缩炸弹”）",
            "max_zip_ratio",
        )


def is_encrypted_ooxml(data: bytes) -> bool:
    """An encrypted XLSX/DOCX is an OLE2 file holding `EncryptionInfo` + `EncryptedPackage`."""
    return (
        "EncryptedPackage".encode("utf-16-le") in data
        and "EncryptionInfo".encode("utf-16-le") in data
    )


def zip_description(data: bytes) -> str:
    """What a zip that is not a workbook is, for the error message."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return "损坏的 ZIP 文件"
    if "word/document.xml" in names:
        return "Word 文档（.docx）"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 文档（.pptx）"
    return "ZIP 压缩包"


def docx_damage(data: bytes, name: str, *, is_word: bool = False) -> str | None:
    """Why a file named as a Word document (.docx), or known to be one (`is_word`), cannot be
    one; None if it is whole or is neither. Checked: the ZIP container, the members a DOCX must have, and that its
    body XML is complete (read in chunks, within the unzip limit)."""
    if not is_word and not name.lower().endswith((".docx", ".docm")):
        return None  # any other zip is described by what it holds (zip_description)
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        return f"ZIP 容器已损坏（{_first_line(exc)}）"
    with zf:
        try:
            names = set(zf.namelist())
        except ValueError:
            names = set()
        if "xl/workbook.xml" in names:
            return None
        if "word/document.xml" not in names:
            return "缺少正文部分 word/document.xml"
        if "[Content_Types].xml" not in names:
            return "缺少内容类型清单 [Content_Types].xml"
        if "_rels/.rels" not in names:
            return "缺少包关系部分 _rels/.rels"
        return _xml_damage(zf, "word/document.xml", len(data))


def _xml_damage(zf: zipfile.ZipFile, member: str, packed: int) -> str | None:
    """Whether one XML member unpacks and parses to the end (expat, fed chunk by chunk)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    unzipped = 0
    lim = limits.current()
    try:
        with zf.open(member) as fh:
            while chunk := fh.read(_CHUNK):
                unzipped += len(chunk)
                _check_unzipped(unzipped, packed, lim, member)
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        return f"{member} 不是完整的 XML（第 {exc.lineno} 行第 {exc.offset + 1} 列：{expat.errors.messages[exc.code]}）"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        return f"{member} 无法解压（{_first_line(exc)}）"
    return None


def ole2_description(data: bytes) -> str | None:
    """None when the OLE2 file holds an Excel workbook stream; else what it seems to be."""
    if is_encrypted_ooxml(data):
        return "加密的 Office 文档（XLSX/DOCX 设置了打开密码）"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return None
    if "WordDocument".encode("utf-16-le") in data:
        return "Word 97-2003 文档（.doc）"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "PowerPoint 97-2003 文档（.ppt）"
    return "不是 Excel 工作簿的 OLE2 复合文档"


def _cell(value: object) -> SheetCell:
    if value is None or value == "":
        return SheetCell()
    if isinstance(value, bool):  # before int: bool is an int
        return SheetCell("是" if value else "否")
    if isinstance(value, int | float):
        return SheetCell(number=float(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return SheetCell(value.isoformat())
    if isinstance(value, dt.timedelta):
        return SheetCell(str(value))
    return SheetCell(str(value).replace("\r\n", "\n").replace("\r", "\n").strip())


def load_sheets(path: Path, name: str) -> list[Sheet]:
    """Every worksheet of the workbook at `path`, hidden ones included (they are published too).

    Raises `InputError` for encrypted, corrupt or unreadable workbooks.
    """
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as exc:  # pragma: no cover - the xlsx extra is part of the default install
        raise InputError("读取电子表格需要 python-calamine（pip install python-calamine）") from exc
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several error types; all mean "cannot open"
        raise InputError(_open_error(name, exc)) from exc
    sheets: list[Sheet] = []
    cells = 0
    try:
        for sheet_name in workbook.sheet_names:
            limits.checkpoint()
            try:
                sheet = workbook.get_sheet_by_name(sheet_name)
                _check_extent(sheet, sheet_name, name, cells)
                values = sheet.to_python(skip_empty_area=False)
                merged = getattr(sheet, "merged_cell_ranges", None) or []
            except Exception as exc:  # a chart sheet or a damaged part: report, keep the rest
                if "chart" in str(exc).lower():
                    continue
                raise InputError(
                    f"工作表「{sheet_name}」无法读取（{_first_line(exc)}）：{name}"
                ) from exc
            width = max((len(r) for r in values), default=0)
            cells += len(values) * width
            rows = [[_cell(v) for v in r] + [SheetCell()] * (width - len(r)) for r in values]
            ranges = _clip_merged(merged, len(rows), width)
            sheets.append(Sheet(sheet_name.strip() or sheet_name, rows, ranges))
    finally:
        workbook.close()
    return sheets


def _check_extent(sheet: object, sheet_name: str, name: str, cells_so_far: int) -> None:
    """Refuse a sheet (or workbook) whose cell grid is over the limits before copying it."""
    lim = limits.current()
    # to_python(skip_empty_area=False) copies the grid from A1 to the last cell present
    height = int(getattr(sheet, "total_height", 0) or getattr(sheet, "height", 0) or 0)
    width = int(getattr(sheet, "total_width", 0) or getattr(sheet, "width", 0) or 0)
    if height * width > lim.max_sheet_cells:
        raise limits.LimitError(
            f"{name} 的工作表「{sheet_name}」的数据范围达到 {height:,} 行 × {width:,} 列",
            "max_sheet_cells",
        )
    if cells_so_far + height * width > lim.max_cells:
        raise limits.LimitError(f"{name} 的表格单元格过多", "max_cells")


def _clip_merged(
    merged: list[tuple[tuple[int, int], tuple[int, int]]], height: int, width: int
) -> list[MergedRange]:
    """Merged ranges cut to the cells present: a range may be declared over the whole grid."""
    out: list[MergedRange] = []
    for (r0, c0), (r1, c1) in merged:
        if r0 >= height or c0 >= width:
            continue
        out.append((r0, c0, min(r1, height - 1), min(c1, width - 1)))
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


def _open_error(name: str, exc: BaseException) -> str:
    kind = type(exc).__name__
    if "Password" in kind or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
        return f"电子表格已加密，需要先解除密码保护：{name}"
    return f"电子表格已损坏或格式不受支持，无法读取（{_first_line(exc)}）：{name}"
