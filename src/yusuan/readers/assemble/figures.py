"""Numbers with their unit words in running text (`58,654.04 万元`, `86.21%`, `97 辆`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from yusuan.model.narrative import Figure
from yusuan.model.provenance import Loc
from yusuan.money import ParsedNumber, parse_number
from yusuan.readers.ir import RawParagraph

MONEY_UNITS = ("万元", "亿元", "元")
# A number not glued to a word or another number (`(?<![0-9A-Za-z.,])[-−]?\d[\d,]*(?:\.\d+)?`),
# then its unit. The look-behind is written after the number's first character, so that the
# pattern starts with a character class the regex engine skips ahead to (a third faster over
# the narrative than trying the look-behind at every position); it matches the same text.
_FIGURE = re.compile(
    r"(?P<num>(?:[-−](?<![0-9A-Za-z.,].)\d|\d(?<![0-9A-Za-z.,].))[\d,]*(?:\.\d+)?)\s*"
    r"(?P<unit>万元|亿元|元(?![/／])|万(?=[，。、；,;）)\s]|$)|[%％]|人次|人|家|个|辆|台|平方米|名|项|次|场)"
)


@dataclass(frozen=True, slots=True)
class FigureMatch:
    start: int
    end: int
    number: ParsedNumber
    unit: str

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


# What every figure has: a digit run and the first character of a unit word after it. A
# text without it — most sentences, and names numbered like `项目0000123` or dates — states
# no figure, and this pattern says so two to four times faster than `_FIGURE` (which tries
# its look-behind and every unit word at each digit).
_MAYBE_FIGURE = re.compile(r"\d[\d,]*+(?:\.\d++)?\s*+[万亿元%％人家个辆台平名项次场]")


# `1，100.00万元`: digit groups set apart by a full-width comma. In prose `，` also ends a
# clause, so only groups of exactly three digits right before an amount unit are read so.
_FULLWIDTH_GROUPS = re.compile(
    r"(?<![\d,，.．])\d{1,3}(?:，\d{3})+(?:[.．]\d+)?(?=\s*(?:万元|亿元|元))"
)


# What every `_FULLWIDTH_GROUPS` match holds (searched first: it starts with the digit).
_MAYBE_FULLWIDTH_GROUPS = re.compile(r"\d，\d{3}")


def find_figures(text: str) -> list[FigureMatch]:
    out: list[FigureMatch] = []
    if not _MAYBE_FIGURE.search(text):
        return out  # most narrative sentences state no figure
    source = text
    if "，" in text and _MAYBE_FULLWIDTH_GROUPS.search(text):
        # Same length, so offsets still point into the printed text.
        text = _FULLWIDTH_GROUPS.sub(lambda m: m.group().replace("，", ","), text)
    for m in _FIGURE.finditer(text):
        parsed = parse_number(m.group("num"))
        if parsed is None:
            continue
        if source is not text:
            parsed = replace(parsed, raw=source[m.start("num") : m.end("num")].strip())
        unit = m.group("unit")
        if unit == "万":
            unit = "万元"
        elif unit == "％":
            unit = "%"
        out.append(FigureMatch(m.start(), m.end(), parsed, unit))
    return out


# Characters after which no figure starts (`_FIGURE`'s look-behind), and the characters after
# a slice that end a figure, a number or a unit word exactly as the end of the text does.
_NO_START_AFTER = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,")
_ENDS_LIKE_END = frozenset("，。；;")


def figures_within(
    text: str, start: int, end: int, figures: list[FigureMatch]
) -> list[FigureMatch] | None:
    """`find_figures(text[start:end])`, taken from `figures` (= `find_figures(text)`) when the
    slice's edges cannot change what is found; None when they might (then find them in the
    slice). A clause or a `键：值` field of a paragraph is read this way without reading its
    figures twice.

    The edges change nothing when: no full-width digit groups are in the text (they are read
    across a comma); the slice ends the text or is followed by `，。；;` (which end a number and a
    unit word as the end of the text does); the slice does not start with a digit or sign, or
    starts the text, or follows a character after which a figure can start anyway; and no
    figure of the text runs across an edge.
    """
    if "，" in text and _MAYBE_FULLWIDTH_GROUPS.search(text):
        return None
    if end < len(text) and text[end] not in _ENDS_LIKE_END:
        return None
    if start > 0 and start < len(text):
        first = text[start]
        if (first.isdigit() or first in "-−") and text[start - 1] in _NO_START_AFTER:
            return None
    out: list[FigureMatch] = []
    for f in figures:
        if f.end <= start:
            continue
        if f.start >= end:
            break
        if f.start < start or f.end > end:
            return None
        out.append(FigureMatch(f.start - start, f.end - start, f.number, f.unit))
    return out


def to_figure(match: FigureMatch, para: RawParagraph, offset: int = 0) -> Figure:
    """A model Figure located where the match sits in the paragraph."""
    loc: Loc = para.loc_span(offset + match.start, offset + match.end)
    return Figure(
        value=match.number.value,
        unit=match.unit,
        raw=match.number.raw,
        loc=loc,
        decimals=match.number.decimals,
        malformed=match.number.malformed,
    )
