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
from typing import TYPE_CHECKING, Any

from yusuan.errors import YusuanError

if TYPE_CHECKING:
    from yusuan.audit.report import Report
    from yusuan.reporters.regions import Regions

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


def audit_upload(
    uploads: list[Path], out: Path, names: list[str], corpus: str | None = None
) -> dict[str, Any]:
    """Read and audit the stored `uploads` (several: one document set, as `yusuan.read_set`
    reads them), write report.json/html, view.json and regions/ into `out`. `names` are the
    files as their user named them. `corpus`: the store to add the document to (a writer's
    upload of one file). Returns the summary, or {"error": message} for input that cannot be
    read."""
    import yusuan
    from yusuan.reporters.html import render_html
    from yusuan.reporters.regions import page_regions
    from yusuan.web.tables import tables_view
    from yusuan.web.view import report_view

    labels = dict(zip((str(p) for p in uploads), names, strict=True))
    try:
        _progress(out, "read")
        # Bounded by yusuan.limits, time included.
        doc = (
            yusuan.read(uploads[0], name=names[0])
            if len(uploads) == 1
            else yusuan.read_set(uploads)
        )
    except YusuanError as exc:
        # Readers name the file they were given: the user knows it by its own name.
        message = exc.message
        for path, name in zip(uploads, names, strict=True):
            message = message.replace(str(path), name).replace(path.name, name)
        return {"error": message}
    _progress(out, "audit")
    report = yusuan.audit(doc)
    _progress(out, "render")
    crops = page_regions(report)  # reads the stored PDFs, so before the paths are replaced
    # The report names the uploads as their user named them, never the paths they are stored at.
    shown, crops = named(report, crops, labels)
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
    view["checklist"] = _checklist(doc, report, out / "checklist.xlsx", shown.document["path"])
    tables, links = tables_view(doc, report)
    for item in view["findings"]:
        item["tables"] = [{"key": k, "name": tables[k]["name"]} for k in links.get(item["n"], [])]
    (out / "tables.json").write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    (out / "view.json").write_text(json.dumps(view, ensure_ascii=False), encoding="utf-8")
    s = shown.summary
    result: dict[str, Any] = {
        "errors": s.errors,
        "warnings": s.warnings,
        "notices": s.notices,
        "verdict": view["verdict"],
        "title": view["title"],
    }
    if corpus is not None:
        doc_id, problem = add_to_corpus(corpus, uploads[0], doc, shown, names[0])
        result["corpus_doc_id"], result["corpus_error"] = doc_id, problem
    return result


def add_to_corpus(
    db: str, upload: Path, doc: Any, report: Report, name: str
) -> tuple[str | None, str | None]:
    """Store the read and audited upload in the corpus as `yusuan batch` would (same document
    id: the hash of its bytes; its file name as uploaded; compared with its department's other
    years), unless it is there already. (doc_id, None), or (None, why not)."""
    import time

    from yusuan import __version__
    from yusuan.batch.runner import file_hash
    from yusuan.batch.years import check_years
    from yusuan.store import build_record, open_store

    doc_id, size = file_hash(upload)
    record = build_record(doc, report, doc_id=doc_id, path=name, size_bytes=size)
    end = time.monotonic() + 30
    while True:  # DuckDB: one process writes, and not while the server is reading
        try:
            store = open_store(db)
            break
        except YusuanError as exc:
            return None, exc.message
        except Exception as exc:
            if time.monotonic() > end:
                log.warning("corpus busy: %s", exc)
                return None, "语料库正忙，未能写入，请稍后重新上传"
            time.sleep(0.2)
    try:
        if doc_id not in store.stored():
            run_id = store.begin_run(__version__, "web", 1, f"yusuan serve: {name}")
            fresh = store.put(record, run_id, __version__)
            check_years(store, [doc_id], __version__)
            store.finish_run(run_id, 1, int(fresh), int(not fresh), 0)
    except Exception:
        log.exception("adding %s to the corpus", name)
        return None, "写入语料库时出错（请报告此问题）"
    finally:
        store.close()
    return doc_id, None


def named(report: Report, crops: Regions, labels: dict[str, str]) -> tuple[Report, Regions]:
    """The report with every stored path replaced by the file's name as uploaded: the document's
    path, a set's files, each finding's file and the quoted lines' keys. The page regions follow
    their findings (they are kept by finding)."""
    document = dict(report.document)
    files = document.get("files")
    if files:
        document["files"] = [{**f, "path": labels.get(f["path"], f["path"])} for f in files]
        document["path"] = " + ".join(f["path"] for f in document["files"])
    else:
        document["path"] = next(iter(labels.values()))
    findings = tuple(
        replace(f, location=replace(f.location, file=labels[f.location.file]))
        if f.location.file in labels
        else f
        for f in report.findings
    )
    shown = replace(
        report,
        document=document,
        findings=findings,
        file_lines=tuple((labels.get(p, p), lines) for p, lines in report.file_lines),
    )
    images = {
        id(new): uri
        for old, new in zip(report.findings, findings, strict=True)
        if (uri := crops.of(old)) is not None
    }
    return shown, replace(crops, images=images)


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
