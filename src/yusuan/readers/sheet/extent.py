"""The grid a legacy or binary workbook's cells span, measured before a library reads it.

calamine allocates a sheet's whole grid, from A1 to the last cell present, before yusuan
sees it: an XLS with two cells, A1 and IV65536, costs a gigabyte, an XLSB with A1 and
XFD1048576 far more. So the cell records themselves are read first — BIFF8 records in the
OLE2 `Workbook` stream (XLS), BIFF12 records in each `xl/worksheets/*.bin` member (XLSB) —
and a sheet whose cells span more than `max_sheet_cells` is refused. The declared
dimensions (DIMENSION / BrtWsDim records) are not trusted. Styled empty cells (BLANK,
MULBLANK, BrtCellBlank) count: the library keeps them in the grid.

A container this code cannot follow is left to the library, which names the damage.
"""

from __future__ import annotations

import struct

from yusuan import limits

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_SECTOR = 0xFFFFFFFA

# BIFF8 cell records: row (u16) and column (u16) come first.
_BIFF8_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6, 0x0201}
_BIFF8_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, …, last column (u16)
_BIFF8_BOF, _BIFF8_EOF = 0x0809, 0x000A


class _Damaged(Exception):
    """The container does not hold together; the workbook library will say how."""


def _ole2_stream(data: bytes, wanted: tuple[str, ...]) -> bytes | None:
    """The first stream named in `wanted` of an OLE2 compound file (MS-CFB), or None."""
    if not data.startswith(_OLE2_MAGIC) or len(data) < 512:
        return None
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise _Damaged
    size = 1 << shift
    n_sectors = (len(data) - size) // size + 1
    (dir_start,) = struct.unpack_from("<I", data, 0x30)
    (cutoff,) = struct.unpack_from("<I", data, 0x38)
    minifat_start, _n_minifat, difat_start, n_difat = struct.unpack_from("<IIII", data, 0x3C)

    def sector(n: int) -> bytes:
        if n > _MAX_SECTOR or (n + 1) * size >= len(data):
            raise _Damaged
        return data[(n + 1) * size : (n + 2) * size]

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAX_SECTOR]
    next_difat, seen = difat_start, 0
    while next_difat <= _MAX_SECTOR and seen < n_difat:
        ids = struct.unpack(f"<{size // 4}I", sector(next_difat))
        fat_sectors += [s for s in ids[:-1] if s <= _MAX_SECTOR]
        next_difat, seen = ids[-1], seen + 1
    fat: list[int] = []
    for s in fat_sectors[: n_sectors + 1]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(s)))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out: list[int] = []
        while start != _END_OF_CHAIN:
            if start >= len(table) or len(out) > limit:
                raise _Damaged  # out of range, or a cycle
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(s) for s in chain(dir_start, fat, n_sectors))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise _Damaged
    root = entries[0]
    for entry in entries:
        (name_len,) = struct.unpack_from("<H", entry, 64)
        name = entry[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        if entry[66] != 2 or name not in wanted:
            continue
        start, length = struct.unpack_from("<II", entry, 116)
        if length >= cutoff:
            body = b"".join(sector(s) for s in chain(start, fat, n_sectors))
            return body[:length]
        # A small stream lives in the mini stream, itself a regular stream of the root entry.
        minifat = b"".join(sector(s) for s in chain(minifat_start, fat, n_sectors))
        mini_table = list(struct.unpack(f"<{len(minifat) // 4}I", minifat))
        root_start, root_len = struct.unpack_from("<II", root, 116)
        mini = b"".join(sector(s) for s in chain(root_start, fat, n_sectors))[:root_len]
        pieces = chain(start, mini_table, len(mini) // 64 + 1)
        return b"".join(mini[k * 64 : (k + 1) * 64] for k in pieces)[:length]
    return None


def xls_extents(data: bytes) -> list[tuple[int, int]] | None:
    """(rows, columns) spanned by the cells of each worksheet of an XLS, from A1; None when
    the container cannot be followed."""
    try:
        stream = _ole2_stream(data, ("Workbook", "Book"))
    except (_Damaged, struct.error):
        return None
    if stream is None:
        return None
    extents: list[tuple[int, int]] = []
    rows = cols = 0
    in_sheet = False
    at, end = 0, len(stream)
    while at + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, at)
        body = at + 4
        at = body + length
        if kind == _BIFF8_BOF and length >= 4:
            (dt,) = struct.unpack_from("<H", stream, body + 2)
            in_sheet, rows, cols = dt == 0x0010, 0, 0
        elif kind == _BIFF8_EOF and in_sheet:
            extents.append((rows, cols))
            in_sheet = False
        elif in_sheet and kind in _BIFF8_CELLS and length >= 4 and at <= end:
            r, c = struct.unpack_from("<HH", stream, body)
            rows, cols = max(rows, r + 1), max(cols, c + 1)
        elif in_sheet and kind in _BIFF8_MULTI and length >= 6 and at <= end:
            r, _first = struct.unpack_from("<HH", stream, body)
            (last,) = struct.unpack_from("<H", stream, at - 2)
            rows, cols = max(rows, r + 1), max(cols, last + 1)
    if in_sheet:
        extents.append((rows, cols))
    return extents


def check_xls(data: bytes, name: str) -> None:
    """Refuse an XLS whose cells span more than `max_sheet_cells` on one sheet."""
    lim = limits.current()
    for number, (rows, cols) in enumerate(xls_extents(data) or [], start=1):
        if rows * cols > lim.max_sheet_cells:
            raise limits.LimitError(
                f"{name} 的第 {number} 张工作表的数据范围达到 {rows:,} 行 × {cols:,} 列",
                "max_sheet_cells",
            )


# BIFF12 (XLSB): BrtRowHdr (0) starts with the row (u32); the cell records start with the
# column (u32).
_BRT_ROW = 0
_BRT_CELLS = frozenset(range(1, 12))
_LARGE = 1 << 16  # a record body longer than this is skipped, not buffered


class Biff12Extent:
    """Rows × columns spanned by the cells of one XLSB worksheet, fed chunk by chunk."""

    def __init__(self) -> None:
        self.rows = 0
        self.cols = 0
        self._row = 0
        self._buf = b""
        self._skip = 0

    def feed(self, chunk: bytes) -> None:
        if self._skip:
            taken = min(self._skip, len(chunk))
            self._skip -= taken
            chunk = chunk[taken:]
        buf = self._buf + chunk
        at = 0
        while True:
            head = _varint_pair(buf, at)
            if head is None:
                break
            kind, length, body = head
            if length > _LARGE:
                self._skip = max(0, body + length - len(buf))
                at = min(len(buf), body + length)
                continue
            if body + length > len(buf):
                break
            if kind == _BRT_ROW and length >= 4:
                (self._row,) = struct.unpack_from("<I", buf, body)
            elif kind in _BRT_CELLS and length >= 4:
                (col,) = struct.unpack_from("<I", buf, body)
                self.rows = max(self.rows, self._row + 1)
                self.cols = max(self.cols, col + 1)
            at = body + length
        self._buf = buf[at:]


def _varint_pair(buf: bytes, at: int) -> tuple[int, int, int] | None:
    """(record type, size, offset of the body) of the record at `at`, or None if cut."""
    values: list[int] = []
    for width in (2, 4):
        value = shift = 0
        for _ in range(width):
            if at >= len(buf):
                return None
            byte = buf[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        values.append(value)
    return values[0], values[1], at
