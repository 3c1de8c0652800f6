"""Load test of `yusuan serve` on loopback: N concurrent uploads of the published samples.

    .venv/bin/python benchmarks/web_load.py              # 20 uploads, 2 worker processes
    .venv/bin/python benchmarks/web_load.py --uploads 40 --jobs 2

Starts the application on a free 127.0.0.1 port (nothing else is contacted) and fires all uploads
at once from as many client threads, each then polling its job until done. Files: the bundled
sample and the readable published samples (tests/data/published; the scanned PDF is left out,
it fails by design, as does the 检查表 workbook, a checklist and no disclosure), taken in turn. Prints the upload request latency (POST → 202) and the
end-to-end latency (POST → report ready) as median and p95, failures, and the wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from yusuan.web import Settings
from yusuan.web.server import BackgroundServer

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = sorted((ROOT / "tests" / "data" / "published").iterdir())
FILES = [
    ROOT / "examples" / "2024_xinjiang_hrss_budget.md",
    *(p for p in PUBLISHED if "scanned" not in p.name and "jianchabiao" not in p.name),
]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the server")
    args = parser.parse_args()

    files = [FILES[i % len(FILES)] for i in range(args.uploads)]
    post: list[float] = []
    total: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(args.uploads)
    data = Path(tempfile.mkdtemp(prefix="yusuan-load-"))

    def client(url: str, path: Path) -> None:
        with httpx.Client(base_url=url, timeout=300) as http:
            gate.wait()
            t0 = time.perf_counter()
            r = http.post("/api/jobs", files=[("files", (path.name, path.read_bytes()))])
            t1 = time.perf_counter()
            if r.status_code != 202:
                with lock:
                    failures.append(f"{path.name}: {r.status_code} {r.text[:80]}")
                return
            job = r.json()["jobs"][0]
            while job["status"] not in ("done", "failed"):
                time.sleep(0.05)
                job = http.get(job["status_url"]).json()
            t2 = time.perf_counter()
            ok = job["status"] == "done" and http.get(job["json_url"]).status_code == 200
            with lock:
                post.append(t1 - t0)
                total.append(t2 - t0)
                if not ok:
                    failures.append(f"{path.name}: {job['error']}")

    settings = Settings(data_dir=data, workers=args.jobs)
    with BackgroundServer(settings) as server:
        threads = [threading.Thread(target=client, args=(server.url, f)) for f in files]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start

    size = sum(f.stat().st_size for f in files) / 1024 / 1024
    print(
        f"{args.uploads} concurrent uploads ({size:.1f} MB, {len(set(files))} distinct files), "
        f"{args.jobs} worker processes, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"failures: {len(failures)}")
    for line in failures:
        print("  ", line)
    if post:
        print(
            f"upload (POST → 202):    median {statistics.median(post):.3f} s, p95 {_p95(post):.3f} s"
        )
        print(
            f"report ready (POST → done): median {statistics.median(total):.2f} s, "
            f"p95 {_p95(total):.2f} s, max {max(total):.2f} s"
        )
    print(f"wall: {wall:.2f} s ({args.uploads / wall:.2f} documents/s)")


if __name__ == "__main__":
    main()
