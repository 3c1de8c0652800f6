"""Read disclosure workbooks (XLSX, XLS, and the other formats calamine opens) into the IR.

    from yusuan.readers.sheet import read_sheet_raw
    raw = read_sheet_raw(Path("2025_部门预算.xlsx"))

`backend` turns a workbook into plain sheets of cells (values and merged ranges);
`layout` finds the tables and paragraphs on each sheet. Conventions: docs/readers.md.
"""

from __future__ import annotations

from pathlib import Path

from yusuan.errors import InputError
from yusuan.readers.ir import RawDocument
from yusuan.readers.sheet.backend import (
    Sheet,
    load_sheets,
    ole2_description,
    workbook_kind,
    zip_description,
)
from yusuan.readers.sheet.layout import sheets_to_document

__all__ = [
    "Sheet",
    "load_sheets",
    "ole2_description",
    "read_sheet_raw",
    "sheets_to_document",
    "workbook_kind",
    "zip_description",
]


def read_sheet_raw(path: Path) -> RawDocument:
    """Every sheet's tables and text, in workbook order. `InputError` for an empty workbook."""
    sheets = load_sheets(path, path.name)
    if not any(cell.text or cell.number is not None for s in sheets for r in s.rows for cell in r):
        raise InputError(f"电子表格中没有任何内容：{path.name}")
    return sheets_to_document(sheets)
