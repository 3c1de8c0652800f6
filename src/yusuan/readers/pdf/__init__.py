"""Read published disclosure PDFs (with a text layer) into the shared `RawDocument` IR.

    from yusuan.readers.pdf import read_pdf_raw, inspect_pdf
    raw = read_pdf_raw(Path("2025_部门预算.pdf"))
    info = inspect_pdf(Path("2025_部门预算.pdf"))

The reader is a pipeline of small steps, each a function from one plain value to the next
(`page_to_chars`, `page_to_edges` → `edges_to_grids` → `assign_chars` / `chars_to_lines` →
`page_to_layout` → `layouts_to_document`), all tuned by one `PdfSettings`.
"""

from yusuan.readers.pdf.backend import PdfInfo
from yusuan.readers.pdf.reader import inspect_pdf, read_pdf_raw
from yusuan.readers.pdf.settings import PdfSettings

__all__ = ["PdfInfo", "PdfSettings", "inspect_pdf", "read_pdf_raw"]
