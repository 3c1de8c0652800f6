"""Renderers print a Document (read or built) to a file format. They never compute.

Every format draws the same document blocks (`yusuan.render.layout.document_blocks`): the
text and the tables in reading order, each table already laid out as a grid. A format is a
`Renderer` in `RENDERERS`: its name, file suffixes and what its file carries; its module's
`write(doc, path)` is imported on use, because some need optional libraries (python-docx,
openpyxl, LibreOffice for PDF).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from yusuan.errors import YusuanError
from yusuan.model.document import Document

Write = Callable[[Document, Path], None]


@dataclass(frozen=True, slots=True)
class Renderer:
    name: str  # as given to `-f`
    suffixes: tuple[str, ...]  # file name endings, the first the usual one
    # What the file carries, for readers and for comparing a read-back document:
    narrative: bool = True  # the 情况说明 (a workbook holds the tables alone)
    bold: bool = True  # bold rows as bold, visible to yusuan's reader of the format

    def write(self, doc: Document, path: Path) -> None:
        _writer(self.name)(doc, Path(path))


def _writer(name: str) -> Write:
    """A format's `write`, imported on use: python-docx, openpyxl … are optional."""
    match name:
        case "md":
            from yusuan.render.markdown import write
        case "json":
            from yusuan.render.json import write
        case "html":
            from yusuan.render.html import write
        case "xlsx":
            from yusuan.render.xlsx import write
        case "docx":
            from yusuan.render.docx import write
        case "pdf":
            from yusuan.render.pdf import write
        case _:
            raise YusuanError(f"没有输出格式「{name}」的渲染器")
    return write


RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in (
        Renderer("md", (".md", ".markdown", ".txt")),
        Renderer("json", (".json",)),
        Renderer("html", (".html", ".htm")),
        # calamine, which reads workbooks, does not report fonts.
        Renderer("xlsx", (".xlsx",), narrative=False, bold=False),
        Renderer("docx", (".docx",)),
        Renderer("pdf", (".pdf",)),
    )
}
FORMATS = tuple(RENDERERS)
ALIASES = {"markdown": "md"}


def renderer(fmt: str) -> Renderer:
    """The renderer of a format name (`md`, `markdown`, `docx` …); YusuanError if unknown."""
    found = RENDERERS.get(ALIASES.get(fmt, fmt))
    if found is None:
        raise YusuanError(f"不支持的输出格式「{fmt}」（可用：{'、'.join(FORMATS)}）")
    return found


def format_of(path: Path) -> str | None:
    """The format a file name asks for by its suffix (None when none does)."""
    suffix = Path(path).suffix.lower()
    return next((r.name for r in RENDERERS.values() if suffix in r.suffixes), None)


def write(doc: Document, fmt: str, path: Path) -> None:
    renderer(fmt).write(doc, path)
