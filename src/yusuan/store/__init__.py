"""Storing read and audited documents: one interface, DuckDB and PostgreSQL backends.

>>> from yusuan.store import open_store
>>> store = open_store("yusuan.duckdb")          # or "postgresql://127.0.0.1:5432/test"
>>> store.migrate()                              # numbered migrations, applied once

The schema, the views and example queries are described in docs/store.md.
"""

from __future__ import annotations

from pathlib import Path

from yusuan.errors import InputError
from yusuan.store.base import SCHEMA_VERSION, Store, migrations
from yusuan.store.records import DocumentRecord, build_record, failed_record

__all__ = [
    "SCHEMA_VERSION",
    "DocumentRecord",
    "Store",
    "build_record",
    "failed_record",
    "is_postgres",
    "migrations",
    "open_store",
]


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def open_store(db: str | Path, *, migrate: bool = True, read_only: bool = False) -> Store:
    """Open (and by default create or upgrade) the store named by a path or a PostgreSQL URL."""
    text = str(db)
    store: Store
    if is_postgres(text):
        try:
            from yusuan.store.pg import PgStore
        except ImportError as exc:  # pragma: no cover - part of the corpus extra
            raise InputError("存入 PostgreSQL 需要安装 yusuan[corpus]（psycopg）") from exc
        store = PgStore(text)
    else:
        try:
            from yusuan.store.duck import DuckStore
        except ImportError as exc:  # pragma: no cover
            raise InputError("存入 DuckDB 需要安装 yusuan[corpus]（duckdb）") from exc
        if read_only and not Path(text).exists():
            raise InputError(f"数据库文件不存在：{text}")
        store = DuckStore(text, read_only=read_only)
    if migrate and not read_only:
        store.migrate()
    return store
