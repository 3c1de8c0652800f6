"""The published sample PDFs for the per-template tests: each is read once per session.

Findings on PDFs are pinned by page, so `keyed_by_page` is the PDF counterpart of
`conftest.keyed` (which pins by line for text input).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from yusuan import audit
from yusuan.audit.report import Report
from yusuan.model.document import Document
from yusuan.model.provenance import SourceInfo
from yusuan.model.tables import Table
from yusuan.readers.assemble import assemble
from yusuan.readers.ir import RawDocument
from yusuan.readers.pdf import inspect_pdf, read_pdf_raw

PUBLISHED = Path(__file__).parent / "data" / "published"


@cache
def raw(name: str) -> RawDocument:
    return read_pdf_raw(PUBLISHED / name)


def assembled(name: str, raw_doc: RawDocument) -> Document:
    """Type a (possibly altered) raw document of the named PDF, as `yusuan.read` would."""
    path = PUBLISHED / name
    return assemble(raw_doc, SourceInfo(path=str(path), format="pdf", pages=_pages(path)))


@cache
def _pages(path: Path) -> int:
    return inspect_pdf(path).pages


@cache
def doc(name: str) -> Document:
    return assembled(name, raw(name))


@cache
def report(name: str) -> Report:
    return audit(doc(name))


def pages(table: Table) -> list[int]:
    """The pages a table's title and rows are printed on."""
    return sorted({p for p in (table.loc.page, *(r.loc.page for r in table.rows)) if p})


def keyed_by_page(report: Report) -> set[tuple[str, str, int | None]]:
    return {(f.rule, f.severity.value, f.location.page) for f in report.findings}
