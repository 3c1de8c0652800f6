"""Harvest classification code/name pairs printed in disclosure tables.

This is the tool that produced the document-sourced rows of the catalog data. It reads
table rows (from pdfplumber, or from the tab-separated text of a converted disclosure)
and yields every (code, name) pair a row prints, in the three layouts the templates use:

* split over columns: ``208 | 05 | 01 | 行政单位离退休`` (function, 类/款/项 columns) or
  ``301 | 01 | 基本工资`` (economic, 类/款 columns), with blank columns on 类/款 rows;
* whole: ``2080501 | 行政单位离退休``, or in one cell ``201 一般公共服务支出``;
* joined by a hyphen in one cell: ``2010301-行政运行`` (Beijing).

Output is a starting point for a human: review it before it goes into a data file (see
docs/catalog.md). Run ``python -m yusuan.catalog.harvest FILE [FILE ...]`` to print CSV
(``list,code,name,where``) on stdout; ``where`` is ``p<page>`` for PDFs, ``l<line>`` for
text. PDF input needs the optional ``pdf`` extra (pdfplumber).
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Harvested",
    "classify_code",
    "harvest_file",
    "harvest_pdf",
    "harvest_rows",
    "harvest_text",
    "main",
    "pairs_in_row",
    "to_full_width_brackets",
]

_CJK = re.compile(r"[\u3400-\u9fff]")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_WS = re.compile(r"\s+")
_CODE_AND_NAME = re.compile(r"^(\d{2,7}(?:\s+\d{2})*)\s+(\S.*)$")
_DASHED = re.compile(r"^(\d{3,7})-(.+)$")
_TWO_DIGITS_OR_BLANK = re.compile(r"\d{2}|")
# Units and counters that follow a number in 绩效 tables ("230 人", "221 元/平方米").
_UNITS = frozenset(
    {
        *("个", "人", "元", "万元", "人次", "万人次", "次", "台", "项", "篇", "条", "本"),
        *("份", "天", "张", "户", "家", "所", "辆", "套", "平方米", "公里", "小时", "分钟"),
    }
)


@dataclass(frozen=True, slots=True)
class Harvested:
    """One printed (code, name) pair and where it was printed (``p12`` or ``l164``)."""

    list_name: str
    code: str
    name: str
    where: str


def classify_code(code: str) -> str | None:
    """The list a full code belongs to, judged by its 类: 201–234 function, 301–313 and 399
    department economic, 501–514 and 599 government economic. None for anything else."""
    if not code.isdigit() or len(code) not in (3, 5, 7):
        return None
    head = int(code[:3])
    if 201 <= head <= 234:
        return "function"
    if 301 <= head <= 313 or head == 399:
        return "economic_dept"
    if (501 <= head <= 514 or head == 599) and len(code) <= 5:
        return "economic_gov"
    return None


def to_full_width_brackets(name: str) -> str:
    """Names are stored with the full-width brackets the MOF list uses: `维修（护）费`."""
    return name.replace("(", "（").replace(")", "）")


def _clean(cell: str | None) -> str:
    text = _TAG.sub("", cell or "")
    return _WS.sub("", text.replace("\u3000", " "))


def _is_name(text: str) -> bool:
    if len(text) < 2 or text in _UNITS or "/" in text or "%" in text:
        return False
    return bool(_CJK.search(text))


def _tokens(cells: Sequence[str | None]) -> list[str]:
    """Cells cleaned; a cell holding digits then a name (`01 基本工资`) becomes two tokens."""
    out: list[str] = []
    for raw in cells:
        text = _TAG.sub("", raw or "").replace("\u3000", " ").strip()
        m = _CODE_AND_NAME.match(text)
        if m and _CJK.search(m.group(2)):
            out.extend(m.group(1).split())
            out.append(_WS.sub("", m.group(2)))
        else:
            out.append(_WS.sub("", text))
    return out


def pairs_in_row(cells: Sequence[str | None]) -> list[tuple[str, str, str]]:
    """Every (list, code, name) the row prints, left to right."""
    toks = _tokens(cells)
    found: list[tuple[str, str, str]] = []
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        dashed = _DASHED.match(tok)
        if dashed:
            lst = classify_code(dashed.group(1))
            if lst and _is_name(dashed.group(2)):
                found.append((lst, dashed.group(1), dashed.group(2)))
            i += 1
            continue
        lst = classify_code(tok) if tok.isdigit() else None
        if lst is None:
            i += 1
            continue
        if len(tok) == 3:
            # split layout: up to two (function) or one (economic) 2-digit/blank columns
            width = 2 if lst == "function" else 1
            j, parts = i + 1, list[str]()
            while len(parts) < width and j < n and _TWO_DIGITS_OR_BLANK.fullmatch(toks[j]):
                parts.append(toks[j])
                j += 1
            gap = any(p and not all(parts[:k]) for k, p in enumerate(parts))
            if j < n and not gap and _is_name(toks[j]):
                code = tok + "".join(parts)
                if classify_code(code) == lst:
                    found.append((lst, code, toks[j]))
                i = j + 1
                continue
        elif i + 1 < n and _is_name(toks[i + 1]):
            found.append((lst, tok, toks[i + 1]))
            i += 2
            continue
        i += 1
    return found


def harvest_rows(rows: Iterable[tuple[str, Sequence[str | None]]]) -> Iterator[Harvested]:
    """Pairs from ``(where, cells)`` rows, names with full-width brackets."""
    for where, cells in rows:
        for lst, code, name in pairs_in_row(cells):
            yield Harvested(lst, code, to_full_width_brackets(name), where)


def harvest_text(path: Path) -> list[Harvested]:
    """A converted disclosure whose table rows are tab-separated lines (the sample format)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = ((f"l{no}", line.split("\t")) for no, line in enumerate(lines, 1) if "\t" in line)
    return list(harvest_rows(rows))


def harvest_pdf(path: Path) -> list[Harvested]:
    """Tables of a text-layer PDF, read with pdfplumber's default table finder."""
    import pdfplumber  # optional dependency (the `pdf` extra)

    def rows() -> Iterator[tuple[str, Sequence[str | None]]]:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                for table in page.extract_tables():
                    for row in table:
                        yield f"p{number}", row

    return list(harvest_rows(rows()))


def harvest_file(path: Path) -> list[Harvested]:
    return harvest_pdf(path) if path.suffix.lower() == ".pdf" else harvest_text(path)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m yusuan.catalog.harvest FILE [FILE ...]", file=sys.stderr)
        return 2
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["list", "code", "name", "where"])
    for arg in args:
        for h in harvest_file(Path(arg)):
            out.writerow([h.list_name, h.code, h.name, h.where])
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
