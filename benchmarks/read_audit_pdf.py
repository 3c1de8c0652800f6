"""Read + audit of whole PDFs (issue 8: a 30-page PDF in under 0.5 s), repeated in one process.

    .venv/bin/python benchmarks/read_audit_pdf.py [--runs 5] FILE.pdf ...

Default files: the two 34-page disclosures of the development corpus measured before
(../shared/samples/corpus/, when present). Each file is read (`yusuan.read`) and audited
(`yusuan.audit`) once as a warm-up, then `--runs` times; the median and the fastest run are
printed, wall clock and CPU time of this process (steadier on a shared machine), with the
1-minute load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import yusuan

ROOT = Path(__file__).resolve().parents[1]
# ../shared/samples/corpus from the main checkout (/work/main), or from a worktree (/work/wt/x).
CORPUS = next(
    (p / "shared" / "samples" / "corpus" for p in ROOT.parents if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "samples" / "corpus",
)
DEFAULT = [
    CORPUS / "shenzhen_2026_tongjiju_bumen-yusuan.pdf",
    CORPUS / "suzhou_2026_yingjiju_bumen-yusuan.pdf",
]


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    return len(pdfium.PdfDocument(str(path)))


def measure(path: Path, runs: int) -> tuple[list[float], list[float]]:
    yusuan.audit(yusuan.read(path))  # warm-up: imports, profiles, catalogs
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        yusuan.audit(yusuan.read(path))
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files = args.files or [p for p in DEFAULT if p.exists()]
    if not files:
        parser.error(f"no files given and none of the default ones under {CORPUS}")
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f}")
    print("| document | pages | median | min | CPU median | CPU min |")
    print("|---|---:|---:|---:|---:|---:|")
    for path in files:
        wall, cpu = measure(path, args.runs)
        print(
            f"| {path.name} | {_pages(path)} | {statistics.median(wall):.3f} s | "
            f"{min(wall):.3f} s | {statistics.median(cpu):.3f} s | {min(cpu):.3f} s |"
        )
    print(f"load average (1 min) at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
