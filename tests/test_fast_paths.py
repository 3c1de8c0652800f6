"""The shortcuts that make a build of a million projects fast give what the general code gives.

Each fast path (printing amounts from integers, skipping the normalisation of plain names,
passing over texts that cannot state a figure, taking a slice's figures from its paragraph's)
is checked against the straightforward computation it replaces, on random
inputs and on every paragraph of the sample disclosure.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from yusuan.compose.compile import wan, wan_text
from yusuan.money import format_amount, parse_number
from yusuan.readers.assemble.figures import (
    _FIGURE,
    _FULLWIDTH_GROUPS,
    FigureMatch,
    figures_within,
    find_figures,
)
from yusuan.text import is_plain_name, normalize_name

from .conftest import SAMPLE

# What figures are made of, and what surrounds them in 情况说明 texts.
PIECES = [
    *"0123456789",
    *"-−,，.．。；;：: %％()（）【】a",
    "万元",
    "万",
    "亿元",
    "元",
    "元/人",
    "人次",
    "人",
    "个",
    "平方米",
    "项目",
    "其中：",
    "比上年增加",
    "1，234",
    "12,345.67",
    "测试厅",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)
SAMPLE_PARAGRAPHS = [p for p in SAMPLE.read_text(encoding="utf-8").splitlines() if p.strip()]


def reference_figures(text: str) -> list[tuple[int, int, str, str, int, bool, str]]:
    """find_figures as first written: the full-width groups joined, then every match of the
    figure pattern, left to right."""
    source = text
    if "，" in text:
        text = _FULLWIDTH_GROUPS.sub(lambda m: m.group().replace("，", ","), text)
    out = []
    for m in _FIGURE.finditer(text):
        parsed = parse_number(m.group("num"))
        if parsed is None:
            continue
        raw = source[m.start("num") : m.end("num")].strip() if source is not text else parsed.raw
        unit = {"万": "万元", "％": "%"}.get(m.group("unit"), m.group("unit"))
        out.append(
            (m.start(), m.end(), unit, str(parsed.value), parsed.decimals, parsed.malformed, raw)
        )
    return out


def _key(found: list[FigureMatch]) -> list[tuple[int, int, str, str, int, bool, str]]:
    return [
        (
            f.start,
            f.end,
            f.unit,
            str(f.number.value),
            f.number.decimals,
            f.number.malformed,
            f.number.raw,
        )
        for f in found
    ]


@given(st.integers(min_value=-(10**22), max_value=10**22))
def test_amounts_printed_from_integers_as_from_decimals(fen: int) -> None:
    assert wan_text(fen) == format_amount(wan(fen))


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
@settings(max_examples=500)
def test_a_plain_name_is_its_own_key(name: str) -> None:
    if is_plain_name(name):
        assert normalize_name(name) == name


def test_every_cjk_ideograph_is_plain_and_its_own_key() -> None:
    for code in range(0x4E00, 0xA000):
        ch = chr(code)
        assert is_plain_name(ch) and normalize_name(ch) == ch


@given(TEXTS)
@settings(max_examples=2000)
def test_find_figures_finds_what_the_figure_pattern_finds(text: str) -> None:
    assert _key(find_figures(text)) == reference_figures(text)


def test_figures_of_the_sample_paragraphs() -> None:
    for text in SAMPLE_PARAGRAPHS:
        assert _key(find_figures(text)) == reference_figures(text), text


@given(TEXTS, st.data())
@settings(max_examples=2000)
def test_a_slice_takes_its_figures_from_its_paragraph_only_when_they_are_its_own(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    # Slices end where clauses and fields do (at a separator or the end), or anywhere.
    ends = [m.start() for m in re.finditer(r"[，。；;：:,]", text) if m.start() >= start]
    end = data.draw(st.sampled_from([*ends, len(text)]) | st.integers(start, len(text)))
    got = figures_within(text, start, end, find_figures(text))
    if got is not None:
        assert _key(got) == _key(find_figures(text[start:end]))


def test_clauses_of_the_sample_take_their_own_figures() -> None:
    used = 0
    for text in SAMPLE_PARAGRAPHS:
        found = find_figures(text)
        cuts = [0] + [m.end() for m in re.finditer(r"[，。；;]", text)]
        for a, b in zip(cuts, [*cuts[1:], len(text) + 1], strict=True):
            end = b - 1 if b <= len(text) else len(text)
            got = figures_within(text, a, end, found)
            if got is not None:
                used += 1
                assert _key(got) == _key(find_figures(text[a:end])), (text, a, end)
    assert used > 1000  # most clauses of a real disclosure are read this way
