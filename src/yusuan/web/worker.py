"""One job's work, run in a worker process: read, audit, write the results.

A separate process per worker, not a thread: PDFium (under the PDF reader and the page-region
crops) is not thread-safe, a hostile file that crashes the reader takes down only its worker,
and two workers use two cores. Progress goes to `progress.json` in the job's directory, which
the server reads; the result is a small dict (pickled back).
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from yusuan.errors import YusuanError

log = logging.getLogger("yusuan.web")
STAGES = {"read": ("读取文件", 0.1), "audit": ("审核", 0.5), "render": ("生成报告", 0.8)}


def _progress(out: Path, step: str) -> None:
    stage, fraction = STAGES[step]
    tmp = out / "progress.tmp"
    tmp.write_text(json.dumps({"stage": stage, "progress": fraction}), encoding="utf-8")
    tmp.replace(out / "progress.json")


def read_progress(out: Path) -> tuple[str, float] | None:
    try:
        data = json.loads((out / "progress.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(data["stage"]), float(data["progress"])


def audit_upload(upload: Path, out: Path, name: str) -> dict[str, Any]:
    """Read and audit `upload`, write report.json/html, view.json and regions/ into `out`.
    Returns the summary, or {"error": message} for input that cannot be read."""
    import yusuan
    from yusuan.reporters.html import render_html
    from yusuan.reporters.regions import page_regions
    from yusuan.web.tables import tables_view
    from yusuan.web.view import report_view

    try:
        _progress(out, "read")
        doc = yusuan.read(upload, name=name)  # bounded by yusuan.limits, time included
    except YusuanError as exc:
        # Readers name the file they were given: the user knows it by its own name.
        return {"error": exc.message.replace(str(upload), name).replace(upload.name, name)}
    _progress(out, "audit")
    report = yusuan.audit(doc)
    _progress(out, "render")
    crops = page_regions(report)  # reads the stored PDF, so before the path is replaced
    # The report names the upload as its user named it, never the path it is stored at.
    shown = replace(report, document={**report.document, "path": name})
    (out / "report.json").write_text(shown.to_json(), encoding="utf-8")
    (out / "report.html").write_text(render_html(shown, crops=crops), encoding="utf-8")
    view = report_view(shown, crops)
    regions = out / "regions"
    regions.mkdir(exist_ok=True)
    for item in view["findings"]:
        uri = crops.of(shown.findings[item["n"]])
        if uri is not None:
            png = base64.b64decode(uri.split(",", 1)[1])
            (regions / f"{item['n']}.png").write_bytes(png)
    view["checklist"] = _checklist(doc, report, out / "checklist.xlsx", name)
    tables, links = tables_view(doc, report)
    for item in view["findings"]:
        item["tables"] = [{"key": k, "name": tables[k]["name"]} for k in links.get(item["n"], [])]
    (out / "tables.json").write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    (out / "view.json").write_text(json.dumps(view, ensure_ascii=False), encoding="utf-8")
    s = shown.summary
    return {
        "errors": s.errors,
        "warnings": s.warnings,
        "notices": s.notices,
        "verdict": view["verdict"],
        "title": view["title"],
    }


def _checklist(doc: Any, report: Any, target: Path, name: str) -> bool:
    """The 检查表 XLSX (as `yusuan audit -f checklist`), naming the upload as its user did; the
    report (with the stored path) gives the page pictures. An extra: if it cannot be made, the
    report page goes without its link rather than without its report."""
    try:
        from yusuan.checklist import build_checklist
        from yusuan.checklist.compliance import score_document
        from yusuan.reporters.checklist import render_checklist_xlsx

        checklist = replace(build_checklist(doc, report), source=name)
        score = score_document(doc, report, checklist)
        target.write_bytes(render_checklist_xlsx(checklist, report, score))
    except Exception:
        log.exception("checklist of %s", name)
        return False
    return True
