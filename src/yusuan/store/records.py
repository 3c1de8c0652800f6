"""A read and audited document as plain rows, ready to store.

Workers (local processes or Dask) build a `DocumentRecord` next to the file and send it to the
process that owns the database connection: the record is made of tuples of str, int, bool and
Decimal, so it pickles small and fast and the storing side never touches the model again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from yusuan.money import Unit

if TYPE_CHECKING:
    from yusuan.audit.report import Report
    from yusuan.model.document import Document
    from yusuan.model.narrative import Figure, Statement
    from yusuan.model.provenance import Loc

STATUS_OK = "ok"
STATUS_FAILED = "failed"

_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")

# Column order of the stored rows (the same names as the columns of migrations/0001).
TABLE_COLUMNS = (
    "doc_id",
    "table_no",
    "table_key",
    "number",
    "kind",
    "title",
    "printed_title",
    "unit",
    "profiled",
    "readable",
    "problems",
    "n_rows",
    "page",
    "line",
    "sheet",
    "bbox",
)
CELL_COLUMNS = (
    "doc_id",
    "table_no",
    "row_no",
    "col_no",
    "row_kind",
    "code",
    "name",
    "level",
    "panel",
    "unit_name",
    "project",
    "column_key",
    "column_label",
    "column_role",
    "value",
    "value_yuan",
    "text",
    "unit",
    "decimals",
    "malformed",
    "page",
    "bbox",
    "line",
    "sheet",
    "cell",
)
STATEMENT_COLUMNS = (
    "doc_id",
    "seq",
    "section",
    "subject",
    "path",
    "text",
    "amount",
    "amount_unit",
    "amount_yuan",
    "share",
    "change_word",
    "change_amount",
    "change_yuan",
    "pct_word",
    "pct",
    "reason",
    "page",
    "line",
    "amount_half_yuan",
    "last_year_yuan",
    "last_year_half_yuan",
)
FINDING_COLUMNS = (
    "doc_id",
    "seq",
    "rule",
    "slug",
    "severity",
    "message",
    "table_name",
    "row_label",
    "column_label",
    "section",
    "page",
    "lines",
    "sheet",
    "cell",
    "expected",
    "actual",
    "difference",
    "evidence",
)


@dataclass(slots=True)
class DocumentRecord:
    """One file's outcome: the document's facts and its rows, or why it could not be read."""

    doc_id: str  # sha256 of the file's bytes
    path: str
    file_name: str
    size_bytes: int
    status: str
    reason: str | None = None
    format: str | None = None
    region: str | None = None
    level: str | None = None
    department: str | None = None
    unit_name: str | None = None
    year: int | None = None
    kind: str | None = None
    scope: str | None = None
    profile: str | None = None
    profile_name: str | None = None
    profile_confidence: float | None = None
    pages: int | None = None
    errors: int = 0
    warnings: int = 0
    notices: int = 0
    checks: int = 0
    not_run: int = 0
    unread: str | None = None  # what could not be read, in Chinese
    seconds: float = 0.0  # read + audit time in the worker
    cpu_seconds: float = 0.0  # its CPU time (not stored: for benchmarks)
    report_html: str | None = None  # the per-document HTML report, when asked for
    tables: list[tuple[object, ...]] = field(default_factory=list)
    cells: list[tuple[object, ...]] = field(default_factory=list)
    statements: list[tuple[object, ...]] = field(default_factory=list)
    findings: list[tuple[object, ...]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK


# ───────────────────────────── facts about the document ─────────────────────────────

_REGION = re.compile(
    r"(?:中共|中国共产党)?"
    r"([\u4e00-\u9fff]{2,8}?(?:省|自治区|特别行政区)|北京市|天津市|上海市|重庆市|"
    r"[\u4e00-\u9fff]{2,4}?市)"
)
_PROVINCE_CITIES = ("北京市", "天津市", "上海市", "重庆市")


def region_of(department: str | None) -> tuple[str | None, str | None]:
    """(region, level) guessed from the department's name: `广州市交通运输局` → (广州市, 市).

    Municipalities directly under the central government count as 省级. None when the name
    does not start with a place (`自治区人力资源和社会保障厅` names no province)."""
    if not department:
        return None, None
    text = re.sub(r"^\d{4}年度?", "", department)
    m = _REGION.match(text)
    if m is None:
        return None, None
    region = m.group(1)
    if region in _PROVINCE_CITIES or region.endswith(("省", "自治区", "特别行政区")):
        return region, "省"
    return region, "市"


def _bbox(loc: Loc) -> str | None:
    if loc.bbox is None:
        return None
    return ",".join(f"{x:.1f}" for x in loc.bbox)


def _printed(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value if value == value.quantize(_MICRO) else value.quantize(_MICRO)


def in_yuan(value: Decimal | None, unit: Unit | None) -> Decimal | None:
    """The value in 元 to the cent (exact for every amount printed to 0.01 元 or coarser)."""
    if value is None or unit is None:
        return None
    return (value * unit.in_yuan).quantize(_CENT)


def _figure(fig: Figure | None) -> tuple[Decimal | None, str | None, Decimal | None]:
    if fig is None:
        return None, None, None
    unit = Unit.parse(fig.unit) if fig.unit not in ("%", "") else None
    return _printed(fig.value), fig.unit or None, in_yuan(fig.value, unit)


def _half_yuan(fig: Figure | None) -> Decimal | None:
    """Half a unit of the figure's last printed digit, in 元 (its rounding allowance)."""
    if fig is None:
        return None
    unit = Unit.parse(fig.unit) if fig.unit not in ("%", "") else None
    if unit is None:
        return None
    # Rounded up to the cent the column keeps (0.005 元 → 0.01): never a smaller allowance.
    return (fig.half_unit * unit.in_yuan).quantize(_CENT, rounding=ROUND_CEILING)


def implied_last_year(st: Statement) -> tuple[Decimal | None, Decimal | None]:
    """Last year's amount in 元 that `X，比上年增加/减少 A` implies (X ∓ A; 持平: X), with the
    rounding allowance of X and A; (None, None) without an amount and a change in money."""
    ch = st.change
    x = in_yuan(st.amount.value, _unit(st.amount)) if st.amount else None
    hx = _half_yuan(st.amount)
    if ch is None or x is None or hx is None:
        return None, None
    if ch.amount is None:
        return (x, hx) if ch.word == "持平" else (None, None)
    a = in_yuan(ch.amount.value, _unit(ch.amount))
    ha = _half_yuan(ch.amount)
    if a is None or ha is None:
        return None, None
    return x - ch.sign * a, hx + ha


def _unit(fig: Figure) -> Unit | None:
    return Unit.parse(fig.unit) if fig.unit not in ("%", "") else None


def build_record(
    doc: Document,
    report: Report,
    *,
    doc_id: str,
    path: str,
    size_bytes: int,
    seconds: float = 0.0,
) -> DocumentRecord:
    """Flatten a read and audited document into rows."""
    from pathlib import PurePath

    region, level = region_of(doc.department)
    scope = str(report.document.get("entity") or "部门")
    rec = DocumentRecord(
        doc_id=doc_id,
        path=path,
        file_name=PurePath(path).name,
        size_bytes=size_bytes,
        status=STATUS_OK,
        format=doc.source.format,
        region=region,
        level=level,
        department=doc.department,
        unit_name=doc.department if scope == "单位" else None,
        year=doc.year,
        kind=doc.kind,
        scope=scope,
        profile=doc.profile,
        profile_name=doc.profile_name or None,
        profile_confidence=float(doc.profile_confidence),
        pages=doc.source.pages,
        errors=report.summary.errors,
        warnings=report.summary.warnings,
        notices=report.summary.notices,
        checks=report.summary.checks,
        not_run=report.summary.not_run,
        seconds=seconds,
    )
    unread: list[str] = []
    tables = [(t, True) for t in doc.tables.values()] + [(t, False) for t in doc.extra_tables]
    for no, (table, profiled) in enumerate(tables, start=1):
        if not table.readable or table.problems:
            unread.append(f"{table.name}：{'；'.join(table.problems) or '无法读取'}")
        loc = table.loc
        rec.tables.append(
            (
                doc_id,
                no,
                table.key,
                table.number,
                table.kind,
                table.title,
                table.printed_title,
                table.unit.value if table.unit else None,
                profiled,
                table.readable,
                "；".join(table.problems) or None,
                len(table.rows),
                loc.page,
                loc.first_line,
                loc.sheet,
                _bbox(loc),
            )
        )
        order = {c.key: i for i, c in enumerate(table.columns)}
        labels = {c.key: c.label for c in table.columns}
        roles = {c.key: c.role for c in table.columns}
        for row_no, row in enumerate(table.rows, start=1):
            name = row.project if row.project else row.label
            for key, cell in row.cells.items():
                col_no = order.get(key, len(order) + len(row.cells))
                cl = cell.loc
                rec.cells.append(
                    (
                        doc_id,
                        no,
                        row_no,
                        col_no,
                        row.kind.value,
                        row.code,
                        name,
                        row.level,
                        row.panel,
                        row.unit_name,
                        row.project,
                        key,
                        labels.get(key, key),
                        roles.get(key),
                        _printed(cell.value),
                        in_yuan(cell.value, table.unit),
                        cell.text,
                        table.unit.value if table.unit else None,
                        cell.decimals,
                        cell.malformed,
                        cl.page,
                        _bbox(cl),
                        cl.first_line,
                        cl.sheet,
                        cl.cell,
                    )
                )
    for seq, st in enumerate(doc.statements, start=1):
        amount, amount_unit, amount_yuan = _figure(st.amount)
        last, last_half = implied_last_year(st)
        change = st.change
        ch_amount, _, ch_yuan = _figure(change.amount if change else None)
        rec.statements.append(
            (
                doc_id,
                seq,
                st.section,
                st.subject,
                "/".join(st.path) or None,
                st.text,
                amount,
                amount_unit,
                amount_yuan,
                _printed(st.share.value) if st.share else None,
                change.word if change else None,
                ch_amount,
                ch_yuan,
                change.pct_word if change else None,
                _printed(change.pct.value) if change and change.pct else None,
                st.reason,
                st.loc.page,
                st.loc.first_line,
                _half_yuan(st.amount),
                last,
                last_half,
            )
        )
    for seq, f in enumerate(report.findings, start=1):
        where = f.location
        rec.findings.append(
            (
                doc_id,
                seq,
                f.rule,
                f.slug,
                f.severity.value,
                f.message,
                where.table,
                where.row,
                where.column,
                where.section,
                where.page,
                ",".join(str(n) for n in where.lines) or None,
                where.sheet,
                where.cell,
                f.expected,
                f.actual,
                f.difference,
                "\n".join(f"{n}: {t}" for n, t in report.evidence(f)) or None,
            )
        )
    rec.unread = "；".join(unread) or None
    return rec


def failed_record(
    doc_id: str, path: str, size_bytes: int, reason: str, seconds: float = 0.0
) -> DocumentRecord:
    from pathlib import PurePath

    return DocumentRecord(
        doc_id=doc_id,
        path=path,
        file_name=PurePath(path).name,
        size_bytes=size_bytes,
        status=STATUS_FAILED,
        reason=reason,
        seconds=seconds,
    )
