"""The narrative of a profile written by its Jinja2 template (`compose/narratives/ID.md.j2`).

The template is fed the exact sums (`Totals`), the department file and helpers that print
amounts, shares and year-on-year changes the way the readers read them back; headings come
from the profile's section titles (`sections.income`). Each line the template writes is one
block:

    # …, ## …            a heading (the number of # is its level)
    [[tables]]           every built table, in the profile's order
    [[table KIND]]       the table of that kind
    [[performance]]      the 绩效目标表 the department file gives
    @note KIND text      a note printed under the table of that kind (为空表 …)
    anything else        a paragraph (blank lines are dropped)

A new region's narrative is a new template file, not code.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from yusuan.compose.compile import Compiled, Totals, _cn, wan
from yusuan.compose.department import Department, ProjectSpec
from yusuan.compose.names import CodeNames
from yusuan.compose.narrative import Narrative, Para, PerfRef, TableRef, percent, project_table, yoy
from yusuan.compose.template import Template, item_sum_keys
from yusuan.model.provenance import Loc
from yusuan.model.tables import TableNote
from yusuan.money import format_amount
from yusuan.text import normalize_name

PLACEHOLDER = "【待补充：{key}】"
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_TABLE = re.compile(r"^\[\[table\s+([\w-]+)\]\]$")
_NOTE = re.compile(r"^@note\s+([\w-]+)\s+(.*)$")


def _folder() -> Any:
    return resources.files("yusuan.compose") / "narratives"


def narrative_name(profile_id: str) -> str:
    return f"{profile_id}.md.j2"


@cache
def narrative_ids() -> frozenset[str]:
    """Profiles with a narrative template of their own."""
    suffix = ".md.j2"
    return frozenset(p.name[: -len(suffix)] for p in _folder().iterdir() if p.name.endswith(suffix))


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        autoescape=False,  # Markdown-like text, never HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _load(name: str) -> str:
    return str((_folder() / name).read_text(encoding="utf-8"))


class Facts:
    """What a narrative template may ask for: figures, words and the department's texts."""

    def __init__(
        self, dept: Department, compiled: Compiled, template: Template, names: CodeNames
    ) -> None:
        self.dept = dept
        self.name = dept.department
        self.year = dept.year
        self.last_year = dept.year - 1
        self.t: Totals = compiled.totals
        self.tp = template
        self.names = names
        self.compiled = compiled
        self.missing: list[str] = []
        self.sections = {s.key: s.title for s in template.profile.sections}
        self.entity = template.profile.entity or "部门"

    # ── amounts ──
    def money(self, fen: int) -> str:
        """分 → `1,234.56` (万元)."""
        return format_amount(wan(fen))

    def share(self, part: int, whole: int) -> str:
        return str(percent(part, whole))

    def change(self, cur: int, last: int) -> dict[str, Any]:
        """The year-on-year change as printed: word 增加/减少/持平, A 万元, B %."""
        word, a, pword, pct = yoy(cur, last)
        if a == 0:
            return {"word": "持平", "amount": "0.00", "pword": "持平", "pct": "0.00", "flat": True}
        return {
            "word": word,
            "amount": format_amount(a),
            "pword": pword,
            "pct": str(pct),
            "flat": False,
        }

    def money_abs(self, pair: list[int]) -> str:
        """|this year − last year| in 万元, as a change prints it."""
        return format_amount(wan(abs(pair[0] - pair[1])))

    def class_total(self, code: str) -> int:
        """Spending of a 功能分类 类 this year, every source."""
        return self.t.by_class.get(code, 0)

    def purpose_of_fund(self) -> str:
        classes = sorted(self.t.budget_by_class.get("fund", {}))
        return "、".join(self.purpose(c) for c in classes) or self._missing("purposes")

    def item(self, key: str) -> list[int]:
        """The [this year, last year] 分 of a 收支总表 income item."""
        items = self.tp.overview.panels[0].items
        keys = item_sum_keys(list(items), key)
        pair = [0, 0]
        for s in self.tp.sources:
            if s.key in keys:
                got = self.t.by_source.get(s.index, [0, 0])
                pair[0] += got[0]
                pair[1] += got[1]
        return pair

    def budget(self, name: str) -> list[int]:
        """[this year, last year] of 一般公共预算 (`general`), 政府性基金 (`fund`) or
        国有资本经营预算 (`capital`) 拨款, 结转 excluded."""
        return list(self.t.budget_pairs.get(name, [0, 0]))

    def fiscal(self) -> list[int]:
        pairs = [self.budget(b) for b in ("general", "fund", "capital")]
        return [sum(p[0] for p in pairs), sum(p[1] for p in pairs)]

    # ── words ──
    def fname(self, code: str) -> str:
        return self.names.name(code, "function") or code

    def ename(self, code: str) -> str:
        return self.names.name(code, "economic_dept") or code

    def path(self, code: str) -> str:
        words = ("类", "款", "项")
        return "".join(
            f"{self.fname(code[:n])}（{words[i]}）"
            for i, n in enumerate(range(3, len(code) + 1, 2))
        )

    def cn(self, n: int) -> str:
        return _cn(n)

    def reason(self, key: str) -> str:
        text = self.dept.reasons.get(key, "").strip()
        if not text:
            return self._missing(f"reasons.{key}")
        text = re.sub(r"^(?:主要原因(?:是|为)?|原因(?:是|为))[：:]?", "", text)
        return text.rstrip("。；;")

    def purpose(self, code: str) -> str:
        text = self.dept.purposes.get(code, "").strip().rstrip("。；;")
        return text or self._missing(f"purposes.{code}")

    def text(self, value: str, key: str) -> str:
        value = value.strip()
        return value.rstrip("。") if value else self._missing(key)

    def _missing(self, key: str) -> str:
        self.missing.append(key)
        return PLACEHOLDER.format(key=key)

    # ── tables ──
    def table(self, kind: str) -> str | None:
        spec = self.tp.of_kind(kind)
        return spec.key if spec is not None else None

    def empty(self, kind: str) -> bool:
        key = self.table(kind)
        return key is None or self.compiled.tables[key].is_empty

    def gp_items(self) -> list[tuple[str, int, int]]:
        """Every 项 of 一般公共预算 spending this year or last: (code, this year, last year)."""
        return [(c, p[0], p[1]) for c, p in sorted(self.t.gp_items.items()) if p[0] or p[1]]

    def project(self, unit: str, name: str) -> ProjectSpec | None:
        key = (normalize_name(unit), normalize_name(name))
        return next(
            (
                p
                for p in self.dept.projects
                if (normalize_name(p.unit), normalize_name(p.name)) == key
            ),
            None,
        )

    def units_of(self, kind: str) -> list[str]:
        return [u.name for u in self.dept.units if u.kind == kind]


def write_story(
    dept: Department, compiled: Compiled, template: Template, names: CodeNames
) -> Narrative:
    """Render the profile's narrative template into blocks."""
    facts = Facts(dept, compiled, template, names)
    text = _env().get_template(narrative_name(template.profile.id)).render(n=facts, d=dept)
    out = Narrative()
    notes: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == "[[tables]]":
            out.blocks.extend(TableRef(key) for key in compiled.tables)
            continue
        m = _TABLE.match(line)
        if m:
            key = facts.table(m.group(1))
            if key is not None:
                out.blocks.append(TableRef(key))
            continue
        if line == "[[performance]]":
            for pp in dept.performance.projects:
                out.blocks.append(PerfRef(len(out.performance)))
                out.performance.append(project_table(pp))
            continue
        m = _NOTE.match(line)
        if m:
            notes.setdefault(m.group(1), []).append(m.group(2))
            continue
        m = _HEADING.match(line)
        if m:
            out.blocks.append(Para(m.group(2).strip(), len(m.group(1))))
            continue
        out.blocks.append(Para(line))
    for kind, texts in notes.items():
        key = facts.table(kind)
        if key is None:
            continue
        table = compiled.tables[key]
        if table.is_empty:
            # Rows that print only zeros would hide the note from readers of the table.
            table.rows = []
        table.notes = [TableNote(t, Loc()) for t in texts]
    out.missing = facts.missing
    return out


__all__ = ["Facts", "narrative_ids", "write_story"]
