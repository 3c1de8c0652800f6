"""A minimal writer of legacy Excel files (BIFF8 in an OLE2 compound file), for tests only.

No maintained Python package writes `.xls` any more, and no published `.xls` disclosure is at
hand, so the tests build one by hand: one OLE2 container holding a `Workbook` stream with the
records a reader needs (BOF, CODEPAGE, FONT, XF, BOUNDSHEET8, SST, LABELSST, NUMBER,
MERGEDCELLS, DIMENSIONS, EOF). Enough for a few small sheets (one FAT sector, one SST record).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

_SECTOR = 512
_END, _FAT_SECT, _FREE = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_MIN_STREAM = 4096  # shorter streams would have to go into the mini stream


@dataclass
class XlsSheet:
    name: str
    cells: dict[tuple[int, int], str | float] = field(default_factory=dict)  # (row, col), 0-based
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, r1, c0, c1


def _record(kind: int, data: bytes) -> bytes:
    assert len(data) <= 8224, "record too long for this minimal writer"
    return struct.pack("<HH", kind, len(data)) + data


def _bof(dt: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 0x0006))


def _unicode(text: str, short: bool = False) -> bytes:
    raw = text.encode("utf-16-le")
    count = len(text.encode("utf-16-le")) // 2
    head = struct.pack("<BB", count, 1) if short else struct.pack("<HB", count, 1)
    return head + raw


def _font() -> bytes:
    name = _unicode("宋体", short=True)
    return _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 134, 0) + name)


def _xf() -> bytes:
    # ifnt 0, ifmt 0 (General), cell XF with default protection, then alignment and borders.
    return _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _workbook_stream(sheets: list[XlsSheet]) -> bytes:
    strings: list[str] = []
    index: dict[str, int] = {}
    for sheet in sheets:
        for value in sheet.cells.values():
            if isinstance(value, str) and value not in index:
                index[value] = len(strings)
                strings.append(value)
    sst = _record(
        0x00FC,
        struct.pack("<II", len(strings), len(strings)) + b"".join(_unicode(s) for s in strings),
    )
    head = _bof(0x0005) + _record(0x0042, struct.pack("<H", 1200)) + _font() * 5 + _xf() * 16
    tail = sst + _record(0x000A, b"")
    bodies = [_sheet_stream(s, index) for s in sheets]
    names = [_unicode(s.name, short=True) for s in sheets]
    bound_len = sum(4 + 6 + len(n) for n in names)
    offset = len(head) + bound_len + len(tail)
    bound = b""
    for name, body in zip(names, bodies, strict=True):
        bound += _record(0x0085, struct.pack("<IBB", offset, 0, 0) + name)
        offset += len(body)
    return head + bound + tail + b"".join(bodies)


def _sheet_stream(sheet: XlsSheet, sst: dict[str, int]) -> bytes:
    rows = [r for r, _ in sheet.cells] or [0]
    cols = [c for _, c in sheet.cells] or [0]
    out = _bof(0x0010)
    out += _record(0x0200, struct.pack("<IIHHH", 0, max(rows) + 1, 0, max(cols) + 1, 0))
    for (r, c), value in sorted(sheet.cells.items()):
        if isinstance(value, str):
            out += _record(0x00FD, struct.pack("<HHHI", r, c, 15, sst[value]))
        else:
            out += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    if sheet.merged:
        refs = b"".join(struct.pack("<HHHH", *m) for m in sheet.merged)
        out += _record(0x00E5, struct.pack("<H", len(sheet.merged)) + refs)
    return out + _record(0x000A, b"")


def _dir_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (
        raw.ljust(64, b"\0")
        + struct.pack("<HBB", len(raw), kind, 1)
        + struct.pack("<III", _FREE, _FREE, child)
        + b"\0" * 36
        + struct.pack("<IQ", start, size)
    )


def write_xls(path: Path, sheets: list[XlsSheet], stream_name: str = "Workbook") -> None:
    """Write `sheets` as a BIFF8 workbook that Excel, LibreOffice and calamine open.

    Another `stream_name` ("WordDocument") makes an OLE2 file that is not a workbook."""
    stream = _workbook_stream(sheets)
    size = max(len(stream), _MIN_STREAM)
    stream = stream.ljust(-(-size // _SECTOR) * _SECTOR, b"\0")
    n = len(stream) // _SECTOR
    directory, fat_sector = n, n + 1
    assert fat_sector < _SECTOR // 4, "too large for one FAT sector"
    fat = [*range(1, n), _END, _END, _FAT_SECT]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    entries = (
        _dir_entry("Root Entry", 5, 1, _END, 0)
        + _dir_entry(stream_name, 2, _FREE, 0, len(stream))
        + _dir_entry("", 0, _FREE, 0, 0) * 2
    )
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, directory, 0, _MIN_STREAM, _END, 0, _END, 0)
        + struct.pack("<I", fat_sector)
        + struct.pack("<I", _FREE) * 108
    )
    assert len(header) == _SECTOR
    path.write_bytes(header + stream + entries + struct.pack(f"<{_SECTOR // 4}I", *fat))
