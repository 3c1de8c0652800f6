"""Document sets: several files of one department-year read as ONE document.

北京 publishes a department's 情况说明 and its 报表 as two PDFs; only read together can the
narrative be checked against the tables. Each file is read by its own reader to a
`RawDocument`; the parts are merged (the narrative file first, then the tables, each file's
own order kept) and assembled once, so the profile is chosen on the union.

Provenance stays exact: every `Loc` of the merged document names its file (`Loc.file`, the
path as given), because page 3 of the 情况说明 and page 3 of the 报表 are different pages.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

from yusuan.errors import InputError
from yusuan.limits import deadline
from yusuan.model.document import Document
from yusuan.model.provenance import Loc, SourceInfo
from yusuan.profiles import load_profile
from yusuan.profiles.schema import Profile
from yusuan.readers.ir import RawDocument, RawParagraph, RawRow, RawTable

# What a folder given as a set contributes: the formats `read` knows, by extension.
DISCLOSURE_SUFFIXES = frozenset(
    {".pdf", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".docx", ".md", ".markdown", ".txt"}
)


def set_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The files of a set: each path as given; a folder contributes its disclosure files
    (by extension, hidden files skipped), sorted by name."""
    out: list[Path] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.is_file()
                and not f.name.startswith((".", "~$"))
                and f.suffix.lower() in DISCLOSURE_SUFFIXES
            )
            if not found:
                raise InputError(f"目录 {p} 中没有公开文件（PDF、电子表格或文本/Markdown）")
            out += found
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def read_set(
    paths: Sequence[str | os.PathLike[str]],
    profile: Profile | str | None = None,
    *,
    ocr: bool = False,
) -> Document:
    """Read several files of one department-year as one document (folders expand to their
    disclosure files). One file is read exactly as `yusuan.read` reads it.

    Raises InputError when a file cannot be read, or when the files are of different
    departments or years (both known for two of them).
    """
    from yusuan.readers.assemble import assemble
    from yusuan.readers.read import read, read_raw

    files = set_files(paths)
    if not files:
        raise InputError("没有给出要读取的文件")
    if len(files) == 1:
        return read(files[0], profile, ocr=ocr)
    label = " + ".join(str(f) for f in files)
    with deadline(label):
        parts = [read_raw(f, ocr=ocr) for f in files]
        _check_same_document(parts)
        raw, source = merge_raw(parts)
        prof = load_profile(profile) if isinstance(profile, str) else profile
        return assemble(raw, source, prof)


def merge_raw(parts: Sequence[tuple[RawDocument, SourceInfo]]) -> tuple[RawDocument, SourceInfo]:
    """The parts as one RawDocument (narrative files first; otherwise the order given), every
    Loc tagged with its file, and the SourceInfo describing the set."""
    ordered = sorted(range(len(parts)), key=lambda i: (not _is_narrative(parts[i][0]), i))
    merged = RawDocument()
    for i in ordered:
        raw, source = parts[i]
        tagged = _tag(raw, source.path)
        t0, p0 = len(merged.tables), len(merged.paragraphs)
        merged.tables += tagged.tables
        merged.paragraphs += tagged.paragraphs
        merged.order += [place.shifted(t0, p0) for place in tagged.order]
        merged.warnings += tagged.warnings
    sources = tuple(parts[i][1] for i in ordered)
    formats = {s.format for s in sources}
    pages = [s.pages for s in sources]
    source = SourceInfo(
        path=" + ".join(s.path for s in sources),
        format=formats.pop() if len(formats) == 1 else "mixed",
        encoding=None,
        pages=sum(p for p in pages if p is not None) if all(p is not None for p in pages) else None,
        parts=sources,
    )
    return merged, source


def _is_narrative(raw: RawDocument) -> bool:
    """A file that is mostly running text (a 情况说明) rather than tables (a 报表)."""
    text = sum(len(p.text) for p in raw.paragraphs)
    cells = sum(len(c.text) for t in raw.tables for r in t.body_rows for c in r.cells)
    return text > cells


def _check_same_document(parts: Sequence[tuple[RawDocument, SourceInfo]]) -> None:
    """Refuse files of obviously different departments or years (when both are known)."""
    from yusuan.readers.assemble import _department_and_year
    from yusuan.text import normalize_name

    known: list[tuple[str, str | None, int | None]] = []
    for raw, source in parts:
        department, year = _department_and_year(raw)
        known.append((source.path, department, year))
    for i, (path_a, dep_a, year_a) in enumerate(known):
        for path_b, dep_b, year_b in known[i + 1 :]:
            if year_a is not None and year_b is not None and year_a != year_b:
                raise InputError(
                    f"这些文件不是同一份公开文件：{Path(path_a).name} 是 {year_a} 年，"
                    f"{Path(path_b).name} 是 {year_b} 年；请分别审核"
                )
            if dep_a and dep_b:
                a, b = normalize_name(dep_a), normalize_name(dep_b)
                if a not in b and b not in a:
                    raise InputError(
                        f"这些文件不是同一部门的公开文件：{Path(path_a).name} 是「{dep_a}」，"
                        f"{Path(path_b).name} 是「{dep_b}」；请分别审核"
                    )


def _tag(raw: RawDocument, path: str) -> RawDocument:
    """The same RawDocument with every Loc naming its file."""

    def loc(x: Loc) -> Loc:
        return dataclasses.replace(x, file=path)

    def row(r: RawRow) -> RawRow:
        return RawRow([dataclasses.replace(c, loc=loc(c.loc)) for c in r.cells], loc(r.loc))

    def para(p: RawParagraph) -> RawParagraph:
        return dataclasses.replace(
            p, loc=loc(p.loc), segments=tuple((start, loc(x)) for start, x in p.segments)
        )

    def table(t: RawTable) -> RawTable:
        return dataclasses.replace(
            t,
            title_loc=loc(t.title_loc),
            header_rows=[row(r) for r in t.header_rows],
            body_rows=[row(r) for r in t.body_rows],
            notes=[para(n) for n in t.notes],
            pieces=[loc(x) for x in t.pieces],
        )

    return RawDocument(
        tables=[table(t) for t in raw.tables],
        paragraphs=[para(p) for p in raw.paragraphs],
        order=list(raw.order),
        warnings=[(message, loc(x)) for message, x in raw.warnings],
    )
