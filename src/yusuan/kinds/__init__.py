"""Table kinds and column roles: the structure every disclosure shares, as data.

A table's *kind* (收支总表, 一般公共预算基本支出表 …) is recognised from its printed title and a
column's *role* (合计, 基本支出, 一般公共预算 …) from its printed header cells, whatever the
template, its numbering or its column order. `data/kinds.toml` holds the catalogue; the
identities between kinds it states are checked on documents whose template no profile knows.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yusuan.text import normalize_name

__all__ = [
    "Catalogue",
    "KindIdentity",
    "KindSpec",
    "NarrativeFigure",
    "NarrativeSubject",
    "RoleSpec",
    "catalogue",
    "column_role",
    "kind_name",
    "narrative_subject",
    "performance_column",
    "role_name",
    "table_kind",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindSpec(_Strict):
    id: str
    name: str
    all: list[list[str]]
    none: list[str] = Field(default_factory=list)


class RoleSpec(_Strict):
    id: str
    name: str
    exact: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)


class KindIdentity(_Strict):
    id: str
    label: str
    kind: str | None = None
    check: Literal["panel-totals", "cells"] = "cells"
    # [kind, row, role]: row is `total` (the total row) or `code` (every classification code)
    left: list[str] = Field(default_factory=list)
    right: list[str] = Field(default_factory=list)
    relation: Literal["eq", "ge", "le"] = "eq"
    # Checked only where the tables print a column of each role: most templates print no
    # such column (人员经费 in the 一般公共预算支出表), and its absence leaves nothing unchecked.
    optional: bool = False


class NarrativeFigure(_Strict):
    """Where a figure a narrative subject may restate is printed: in each table of `kinds`
    (`*`: any), the rows whose label holds one of `rows` (`@total`: the total rows; none: every
    row of this year), in the columns of the `columns` roles (`*`: every named column of this
    year's amounts)."""

    kinds: list[str]
    rows: list[str] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=lambda: ["*"])


class NarrativeSubject(_Strict):
    id: str
    name: str
    subject: list[str]  # words one of which the statement's subject holds
    # None: a subject no table states as one figure (政府采购 by type); the search stops there.
    figures: list[NarrativeFigure] = Field(default_factory=list)


class NarrativeCodes(_Strict):
    """The tables a 类/款/项 named in the narrative is looked up in, by path or by 类 name."""

    kinds: list[str]
    columns: list[str] = Field(default_factory=lambda: ["*"])


class Catalogue(_Strict):
    kind: list[KindSpec]
    role: list[RoleSpec]
    # The columns of a 绩效目标表 grid, by header word: ids are the grid's column keys.
    performance_column: list[RoleSpec] = Field(default_factory=list)
    identity: list[KindIdentity] = Field(default_factory=list)
    # What an amount of the 情况说明 may restate when no profile binds it (rule N311).
    narrative: list[NarrativeSubject] = Field(default_factory=list)
    narrative_codes: NarrativeCodes | None = None
    # The totals a share of the narrative (`占 Y%`) may be taken of (rule N312).
    narrative_share_base: list[NarrativeFigure] = Field(default_factory=list)


@cache
def catalogue() -> Catalogue:
    text = (resources.files("yusuan.kinds") / "data" / "kinds.toml").read_text(encoding="utf-8")
    return Catalogue.model_validate(tomllib.loads(text))


def _key(text: str) -> str:
    return normalize_name(text).replace('"', "").replace("“", "").replace("”", "")


def table_kind(title: str) -> str | None:
    """The kind of a table from its printed title (None when no kind's words are in it)."""
    key = _key(title)
    if not key:
        return None
    for spec in catalogue().kind:
        if any(all(w in key for w in words) for words in spec.all) and not any(
            w in key for w in spec.none
        ):
            return spec.id
    return None


# `预算数（万元）`, `预算数（功能分类）`: a unit or a qualifier in brackets after the word.
_QUALIFIER = re.compile(r"\([^()]*\)$")


def _leaf_role(text: str) -> str | None:
    roles = catalogue().role
    bare = _QUALIFIER.sub("", text)
    for spec in roles:
        if text in spec.exact or (bare and bare in spec.exact):
            return spec.id
    for spec in roles:
        if any(p in text for p in spec.patterns):
            return spec.id
    return None


_YEAR = re.compile(r"^(\d{4})年度?")
_YEAR_ON_YEAR = re.compile(r"^\d{4}年?(?:比|较|对比)\d{4}年?")


def column_role(headers: Sequence[str], year: int | None = None) -> str | None:
    """The role of a column from its header cells, outermost first (`["财政拨款", "小计"]` →
    `fiscal`). None when the header names nothing the catalogue knows: such a column is
    reported and no identity between kinds uses it.

    `year` is the year the table's figures are for: `2026年预算数` is then the amount and
    `2025年预算数 › 合计` last year's (a year cell names the budget year, not a role)."""
    return _column_role(tuple(headers), year)


@lru_cache(maxsize=4096)  # the columns of a template's tables, asked for at every read
def _column_role(headers: tuple[str, ...], year: int | None) -> str | None:
    cells = [_key(h) for h in headers if h and h.strip()]
    if year is not None:
        stripped = []
        for cell in cells:
            m = _YEAR.match(cell)
            if m and int(m.group(1)) < year:
                return "prior-year"
            if m and int(m.group(1)) == year:
                cell = cell[m.end() :] or "金额"
            stripped.append(cell)
        cells = [c for c in stripped if c]
    if not cells:
        return None
    # Under 增减变化情况 every column is a change (`增减变化情况 › 公务接待费`), and so is a
    # column comparing two years (`2022比2021`).
    if any(_leaf_role(c) == "change" or _YEAR_ON_YEAR.match(c) for c in cells):
        return "change"
    leaf = cells[-1]
    role = _leaf_role(leaf)
    if role == "total" and leaf in _total_words():
        # `财政拨款 › 小计` is the 财政拨款 total; `支出预算 › 合计` is the table's.
        for parent in reversed(cells[:-1]):
            inner = _leaf_role(parent)
            if inner not in (None, "total", "amount"):
                return inner
    if role is None:
        # A column the catalogue does not name is a part of the group over it
        # (`项目支出 › 业务经费`, `编制人数 › 行政`).
        for parent in reversed(cells[:-1]):
            inner = _leaf_role(parent)
            if inner not in (None, "total", "amount"):
                return inner
    return role


@cache
def _total_words() -> frozenset[str]:
    return frozenset(w for r in catalogue().role if r.id == "total" for w in r.exact)


def performance_column(header: str) -> str | None:
    """The key of a 绩效目标表 grid column from its header text (`指标名称` → `level3`), or
    None when it names no column of such a grid (a money column, `是否核心`)."""
    text = _QUALIFIER.sub("", _key(header))
    if not text:
        return None
    for spec in catalogue().performance_column:
        if text in spec.exact or any(p in text for p in spec.patterns):
            return spec.id
    return None


def narrative_subject(subject: str) -> NarrativeSubject | None:
    """The first narrative entry one of whose words `subject` holds (quotes and spaces
    dropped), or None."""
    key = _key(subject)
    for entry in catalogue().narrative:
        if any(_key(w) in key for w in entry.subject):
            return entry
    return None


def kind_name(kind: str) -> str:
    return next((k.name for k in catalogue().kind if k.id == kind), kind)


def role_name(role: str) -> str:
    return next((r.name for r in catalogue().role if r.id == role), role)
