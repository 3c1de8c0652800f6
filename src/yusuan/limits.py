"""Resource limits for reading one document: settings with sane defaults.

A small hostile file (a `colspan` of two billion, a zip bomb, a sheet that declares a cell at
XFD1048576, a device such as /dev/zero) must not take the machine down: every reader checks
these limits and refuses with a one-line Chinese message (`LimitError`, CLI exit code 2)
that names the limit and how to raise it.

Each limit can be raised (or lowered) with an environment variable, e.g.
`YUSUAN_MAX_INPUT_MB=500 yusuan audit big.pdf`, or from Python with `limits_override(...)`.
The table in docs/cli.md lists them; `LIMITS` below is the single source.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from types import FrameType
from typing import Any

from yusuan.errors import InputError


@dataclass(frozen=True, slots=True)
class Limits:
    """What one document may cost. Sizes in bytes, time in seconds."""

    max_input_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    max_cells: int = 1_000_000  # table cells in one document (text, sheets, PDF)
    max_lines: int = 1_000_000  # lines of a text document
    # A text disclosure is a few hundred KB; a text document is read whole and becomes
    # objects worth ~20 times its size, so a large one is refused before it is read.
    max_text_bytes: int = 20 * 1024 * 1024
    max_span: int = 1000  # colspan / rowspan of one HTML cell
    max_sheet_cells: int = 2_000_000  # rows × columns of one sheet, from the cells present
    max_unzipped_bytes: int = 500 * 1024 * 1024  # all members of an XLSX/ODS/DOCX together
    max_zip_ratio: int = 200  # decompressed ÷ compressed, checked above 10 MB decompressed
    max_seconds: float = 600.0  # wall clock for reading one document (0: no limit)


# field → (environment variable, unit factor, Chinese name, unit shown in messages)
LIMITS: dict[str, tuple[str, float, str, str]] = {
    "max_input_bytes": ("YUSUAN_MAX_INPUT_MB", 1024 * 1024, "输入文件大小", "MB"),
    "max_pages": ("YUSUAN_MAX_PAGES", 1, "PDF 页数", "页"),
    "max_cells": ("YUSUAN_MAX_CELLS", 1, "表格单元格总数", "个"),
    "max_lines": ("YUSUAN_MAX_LINES", 1, "文本行数", "行"),
    "max_text_bytes": ("YUSUAN_MAX_TEXT_MB", 1024 * 1024, "文本文件大小", "MB"),
    "max_span": ("YUSUAN_MAX_SPAN", 1, "单元格合并跨度（colspan/rowspan）", ""),
    "max_sheet_cells": ("YUSUAN_MAX_SHEET_CELLS", 1, "工作表范围（行数×列数）", "个单元格"),
    "max_unzipped_bytes": ("YUSUAN_MAX_UNZIPPED_MB", 1024 * 1024, "解压后大小", "MB"),
    "max_zip_ratio": ("YUSUAN_MAX_ZIP_RATIO", 1, "压缩比", "倍"),
    "max_seconds": ("YUSUAN_MAX_SECONDS", 1, "读取时间", "秒"),
}

_override = threading.local()


class LimitError(InputError):
    """A document exceeds a resource limit (CLI exit code 2)."""

    def __init__(self, what: str, field: str) -> None:
        env, factor, label, unit = LIMITS[field]
        value = getattr(current(), field) / factor
        number = f"{int(value):,}" if value == int(value) else f"{value:.3g}"
        shown = f"{number} {unit}".strip()
        super().__init__(
            f"{what}，超出{label}上限（{shown}）；如确需读取，请设置环境变量 {env} 提高上限"
        )
        self.field = field


def _from_env() -> Limits:
    values: dict[str, Any] = {}
    for f in fields(Limits):
        env, factor, label, _unit = LIMITS[f.name]
        raw = os.environ.get(env)
        if raw is None or not raw.strip():
            continue
        try:
            number = float(raw)
        except ValueError as exc:
            raise InputError(f"环境变量 {env} 应为数字（{label}），而不是「{raw}」") from exc
        if number < 0:
            raise InputError(f"环境变量 {env} 不能为负数")
        values[f.name] = float(number * factor) if f.type == "float" else int(number * factor)
    return replace(Limits(), **values)


def current() -> Limits:
    """The limits in force: an active `limits_override`, else the environment, else defaults."""
    stack: list[Limits] | None = getattr(_override, "stack", None)
    if stack:
        return stack[-1]
    return _from_env()


@contextmanager
def limits_override(**changes: Any) -> Iterator[Limits]:
    """Run a block with some limits changed (tests lower them; callers may raise them)."""
    stack: list[Limits] = getattr(_override, "stack", None) or []
    _override.stack = stack
    limits = replace(current(), **changes)
    stack.append(limits)
    try:
        yield limits
    finally:
        stack.pop()


class _Timeout(BaseException):
    """Raised by the alarm handler; a BaseException so no `except Exception` swallows it."""


# Once the budget has run out, the alarm repeats at this interval until the timeout has
# propagated (an exception can be swallowed on its way: see `deadline`).
_AGAIN = 0.05

# The budget of the active deadline has run out (set by the alarm, main thread only).
_expired = False


def checkpoint() -> None:
    """Raise the timeout of an expired deadline here. Readers call this in their main loops:
    it reaches them even when every alarm arrived while a finalizer ran (see `deadline`)."""
    if _expired:
        raise _Timeout


def _swallowing(frame: FrameType | None) -> bool:
    """Whether an exception raised in `frame` would be swallowed: a finalizer (`__del__`) or
    a collector callback is on the stack, where Python prints "Exception ignored in …" and
    goes on as if nothing happened."""
    callbacks = {getattr(cb, "__code__", None) for cb in gc.callbacks}
    while frame is not None:
        code = frame.f_code
        if code.co_name == "__del__" or code in callbacks:
            return True
        frame = frame.f_back
    return False


def _from_timeout(exc: BaseException | None) -> bool:
    """Whether `exc` is the timeout, or an exception the timeout turned into on its way."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, _Timeout):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


@contextmanager
def deadline(name: str) -> Iterator[None]:
    """Refuse a document whose reading runs past `max_seconds` (main thread, POSIX only).

    Elsewhere (threads, Windows) the block runs without a wall-clock limit: the size, page
    and cell limits still bound the work.

    The alarm raises the timeout where the reader is, unless that is inside a finalizer or a
    collector callback: an exception raised there is swallowed. It then only notes that the
    budget has run out, and the timeout is raised at the reader's next `checkpoint()` or by
    the next alarm (they repeat until it has propagated). One swallowed where no stack check
    can tell (a weakref callback) is not printed, and raised again the same way.
    """
    global _expired
    seconds = current().max_seconds
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # someone else's timer: leave it
    )
    if not usable:
        yield
        return

    armed = True

    def _alarm(signum: int, frame: FrameType | None) -> None:
        global _expired
        if not armed:
            return  # a last alarm while the block was being left
        _expired = True
        if not _swallowing(frame):
            raise _Timeout

    def _unraisable(info: Any) -> None:
        if isinstance(info.exc_value, _Timeout):
            return  # swallowed where nothing could tell: the next alarm raises it again
        previous_hook(info)

    previous = signal.signal(signal.SIGALRM, _alarm)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _unraisable
    _expired = False
    signal.setitimer(signal.ITIMER_REAL, seconds, _AGAIN)
    try:
        yield
    except BaseException as exc:
        # First, before anything that could let the alarm run: no timeout from here on.
        armed = False
        if _expired and _from_timeout(exc):
            raise LimitError(f"读取 {name} 超时", "max_seconds") from None
        raise
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if sys.unraisablehook is _unraisable:
            sys.unraisablehook = previous_hook
        expired, _expired = _expired, False
    if expired:  # finished, but only after the budget ran out (or the timeout was swallowed)
        raise LimitError(f"读取 {name} 超时", "max_seconds")
