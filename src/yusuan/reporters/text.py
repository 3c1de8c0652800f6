"""Terminal report (Rich): verdict first, then findings grouped by severity and family."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from yusuan.audit.findings import Severity
from yusuan.audit.report import Report
from yusuan.reporters.common import grouped, summary_line, title, verdict, where

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTICE: "cyan"}


def render_text(
    report: Report, *, evidence: bool = True, color: bool = False, width: int = 110
) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        soft_wrap=False,
        markup=False,  # paths, names and reasons are document text: never parsed as markup
    )
    doc = report.document
    console.print(Text(title(report), style="bold"))
    console.print(
        f"文件：{doc.get('path')}　模板：{doc.get('profile')}"
        f"（置信度 {doc.get('profile_confidence')}）　编码：{doc.get('encoding') or '-'}"
    )
    style = (
        "bold red"
        if report.summary.errors
        else ("yellow" if report.summary.warnings else "bold green")
    )
    console.print(Text(f"结论：{verdict(report)}", style=style))
    console.print(summary_line(report))
    for sev, families in grouped(report):
        count = sum(len(fs) for _, fs in families)
        console.rule(Text(f"{sev.label}（{count}）", style=_STYLE[sev]))
        for family, findings in families:
            console.print(Text(f"■ {family}", style="bold"))
            for f in findings:
                head = Text()
                head.append(f"  {f.rule} {f.slug}", style=_STYLE[sev])
                head.append(f"  {where(f)}", style="dim")
                console.print(head)
                console.print(Text(f"    {f.message}"))
                if evidence:
                    for no, line in report.evidence(f, limit=3):
                        shown = line.replace("\t", " │ ")
                        if len(shown) > 96:
                            shown = shown[:95] + "…"
                        console.print(Text(f"      {no:>5} │ {shown}", style="dim"))
    if report.not_run:
        console.rule(Text(f"未运行（{len(report.not_run)}）", style="magenta"))
        for n in report.not_run:
            console.print(f"  {n.rule} {n.slug}  {n.reason}")
    table = Table(title="各规则检查数", show_edge=False, pad_edge=False)
    table.add_column("规则")
    table.add_column("名称")
    table.add_column("检查", justify="right")
    table.add_column("通过", justify="right")
    for r in report.rules:
        if r.checks:
            table.add_row(f"{r.rule} {r.slug}", r.title, str(r.checks), str(r.passed))
    console.print()
    console.print(table)
    return buf.getvalue()
