"""Shared helpers for the store and batch tests: a real DuckDB file, a real PostgreSQL schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BASE = "postgresql://127.0.0.1:5432/test"
SAMPLE = Path(__file__).parent / "data" / "2024_xinjiang_hrss_budget.md"


def _pg_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_BASE, connect_timeout=3) as con:
            con.execute("SELECT 1")
    except Exception as exc:  # the reason is shown by the skip
        return f"PostgreSQL at 127.0.0.1:5432 (database test) not reachable: {exc}"
    return None


_PG_PROBLEM = _pg_available()
needs_pg = pytest.mark.skipif(_PG_PROBLEM is not None, reason=_PG_PROBLEM or "")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema of the real local PostgreSQL for one test, dropped afterwards."""
    if _PG_PROBLEM is not None:
        pytest.skip(_PG_PROBLEM)
    import psycopg

    schema = f"yusuan_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_BASE, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def variants(folder: Path, n: int, text: str | None = None) -> list[Path]:
    """n copies of the sample that differ in their bytes only (trailing blank lines), so each
    is a distinct document by content hash with the same tables."""
    folder.mkdir(parents=True, exist_ok=True)
    base = text if text is not None else SAMPLE.read_text(encoding="utf-8")
    out = []
    for i in range(n):
        p = folder / f"variant_{i:02d}.md"
        p.write_text(base + "\n" * (i + 1), encoding="utf-8")
        out.append(p)
    return out
