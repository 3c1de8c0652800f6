"""Codes for classification rows printed by name alone.

Some templates list the 功能分类 类 of a 收支总表 by name only (上海: `一、一般公共服务支出`),
while their other tables print the same 类 with its code. Identities per code need the code,
so once every table is read, each such row takes the code that the document's own tables
print for that name; failing that, the code the classification catalog gives the name in the
document's year. A name found nowhere makes the table unreliable: its checks are not run.
"""

from __future__ import annotations

from yusuan.catalog import load_catalog, names_match
from yusuan.model.document import Document
from yusuan.model.tables import Row, RowKind, Table
from yusuan.profiles.schema import Profile
from yusuan.text import normalize_name

__all__ = ["class_code", "resolve_named_codes"]

_LIST_OF = {"function": "function", "economic": "economic_dept"}


def _unnamed(table: Table) -> list[Row]:
    return [r for r in table.rows if r.kind is RowKind.CODE and r.code is None]


def resolve_named_codes(doc: Document, profile: Profile) -> None:
    pending: list[tuple[Table, str, Row, bool]] = []
    printed: dict[tuple[str, str], str] = {}  # (classification, name) → 类 code
    for spec in profile.tables:
        table = doc.tables.get(spec.key)
        if table is None:
            continue
        kinds: dict[str, str] = {p.key: p.classification for p in spec.panels if p.classification}
        inferred = {p.key for p in spec.panels if p.inferred_classes}
        for row in table.rows:
            classification = kinds.get(row.panel or "") or spec.classification
            if classification is None:
                continue
            if row.code is None:
                if row.kind is RowKind.CODE:
                    pending.append((table, classification, row, row.panel in inferred))
            elif row.level == 1 and row.label:
                printed.setdefault((classification, normalize_name(row.label)), row.code)
    if not pending:
        return
    for table, classification, row, by_inference in pending:
        code = printed.get((classification, normalize_name(row.label)))
        if code is None:
            code = _from_catalog(row.label, classification, doc.year)
        if code is None and by_inference:
            row.kind = RowKind.ITEM  # a side taken for 类 by their names lists other rows too
            continue
        if code is None and all(c.value is None for c in row.cells.values()):
            # A 类 the template lists but the document leaves blank (西安 `2、外交支出`): no
            # figure depends on its code, so an unknown name costs nothing.
            row.kind = RowKind.ITEM
            continue
        if code is None:
            table.problems.append(
                f"{row.loc.describe()}：「{row.label}」没有印科目编码，文件的其他表和分类科目目录中"
                "都没有同名的类"
            )
            table.readable = False
            continue
        row.code = code
        row.level = 1


def class_code(name: str, year: int | None = None) -> str | None:
    """The code of the 功能分类 类 the catalog names `name` (`一般公共服务支出` → 201)."""
    return _from_catalog(name, "function", year)


def _from_catalog(name: str, classification: str, year: int | None) -> str | None:
    cat = load_catalog()
    list_name = _LIST_OF[classification]
    editions = cat.editions(list_name)
    if not editions:
        return None
    edition = cat.edition_for(list_name, year) if year is not None else editions[-1]
    # The lists are partial (attested codes only): a 类 missing from the document's edition
    # is looked up in the others, nearest first — 类 keep their codes across editions.
    for ed in sorted(editions, key=lambda e: (abs(e - edition), -e)):
        for entry in cat.entries_in(list_name, ed):
            if entry.level == 1 and names_match(entry.name, name):
                return entry.code
    return None
