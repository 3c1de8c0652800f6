"""Exact amounts: parsing printed numbers, units, and printing them back.

Money is `Decimal` throughout; a float never touches an amount. A printed number keeps the
number of decimals it was printed with, because the rounding model needs it (a figure
printed to 0.01 carries up to 0.005 of rounding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from functools import lru_cache


class Unit(StrEnum):
    """Money units used by disclosures. The value is the printed Chinese name."""

    YUAN = "元"
    WAN = "万元"
    YI = "亿元"

    @property
    def in_yuan(self) -> Decimal:
        return _YUAN_FACTOR[self]

    @classmethod
    def parse(cls, text: str | None) -> Unit | None:
        return _parse_unit(text)


@lru_cache(maxsize=1024)  # a handful of unit texts, read for every figure
def _parse_unit(text: str | None) -> Unit | None:
    if not text:
        return None
    t = text.replace(" ", "").replace("（", "(").replace("）", ")")
    for unit in (Unit.YI, Unit.WAN, Unit.YUAN):
        if unit.value in t:
            return unit
    if t.endswith("万"):
        return Unit.WAN
    return None


_YUAN_FACTOR = {Unit.YUAN: Decimal(1), Unit.WAN: Decimal(10_000), Unit.YI: Decimal(100_000_000)}


def convert(value: Decimal, src: Unit, dst: Unit) -> Decimal:
    """Exact conversion between units (no rounding)."""
    if src is dst:
        return value
    return value * src.in_yuan / dst.in_yuan


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number as read from print.

    `malformed` is set when the digits are grouped wrongly (`3,8394.24`): the value is then
    read by ignoring the separators, and the audit reports the figure.
    """

    value: Decimal
    decimals: int
    raw: str
    malformed: bool = False
    negative: bool = False

    @property
    def half_unit(self) -> Decimal:
        """Largest rounding error of this printed figure (0.005 for two decimals)."""
        return Decimal(5).scaleb(-(self.decimals + 1))


# Characters that print as a digit separator or a minus in converted documents.
_MINUS = "-−－–—"
_NUMBER_CHARS = re.compile(r"^[\s]*[" + _MINUS + r"]?[\d,，.．\s]+%?$")
_WELL_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_PLAIN = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")


# Digits an amount may have. Decimal arithmetic is exact to 28 significant digits; 20 leave
# room for sums of many figures (10^18 元 is far beyond any budget). Longer digit runs are
# account or document numbers: they are text, never amounts.
MAX_DIGITS = 20


# A document prints the same amount many times (a total in several tables, restated in the
# narrative): the sample parses 1,388 number texts, 331 of them distinct. The result is
# immutable (a frozen ParsedNumber holding a Decimal), so it is shared.
@lru_cache(maxsize=8192)
def parse_number(text: str) -> ParsedNumber | None:
    """Parse a printed amount such as `58,654.04`, `-1,000`, `3,8394.24` (malformed).

    Returns None when the text is not a number at all (labels, `—`, `※`). Empty cells are
    not numbers either: the caller decides whether empty means zero.
    """
    t = text.strip()
    if not t:
        return None
    if len(t) > MAX_DIGITS and sum(ch.isdigit() for ch in t) > MAX_DIGITS:
        return None  # an account or ID number, not an amount (and beyond exact arithmetic)
    m = _PLAIN.match(t)
    if m:  # the common case, well formed: no need for the slow path below
        digits = t.replace(",", "")
        frac = m.group(1)
        return ParsedNumber(
            Decimal(digits), len(frac) - 1 if frac else 0, t, False, t.startswith("-")
        )
    t = t.translate(_FULLWIDTH)
    if not _NUMBER_CHARS.match(t):
        return None
    t = t.replace(" ", "")
    negative = False
    if t[0] in _MINUS:
        negative = True
        t = t[1:]
    if t.endswith("%"):
        t = t[:-1]
    if not t or not any(ch.isdigit() for ch in t):
        return None
    if t.count(".") > 1 or t.startswith(".") or t.endswith(".") or t.startswith(","):
        return None
    malformed = not _WELL_GROUPED.match(t)
    digits = t.replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    if negative:
        value = -value
    return ParsedNumber(
        value=value, decimals=decimals, raw=text.strip(), malformed=malformed, negative=negative
    )


def format_amount(value: Decimal, decimals: int = 2) -> str:
    """Print as disclosures do: thousands separators, fixed decimals, half up (`14,983.05`)."""
    return f"{round_half_up(value, decimals):,.{decimals}f}"


def format_diff(value: Decimal, decimals: int = 2) -> str:
    return format_amount(abs(value), decimals)


def round_half_up(value: Decimal, decimals: int = 2) -> Decimal:
    """Budget figures round half up (0.005 → 0.01), not to even."""
    with localcontext() as ctx:  # exact for any size: quantize needs the digits to fit
        ctx.prec = max(ctx.prec, value.adjusted() + decimals + 2)
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
