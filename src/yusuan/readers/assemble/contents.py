"""The document's own 目录: which tables it publishes and which are empty.

A 目录 in running text (`目录 … 第二部分 2026年度部门预算报表 一、收支总表 二、收入总表 …`)
says which tables the document publishes: read as `ListedTable`s, it is what the reading is
measured against when no template says which tables there must be.

Xi'an's 部门综合预算 lists its 16 tables in a ruled 报表目录 (`报表 | 报表名称 | 是否空表 |
表格为空的理由`) and says there, not under the table, that 表9 is empty because it does not
apply (`是 | 不涉及`). That row is the document's statement about the empty table, so it
becomes a note of the table it names, where the completeness rule (C702) looks for it.
"""

from __future__ import annotations

import re

from yusuan.kinds import table_kind
from yusuan.model.document import Document, ListedTable
from yusuan.model.narrative import Paragraph
from yusuan.model.tables import Table, TableNote
from yusuan.profiles.schema import Profile
from yusuan.readers.captions import EMPTY_NOTE_RE
from yusuan.text import normalize_name

__all__ = ["contents_notes", "listed_tables"]

_YES = ("是", "√", "✓")


def contents_notes(doc: Document, profile: Profile) -> None:
    """Attach each `是否空表：是` line of the profile's contents tables to the table it names."""
    for spec in profile.tables:
        if spec.layout != "contents":
            continue
        contents = doc.tables.get(spec.key)
        if contents is None:
            continue
        for row in contents.rows:
            empty = row.texts.get("empty", "").strip()
            reason = row.texts.get("reason", "").strip()
            # A reason for publishing the table empty (`| | 不涉及`, 是否空表 left blank: 西安
            # 住建局 2022) says it is empty as well as a `是` does.
            if not empty.startswith(_YES) and not EMPTY_NOTE_RE.search(reason):
                continue
            target = _named(doc, row.label)
            if target is None:
                continue
            said = f"是否空表：{empty}" + (f"，{reason}" if reason else "") if empty else reason
            text = f"{contents.title}：{row.label} {said}"
            target.notes.append(TableNote(text, row.loc))


def _key(text: str) -> str:
    return normalize_name(text).replace('"', "").replace("'", "")


def _printed_number(label: str | None) -> int | None:
    """`表9` printed as the table's label (a profile inferred from the document numbers none)."""
    m = re.match(r"^\s*表\s*(\d+)\s*$", label or "")
    return int(m.group(1)) if m else None


def _named(doc: Document, label: str) -> Table | None:
    """The table a contents line names: by its printed number (`表9`), else by its title."""
    m = re.match(r"^\s*表\s*(\d+)", label)
    number = int(m.group(1)) if m else None
    key = _key(label)
    for table in doc.tables.values():
        if number is not None and number in (table.number, _printed_number(table.label)):
            return table
    for table in doc.tables.values():
        if table.title and _key(table.title) in key:
            return table
    return None


# Entries of a 目录 are short lines; its end is the first sentence of the body.
_ENTRY_MAX = 60
_CONTENTS_PAGES = 3  # a 目录 runs over at most this many pages after its heading
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．，,]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)
_PAGE_NUMBER = re.compile(r"[.．…·\-—\s]*\d+$")
_QUALIFIERS = re.compile(r"(?:[（(][^（()）]*[)）])+$")  # `（按功能分类科目）` after the title
# Where a line holds several entries (`六、…表七、…表`): before each ordinal of the list.
_NEXT_ENTRY = re.compile(r"(?<=[表）)])(?=(?:[一二三四五六七八九十]+|\d+)[、.．,，])")
_NOT_TABLES = frozenset({"contents", "performance"})


def listed_tables(paragraphs: list[Paragraph]) -> list[ListedTable]:
    """The tables a 目录 in running text lists, in its order; none without such a 目录.

    Only lines that end in 表 and name a kind of table count (`第四部分 政府采购预算情况` is a
    chapter of the 说明); 绩效目标表 are left out, since a document lists them by project or
    not at all. The 目录 ends at its first sentence, a line too long for an entry, or pages
    after its heading."""
    start = next(
        (i for i, p in enumerate(paragraphs[:200]) if normalize_name(p.text) == "目录"), None
    )
    if start is None:
        return []
    first_page = paragraphs[start].loc.page
    found: list[ListedTable] = []
    seen: set[str] = set()
    for para in paragraphs[start + 1 :]:
        page = para.loc.page
        if page is not None and first_page is not None and page > first_page + _CONTENTS_PAGES:
            break
        text = normalize_name(para.text)
        if text in seen:
            break  # the body begins, with the first heading the 目录 listed
        seen.add(text)
        for part in _NEXT_ENTRY.split(text):
            if "。" in part or "万元" in part or len(part) > _ENTRY_MAX:
                return found
            entry = _ORDINAL.sub("", _PAGE_NUMBER.sub("", part))
            if not _QUALIFIERS.sub("", entry).endswith("表") or "说明" in entry:
                continue
            kind = table_kind(entry)
            if kind is not None and kind not in _NOT_TABLES:
                found.append(ListedTable(entry, kind, para.loc))
    return found
