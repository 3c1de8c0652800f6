"""Codes and names as strings: structure from code length, tolerant name comparison."""

from __future__ import annotations

import re
from functools import lru_cache

from yusuan.text import normalize_name as _text_normalize_name

__all__ = [
    "code_level",
    "code_parent",
    "is_code",
    "names_match",
    "normalize_code",
    "normalize_name",
]

_LEVELS = {3: 1, 5: 2, 7: 3}
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")
_SEPARATORS = re.compile(r"[\s\-－_.．·]+")


def is_code(code: str) -> bool:
    """True for a 3-, 5- or 7-digit code string (类, 款, 项)."""
    return code.isascii() and code.isdigit() and len(code) in _LEVELS


@lru_cache(maxsize=8192)  # a document prints each code in several tables
def normalize_code(text: str) -> str:
    """The full code from the ways tables print it.

    ``208 01 01``, ``208\\t01\\t01``, ``<b>208</b> <b>01</b>``, ``208-01-01`` and full-width
    digits all give ``2080101``. Raises ValueError when the result is not 3, 5 or 7 digits.
    """
    code = _SEPARATORS.sub("", _TAGS.sub("", text))
    code = code.translate(_FULL_WIDTH_DIGITS)
    if not is_code(code):
        raise ValueError(f"not a 3-, 5- or 7-digit classification code: {text!r}")
    return code


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def code_level(code: str) -> int:
    """1 for 类 (3 digits), 2 for 款 (5), 3 for 项 (7). ValueError for anything else."""
    level = _LEVELS.get(len(code)) if code.isdigit() else None
    if level is None:
        raise ValueError(f"not a 3-, 5- or 7-digit classification code: {code!r}")
    return level


def code_parent(code: str) -> str | None:
    """The code one level up (``2080101`` → ``20801`` → ``208``), None for a 类."""
    return code[:-2] if code_level(code) > 1 else None


def normalize_name(name: str) -> str:
    """The comparison key of a name: no markup or whitespace, one form of each bracket and
    punctuation mark (full-/half-width folded, 【】[]〔〕 read as ()).

    The same function as `yusuan.text.normalize_name`, so the catalog and the readers and
    rules compare names the same way.
    """
    return _text_normalize_name(name)


def names_match(a: str, b: str) -> bool:
    """Whether two names are the same apart from whitespace, bracket and punctuation forms.

    ``维修(护)费`` matches ``维修（护）费``; ``因公出国 （境）费用`` matches ``因公出国【境】费用``;
    ``行政运行`` does not match ``事业运行``.
    """
    return normalize_name(a) == normalize_name(b)
