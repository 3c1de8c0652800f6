"""Errors of the build: every problem names its file, row and column, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass

from yusuan.errors import InputError


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an input file: where (file, row, column) and what."""

    file: str
    message: str
    row: int | None = None  # 1-based, the header being row 1 (as spreadsheets number rows)
    column: str | None = None  # the column as headed in the file, or a key path in TOML

    def describe(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"「{self.column}」列" if self.row is not None else f"「{self.column}」")
        return f"{'，'.join(where)}：{self.message}"


class BuildError(InputError):
    """Bad input to `yusuan build` (CLI exit code 2). No output is written.

    `issues` lists every problem found (reading stops after `MAX_ISSUES`); `message` is the
    first one in a line, with the count of the others.
    """

    MAX_ISSUES = 50

    def __init__(self, issues: list[Issue]) -> None:
        assert issues
        self.issues = issues
        first = issues[0].describe()
        more = len(issues) - 1
        message = first if more == 0 else f"{first}（另有 {more} 处问题）"
        super().__init__(message)
