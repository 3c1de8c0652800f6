"""部门概况 facts: budget units listed, counts stated, offices, staffing with changes."""

from __future__ import annotations

import re

from yusuan.model.document import Fact, Listed, Overview
from yusuan.model.narrative import Change, Figure
from yusuan.money import parse_number
from yusuan.readers.ir import RawParagraph
from yusuan.text import strip_ordinal

_SUBUNITS = re.compile(r"下属\s*(\d+)\s*(?:家|个)(?:预算)?单位")
_ADMIN = re.compile(r"行政单位\s*(\d+)\s*(?:家|个)")
_PUBLIC = re.compile(r"(?<!参公)事业单位\s*(\d+)\s*(?:家|个)")
_QUASI = re.compile(r"参公(?:事业)?单位\s*(\d+)\s*(?:家|个)")
# `下设 N 个处室：…`, `设12个内设机构，包括：…` (not `建设3个…`).
_OFFICES = re.compile(
    r"(?<![建增开假])设\s*(\d+)\s*个(?:处室|内设机构|科室|部门)[^：:]*[：:]\s*(.+?)[。]?$"
)
# `人民建议征集处和市民服务热线管理办公室`: two offices joined by 和/及 (not `人力资源和社会保障处`).
_JOINED = re.compile(r"(?<=[处室科局办部队站所组])(?:和|及)")


def _office_names(listing: str) -> list[str]:
    """The offices of a `设 N 个内设机构，包括：…` list, as printed: up to the end of its clause
    (`；3个下属单位，具体包括：…` lists units, not offices); a bracket holds another name of the
    same office (`文艺处（电影处）`), so nothing inside brackets separates two offices."""
    names: list[str] = []
    depth, current = 0, ""
    for ch in listing:
        if depth == 0 and ch in "；;。":
            break
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        if depth == 0 and ch in "、，,":
            names += _JOINED.split(current)
            current = ""
        else:
            current += ch
    names += _JOINED.split(current)
    return [n.strip() for n in names if n.strip()]


_UNITS_INTRO = re.compile(
    r"(?:下属)?预算单位(?:包括|有)[：:]?\s*$|纳入.*预算编制范围.*包括[：:]?\s*$"
    r"|预算单位.*具体包括[：:]\s*$"
    # `本部门中，行政单位1家，参公单位1家，事业单位4家，具体包括：` (its own paragraph)
    r"|单位\s*\d+\s*家.*具体包括[：:]\s*$"
)
_STAFF = {
    "编制数": re.compile(r"编制(?:数|人数)\s*(?:为)?\s*([\d,]+)"),
    "实有人数": re.compile(r"实有人数\s*(?:为)?\s*([\d,]+)\s*人"),
    "在职": re.compile(r"在职(?:人员)?\s*([\d,]+)\s*人(?:[，,]\s*(增加|减少)\s*([\d,]+)\s*人)?"),
    "退休": re.compile(r"退休(?:人员)?\s*([\d,]+)\s*人(?:[，,]\s*(增加|减少)\s*([\d,]+)\s*人)?"),
    "离休": re.compile(r"离休(?:人员)?\s*([\d,]+)\s*人(?:[，,]\s*(增加|减少)\s*([\d,]+)\s*人)?"),
}


def _figure(raw: str, unit: str, para: RawParagraph, start: int, end: int) -> Figure | None:
    parsed = parse_number(raw)
    if parsed is None:
        return None
    return Figure(
        parsed.value, unit, raw, para.loc_span(start, end), parsed.decimals, parsed.malformed
    )


def paragraphs_to_overview(paras: list[RawParagraph]) -> Overview:
    ov = Overview()
    collecting_units = False
    for para in paras:
        text = para.text
        if collecting_units:
            if (para.heading_level is None and re.match(r"^\d+\s*[、.．]", text.strip())) or (
                ov.units and para.heading_level is None and len(text) < 40 and "。" not in text
            ):
                ov.units.append(Listed(strip_ordinal(text).strip("；;。"), para.loc))
                continue
            collecting_units = False
        for attr, pattern in (
            ("subunits_stated", _SUBUNITS),
            ("admin_units", _ADMIN),
            ("public_units", _PUBLIC),
            ("quasi_units", _QUASI),
        ):
            m = pattern.search(text)
            if m and getattr(ov, attr) is None:
                setattr(ov, attr, _figure(m.group(1), "家", para, m.start(1), m.end(1)))
        m = _OFFICES.search(text)
        if m:
            ov.offices_stated = _figure(m.group(1), "个", para, m.start(1), m.end(1))
            ov.offices = [Listed(n, para.loc) for n in _office_names(m.group(2))]
        if _UNITS_INTRO.search(text):
            collecting_units = True
        for key, pattern in _STAFF.items():
            sm = pattern.search(text)
            if not sm or key in ov.staffing:
                continue
            fig = _figure(sm.group(1), "人", para, sm.start(1), sm.end(1))
            if fig is None:
                continue
            change = None
            if sm.lastindex and sm.lastindex >= 3 and sm.group(2):
                delta = _figure(sm.group(3), "人", para, sm.start(3), sm.end(3))
                change = Change(word=sm.group(2), amount=delta)
            ov.staffing[key] = Fact(key, key, fig, change)
    return ov
