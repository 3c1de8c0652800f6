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


NEXT_LINE = 231  # 表3 部门支出总体情况表, the row of 类 205 教育支出
NEXT_FROM, NEXT_TO = "<b>14,615.07</b>", "<b>16,615.07</b>"


def next_year(folder: Path) -> Path:
    """The sample as if published a year later, so one department of the corpus has two
    years: every 2024 made 2025, and 类 205's total in 表3 raised by 2,000 万元 so the years
    differ (an arithmetic error in that copy, which is what it is: an altered sample). The
    later year, because the batch checks a year's statements against the year before: the
    sample itself keeps its own findings."""
    lines = SAMPLE.read_text(encoding="utf-8").replace("2024", "2025").split("\n")
    line = lines[NEXT_LINE - 1]
    assert "教育支出" in line and line.count(NEXT_FROM) == 1
    lines[NEXT_LINE - 1] = line.replace(NEXT_FROM, NEXT_TO)
    path = folder / "2025_xinjiang_hrss_budget.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


CORPUS_FILES = (
    SAMPLE,
    PUBLISHED_PDF,
    Path(__file__).parent / "data" / "published" / "2026_shanghai-putuo_sifaju_danwei_yusuan.pdf",
)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB corpus of four documents, filled as `yusuan batch` fills it: the sample, two
    published PDFs, and the sample a year later (`next_year`)."""
    pytest.importorskip("duckdb", reason="语料库需要 yusuan[corpus]")
    from yusuan.batch import run_batch
    from yusuan.store import open_store

    folder = tmp_path_factory.mktemp("corpus")
    db = str(folder / "corpus.duckdb")
    files = [*CORPUS_FILES, next_year(folder)]
    with open_store(db) as store:
        result = run_batch(store, files, jobs=1)
    assert result.stored == len(files) and result.failed == 0
    return db
