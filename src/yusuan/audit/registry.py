"""The rule registry. Every rule has a stable id and slug, the severities it emits, and a
documentation entry (what it checks, a bad and a good example) from which docs/rules.md is
generated."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from yusuan.audit.findings import Severity

if TYPE_CHECKING:
    from yusuan.audit.context import AuditContext

FAMILIES = {
    "A": "表内运算",
    "X": "表间关系",
    "N": "说明与表格",
    "Y": "同比与原因",
    "S": "文字中的合计",
    "F": "数字格式",
    "C": "完整性",
    "K": "科目编码",
    "W": "文字质量",
    "H": "跨年度比对",
    "E": "审核自身",
}


class Rule(ABC):
    id: ClassVar[str]
    slug: ClassVar[str]
    title: ClassVar[str]  # short Chinese title
    emits: ClassVar[tuple[Severity, ...]]
    description: ClassVar[str]  # what it checks, in Chinese (Markdown allowed)
    bad: ClassVar[str]  # an example that triggers it, in words
    good: ClassVar[str]  # the corrected example, in words
    # Why the rule has no executable example (yusuan/audit/examples/<ID>.toml); empty when it has.
    no_example: ClassVar[str] = ""

    @property
    def family(self) -> str:
        return FAMILIES[self.id[0]]

    @property
    def module(self) -> str:
        return type(self).__module__

    @abstractmethod
    def run(self, ctx: AuditContext) -> None:
        """Check the document; report through `ctx`."""


_RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    rule = cls()
    if rule.id in _RULES:
        raise RuntimeError(f"duplicate rule id {rule.id}")
    if any(r.slug == rule.slug for r in _RULES.values()):
        raise RuntimeError(f"duplicate rule slug {rule.slug}")
    _RULES[rule.id] = rule
    return cls


def all_rules() -> list[Rule]:
    _load()
    return sorted(_RULES.values(), key=lambda r: r.id)


def get_rule(key: str) -> Rule | None:
    _load()
    if key in _RULES:
        return _RULES[key]
    for rule in _RULES.values():
        if rule.slug == key:
            return rule
    return None


def _load() -> None:
    # Importing the rule modules registers their rules.
    from yusuan.audit import rules  # noqa: F401
