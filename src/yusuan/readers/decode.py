"""Bytes → text for text-like inputs, with the encoding detected and a clear error otherwise.

Chinese disclosures saved as text are UTF-8 (with or without BOM) or GB18030/GBK. Strict
decoding in that order is exact and fast; statistical detectors (chardet and friends)
misjudge short Chinese texts, and we never need more than these candidates plus UTF-16
marked by its BOM.
"""

from __future__ import annotations

import codecs

from yusuan.errors import InputError

# Order matters: UTF-8 first (strict decoding of GBK bytes as UTF-8 almost always fails,
# the converse is not true), then GB18030, a superset of GBK and GB2312.
CANDIDATES: tuple[str, ...] = ("utf-8", "gb18030")
_BINARY_SAMPLE = 8192


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB: not a text file."""
    sample = data[:_BINARY_SAMPLE]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > max(8, len(sample) // 100)


def decode_text(data: bytes, name: str = "输入") -> tuple[str, str]:
    """Return (text, encoding). Raises InputError for empty, binary or undecodable input."""
    if not data.strip():
        raise InputError(f"{name} 是空文件，没有可读的内容")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} 标明为 UTF-8 但含有无效字节（第 {exc.start} 字节）") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} 标明为 UTF-16 但无法解码") from exc
    if looks_binary(data):
        raise InputError(f"{name} 是二进制文件，不是文本；请提供公开文件的文本、PDF 或表格文件")
    for encoding in CANDIDATES:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name} 的文字编码无法识别（已尝试 UTF-8、GB18030/GBK）")
