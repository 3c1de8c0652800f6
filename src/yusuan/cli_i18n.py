"""Chinese for the messages and help text that Click and Typer print themselves.

Typer (0.29+) carries its own copy of Click whose messages are plain English strings, and
older Click marks them for gettext. Both are covered at the boundary: a usage error is
printed by `show_usage_error` as one Chinese line (the message translated by the patterns
below), and help pages pass through `translate_help`. Click's gettext names are also bound
to the table, for the Click that Typer may use. Typer's type labels (`<path>`,
`<list[str]>`) and its usage braces (`{file}`) are replaced. A message no pattern knows
keeps its English text: nothing breaks when Click adds one.
"""

from __future__ import annotations

import re
import sys
from typing import Any

_ZH: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error": "错误",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行「{command} {option}」查看帮助。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "运行「{command_path} {help_option}」查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}",
    "No such option {name!r}.": "没有选项 {name!r}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Aborted!": "已中止。",
    "Aborted.": "已中止。",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "default: {default}": "默认：{default}",
    "[default: {}]": "[默认：{}]",
    "env var: {var}": "环境变量：{var}",
    "[env var: {}]": "[环境变量：{}]",
    "required": "必填",
    "[required]": "[必填]",
    "(deprecated) ": "（已弃用）",
    "(dynamic)": "（动态）",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数字",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
}

_ZH_PLURAL: dict[str, str] = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个取值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
}
_ZH_PLURAL_MANY: dict[str, str] = {
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个取值。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值 {choices} 之一。",
    "(Did you mean one of: {possibilities}?)": "（是否想用：{possibilities}？）",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
}

# Typer's type labels in help (`<path>`, `<list[str]>`) → Chinese.
_TYPES = {
    "path": "路径",
    "str": "文本",
    "int": "整数",
    "float": "数字",
    "bool": "是/否",
    "list[str]": "文本，可重复",
    "list[path]": "路径，可重复",
}


def gettext(message: str) -> str:
    return _ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if n == 1:
        return _ZH_PLURAL.get(singular, singular)
    return _ZH_PLURAL_MANY.get(plural, plural)


# Messages of Typer's vendored Click (English f-strings) → Chinese.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Got unexpected extra arguments? ?(?:\(s\))? \((.*)\)$"), r"多余的参数：\1"),
    (
        re.compile(r"^No such option: (\S+) \(Possible options: (.*)\)$"),
        r"没有选项 \1（是否想用：\2）",
    ),
    (re.compile(r"^No such option: (\S+)$"), r"没有选项 \1"),
    (re.compile(r"^No such option '?(\S+?)'?\.?$"), r"没有选项 \1"),
    (re.compile(r"^No such command '?(.+?)'?\.$"), r"没有命令 \1"),
    (re.compile(r"^Missing argument (.+?)\.$"), r"缺少参数 \1"),
    (re.compile(r"^Missing option (.+?)\.(.*)$"), r"缺少选项 \1\2"),
    (re.compile(r"^Missing parameter: (.+)$"), r"缺少参数 \1"),
    (re.compile(r"^Missing command\.$"), "缺少命令"),
    (re.compile(r"^Option '?(.+?)'? requires an argument\.$"), r"选项 \1 需要一个取值"),
    (re.compile(r"^Option '?(.+?)'? requires (\d+) arguments\.$"), r"选项 \1 需要 \2 个取值"),
    (re.compile(r"^Option '?(.+?)'? does not take a value\.$"), r"选项 \1 不接受取值"),
    (
        re.compile(r"^Invalid value for (.+?): (?:Value error, )?(.+?) is not one of (.+?)\.$"),
        r"\1 的取值 \2 无效，可选：\3",
    ),
    (
        re.compile(r"^Invalid value for (.+?): (?:Value error, )?(.+?) is not a valid (\w+)\.$"),
        r"\1 的取值 \2 不是有效的\3",
    ),
    (re.compile(r"^Invalid value for (.+?): (?:Value error, )?(.*)$"), r"\1 的取值无效：\2"),
    (re.compile(r"^Invalid value: (.*)$"), r"取值无效：\1"),
]
_WORDS = {"integer": "整数", "float": "数字", "boolean": "是/否"}


def translate_message(message: str) -> str:
    for pattern, replacement in _PATTERNS:
        m = pattern.match(message.strip())
        if m:
            out = m.expand(replacement)
            for en, zh in _WORDS.items():
                out = out.replace(f"有效的{en}", f"有效的{zh}")
            return out.replace(" / ", " 或 ")
    return message


_HELP = [
    ("Usage: ", "用法："),
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("Arguments:", "参数："),
    ("Options:", "选项："),
    ("Commands:", "命令："),
    ("参数:", "参数："),
    ("选项:", "选项："),
    ("命令:", "命令："),
]


def translate_help(text: str) -> str:
    for en, zh in _HELP:
        text = text.replace(en, zh)
    return text


def show_usage_error(self: Any, file: Any = None) -> None:
    """One Chinese line for a usage error, naming the help command."""
    ctx = getattr(self, "ctx", None)
    hint = ""
    if ctx is not None:
        names = getattr(ctx, "help_option_names", None) or ["--help"]
        hint = f"；运行「{ctx.command_path} {names[0]}」查看用法"
    message = translate_message(str(self.format_message()))
    print(f"错误：{message}{hint}", file=file or sys.stderr)


def show_click_error(self: Any, file: Any = None) -> None:
    print(f"错误：{translate_message(str(self.format_message()))}", file=file or sys.stderr)


def install() -> None:
    """Bind Click's and Typer's message lookups to the Chinese table (idempotent)."""
    import importlib

    _patch_vendored_click()

    for name in (
        "click.core",
        "click.decorators",
        "click.exceptions",
        "click.formatting",
        "click.parser",
        "click.termui",
        "click.types",
        "click.utils",
        "typer.core",
        "typer.main",
    ):
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a Click/Typer without that module
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    _patch_typer_labels()


def _patch_typer_labels() -> None:
    from typer import core

    for cls in (getattr(core, "TyperArgument", None), getattr(core, "TyperOption", None)):
        if cls is None or getattr(cls, "_yusuan_zh", False):
            continue
        original = getattr(cls, "display_type", None)
        if original is None:
            continue

        def display_type(self: Any, ctx: Any, _original: Any = original) -> str:
            label = str(_original(self, ctx))
            inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
            return f"<{_TYPES.get(inner, _TYPES.get(inner.lower(), inner))}>"

        cls.display_type = display_type
        cls._yusuan_zh = True
    argument = getattr(core, "TyperArgument", None)
    if argument is not None and hasattr(argument, "_usage_display_name"):

        def usage_name(self: Any) -> str:
            name = str(self.display_name_raw).upper()  # Click's convention: FILE, LEDGER
            if not self.required:
                name = f"[{name}]"
            return name + ("..." if self.nargs != 1 else "")

        argument._usage_display_name = usage_name


def _patch_vendored_click() -> None:
    for module_name in ("typer._click.exceptions", "click.exceptions"):
        try:
            exceptions = importlib_import(module_name)
        except ImportError:
            continue
        for cls_name, show in (
            ("ClickException", show_click_error),
            ("UsageError", show_usage_error),
        ):
            cls = getattr(exceptions, cls_name, None)
            if cls is not None:
                cls.show = show
    for module_name in ("typer._click.core", "click.core"):
        try:
            core = importlib_import(module_name)
        except ImportError:
            continue
        context = getattr(core, "Context", None)
        if context is None or getattr(context, "_yusuan_zh", False):
            continue
        for method in ("get_help", "get_usage"):
            original = getattr(context, method, None)
            if original is None:
                continue

            def translated(self: Any, _original: Any = original) -> str:
                return translate_help(str(_original(self)))

            setattr(context, method, translated)
        context._yusuan_zh = True


def importlib_import(name: str) -> Any:
    import importlib

    return importlib.import_module(name)
