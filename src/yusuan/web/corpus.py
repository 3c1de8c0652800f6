"""Read-only queries of the corpus store (`yusuan.store`, filled by `yusuan batch`) for the
corpus pages and API: regions → departments → years, documents, search, chart series.

Every call opens its own connection (a `Store` is not shared between threads) and closes it;
DuckDB files are opened read-only, nothing here writes. Amounts stay `Decimal` (元).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yusuan.errors import YusuanError

NO_REGION = "未标明地区"
_REGION = f"COALESCE(region, '{NO_REGION}')"  # a constant of ours, no quote in it
_DEPT = "COALESCE(department, file_name)"
_DOC_COLUMNS = (
    "doc_id, file_name, region, department, unit_name, year, kind, scope, status, reason, "
    "format, profile, pages, n_tables, n_cells, errors, warnings, notices, checks, stored_at"
)


class CorpusUnavailable(Exception):
    """No store configured, or it cannot be opened now; `message` says which, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _records(cols: list[str], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(cols, r, strict=True)) for r in rows]


@dataclass(frozen=True, slots=True)
class Corpus:
    db: str | None

    @contextmanager
    def _store(self) -> Iterator[Any]:
        if not self.db:
            raise CorpusUnavailable(
                "未配置语料库：请用 yusuan serve --db 数据库 启动（由 yusuan batch 建立）"
            )
        try:
            from yusuan.store import open_store

            store = open_store(self.db, migrate=False, read_only=True)
        except ImportError as exc:
            raise CorpusUnavailable("浏览语料库需要安装 yusuan[corpus]") from exc
        except YusuanError as exc:
            raise CorpusUnavailable(exc.message) from exc
        except Exception as exc:  # locked by a running batch, unreachable server …
            raise CorpusUnavailable(f"无法打开语料库（{type(exc).__name__}），请稍后再试") from exc
        try:
            yield store
        finally:
            store.close()

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._store() as store:
            cols, rows = store.query(sql, params)
        return _records(cols, rows)

    # ---- browsing ------------------------------------------------------------------------

    def regions(self) -> list[dict[str, Any]]:
        return self._query(
            f"SELECT {_REGION} AS region, COUNT(DISTINCT {_DEPT}) AS departments, "
            "COUNT(*) AS documents, MIN(year) AS first_year, MAX(year) AS last_year "
            f"FROM documents WHERE status = 'ok' GROUP BY {_REGION} ORDER BY 1",
        )

    def departments(self, region: str) -> list[dict[str, Any]]:
        return self._query(
            f"SELECT {_DEPT} AS department, COUNT(*) AS documents, "
            "MIN(year) AS first_year, MAX(year) AS last_year, SUM(errors) AS errors "
            f"FROM documents WHERE status = 'ok' AND {_REGION} = ? "
            f"GROUP BY {_DEPT} ORDER BY 1",
            (region,),
        )

    def department_names(self, limit: int = 2000) -> list[str]:
        """Every department of the corpus, for choosing one to compare with."""
        rows = self._query(
            f"SELECT DISTINCT {_DEPT} AS department FROM documents WHERE status = 'ok' "
            "ORDER BY 1 LIMIT ?",
            (limit,),
        )
        return [str(r["department"]) for r in rows]

    def documents_of(self, department: str) -> list[dict[str, Any]]:
        return self._query(
            f"SELECT {_DOC_COLUMNS} FROM documents "
            f"WHERE status = 'ok' AND {_DEPT} = ? "
            "ORDER BY year DESC, kind, scope",
            (department,),
        )

    def document(self, doc_id: str) -> dict[str, Any] | None:
        found = self._query(f"SELECT {_DOC_COLUMNS} FROM documents WHERE doc_id = ?", (doc_id,))
        if not found:
            return None
        doc = found[0]
        doc["tables"] = self._query(
            "SELECT table_no, number, kind, title, unit, readable, n_rows, page "
            "FROM doc_tables WHERE doc_id = ? ORDER BY table_no",
            (doc_id,),
        )
        doc["findings"] = self._query(
            "SELECT seq, rule, slug, severity, message, table_name, page, lines "
            "FROM findings WHERE doc_id = ? ORDER BY seq",
            (doc_id,),
        )
        return doc

    def table(self, doc_id: str, table_no: int) -> dict[str, Any] | None:
        meta = self._query(
            "SELECT table_no, number, kind, title, unit FROM doc_tables "
            "WHERE doc_id = ? AND table_no = ?",
            (doc_id, table_no),
        )
        if not meta:
            return None
        cells = self._query(
            "SELECT row_no, col_no, code, name, column_label, text FROM cells "
            "WHERE doc_id = ? AND table_no = ? ORDER BY row_no, col_no",
            (doc_id, table_no),
        )
        columns: dict[int, str] = {}
        rows: dict[int, dict[str, Any]] = {}
        for c in cells:
            columns.setdefault(c["col_no"], c["column_label"] or "")
            row = rows.setdefault(
                c["row_no"], {"code": c["code"] or "", "name": c["name"] or "", "values": {}}
            )
            row["values"][c["col_no"]] = c["text"] or ""
        order = sorted(columns)
        return {
            **meta[0],
            "columns": [columns[k] for k in order],
            "rows": [
                {
                    "code": r["code"],
                    "name": r["name"],
                    "values": [r["values"].get(k, "") for k in order],
                }
                for _, r in sorted(rows.items())
            ],
        }

    def search(self, text: str, limit: int = 50) -> dict[str, list[dict[str, Any]]]:
        """Departments and files whose name contains `text`; for a code (digits), the
        department-years spending on that function class."""
        q = text.strip()
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        out: dict[str, list[dict[str, Any]]] = {"departments": [], "codes": []}
        if not q:
            return out
        out["departments"] = self._query(
            f"SELECT {_DEPT} AS department, {_REGION} AS region, "
            "COUNT(*) AS documents FROM documents WHERE status = 'ok' AND "
            "(department LIKE ? ESCAPE '\\' OR file_name LIKE ? ESCAPE '\\' "
            "OR unit_name LIKE ? ESCAPE '\\') "
            f"GROUP BY {_DEPT}, {_REGION} ORDER BY 1 LIMIT ?",
            (like, like, like, limit),
        )
        if q.isdigit():
            out["codes"] = self._query(
                "SELECT COALESCE(department, ?) AS department, year, doc_kind, code, name, "
                "amount_yuan FROM v_expense_by_function WHERE code = ? "
                "ORDER BY amount_yuan DESC NULLS LAST LIMIT ?",
                ("（未标明部门）", q[:3], limit),
            )
        return out

    # ---- chart series --------------------------------------------------------------------

    def by_function(self, department: str, year: int, kind: str) -> list[tuple[str, Decimal]]:
        rows = self._query(
            "SELECT code, name, amount_yuan FROM v_expense_by_function "
            "WHERE department = ? AND year = ? AND doc_kind = ? AND amount_yuan IS NOT NULL "
            "ORDER BY amount_yuan DESC",
            (department, year, kind),
        )
        return [(f"{r['code']} {r['name'] or ''}".strip(), r["amount_yuan"]) for r in rows]

    def function_by_year(self, department: str) -> list[dict[str, Any]]:
        """Expenditure by function class (类) of every year and kind of the department."""
        return self._query(
            "SELECT year, doc_kind, code, name, amount_yuan FROM v_expense_by_function "
            "WHERE department = ? AND amount_yuan IS NOT NULL AND year IS NOT NULL "
            "ORDER BY year, doc_kind, code",
            (department,),
        )

    def basic_project(self, department: str) -> list[dict[str, Any]]:
        return self._query(
            "SELECT year, doc_kind, total_yuan, basic_yuan, project_yuan FROM v_basic_project "
            "WHERE department = ? ORDER BY year, doc_kind",
            (department,),
        )

    def sangong(self, department: str) -> list[dict[str, Any]]:
        return self._query(
            "SELECT year, doc_kind, row_no, item, amount_yuan FROM v_sangong "
            "WHERE department = ? ORDER BY year, doc_kind, row_no",
            (department,),
        )
