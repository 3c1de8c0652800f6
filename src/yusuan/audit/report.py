"""The audit report: findings, checks not run, and counts — serialisable to JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from yusuan.audit.findings import Finding, NotRun, Severity

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Summary:
    checks: int
    passed: int
    errors: int
    warnings: int
    notices: int
    not_run: int

    def to_dict(self) -> dict[str, int]:
        return {
            "checks": self.checks,
            "passed": self.passed,
            "errors": self.errors,
            "warnings": self.warnings,
            "notices": self.notices,
            "not_run": self.not_run,
        }


@dataclass(frozen=True, slots=True)
class RuleStats:
    rule: str
    slug: str
    title: str
    checks: int
    passed: int


@dataclass(frozen=True, slots=True)
class Report:
    document: dict[str, Any]
    findings: tuple[Finding, ...]
    not_run: tuple[NotRun, ...]
    summary: Summary
    rules: tuple[RuleStats, ...]
    source_lines: tuple[str, ...] = ()
    # A document set's text files: (path, lines), for quoting findings located in them.
    file_lines: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def valid(self) -> bool:
        return self.summary.errors == 0

    def by_severity(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity is severity]

    def evidence(self, finding: Finding, limit: int = 6) -> list[tuple[int, str]]:
        """The source lines a finding rests on, for quoting: plain text, the converter's
        inline markup (`<b>301</b>`, `&nbsp;`) removed; tabs still separate the cells."""
        from yusuan.text import strip_markup

        lines = self.source_lines
        if finding.location.file is not None:
            lines = dict(self.file_lines).get(finding.location.file, ())
        out: list[tuple[int, str]] = []
        for no in finding.location.lines[:limit]:
            if 1 <= no <= len(lines):
                out.append((no, strip_markup(lines[no - 1])))
        return out

    def to_dict(self, evidence: bool = True) -> dict[str, Any]:
        findings = []
        for f in self.findings:
            d = f.to_dict()
            if evidence:
                d["evidence"] = [{"line": n, "text": t} for n, t in self.evidence(f)]
            findings.append(d)
        return {
            "schema": SCHEMA_VERSION,
            "document": self.document,
            "valid": self.valid,
            "findings": findings,
            "not_run": [n.to_dict() for n in self.not_run],
            "summary": self.summary.to_dict(),
            "rules": [
                {
                    "rule": r.rule,
                    "slug": r.slug,
                    "title": r.title,
                    "checks": r.checks,
                    "passed": r.passed,
                }
                for r in self.rules
            ],
        }

    def to_json(self, indent: int | None = 2, evidence: bool = True) -> str:
        return json.dumps(self.to_dict(evidence), ensure_ascii=False, indent=indent)
