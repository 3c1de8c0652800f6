"""`yusuan batch` and `yusuan export`: many disclosures into DuckDB or PostgreSQL, and out again.

Loaded by `yusuan.cli` (see `_PLUGIN_MODULES`). Exit codes of `batch`: 0 every file read,
1 some files could not be read (stored as failed with their reason), 2 bad input.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

EXIT_OK, EXIT_FAILED_FILES, EXIT_INPUT = 0, 1, 2
DEFAULT_DB = "yusuan.duckdb"


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"错误：{message}\n")
    raise typer.Exit(EXIT_INPUT)


def batch(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="文件或文件夹（递归查找 PDF、XLSX/XLS、Markdown/文本）。", show_default=False
        ),
    ],
    db: Annotated[
        str,
        typer.Option("--db", help="数据库：DuckDB 文件路径，或 postgresql://主机:端口/数据库。"),
    ] = DEFAULT_DB,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="本机并行进程数（默认：CPU 核数）。", min=1),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="在 Dask 分布式集群上运行，如 tcp://主机:8786。"),
    ] = None,
    reaudit: Annotated[
        bool, typer.Option("--reaudit", help="已入库的文件也重新读取、审核并替换。")
    ] = False,
    summary: Annotated[
        Path | None,
        typer.Option("--summary", help="写出汇总工作簿（如 汇总.xlsx）：文件一览与全部问题。"),
    ] = None,
    reports: Annotated[
        Path | None,
        typer.Option("--reports", help="把每份文件的 HTML 审核报告写到这个文件夹。"),
    ] = None,
    checklists: Annotated[
        Path | None,
        typer.Option("--checklists", help="把每份文件的检查表（XLSX）写到这个文件夹。"),
    ] = None,
) -> None:
    """批量读取、审核并入库：文件夹中的每份公开文件存入 DuckDB 或 PostgreSQL；已入库的跳过。"""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from yusuan.batch import collect_files, run_batch
    from yusuan.batch.runner import Job
    from yusuan.errors import YusuanError
    from yusuan.store import DocumentRecord, open_store

    console = Console(highlight=False, soft_wrap=True)
    try:
        files = collect_files(paths)
    except YusuanError as exc:
        _fail(exc.message)
    if not files:
        _fail("没有找到可读取的文件（PDF、XLSX/XLS、Markdown/文本）")
    if reports is None and summary is not None:
        reports_dir: Path | None = None
    else:
        reports_dir = reports
    try:
        store = open_store(db)
    except YusuanError as exc:
        _fail(exc.message)
    live = console.is_terminal
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("失败 {task.fields[failed]}"),
        TimeElapsedColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        console=console,
        disable=not live,
    )
    task = progress.add_task("准备", total=len(files), failed=0)
    failed = 0
    done = 0

    def on_event(event: str, rec: DocumentRecord | None, job: Job) -> None:
        nonlocal failed, done
        done += 1
        name = Path(job.path).name
        if rec is not None and not rec.ok and event == "stored":
            failed += 1
        progress.update(task, advance=1, description=name[:40], failed=failed)
        if live:
            if rec is not None and not rec.ok and event == "stored":
                progress.console.print(
                    f"[red]无法读取[/] {escape(name)}：{escape(rec.reason or '')}"
                )
            return
        # Not a terminal (CI, a log file): one line per file.
        if event == "skipped":
            line = f"[{done}/{len(files)}] 已在库中，跳过 {name}"
        elif event == "concurrent":
            line = f"[{done}/{len(files)}] 另一批次已入库 {name}"
        elif rec is not None and rec.ok:
            line = (
                f"[{done}/{len(files)}] 入库 {name}（错误 {rec.errors}，警告 {rec.warnings}，"
                f"提示 {rec.notices}）"
            )
        else:
            line = f"[{done}/{len(files)}] 无法读取 {name}：{rec.reason if rec else ''}"
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    command = "yusuan batch " + " ".join(sys.argv[2:])
    try:
        with progress:
            result = run_batch(
                store,
                files,
                jobs=jobs,
                cluster=cluster,
                reaudit=reaudit,
                reports_dir=reports_dir,
                checklists_dir=checklists,
                command=command,
                progress=on_event,
            )
        written = None
        if summary is not None:
            from yusuan.batch.summary import write_summary

            written = write_summary(store, result.doc_ids, summary, reports_dir)
    except YusuanError as exc:
        store.close()
        _fail(exc.message)
    store.close()
    from yusuan.store.pg import safe_url

    where = db if "://" not in db else safe_url(db.split("?", 1)[0])
    console.print(
        f"共 {result.files} 个文件：新入库 {result.stored}，无法读取 {result.failed}，"
        f"已在库中跳过 {result.skipped + result.concurrent}；用时 {result.seconds:.1f} 秒"
        f"（数据库 {escape(where)}）"
    )
    if result.years is not None and result.years.pairs:
        y = result.years
        console.print(
            f"跨年度比对：{y.pairs} 对上下年度文件，{y.checks} 项比对，错误 {y.errors}，提示 {y.notices}"
        )
    if written is not None and summary is not None:
        console.print(
            f"汇总工作簿：{escape(str(summary))}（{written[0]} 份文件，{written[1]} 条问题）"
        )
    raise typer.Exit(EXIT_FAILED_FILES if result.failed else EXIT_OK)


def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件。")],
    db: Annotated[
        str, typer.Option("--db", help="数据库：DuckDB 文件或 PostgreSQL URL。")
    ] = DEFAULT_DB,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="parquet、csv 或 xlsx（默认按输出文件的扩展名）。")
    ] = "",
    table_kind: Annotated[
        list[str] | None,
        typer.Option("--table-kind", help="只导出这些种类的表（可重复），如 expense、sangong。"),
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option("--year", help="只导出这些年度（可重复）。")
    ] = None,
) -> None:
    """导出库中每个金额单元格（长表：文件、地区、部门、年度、表的种类、科目、列、金额（元））。"""
    from yusuan.batch.export import FORMATS, export_cells
    from yusuan.errors import YusuanError
    from yusuan.store import is_postgres, open_store

    chosen = fmt or output.suffix.lstrip(".").lower()
    if chosen not in FORMATS:
        _fail(f"导出格式只能是 {'、'.join(FORMATS)}，而不是「{chosen}」")
    if not is_postgres(db) and not os.path.exists(db):
        _fail(f"数据库文件不存在：{db}")
    try:
        store = open_store(db, read_only=not is_postgres(db))
        try:
            rows = export_cells(store, output, chosen, table_kind or (), year or ())
        finally:
            store.close()
    except YusuanError as exc:
        _fail(exc.message)
    sys.stdout.write(f"已导出 {rows} 个单元格到 {output}\n")


def register(app: typer.Typer) -> None:
    app.command(name="batch")(batch)
    app.command(name="export")(export)
