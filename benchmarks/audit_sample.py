"""Parse + audit of the bundled sample: median time over repeated runs, peak memory, and how
time grows with document size (the sample repeated N times as one document).

Run: .venv/bin/python benchmarks/audit_sample.py [--runs 100]
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

import yusuan

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "2024_xinjiang_hrss_budget.md"


def timed(text: str, runs: int) -> tuple[float, float, float]:
    """Median seconds for (read, audit, both) over `runs` runs in this process."""
    r, a, b, _ = timed_with_min(text, runs)
    return r, a, b


def timed_with_min(text: str, runs: int) -> tuple[float, float, float, float]:
    """Medians of (read, audit, both), and the fastest run, over `runs` runs."""
    reads, audits, both = [], [], []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        doc = yusuan.read_text(text, path="bench.md")
        t1 = time.perf_counter()
        yusuan.audit(doc)
        t2 = time.perf_counter()
        reads.append(t1 - t0)
        audits.append(t2 - t1)
        both.append(t2 - t0)
    return (
        statistics.median(reads),
        statistics.median(audits),
        statistics.median(both),
        min(both),
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
