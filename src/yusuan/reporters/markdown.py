"""Markdown report: for issue trackers and review comments."""

from __future__ import annotations

from yusuan.audit.report import Report
from yusuan.reporters.common import grouped, summary_line, title, verdict, where


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    doc = report.document
    out = [
        f"# 审核报告：{title(report)}",
        "",
        f"- 文件：`{doc.get('path')}`",
        f"- 模板：`{doc.get('profile')}`（置信度 {doc.get('profile_confidence')}）",
        f"- **结论：{verdict(report)}**",
        f"- {summary_line(report)}",
        "",
    ]
    for sev, families in grouped(report):
        count = sum(len(fs) for _, fs in families)
        out += [f"## {sev.label}（{count}）", ""]
        for family, findings in families:
            out += [f"### {family}", "", "| 规则 | 位置 | 说明 |", "|---|---|---|"]
            for f in findings:
                out.append(f"| `{f.rule}` {f.slug} | {_cell(where(f))} | {_cell(f.message)} |")
            out.append("")
    if report.not_run:
        out += ["## 未运行的检查", ""]
        out += [f"- `{n.rule}` {n.slug}：{n.reason}" for n in report.not_run]
        out.append("")
    out += ["## 各规则检查数", "", "| 规则 | 名称 | 检查 | 通过 |", "|---|---|---:|---:|"]
    out += [
        f"| `{r.rule}` {r.slug} | {r.title} | {r.checks} | {r.passed} |"
        for r in report.rules
        if r.checks
    ]
    return "\n".join(out) + "\n"
