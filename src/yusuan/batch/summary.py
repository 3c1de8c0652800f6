"""The inspector's workbook (`yusuan batch --summary 汇总.xlsx`): one sheet of documents, one
of every finding, laid out for Excel/WPS/LibreOffice (frozen header, filters, widths)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

from yusuan.store import Store

_SEVERITY = {"error": "错误", "warning": "警告", "notice": "提示"}
_STATUS = {"ok": "已审核", "failed": "无法读取"}

DOC_HEADER = (
    ("文件", 36),
    ("部门", 30),
    ("地区", 10),
    ("年度", 7),
    ("类型", 7),
    ("范围", 7),
    ("状态", 9),
    ("错误", 7),
    ("警告", 7),
    ("提示", 7),
    ("未能读取的内容", 50),
    ("报告", 14),
    ("模板", 22),
    ("页数", 7),
)
FINDING_HEADER = (
    ("文件", 36),
    ("部门", 30),
    ("年度", 7),
    ("规则", 8),
    ("名称", 24),
    ("级别", 7),
    ("页码", 7),
    ("行", 10),
    ("表", 10),
    ("说明", 90),
)


def _sheet(ws: Any, header: Sequence[tuple[str, int]], rows: list[list[Any]]) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    ws.append([h for h, _ in header])
    for i, (_, width) in enumerate(header, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(header))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"


def report_link(summary: Path, reports_dir: Path | None, path: str, doc_id: str) -> str | None:
    """The HTML report's path relative to the workbook, when it was written."""
    if reports_dir is None:
        return None
    from yusuan.batch.runner import _report_name

    target = reports_dir / _report_name(path, doc_id)
    if not target.exists():
        return None
    return os.path.relpath(target, summary.parent)


def write_summary(
    store: Store,
    doc_ids: Sequence[str],
    target: Path,
    reports_dir: Path | None = None,
) -> tuple[int, int]:
    """Write the workbook for the given documents; (documents, findings) written."""
    wanted = dict.fromkeys(doc_ids)
    _, docs = store.query(
        "SELECT doc_id, file_name, department, region, year, kind, scope, status, errors, "
        "warnings, notices, unread, reason, profile, pages, path FROM documents"
    )
    by_id = {r[0]: r for r in docs if r[0] in wanted}
    doc_rows: list[list[Any]] = []
    links: list[str | None] = []
    for doc_id in wanted:
        r = by_id.get(doc_id)
        if r is None:
            continue
        ok = r[7] == "ok"
        link = report_link(target, reports_dir, str(r[15]), doc_id) if ok else None
        links.append(link)
        doc_rows.append(
            [
                r[1],
                r[2] or "",
                r[3] or "",
                r[4],
                r[5] or "",
                r[6] or "",
                _STATUS.get(str(r[7]), r[7]),
                r[8] if ok else None,
                r[9] if ok else None,
                r[10] if ok else None,
                (r[11] or "") if ok else (r[12] or ""),
                "打开报告" if link else "",
                r[13] or "",
                r[14],
            ]
        )
    _, found = store.query(
        "SELECT doc_id, seq, rule, slug, severity, page, lines, table_name, message "
        "FROM findings ORDER BY doc_id, seq"
    )
    order = {d: i for i, d in enumerate(wanted)}
    found = sorted((f for f in found if f[0] in by_id), key=lambda f: (order[f[0]], f[1]))
    finding_rows = [
        [
            by_id[f[0]][1],
            by_id[f[0]][2] or "",
            by_id[f[0]][4],
            f[2],
            f[3],
            _SEVERITY.get(str(f[4]), f[4]),
            f[5],
            f[6] or "",
            f[7] or "",
            f[8],
        ]
        for f in found
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "文件"
    _sheet(ws, DOC_HEADER, doc_rows)
    link_col = [h for h, _ in DOC_HEADER].index("报告") + 1
    for i, link in enumerate(links, start=2):
        if link:
            cell = ws.cell(row=i, column=link_col)
            cell.hyperlink = link
            cell.style = "Hyperlink"
    _sheet(wb.create_sheet("问题"), FINDING_HEADER, finding_rows)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return len(doc_rows), len(finding_rows)
