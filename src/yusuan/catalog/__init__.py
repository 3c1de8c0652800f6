"""政府收支分类科目 — the classification catalog: versioned, sourced code lists and lookups.

Three lists ship with yusuan, each as one CSV per edition under ``data/``:
``function`` (支出功能分类, 类/款/项 = 3/5/7 digits), ``economic_dept`` (部门预算支出经济分类,
类/款 = 3/5) and ``economic_gov`` (政府预算支出经济分类). Every row names the sources that
print it; ``data/catalog.toml`` marks complete branches and renamings. The lists are partial
(attested codes only): a code missing from a branch not marked complete is *not* evidence
that the code is invalid. See docs/catalog.md.

    >>> from yusuan.catalog import load_catalog
    >>> cat = load_catalog()
    >>> cat.path_name("2050302", edition=2024)
    '教育支出（类）职业教育（款）中等职业教育（项）'
"""

from __future__ import annotations

from yusuan.catalog.catalog import DEFAULT_ROOT, Catalog, load_catalog, nearest_edition
from yusuan.catalog.codes import (
    code_level,
    code_parent,
    is_code,
    names_match,
    normalize_code,
    normalize_name,
)
from yusuan.catalog.lookup import format_lookup, lookup_data
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

LIST_NAMES = ("function", "economic_dept", "economic_gov")
"""The lists shipped with yusuan (a catalog root may hold more)."""

__all__ = [
    "DEFAULT_ROOT",
    "LIST_NAMES",
    "Attestation",
    "Catalog",
    "CatalogDataError",
    "CatalogEntry",
    "CompleteBranch",
    "LocalCodes",
    "NameCheck",
    "NameConflict",
    "NameStatus",
    "Renaming",
    "SourceInfo",
    "code_level",
    "code_parent",
    "format_lookup",
    "is_code",
    "load_catalog",
    "lookup_data",
    "names_match",
    "nearest_edition",
    "normalize_code",
    "normalize_name",
]
