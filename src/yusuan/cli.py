"""Command line: a thin layer over the Python API (`yusuan.read`, `yusuan.audit`).

Exit codes: 0 no error findings, 1 error findings, 2 input unreadable or not a disclosure
(one-line reason on stderr, never a traceback), 3 internal error.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from yusuan import __version__
from yusuan.cli_i18n import install as _install_chinese
from yusuan.errors import YusuanError
from yusuan.progress import reporting

_install_chinese()  # Click's and Typer's own messages and help labels in Chinese

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="yusuan",
    help="预算公开文件的读取、审核、编制与汇总。Read, audit, build and collect budget disclosures.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
# markup=False: paths, names and messages quote user and document text (`[/x]` included);
# nothing printed is ever parsed as Rich markup. Styles go through `Text`.
err = Console(stderr=True, highlight=False, markup=False)


def error_line(label: str, message: str) -> Text:
    """`错误：message` with the label in bold red and the message as plain text."""
    return Text.assemble((label, "bold red"), "：", message)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    md = "md"  # the name `build -f` uses for the same format
    html = "html"
    checklist = "checklist"  # the 检查表 XLSX (yusuan.cli_checklist); needs --output


class TableFormat(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"


class ListFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    # The message is data (it may quote `[…]` from a document): never parse it as markup.
    err.print(error_line("错误", message), soft_wrap=True)
    raise typer.Exit(code)


class _Progress:
    """Prints a long step's progress on stderr, one line per step (`yusuan.progress`)."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.start = self.clock()

    def __call__(self, step: str, done: int, total: int) -> None:
        if done == 0:
            self.start = self.clock()
            err.print(f"{step}：共 {total} 页……", soft_wrap=True)
            return
        elapsed = self.clock() - self.start
        err.print(f"{step}：{done}/{total} 页（已用 {elapsed:.0f} 秒）", soft_wrap=True)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from yusuan.output import write_text_atomic

    try:
        write_text_atomic(output, text if text.endswith("\n") else text + "\n")
    except YusuanError as exc:
        _fail(exc.message)
    except OSError as exc:
        _fail(f"无法写入 {output}：{exc.strerror}")
    err.print(f"已写入 {output}", soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"yusuan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出。")
    ] = False,
) -> None:
    """预算公开文件工具箱。"""


@app.command()
def audit(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="公开文件：PDF、电子表格（XLSX/XLS）或文本/Markdown。给出同一部门同一年度的"
            "多个文件（或一个目录）时作为一份文件审核，例如北京的情况说明与报表。",
            show_default=False,
            metavar="文件",
        ),
    ],
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="报告格式：text、json、markdown（或 md）、html、checklist（检查表 XLSX，需 --output）。",
        ),
    ] = ReportFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入文件而不是屏幕。")
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="指定模板（默认自动识别）。")
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="只运行这些规则（编号、前缀或名称，可重复）。"),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="不运行这些规则（可重复）。")
    ] = None,
    evidence: Annotated[
        bool, typer.Option("--evidence/--no-evidence", help="在报告中引用原文。")
    ] = True,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="何种问题使退出码为 1：error（默认）、warning、never。")
    ] = "error",
    ocr: Annotated[
        bool, typer.Option("--ocr", help="识别 PDF 中的扫描页（需安装 yusuan[ocr]）。")
    ] = False,
    require_narrative: Annotated[
        bool,
        typer.Option(
            "--require-narrative",
            help="只有表格的工作簿也要求情况说明的各章节（默认：说明不在输入中，不核对）。",
        ),
    ] = False,
) -> None:
    """审核一份公开文件（或同一部门年度的一组文件）：表内、表间、说明与表格、同比、完整性。退出码 0 无错误，1 有错误，2 无法读取。"""
    from yusuan import audit as run_audit
    from yusuan import read, read_set
    from yusuan.audit import select_rules
    from yusuan.reporters import render

    if fail_on not in ("error", "warning", "never"):
        _fail(f"--fail-on 只能是 error、warning 或 never，而不是「{fail_on}」")
    if fmt is ReportFormat.checklist and output is None:
        _fail("检查表是 XLSX 文件，请用 -o 指定输出文件，例如 -o 检查表.xlsx")
    try:
        with reporting(_Progress()):
            if len(files) == 1 and not files[0].is_dir():
                doc = read(files[0], profile=profile, ocr=ocr)
            else:  # a document set: several files, or a folder of them
                doc = read_set(files, profile=profile, ocr=ocr)
        rules = select_rules(select or (), ignore or ())
        if not rules:
            _fail("--select/--ignore 之后没有要运行的规则")
        report = run_audit(doc, rules=rules, require_narrative=require_narrative)
    except YusuanError as exc:
        _fail(exc.message)
    if fmt is ReportFormat.checklist and output is not None:
        from yusuan.reporters.checklist import write_checklist

        try:
            err.print(Text(write_checklist(doc, report, output)), soft_wrap=True)
        except YusuanError as exc:
            _fail(exc.message)
        except OSError as exc:
            _fail(f"无法写入 {output}：{exc.strerror}")
    else:
        color = output is None and fmt is ReportFormat.text and sys.stdout.isatty()
        name = "markdown" if fmt is ReportFormat.md else fmt.value
        _write(render(report, name, evidence=evidence, color=color), output)
    s = report.summary
    failed = (s.errors > 0 and fail_on != "never") or (fail_on == "warning" and s.warnings > 0)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="公开文件。")],
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            "-t",
            help="表号（6）、键（T6）、表名（表6）或标题；all 为全部表。不给则列出读到的表。",
        ),
    ] = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="输出格式。")
    ] = TableFormat.text,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="指定模板。")] = None,
    narrative: Annotated[
        bool, typer.Option("--narrative", help="列出从说明中读到的金额陈述。")
    ] = False,
    ocr: Annotated[
        bool, typer.Option("--ocr", help="识别 PDF 中的扫描页（需安装 yusuan[ocr]）。")
    ] = False,
) -> None:
    """显示读取结果：某张表的每一行（含行号、科目编码、级次），或说明中的金额陈述。

    JSON 与 CSV 使用英文字段名，金额为精确的十进制数字（docs/cli.md）。"""
    from yusuan import read
    from yusuan.show import (
        all_tables_csv,
        all_tables_json,
        document_json,
        document_overview,
        find_table,
        statements_json,
        statements_rows,
        table_csv,
        table_json,
        table_to_records,
    )

    try:
        with reporting(_Progress()):
            doc = read(file, profile=profile, ocr=ocr)
    except YusuanError as exc:
        _fail(exc.message)
    if narrative:
        if fmt is TableFormat.json:
            _write(_json(statements_json(doc)), None)
            return
        header, rows = statements_rows(doc)
        _print_rows(header, rows, fmt, title="说明中的金额陈述")
        return
    if table is None:
        if fmt is TableFormat.json:
            _write(_json(document_json(doc)), None)
            return
        header, rows = document_overview(doc)
        _print_rows(
            header, rows, fmt, title=f"{doc.department or ''} 读到的表格（模板 {doc.profile}）"
        )
        return
    if table.strip().lower() == "all":
        if fmt is TableFormat.json:
            _write(_json(all_tables_json(doc)), None)
        elif fmt is TableFormat.csv:
            _print_rows(*all_tables_csv(doc), fmt, title="")
        else:
            for t in sorted(doc.tables.values(), key=lambda t: (t.number or 99, t.key)):
                header, rows = table_to_records(t)
                unit = t.unit.value if t.unit else ""
                _print_rows(header, rows, fmt, title=f"{t.name} {t.title}（单位：{unit}）")
        return
    try:
        found = find_table(doc, table)
    except LookupError as exc:
        _fail(str(exc))
    if fmt is TableFormat.json:
        _write(_json(table_json(found, doc)), None)
        return
    if fmt is TableFormat.csv:
        _print_rows(*table_csv(found, doc), fmt, title="")
        return
    header, rows = table_to_records(found)
    unit = found.unit.value if found.unit else ""
    _print_rows(header, rows, fmt, title=f"{found.name} {found.title}（单位：{unit}）")


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (`=cmd|…`, `@SUM(…)`): prefix
    it with an apostrophe, as OWASP advises. Plain numbers (`-5.00`) stay numbers."""
    if value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _print_rows(header: list[str], rows: list[list[str]], fmt: TableFormat, title: str) -> None:
    if fmt is TableFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([csv_safe(v) for v in r] for r in rows)
        _write(buf.getvalue(), None)
        return
    if fmt is TableFormat.json:
        _write(
            json.dumps(
                [dict(zip(header, r, strict=True)) for r in rows], ensure_ascii=False, indent=2
            ),
            None,
        )
        return
    out = Console(highlight=False, width=160, markup=False)
    table = RichTable(title=title, show_lines=False)
    for h in header:
        table.add_column(h, overflow="fold")
    for r in rows:
        table.add_row(*r)
    out.print(table)


class ExampleKind(StrEnum):
    bad = "bad"
    good = "good"


@app.command()
def rules(
    rule: Annotated[
        str | None, typer.Argument(help="规则编号或名称（如 A101、row-total）：只显示这一条。")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="输出格式。")] = ListFormat.text,
    example: Annotated[
        ExampleKind | None,
        typer.Option(
            "--example", help="写出该规则的错误（bad）或正确（good）示例全文（Markdown）。"
        ),
    ] = None,
) -> None:
    """列出所有审核规则（编号、名称、级别、说明、错误与正确示例）；给出编号时显示一条规则、
    其所在模块和可运行的示例。"""
    from yusuan.audit.examples import load_example
    from yusuan.audit.registry import get_rule
    from yusuan.rules_doc import rule_detail, rules_markdown, rules_records

    if rule is not None:
        found = get_rule(rule)
        if found is None:
            _fail(f"没有规则「{rule}」（yusuan rules 列出全部）")
        if example is not None:
            ex = load_example(found.id)
            if ex is None:
                _fail(f"规则 {found.id} 没有可运行的示例：{found.no_example}")
            _write(ex.text(example.value), None)
            return
        if fmt is ListFormat.json:
            record = next(r for r in rules_records() if r["id"] == found.id)
            _write(json.dumps(record, ensure_ascii=False, indent=2), None)
            return
        _write(rule_detail(found), None)
        return
    if example is not None:
        _fail("--example 须与规则编号一起使用：yusuan rules A101 --example bad")
    if fmt is ListFormat.markdown:
        _write(rules_markdown(), None)
        return
    records = rules_records()
    if fmt is ListFormat.json:
        _write(json.dumps(records, ensure_ascii=False, indent=2), None)
        return
    header = ["编号", "名称", "标题", "级别"]
    _print_rows(
        header,
        [[r["id"], r["slug"], r["title"], "/".join(r["emits"])] for r in records],
        TableFormat.text,
        title="审核规则",
    )


@app.command()
def profiles() -> None:
    """列出内置的模板（地区、类型、表的数量）。"""
    from yusuan.profiles import list_profiles

    rows = [
        [p.id, p.name, p.region, p.kind, str(sum(1 for t in p.tables if t.required))]
        for p in list_profiles()
    ]
    _print_rows(["模板", "名称", "地区", "类型", "必备表"], rows, TableFormat.text, title="模板")


# Commands living in their own modules register themselves here, so a stream of work can
# add a command without touching this file: each module defines `register(app)`.
_PLUGIN_MODULES = (
    "yusuan.cli_codes",
    "yusuan.cli_build",
    "yusuan.cli_corpus",
    "yusuan.cli_checklist",
    "yusuan.cli_serve",
)


def _load_plugins() -> None:
    import importlib

    for name in _PLUGIN_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(app)


_load_plugins()


def _terminated(signum: int, frame: object) -> None:
    # SIGTERM unwinds like an exception, so output in progress is removed (yusuan.output)
    sys.exit(128 + signum)


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    try:
        app()
    except YusuanError as exc:  # raised outside a command (profile loading)
        err.print(error_line("错误", exc.message), soft_wrap=True)
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        err.print("已中断")
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line; YUSUAN_DEBUG=1 shows the traceback
        import os

        if os.environ.get("YUSUAN_DEBUG"):
            raise
        err.print(
            error_line(
                "内部错误",
                f"{type(exc).__name__}: {exc}（设置 YUSUAN_DEBUG=1 查看详情，并请报告此问题）",
            ),
            soft_wrap=True,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
