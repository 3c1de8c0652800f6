"""Reading a file: pick the reader by content (not only by extension), then assemble."""

from __future__ import annotations

from pathlib import Path

from yusuan.errors import InputError
from yusuan.model.document import Document
from yusuan.model.provenance import SourceInfo
from yusuan.profiles import load_profile
from yusuan.profiles.schema import Profile
from yusuan.readers.assemble import assemble
from yusuan.readers.decode import decode_text
from yusuan.readers.markdown import text_to_raw


def sniff(data: bytes) -> str:
    """The input's format from its first bytes: pdf, xlsx (zip), xls (OLE2), html or text."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    return "text"


def read_text(
    text: str, path: str = "", encoding: str = "utf-8", profile: Profile | str | None = None
) -> Document:
    """Read a disclosure given as text (Markdown / tab-separated converter output)."""
    raw = text_to_raw(text)
    source = SourceInfo(path=path, format="text", encoding=encoding, lines=tuple(text.splitlines()))
    prof = load_profile(profile) if isinstance(profile, str) else profile
    return assemble(raw, source, prof)


def read_pdf(path: Path, profile: Profile | str | None = None, *, ocr: bool = False) -> Document:
    """Read a text-layer PDF disclosure; findings will cite pages and boxes. With `ocr`,
    scanned pages are recognised (needs the `ocr` extra) instead of refused or skipped."""
    try:
        from yusuan.readers.pdf import inspect_pdf, read_pdf_raw
    except ImportError as exc:  # pragma: no cover - the pdf extra is part of the default install
        raise InputError("读取 PDF 需要安装 yusuan[pdf]（pypdfium2）") from exc
    if ocr:
        from yusuan.readers.pdf.ocr import read_pdf_raw_ocr

        raw = read_pdf_raw_ocr(path)
    else:
        raw = read_pdf_raw(path)
    info = inspect_pdf(path)
    source = SourceInfo(path=str(path), format="pdf", pages=info.pages)
    prof = load_profile(profile) if isinstance(profile, str) else profile
    return assemble(raw, source, prof)


def read_sheet(path: Path, data: bytes, profile: Profile | str | None = None) -> Document:
    """Read a disclosure workbook (XLSX, XLS, XLSB, ODS); findings cite sheets and cells."""
    from yusuan.readers.sheet import (
        ole2_description,
        read_sheet_raw,
        workbook_kind,
        zip_description,
    )

    name = str(path)
    if sniff(data) == "xls":
        other = ole2_description(data)
        if other is not None:
            raise InputError(f"{name} 是{other}，不是 Excel 工作簿，也不是公开文件")
        fmt = "xls"
    else:
        kind = workbook_kind(data)
        if kind is None:
            raise InputError(
                f"{name} 是{zip_description(data)}，不是电子表格：请解压或另存为 PDF/XLSX 后再读取"
            )
        fmt = kind
    raw = read_sheet_raw(path)
    source = SourceInfo(path=name, format=fmt)
    prof = load_profile(profile) if isinstance(profile, str) else profile
    return assemble(raw, source, prof)


def read(path: str | Path, profile: Profile | str | None = None, *, ocr: bool = False) -> Document:
    """Read a disclosure file into the typed model. Raises InputError if it cannot.

    The format is found from the content: PDF, workbook (XLSX, XLS, XLSB, ODS) or text.
    `ocr` recognises the scanned pages of a PDF (optional `ocr` extra; docs/ocr.md).
    """
    p = Path(path)
    name = str(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"找不到文件 {name}") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{name} 是目录，不是文件") from exc
    except OSError as exc:
        raise InputError(f"无法读取 {name}：{exc.strerror}") from exc
    kind = sniff(data)
    if kind == "pdf":
        return read_pdf(p, profile=profile, ocr=ocr)
    if kind in ("zip", "xls"):
        return read_sheet(p, data, profile=profile)
    text, encoding = decode_text(data, name)
    return read_text(text, path=name, encoding=encoding, profile=profile)
