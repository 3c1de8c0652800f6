"""The column-number row (栏次) printed under a table's header: `※ ※ 1 2 3 …`, `栏次 1 2 3`.

Official tables number their amount columns so that a formula such as `1=2+3` can name them;
the label columns get `※` (or `*`), or the row opens with `栏次` / `行次`. The row is part of
the header. Read as data it becomes a row of figures 1, 2, 3 … that fails every sum, so every
reader (PDF, workbook, text, HTML, DOCX) asks this one module, and the assembler drops such a
row wherever a reader left it in the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from yusuan.readers.ir import RawTable

MARK = re.compile(r"[*※]+")
WORDS = frozenset({"栏次", "行次", "序号"})
_NUMBER = re.compile(r"\d{1,2}")
CELL = re.compile(r"^(?:[*※]+|\d{1,2}|栏次|行次)$")
"""A cell such a row may hold (the assembler's header inference accepts a row of these)."""


def is_column_numbers(texts: Sequence[str]) -> bool:
    """Whether a row's cell texts are a column-number row.

    Every non-empty cell is a mark, a 栏次-like word or a one- or two-digit number; the numbers
    rise from left to right (at least two of them), or there are none and a mark is printed.
    A single number is not enough: `1` alone is as likely a figure.
    """
    numbers: list[int] = []
    marked = False
    for raw in texts:
        t = raw.replace(" ", "").replace("\u3000", "")
        if not t:
            continue
        if _NUMBER.fullmatch(t):
            numbers.append(int(t))
        elif MARK.fullmatch(t):
            marked = True
        elif t not in WORDS:
            return False
    if numbers:
        return len(numbers) >= 2 and all(a < b for a, b in pairwise(numbers))
    return marked


def lift(table: RawTable) -> None:
    """Column-number rows a reader left in the body: leading ones join the header (where the
    numbering is checked against the template), later ones (a page's repeated header) go.

    Numbers alone (`1 2 3`) count only right under a header: further down, in a form without
    one, they may be figures. A row with `※` or `栏次` is a column-number row anywhere.
    """
    body = table.body_rows
    lead = 0
    while lead < len(body) and (
        body[lead].is_blank() or _counts(body[lead].texts(), bool(table.header_rows))
    ):
        lead += 1
    while lead and body[lead - 1].is_blank():
        lead -= 1  # blank rows stay where they were: an empty table's body is blank
    if lead:
        table.header_rows += body[:lead]
    table.body_rows = [r for r in body[lead:] if not _counts(r.texts(), False)]


def _counts(texts: Sequence[str], numbers_alone: bool) -> bool:
    if not is_column_numbers(texts):
        return False
    return numbers_alone or any(MARK.fullmatch(t.strip()) or t.strip() in WORDS for t in texts)
