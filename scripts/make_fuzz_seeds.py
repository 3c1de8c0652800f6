#!/usr/bin/env python3
"""Write the seed inputs of the coverage-guided fuzzer (docs/fuzzing.md) into a folder.

    .venv/bin/python scripts/make_fuzz_seeds.py SEED_DIR

The first byte of each seed chooses the target of `yusuan.fuzz.dispatch`: 0 sends the rest
through `yusuan.read` with no sniffing prefix, 6 through the text reader, 7 the ledger loader
as CSV, 0x87 as XLSX. The seeds are cut from the bundled examples, so a fresh machine can
start a run without the corpus of an earlier one.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import openpyxl

from yusuan.fuzz import pdf_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

HTML = (
    "<html><body><p>表3 一般公共预算支出情况表</p><p>单位：万元</p><table>"
    "<tr><td>科目编码</td><td>科目名称</td><td>合计</td><td>基本支出</td><td>项目支出</td></tr>"
    "<tr><td>208</td><td>社会保障和就业支出</td><td>10.00</td><td>6.00</td><td>4.00</td></tr>"
    "<tr><td colspan=2>合计</td><td>10.00</td><td>6.00</td><td>4.00</td></tr>"
    "</table></body></html>"
)


def _workbook(rows: list[list[str]], merge: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _pdf() -> bytes:
    """A one-page PDF with one line of text, its cross-reference table computed."""
    content = b"BT /F1 12 Tf 72 720 Td (Table 1 100.00 200.00) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_bytes(objects)


def seeds() -> dict[str, bytes]:
    sample = (EXAMPLES / "2024_xinjiang_hrss_budget.md").read_bytes()
    ledger = (EXAMPLES / "ledger" / "2024_xinjiang_hrss_ledger.csv").read_bytes()
    ledger_rows = list(csv.reader(io.StringIO(ledger.decode("utf-8-sig"))))[:22]
    title = [
        ["表1 部门收支总体情况表"],
        ["", "", "", "单位：万元"],
        ["项目", "预算数", "项目", "预算数"],
        ["一、一般公共预算拨款收入", "100.00", "一、社会保障和就业支出", "100.00"],
        ["收入总计", "100.00", "支出总计", "100.00"],
    ]
    return {
        "text-sniff": b"\x00" + sample[:4000],
        "text-reader": b"\x06" + sample[4000:8000],
        "ledger-csv": b"\x07" + ledger[:3000],
        "ledger-xlsx": b"\x87" + _workbook(ledger_rows),
        "xlsx": b"\x00" + _workbook(title, merge="A1:D1"),
        "html": b"\x00" + HTML.encode(),
        "pdf": b"\x00" + _pdf(),
    }


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("用法：make_fuzz_seeds.py 种子目录")
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in seeds().items():
        (folder / name).write_bytes(data)
    print(f"{len(seeds())} 个种子已写入 {folder}")


if __name__ == "__main__":
    main()
