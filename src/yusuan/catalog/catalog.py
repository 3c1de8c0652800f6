"""The catalog: versioned code lists read lazily from ``data/``.

Layout of a catalog root (the package's ``data/`` or any directory given to `load_catalog`)::

    catalog.toml              manifest: list titles, complete branches, renamings, flags
    sources.toml              one table per source key
    conflicts.csv             names sources print that the catalog did not keep
    attestations.csv          where each source prints each code (pages / lines)
    economic_map.csv          部门预算支出经济分类 款 → 政府预算支出经济分类 款 (机关, 事业单位)
    <list>/<edition>.csv      code,name,level,parent,sources — one file per list and edition

Any ``<list>/<yyyy>.csv`` is an edition: adding one is a data change only. Every file is
optional except the edition files themselves; nothing is read before it is needed.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from yusuan.catalog.codes import code_level, code_parent, names_match, normalize_code
from yusuan.catalog.codes import normalize_name as _norm
from yusuan.catalog.model import (
    Attestation,
    CatalogDataError,
    CatalogEntry,
    CompleteBranch,
    LocalCodes,
    NameCheck,
    NameConflict,
    NameStatus,
    Renaming,
    SourceInfo,
)

__all__ = ["DEFAULT_ROOT", "Catalog", "load_catalog", "nearest_edition"]

DEFAULT_ROOT = Path(__file__).resolve().parent / "data"
"""The catalog shipped with the package."""

_EDITION_FILE = re.compile(r"^(\d{4})\.csv$")
_HEADER = ["code", "name", "level", "parent", "sources"]
_DEFAULT_LEVELS = ("类", "款", "项")
_BRANCH_ROOT = ""
_BRANCH_ALL = "*"


def nearest_edition(editions: Iterable[int], year: int) -> int:
    """The edition equal to `year`, else the nearest one; on a tie the earlier edition.

    Earlier wins a tie because a document is compiled under a classification already
    published when it is prepared, and finance bureaus adopt a new edition late rather
    than early. ValueError when there is no edition at all.
    """
    eds = list(editions)
    if not eds:
        raise ValueError("no editions")
    return min(eds, key=lambda e: (abs(e - year), e > year))


def _by_nearness(editions: Iterable[int], year: int) -> list[int]:
    return sorted(editions, key=lambda e: (abs(e - year), e > year))


def _str_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


class Catalog:
    """Code lists by list name and edition, with sources, completeness and renamings.

    List names are the data directory names: ``function`` (支出功能分类), ``economic_dept``
    (部门预算支出经济分类) and ``economic_gov`` (政府预算支出经济分类) ship with yusuan.
    Editions are years (``2024`` = 《2024年政府收支分类科目》 as the sources apply it).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._tables: dict[tuple[str, int], dict[str, CatalogEntry]] = {}

    def __repr__(self) -> str:
        return f"Catalog({str(self.root)!r})"

    # --- files ----------------------------------------------------------------------------

    @cached_property
    def _files(self) -> dict[str, dict[int, Path]]:
        found: dict[str, dict[int, Path]] = {}
        if not self.root.is_dir():
            raise CatalogDataError(f"分类科目目录不存在：{self.root}")
        with os.scandir(self.root) as it:
            dirs = sorted(d.name for d in it if d.is_dir() and not d.name.startswith((".", "_")))
        for name in dirs:
            with os.scandir(self.root / name) as it:
                eds = {
                    int(m.group(1)): Path(f.path)
                    for f in it
                    if f.is_file() and (m := _EDITION_FILE.match(f.name))
                }
            if eds:
                found[name] = dict(sorted(eds.items()))
        return found

    def _toml(self, name: str) -> dict[str, Any]:
        import tomllib  # only when a manifest or the sources are needed

        path = self.root / name
        if not path.is_file():
            return {}
        try:
            with path.open("rb") as f:
                return tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogDataError(f"分类科目数据文件 {name} 无法解析：{exc}") from exc

    def _csv(self, name: str) -> list[dict[str, str]]:
        path = self.root / name
        if not path.is_file():
            return []
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def _table(self, list_name: str, edition: int) -> dict[str, CatalogEntry]:
        key = (list_name, edition)
        table = self._tables.get(key)
        if table is None:
            path = self._files.get(list_name, {}).get(edition)
            table = self._read_edition(path, list_name, edition) if path else {}
            self._tables[key] = table
        return table

    def _read_edition(self, path: Path, list_name: str, edition: int) -> dict[str, CatalogEntry]:
        rel = f"{list_name}/{path.name}"
        table: dict[str, CatalogEntry] = {}
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != _HEADER:
                raise CatalogDataError(f"分类科目数据文件 {rel} 的表头应为 {','.join(_HEADER)}")
            for line, row in enumerate(reader, 2):
                if not row:
                    continue
                if len(row) != len(_HEADER):
                    raise CatalogDataError(f"分类科目数据文件 {rel} 第 {line} 行应有 5 列")
                code, name, level, parent, sources = (cell.strip() for cell in row)
                try:
                    expected_level = code_level(code)
                except ValueError:
                    raise CatalogDataError(
                        f"分类科目数据文件 {rel} 第 {line} 行：编码 {code!r} 不是 3、5 或 7 位"
                    ) from None
                if level != str(expected_level) or parent != (code_parent(code) or ""):
                    raise CatalogDataError(
                        f"分类科目数据文件 {rel} 第 {line} 行：级次或上级编码与编码 {code} 不符"
                    )
                keys = tuple(k.strip() for k in sources.split(";") if k.strip())
                if not name or not keys:
                    raise CatalogDataError(f"分类科目数据文件 {rel} 第 {line} 行缺少名称或来源")
                if code in table:
                    raise CatalogDataError(f"分类科目数据文件 {rel} 第 {line} 行：编码 {code} 重复")
                table[code] = CatalogEntry(
                    code=code,
                    name=name,
                    level=expected_level,
                    parent=parent or None,
                    sources=keys,
                    edition=edition,
                    list_name=list_name,
                )
        return table

    def load_all(self) -> Catalog:
        """Read every file now (the catalog is otherwise read lazily). Returns self."""
        for list_name, eds in self._files.items():
            for edition in eds:
                self._table(list_name, edition)
        for attr in ("_manifest", "_source_infos", "_conflicts", "_attestations"):
            getattr(self, attr)
        return self

    # --- manifest ---------------------------------------------------------------------------

    @cached_property
    def _manifest(self) -> dict[str, Any]:
        return self._toml("catalog.toml")

    def _manifest_items(self, key: str) -> list[dict[str, Any]]:
        items = self._manifest.get(key, [])
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    @cached_property
    def _complete(self) -> dict[tuple[str, int], set[str]]:
        marks: dict[tuple[str, int], set[str]] = {}
        for branch in self.complete_branches():
            marks.setdefault((branch.list_name, branch.edition), set()).add(branch.branch)
        return marks

    @cached_property
    def _renamings(self) -> tuple[Renaming, ...]:
        return tuple(
            Renaming(
                list_name=str(i["list"]),
                code=str(i["code"]),
                old_name=str(i["old_name"]),
                new_name=str(i["new_name"]),
                edition=int(i["edition"]),
                note=str(i.get("note", "")),
            )
            for i in self._manifest_items("renaming")
        )

    @cached_property
    def _locals(self) -> tuple[LocalCodes, ...]:
        return tuple(
            LocalCodes(
                list_name=str(i["list"]),
                codes=frozenset(_str_tuple(i.get("codes"))),
                region=str(i.get("region", "")),
                sources=_str_tuple(i.get("sources")),
                note=str(i.get("note", "")),
            )
            for i in self._manifest_items("local")
        )

    def lists(self) -> list[str]:
        """List names that have at least one edition file, manifest order first."""
        declared = [n for n in self._manifest.get("lists", {}) if n in self._files]
        return declared + sorted(n for n in self._files if n not in declared)

    def list_title(self, list_name: str) -> str:
        """``支出功能分类`` for ``function``; the list name itself when the manifest is silent."""
        info = self._manifest.get("lists", {}).get(list_name, {})
        return str(info.get("title", list_name)) if isinstance(info, dict) else list_name

    def level_label(self, list_name: str, level: int) -> str:
        """``类``/``款``/``项`` (or what the manifest names the levels of that list)."""
        info = self._manifest.get("lists", {}).get(list_name, {})
        labels = _str_tuple(info.get("levels")) if isinstance(info, dict) else ()
        labels = labels or _DEFAULT_LEVELS
        return labels[level - 1] if 0 < level <= len(labels) else str(level)

    def complete_branches(self, list_name: str | None = None) -> list[CompleteBranch]:
        out = [
            CompleteBranch(
                list_name=str(i["list"]),
                edition=int(i["edition"]),
                branch=str(i.get("branch", _BRANCH_ROOT)),
                sources=_str_tuple(i.get("sources")),
                basis=str(i.get("basis", "")),
            )
            for i in self._manifest_items("complete")
        ]
        return [b for b in out if list_name is None or b.list_name == list_name]

    def renamings(self, list_name: str | None = None) -> list[Renaming]:
        return [r for r in self._renamings if list_name is None or r.list_name == list_name]

    def unattested_parents(self, list_name: str, edition: int) -> set[str]:
        """Parents flagged in the manifest as printed by no source of that edition."""
        out: set[str] = set()
        for i in self._manifest_items("unattested_parent"):
            if i.get("list") == list_name and i.get("edition") == edition:
                out.update(_str_tuple(i.get("codes")))
        return out

    def local_codes(self, code: str, list_name: str = "function") -> LocalCodes | None:
        """The manifest record when `code` is a regional sub-item, not a national code."""
        return next(
            (lc for lc in self._locals if lc.list_name == list_name and code in lc.codes), None
        )

    # --- sources, conflicts, attestations ---------------------------------------------------

    @cached_property
    def _source_infos(self) -> dict[str, SourceInfo]:
        infos: dict[str, SourceInfo] = {}
        for key, raw in self._toml("sources.toml").items():
            if not isinstance(raw, dict):
                continue
            year, edition = raw.get("year"), raw.get("edition")
            infos[key] = SourceInfo(
                key=key,
                document=str(raw.get("document", "")),
                region=str(raw.get("region", "")),
                year=int(year) if year is not None else None,
                kind=str(raw.get("kind", "")),
                edition=int(edition) if edition is not None else None,
                lists=_str_tuple(raw.get("lists")),
                location=str(raw.get("location", "")),
                where=str(raw.get("where", "")).strip(),
                notes=str(raw.get("notes", "")).strip(),
            )
        return infos

    def sources(self, key: str) -> SourceInfo:
        """The source registered under `key` (KeyError when there is none)."""
        return self._source_infos[key]

    def source_keys(self) -> list[str]:
        return list(self._source_infos)

    @cached_property
    def _conflicts(self) -> tuple[NameConflict, ...]:
        return tuple(
            NameConflict(
                list_name=r["list"],
                edition=int(r["edition"]),
                code=r["code"],
                name=r["name"],
                sources=tuple(s for s in r["sources"].split(";") if s),
                kept_name=r["kept_name"],
                note=r.get("note") or "",
            )
            for r in self._csv("conflicts.csv")
        )

    def conflicts(
        self, list_name: str | None = None, code: str | None = None
    ) -> list[NameConflict]:
        """Recorded names that sources print for a code and the catalog did not keep."""
        return [
            c
            for c in self._conflicts
            if (list_name is None or c.list_name == list_name) and (code is None or c.code == code)
        ]

    @cached_property
    def _attestations(self) -> dict[tuple[str, str], list[Attestation]]:
        out: dict[tuple[str, str], list[Attestation]] = {}
        for r in self._csv("attestations.csv"):
            a = Attestation(
                list_name=r["list"],
                edition=int(r["edition"]),
                code=r["code"],
                name=r["name"],
                source=r["source"],
                where=r.get("where") or "",
            )
            out.setdefault((a.list_name, a.code), []).append(a)
        return out

    def attestations(self, code: str, list_name: str = "function") -> list[Attestation]:
        """Every (source, page/line) printing `code`, with the name as that source prints it."""
        return list(self._attestations.get((list_name, normalize_code(code)), []))

    @cached_property
    def _economic_map(self) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for line, r in enumerate(self._csv("economic_map.csv"), 2):
            dept, agency, inst = (r.get(k, "").strip() for k in ("dept", "agency", "institution"))
            if not (len(dept) == 5 and len(agency) == 5 and len(inst) == 5):
                raise CatalogDataError(
                    f"分类科目数据文件 economic_map.csv 第 {line} 行不是三个 5 位编码"
                )
            out[dept] = (agency, inst)
        return out

    def economic_gov(self, dept_code: str, agency: bool = True) -> str | None:
        """The 政府预算支出经济分类 款 a 部门预算支出经济分类 款 is counted in (财政部《部门预算
        支出经济分类和政府预算支出经济分类对照表》, ``economic_map.csv``): a 机关 (行政单位, and units
        managed as such) and a 事业单位 differ for 工资福利、商品和服务 and 资本性支出 (501–504 vs
        505, 506). None for a code the table does not map."""
        pair = self._economic_map.get(normalize_code(dept_code)[:5])
        if pair is None:
            return None
        return pair[0] if agency else pair[1]

    # --- editions and entries ---------------------------------------------------------------

    def editions(self, list_name: str = "function") -> list[int]:
        """The editions of a list, oldest first (empty for an unknown list)."""
        return list(self._files.get(list_name, {}))

    def edition_for(self, list_name: str, year: int) -> int:
        """The edition to check a `year` document against: that year's, else the nearest
        (the earlier one on a tie, see `nearest_edition`). ValueError for a list with none."""
        eds = self.editions(list_name)
        if not eds:
            raise ValueError(f"no editions of list {list_name!r} in {self.root}")
        return nearest_edition(eds, year)

    def entries_in(self, list_name: str, edition: int) -> list[CatalogEntry]:
        """All entries of one edition, sorted by code."""
        return sorted(self._table(list_name, edition).values(), key=lambda e: e.code)

    def entry(
        self, code: str, list_name: str = "function", edition: int | None = None
    ) -> CatalogEntry | None:
        """The entry of `code` in `edition` exactly, or with `edition=None` in the newest
        edition that has it. Codes may be given split (``208 01 01``). To look up the
        edition a document of some year uses, pass ``edition_for(list_name, year)``."""
        try:
            code = normalize_code(code)
        except ValueError:
            return None
        if edition is not None:
            return self._table(list_name, edition).get(code)
        for ed in reversed(self.editions(list_name)):
            found = self._table(list_name, ed).get(code)
            if found is not None:
                return found
        return None

    def entries(self, code: str, list_name: str = "function") -> list[CatalogEntry]:
        """The entries of `code` in every edition that has it, newest first."""
        try:
            code = normalize_code(code)
        except ValueError:
            return []
        out = []
        for ed in reversed(self.editions(list_name)):
            found = self._table(list_name, ed).get(code)
            if found is not None:
                out.append(found)
        return out

    def _nearest_entry(self, code: str, list_name: str, edition: int | None) -> CatalogEntry | None:
        """The entry in `edition` if it has the code, else in the nearest edition that has it
        (earlier on a tie); newest when `edition` is None."""
        found = self.entries(code, list_name)
        if not found or edition is None:
            return found[0] if found else None
        by_ed = {e.edition: e for e in found}
        return by_ed[nearest_edition(by_ed, edition)]

    def _iter_latest(self, list_name: str) -> Iterator[CatalogEntry]:
        """Each code of a list once, from the newest edition that has it."""
        seen: set[str] = set()
        for ed in reversed(self.editions(list_name)):
            for code, e in self._table(list_name, ed).items():
                if code not in seen:
                    seen.add(code)
                    yield e

    # --- structure ----------------------------------------------------------------------------

    @staticmethod
    def parent(code: str) -> str | None:
        """The code one level up, from the code alone: ``2080101`` → ``20801``; None for 类."""
        return code_parent(normalize_code(code))

    @staticmethod
    def level(code: str) -> int:
        """1 (类), 2 (款) or 3 (项), from the code's length (3, 5 or 7 digits)."""
        return code_level(normalize_code(code))

    def path_name(
        self,
        code: str,
        edition: int | None = None,
        list_name: str = "function",
        *,
        partial: bool = False,
    ) -> str | None:
        """The name path the narrative uses: ``教育支出（类）职业教育（款）中等职业教育（项）``.

        Each part's name comes from `edition` when it has that code, else from the nearest
        edition that has it (the newest when `edition` is None). When some part is in no
        edition at all: None, or with `partial=True` that part's code in its place
        (``505（类）工资福利支出（款）``).
        """
        try:
            code = normalize_code(code)
        except ValueError:
            return None
        parts: list[str] = []
        for length in range(3, len(code) + 1, 2):
            part_code = code[:length]
            part = self._nearest_entry(part_code, list_name, edition)
            if part is None and not partial:
                return None
            label = self.level_label(list_name, code_level(part_code))
            parts.append(f"{part.name if part else part_code}（{label}）")
        return "".join(parts)

    def missing_parents(self, list_name: str, edition: int) -> set[str]:
        """Parents of entries of the edition that the edition itself lacks (computed)."""
        table = self._table(list_name, edition)
        return {e.parent for e in table.values() if e.parent and e.parent not in table}

    def is_complete(self, code: str, list_name: str, edition: int) -> bool:
        """Whether the branch holding `code` is marked complete for exactly that edition.

        True means the catalog lists every sibling of `code` in that edition, so a code it
        does not know there is not a valid code. For a 类 the branch is the list's 类
        level. Completeness is never borrowed from another edition. ValueError for a
        malformed code.
        """
        branch = code_parent(normalize_code(code)) or _BRANCH_ROOT
        marks = self._complete.get((list_name, edition), set())
        return _BRANCH_ALL in marks or branch in marks

    def closest(
        self, code: str, list_name: str = "function", edition: int | None = None, n: int = 3
    ) -> list[CatalogEntry]:
        """Suggestions for an unknown code: codes of the same length, those with the same
        parent first, then those in `edition`, then by numeric distance."""
        code = normalize_code(code)
        parent = code_parent(code)
        here = self._table(list_name, edition) if edition is not None else {}
        target = int(code)
        candidates = [
            here.get(e.code, e)
            for e in self._iter_latest(list_name)
            if len(e.code) == len(code) and e.code != code
        ]
        candidates.sort(
            key=lambda e: (
                e.parent != parent,
                edition is not None and e.code not in here,
                abs(int(e.code) - target),
                e.code,
            )
        )
        return candidates[:n]

    # --- names ----------------------------------------------------------------------------------

    def search(
        self, text: str, list_name: str | None = None, limit: int = 20
    ) -> list[CatalogEntry]:
        """Entries whose code starts with `text` (digits, split codes allowed) or whose name
        contains it (compared with `normalize_name`); each code once, newest edition.

        Name hits are ranked: equal name, then name starting with the text, then the rest;
        within a rank by list and code.
        """
        lists = [list_name] if list_name else self.lists()
        query = text.strip()
        digits = re.sub(r"\s+", "", query)
        hits: list[tuple[int, int, str, CatalogEntry]] = []
        if digits.isdigit():
            for li, name in enumerate(lists):
                hits += [
                    (0, li, e.code, e) for e in self._iter_latest(name) if e.code.startswith(digits)
                ]
        else:
            key = _norm(query)
            if not key:
                return []
            for li, name in enumerate(lists):
                for e in self._iter_latest(name):
                    norm = _norm(e.name)
                    if key in norm:
                        rank = 0 if norm == key else 1 if norm.startswith(key) else 2
                        hits.append((rank, li, e.code, e))
        hits.sort(key=lambda h: h[:3])
        return [h[3] for h in hits[:limit]]

    def check_name(
        self, code: str, name: str, list_name: str = "function", edition: int | None = None
    ) -> NameCheck:
        """Compare a printed (code, name) pair with the catalog.

        The name is compared with the entry of `edition` (or of the nearest edition having
        the code; the newest when `edition` is None). Outcomes: EXACT, TOLERANT (spacing,
        brackets, punctuation), RENAMED (old or new name of a recorded renaming; see
        `NameCheck.outdated`), MISMATCH (with the catalog's name, and `known_variant` when
        the pairing is a recorded variant), UNKNOWN_CODE.
        """
        try:
            code = normalize_code(code)
        except ValueError:
            return NameCheck(NameStatus.UNKNOWN_CODE, code, name, list_name, edition)
        entry = self._nearest_entry(code, list_name, edition)
        if entry is None:
            return NameCheck(NameStatus.UNKNOWN_CODE, code, name, list_name, edition)
        if name == entry.name:
            return NameCheck(NameStatus.EXACT, code, name, list_name, edition, entry)
        if names_match(name, entry.name):
            return NameCheck(NameStatus.TOLERANT, code, name, list_name, edition, entry)
        for ren in self._renamings:
            if (
                ren.list_name == list_name
                and ren.code == code
                and (names_match(name, ren.old_name) or names_match(name, ren.new_name))
            ):
                return NameCheck(NameStatus.RENAMED, code, name, list_name, edition, entry, ren)
        variant = next(
            (c for c in self.conflicts(list_name, code) if names_match(name, c.name)), None
        )
        return NameCheck(
            NameStatus.MISMATCH, code, name, list_name, edition, entry, known_variant=variant
        )

    def edition_name_differences(self, list_name: str) -> dict[str, dict[int, str]]:
        """Codes whose kept name differs between editions: code → {edition: name}."""
        names: dict[str, dict[int, str]] = {}
        for ed in self.editions(list_name):
            for code, e in self._table(list_name, ed).items():
                names.setdefault(code, {})[ed] = e.name
        return {
            code: by_ed
            for code, by_ed in names.items()
            if len({_norm(n) for n in by_ed.values()}) > 1
        }


@cache
def _default_catalog() -> Catalog:
    return Catalog(DEFAULT_ROOT)


def load_catalog(root: Path | str | None = None) -> Catalog:
    """The catalog at `root`, or the packaged one (one shared, cached instance) when None.

    Loading is lazy: files are read on first use of what they hold.
    """
    if root is None:
        return _default_catalog()
    return Catalog(Path(root))
