"""Copy a few pages of a real disclosure into tests/data (small extracts, as the project keeps).

    python scripts/extract_pages.py SOURCE.pdf 10-13,19 OUT.pdf

Pages are 1-based; fonts and images the pages use come along, nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium


def pages(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    source, spec, target = Path(argv[0]), argv[1], Path(argv[2])
    src = pdfium.PdfDocument(str(source))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, [n - 1 for n in pages(spec)])
    target.parent.mkdir(parents=True, exist_ok=True)
    new.save(str(target))
    print(f"{target}: {len(new)} pages, {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
