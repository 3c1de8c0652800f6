"""项目 blocks of the narrative: 项目名称 / 预算安排规模 / 项目承担单位 / 资金分配情况 …"""

from __future__ import annotations

import re
import sys
from decimal import Decimal

from yusuan.model.narrative import Project
from yusuan.readers.assemble.figures import FigureMatch, figures_within, find_figures, to_figure
from yusuan.readers.ir import RawParagraph
from yusuan.text import clean_text

_START = re.compile(
    r"^\s*(?P<ord>[（(][一二三四五六七八九十百零\d]+[)）]|\d+[、.．])?\s*项目名称\s*[:：]\s*(?P<name>.+?)\s*$"
)
_FIELD = re.compile(r"^\s*(?P<key>[^：:，,。]{2,14})\s*[:：]\s*(?P<value>.*)$")


def paragraphs_to_projects(
    paras: list[RawParagraph],
    secret_markers: tuple[str, ...] = ("完全不予公开", "涉密"),
    figures: list[list[FigureMatch]] | None = None,
) -> list[Project]:
    """The project blocks of the paragraphs (`figures`: each paragraph's, when found already)."""
    projects: list[Project] = []
    current: Project | None = None
    for n, para in enumerate(paras):
        m = _START.match(para.text)
        if m:
            current = Project(
                name=clean_text(m.group("name")), loc=para.loc, ordinal=m.group("ord") or ""
            )
            projects.append(current)
            continue
        if current is None or para.heading_level is not None:
            if para.heading_level is not None:
                current = None
            continue
        fm = _FIELD.match(para.text)
        if not fm:
            continue
        # Every block repeats the same few keys: one string each, not one per project.
        key, value = sys.intern(fm.group("key").strip()), fm.group("value").strip()
        current.fields[key] = value
        for marker in secret_markers:
            if marker in value:
                current.secret = True
                break
        offset = fm.start("value")
        if "预算安排规模" in key or key in ("预算金额", "项目金额", "预算数"):
            found = (
                figures_within(para.text, offset, offset + len(value), figures[n])
                if figures is not None and value and para.text.startswith(value, offset)
                else None
            )
            if found is None:
                found = find_figures(value)
            money = [f for f in found if f.is_money]
            if money:
                current.scale = to_figure(money[0], para, offset)
        elif "承担单位" in key or key in ("实施单位", "预算单位"):
            current.unit_name = clean_text(value).strip("。")
        elif "资金分配" in key:
            current.allocation = value
            current.allocation_loc = para.loc
            matches, listed = allocation_matches(value)
            current.allocation_figures = [to_figure(f, para, offset) for f in matches]
            current.allocation_listed = listed
    return projects


_PARENS = re.compile(r"[（(][^（）()]*[)）]")


def allocation_matches(text: str) -> tuple[list[FigureMatch], bool]:
    """The money a 资金分配情况 text states outside brackets (brackets hold remarks) before
    any `其中` list, and whether such a list follows (then the first amount is the total)."""
    plain = _PARENS.sub(_blank, text) if ("（" in text or "(" in text) else text
    cut = plain.find("其中")
    head = plain[:cut] if cut >= 0 else plain
    return [f for f in find_figures(head) if f.is_money], cut >= 0


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def allocated_in_text(text: str) -> Decimal | None:
    """The amount an allocation text allocates (what rule S502 holds to 预算安排规模)."""
    matches, listed = allocation_matches(text)
    if not matches:
        return None
    if listed:
        return matches[0].number.value
    return sum((f.number.value for f in matches), Decimal(0))
