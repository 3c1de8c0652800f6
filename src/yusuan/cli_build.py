"""`yusuan build`: compile a disclosure from a ledger and a department file.

Exit codes: 0 written, 1 written but the built document has audit errors (a bug: please
report it), 2 bad input (one line on stderr naming file, row and column; nothing written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from yusuan.errors import YusuanError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
_LISTED = 20  # errors and warnings named after a build; the rest are counted

err = Console(stderr=True, highlight=False, markup=False)  # messages quote user text


def _fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    err.print(Text.assemble(("错误", "bold red"), "：", message), soft_wrap=True)
    return typer.Exit(code)


def _write(doc: object, fmt: str, output: Path) -> None:
    """Render to a temporary file beside `output`, then rename: never a partial output."""
    from yusuan.model.document import Document
    from yusuan.output import write_atomic
    from yusuan.render import renderer

    assert isinstance(doc, Document)
    chosen = renderer(fmt)
    write_atomic(output, lambda tmp: chosen.write(doc, tmp))


def register(app: typer.Typer) -> None:
    @app.command("build")
    def build(
        ledger: Annotated[
            Path, typer.Argument(help="台账：CSV 或 XLSX，每行一个明细（金额单位：元）。")
        ],
        department: Annotated[
            Path, typer.Option("--department", "-d", help="部门文件（TOML 或 YAML）。")
        ],
        output: Annotated[Path, typer.Option("--output", "-o", help="输出文件。")],
        fmt: Annotated[
            str | None,
            typer.Option(
                "--format",
                "-f",
                help="输出格式：md（或 markdown）、json、html、xlsx、docx、pdf（默认按扩展名）。",
            ),
        ] = None,
        strict: Annotated[
            bool,
            typer.Option("--strict", help="部门文件缺少原因等文字时报错，而不是留下待补充标记。"),
        ] = False,
    ) -> None:
        """由台账和部门文件编制部门预算公开文件：11 张公开表和情况说明中的全部数字。"""
        from yusuan import audit
        from yusuan.compose import build as run_build
        from yusuan.render import ALIASES, FORMATS, format_of

        chosen = ALIASES.get(fmt or "", fmt) or format_of(output)
        if chosen not in FORMATS:
            raise _fail(f"无法确定输出格式「{fmt or output.suffix}」（可用：{'、'.join(FORMATS)}）")
        try:
            result = run_build(ledger, department)
        except YusuanError as exc:
            raise _fail(exc.message) from None
        if strict and result.missing:
            raise _fail(
                f"部门文件缺少 {len(result.missing)} 处文字：{'、'.join(result.missing[:5])}"
                + ("等" if len(result.missing) > 5 else "")
            )
        from yusuan.gc_pause import gc_paused

        with gc_paused():  # the built document is one large graph that lives to the end
            report = audit(result.document)
        try:
            _write(result.document, chosen, output)
        except YusuanError as exc:
            raise _fail(exc.message) from None
        except OSError as exc:
            raise _fail(f"无法写入 {output}：{exc.strerror}") from None
        doc = result.document
        s = report.summary
        err.print(
            f"已写入 {output}（{len(doc.tables)} 张表，{len(doc.statements)} 处说明数字，"
            f"{len(doc.projects)} 个项目；审核：错误 {s.errors}，警告 {s.warnings}）",
            soft_wrap=True,
        )
        from yusuan.audit.findings import Severity

        serious = [f for f in report.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
        shown_findings = serious[:_LISTED]  # name them, not only their count
        if shown_findings:
            err.print(
                "\n".join(
                    f"  {f.severity.label} {f.rule} {f.slug}：{f.message}" for f in shown_findings
                ),
                soft_wrap=True,
            )
        if len(serious) > _LISTED:
            err.print(
                f"  ……另有 {len(serious) - _LISTED} 条；运行 yusuan audit {output} 查看全部",
                soft_wrap=True,
            )
        if result.missing:
            shown = "、".join(result.missing[:5]) + ("等" if len(result.missing) > 5 else "")
            err.print(
                f"提示：{len(result.missing)} 处文字待补充，已留下【待补充】标记：{shown}",
                soft_wrap=True,
            )
        if s.errors:
            raise typer.Exit(EXIT_FINDINGS)
