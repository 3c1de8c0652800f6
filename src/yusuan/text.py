"""Text helpers shared by readers and rules: markup stripping and name normalisation."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_TAG = re.compile(r"</?(?:b|strong|p|span|br|i|em|u|font|div)\b[^>]*>", re.IGNORECASE)
_BOLD = re.compile(r"<(?:b|strong)\b", re.IGNORECASE)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A space between two CJK characters is an artefact of PDF conversion (a wrapped cell).
_CJK_GAP = re.compile(rf"(?<=[{_CJK}（）()“”、，。：；])\s+(?=[{_CJK}（）()“”、，。：；])")
_SPACES = re.compile(r"\s+")


def strip_markup(text: str) -> str:
    """Remove the inline HTML that PDF converters leave in cells (`<b>`, `<p>`, `&nbsp;`)."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def has_bold(text: str) -> bool:
    return bool(_BOLD.search(text))


_NEEDS_CLEANING = re.compile(r"[<&\s\u3000\xa0]")


def clean_text(text: str) -> str:
    """Markup removed, whitespace collapsed, spaces inside Chinese words dropped."""
    if not _NEEDS_CLEANING.search(text):
        return text  # the common case: a bare number or name (most table cells)
    if text.startswith("<b>") and text.endswith("</b>"):
        inner = text[3:-4]  # the next most common: a bold number or name
        if not _NEEDS_CLEANING.search(inner):
            return inner
    text = strip_markup(text).replace("\u3000", " ").replace("\xa0", " ")
    text = _SPACES.sub(" ", text).strip()
    if " " in text:
        text = _CJK_GAP.sub("", text)
    return text


_PUNCT_MAP = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "〔": "(",
        "〕": ")",
        "，": ",",
        "：": ":",
        "；": ";",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "、": ",",
        "－": "-",
        "—": "-",
    }
)


# ASCII letters and digits and CJK ideographs (U+4E00–U+9FFF, which NFKC leaves as they are).
_PLAIN_NAME = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]+")


def is_plain_name(text: str) -> bool:
    """A name that is its own `normalize_name` key: nothing to strip, fold or drop. Callers
    that meet a million distinct names (a ledger's projects) skip normalising these."""
    return _PLAIN_NAME.fullmatch(text) is not None


@lru_cache(maxsize=8192)
def normalize_name(text: str) -> str:
    """A key for comparing names: no markup, no spaces, one kind of bracket and punctuation.

    `自治区社会保障项目（含成本性支出）` and `自治区社会保障项目(含成本性支出)` compare equal,
    as do `新疆维吾尔自治区人力资源和社会 保障厅本级` and its unbroken form.
    """
    text = unicodedata.normalize("NFKC", strip_markup(text))
    text = text.translate(_PUNCT_MAP)
    return _SPACES.sub("", text)


_ORDINAL = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]?\d+[)）、.．]\s*|其中[:：]\s*)+"
)


def strip_ordinal(text: str) -> str:
    """Drop list numbering and `其中：` in front of an item label (`1、一般公共预算拨款`)."""
    return _ORDINAL.sub("", text).strip()
