"""Hostile and clumsy inputs: every limit refuses with rc 2 and a Chinese message naming it.

Inputs are small and generated; the limits are lowered in the test where a real attack
would need a big file. The point of each test is that the reader stops early and says why,
instead of allocating gigabytes or hanging.
"""

from __future__ import annotations

import io
import os
import signal
import struct
import subprocess
import sys
import time
import weakref
import zipfile
from pathlib import Path

import pytest

import yusuan
from yusuan import limits
from yusuan.errors import InputError
from yusuan.limits import LimitError, limits_override
from yusuan.readers.sheet.backend import load_sheets, scan_zip
from yusuan.readers.sheet.extent import Biff12Extent, xls_extents
from yusuan.show import table_to_records

from .biff8 import XlsSheet, write_xls
from .conftest import SAMPLE
from .hostile import pdf, pdf_pages, text_cell, xlsx


def _cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yusuan.cli", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def _refused(exc: pytest.ExceptionInfo[InputError], field: str) -> None:
    assert isinstance(exc.value, LimitError)
    assert exc.value.field == field
    env = limits.LIMITS[field][0]
    assert env in exc.value.message  # says how to raise it


# --- input size and file kind ---------------------------------------------------------


def test_input_size_limit_path_and_bytes() -> None:
    with limits_override(max_input_bytes=1000):
        with pytest.raises(InputError) as exc:
            yusuan.read(SAMPLE)
        _refused(exc, "max_input_bytes")
        with pytest.raises(InputError) as exc:
            yusuan.read(SAMPLE.read_bytes())
        _refused(exc, "max_input_bytes")
        with pytest.raises(InputError) as exc:
            yusuan.read(io.BytesIO(SAMPLE.read_bytes()))
        _refused(exc, "max_input_bytes")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_refused_without_reading() -> None:
    with pytest.raises(InputError, match="不是普通文件（设备）"):
        yusuan.read("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    result = _cli("audit", fifo)  # opening a FIFO nobody writes to would block forever
    assert result.returncode == 2
    assert "不是普通文件（管道）" in result.stderr
    assert "Traceback" not in result.stderr


def test_limit_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUSUAN_MAX_INPUT_MB", "0.001")
    monkeypatch.setenv("YUSUAN_MAX_PAGES", "7")
    assert limits.current().max_input_bytes == 1048
    assert limits.current().max_pages == 7
    monkeypatch.setenv("YUSUAN_MAX_CELLS", "很多")
    with pytest.raises(InputError, match="YUSUAN_MAX_CELLS 应为数字"):
        limits.current()


# --- text: spans and cells ------------------------------------------------------------


@pytest.mark.parametrize("attr", ["colspan", "rowspan"])
def test_huge_span_refused(attr: str) -> None:
    text = f'<table><tr><td {attr}="2000000000">x</td><td>1</td></tr></table>\n'
    with pytest.raises(InputError) as exc:
        yusuan.read_text(text)
    _refused(exc, "max_span")
    assert f"{attr}=2000000000" in exc.value.message


def test_spans_within_the_limit_still_bounded_by_cells() -> None:
    # 50 cells of colspan 500 = 25,000 cells: each span is allowed, the total is not.
    row = '<td colspan="500">x</td>' * 50
    with limits_override(max_cells=10_000), pytest.raises(InputError) as exc:
        yusuan.read_text(f"<table><tr>{row}</tr></table>\n")
    _refused(exc, "max_cells")


def test_too_many_lines_in_text() -> None:
    with limits_override(max_lines=50), pytest.raises(InputError) as exc:
        yusuan.read_text("说明文字。\n" * 100, path="long.md")
    _refused(exc, "max_lines")
    assert "long.md 有 101 行" in exc.value.message


def test_too_many_table_cells_in_text() -> None:
    rows = "\n".join(f"项目{i}\t{i}.00" for i in range(200))
    with limits_override(max_cells=100), pytest.raises(InputError) as exc:
        yusuan.read_text(f"表1 收支总表\n单位：万元\n项目\t金额\n{rows}\n")
    _refused(exc, "max_cells")


def test_large_text_refused_before_it_is_read(tmp_path: Path) -> None:
    """A text file over `max_text_bytes` is refused from its size and first bytes: a 100 MB
    file (sparse: a heading, then zeros) is not read — read whole, its zeros would have
    made it "binary" instead."""
    big = tmp_path / "big.md"
    with big.open("wb") as fh:
        fh.write("一、部门概况\n".encode() + b"x" * 2000)
        fh.truncate(100 * 1024 * 1024)
    with pytest.raises(InputError) as exc:
        yusuan.read(big)
    _refused(exc, "max_text_bytes")
    assert f"是 {100 * 1024 * 1024:,} 字节的文本文件" in exc.value.message
    result = _cli("audit", big)
    assert result.returncode == 2 and "YUSUAN_MAX_TEXT_MB" in result.stderr
    assert "Traceback" not in result.stderr


def test_text_size_limit_on_bytes_strings_and_sets(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    with limits_override(max_text_bytes=1000):
        for source in (SAMPLE.read_bytes(), io.BytesIO(SAMPLE.read_bytes())):
            with pytest.raises(InputError) as exc:
                yusuan.read(source, name="sample.md")
            _refused(exc, "max_text_bytes")
        with pytest.raises(InputError) as exc:
            yusuan.read_text(text)
        _refused(exc, "max_text_bytes")
        with pytest.raises(InputError) as exc:
            yusuan.read_set([SAMPLE, SAMPLE])
        _refused(exc, "max_text_bytes")
    # Raised by the environment variable, the same text reads.
    result = _cli("audit", SAMPLE, env={"YUSUAN_MAX_TEXT_MB": "0.1"})
    assert result.returncode == 2 and "文本文件大小上限（0.1 MB）" in result.stderr
    assert _cli("audit", SAMPLE, "-f", "json").returncode in (0, 1)


# --- workbooks ------------------------------------------------------------------------


def test_sheet_extent_comes_from_the_cells_present(tmp_path: Path) -> None:
    # Two cells, A1 and XFD1048576: 17·10⁹ cells if the grid were built. Refused first.
    body = f'<row r="1">{text_cell("A1", "x")}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    with pytest.raises(InputError) as exc:
        yusuan.read(xlsx(body), name="far.xlsx")
    _refused(exc, "max_sheet_cells")
    assert "1,048,576 行 × 16,384 列" in exc.value.message


def test_declared_dimension_and_empty_styled_cells_do_not_count(tmp_path: Path) -> None:
    body = (
        f'<row r="1">{text_cell("A1", "项目")}<c r="B1"><v>5</v></c></row>'
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    )
    path = tmp_path / "styled.xlsx"
    path.write_bytes(xlsx(body, extra={}).replace(b"<sheetData>", b"<sheetData>", 1))
    sheets = load_sheets(path, path.name)
    assert [len(sheets[0].rows), sheets[0].width] == [1, 2]


def test_merged_range_over_the_whole_grid_is_clipped(tmp_path: Path) -> None:
    body = f'<row r="1">{text_cell("A1", "项目")}<c r="B1"><v>5</v></c></row>'
    merge = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    path = tmp_path / "merge.xlsx"
    path.write_bytes(xlsx(body, merge))
    sheets = load_sheets(path, path.name)
    assert sheets[0].merged == [(0, 0, 0, 1)]


def _biff12(kind: int, body: bytes) -> bytes:
    """One XLSB record: type and size as 7-bit varints, then the body."""

    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
            n >>= 7
            if not n:
                return bytes(out)

    return varint(kind) + varint(len(body)) + body


def _xlsb(cells: list[tuple[int, int]]) -> bytes:
    """An XLSB zip whose one sheet holds a number at each (row, column), 0-based."""
    sheet = _biff12(0x0094, struct.pack("<IIII", 0, 0, 0, 0))  # BrtWsDim: A1 declared
    for row, col in cells:
        sheet += _biff12(0, struct.pack("<I", row) + b"\x00" * 13)  # BrtRowHdr
        sheet += _biff12(5, struct.pack("<II", col, 0) + struct.pack("<d", 1.0))  # BrtCellReal
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.bin", b"")
        zf.writestr("xl/worksheets/sheet1.bin", sheet)
    return buf.getvalue()


def _no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    def refuse(*args: object) -> None:
        raise AssertionError("the workbook library must not see this file")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", refuse)


def test_xls_extent_comes_from_the_cell_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two cells, A1 and IV65536: calamine would allocate the 16.7-million-cell grid (a
    gigabyte) before yusuan could look; the BIFF8 records are read first."""
    path = tmp_path / "hostile.xls"
    write_xls(
        path,
        [XlsSheet("表1", {(0, 0): "收支总表", (65535, 255): 1.0}), XlsSheet("表2", {(2, 1): 2.0})],
    )
    assert xls_extents(path.read_bytes()) == [(65536, 256), (3, 2)]
    _no_calamine(monkeypatch)
    with pytest.raises(InputError) as exc:
        yusuan.read(path)
    _refused(exc, "max_sheet_cells")
    assert "第 1 张工作表的数据范围达到 65,536 行 × 256 列" in exc.value.message
    # Lowered limit: the second sheet (3 × 2) is the one over it.
    write_xls(path, [XlsSheet("表1", {(0, 0): "收支总表"}), XlsSheet("表2", {(2, 1): 2.0})])
    with limits_override(max_sheet_cells=5), pytest.raises(InputError) as exc:
        yusuan.read(path)
    assert "第 2 张工作表的数据范围达到 3 行 × 2 列" in exc.value.message


def test_xlsb_extent_comes_from_the_cell_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _xlsb([(0, 0), (1_048_575, 16_383)])  # A1 and XFD1048576
    path = tmp_path / "hostile.xlsb"
    path.write_bytes(data)
    _no_calamine(monkeypatch)
    with pytest.raises(InputError) as exc:
        yusuan.read(path)
    _refused(exc, "max_sheet_cells")
    assert "1,048,576 行 × 16,384 列" in exc.value.message
    small = _xlsb([(0, 0), (6, 2)])  # the declared A1 is not trusted either way
    assert scan_zip(small, "small.xlsb").extents == {"xl/worksheets/sheet1.bin": (7, 3)}
    # Records cut across the chunks a zip member is unpacked in.
    extent = Biff12Extent()
    with zipfile.ZipFile(io.BytesIO(small)) as zf:
        body = zf.read("xl/worksheets/sheet1.bin")
    for i in range(len(body)):
        extent.feed(body[i : i + 1])
    assert (extent.rows, extent.cols) == (7, 3)


def test_zip_bomb_by_size() -> None:
    data = xlsx(f'<row r="1">{text_cell("A1", "x")}</row>', extra={"xl/pad.xml": "a" * 3_000_000})
    assert len(data) < 50_000
    with limits_override(max_unzipped_bytes=2_000_000), pytest.raises(InputError) as exc:
        yusuan.read(data, name="bomb.xlsx")
    _refused(exc, "max_unzipped_bytes")
    assert "压缩炸弹" in exc.value.message


def test_zip_bomb_by_ratio() -> None:
    data = xlsx(f'<row r="1">{text_cell("A1", "x")}</row>', extra={"xl/pad.xml": "a" * 12_000_000})
    with pytest.raises(InputError) as exc:
        yusuan.read(data, name="bomb.xlsx")
    _refused(exc, "max_zip_ratio")


def test_ods_mimetype_bomb() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet" + " " * 3_000_000)
    with limits_override(max_unzipped_bytes=1_000_000), pytest.raises(InputError) as exc:
        yusuan.read(buf.getvalue(), name="bomb.ods")
    _refused(exc, "max_unzipped_bytes")


def test_formulas_without_stored_values_are_named() -> None:
    body = f'<row r="1">{text_cell("A1", "合计")}<c r="B1"><f>SUM(B2:B3)</f></c></row>'
    with pytest.raises(InputError, match="1 个公式单元格没有保存计算结果"):
        yusuan.read(xlsx(body), name="formulas.xlsx")


def test_formulas_with_stored_values_are_fine(tmp_path: Path) -> None:
    body = f'<row r="1">{text_cell("A1", "合计")}<c r="B1"><f>1+1</f><v>2</v></c></row>'
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx(body))
    assert load_sheets(path, path.name)[0].rows[0][1].number == 2


def test_encrypted_workbook_is_named_as_such() -> None:
    # An encrypted XLSX is an OLE2 compound file with these two streams (MS-OFFCRYPTO).
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    data = ole2 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(InputError, match="加密的电子表格"):
        yusuan.read(data, name="secret.xlsx")


def _docx(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, text in members.items():
            zf.writestr(member, text)
    return buf.getvalue()


_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
_BODY = '<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>一、部门职责</w:t></w:r></w:p></w:body></w:document>'


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        # cut in the middle: the central directory is gone
        ("cut.docx", _docx({"[Content_Types].xml": _TYPES, "word/document.xml": _BODY})[:150], "ZIP 容器已损坏"),
        ("nobody.docx", _docx({"[Content_Types].xml": _TYPES, "word/styles.xml": "<w/>"}), "缺少正文部分 word/document.xml"),
        ("notypes.docx", _docx({"word/document.xml": _BODY}), "缺少内容类型清单"),
        ("broken.docx", _docx({"[Content_Types].xml": _TYPES, "_rels/.rels": "<Relationships/>", "word/document.xml": _BODY[:-30]}), "word/document.xml 不是完整的 XML（第 1 行"),
    ],
    ids=["truncated-zip", "no-body", "no-content-types", "body-xml-cut"],
)  # fmt: skip
def test_malformed_docx_is_named_as_such(
    tmp_path: Path, name: str, data: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"是损坏的 Word 文档（.docx）：{problem}"):
        yusuan.read(path)
    with pytest.raises(InputError, match=problem):
        yusuan.read(data, name=name)
    result = _cli("audit", path)
    assert result.returncode == 2, result.stderr
    assert problem in result.stderr and "Traceback" not in result.stderr


def test_whole_docx_is_not_called_damaged(tmp_path: Path) -> None:
    """A sound Word document (written by python-docx) is not called damaged."""
    docx = pytest.importorskip("docx")
    path = tmp_path / "fine.docx"
    document = docx.Document()
    document.add_paragraph("一、部门职责")
    document.save(str(path))
    try:
        yusuan.read(path)
    except InputError as exc:
        assert "损坏" not in exc.message


# --- PDF ------------------------------------------------------------------------------


def test_pdf_page_limit() -> None:
    with limits_override(max_pages=3), pytest.raises(InputError) as exc:
        yusuan.read(pdf_pages(5), name="many.pdf")
    _refused(exc, "max_pages")
    assert "many.pdf 有 5 页" in exc.value.message


@pytest.mark.parametrize(
    "kids",
    [
        "[2 0 R]",  # the page tree is its own child
        "[3 0 R 2 0 R]",
    ],
)
def test_pdf_page_tree_cycle(kids: str) -> None:
    data = pdf(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids {kids} /Count 2 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        ]
    )
    with pytest.raises(InputError):  # a clear refusal, not PdfiumError
        yusuan.read(data, name="cycle.pdf")


# --- time -----------------------------------------------------------------------------


def test_wall_clock_budget() -> None:
    with limits_override(max_seconds=0.01), pytest.raises(InputError) as exc:
        yusuan.read(SAMPLE)
    _refused(exc, "max_seconds")
    assert "超时" in exc.value.message


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


class _SlowFinalizer:
    """Its finalizer runs for a while, so the alarm arrives while it runs: an exception raised
    there is swallowed by Python ("Exception ignored in …")."""

    def __del__(self) -> None:
        _busy(0.02)


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What Python swallows and reports through sys.unraisablehook during the test."""
    seen: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: seen.append(info.exc_value))
    return seen


def test_timeout_arriving_in_finalizers_is_raised_at_the_next_checkpoint(
    unraisable: list[object],
) -> None:
    # Nearly all the time goes to finalizers: every alarm arrives inside one. It notes the
    # timeout there instead of raising it (it would be swallowed), and the reader's loop
    # raises it at its checkpoint — long before the loop's own end.
    started = time.monotonic()
    with (
        limits_override(max_seconds=0.05),
        pytest.raises(LimitError) as exc,
        limits.deadline("慢文件"),
    ):
        while time.monotonic() - started < 10:
            _SlowFinalizer()
            limits.checkpoint()
    assert exc.value.field == "max_seconds" and "读取 慢文件 超时" in exc.value.message
    assert time.monotonic() - started < 3
    assert unraisable == []  # nothing raised where it was swallowed


def test_timeout_swallowed_in_a_weakref_callback_is_raised_again(
    unraisable: list[object],
) -> None:
    # A weakref callback is a finalizer the alarm cannot recognise: the timeout raised there
    # is swallowed. It is not reported as an error of the callback, and the next alarm raises
    # it again in the reader's code.
    class Obj:
        pass

    obj = Obj()
    weakref.finalize(obj, _busy, 0.3)  # runs for 0.3 s when obj goes
    started = time.monotonic()
    with (
        limits_override(max_seconds=0.05),
        pytest.raises(LimitError),
        limits.deadline("慢文件"),
    ):
        del obj  # the alarm at 0.05 s arrives in the callback
        _busy(10)
    assert time.monotonic() - started < 3
    assert unraisable == []


def test_timeout_turned_into_another_exception_is_still_a_timeout() -> None:
    with (
        limits_override(max_seconds=0.05),
        pytest.raises(LimitError),
        limits.deadline("慢文件"),
    ):
        try:
            _busy(10)
        except BaseException as exc:  # a library wrapping whatever interrupts it
            raise RuntimeError("wrapped") from exc


def test_deadline_restores_what_it_replaced() -> None:
    handler, hook = signal.getsignal(signal.SIGALRM), sys.unraisablehook
    with limits_override(max_seconds=5), limits.deadline("快文件"):
        _busy(0.01)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler and sys.unraisablehook is hook
    limits.checkpoint()  # no expired budget left behind


# --- numbers and markup ---------------------------------------------------------------


def test_amount_with_32_digits_is_text_not_an_error(sample_text: str) -> None:
    huge = "12345678901234567890123456789012345.04"
    doc = yusuan.read_text(sample_text.replace("58,254.04", huge, 1))
    table_to_records(doc.tables["T1"])  # `show` prints it
    # Beyond 20 digits it is not an amount: the reader says so by name, nothing crashes.
    assert any(huge in p and "不是金额" in p for p in doc.tables["T1"].problems)
    report = yusuan.audit(doc)
    assert not [f for f in report.findings if f.rule == "E901"]  # no rule crashed


def test_markup_in_paths_and_names_is_printed_as_text(tmp_path: Path, sample_text: str) -> None:
    folder = tmp_path / "[bold]x[" / "x]"  # the path reads …/[bold]x[/x]/…
    folder.mkdir(parents=True)
    assert "[bold]x[/x]" in str(folder)
    src = folder / "预算[i].md"
    src.write_text(sample_text.replace("人力资源和社会保障厅", "人力资源[/x]社会保障厅"), "utf-8")
    out = folder / "报告[red].txt"
    result = _cli("audit", src, "-o", out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"已写入 {out}" in result.stderr
    assert "人力资源[/x]社会保障厅" in out.read_text("utf-8")
    result = _cli("audit", folder / "不存在[b].md")
    assert result.returncode == 2
    assert f"{folder}/不存在[b].md" in result.stderr


# --- the Python API -------------------------------------------------------------------


def test_api_accepts_paths_bytes_and_binary_files(sample_doc: yusuan.Document) -> None:
    data = SAMPLE.read_bytes()
    expected = yusuan.audit(sample_doc).summary
    assert yusuan.audit(str(SAMPLE)).summary == expected
    assert yusuan.audit(data).summary == expected
    with SAMPLE.open("rb") as fh:
        assert yusuan.audit(fh).summary == expected
    assert yusuan.read(data, name="样例.md").source.path == "样例.md"


def test_api_says_what_it_expects() -> None:
    with pytest.raises(TypeError, match="文件路径"):
        yusuan.read(42)  # type: ignore[arg-type]
    with SAMPLE.open(encoding="utf-8") as fh, pytest.raises(TypeError, match="二进制"):
        yusuan.read(fh)  # type: ignore[arg-type]


def test_api_reads_workbook_and_pdf_bytes() -> None:
    body = f'<row r="1">{text_cell("A1", "x")}</row>'
    with pytest.raises(InputError) as exc:  # read, then found not to be a disclosure
        yusuan.read(xlsx(body), name="small.xlsx")
    assert "small.xlsx" in exc.value.message
    assert not isinstance(exc.value, LimitError)
