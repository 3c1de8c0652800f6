"""A 报表目录 printed as a table: which tables the document publishes and which are empty.

Xi'an's 部门综合预算 lists its 16 tables in a ruled 报表目录 (`报表 | 报表名称 | 是否空表 |
表格为空的理由`) and says there, not under the table, that 表9 is empty because it does not
apply (`是 | 不涉及`). That row is the document's statement about the empty table, so it
becomes a note of the table it names, where the completeness rule (C702) looks for it.
"""

from __future__ import annotations

import re

from yusuan.model.document import Document
from yusuan.model.tables import Table, TableNote
from yusuan.profiles.schema import Profile
from yusuan.readers.captions import EMPTY_NOTE_RE
from yusuan.text import normalize_name

__all__ = ["contents_notes"]

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
