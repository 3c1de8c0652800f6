"""Click's and Typer's own messages and help read in Chinese; format names agree."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from yusuan.cli import app

from .conftest import SAMPLE

ENGLISH = re.compile(
    r"Usage:|Show this message|Got unexpected|No such|Missing|Invalid value|Error:|Try '|"
    r"<list\[|<path>|<str>|\{file\}|\{ledger\}"
)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["show", "a", "b", "c"], "多余的参数：b c"),
        (["audit", "--nope", "x"], "没有选项 --nope"),
        (["show", "x", "-f", "xml"], "无效，可选"),
        (["build", "x"], "缺少选项"),
        (["audit"], "缺少参数"),
        (["nocmd"], "没有命令"),
    ],
)
def test_usage_errors_in_chinese(args: list[str], words: str) -> None:
    code, output = _run(*args)
    assert code == 2
    assert words in output, output
    assert "查看用法" in output
    assert not ENGLISH.search(output), output


@pytest.mark.parametrize("command", [[], ["audit"], ["show"], ["build"], ["codes"]])
def test_help_in_chinese(command: list[str]) -> None:
    code, output = _run(*command, "--help")
    assert code == 0
    assert "用法：" in output and "显示本帮助并退出。" in output
    assert not ENGLISH.search(output), output


def test_md_is_a_format_name_for_audit_as_for_build() -> None:
    code, output = _run("audit", str(SAMPLE), "-f", "md")
    assert code == 1  # the sample has errors
    assert output.startswith("# 审核报告")
