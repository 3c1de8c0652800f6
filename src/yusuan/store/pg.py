"""The PostgreSQL backend (`--db postgresql://host:port/database`), through psycopg 3.

Rows are written with COPY inside the document's transaction. To keep separate stores in
one database, give a schema with libpq's options:
`postgresql://127.0.0.1:5432/test?options=-csearch_path%3Dmyschema` (the schema must exist).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, ClassVar

from yusuan.errors import InputError
from yusuan.store.base import Row, Store

_LOCK_KEY = 0x7975_7375  # "yusu": serialises migrations of concurrent batches


def _pg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class PgStore(Store):
    dialect: ClassVar[str] = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        try:
            self.con = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise InputError(f"无法连接 PostgreSQL（{safe_url(url)}）：{str(exc).strip()}") from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.con.cursor() as cur:
            cur.execute(_pg_sql(sql), list(params))
            if cur.description is None:
                return []
            return [tuple(r) for r in cur.fetchall()]

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        with self.con.cursor() as cur:
            cur.execute(_pg_sql(sql), list(params))
            names = [d.name for d in cur.description or ()]
            return names, [tuple(r) for r in cur.fetchall()]

    def begin(self) -> None:
        self.con.execute("BEGIN")

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        import psycopg

        with contextlib.suppress(psycopg.Error):
            self.con.execute("ROLLBACK")

    def _lock_migrations(self) -> None:
        self.con.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))

    def bulk_insert(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.con.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def close(self) -> None:
        self.con.close()


def safe_url(url: str) -> str:
    """The URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url
