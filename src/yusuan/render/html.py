"""One self-contained HTML page of the whole disclosure: inline CSS, no script, no CDN.

Readable on screen (a list of the tables, wide tables scroll sideways) and printable (A4, each
table on its own page, landscape for wide tables, header rows repeated on every page). Amount
cells carry their exact value in `data-value`, so that the page can be read back by machine.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from yusuan import __version__
from yusuan.model.document import Document
from yusuan.render.layout import GridCell, TableBlock, document_blocks, title_of


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("yusuan.render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def cell_html(cell: GridCell) -> Markup:
    """One `<th>` or `<td>` with its spans, alignment, weight and (for amounts) exact value."""
    tag = "th" if cell.head else "td"
    attrs = []
    if cell.rowspan > 1:
        attrs.append(f' rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f' colspan="{cell.colspan}"')
    if not cell.head:
        classes = [cell.align[0]] + (["b"] if cell.bold else [])
        attrs.append(f' class="{" ".join(classes)}"')
    if cell.value is not None:
        attrs.append(f' data-value="{cell.value}"')
    text = escape(cell.text)
    if cell.bold and not cell.head and cell.text:
        text = Markup(f"<b>{text}</b>")  # bold in the markup itself, not only in the style
    return Markup(f"<{tag}{''.join(attrs)}>{text}</{tag}>")


def to_html(doc: Document) -> str:
    blocks = document_blocks(doc)
    tables = [b for b in blocks if isinstance(b, TableBlock) and not b.performance]
    return (
        _env()
        .get_template("document.html.j2")
        .render(
            title=title_of(doc),
            blocks=blocks,
            tables=tables,
            cell=cell_html,
            version=__version__,
        )
    )


def write(doc: Document, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_html(doc), encoding="utf-8")
