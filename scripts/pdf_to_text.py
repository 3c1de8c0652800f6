"""Write what the PDF reader reads from a disclosure in the text form the rule examples use.

    python scripts/pdf_to_text.py SOURCE.pdf OUT.md

The tables as the PDF prints them (label, `## title`, 编制部门 and 单位 lines, the header rows
bold, each row's cells tab-separated), notes under their table, paragraphs one per line and
headings as `#` lines. Unlike `yusuan build -f md` (the Markdown renderer, which lays every
table out the way the 新疆 template does), nothing is rearranged: the text reads back as the
PDF's own template. The example bases for templates that cannot be built yet
(src/yusuan/audit/examples/base-xian.md) were made this way, then corrected by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from yusuan.readers.ir import RawParagraphPlace, RawTable, RawTablePlace
from yusuan.readers.pdf import read_pdf_raw


def _cell(text: str, bold: bool) -> str:
    text = text.replace("\t", " ").replace("\n", "")
    return f"<b>{text}</b>" if bold and text else text


def table_lines(table: RawTable) -> list[str]:
    out: list[str] = []
    if table.label:
        out += [table.label, ""]
    if table.title:
        out += [f"## {table.title}", ""]
    if table.org:
        out += [f"编制部门：{table.org}", ""]
    if table.unit_text:
        out += [f"单位：{table.unit_text}", ""]
    out += ["\t".join(_cell(c.text, True) for c in row.cells) for row in table.header_rows]
    out += ["\t".join(_cell(c.text, c.bold) for c in row.cells) for row in table.body_rows]
    out.append("")
    for note in table.notes:
        out += [note.text, ""]
    return out


def pdf_to_text(path: Path) -> str:
    raw = read_pdf_raw(path)
    out: list[str] = []
    for place in raw.order:
        if isinstance(place, RawTablePlace):
            out += table_lines(raw.tables[place.table])
            continue
        assert isinstance(place, RawParagraphPlace)
        para = raw.paragraphs[place.paragraph]
        level = para.heading_level
        out += [para.text if level is None else "#" * min(level + 1, 6) + " " + para.text, ""]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    Path(argv[1]).write_text(pdf_to_text(Path(argv[0])), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
