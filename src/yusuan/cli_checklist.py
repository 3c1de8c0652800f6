"""`yusuan checklist compare`: an inspector's filled 检查表 against yusuan's (docs/checklist.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

checklist_app = typer.Typer(
    help="检查表：与检查人员填写的检查表比对。",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@checklist_app.command("compare")
def compare_command(
    checklist: Annotated[Path, typer.Argument(help="检查人员填写的检查表（XLSX）。")],
    file: Annotated[Path, typer.Argument(help="被检查的公开文件（PDF、电子表格或文本）。")],
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="指定模板。")] = None,
) -> None:
    """列出检查表记录而 yusuan 未发现的问题，以及 yusuan 发现而检查表未记录的问题。

    退出码：0 检查表记录的问题 yusuan 都已发现，1 有未发现的，2 无法读取。"""
    from yusuan import audit, read
    from yusuan.checklist import build_checklist
    from yusuan.checklist.official import compare, read_official
    from yusuan.cli import EXIT_FINDINGS, EXIT_OK, _fail
    from yusuan.errors import YusuanError

    try:
        official = read_official(checklist)
        doc = read(file, profile=profile)
        ours = build_checklist(doc, audit(doc))
    except YusuanError as exc:
        _fail(exc.message)
    out = Console(highlight=False, soft_wrap=True)
    rows = compare(official, ours)
    missed = sum(len(r.missed) for r in rows)
    status_differs = [
        r for r in rows if r.official and r.official.status == "否" and r.ours != "否"
    ]
    extra = len({id(f) for r in rows for f in r.extra})
    out.print(f"检查表：{escape(str(checklist))}（{len(official)} 项）　文件：{escape(str(file))}")
    for r in rows:
        theirs = r.official.status if r.official else "—"
        line = f"{r.name}：检查表「{theirs}」，yusuan「{r.ours or '—'}」"
        out.print(("[green]✓[/] " if r.agrees else "[red]✗[/] ") + escape(line))
        for problem, found in r.matched:
            rules = "、".join(dict.fromkeys(f.rule for f in found))
            out.print(f"    已发现（{rules}）：{escape(_clip(problem))}")
        for problem in r.missed:
            out.print(f"    [red]检查表记录、yusuan 未发现[/]：{escape(_clip(problem))}")
        for f in r.extra:
            page = f"第 {f.location.page} 页 " if f.location.page else ""
            out.print(
                f"    [yellow]yusuan 发现、检查表未记录[/]（{f.rule}）：{escape(page + _clip(f.message))}"
            )
    out.print(
        f"合计：检查表记录的问题 yusuan 未发现 {missed} 条，"
        f"检查表判“否”而 yusuan 未判“否”的 {len(status_differs)} 项；"
        f"yusuan 另发现 {extra} 条"
    )
    raise typer.Exit(EXIT_FINDINGS if missed or status_differs else EXIT_OK)


def _clip(text: str, keep: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= keep else text[:keep] + "…"


def register(app: typer.Typer) -> None:
    app.add_typer(checklist_app, name="checklist")


__all__ = ["register"]
