"""The 检查表 (inspection checklist) of one audited document: its rows, their verdicts and the
findings behind each. Which finding feeds which row is data (`items.toml`); this module only
applies it. Rendering is `yusuan.reporters.checklist`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from yusuan.audit.findings import Finding, Severity
from yusuan.audit.report import Report
from yusuan.model.document import Document
from yusuan.profiles import load_profile
from yusuan.profiles.schema import Profile

PASS, FAIL, CONFIRM, MANUAL = "是", "否", "待确认", "需人工检查"


@dataclass(frozen=True, slots=True)
class ItemSpec:
    group: str
    name: str
    table: str | None = None  # the template's table key, for a table's row
    rules: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()  # the names findings give the table: 表3, its title
    judged: bool = False
    fallback: bool = False
    manual: str = ""


@dataclass(slots=True)
class Item:
    spec: ItemSpec
    findings: list[Finding] = field(default_factory=list)
    judged: bool = False

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def group(self) -> str:
        return self.spec.group

    @property
    def status(self) -> str:
        if any(f.severity is Severity.ERROR for f in self.findings):
            return FAIL
        if self.findings:
            return CONFIRM
        return PASS if self.judged else MANUAL

    @property
    def note(self) -> str:
        """What the inspector still has to do, for rows no rule judges."""
        return self.spec.manual if self.status == MANUAL else ""


@dataclass(slots=True)
class Checklist:
    title: str
    content_header: str
    department: str
    source: str
    year: int | None
    entity: str
    kind: str
    items: list[Item]

    def item(self, name: str) -> Item | None:
        key = item_key(name)
        return next((i for i in self.items if item_key(i.name) == key), None)


def load_items() -> dict[str, Any]:
    text = resources.files("yusuan.checklist").joinpath("items.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def item_key(name: str) -> str:
    """Row names compared loosely: no 《》“” or spaces, no leading 部门/单位 or year."""
    key = re.sub(r"[《》“”\"'\s]", "", name)
    key = re.sub(r"^\d{4}年度?", "", key)
    return re.sub(r"^(?:预算)?(?:部门|单位)", "", key)


def build_checklist(doc: Document, report: Report, profile: Profile | None = None) -> Checklist:
    """The rows of the checklist with the findings of `report` sorted into them."""
    prof = profile or doc.inferred_profile or load_profile(doc.profile)
    data = load_items()
    entity = prof.entity or "部门"
    words = {"year": doc.year or "", "entity": entity, "kind": doc.kind}
    items: list[Item] = []
    for raw in data["items"]:
        if raw.get("tables"):
            for spec in prof.tables:
                names = [spec.title]
                if spec.number is not None:
                    names.append(f"表{spec.number}")
                if spec.key[1:].isdigit():  # how identities name tables: T3 → 表3
                    names.append(f"表{spec.key[1:]}")
                table = doc.tables.get(spec.key)
                if table is not None:
                    names.append(table.name)
                item_spec = ItemSpec(
                    group=raw["group"],
                    name=f"《{spec.title}》",
                    table=spec.key,
                    tables=tuple(dict.fromkeys(names)),
                    manual="表格未读到，须人工检查" if table is None else "",
                )
                items.append(Item(item_spec, judged=table is not None and table.readable))
            continue
        item_spec = ItemSpec(
            group=raw["group"],
            name=raw["name"].format(**words),
            rules=tuple(raw.get("rules", ())),
            sections=tuple(raw.get("sections", ())),
            judged=bool(raw.get("judged", False)),
            fallback=bool(raw.get("fallback", False)),
            manual=raw.get("manual", ""),
        )
        found = not item_spec.sections or any(k in doc.sections_found for k in item_spec.sections)
        if item_spec.judged and not found:
            missing = f"未读到“{item_spec.name}”部分，须人工核对文件是否应有此部分"
            item_spec = ItemSpec(**{**_fields(item_spec), "judged": False, "manual": missing})
        items.append(Item(item_spec, judged=item_spec.judged))
    titles = {s.title: s.key for s in prof.sections}
    for finding in report.findings:
        if finding.severity is Severity.NOTICE:
            continue
        for item in _route(finding, items, titles):
            item.findings.append(finding)
    return Checklist(
        title=data["title"].format(**words),
        content_header=data["content_header"].format(**words),
        department=doc.department or "",
        source=doc.source.path,
        year=doc.year,
        entity=entity,
        kind=doc.kind,
        items=items,
    )


def _fields(spec: ItemSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in ItemSpec.__slots__}


def _route(finding: Finding, items: list[Item], titles: dict[str, str]) -> list[Item]:
    for item in items:
        if any(finding.rule.startswith(r) for r in item.spec.rules):
            return [item]
    loc = finding.location
    # A finding about the narrative (even one comparing it with a table) belongs to the text.
    if loc.section:
        key = titles.get(loc.section, loc.section)
        for item in items:
            if key in item.spec.sections:
                return [item]
    if loc.table:
        named = [t.strip() for t in loc.table.split("、")]
        hits = [i for i in items if any(t in i.spec.tables for t in named)]
        if hits:
            return hits
    return [i for i in items if i.spec.fallback][:1]
