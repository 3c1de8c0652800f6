"""Shared wording and grouping for the human-readable reporters."""

from __future__ import annotations

from collections import defaultdict

from yusuan.audit.findings import Finding, Severity
from yusuan.audit.registry import FAMILIES
from yusuan.audit.report import Report
from yusuan.model.provenance import file_label

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.NOTICE)


def where(f: Finding) -> str:
    loc = f.location
    parts = []
    if loc.file:  # a document set: which of its files
        parts.append(file_label(loc.file))
    if loc.table:
        parts.append(loc.table)
    if loc.section:
        parts.append(loc.section)
    if loc.page is not None:
        parts.append(f"第 {loc.page} 页")
    if loc.sheet:
        parts.append(f"{loc.sheet}!{loc.cell}" if loc.cell else loc.sheet)
    if loc.lines:
        shown = loc.lines if len(loc.lines) <= 6 else (*loc.lines[:5], "…", loc.lines[-1])
        parts.append("第 " + "、".join(str(n) for n in shown) + " 行")
    return " · ".join(parts)


def grouped(report: Report) -> list[tuple[Severity, list[tuple[str, list[Finding]]]]]:
    """Findings by severity, then by rule family, in a stable order."""
    out = []
    for sev in SEVERITY_ORDER:
        fam: dict[str, list[Finding]] = defaultdict(list)
        for f in report.findings:
            if f.severity is sev:
                fam[FAMILIES.get(f.rule[0], "其他")].append(f)
        if fam:
            order = list(FAMILIES.values())
            out.append(
                (
                    sev,
                    sorted(
                        fam.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
                    ),
                )
            )
    return out


def verdict(report: Report) -> str:
    """The conclusion. 未发现错误 is said only when every table was read: otherwise the
    conclusion says what could not be checked."""
    s = report.summary
    gap = unread_clause(report)
    if not report.document.get("coverage", {}).get("narrative_included", True):
        gap = "，".join(g for g in (gap, "情况说明不在输入中（只有表格），只核对了表格") if g)
    if s.errors:
        return f"发现 {s.errors} 处错误" + (f"；另{gap}" if gap else "")
    if gap:
        return f"{gap}，未发现错误的结论只适用于已读取的部分"
    if s.warnings:
        return "未发现错误，有需要人工判断的警告"
    return "未发现错误"


def unread_clause(report: Report) -> str:
    """`2 张表未能读取（表3、表5），缺少 1 张必备表` — what the audit could not check."""
    cov = report.document.get("coverage")
    if not isinstance(cov, dict) or cov.get("complete", True):
        return ""
    if cov.get("narrative_only"):
        return "本文件没有可读取的表格，只核对了说明文字"
    parts = []
    unread = cov.get("unread") or []
    if unread:
        names = "、".join(str(u.get("table") or u.get("title")) for u in unread[:5])
        more = " 等" if len(unread) > 5 else ""
        parts.append(f"{len(unread)} 张表未能读取（{names}{more}），未经核对")
    missing = cov.get("missing") or []
    if missing:
        parts.append(f"缺少 {len(missing)} 张必备表")
    listed = cov.get("missing_listed") or []
    if listed:
        parts.append(f"目录所列的 {len(listed)} 张表没有读到")
    pages = cov.get("unread_parts") or []
    if pages:
        parts.append("；".join(str(p) for p in pages[:3]) + (" 等" if len(pages) > 3 else ""))
    if not parts and not cov.get("tables_read"):
        parts.append("没有读到任何表格")
    return "，".join(parts)


def summary_line(report: Report) -> str:
    s = report.summary
    text = (
        f"共执行 {s.checks} 项检查，通过 {s.passed} 项；错误 {s.errors}，警告 {s.warnings}，"
        f"提示 {s.notices}"
    )
    if s.not_run:
        text += f"；{s.not_run} 项因数据无法读取未运行"
    return text


def title(report: Report) -> str:
    d = report.document
    parts = [
        d.get("department") or "",
        f"{d['year']} 年" if d.get("year") else "",
        f"{d.get('entity') or '部门'}{d.get('kind') or '预算'}公开",
    ]
    return "".join(p for p in parts if p) or str(d.get("path"))
