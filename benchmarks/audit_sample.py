"""Parse + audit of the bundled sample: median time over repeated runs, peak memory, and how
time grows with document size (the sample repeated N times as one document).

Run: .venv/bin/python benchmarks/audit_sample.py [--runs 100] [--first-sight 10]

The runs read the same text again and again in one warm process, so whatever yusuan keeps
from one document to the next (memoised number and name texts) is warm for the sample itself.
`--first-sight N` measures the other case too: N fresh processes, each of which reads and
audits a different document first (a published PDF: imports, profiles and catalogs loaded)
and then the sample once — the sample's text seen for the first time. The 1-minute load
average is printed with the figures: on a shared machine, wall time means little without it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import yusuan

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "2024_xinjiang_hrss_budget.md"
# Read first by a --first-sight process: another template, region and text than the sample.
OTHER = ROOT / "tests" / "data" / "published" / "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf"


def timed(text: str, runs: int) -> tuple[float, float, float]:
    """Median seconds for (read, audit, both) over `runs` runs in this process."""
    r, a, b, _ = timed_with_min(text, runs)
    return r, a, b


def read_audit_once(text: str) -> tuple[float, float, float]:
    """Seconds to read `text`, to audit it, and both."""
    gc.collect()
    t0 = time.perf_counter()
    doc = yusuan.read_text(text, path="bench.md")
    t1 = time.perf_counter()
    yusuan.audit(doc)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, t2 - t0


def timed_with_min(text: str, runs: int) -> tuple[float, float, float, float]:
    """Medians of (read, audit, both), and the fastest run, over `runs` runs."""
    reads, audits, both = [], [], []
    for _ in range(runs):
        read, audit, total = read_audit_once(text)
        reads.append(read)
        audits.append(audit)
        both.append(total)
    return (
        statistics.median(reads),
        statistics.median(audits),
        statistics.median(both),
        min(both),
    )


def first_sight_child() -> None:
    """In a fresh process: another document first, then the sample once (read, audit)."""
    yusuan.audit(yusuan.read(OTHER))
    print(json.dumps(read_audit_once(SAMPLE.read_text(encoding="utf-8"))))


def first_sight(n: int) -> None:
    runs = []
    for _ in range(n):
        out = subprocess.run(
            [sys.executable, __file__, "--first-sight-child"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        runs.append(json.loads(out))
    read, audit, both = (sorted(c) for c in zip(*runs, strict=True))
    print(
        f"first sight ({n} fresh processes, {OTHER.name} read first): "
        f"read median {statistics.median(read) * 1000:.1f} ms, "
        f"audit median {statistics.median(audit) * 1000:.1f} ms, "
        f"both median {statistics.median(both) * 1000:.1f} ms, fastest {both[0] * 1000:.1f} ms"
    )


def peak_mib(text: str) -> float:
    tracemalloc.start()
    yusuan.audit(yusuan.read_text(text, path="bench.md"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--first-sight", type=int, default=0, metavar="N")
    parser.add_argument("--first-sight-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_sight_child:
        first_sight_child()
        return
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f}")
    text = SAMPLE.read_text(encoding="utf-8")
    timed(text, 3)  # warm-up: imports, regex compilation, profile loading
    r, a, b, fastest = timed_with_min(text, args.runs)
    print(f"sample: {len(text.splitlines())} lines, {len(text.encode()) / 1024:.0f} KiB")
    print(f"read  median {r * 1000:7.1f} ms")
    print(f"audit median {a * 1000:7.1f} ms")
    print(
        f"both  median {b * 1000:7.1f} ms  (runs={args.runs}); fastest run {fastest * 1000:.1f} ms"
    )
    print(f"peak traced memory (read + audit): {peak_mib(text):.1f} MiB")
    print("\nscaling (sample repeated N times as one document):")
    print("   N    lines   read ms  audit ms  total ms  ms per 1k lines")
    for n in (1, 2, 5, 10):
        big = "\n".join([text] * n)
        runs = max(3, args.runs // (2 * n))
        r, a, b = timed(big, runs)
        lines = len(big.splitlines())
        print(
            f"{n:4d} {lines:8d} {r * 1000:9.1f} {a * 1000:9.1f} {b * 1000:9.1f} "
            f"{b * 1000 / (lines / 1000):16.1f}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS (whole benchmark, Python + libraries): {rss:.0f} MiB")
    if args.first_sight:
        first_sight(args.first_sight)
    print(f"load average (1 min) at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
