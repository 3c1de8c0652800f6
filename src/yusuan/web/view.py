"""A finished report as the data its web page shows, computed once when the job ends.

Stored as JSON next to the report, so a report page needs neither the upload nor the `Report`
object after a restart. Wording and grouping come from `yusuan.reporters.common` (shared with
the other reporters); nothing here computes a figure.
"""

from __future__ import annotations

from typing import Any

from yusuan.audit.report import Report
from yusuan.reporters.common import grouped, summary_line, title, verdict, where
from yusuan.reporters.regions import Regions

EVIDENCE_LINES = 8
_TAGS = ("<b>", "</b>", "<p>", "</p>")


def _cells(line: str) -> list[str]:
    """A quoted source line as its cells: tab-separated, the converter's bold marks dropped.
    Anything else (including markup a hostile document carries) stays text, escaped on output."""
    out = []
    for cell in line.split("\t"):
        for tag in _TAGS:
            cell = cell.replace(tag, "")
        out.append(cell)
    return out


def report_view(report: Report, regions: Regions) -> dict[str, Any]:
    index = {id(f): n for n, f in enumerate(report.findings)}
    s = report.summary
    findings: list[dict[str, Any]] = []
    families: list[str] = []
    for sev, groups in grouped(report):
        for family, members in groups:
            if family not in families:
                families.append(family)
            for f in members:
                quoted = report.evidence(f, limit=EVIDENCE_LINES)
                findings.append(
                    {
                        "n": index[id(f)],
                        "rule": f.rule,
                        "slug": f.slug,
                        "severity": sev.value,
                        "severity_label": sev.label,
                        "family": family,
                        "message": f.message,
                        "where": where(f),
                        "expected": f.expected,
                        "actual": f.actual,
                        "difference": f.difference,
                        "evidence": [{"line": n, "cells": _cells(t)} for n, t in quoted],
                        "more": max(0, len(f.location.lines) - len(quoted)),
                        "region": regions.of(f) is not None,
                        "page": f.location.page,
                        "file": f.location.file,  # of a document set: the file it is in
                    }
                )
    return {
        "title": title(report),
        "verdict": verdict(report),
        "verdict_class": "bad" if s.errors else ("warn" if s.warnings else "good"),
        "summary_line": summary_line(report),
        "summary": s.to_dict(),
        "document": report.document,
        "families": families,
        "findings": findings,
        "not_run": [{"rule": n.rule, "slug": n.slug, "reason": n.reason} for n in report.not_run],
        "regions_note": regions.note,
    }
