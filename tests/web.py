"""Shared helpers of the web tests: an app on a temporary data directory, waiting for jobs,
the hostile variant of the sample."""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="网页服务需要 yusuan[web]")

with warnings.catch_warnings():  # Starlette's notice about httpx versus its successor httpx2
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


SAMPLE = Path(__file__).parent / "data" / "2024_xinjiang_hrss_budget.md"
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
HOSTILE_LINE = 443  # a row of 表7 that the sample's N306 error quotes


def hostile_sample() -> bytes:
    """The sample with an HTML/JS payload inside a table cell of a line a finding quotes."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    line = lines[HOSTILE_LINE - 1]
    assert line.count("中等职业教育") == 1
    lines[HOSTILE_LINE - 1] = line.replace("中等职业教育", "中等职业教育" + PAYLOAD)
    return "\n".join(lines).encode("utf-8")


def wait_done(client: TestClient, job_id: str, timeout: float = 60) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.monotonic() > end:
            return job
        time.sleep(0.05)


PUBLISHED_PDF = (
    Path(__file__).parent / "data" / "published" / "2025_shanghai-putuo_wanlijiedao_yusuan.pdf"
)
SCANNED_PDF = (
    Path(__file__).parent
    / "data"
    / "published"
    / "2026_beijing_zhengwufuwu-shujuju_yusuan_shuoming_scanned.pdf"
)

# A document set (tests/data/sets/README.md): 北京's 报表 as published and a 情况说明 in the
# wording of 北京's with that 报表's amounts; one figure of the narrative is changed so the set
# has an error only reading both files together finds (test_sets.py has the library's side).
SET_NARRATIVE = (
    Path(__file__).parent / "data" / "sets" / "2026_beijing_zhengwufuwu-shujuju_shuoming.md"
)
SET_TABLES = (
    Path(__file__).parent
    / "data"
    / "published"
    / "2026_beijing_zhengwufuwu-shujuju_yusuan_baobiao.pdf"
)
SET_RIGHT, SET_WRONG = "基本支出预算38197.01万元", "基本支出预算39197.01万元"


def set_narrative() -> bytes:
    text = SET_NARRATIVE.read_text(encoding="utf-8")
    assert text.count(SET_RIGHT) == 1
    return text.replace(SET_RIGHT, SET_WRONG).encode("utf-8")


CORPUS_FILES = (
    SAMPLE,
    PUBLISHED_PDF,
    Path(__file__).parent / "data" / "published" / "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf",
)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB corpus of three documents, filled as `yusuan batch` fills it."""
    pytest.importorskip("duckdb", reason="语料库需要 yusuan[corpus]")
    from yusuan.batch import run_batch
    from yusuan.store import open_store

    db = str(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    with open_store(db) as store:
        result = run_batch(store, list(CORPUS_FILES), jobs=1)
    assert result.stored == len(CORPUS_FILES) and result.failed == 0
    return db
