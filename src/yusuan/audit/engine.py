"""Running the rules: every rule runs, a crashing rule becomes a finding, all are counted."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from yusuan.audit.context import AuditContext, Unresolved
from yusuan.audit.findings import Finding, Location, Severity
from yusuan.audit.registry import Rule, all_rules
from yusuan.audit.report import Report, RuleStats, Summary
from yusuan.audit.rules.completeness import missing_listed, performance_found
from yusuan.model.document import Document
from yusuan.profiles import load_profile
from yusuan.profiles.schema import Profile

if TYPE_CHECKING:
    from yusuan.readers.read import Source

CRASH_RULE = ("E901", "rule-crashed")


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules by id, slug or id prefix (`A`, `A1`, `T6-SUM` style ids match exactly)."""
    chosen = all_rules()
    sel, ign = list(select), list(ignore)

    def hit(rule: Rule, keys: list[str]) -> bool:
        return any(rule.id.startswith(k) or rule.slug == k for k in keys)

    if sel:
        chosen = [r for r in chosen if hit(r, sel)]
    if ign:
        chosen = [r for r in chosen if not hit(r, ign)]
    return chosen


def coverage(doc: Document, profile: Profile) -> dict[str, Any]:
    """What was read and what could not be: the report's conclusion rests on this. A report
    says 未发现错误 only when every table was read (`complete`)."""
    # A 报表目录 lists tables; it is no table of figures to read.
    tables = [t for t in (*doc.tables.values(), *doc.extra_tables) if t.kind != "contents"]
    unread = [
        {
            "table": t.name or t.printed_title or "（无标题）",
            "title": t.printed_title or t.title,
            "reason": t.problems[0],
        }
        for t in tables
        if not t.readable and t.problems
    ]
    missing = [
        spec.title
        for spec in profile.tables
        if spec.required
        and spec.key not in doc.tables
        and spec.layout != "contents"
        and not performance_found(doc, spec)  # read as forms (西安 表14, 表15), as C701 says
    ]
    # With no template saying which tables there must be, the document's own 目录 does.
    unlisted = (
        [entry.title for entry in missing_listed(doc)]
        if tables and not any(spec.required for spec in profile.tables)
        else []
    )
    unnamed = [
        f"{t.name}：{c.label}"
        for t in doc.tables.values()
        if t.readable
        for c in t.columns
        if c.role is None
    ]
    read = sum(1 for t in doc.tables.values() if t.readable)
    # Read, and printed without a figure: what the document says about it is its content.
    empty = [
        {
            "table": t.name,
            "title": t.printed_title or t.title,
            "notes": [n.text for n in t.notes],
        }
        for t in doc.tables.values()
        if t.readable and t.columns and t.is_empty and t.kind != "contents"
    ]
    unread_parts = [n.message for n in doc.notes if n.kind == "unread"]
    return {
        "tables_found": len(tables),
        "tables_read": read,
        "empty": empty,
        "unread": unread,
        "missing": missing,
        "missing_listed": unlisted,
        "columns_unnamed": unnamed,
        "narrative_only": not tables,
        "narrative_included": doc.narrative_included,
        "unread_parts": unread_parts,
        "complete": bool(tables) and not (unread or missing or unlisted or unread_parts),
    }


def audit(
    doc: Document | Source,
    profile: Profile | None = None,
    rules: Iterable[Rule] | None = None,
    *,
    require_narrative: bool = False,
) -> Report:
    """Audit a document against its template profile; never raises for a rule's fault.

    `doc` is a `Document` from `yusuan.read`, or anything `read` accepts (a path, bytes,
    a binary file object), which is read first. A workbook of the tables alone holds no
    情况说明: its sections are reported as not checked, or as missing with `require_narrative`.
    """
    if not isinstance(doc, Document):
        from yusuan.readers.read import read

        doc = read(doc, profile=profile)
    prof = profile or doc.inferred_profile or load_profile(doc.profile)
    ctx = AuditContext(doc, prof, require_narrative=require_narrative)
    run = list(rules) if rules is not None else all_rules()
    for rule in run:
        ctx.rule = rule
        try:
            rule.run(ctx)
        except Unresolved as exc:
            ctx.skip(exc.reason, Location.of(exc.loc))
        except Exception as exc:  # a rule's bug must not hide the other findings
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            ctx.findings.append(
                Finding.of(
                    CRASH_RULE[0],
                    CRASH_RULE[1],
                    Severity.ERROR,
                    "规则 {rule} {slug} 运行出错，未完成检查：{error}: {detail}（{file}:{line}）",
                    Location(),
                    {
                        "rule": rule.id,
                        "slug": rule.slug,
                        "error": type(exc).__name__,
                        "detail": str(exc),
                        "file": tb.filename.rsplit("/", 1)[-1],
                        "line": tb.lineno or 0,
                    },
                )
            )
    findings = sorted(
        ctx.findings,
        key=lambda f: (f.location.lines[0] if f.location.lines else 10**9, f.rule, f.message),
    )
    stats = tuple(
        RuleStats(r.id, r.slug, r.title, ctx.stats[r.id][0], ctx.stats[r.id][1]) for r in run
    )
    summary = Summary(
        checks=sum(s.checks for s in stats),
        passed=sum(s.passed for s in stats),
        errors=sum(1 for f in findings if f.severity is Severity.ERROR),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        notices=sum(1 for f in findings if f.severity is Severity.NOTICE),
        not_run=len(ctx.not_run),
    )
    document = {
        "path": doc.source.path,
        "format": doc.source.format,
        "encoding": doc.source.encoding,
        "profile": doc.profile,
        "profile_confidence": doc.profile_confidence,
        "department": doc.department,
        "year": doc.year,
        "kind": doc.kind,
        "entity": prof.entity or "部门",
        "tables": sorted(doc.tables, key=lambda k: (len(k), k)),
        "coverage": coverage(doc, prof),
        # A document set: its files in reading order (findings name theirs in location.file).
        "files": [
            {"path": p.path, "format": p.format, "encoding": p.encoding, "pages": p.pages}
            for p in doc.source.parts
        ]
        or None,
    }
    return Report(
        document,
        tuple(findings),
        tuple(ctx.not_run),
        summary,
        stats,
        doc.source.lines,
        tuple((p.path, p.lines) for p in doc.source.parts if p.lines),
    )
