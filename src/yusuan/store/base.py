"""One storage interface over DuckDB and PostgreSQL: migrations, runs, documents, queries.

A document is written in one transaction (its row, tables, cells, statements, findings) or not
at all; the document row's key is the file's content hash, so a second writer of the same file
(another batch, a rerun after `kill -9`) finds it and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, ClassVar

from yusuan.store.records import (
    CELL_COLUMNS,
    FINDING_COLUMNS,
    STATEMENT_COLUMNS,
    TABLE_COLUMNS,
    DocumentRecord,
)

Row = tuple[Any, ...]

_DOC_COLUMNS = (
    "doc_id",
    "file_name",
    "path",
    "size_bytes",
    "status",
    "reason",
    "format",
    "region",
    "level",
    "department",
    "unit_name",
    "year",
    "kind",
    "scope",
    "profile",
    "profile_name",
    "profile_confidence",
    "pages",
    "n_tables",
    "n_cells",
    "n_statements",
    "errors",
    "warnings",
    "notices",
    "checks",
    "not_run",
    "unread",
    "seconds",
    "tool_version",
    "run_id",
    "stored_at",
)
_CHILDREN = (
    ("doc_tables", TABLE_COLUMNS),
    ("cells", CELL_COLUMNS),
    ("statements", STATEMENT_COLUMNS),
    ("findings", FINDING_COLUMNS),
)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self, dialect: str) -> list[str]:
        """The migration's statements for one dialect (`/*postgresql*/` marks PG-only ones)."""
        text = "\n".join(
            line for line in self.sql.splitlines() if not line.lstrip().startswith("--")
        )
        out: list[str] = []
        for part in text.split(";"):
            stmt = part.strip()
            if not stmt:
                continue
            marker = "/*postgresql*/"
            if stmt.startswith(marker):
                if dialect != "postgresql":
                    continue
                stmt = stmt[len(marker) :].strip()
            out.append(stmt)
        return out


def migrations() -> list[Migration]:
    """The numbered migrations shipped with the package, in order."""
    found: list[Migration] = []
    for entry in resources.files("yusuan.store").joinpath("migrations").iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        number, _, rest = name.partition("_")
        found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


SCHEMA_VERSION = max(m.version for m in migrations())


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Store(ABC):
    """A connection to one store. Not shared between threads or processes."""

    dialect: ClassVar[str]
    url: str

    # ── what each backend provides ──
    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement (`?` placeholders) and return its rows (empty for DDL/DML)."""

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        """Run a query and return (column names, rows)."""

    @abstractmethod
    def begin(self) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @abstractmethod
    def bulk_insert(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        """Insert many rows at once inside the current transaction."""

    @abstractmethod
    def close(self) -> None: ...

    def _lock_migrations(self) -> None:  # noqa: B027 - only PostgreSQL needs a lock
        """Serialise concurrent migrators (PostgreSQL: an advisory lock)."""

    # ── shared logic ──
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        try:
            rows = self.execute("SELECT MAX(version) FROM schema_migrations")
        except Exception:
            self.rollback()
            return 0
        return int(rows[0][0] or 0) if rows else 0

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied, each in its own transaction; their numbers."""
        applied: list[int] = []
        self.begin()
        try:
            self._lock_migrations()
            self.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            done = {int(r[0]) for r in self.execute("SELECT version FROM schema_migrations")}
            for m in migrations():
                if m.version in done:
                    continue
                for stmt in m.statements(self.dialect):
                    self.execute(stmt)
                self.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.name, now()),
                )
                applied.append(m.version)
            self.commit()
        except BaseException:
            self.rollback()
            raise
        return applied

    def stored(self) -> dict[str, tuple[str, str]]:
        """doc_id → (status, tool version) of every stored document."""
        return {
            str(r[0]): (str(r[1]), str(r[2]))
            for r in self.execute("SELECT doc_id, status, tool_version FROM documents")
        }

    def begin_run(self, tool_version: str, mode: str, jobs: int | None, command: str) -> str:
        run_id = uuid.uuid4().hex
        self.begin()
        self.execute(
            "INSERT INTO runs (run_id, tool_version, started_at, mode, jobs, command) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, tool_version, now(), mode, jobs, command),
        )
        self.commit()
        return run_id

    def finish_run(self, run_id: str, files: int, stored: int, skipped: int, failed: int) -> None:
        self.begin()
        self.execute(
            "UPDATE runs SET finished_at = ?, files = ?, stored = ?, skipped = ?, failed = ? "
            "WHERE run_id = ?",
            (now(), files, stored, skipped, failed, run_id),
        )
        self.commit()

    def put(
        self, rec: DocumentRecord, run_id: str, tool_version: str, replace: bool = False
    ) -> bool:
        """Store one document whole, in one transaction. False when it was already stored
        (by this or a concurrent batch) and `replace` is not set."""
        doc_row: Row = (
            rec.doc_id,
            rec.file_name,
            rec.path,
            rec.size_bytes,
            rec.status,
            rec.reason,
            rec.format,
            rec.region,
            rec.level,
            rec.department,
            rec.unit_name,
            rec.year,
            rec.kind,
            rec.scope,
            rec.profile,
            rec.profile_name,
            rec.profile_confidence,
            rec.pages,
            len(rec.tables),
            len(rec.cells),
            len(rec.statements),
            rec.errors,
            rec.warnings,
            rec.notices,
            rec.checks,
            rec.not_run,
            rec.unread,
            rec.seconds,
            tool_version,
            run_id,
            now(),
        )
        self.begin()
        try:
            if replace:
                self.execute("DELETE FROM doc_matches WHERE doc_id = ?", (rec.doc_id,))
                for table, _ in _CHILDREN:
                    self.execute(f"DELETE FROM {table} WHERE doc_id = ?", (rec.doc_id,))
                self.execute("DELETE FROM documents WHERE doc_id = ?", (rec.doc_id,))
            marks = ", ".join("?" for _ in _DOC_COLUMNS)
            inserted = self.execute(
                f"INSERT INTO documents ({', '.join(_DOC_COLUMNS)}) VALUES ({marks}) "
                "ON CONFLICT (doc_id) DO NOTHING RETURNING doc_id",
                doc_row,
            )
            if not inserted:
                self.rollback()
                return False
            for (table, columns), rows in zip(
                _CHILDREN, (rec.tables, rec.cells, rec.statements, rec.findings), strict=True
            ):
                if rows:
                    self.bulk_insert(table, columns, rows)
            self.commit()
        except BaseException:
            self.rollback()
            raise
        return True

    def count(self, table: str) -> int:
        return int(self.execute(f"SELECT COUNT(*) FROM {table}")[0][0])
