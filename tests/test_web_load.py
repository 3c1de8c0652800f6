"""A bounded load test against a live server on loopback: 20 uploads at once, every one
accepted and audited (0 failures). Times are not asserted here: the figures under load, with
the published PDFs, are benchmarks/web_load.py's (docs/benchmarks.md)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx

from tests.web import SAMPLE
from yusuan.web import Settings
from yusuan.web.server import BackgroundServer

UPLOADS = 20


def test_twenty_concurrent_uploads_all_succeed(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(UPLOADS)

    def client(url: str, n: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            gate.wait()  # all at once
            r = http.post("/api/jobs", files=[("files", (f"{n}.md", data))])
            if r.status_code != 202:
                with lock:
                    failures.append(f"{n}: {r.status_code} {r.text[:80]}")
                return
            job = r.json()["jobs"][0]
            for _ in range(2400):  # 120 s at most
                if job["status"] in ("done", "failed"):
                    break
                threading.Event().wait(0.05)
                job = http.get(job["status_url"]).json()
            report = http.get(job["json_url"]).json() if job["status"] == "done" else None
            with lock:
                if report is None:
                    failures.append(f"{n}: {job['status']} {job['error']}")
                else:
                    results.append(report)

    with BackgroundServer(Settings(data_dir=tmp_path, workers=2)) as server:
        threads = [threading.Thread(target=client, args=(server.url, n)) for n in range(UPLOADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
    assert len(results) == UPLOADS
    assert {r["summary"]["errors"] for r in results} == {3}
    assert sorted(r["document"]["path"] for r in results) == sorted(
        f"{n}.md" for n in range(UPLOADS)
    )
