"""`yusuan codes`: look a classification code up in the catalog, or search names.

Loaded by `yusuan.cli` (see `_PLUGIN_MODULES`). Exit codes: 0 found, 1 nothing found,
2 bad input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, NoReturn

import typer

EXIT_FOUND, EXIT_NOT_FOUND, EXIT_INPUT = 0, 1, 2
_FORMATS = ("text", "json")


def _fail(message: str) -> NoReturn:
    # Plain text, no Rich markup: the message may hold user input with brackets in it.
    sys.stderr.write(f"错误：{message}\n")
    raise typer.Exit(EXIT_INPUT)


def _int_option(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if not text.isdigit():
        _fail(f"{option} 应为正整数，而不是「{value}」")
    return int(text)


def codes(
    code: Annotated[
        list[str] | None,
        typer.Argument(
            help="科目编码：2080101、208 01 01（可分开写）或 30217。", show_default=False
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="按名称中的文字（或编码开头）查找，如 养老。"),
    ] = None,
    list_name: Annotated[
        str | None,
        typer.Option(
            "--list",
            "-l",
            help="只查一个目录：function（支出功能分类）、economic_dept（部门预算支出经济分类）、"
            "economic_gov（政府预算支出经济分类）。",
        ),
    ] = None,
    edition: Annotated[
        str | None, typer.Option("--edition", "-e", help="版本（年度），如 2024。")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text 或 json。")] = "text",
    limit: Annotated[str, typer.Option("--limit", "-n", help="查找时最多列出几条。")] = "20",
) -> None:
    """查分类科目编码（名称、路径、版本、来源），或用 --search 按名称查找。退出码 0 找到，1 未找到，2 输入有误。"""
    from yusuan.catalog import CatalogDataError, format_lookup, load_catalog, lookup_data
    from yusuan.catalog.codes import normalize_code

    # Tables print codes split over columns; users type them the same way.
    joined = " ".join(code) if code else None
    if joined is None and search is None:
        _fail("请给出科目编码（如 yusuan codes 2080101），或用 --search 按名称查找")
    if joined is not None and search is not None:
        _fail("科目编码与 --search 只能给一个")
    if fmt not in _FORMATS:
        _fail(f"--format 只能是 text 或 json，而不是「{fmt}」")
    year = _int_option(edition, "--edition")
    top = _int_option(limit, "--limit")
    if top is None or top < 1:
        _fail(f"--limit 应为正整数，而不是「{limit}」")
    try:
        cat = load_catalog()
        lists = cat.lists()
        if list_name is not None and list_name not in lists:
            _fail(f"--list 只能是 {'、'.join(lists)}，而不是「{list_name}」")
        if year is not None:
            eds = sorted(
                {ed for name in ([list_name] if list_name else lists) for ed in cat.editions(name)}
            )
            if year not in eds:
                _fail(f"分类科目目录没有 {year} 年版（已有：{'、'.join(map(str, eds))}）")
        query = search if search is not None else joined
        assert query is not None
        if search is not None and not search.strip():
            _fail("--search 的查找内容不能为空")
        if search is None:
            try:
                normalize_code(query)
            except ValueError:
                _fail(f"「{query.strip()}」不是 3、5 或 7 位的科目编码；按名称查找请用 --search")
        data = lookup_data(
            query,
            search=search is not None,
            list_name=list_name,
            edition=year,
            limit=top,
            catalog=cat,
        )
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2)
        else:
            text = "\n".join(
                format_lookup(
                    query,
                    search=search is not None,
                    list_name=list_name,
                    edition=year,
                    limit=top,
                    catalog=cat,
                )
            )
    except CatalogDataError as exc:
        _fail(exc.message)
    sys.stdout.write(text + "\n")
    raise typer.Exit(EXIT_FOUND if data["found"] else EXIT_NOT_FOUND)


def register(app: typer.Typer) -> None:
    app.command(name="codes")(codes)
