"""The text of ``yusuan codes``: plain lines, no styling, so any front end can print them."""

from __future__ import annotations

from typing import Any

from yusuan.catalog.catalog import Catalog, load_catalog
from yusuan.catalog.codes import normalize_code
from yusuan.catalog.harvest import classify_code
from yusuan.catalog.model import CatalogEntry

__all__ = ["format_lookup", "lookup_data"]


def format_lookup(
    query: str,
    *,
    search: bool = False,
    list_name: str | None = None,
    edition: int | None = None,
    limit: int = 20,
    catalog: Catalog | None = None,
) -> list[str]:
    """Lines answering ``yusuan codes 2080101`` (a code, split forms allowed) or
    ``yusuan codes --search 养老`` (`search=True`: name substring or code prefix).

    Each answer gives the code and name, list and level, path name, editions, and sources
    (with the pages or lines where they print the code, for a single-code answer). `edition`
    picks the edition whose names the path uses (default: the newest).
    """
    cat = catalog if catalog is not None else load_catalog()
    if search:
        return _search_lines(cat, query, list_name, edition, limit)
    try:
        code = normalize_code(query)
    except ValueError:
        return [f"「{query.strip()}」不是 3、5 或 7 位的科目编码；按名称查找请用 --search"]
    lists = [list_name] if list_name else cat.lists()
    found = [name for name in lists if cat.entries(code, name)]
    if not found:
        return _unknown_lines(cat, code, list_name, edition)
    lines: list[str] = []
    for name in found:
        if lines:
            lines.append("")
        lines += _code_lines(cat, code, name, edition)
    return lines


def _editions_text(entries: list[CatalogEntry]) -> str:
    return "、".join(str(e.edition) for e in sorted(entries, key=lambda e: e.edition))


def _source_keys(entries: list[CatalogEntry]) -> list[str]:
    """Source keys of all editions, newest edition first."""
    keys: list[str] = []
    for e in sorted(entries, key=lambda e: -e.edition):
        keys += [k for k in e.sources if k not in keys]
    return keys


def _sources_text(entries: list[CatalogEntry], keep: int = 6) -> str:
    keys = _source_keys(entries)
    more = f" 等 {len(keys)} 个" if len(keys) > keep else ""
    return "、".join(keys[:keep]) + more


def _code_lines(cat: Catalog, code: str, list_name: str, edition: int | None) -> list[str]:
    entries = cat.entries(code, list_name)  # newest first, not empty
    main = next((e for e in entries if e.edition == edition), entries[0])
    level = cat.level_label(list_name, main.level)
    lines = [
        f"{code} {main.name}",
        f"  目录：{cat.list_title(list_name)}（{list_name}）· {level}",
        f"  路径：{cat.path_name(code, main.edition, list_name, partial=True)}",
        f"  版本：{_editions_text(entries)}",
    ]
    names = {e.edition: e.name for e in entries}
    if len(set(names.values())) > 1:
        lines.append("  各版名称：" + "；".join(f"{ed} {n}" for ed, n in sorted(names.items())))
    for ren in cat.renamings(list_name):
        if ren.code == code:
            lines.append(f"  更名：{ren.old_name} → {ren.new_name}（最迟自 {ren.edition} 版）")
    for c in cat.conflicts(list_name, code):
        note = f"：{c.note}" if c.note else ""
        lines.append(f"  未采用的异名：{c.name}（{'、'.join(c.sources)}，{c.edition} 版）{note}")
    local = cat.local_codes(code, list_name)
    if local is not None:
        lines.append(f"  地方细化科目（{local.region}），不属于全国统一科目")
    where: dict[str, list[str]] = {}
    for a in cat.attestations(code, list_name):
        if a.where and a.name == names.get(a.edition):  # the kept name, not a variant
            where.setdefault(a.source, []).append(a.where)
    lines.append("  来源：")
    known = set(cat.source_keys())
    for key in _source_keys(entries):
        desc = cat.sources(key).describe() if key in known else key
        at = " ".join(where.get(key, []))
        lines.append(f"    {desc}" + (f"：{_short_where(at)}" if at else ""))
    return lines


def _short_where(where: str, keep: int = 8) -> str:
    """``p8 p10 p15`` → ``第 8、10、15 页``; ``l164 l233`` → ``第 164、233 行`` (first `keep`)."""
    marks = where.split()
    pages = [m[1:] for m in marks if m.startswith("p")]
    lines = [m[1:] for m in marks if m.startswith("l")]
    out = []
    for nums, unit in ((pages, "页"), (lines, "行")):
        if nums:
            more = "等" if len(nums) > keep else ""
            out.append(f"第 {'、'.join(nums[:keep])}{more} {unit}")
    return "，".join(out)


def _unknown_lines(
    cat: Catalog, code: str, list_name: str | None, edition: int | None
) -> list[str]:
    guess = list_name or classify_code(code) or _BY_FIRST_DIGIT.get(code[0])
    lists = [guess] if guess else cat.lists()
    branch = cat.parent(code) or "类一级"
    lines = []
    for name in lists:
        eds = cat.editions(name)
        if not eds:
            continue
        lines.append(f"{code}：{cat.list_title(name)}（{name}）未收录")
        asked = [edition] if edition is not None else eds
        complete = [ed for ed in asked if cat.is_complete(code, name, ed)]
        if complete:
            years = "、".join(map(str, complete))
            lines.append(f"  {years} 版的 {branch} 分支已完整收录：{code} 不是这些版本的有效科目")
        rest = "、".join(str(ed) for ed in asked if ed not in complete)
        if rest:
            lines.append(f"  {rest} 版的 {branch} 分支未标记为完整：未收录不等于编码无效")
        near = cat.closest(code, name, edition)
        if near:
            lines.append("  相近编码：" + "；".join(f"{e.code} {e.name}" for e in near))
    return lines or [f"{code}：分类科目目录未收录"]


_BY_FIRST_DIGIT = {"2": "function", "3": "economic_dept", "5": "economic_gov"}


def _search_lines(
    cat: Catalog, query: str, list_name: str | None, edition: int | None, limit: int
) -> list[str]:
    hits = cat.search(query, list_name, limit + 1)
    if not hits:
        return [f"没有名称包含「{query.strip()}」或编码以其开头的科目"]
    shown = hits[:limit]
    more = f"（仅列前 {limit} 条）" if len(hits) > limit else ""
    lines = [f"查找「{query.strip()}」：{len(shown)} 条{more}"]
    for hit in shown:
        entries = cat.entries(hit.code, hit.list_name)
        level = cat.level_label(hit.list_name, hit.level)
        path = cat.path_name(hit.code, edition, hit.list_name, partial=True)
        lines.append(
            f"{hit.code} {hit.name}｜{cat.list_title(hit.list_name)}·{level}｜{path}"
            f"｜版本 {_editions_text(entries)}｜来源 {_sources_text(entries)}"
        )
    return lines


# ───────────────────────────── the same answers as data ─────────────────────────────


def lookup_data(
    query: str,
    *,
    search: bool = False,
    list_name: str | None = None,
    edition: int | None = None,
    limit: int = 20,
    catalog: Catalog | None = None,
) -> dict[str, Any]:
    """The answer of `format_lookup` as JSON-ready data (``yusuan codes --format json``).

    ``found`` says whether anything answered. A code lookup gives one record per list that
    has the code (``results``), or for an unknown code what each list can say about it
    (``unknown``: editions whose branch is complete, closest codes). A search gives one
    record per hit. Raises ValueError when `query` is not a code (and `search` is False).
    """
    cat = catalog if catalog is not None else load_catalog()
    if search:
        hits = cat.search(query, list_name, limit + 1)
        return {
            "query": query.strip(),
            "mode": "search",
            "found": bool(hits),
            "truncated": len(hits) > limit,
            "results": [_hit_record(cat, h, edition) for h in hits[:limit]],
        }
    code = normalize_code(query)
    lists = [list_name] if list_name else cat.lists()
    found = [name for name in lists if cat.entries(code, name)]
    out: dict[str, Any] = {
        "query": query.strip(),
        "mode": "code",
        "code": code,
        "found": bool(found),
        "results": [_code_record(cat, code, name, edition) for name in found],
    }
    if not found:
        guess = list_name or classify_code(code) or _BY_FIRST_DIGIT.get(code[0])
        out["unknown"] = [
            _unknown_record(cat, code, name, edition)
            for name in ([guess] if guess else cat.lists())
            if cat.editions(name)
        ]
    return out


def _source_record(cat: Catalog, key: str, where: str = "") -> dict[str, Any]:
    known = set(cat.source_keys())
    if key not in known:
        return {"key": key, "where": where}
    src = cat.sources(key)
    return {
        "key": key,
        "document": src.document,
        "region": src.region,
        "kind": src.kind,
        "edition": src.edition,
        "where": where,
    }


def _code_record(cat: Catalog, code: str, list_name: str, edition: int | None) -> dict[str, Any]:
    entries = cat.entries(code, list_name)
    main = next((e for e in entries if e.edition == edition), entries[0])
    names = {e.edition: e.name for e in entries}
    where: dict[str, list[str]] = {}
    for a in cat.attestations(code, list_name):
        if a.where and a.name == names.get(a.edition):
            where.setdefault(a.source, []).append(a.where)
    local = cat.local_codes(code, list_name)
    return {
        "list": list_name,
        "list_title": cat.list_title(list_name),
        "code": code,
        "name": main.name,
        "level": main.level,
        "level_label": cat.level_label(list_name, main.level),
        "parent": main.parent,
        "path": cat.path_name(code, main.edition, list_name, partial=True),
        "editions": sorted(names),
        "names_by_edition": {str(ed): n for ed, n in sorted(names.items())},
        "renamings": [
            {"old_name": r.old_name, "new_name": r.new_name, "edition": r.edition, "note": r.note}
            for r in cat.renamings(list_name)
            if r.code == code
        ],
        "rejected_names": [
            {"name": c.name, "sources": list(c.sources), "edition": c.edition, "note": c.note}
            for c in cat.conflicts(list_name, code)
        ],
        "local": {"region": local.region, "note": local.note} if local else None,
        "sources": [
            _source_record(cat, key, " ".join(where.get(key, []))) for key in _source_keys(entries)
        ],
    }


def _unknown_record(cat: Catalog, code: str, list_name: str, edition: int | None) -> dict[str, Any]:
    asked = [edition] if edition is not None else cat.editions(list_name)
    complete = [ed for ed in asked if cat.is_complete(code, list_name, ed)]
    return {
        "list": list_name,
        "list_title": cat.list_title(list_name),
        "branch": cat.parent(code),
        "complete_in": complete,
        "partial_in": [ed for ed in asked if ed not in complete],
        "closest": [
            {
                "code": e.code,
                "name": e.name,
                "editions": [x.edition for x in cat.entries(e.code, list_name)],
            }
            for e in cat.closest(code, list_name, edition)
        ],
    }


def _hit_record(cat: Catalog, hit: CatalogEntry, edition: int | None) -> dict[str, Any]:
    entries = cat.entries(hit.code, hit.list_name)
    return {
        "list": hit.list_name,
        "list_title": cat.list_title(hit.list_name),
        "code": hit.code,
        "name": hit.name,
        "level": hit.level,
        "level_label": cat.level_label(hit.list_name, hit.level),
        "path": cat.path_name(hit.code, edition, hit.list_name, partial=True),
        "editions": sorted(e.edition for e in entries),
        "sources": [_source_record(cat, key) for key in _source_keys(entries)],
    }
