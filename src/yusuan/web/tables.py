"""The tables of an uploaded document as its report pages show them, and which rows and cells
each finding cites: a finding links to its table, rendered with those cells highlighted.

Computed once in the worker (where the `Document` is) and stored as JSON next to the report.
A finding cites a row when they share a source line (text input), when its box overlaps the
row's on the same page (PDF), or when it names the row's sheet cell (workbooks); within a cited
row, the cells whose own box or cell it names, else the whole row.
"""

from __future__ import annotations

from typing import Any

from yusuan.audit.findings import Finding
from yusuan.audit.report import Report
from yusuan.model.document import Document
from yusuan.model.provenance import BBox, Loc
from yusuan.model.tables import Row, Table
from yusuan.show import table_to_records

FIXED = 7  # table_to_records' leading columns (行号 … 项目名称) before the amounts
MAX_LINKS = 2  # tables linked from one finding


def _overlap(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _hit(finding: Finding, loc: Loc) -> bool:
    f = finding.location
    if f.file != loc.file:  # a document set: line and page numbers count within one file
        return False
    if f.lines and loc.lines and set(f.lines) & set(loc.lines):
        return True
    if f.page is not None and f.bbox and loc.page == f.page and loc.bbox:
        return _overlap(f.bbox, loc.bbox)
    return bool(f.sheet and f.cell and loc.sheet == f.sheet and loc.cell == f.cell)


def _marks(finding: Finding, table: Table) -> list[list[int]]:
    """[row, column] pairs cited in this table (column -1: the whole row)."""
    out: list[list[int]] = []
    for r, row in enumerate(table.rows):
        cells = [
            FIXED + c
            for c, col in enumerate(table.columns)
            if (cell := _cell(row, col.key)) is not None and _hit(finding, cell.loc)
        ]
        if _hit(finding, row.loc) or cells:
            precise = finding.location.bbox is not None or finding.location.cell is not None
            if cells and precise and len(cells) < len(table.columns):
                out.extend([r, c] for c in cells)
            else:
                out.append([r, -1])
    return out


def _cell(row: Row, key: str) -> Any:
    return row.cells.get(key)


def _named(finding: Finding, table: Table) -> bool:
    named = finding.location.table
    return named is None or named in (table.name, table.label, f"表{table.number}")


def tables_view(doc: Document, report: Report) -> tuple[dict[str, Any], dict[int, list[str]]]:
    """The tables (header, rows as printed, cited cells per finding index) and, per finding
    index, the keys of the tables it cites."""
    tables: dict[str, Any] = {}
    links: dict[int, list[str]] = {}
    for key, table in doc.tables.items():
        header, rows = table_to_records(table)
        marks: dict[str, list[list[int]]] = {}
        for n, finding in enumerate(report.findings):
            if len(links.get(n, [])) >= MAX_LINKS or not _named(finding, table):
                continue
            cited = _marks(finding, table)
            if cited:
                marks[str(n)] = cited
                links.setdefault(n, []).append(key)
        tables[key] = {
            "key": key,
            "name": f"{table.name} {table.title}".strip(),
            "unit": table.unit.value if table.unit else "",
            "header": header,
            "rows": rows,
            "marks": marks,
        }
    return tables, links
