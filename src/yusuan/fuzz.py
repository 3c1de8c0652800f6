"""Fuzz targets: any bytes through every reader and the ledger loader, never an internal error.

A target returns normally or raises `YusuanError` (a clear rc-2 message); anything else is a
bug. Used by the property-based tests (tests/test_fuzz.py, hypothesis, a few hundred inputs
per run) and by the coverage-guided fuzzer (scripts/fuzz, atheris, millions of inputs:
docs/fuzzing.md). Limits are lowered so that one input costs milliseconds, and the alarm of
the wall-clock limit is off (a fuzzer measures time itself).
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from yusuan.errors import YusuanError
from yusuan.limits import limits_override

FUZZ_LIMITS: dict[str, Any] = {
    "max_input_bytes": 1 << 20,
    "max_pages": 20,
    "max_cells": 20_000,
    "max_span": 100,
    "max_sheet_cells": 20_000,
    "max_unzipped_bytes": 8 << 20,
    "max_seconds": 0,
}

# Leading bytes that steer a random input to each reader's sniffing branch.
PREFIXES = (b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf")


def read_any(data: bytes) -> None:
    """`yusuan.read` on the bytes, then `yusuan.audit` on what it read."""
    import yusuan

    with limits_override(**FUZZ_LIMITS):
        try:
            doc = yusuan.read(data, name="fuzz")
        except YusuanError:
            return
        yusuan.audit(doc)


def read_text_any(text: str) -> None:
    """The text reader and the audit on any string (Markdown, HTML tables, tabs)."""
    import yusuan

    with limits_override(**FUZZ_LIMITS):
        try:
            doc = yusuan.read_text(text, path="fuzz.md")
        except YusuanError:
            return
        yusuan.audit(doc)


@cache
def _ledger_context() -> tuple[Any, Any, Any]:
    from yusuan.compose import prepare
    from yusuan.compose.department import load_department

    root = Path(__file__).resolve().parents[2]
    dept_path = root / "examples" / "ledger" / "2024_xinjiang_hrss_department.toml"
    dept = load_department(dept_path)
    template, names = prepare(dept, str(dept_path))
    return dept, template, names


def ledger_any(data: bytes, suffix: str = ".csv") -> None:
    """The ledger loader (CSV or XLSX) on any bytes, then compiling what it accepted."""
    from yusuan.compose import build_document
    from yusuan.compose.ledger import read_ledger

    dept, template, names = _ledger_context()
    with tempfile.TemporaryDirectory(prefix="yusuan-fuzz-") as tmp:
        path = Path(tmp) / f"ledger{suffix}"
        path.write_bytes(data)
        try:
            ledger = read_ledger(path, template, dept, names)
            build_document(ledger, dept, template, names)
        except YusuanError:
            return


def dispatch(data: bytes) -> None:
    """One byte chooses the target and a sniffing prefix; the rest is the input."""
    if not data:
        return
    choice, body = data[0], data[1:]
    if choice % 8 == 7:
        ledger_any(body, ".xlsx" if choice & 0x80 else ".csv")
    elif choice % 8 == 6:
        read_text_any(body.decode("utf-8", "replace"))
    else:
        read_any(PREFIXES[choice % len(PREFIXES)] + body)


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file of numbered `objects` (object 1 the catalog) with its cross-reference table
    computed: seeds for the fuzzer and small hand-made inputs for tests. `trailer` adds
    entries to the trailer dictionary (`/Encrypt 5 0 R …`)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)
