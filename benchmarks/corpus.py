"""Read and audit every disclosure of the development corpus; write docs/corpus.md.

    python benchmarks/corpus.py [CORPUS_DIR] [--out docs/corpus.md] [--json out/corpus.json]

Per document: the structure found (template or inferred; table kinds; columns named), tables
found and read, the tables the document's own 目录 lists and how many of them were read,
framed pieces without figures (counted apart), checks run and not run,
findings by severity, seconds. Every error finding is listed with its evidence, so that each
can be checked by hand against the page. Skipped quietly when the corpus folder is not there
(it is not part of the repository).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import yusuan
from yusuan.audit.findings import Severity
from yusuan.audit.rules.completeness import missing_listed

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "samples" / "corpus"


def _one(path: Path, profile: str | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        doc = yusuan.read(path, profile=profile)
    except yusuan.InputError as exc:
        return {"file": path.name, "refused": exc.message, "seconds": time.perf_counter() - started}
    report = yusuan.audit(doc)
    seconds = time.perf_counter() - started
    # A 报表目录 lists tables; it is no table of figures (as the report's coverage counts).
    # Framed pieces of no kind holding no figure (a list of unit names, or a table that fell
    # apart where a page frames only some of its columns): counted apart, as neither a table
    # read nor a table unread, so that a table in pieces does not pass for many read.
    pieces = [t for t in doc.extra_tables if t.kind is None and not t.rows]
    extras = [t for t in doc.extra_tables if t.kind != "contents" and (t.kind or t.rows)]
    tables = [*(t for t in doc.tables.values() if t.kind != "contents"), *extras]
    kinds = [t.kind for t in tables]
    columns = [c for t in doc.tables.values() for c in t.columns]
    named = sum(1 for c in columns if c.role)
    read_ok = [t for t in tables if t.readable]
    errors = [
        {
            "rule": f.rule,
            "message": f.message,
            "page": f.location.page,
        }
        for f in report.findings
        if f.severity is Severity.ERROR
    ]
    not_read = [n.message for n in doc.notes if n.kind in ("generic", "generic-table", "unread")]
    return {
        "file": path.name,
        "profile": doc.profile,
        "confidence": doc.profile_confidence,
        "department": doc.department,
        "year": doc.year,
        "tables": len(tables),
        "tables_read": len(read_ok),
        "pieces": len(pieces),
        "listed": len(doc.listed_tables),
        "listed_read": len(doc.listed_tables) - len(missing_listed(doc)),
        "kinds": [k for k in kinds if k],
        "columns": len(columns),
        "columns_named": named,
        "complete": bool(report.document["coverage"]["complete"]),
        "unread": [u["table"] for u in report.document["coverage"]["unread"]],
        "checks": report.summary.checks,
        "not_run": report.summary.not_run,
        "errors": report.summary.errors,
        "warnings": report.summary.warnings,
        "notices": report.summary.notices,
        "error_findings": errors,
        "notes": not_read,
        "seconds": round(seconds, 2),
    }


def _markdown(rows: list[dict[str, Any]], command: str) -> str:
    out = [
        "# The development corpus, read and audited",
        "",
        f"Produced by `{command}` over `../shared/samples/corpus/` (not in the repository; "
        "SOURCES.md there says where each file comes from). Each error finding below was checked "
        "against its page: [corpus-findings.md](corpus-findings.md) gives the verdict and the "
        "evidence for each, and the misreads found and fixed on the way.",
        "",
        "| file | structure | dept / year | tables (read) | 目录 tables read | "
        "pieces without figures | kinds | columns named | all read | checks | not run | E | W | N "
        "| s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "refused" in r:
            out.append(
                f"| {r['file']} | 拒绝：{r['refused']} | | | | | | | | | | | | {r['seconds']:.2f} |"
            )
            continue
        out.append(
            f"| {r['file']} | {r['profile']} ({r['confidence']}) | {r['department'] or '—'} / "
            f"{r['year'] or '—'} | {r['tables']} ({r['tables_read']}) | "
            f"{_listed(r)} | {r['pieces'] or ''} | "
            f"{len(r['kinds'])} | "
            f"{r['columns_named']}/{r['columns']} | {'是' if r['complete'] else '否'} | "
            f"{r['checks']} | {r['not_run']} | {r['errors']} | "
            f"{r['warnings']} | {r['notices']} | {r['seconds']:.2f} |"
        )
    listed = [r for r in rows if r.get("listed") and r.get("tables")]
    if listed:
        n = sum(r["listed"] for r in listed)
        read = sum(r["listed_read"] for r in listed)
        out += [
            "",
            f"Tables listed in the documents' own 目录 (in the {len(listed)} documents that print "
            f"one in running text and hold their tables): {n}, read {read} ({read / n:.0%}).",
        ]
    total_e = sum(r.get("errors", 0) for r in rows)
    out += ["", f"## Error findings ({total_e})", ""]
    for r in rows:
        for e in r.get("error_findings", []):
            page = f" (p. {e['page']})" if e.get("page") else ""
            out.append(f"- **{r['file']}**{page} `{e['rule']}` {e['message']}")
    secs = sorted(r["seconds"] for r in rows)
    if secs:
        out += ["", f"Median seconds per document: {secs[len(secs) // 2]:.2f}.", ""]
    return "\n".join(out) + "\n"


def _listed(row: dict[str, Any]) -> str:
    """`13/13`: of the tables the 目录 lists, those read; — when it prints none in text, or
    when the file holds no table (a 说明 whose 报表 is another file)."""
    if not row.get("listed") or not row.get("tables"):
        return "—"
    return f"{row['listed_read']}/{row['listed']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=None, help="write the Markdown table here")
    parser.add_argument("--json", type=Path, default=None, help="write per-document JSON here")
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--profile", default=None, help="force a template (e.g. generic)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus} (skipped)")
        return 0
    files = sorted(p for p in args.corpus.rglob("*.pdf") if args.only in p.name)
    rows = []
    for n, path in enumerate(files, 1):
        row = _one(path, args.profile)
        rows.append(row)
        status = row.get("refused") or (
            f"{row['profile']} tables {row['tables_read']}/{row['tables']} "
            f"E{row['errors']} W{row['warnings']} notrun {row['not_run']}"
        )
        print(f"[{n}/{len(files)}] {path.name}: {status} ({row['seconds']:.1f}s)", flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.out:
        command = "python benchmarks/corpus.py --out " + str(args.out)
        args.out.write_text(_markdown(rows, command), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
