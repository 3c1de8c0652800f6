"""The words around a printed table, shared by every reader: labels (`表1`, `公开01表`,
`预算01表`, `公开表1`, `（预算表 1）`, `表一`), the 编制部门/单位 line, the 单位：万元 line, notes
and the statements of empty tables. One vocabulary, so that a label or org line one reader
knows is known to all of them (PDF, spreadsheet, text).
"""

from __future__ import annotations

import re

# A table's printed label, without brackets or trailing punctuation.
LABEL = (
    r"(?:(?:公开|预算|决算|部门|附)\s*\d{1,2}\s*表"
    r"|(?:公开|预算|决算|部门|附)?\s*表\s*(?:\d{1,2}(?:\s*[-－–—]\s*\d{1,2})?|[一二三四五六七八九十]{1,3}(?=[\s：:、.．）)]|$|[^\u4e00-\u9fff]))"
    r")"
)
# A label at the start of a line, maybe bracketed (`（预算表 1）`), before a title or alone.
LABEL_RE = re.compile(rf"^[（(]?\s*(?P<label>{LABEL})\s*[）)]?(?:[：:、.．]|(?=\D)|$)")
# Who prepared the table: `编制部门：…`, `部门（单位）：…`, `单位：XXX局` (not `单位：万元`),
# `资金主管部门：…` (重庆 绩效目标表).
ORG_KEYS = (
    r"编制部门|编制单位|单位名称|部门名称|预算单位|预算部门|填报单位|填报部门|(?:资金)?主管部门"
    r"|部门[（(]单位[）)]|单位[（(]部门[）)]|部门|单位"
)
ORG_RE = re.compile(
    rf"(?:^|\s)(?P<key>{ORG_KEYS})\s*[：:]\s*"
    r"(?!(?:亿元|百万元|万元|千元|元)\b)(?P<org>\S+?)(?=\s*(?:金额|计量)?单位\s*[：:]|\s*$)"
)
UNIT_RE = re.compile(r"(?:金额|计量)?单位\s*[：:]\s*(?P<unit>亿元|百万元|万元|千元|元)")
NOTE_RE = re.compile(r"^(?:注|备注|说明)\s*\d?\s*[：:]")
EMPTY_NOTE_RE = re.compile(
    r"空表|不涉及|无数据|本表无|无相关|无此项|无该项|没有.*(?:收支|支出|收入)"
)
YEAR_RE = re.compile(r"^[（(]\s*\d{4}\s*年度?\s*[）)]$")
TITLE_END_RE = re.compile(r"表\s*(?:[（(][^（）()]{1,30}[）)])?$")


def normalize_label(label: str) -> str:
    """`公开 01 表` → `公开01表`, `（预算表 1）` → `预算表1`."""
    return re.sub(r"[\s（()）]", "", label)
