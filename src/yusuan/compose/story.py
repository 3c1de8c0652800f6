"""The narrative of a profile written by its Jinja2 template (`compose/narratives/ID.md.j2`).

The template is fed the exact sums (`Totals`), the department file and helpers that print
amounts, shares and year-on-year changes the way the readers read them back; headings come
from the profile's section titles (`sections.income`). Each line the template writes is one
block:

    # …, ## …            a heading (the number of # is its level)
    [[tables]]           every built table, in the profile's order
    [[table KIND]]       the table of that kind (not placed again by [[tables]])
    [[tables KIND]]      every table of that kind
    [[performance]]      the 绩效目标表 the department file gives
    @note KIND text      a note printed under the table of that kind (为空表 …)
    anything else        a paragraph (blank lines are dropped)

The pure helpers are filters too (`scale | money`, `loop.index | cn`): a call such as
`n.money(x)` goes through Jinja's `Context.call`, which costs more than the helper itself in a
loop over a million projects.

A new region's narrative is a new template file, not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from yusuan.compose.compile import Compiled, Totals, _cn, wan, wan_text
from yusuan.compose.department import Department, ProjectSpec
from yusuan.compose.errors import BuildError, Issue
from yusuan.compose.names import CodeNames
from yusuan.compose.narrative import (
    SECRET_FIELDS,
    Claim,
    Narrative,
    Para,
    PerfRef,
    TableRef,
    form_title,
    overall_table,
    percent,
    project_table,
    share_text,
    yoy,
    yoy_text,
)
from yusuan.compose.template import (
    Template,
    identity_items,
    item_role,
    item_sum_keys,
    table_filter,
)
from yusuan.model.narrative import PerformanceTable
from yusuan.model.provenance import Loc
from yusuan.model.tables import TableNote
from yusuan.money import format_amount
from yusuan.readers.assemble.projects import allocated_in_text
from yusuan.text import is_plain_name, normalize_name

PLACEHOLDER = "【待补充：{key}】"
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_TABLE = re.compile(r"^\[\[(table|tables)\s+([\w-]+)\]\]$")
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
    env.filters["money"] = wan_text
    env.filters["cn"] = _cn
    return env


def _load(name: str) -> str:
    return str((_folder() / name).read_text(encoding="utf-8"))


class Facts:
    """What a narrative template may ask for: figures, words and the department's texts."""

    def __init__(
        self,
        dept: Department,
        compiled: Compiled,
        template: Template,
        names: CodeNames,
        dept_path: str = "部门文件",
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
        self.dept_path = dept_path
        self.section = ""
        self.claims: list[Claim] = []
        self.issues: list[Issue] = []
        self.secret_fields = SECRET_FIELDS
        self._performance: list[PerformanceTable] | None = None
        self._projects: dict[tuple[str, str], ProjectSpec] | None = None

    # ── amounts ──
    def money(self, fen: int) -> str:
        """分 → `1,234.56` (万元)."""
        return wan_text(fen)

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

    def income_parts(self, key: str, prefix: str = "overall") -> list[tuple[str, list[int], str]]:
        """The income items a 收支总表 item adds up (not its `其中` rows) that hold money this
        year or last: (label, [this year, last year], reason key `prefix.item`)."""
        items = list(self.tp.overview.panels[0].items)
        leaves = item_sum_keys(items, key)
        out: list[tuple[str, list[int], str]] = []
        for item in items:
            if item.key in leaves and not item.within:
                pair = self.item(item.key)
                if pair[0] or pair[1]:
                    out.append((item.label, pair, f"{prefix}.{item.key}"))
        return out

    def fiscal_spending(self) -> int:
        """What the 财政拨款收支总表 spends this year: 财政拨款, with its 上年结转 when the table
        lists that among its income."""
        finance = self.tp.of_kind("finance-overview")
        sel = table_filter(finance, "finance-overview") if finance is not None else None
        return sum(
            self.t.by_source.get(s.index, [0, 0])[0]
            for s in self.tp.sources
            if s.fiscal and (sel is None or sel.match(s, True, "302") or sel.match(s, False, "302"))
        )

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
        """The built table of a kind (the first, when the template has several)."""
        return next(iter(self.tables_of(kind)), None)

    def tables_of(self, kind: str) -> list[str]:
        """Every built table of a kind, in the template's order (西安 会议费、培训费明细表)."""
        return [k for k in self.compiled.tables if self.tp.kinds.get(k) == kind]

    def empty(self, kind: str) -> bool:
        key = self.table(kind)
        return key is None or self.compiled.tables[key].is_empty

    def gp_items(self) -> list[tuple[str, int, int]]:
        """Every 项 of 一般公共预算 spending this year or last: (code, this year, last year)."""
        return [(c, p[0], p[1]) for c, p in sorted(self.t.gp_items.items()) if p[0] or p[1]]

    def project(self, unit: str, name: str) -> ProjectSpec | None:
        """The department file's description of a project (the first, if it is given twice).
        Asked once per project of the ledger: an index, not a scan of the file's projects."""
        if not self.dept.projects:
            return None
        index = self._projects
        if index is None:
            index = self._projects = {}
            for p in self.dept.projects:
                index.setdefault((_key(p.unit), _key(p.name)), p)
        return index.get((_key(unit), _key(name)))

    def projects(self) -> Iterator[tuple[str, str, int, ProjectSpec | None]]:
        """The ledger's projects (`t.projects`), each with its description in the department
        file: (unit, project, 分, spec or None)."""
        for unit, name, scale in self.t.projects:
            yield unit, name, scale, self.project(unit, name)

    # ── the figures written (claims), for tests reading them back ──
    def at(self, section: str) -> str:
        """Figures claimed from here on belong to this section (renders nothing)."""
        self.section = section
        return ""

    def claim(
        self, subject: str, cur: int, whole: int | None = None, last: int | None = None
    ) -> str:
        share = share_text(cur, whole)[1] if whole is not None else None
        change = yoy(cur, last) if last is not None else None
        self.claims.append(Claim(self.section, subject, wan(cur), share, change))
        return ""

    # ── more words ──
    def share_words(self, cur: int, whole: int) -> str:
        """`，占 Y%`, or nothing for an amount that prints as 0.00."""
        return share_text(cur, whole)[0]

    def yoy_text(self, cur: int, last: int, spaced: bool = True) -> str:
        return yoy_text(cur, last, spaced=spaced)

    def yoy(self, cur: int, last: int) -> tuple[str, str, str, str]:
        word, a, pword, pct = yoy(cur, last)
        return word, format_amount(a), pword, str(pct)

    def amount(self, value: Decimal) -> str:
        """A 万元 figure of the department file, as printed."""
        return format_amount(value)

    def fnames(self, codes: list[str]) -> list[str]:
        return [self.fname(c) for c in codes]

    def title(self, kind: str) -> str:
        spec = self.tp.of_kind(kind)
        return spec.title if spec is not None else ""

    def staffing(self) -> str:
        """编制数 and 实有人数 (在职、退休、离休 with their changes), one sentence."""
        s = self.dept.staffing
        parts: list[str] = []
        if s.establishment is not None:
            parts.append(f"{self.name}编制数 {s.establishment:,}")
        heads = [("在职", s.serving), ("退休", s.retired), ("离休", s.veteran)]
        listed = [(w, h) for w, h in heads if h is not None]
        if listed:
            detail = []
            for word, head in listed:
                assert head is not None
                one = f"{word} {head.count:,} 人"
                if head.change:
                    one += f"，{'增加' if head.change > 0 else '减少'} {abs(head.change):,} 人"
                detail.append(one)
            total = sum(h.count for _, h in listed if h is not None)
            parts.append(f"实有人数 {total:,} 人，其中：{'；'.join(detail)}")
        return "，".join(parts) + "。" if parts else ""

    def income_labels(self) -> list[str]:
        """The 收支总表's income groups under its totals (本年收入 › 一般公共预算拨款 …) that
        hold money this year."""
        items = list(self.tp.overview.panels[0].items)
        by_key = {i.key: i for i in items}
        roots = [k for i in items if i.total for k in i.parts]
        second = [p for r in roots for p in by_key[r].parts]
        return [by_key[k].label for k in second if self.item(k)[0]]

    def income_columns(self) -> list[tuple[str, str, int, int]]:
        """The 收入总表's columns that hold ledger sources: (key, label, this year, last year)."""
        income = self.tp.of_kind("income")
        out: list[tuple[str, str, int, int]] = []
        for col in income.columns if income is not None else []:
            holders = [s for s in self.tp.sources if s.income_column == col.key]
            if not holders or any(o[0] == col.key for o in out):
                continue
            cur = sum(self.t.by_source.get(s.index, [0, 0])[0] for s in holders)
            last = sum(self.t.by_source.get(s.index, [0, 0])[1] for s in holders)
            out.append((col.key, col.label, cur, last))
        return out

    def finance_items(self) -> list[tuple[str, int]]:
        """The 财政拨款收支总表's income items equated with 收支总表 items: (label 拨款, 分)."""
        finance = self.tp.of_kind("finance-overview")
        if finance is None:
            return []
        refs = identity_items(self.tp.profile, finance.key, "#", self.tp.overview.key)
        return [
            (f"{item.label}拨款", sum(self.item(k)[0] for k in refs[item.key]))
            for item in finance.panels[0].items
            if item.key in refs and not item.parts and not item.total
        ]

    def econ_classes(self) -> list[tuple[str, str, int, int]]:
        """一般公共预算 by 部门预算支出经济分类 类 this year or last: (code, name, this, last)."""
        by_class: dict[str, list[int]] = {}
        for econ, (cur, last) in self.t.gp_econ.items():
            acc = by_class.setdefault(econ[:3], [0, 0])
            acc[0] += cur
            acc[1] += last
        return [
            (c, self.ename(c), cur, last)
            for c, (cur, last) in sorted(by_class.items())
            if cur or last
        ]

    def gov_classes(self) -> list[tuple[str, str, int, int]]:
        """一般公共预算 by 政府预算支出经济分类 类 (the catalog's 部门 → 政府 table, by the unit's
        kind): (code, name as the template's tables print it, this year, last year)."""
        names: dict[str, str] = {}
        for spec in self.tp.specs.values():
            for panel in spec.panels:
                for item in panel.items:
                    if item.code and item.code.startswith("5"):
                        names.setdefault(item.code, item.label)
        return [
            (c, names.get(c) or self.names.name(c, "economic_gov") or c, cur, last)
            for c, (cur, last) in sorted(self.t.gp_gov.items())
            if cur or last
        ]

    def general_classes(self, printed: bool = False) -> list[tuple[str, int]]:
        """一般公共预算 spending by 功能分类 类 (`printed`: those that print as more than 0.00)."""
        general = self.t.budget_by_class.get("general", {})
        return [(c, v) for c, v in sorted(general.items()) if (wan(v) if printed else v)]

    def sangong_items(self) -> list[tuple[str, str, list[int]]]:
        """The 三公 table's leaf items: (key, label, [this year, last year])."""
        spec = self.tp.of_kind("sangong")
        if spec is None:
            return []
        return [
            (i.key, i.label, self.t.sangong.get(item_role(i) or "", [0, 0]))
            for i in spec.items
            if not i.parts and not i.total
        ]

    def carry_rows(self) -> list[tuple[str, str, str, int, ProjectSpec | None]]:
        """结转 rows: (unit, label, the name as printed, 分, the project's description in the
        department file or None); a name two units share says whose."""
        items = self.t.carry_items
        keys = [_key(label) for _u, label, _a in items]
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        return [
            (
                u,
                label,
                label if counts[key] == 1 else f"{u}{label}",
                amount,
                self.project(u, label),
            )
            for (u, label, amount), key in zip(items, keys, strict=True)
        ]

    def secret_projects(self) -> list[tuple[str, str, int]]:
        if not any(p.secret for p in self.dept.projects):
            return []
        out = []
        for u, name, scale in self.t.projects:
            spec = self.project(u, name)
            if spec is not None and spec.secret:
                out.append((u, name, scale))
        return out

    def allocation(self, text: str, scale: int, key: str) -> str:
        """资金分配情况, `{规模}` replaced by the 预算安排规模; allocating more is an input error."""
        value = self.text(text, key)
        if "{规模}" in value:
            value = value.replace("{规模}", f"{self.money(scale)}万元")
        found = allocated_in_text(value)
        if found is not None and found > wan(scale):
            self.issues.append(
                Issue(
                    self.dept_path,
                    f"资金分配情况分配了 {format_amount(found)} 万元，超过预算安排规模 "
                    f"{self.money(scale)} 万元（可用 {{规模}} 代替金额）",
                    column=key,
                )
            )
        return value

    def performance_tables(self) -> list[PerformanceTable]:
        if self._performance is None:
            tables: list[PerformanceTable] = []
            if self.dept.performance.overall is not None:
                tables.append(overall_table(self.dept, self.t, self.tp))
            title = form_title(self.tp, "project", "项目支出绩效目标表")
            tables += [
                project_table(pp, self.project_funds(pp.unit, pp.project), title)
                for pp in self.dept.performance.projects
            ]
            self._performance = tables
        return self._performance

    def project_funds(self, unit: str, name: str) -> tuple[int, int]:
        """(财政拨款, 其他资金) 分 of a project in the ledger, or of the projects the department
        file puts in a class of that name (西安 绩效目标表 are by class: `专项购置`)."""
        funds = self.t.project_funds
        u = normalize_name(unit)
        got = funds.get((u, normalize_name(name)))
        if got is not None:
            return got
        members = [
            funds.get((u, normalize_name(p.name)), (0, 0))
            for p in self.dept.projects
            if normalize_name(p.unit) == u and normalize_name(p.group) == normalize_name(name)
        ]
        return sum(m[0] for m in members), sum(m[1] for m in members)

    def performance_summary(self) -> dict[str, Any]:
        """整体绩效目标 and project 绩效目标表: counts and amounts, from the tables."""
        tables = self.performance_tables()
        overall_total = Decimal(0)
        for t in tables:
            if t.kind == "overall":
                for fig in (t.fiscal, t.other):
                    if fig is not None:
                        overall_total += fig.value
        projects = [t for t in tables if t.kind == "project"]
        fiscal = [t for t in projects if t.fiscal is not None and t.fiscal.value > 0]
        others = [t for t in projects if t.fiscal is None or t.fiscal.value == 0]
        return {
            "overall": 1 if self.dept.performance.overall else 0,
            "overall_total": overall_total,
            "fiscal": len(fiscal),
            "fiscal_sum": sum((t.fiscal.value for t in fiscal if t.fiscal), Decimal(0)),
            "others": len(others),
            "other_sum": sum((t.total.value for t in others if t.total), Decimal(0)),
            "tables": tables,
        }

    def units_of(self, kind: str) -> list[str]:
        return [u.name for u in self.dept.units if u.kind == kind]


def _key(name: str) -> str:
    """`normalize_name`, without its work for a name that is its own key (most are)."""
    return name if is_plain_name(name) else normalize_name(name)


def write_story(
    dept: Department,
    compiled: Compiled,
    template: Template,
    names: CodeNames,
    dept_path: str = "部门文件",
) -> Narrative:
    """Render the profile's narrative template into blocks. Raises BuildError when the
    department file's words contradict the figures (资金分配 above the 规模)."""
    facts = Facts(dept, compiled, template, names, dept_path)
    text = _env().get_template(narrative_name(template.profile.id)).render(n=facts, d=dept)
    out = Narrative()
    notes: dict[str, list[str]] = {}
    lines = [raw.strip() for raw in text.splitlines()]
    # Tables placed by kind (`[[table KIND]]`) are not placed again by `[[tables]]`.
    placed: set[str] = set()
    for line in lines:
        if line.startswith("[[table"):  # what _TABLE needs (a narrative has a million lines)
            m = _TABLE.match(line)
            if m:
                keys = facts.tables_of(m.group(2))
                placed.update(keys if m.group(1) == "tables" else keys[:1])
    blocks = out.blocks
    for line in lines:
        if not line:
            continue
        # Most lines are running text: only `[`, `@` and `#` start anything else.
        first = line[0]
        if first == "[":
            if line == "[[tables]]":
                blocks.extend(TableRef(key) for key in compiled.tables if key not in placed)
                continue
            m = _TABLE.match(line)
            if m:
                keys = facts.tables_of(m.group(2))
                blocks.extend(TableRef(k) for k in (keys if m.group(1) == "tables" else keys[:1]))
                continue
            if line == "[[performance]]":
                for table in facts.performance_tables():
                    blocks.append(PerfRef(len(out.performance)))
                    out.performance.append(table)
                continue
        elif first == "@":
            m = _NOTE.match(line)
            if m:
                notes.setdefault(m.group(1), []).append(m.group(2))
                continue
        elif first == "#":
            m = _HEADING.match(line)
            if m:
                blocks.append(Para(m.group(2).strip(), len(m.group(1))))
                continue
        blocks.append(Para(line))
    for kind, texts in notes.items():
        key = facts.table(kind)
        if key is None:
            continue
        noted = compiled.tables[key]
        if noted.is_empty:
            # Rows that print only zeros would hide the note from readers of the table.
            noted.rows = []
        noted.notes = [TableNote(t, Loc()) for t in texts]
    if facts.issues:
        raise BuildError(facts.issues)
    out.missing = facts.missing
    out.claims = facts.claims
    return out


__all__ = ["Facts", "narrative_ids", "write_story"]
