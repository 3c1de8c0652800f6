"""`yusuan export`: every stored cell in a long, tidy layout (the `v_cells` view)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yusuan.errors import InputError
from yusuan.store import Store

FORMATS = ("parquet", "csv", "xlsx")
EXPORT_COLUMNS = (
    "doc_id",
    "file_name",
    "region",
    "department",
    "year",
    "doc_kind",
    "scope",
    "table_kind",
    "table_title",
    "row_no",
    "row_kind",
    "code",
    "name",
    "level",
    "unit_name",
    "project",
    "column_role",
    "column_label",
    "value_yuan",
    "text",
    "unit",
    "page",
    "line",
    "sheet",
    "cell",
)
XLSX_MAX_ROWS = 1_048_575


def query_cells(
    store: Store, table_kinds: Sequence[str] = (), years: Sequence[int] = ()
) -> tuple[list[str], list[tuple[Any, ...]]]:
    where: list[str] = []
    params: list[Any] = []
    if table_kinds:
        where.append("table_kind IN (" + ", ".join("?" for _ in table_kinds) + ")")
        params.extend(table_kinds)
    if years:
        where.append("year IN (" + ", ".join("?" for _ in years) + ")")
        params.extend(years)
    sql = f"SELECT {', '.join(EXPORT_COLUMNS)} FROM v_cells"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY file_name, doc_id, table_no, row_no, column_key"
    return store.query(sql, params)


def export_cells(
    store: Store,
    target: Path,
    fmt: str,
    table_kinds: Sequence[str] = (),
    years: Sequence[int] = (),
) -> int:
    """Write the cells to `target`; the number of rows written."""
    if fmt not in FORMATS:
        raise InputError(f"导出格式只能是 {'、'.join(FORMATS)}，而不是「{fmt}」")
    names, rows = query_cells(store, table_kinds, years)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with target.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(names)
            w.writerows(rows)
    elif fmt == "xlsx":
        if len(rows) > XLSX_MAX_ROWS:
            raise InputError(
                f"共 {len(rows):,} 行，超过 Excel 一张工作表的上限（1,048,576 行）；"
                "请用 --format parquet 或 csv，或用 --table-kind / --year 缩小范围"
            )
        from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("cells")
        ws.freeze_panes = "A2"
        ws.append(names)
        for row in rows:
            ws.append(list(row))
        wb.save(target)
    else:
        _parquet(names, rows, target)
    return len(rows)


def _parquet(names: list[str], rows: list[tuple[Any, ...]], target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    arrays = []
    for name, values in zip(names, columns, strict=True):
        if name == "value_yuan":
            arrays.append(pa.array(list(values), type=pa.decimal128(20, 2)))
        elif name in ("year", "row_no", "level", "page", "line"):
            arrays.append(pa.array(list(values), type=pa.int32()))
        else:
            arrays.append(
                pa.array([None if v is None else str(v) for v in values], type=pa.string())
            )
    pq.write_table(pa.table(dict(zip(names, arrays, strict=True))), target)
