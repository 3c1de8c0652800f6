"""The 检查表 as an XLSX workbook, in the layout of the official checklists.

Sheet 1 is the checklist itself: title, 单位名称, the file checked, then one row per item
(group, item, 是否合格, 问题描述 with pages and quoted text), and below the table the page region
of every problem as an embedded picture with its caption (图1, 图2 … referred to from the
问题描述), as inspectors paste their screenshots. Sheet 2 lists the compliance items and the
score. Nothing is computed here: rows, verdicts and score come from `yusuan.checklist`.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from yusuan.audit.findings import Finding, Severity
from yusuan.audit.report import Report
from yusuan.checklist import FAIL, MANUAL, Checklist
from yusuan.checklist.compliance import Score
from yusuan.model.document import Document
from yusuan.reporters.regions import page_regions

IMAGE_LIMIT = 60  # pictures per checklist (errors first); the rest are cited by page only
MAX_IMAGE_WIDTH = 900  # px: about the width of columns B–E
PAGE_SCALE = 0.5  # whole-page pictures (a blank page has no box to crop)
ROW_PX = 20  # default row height (15 pt) in pixels


@dataclass(slots=True)
class Picture:
    number: int
    finding: Finding
    item: str
    png: bytes


def render_checklist_xlsx(
    checklist: Checklist, report: Report, score: Score | None = None
) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    pictures, note = _pictures(checklist, report)
    by_finding = {id(p.finding): p.number for p in pictures}

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{checklist.year or ''}年{checklist.entity}{checklist.kind}"[:31]
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for letter, width in zip("ABCDE", (11.8, 18.7, 40.0, 12.0, 70.0), strict=True):
        ws.column_dimensions[letter].width = width

    ws.merge_cells("A1:E1")
    ws["A1"] = checklist.title
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = centre
    ws.row_dimensions[1].height = 30
    ws["A3"] = f"单位名称: {checklist.department}"
    ws["A3"].font = Font(bold=True)
    ws.merge_cells("A3:D3")
    ws["A4"] = f"检查文件：{Path(checklist.source).name}"
    ws["A4"].font = Font(bold=True)
    ws.merge_cells("A4:E4")
    header = 5
    ws.merge_cells(start_row=header, start_column=1, end_row=header, end_column=3)
    heads: tuple[tuple[int, str], ...] = (
        (1, checklist.content_header),
        (4, "符合要求"),
        (5, "问题描述（截图见表下）"),
    )
    for col, head in heads:
        cell = ws.cell(row=header, column=col, value=head)
        cell.font = Font(bold=True)
        cell.alignment = centre
    row = header + 1
    group_start: dict[str, int] = {}
    group_end: dict[str, int] = {}
    for item in checklist.items:
        group_start.setdefault(item.group, row)
        group_end[item.group] = row
        ws.cell(row=row, column=1, value=item.group).alignment = centre
        ws.cell(row=row, column=2, value=item.name).alignment = wrap
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        status = ws.cell(row=row, column=4, value=item.status)
        status.alignment = centre
        if item.status == FAIL:
            status.font = Font(bold=True, color="C00000")
        elif item.status == MANUAL:
            status.font = Font(color="7F6000")
        text = _description(item.findings, by_finding) if item.findings else item.note
        ws.cell(row=row, column=5, value=text or None).alignment = wrap
        ws.row_dimensions[row].height = _height(text)
        row += 1
    last = row - 1
    for group, start in group_start.items():
        if group_end[group] > start:
            ws.merge_cells(start_row=start, start_column=1, end_row=group_end[group], end_column=1)
    for r in range(header, last + 1):
        for c in range(1, 6):
            ws.cell(row=r, column=c).border = box

    row = last + 2
    if note:
        ws.cell(row=row, column=2, value=note)
        row += 1
    row = _place_pictures(ws, pictures, row)
    ws.print_area = f"A1:{get_column_letter(5)}{max(row, last)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if score is not None:
        _score_sheet(wb, score)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _description(findings: list[Finding], pictures: dict[int, int]) -> str:
    lines = []
    for n, f in enumerate(findings, 1):
        where = f"第 {f.location.page} 页：" if f.location.page else ""
        tail = "（需人工确认）" if f.severity is Severity.WARNING else ""
        figure = f"（见图{pictures[id(f)]}）" if id(f) in pictures else ""
        lines.append(f"{n}.{where}{f.message}{tail}{figure}")
    return "\n".join(lines)


def _height(text: str | None) -> float:
    if not text:
        return 20.0
    per_line = 44  # Chinese characters per line of column E (width 70)
    lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
    return float(min(409, max(20, 15 * lines + 6)))


def _pictures(checklist: Checklist, report: Report) -> tuple[list[Picture], str]:
    """A picture for each problem shown (page region, or the whole page without a box)."""
    shown: list[tuple[str, Finding]] = []
    seen: set[int] = set()
    for item in checklist.items:
        for f in item.findings:
            if id(f) not in seen and f.location.page:
                seen.add(id(f))
                shown.append((item.name, f))
    if report.document.get("format") != "pdf" or not shown:
        return [], ""
    ordered = sorted(shown, key=lambda x: x[1].severity.rank)[:IMAGE_LIMIT]
    keep = {id(f) for _, f in ordered}
    subset = replace(report, findings=tuple(f for _, f in shown if id(f) in keep))
    regions = page_regions(subset, limit=IMAGE_LIMIT)
    pages = _whole_pages(
        Path(str(report.document.get("path") or "")),
        {f.location.page for _, f in ordered if f.location.bbox is None and f.location.page},
    )
    pictures: list[Picture] = []
    for name, f in shown:
        if id(f) not in keep:
            continue
        uri = regions.of(f)
        png = base64.b64decode(uri.split(",", 1)[1]) if uri else pages.get(f.location.page or 0)
        if png:
            pictures.append(Picture(len(pictures) + 1, f, name, png))
    note = regions.note
    if len(shown) > len(ordered):
        note = f"只为前 {len(ordered)} 个问题附截图（错误优先），其余请按页码查看原文件"
    return pictures, note


def _whole_pages(path: Path, numbers: set[int]) -> dict[int, bytes]:
    if not numbers or not path.is_file():
        return {}
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - a core dependency
        return {}
    out: dict[int, bytes] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for n in sorted(numbers):
            if not 1 <= n <= len(pdf):
                continue
            page = pdf[n - 1]
            try:
                image = page.render(scale=PAGE_SCALE, grayscale=True).to_pil().convert("RGB")
            finally:
                page.close()
            buf = io.BytesIO()
            image.quantize(colors=16).save(buf, format="PNG")
            out[n] = buf.getvalue()
    finally:
        pdf.close()
    return out


def _place_pictures(ws: Any, pictures: list[Picture], row: int) -> int:
    from openpyxl.drawing.image import Image as XlImage  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]

    for pic in pictures:
        f = pic.finding
        caption = f"图{pic.number}　{pic.item}"
        if f.location.page:
            caption += f"　第 {f.location.page} 页"
        ws.cell(row=row, column=2, value=caption).font = Font(bold=True)
        row += 1
        image = XlImage(io.BytesIO(pic.png))
        width, height = image.width, image.height
        if width > MAX_IMAGE_WIDTH:
            height = round(height * MAX_IMAGE_WIDTH / width)
            width = MAX_IMAGE_WIDTH
        image.width, image.height = width, height
        ws.add_image(image, f"B{row}")
        row += -(-height // ROW_PX) + 1
    return row


def _score_sheet(wb: Any, score: Score) -> None:
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped, unused-ignore]

    ws = wb.create_sheet("合规要点与评分")
    for col, width in zip("ABCDE", (28, 10, 10, 10, 70), strict=True):
        ws.column_dimensions[col].width = width
    ws["A1"] = f"合规得分：{score.total}（满分 100）"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"完整性 {score.completeness} / {score.completeness_max}；"
        f"准确性 {score.accuracy} / {score.accuracy_max}（自动判断的 {score.rows_judged} 项中"
        f"合格 {score.rows_passed} 项；错误 {score.errors} 处，警告 {score.warnings} 处）"
    )
    ws.append([])
    ws.append(["合规要点", "权重", "是否具备", "得分", "依据"])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for c in score.items:
        ws.append([c.name, c.weight, "是" if c.met else "否", c.points, c.evidence])
        ws.cell(row=ws.max_row, column=5).alignment = Alignment(wrap_text=True)
    ws.append([])
    ws.append(["权重与计分方法见 docs/checklist.md；数据文件 yusuan/checklist/compliance.toml"])


def write_checklist(doc: Document, report: Report, output: Path) -> str:
    """Build, score and write the 检查表 of an audited document (atomically); returns the line
    to tell the user."""
    from yusuan.checklist import build_checklist
    from yusuan.checklist.compliance import score_document
    from yusuan.output import write_bytes_atomic

    checklist = build_checklist(doc, report)
    score = score_document(doc, report, checklist)
    write_bytes_atomic(output, render_checklist_xlsx(checklist, report, score))
    failed = sum(1 for i in checklist.items if i.status == FAIL)
    manual = sum(1 for i in checklist.items if i.status == MANUAL)
    return (
        f"已写入 {output}：{len(checklist.items)} 项，不合格 {failed} 项，需人工检查 {manual} 项；"
        f"{score_summary(score)}"
    )


def score_summary(score: Score) -> str:
    return f"合规得分 {score.total}（完整性 {score.completeness}/{score.completeness_max}，准确性 {score.accuracy}/{score.accuracy_max}）"


__all__ = ["render_checklist_xlsx", "score_summary", "write_checklist"]
