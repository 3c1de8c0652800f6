"""Reading a file: pick the reader by content (not only by extension), then assemble."""

from __future__ import annotations

import dataclasses
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from yusuan import limits
from yusuan.errors import InputError
from yusuan.limits import deadline
from yusuan.model.document import Document
from yusuan.model.provenance import SourceInfo
from yusuan.output import file_kind
from yusuan.profiles import load_profile
from yusuan.profiles.schema import Profile
from yusuan.readers.assemble import assemble
from yusuan.readers.decode import decode_text
from yusuan.readers.document_json import document_from_json, is_document_json
from yusuan.readers.ir import RawDocument
from yusuan.readers.markdown import text_to_raw
from yusuan.readers.word import is_docx


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
    raw, source = text_raw(text, path, encoding)
    prof = load_profile(profile) if isinstance(profile, str) else profile
    return assemble(raw, source, prof)


def text_raw(text: str, path: str = "", encoding: str = "utf-8") -> tuple[RawDocument, SourceInfo]:
    """A text disclosure read to the intermediate representation, not yet assembled."""
    if len(text) > limits.current().max_text_bytes:  # characters: at most as many as bytes
        raise limits.LimitError(f"{path or '文本'} 有 {len(text):,} 个字符", "max_text_bytes")
    lines = text.count("\n") + 1
    if lines > limits.current().max_lines:
        raise limits.LimitError(f"{path or '文本'} 有 {lines:,} 行", "max_lines")
    raw = text_to_raw(text)
    source = SourceInfo(path=path, format="text", encoding=encoding, lines=tuple(text.splitlines()))
    return raw, source


def read_pdf(path: Path, profile: Profile | str | None = None, *, ocr: bool = False) -> Document:
    """Read a text-layer PDF disclosure; findings will cite pages and boxes. With `ocr`,
    scanned pages are recognised (needs the `ocr` extra) instead of refused or skipped."""
    raw, source = pdf_raw(path, ocr=ocr)
    prof = load_profile(profile) if isinstance(profile, str) else profile
    return assemble(raw, source, prof)


def pdf_raw(path: Path, *, ocr: bool = False) -> tuple[RawDocument, SourceInfo]:
    """A PDF read to the intermediate representation, not yet assembled."""
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
    source = SourceInfo(
        path=str(path), format="pdf", pages=info.pages, blank_pages=info.blank_pages
    )
    return raw, source


def read_docx(
    path: Path, profile: Profile | str | None = None, name: str | None = None
) -> Document:
    """Read a Word disclosure (.docx); findings cite its text's lines and tables' cells."""
    raw, source = docx_raw(path, name)
    prof = load_profile(profile) if isinstance(profile, str) else profile
    return assemble(raw, source, prof)


def docx_raw(path: Path, name: str | None = None) -> tuple[RawDocument, SourceInfo]:
    """A Word document read to the intermediate representation, not yet assembled."""
    from yusuan.readers.word import read_docx_raw

    label = name or str(path)
    # The container is checked here, so a damaged one is named by what is wrong with it.
    _refuse_damaged_docx(load_bytes(path, label), label, is_word=True)
    raw, lines = read_docx_raw(path, label)
    return raw, SourceInfo(path=label, format="docx", lines=lines)


def _refuse_damaged_docx(data: bytes, name: str, *, is_word: bool = False) -> None:
    """A .docx whose container, parts or body XML is damaged: rc 2 naming the damage."""
    from yusuan.readers.sheet.backend import docx_damage

    damage = docx_damage(data, name, is_word=is_word)
    if damage is not None:
        raise InputError(
            f"{name} 是损坏的 Word 文档（.docx）：{damage}；"
            "请用 Word 或 WPS 打开修复后重新保存，或另存为 PDF 后再读取"
        )


def read_sheet(path: Path, data: bytes, profile: Profile | str | None = None) -> Document:
    """Read a disclosure workbook (XLSX, XLS, XLSB, ODS); findings cite sheets and cells."""
    raw, source = sheet_raw(path, data)
    prof = load_profile(profile) if isinstance(profile, str) else profile
    return assemble(raw, source, prof)


def sheet_raw(path: Path, data: bytes) -> tuple[RawDocument, SourceInfo]:
    """A workbook read to the intermediate representation, not yet assembled."""
    from yusuan.readers.sheet import (
        ole2_description,
        read_sheet_raw,
        workbook_kind,
        zip_description,
    )
    from yusuan.readers.sheet.backend import is_encrypted_ooxml, scan_zip
    from yusuan.readers.sheet.extent import check_xls

    name = str(path)
    if sniff(data) == "xls":
        if is_encrypted_ooxml(data):
            raise InputError(
                f"{name} 是加密的电子表格（设置了打开密码）：请在 Excel/WPS 中取消密码后再读取"
            )
        other = ole2_description(data)
        if other is not None:
            raise InputError(f"{name} 是{other}，不是 Excel 工作簿，也不是公开文件")
        check_xls(data, name)  # the grid its cells span, before calamine allocates it
        fmt = "xls"
    else:
        kind = workbook_kind(data)
        if kind is None:
            _refuse_damaged_docx(data, name)
            raise InputError(
                f"{name} 是{zip_description(data)}，不是电子表格：请解压或另存为 PDF/XLSX 后再读取"
            )
        fmt = kind
        scan = scan_zip(data, name)
        if scan.formulas_without_values:
            count = sum(scan.formulas_without_values.values())
            member = next(iter(scan.formulas_without_values)).rsplit("/", 1)[-1]
            raise InputError(
                f"{name} 有 {count} 个公式单元格没有保存计算结果（如 {member}），读取会把它们当作空白："
                "请用 Excel、WPS 或 LibreOffice 打开后保存一次再读取"
            )
    raw = read_sheet_raw(path)
    return raw, SourceInfo(path=name, format=fmt)


Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO
"""What `read` accepts: a path, the file's bytes, or a binary file object."""


def read(
    path: Source | Sequence[str | os.PathLike[str]],
    profile: Profile | str | None = None,
    *,
    ocr: bool = False,
    name: str | None = None,
) -> Document:
    """Read a disclosure file into the typed model. Raises InputError if it cannot.

    `path` is a file path, the file's bytes, or a binary file object (`open(p, "rb")`,
    `io.BytesIO`); `name` labels bytes and file objects in messages and provenance.
    The format is found from the content: PDF, workbook (XLSX, XLS, XLSB, ODS), Word
    (DOCX), yusuan's own JSON, or text (Markdown, converter output, an HTML page).
    `ocr` recognises the scanned pages of a PDF (optional `ocr` extra; docs/ocr.md).
    Reading is bounded by `yusuan.limits` (size, pages, cells, time): a document over a
    limit raises `LimitError` (an InputError) naming the limit and how to raise it.

    A list of paths is read as one document (a document set: `read_set`).
    """
    if isinstance(path, list | tuple):
        from yusuan.readers.sets import read_set

        return read_set(path, profile, ocr=ocr)
    if isinstance(path, str | os.PathLike):
        p: Path | None = Path(path)
        label = name or str(path)
        data = load_bytes(Path(path), label)
    else:
        p = None
        label = name or str(getattr(path, "name", "") or "输入")
        data = _source_bytes(path, label)
    with deadline(label):
        kind = sniff(data)
        if kind in ("pdf", "zip", "xls"):
            if p is None:
                return _read_via_file(data, label, kind, profile, ocr)
            if kind == "pdf":
                return read_pdf(p, profile=profile, ocr=ocr)
            if kind == "zip" and is_docx(data):
                return read_docx(p, profile=profile)
            return read_sheet(p, data, profile=profile)
        _check_text_size(len(data), label)
        text, encoding = decode_text(data, label)
        if is_document_json(text):
            return document_from_json(text, label)
        return read_text(text, path=label, encoding=encoding, profile=profile)


def load_bytes(path: Path, name: str) -> bytes:
    """A regular file's bytes within the size limit; devices, pipes and sockets refused."""
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise InputError(f"找不到文件 {name}") from exc
    except OSError as exc:
        raise InputError(f"无法读取 {name}：{exc.strerror}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name} 是目录，不是文件")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{name} 不是普通文件（{file_kind(st.st_mode)}），不能作为公开文件读取")
    limit = limits.current().max_input_bytes
    if st.st_size > limit:
        raise limits.LimitError(f"{name} 有 {st.st_size:,} 字节", "max_input_bytes")
    try:
        with path.open("rb") as fh:
            # A text file over its own (smaller) limit is refused before it is read whole.
            head = fh.read(1024)
            if sniff(head) == "text":
                _check_text_size(st.st_size, name)
            data = head + fh.read(limit + 1 - len(head))
    except OSError as exc:
        raise InputError(f"无法读取 {name}：{exc.strerror}") from exc
    if len(data) > limit:  # the file grew while we read it
        raise limits.LimitError(f"{name} 超过 {limit:,} 字节", "max_input_bytes")
    return data


def _check_text_size(size: int, name: str) -> None:
    """Refuse a text input over `max_text_bytes` (a text document is read whole: its lines,
    tables and statements cost about 20 times the file in memory)."""
    if size > limits.current().max_text_bytes:
        raise limits.LimitError(f"{name} 是 {size:,} 字节的文本文件", "max_text_bytes")


def _source_bytes(source: object, name: str) -> bytes:
    limit = limits.current().max_input_bytes
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif callable(getattr(source, "read", None)):
        try:
            chunk = source.read(limit + 1)  # type: ignore[attr-defined]
        except OSError as exc:
            raise InputError(f"无法读取 {name}：{exc.strerror}") from exc
        if isinstance(chunk, str):
            raise TypeError(
                "read() 需要以二进制方式打开的文件对象（open(路径, 'rb') 或 io.BytesIO），"
                "而不是文本文件对象；文本请用 yusuan.read_text()"
            )
        if not isinstance(chunk, bytes | bytearray):
            raise TypeError(f"文件对象的 read() 应返回 bytes，而不是 {type(chunk).__name__}")
        data = bytes(chunk)
    else:
        raise TypeError(
            "read() 需要文件路径（str 或 pathlib.Path）、文件内容（bytes）或二进制文件对象，"
            f"而不是 {type(source).__name__}"
        )
    if len(data) > limit:
        raise limits.LimitError(f"{name} 超过 {limit:,} 字节", "max_input_bytes")
    return data


def _read_via_file(
    data: bytes, name: str, kind: str, profile: Profile | str | None, ocr: bool
) -> Document:
    """PDF and workbook libraries read from a path: bytes go through a private temp file."""
    docx = kind == "zip" and is_docx(data)
    suffix = ".docx" if docx else {"pdf": ".pdf", "xls": ".xls"}.get(kind, ".xlsx")
    with tempfile.TemporaryDirectory(prefix="yusuan-") as tmp:
        base = Path(name).name.strip() or "输入"  # messages name the file as the caller did
        # A zip keeps its own suffix when it names a zip format (calamine goes by it; a
        # damaged .docx is named as such).
        kept = (".xlsx", ".xlsm", ".xlsb", ".ods", ".docx", ".docm") if kind == "zip" else ()
        keep = base.lower().endswith(suffix) or base.lower().endswith(kept)
        p = Path(tmp) / (base if keep else base + suffix)
        p.write_bytes(data)
        if kind == "pdf":
            doc = read_pdf(p, profile=profile, ocr=ocr)
        elif docx:
            doc = read_docx(p, profile=profile)
        else:
            doc = read_sheet(p, data, profile=profile)
    doc.source = dataclasses.replace(doc.source, path=name)
    return doc


def read_raw(path: Path, *, ocr: bool = False) -> tuple[RawDocument, SourceInfo]:
    """One file read by its own reader to the intermediate representation (not assembled):
    the part of `read` that a document set (`yusuan.readers.sets`) runs per file."""
    label = str(path)
    data = load_bytes(path, label)
    kind = sniff(data)
    if kind == "pdf":
        return pdf_raw(path, ocr=ocr)
    if kind == "zip" and is_docx(data):
        return docx_raw(path)
    if kind in ("zip", "xls"):
        return sheet_raw(path, data)
    _check_text_size(len(data), label)
    text, encoding = decode_text(data, label)
    if is_document_json(text):
        raise InputError(
            f"{label} 是 yusuan 的 JSON 文档（已读取完成的文档），不能与其他文件合并为一份读取"
        )
    return text_raw(text, label, encoding)
