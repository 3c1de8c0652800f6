"""Pages per second and peak memory of `read_pdf_raw` on the published samples, next to plain
pdfplumber `extract_tables()` on every page (the obvious alternative).

    .venv/bin/python benchmarks/pdf_read.py            # all samples in tests/data/published
    .venv/bin/python benchmarks/pdf_read.py a.pdf b.pdf

Every measurement runs in a fresh subprocess so that peak RSS belongs to one engine and one
file. "rss" is the growth of the process's peak resident set while reading (PDFium's C heap
included); "py" is the peak of the Python heap seen by tracemalloc (a second, traced run;
yusuan only, tracing pdfminer's many small objects would take minutes).
The yusuan time is the best of three runs; pdfplumber runs once (it is slow).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "data" / "published"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _run_yusuan(path: Path) -> int:
    from yusuan.readers.pdf import read_pdf_raw

    doc = read_pdf_raw(path)
    return len(doc.tables)


def _run_pdfplumber(path: Path) -> int:
    import pdfplumber

    found = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            found += len(page.extract_tables())
            page.close()
    return found


def measure_one(path: Path, engine: str) -> dict[str, float | int | str]:
    """Runs inside the child process."""
    sys.path.insert(0, str(ROOT / "src"))
    run = _run_yusuan if engine == "yusuan" else _run_pdfplumber
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    pages = len(pdfium.PdfDocument(str(path)))
    import pdfplumber  # noqa: F401 - import cost must not count as reading time

    import yusuan.readers.pdf  # noqa: F401

    base_rss = _peak_rss_mb()
    repeats = 3 if engine == "yusuan" else 1
    best = float("inf")
    tables = 0
    for _ in range(repeats):
        start = time.perf_counter()
        tables = run(path)
        best = min(best, time.perf_counter() - start)
    rss = _peak_rss_mb() - base_rss
    py_peak = 0
    if engine == "yusuan":  # tracing pdfminer's millions of small objects takes minutes
        tracemalloc.start()
        run(path)
        _, py_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "file": path.name,
        "engine": engine,
        "pages": pages,
        "seconds": best,
        "tables": tables,
        "rss_mb": rss,
        "py_mb": py_peak / 2**20,
    }


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "--one":
        print(json.dumps(measure_one(Path(argv[2]), argv[1])))
        return 0
    files = [Path(a) for a in argv] or sorted(SAMPLES.glob("*.pdf"))
    files = [f for f in files if "scanned" not in f.name]
    header = (
        f"{'sample':46s} {'pages':>5s} | {'yusuan s':>8s} {'p/s':>6s} {'rss MB':>7s} "
        f"{'py MB':>6s} {'tables':>6s} | {'plumber s':>9s} {'p/s':>6s} {'rss MB':>7s} "
        f"{'tables':>6s} | {'speed-up':>8s}"
    )
    print(header)
    print("-" * len(header))
    total_pages = 0
    total = {"yusuan": 0.0, "pdfplumber": 0.0}
    for f in files:
        rows = {}
        for engine in ("yusuan", "pdfplumber"):
            out = subprocess.run(
                [sys.executable, __file__, "--one", engine, str(f)],
                check=True,
                capture_output=True,
                text=True,
            )
            rows[engine] = json.loads(out.stdout.strip().splitlines()[-1])
        y, p = rows["yusuan"], rows["pdfplumber"]
        pages = int(y["pages"])
        total_pages += pages
        total["yusuan"] += float(y["seconds"])
        total["pdfplumber"] += float(p["seconds"])
        print(
            f"{f.name[:46]:46s} {pages:5d} | {y['seconds']:8.3f} {pages / y['seconds']:6.1f} "
            f"{y['rss_mb']:7.1f} {y['py_mb']:6.1f} {y['tables']:6d} | {p['seconds']:9.3f} "
            f"{pages / p['seconds']:6.1f} {p['rss_mb']:7.1f} {p['tables']:6d} | "
            f"{p['seconds'] / y['seconds']:7.1f}x"
        )
    print("-" * len(header))
    print(
        f"{'all':46s} {total_pages:5d} | {total['yusuan']:8.3f} "
        f"{total_pages / total['yusuan']:6.1f} {'':7s} {'':6s} {'':6s} | "
        f"{total['pdfplumber']:9.3f} {total_pages / total['pdfplumber']:6.1f}"
    )
    per30 = 30 * total["yusuan"] / total_pages
    print(f"yusuan, a 30-page disclosure at the average rate: {per30:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
