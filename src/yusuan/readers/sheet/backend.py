"""Workbook files → plain sheets of cells, through python-calamine (XLSX, XLSM, XLSB, XLS, ODS).

calamine reads every workbook format with one API, returns merged ranges for XLSX and XLS
alike, and is about fifty times faster than openpyxl on a disclosure workbook (docs/readers.md).
It does not report fonts or number formats, so bold is not known and the decimals of numeric
cells are inferred per table by the layout step.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from yusuan.errors import InputError

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
                mime = zf.read("mimetype").decode("ascii", "replace").strip()
                if mime == "application/vnd.oasis.opendocument.spreadsheet":
                    return "ods"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def zip_description(data: bytes) -> str:
    """What a zip that is not a workbook is, for the error message."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return "损坏的 ZIP 文件"
    if "word/document.xml" in names:
        return "Word 文档（.docx）"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 文档（.pptx）"
    return "ZIP 压缩包"


def ole2_description(data: bytes) -> str | None:
    """None when the OLE2 file holds an Excel workbook stream; else what it seems to be."""
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
        raise InputError("读取电子表格需要安装 yusuan[xlsx]（python-calamine）") from exc
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several error types; all mean "cannot open"
        raise InputError(_open_error(name, exc)) from exc
    sheets: list[Sheet] = []
    try:
        for sheet_name in workbook.sheet_names:
            try:
                sheet = workbook.get_sheet_by_name(sheet_name)
                values = sheet.to_python(skip_empty_area=False)
                merged = getattr(sheet, "merged_cell_ranges", None) or []
            except Exception as exc:  # a chart sheet or a damaged part: report, keep the rest
                if "chart" in str(exc).lower():
                    continue
                raise InputError(
                    f"工作表「{sheet_name}」无法读取（{_first_line(exc)}）：{name}"
                ) from exc
            width = max((len(r) for r in values), default=0)
            rows = [[_cell(v) for v in r] + [SheetCell()] * (width - len(r)) for r in values]
            ranges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged]
            sheets.append(Sheet(sheet_name.strip() or sheet_name, rows, ranges))
    finally:
        workbook.close()
    return sheets


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


def _open_error(name: str, exc: BaseException) -> str:
    kind = type(exc).__name__
    if "Password" in kind or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
        return f"电子表格已加密，需要先解除密码保护：{name}"
    return f"电子表格已损坏或格式不受支持，无法读取（{_first_line(exc)}）：{name}"
