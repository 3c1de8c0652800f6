"""Plain records of what was read, for `yusuan show` (the rules: `yusuan.rules_doc`)."""

from __future__ import annotations

from typing import Any

from yusuan.model.document import Document
from yusuan.model.tables import Cell, Column, Row, Table
from yusuan.money import format_amount

_LEVELS = {1: "类", 2: "款", 3: "项"}
_KINDS = {"total": "总计", "unit": "单位", "code": "科目", "project": "项目", "item": "项目行"}


def table_to_records(table: Table) -> tuple[list[str], list[list[str]]]:
    """One record per row: line(s), kind, code, level, name, unit, project, amounts.

    For the terminal: Chinese headers, amounts printed as in the document. Machine formats
    (JSON, CSV) use `table_json` / `table_csv` (docs/show-json.md).
    """
    header = ["行号", "类型", "科目编码", "级次", "名称", "预算单位", "项目名称"]
    header += [c.label for c in table.columns]
    rows = []
    for row in table.rows:
        values = []
        for col in table.columns:
            cell = _cell(row, col)
            values.append(
                format_amount(cell.value, cell.decimals) if cell and cell.value is not None else ""
            )
        rows.append(
            [
                "、".join(str(n) for n in row.loc.lines)
                or (row.loc.cell or "")  # spreadsheet input: the row's cells (`A9:G9`)
                or (str(row.loc.page or "")),
                _KINDS.get(row.kind.value, row.kind.value),
                row.code or "",
                _LEVELS.get(row.level or 0, ""),
                row.label,
                row.unit_name or "",
                row.project or "",
                *values,
            ]
        )
    return header, rows


def _cell(row: Row, col: Column) -> Cell | None:
    """The row's cell in this column; a two-panel row has cells only in its own panel."""
    if col.panel is not None and row.panel is not None and col.panel != row.panel:
        return None
    return row.cells.get(col.key)


# --- machine formats: one vocabulary (English keys, exact decimal strings) ----------------

FORMAT_VERSION = 1


def column_ids(table: Table) -> list[str]:
    """A unique id per amount column: its key, or `panel.key` when panels share a key."""
    keys = [c.key for c in table.columns]
    return [
        f"{c.panel}.{c.key}" if c.panel and keys.count(c.key) > 1 else c.key for c in table.columns
    ]


def _exact(cell: Cell | None) -> str | None:
    """An amount as an exact decimal string with its printed decimals (`14983.05`)."""
    if cell is None or cell.value is None:
        return None
    return f"{cell.value:.{cell.decimals}f}" if cell.decimals >= 0 else str(cell.value)


def _row_record(table: Table, row: Row, ids: list[str]) -> dict[str, Any]:
    return {
        "lines": list(row.loc.lines),
        "page": row.loc.page,
        "sheet": row.loc.sheet,
        "cell": row.loc.cell,
        "kind": row.kind.value,
        "code": row.code,
        "level": row.level,
        "name": row.label,
        "panel": row.panel,
        "budget_unit": row.unit_name,
        "project": row.project,
        "amounts": {i: _exact(_cell(row, c)) for i, c in zip(ids, table.columns, strict=True)},
    }


def table_json(table: Table, doc: Document) -> dict[str, Any]:
    """A table with its rows in the `show` JSON vocabulary."""
    ids = column_ids(table)
    return {
        "table": table.key,
        "number": table.number,
        "name": table.name,
        "title": table.title,
        "printed_title": table.printed_title,
        "unit": table.unit.value if table.unit else None,
        "department": doc.department,
        "readable": table.readable,
        "problems": list(table.problems),
        "kind": table.kind,
        "empty": _empty(table),
        "notes": [n.text for n in table.notes],
        "columns": [
            {"id": i, "key": c.key, "label": c.label, "panel": c.panel}
            for i, c in zip(ids, table.columns, strict=True)
        ],
        "rows": [_row_record(table, r, ids) for r in table.rows],
    }


def _empty(table: Table) -> bool:
    """Read and printed without a figure (a form read as text has no amount columns)."""
    return table.readable and bool(table.columns) and table.is_empty


def document_json(doc: Document) -> dict[str, Any]:
    """What `show FILE -f json` prints: the document and the list of its tables."""
    return {
        "format_version": FORMAT_VERSION,
        "document": _document_header(doc),
        "tables": [
            {
                "table": t.key,
                "number": t.number,
                "name": t.name,
                "title": t.title,
                "printed_title": t.printed_title,
                "unit": t.unit.value if t.unit else None,
                "rows": len(t.rows),
                "readable": t.readable,
                "problems": list(t.problems),
                "kind": t.kind,
                "empty": _empty(t),
                "location": t.loc.describe(),
            }
            for t in _ordered(doc)
        ],
        "performance_tables": [
            {
                "kind": p.kind,
                "project": p.project,
                "title": p.title,
                "indicators": len(p.indicators),
                "location": p.loc.describe(),
            }
            for p in doc.performance
        ],
        "extra_tables": [
            {"title": t.title, "rows": len(t.rows), "location": t.loc.describe()}
            for t in doc.extra_tables
        ],
    }


def all_tables_json(doc: Document) -> dict[str, Any]:
    """`show FILE --table all -f json`: every table with its rows."""
    return {
        "format_version": FORMAT_VERSION,
        "document": _document_header(doc),
        "tables": [table_json(t, doc) for t in _ordered(doc)],
    }


def _document_header(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.source.path,
        "format": doc.source.format,
        "profile": doc.profile,
        "profile_confidence": doc.profile_confidence,
        "department": doc.department,
        "year": doc.year,
        "kind": doc.kind,
    }


def _ordered(doc: Document) -> list[Table]:
    return sorted(doc.tables.values(), key=lambda t: (t.number or 99, len(t.key), t.key))


CSV_FIELDS = [
    "table",
    "line",
    "page",
    "sheet",
    "cell",
    "kind",
    "code",
    "level",
    "name",
    "budget_unit",
    "project",
    "unit",
    "department",
]


def _csv_fixed(table: Table, row: Row, doc: Document) -> list[str]:
    return [
        table.key,
        " ".join(str(n) for n in row.loc.lines),
        str(row.loc.page or ""),
        row.loc.sheet or "",
        row.loc.cell or "",
        row.kind.value,
        row.code or "",
        str(row.level or ""),
        row.label,
        row.unit_name or "",
        row.project or "",
        table.unit.value if table.unit else "",
        doc.department or "",
    ]


def table_csv(table: Table, doc: Document) -> tuple[list[str], list[list[str]]]:
    """One table, wide: the fixed fields, then one column per amount column (by id)."""
    ids = column_ids(table)
    rows = [
        _csv_fixed(table, r, doc) + [_exact(_cell(r, c)) or "" for c in table.columns]
        for r in table.rows
    ]
    return CSV_FIELDS + ids, rows


def all_tables_csv(doc: Document) -> tuple[list[str], list[list[str]]]:
    """Every table, long: one line per row and amount column (tables differ in columns)."""
    header = [*CSV_FIELDS, "column", "column_label", "amount"]
    rows: list[list[str]] = []
    for table in _ordered(doc):
        ids = column_ids(table)
        for r in table.rows:
            fixed = _csv_fixed(table, r, doc)
            for i, c in zip(ids, table.columns, strict=True):
                value = _exact(_cell(r, c))
                if value is not None:
                    rows.append([*fixed, i, c.label, value])
    return header, rows


def statements_json(doc: Document) -> list[dict[str, Any]]:
    """The narrative's amount statements in the `show` vocabulary."""
    out = []
    for st in doc.statements:
        ch = st.change
        out.append(
            {
                "lines": list(st.loc.lines),
                "page": st.loc.page,
                "section": st.section,
                "subject": "/".join(st.path) if st.path else st.subject,
                "amount": str(st.amount.value) if st.amount else None,
                "amount_unit": st.amount.unit if st.amount else None,
                "share_percent": str(st.share.value) if st.share else None,
                "change": ch.word if ch else None,
                "change_amount": str(ch.amount.value) if ch and ch.amount else None,
                "change_amount_unit": ch.amount.unit if ch and ch.amount else None,
                "change_percent": str(ch.pct.value) if ch and ch.pct else None,
                "reason": st.reason,
            }
        )
    return out


def find_table(doc: Document, key: str) -> Table:
    """A table by any name `show` lists: key (T6, G2), number (6), name (表6, 公开06表),
    printed number, or title (exact, then part). Raises `LookupError` with the reason."""
    k = key.strip()
    tables = _ordered(doc)
    listed = "、".join(f"{t.name}（{t.key}）{t.title}" for t in tables)
    if not k:
        raise LookupError(f"请给出表号、键或标题；读到的表：{listed}")
    for t in tables:
        if t.key.upper() == k.upper():
            return t
    exact = [t for t in tables if k in (t.name, t.title, t.printed_title, t.label)]
    if len(exact) == 1:
        return exact[0]
    digits = k.removeprefix("表").removeprefix("第").removesuffix("表")
    if digits.isdigit():
        n = int(digits)
        hits = [t for t in tables if t.number == n] or [
            t for t in tables if _printed_number(t.name) == n
        ]
        if len(hits) == 1:
            return hits[0]
        exact = exact or hits
    if not exact:
        exact = [t for t in tables if k in t.title or k in t.printed_title]
    if len(exact) == 1:
        return exact[0]
    if exact:
        names = "、".join(f"{t.name}（{t.key}）{t.title}" for t in exact)
        raise LookupError(f"「{k}」有歧义，可能是：{names}；请用键（如 {exact[0].key}）指定")
    raise LookupError(f"没有找到表「{k}」；读到的表：{listed}")


def _printed_number(name: str) -> int | None:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else None


def section_titles(doc: Document) -> dict[str, str]:
    """Narrative section key → its title in the template, for the terminal listing."""
    try:
        from yusuan.profiles import load_profile

        prof = doc.inferred_profile or load_profile(doc.profile)
    except Exception:  # an unknown profile id: keys are shown as they are
        return {}
    return {s.key: s.title for s in prof.sections}


def document_overview(doc: Document) -> tuple[list[str], list[list[str]]]:
    header = ["表", "标题", "印刷标题", "单位", "行数", "可读", "位置"]
    rows = []
    for table in sorted(doc.tables.values(), key=lambda t: (t.number or 99, t.key)):
        rows.append(
            [
                table.name,
                table.title,
                table.printed_title,
                table.unit.value if table.unit else "",
                str(len(table.rows)),
                ("是（空表）" if _empty(table) else "是")
                if table.readable
                else "否：" + "；".join(table.problems[:2]),
                table.loc.describe(),
            ]
        )
    for perf in doc.performance:
        name = (
            "部门整体绩效目标表"
            if perf.kind == "overall"
            else f"项目支出绩效目标表 {perf.project or ''}"
        )
        rows.append(
            ["绩效", name, perf.title, "万元", str(len(perf.indicators)), "是", perf.loc.describe()]
        )
    for table in doc.extra_tables:
        rows.append(
            [
                "—",
                "（不属于模板）",
                table.title,
                "",
                str(len(table.rows)),
                "—",
                table.loc.describe(),
            ]
        )
    return header, rows


def statements_rows(doc: Document) -> tuple[list[str], list[list[str]]]:
    header = ["行号", "章节", "主体", "金额", "占比", "增减", "增减额", "幅度", "原因"]
    rows = []
    titles = section_titles(doc)
    for st in doc.statements:
        ch = st.change
        rows.append(
            [
                "、".join(str(n) for n in st.loc.lines),
                titles.get(st.section, st.section) if st.section else "",
                "/".join(st.path) if st.path else st.subject,
                st.amount.raw if st.amount else "",
                f"{st.share.raw}%" if st.share else "",
                ch.word if ch else "",
                ch.amount.raw if ch and ch.amount else "",
                f"{ch.pct_word or ''}{ch.pct.raw}%" if ch and ch.pct else "",
                (st.reason or "")[:40],
            ]
        )
    return header, rows
