"""Uploads are checked by their content and stored under generated names.

The name a browser sends is shown to its user (escaped, reduced to its last component) and
never used as a path: a stored upload is `<data>/uploads/<random id>.<kind>`, the kind found
from the bytes (PDF, workbook, text), not from the name.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from yusuan.errors import InputError
from yusuan.readers.decode import decode_text
from yusuan.readers.read import sniff

MAX_NAME = 120


class Refused(Exception):
    """An upload that is not a document yusuan reads; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Stored:
    path: Path
    kind: str  # pdf, xlsx, xlsb, ods, xls, docx, text
    name: str  # the display name (the browser's, cleaned)
    size: int


def new_id() -> str:
    """An unguessable identifier (128 bits), safe in URLs and file names."""
    return secrets.token_urlsafe(16)


def display_name(raw: str | None) -> str:
    """The last component of a browser-sent name, without control characters, bounded."""
    text = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C").strip()
    text = re.sub(r"\s+", " ", text)
    if text in ("", ".", ".."):
        return "未命名文件"
    return text[:MAX_NAME]


def classify(data: bytes, name: str) -> str:
    """The upload's kind from its bytes; `Refused` for anything yusuan does not read."""
    from yusuan.readers.sheet.backend import ole2_description, workbook_kind, zip_description
    from yusuan.readers.word import is_docx

    if not data.strip():
        raise Refused(f"{name} 是空文件")
    kind = sniff(data)
    if kind == "pdf":
        return "pdf"
    if kind == "zip":
        if is_docx(data):
            return "docx"  # a damaged one fails in its job with the Word reader's reason
        book = workbook_kind(data)
        if book is None:
            raise Refused(f"{name} 是{zip_description(data)}，不是电子表格，也不是 Word 文档")
        return book
    if kind == "xls":
        other = ole2_description(data)
        if other is not None:
            raise Refused(f"{name} 是{other}，不是 Excel 工作簿")
        return "xls"
    try:
        decode_text(data, name)
    except InputError as exc:
        raise Refused(exc.message) from exc
    return "text"


_SUFFIX = {"text": ".md"}


def store(data: bytes, raw_name: str | None, uploads: Path) -> Stored:
    """Check and write one upload; the path is generated, whatever the browser sent."""
    name = display_name(raw_name)
    kind = classify(data, name)
    uploads.mkdir(parents=True, exist_ok=True)
    path = uploads / f"{new_id()}{_SUFFIX.get(kind, '.' + kind)}"
    with path.open("xb") as fh:  # never overwrite
        fh.write(data)
    return Stored(path=path, kind=kind, name=name, size=len(data))
