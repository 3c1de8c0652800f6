"""Progress of long steps (OCR page by page), reported to whoever asked for it.

A library call reports nothing unless its caller installs a reporter: the CLI prints one
line per step on stderr, the web worker could forward the fraction. Reporters are kept in
a context variable, so nested or concurrent reads (threads, async tasks) do not mix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[str, int, int], None]
"""(what is being done, steps done so far, steps in all)"""

_reporter: ContextVar[Reporter | None] = ContextVar("yusuan_progress", default=None)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Send the progress of everything run in the block to `reporter`."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


def report(step: str, done: int, total: int) -> None:
    """Tell the installed reporter, if any, that `done` of `total` steps are finished."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(step, done, total)
