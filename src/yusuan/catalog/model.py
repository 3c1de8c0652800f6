"""The records the catalog hands out. All immutable."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from yusuan.catalog.codes import names_match
from yusuan.errors import YusuanError

__all__ = [
    "Attestation",
    "CatalogDataError",
    "CatalogEntry",
    "CompleteBranch",
    "LocalCodes",
    "NameCheck",
    "NameConflict",
    "NameStatus",
    "Renaming",
    "SourceInfo",
]


class CatalogDataError(YusuanError):
    """A catalog data file is malformed (a packaging or authoring error, not user input)."""


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One code of one list in one edition, with the name its sources print."""

    code: str
    name: str
    level: int
    parent: str | None
    sources: tuple[str, ...]
    edition: int
    list_name: str


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A document or list the catalog's rows were read from (data/sources.toml)."""

    key: str
    document: str
    region: str
    year: int | None
    kind: str
    edition: int | None
    lists: tuple[str, ...]
    location: str
    where: str = ""
    notes: str = ""

    def describe(self) -> str:
        """One line: ``KEY 文件名（地区，种类）``."""
        extra = "，".join(x for x in (self.region, self.kind) if x)
        return f"{self.key} {self.document}" + (f"（{extra}）" if extra else "")


@dataclass(frozen=True, slots=True)
class Attestation:
    """Where one source prints one code with one name (``where``: ``p8 p10`` or ``l164``)."""

    list_name: str
    edition: int
    code: str
    name: str
    source: str
    where: str


@dataclass(frozen=True, slots=True)
class Renaming:
    """A code whose name changed: ``new_name`` is attested from ``edition`` on (at the latest)."""

    list_name: str
    code: str
    old_name: str
    new_name: str
    edition: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class NameConflict:
    """A name some source prints for a code, which the catalog did not keep."""

    list_name: str
    edition: int
    code: str
    name: str
    sources: tuple[str, ...]
    kept_name: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class CompleteBranch:
    """The children of ``branch`` are all present (``""``: the 类 level; ``"*"``: everything)."""

    list_name: str
    edition: int
    branch: str
    sources: tuple[str, ...]
    basis: str


@dataclass(frozen=True, slots=True)
class LocalCodes:
    """Regional sub-items recorded in a list although they are not national codes."""

    list_name: str
    codes: frozenset[str]
    region: str
    sources: tuple[str, ...]
    note: str = ""


class NameStatus(StrEnum):
    EXACT = "exact"
    """The name is the catalog's name character for character."""
    TOLERANT = "tolerant"
    """The same name apart from whitespace, bracket or punctuation forms."""
    RENAMED = "renamed"
    """The name is the code's name before or after a recorded renaming."""
    MISMATCH = "mismatch"
    """The catalog knows the code under another name."""
    UNKNOWN_CODE = "unknown_code"
    """The catalog has no entry for the code in any edition (it may still be valid)."""


@dataclass(frozen=True, slots=True)
class NameCheck:
    """The answer of `Catalog.check_name`.

    `entry` is the entry compared against: the one of the requested edition when it has the
    code, else the one of the nearest edition that has it (`from_other_edition`).
    `known_variant` is set when the name given is a recorded, rejected variant
    (data/conflicts.csv), e.g. a pairing already seen as a disclosure error.
    """

    status: NameStatus
    code: str
    name: str
    list_name: str
    edition: int | None
    entry: CatalogEntry | None = None
    renaming: Renaming | None = None
    known_variant: NameConflict | None = None

    @property
    def ok(self) -> bool:
        return self.status in (NameStatus.EXACT, NameStatus.TOLERANT)

    @property
    def expected(self) -> str | None:
        """The catalog's name for the code (None when the code is unknown)."""
        return self.entry.name if self.entry else None

    @property
    def from_other_edition(self) -> bool:
        return (
            self.entry is not None
            and self.edition is not None
            and self.entry.edition != self.edition
        )

    @property
    def outdated(self) -> bool:
        """The name is the old name of a renaming already in force for the edition asked."""
        if self.status is not NameStatus.RENAMED or self.renaming is None:
            return False
        return names_match(self.name, self.renaming.old_name) and (
            self.edition is None or self.edition >= self.renaming.edition
        )

    def message(self) -> str:
        """One Chinese sentence for a report."""
        code, name = self.code, self.name
        entry, ren = self.entry, self.renaming
        if self.status is NameStatus.UNKNOWN_CODE or entry is None:
            return f"分类科目目录未收录编码 {code}（目录不完整，未收录不等于编码无效）"
        where = f"（{entry.edition} 版）"
        if self.status is NameStatus.EXACT:
            return f"{code}「{name}」与分类科目名称一致{where}"
        if self.status is NameStatus.TOLERANT:
            return (
                f"{code}「{name}」与分类科目名称「{entry.name}」{where}仅空格、括号或标点写法不同"
            )
        if self.status is NameStatus.RENAMED and ren is not None:
            if self.outdated:
                return f"{code}「{name}」是旧名称，最迟自 {ren.edition} 版起改为「{ren.new_name}」"
            if names_match(name, ren.old_name):
                return (
                    f"{code}「{name}」是更名前的名称（最迟自 {ren.edition} 版起改为"
                    f"「{ren.new_name}」），{self.edition} 年的文件可能仍适用"
                )
            return (
                f"{code}「{name}」是最迟自 {ren.edition} 版起使用的新名称（原名「{ren.old_name}」）"
            )
        text = f"{code}「{name}」与分类科目名称「{entry.name}」{where}不一致"
        if self.known_variant is not None and self.known_variant.note:
            text += f"；已知异名：{self.known_variant.note}"
        return text
