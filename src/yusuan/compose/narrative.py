"""The narrative (部门概况 and 情况说明) written from the compiled numbers.

Every amount, share (占 X%) and year-on-year sentence (比上年预算增加/减少 A 万元，增长/下降 B%)
is computed here from the exact sums; people's words — reasons (主要原因), purposes, project
descriptions — are slotted in from the department file, with a visible placeholder where one
is missing. The sentence forms are those of the template's sample, so that the shared reader
grammar (and every auditor) reads them back as statements bound to table figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from yusuan.compose.compile import Compiled, Totals, _cn, wan
from yusuan.compose.department import Department, ProjectSpec
from yusuan.compose.errors import BuildError, Issue
from yusuan.compose.names import CodeNames
from yusuan.compose.template import Template, identity_items, item_role, item_sum_keys
from yusuan.model.narrative import Figure, Indicator, PerformanceTable
from yusuan.model.provenance import Loc
from yusuan.model.tables import TableNote
from yusuan.money import format_amount
from yusuan.profiles.schema import ItemSpec
from yusuan.readers.assemble.projects import allocated_in_text
from yusuan.text import normalize_name

PLACEHOLDER = "【待补充：{key}】"
SECRET = "完全不予公开"
SECRET_FIELDS = (
    "资金分配情况",
    "资金执行时间",
    "资金来源",
    "补贴人数",
    "补贴标准",
    "补贴范围",
    "补贴方式",
    "发放程序",
    "受益人群和社会效益",
)
HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


@dataclass(slots=True)
class Para:
    text: str
    level: int | None = None  # heading level; None for running text


@dataclass(slots=True)
class TableRef:
    key: str


@dataclass(slots=True)
class PerfRef:
    index: int


Block = Para | TableRef | PerfRef


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure the generator wrote, for checking what the reader makes of the text."""

    section: str
    subject: str
    amount: Decimal | None
    share: Decimal | None = None
    change: tuple[str, Decimal, str, Decimal] | None = None  # 增加, A, 增长, B


@dataclass(slots=True)
class Narrative:
    blocks: list[Block] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    performance: list[PerformanceTable] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # reasons and texts left as placeholders


def money(fen: int) -> str:
    return format_amount(wan(fen))


def percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP)


def yoy(cur: int, last: int) -> tuple[str, Decimal, str, Decimal]:
    """(增加/减少, A 万元, 增长/下降, B%) as printed, following the template's conventions:
    B = A ÷ last year; last year 0 is 增长 100.00%; an A that prints as 0.00 is 0.00%."""
    diff = cur - last
    a = wan(abs(diff))
    up = diff >= 0
    if a == 0:
        pct = Decimal("0.00")
    else:
        printed_last = wan(cur) - a if up else wan(cur) + a
        if last == 0 or abs(printed_last) <= Decimal("0.02"):
            pct = Decimal("100.00")
        else:
            pct = percent(abs(diff), last)
    return ("增加" if up else "减少"), a, ("增长" if up else "下降"), pct


def share_text(cur: int, whole: int) -> tuple[str, Decimal | None]:
    """`，占 Y%` — left out for an amount that prints as 0.00 (a share of nothing says nothing,
    and auditors cannot bound the share of a figure rounded to zero)."""
    if wan(cur) == 0 or whole == 0:
        return "", None
    share = percent(cur, whole)
    return f"，占 {share}%", share


def yoy_text(cur: int, last: int, *, spaced: bool = True) -> str:
    word, a, pword, pct = yoy(cur, last)
    sp = " " if spaced else ""
    return f"比上年预算{word}{sp}{format_amount(a)}{sp}万元，{pword}{sp}{pct}%"


class _Writer:
    def __init__(
        self,
        dept: Department,
        compiled: Compiled,
        template: Template,
        names: CodeNames,
        dept_path: str,
    ) -> None:
        self.d = dept
        self.c = compiled
        self.t: Totals = compiled.totals
        self.tp = template
        self.names = names
        self.dept_path = dept_path
        self.out = Narrative()
        self.section = ""
        self.issues: list[Issue] = []
        self.projects = {(normalize_name(p.unit), normalize_name(p.name)): p for p in dept.projects}

    # ───────────────────────── helpers ─────────────────────────

    def h(self, level: int, text: str, section: str | None = None) -> None:
        if section is not None:
            self.section = section
        self.out.blocks.append(Para(text, level))

    def p(self, text: str) -> None:
        self.out.blocks.append(Para(text))

    def claim(
        self,
        subject: str,
        cur: int | None,
        share: Decimal | None = None,
        change: tuple[str, Decimal, str, Decimal] | None = None,
    ) -> None:
        amount = wan(cur) if cur is not None else None
        self.out.claims.append(Claim(self.section, subject, amount, share, change))

    def reason(self, key: str) -> str:
        text = self.d.reasons.get(key, "").strip()
        if not text:
            self.out.missing.append(f"reasons.{key}")
            return PLACEHOLDER.format(key=f"reasons.{key}")
        text = re.sub(r"^(?:主要原因(?:是|为)?|原因(?:是|为))[：:]?", "", text)
        return text.rstrip("。；;")

    def text(self, value: str, key: str) -> str:
        value = value.strip()
        if value:
            return value.rstrip("。")
        self.out.missing.append(key)
        return PLACEHOLDER.format(key=key)

    @property
    def dept(self) -> str:
        return self.d.department

    @property
    def year(self) -> int:
        return self.d.year

    def fname(self, code: str) -> str:
        return self.names.name(code, "function") or code

    def path(self, code: str) -> str:
        words = ("类", "款", "项")
        return "".join(
            f"{self.fname(code[:n])}（{words[i]}）"
            for i, n in enumerate(range(3, len(code) + 1, 2))
        )

    def source_pair(self, t2_column: str) -> list[int]:
        pair = [0, 0]
        for s in self.tp.sources:
            if s.income_column == t2_column:
                got = self.t.by_source.get(s.index, [0, 0])
                pair[0] += got[0]
                pair[1] += got[1]
        return pair

    def t1_amount(self, item_key: str) -> int:
        items = self.tp.overview.panels[0].items
        keys = item_sum_keys(items, item_key)
        return sum(
            self.t.by_source.get(s.index, [0, 0])[0] for s in self.tp.sources if s.key in keys
        )

    # ───────────────────────── parts ─────────────────────────

    def write(self) -> Narrative:
        self.h(1, self.dept)
        self.h(2, f"{self.year} 年部门预算公开")
        self.overview()
        self.h(2, f"第二部分 {self.year} 年部门预算公开表", section="")
        self.tables()
        self.h(3, f"第三部分 {self.year} 年部门预算情况说明", section="")
        self.overall()
        self.income()
        self.expense()
        self.fin()
        self.general()
        self.basic()
        self.project_blocks()
        self.empty_budget("fund", "gov-fund", "政府性基金预算拨款", "八")
        self.empty_budget("capital", "state-capital", "国有资本经营预算拨款", "九")
        self.sangong()
        self.carryover()
        self.other()
        if self.d.glossary:
            self.h(2, "第四部分 名词解释", section="glossary")
            for g in self.d.glossary:
                self.p(g)
        if self.issues:
            raise BuildError(self.issues)
        return self.out

    def overview(self) -> None:
        d = self.d
        self.h(2, f"第一部分 {self.year} 年{self.dept}部门概况", section="overview")
        if d.functions_intro or d.functions:
            self.h(3, "一、主要职能")
            if d.functions_intro:
                self.p(d.functions_intro)
            for f in d.functions:
                self.p(f)
        self.h(3, "二、机构设置及人员情况")
        n = len(d.units)
        self.p(
            f"从预算单位构成看，{self.dept}的预算包括：{self.dept}本级预算及下属 {n - 1} 家预算单位"
            f"在内的汇总预算。"
        )
        if d.offices:
            self.p(f"{self.dept}本级下设 {len(d.offices)} 个处室，分别是：{'、'.join(d.offices)}。")
        admin = sum(1 for u in d.units if u.kind == "行政")
        self.p(
            f"本部门中，行政单位 {admin} 家，事业单位 {n - admin} 家，纳入{self.dept} {self.year} "
            f"年部门预算编制范围的下属预算单位包括："
        )
        for i, u in enumerate(d.units, start=1):
            self.p(f"{i}、{u.name}")
        s = d.staffing
        parts: list[str] = []
        if s.establishment is not None:
            parts.append(f"{self.dept}编制数 {s.establishment:,}")
        heads = [("在职", s.serving), ("退休", s.retired), ("离休", s.veteran)]
        listed = [(w, h) for w, h in heads if h is not None]
        if listed:
            total = sum(h.count for _, h in listed)
            detail = []
            for word, head in listed:
                assert head is not None
                one = f"{word} {head.count:,} 人"
                if head.change:
                    one += f"，{'增加' if head.change > 0 else '减少'} {abs(head.change):,} 人"
                detail.append(one)
            parts.append(f"实有人数 {total:,} 人，其中：{'；'.join(detail)}")
        if parts:
            self.p("，".join(parts) + "。")

    def tables(self) -> None:
        empty_notes = {
            "gov-fund": f"{self.dept} {self.year} 年没有使用政府性基金预算拨款安排的支出，"
            f"政府性基金预算支出情况表为空表。",
            "state-capital": f"{self.dept} {self.year} 年没有使用国有资本经营预算拨款安排的支出，"
            f"国有资本经营预算支出情况表为空表。",
            "carryover": f"{self.dept} {self.year} 年没有上年结转结余，上年结转结余情况明细表为空表。",
        }
        for key, table in self.c.tables.items():
            kind = self.tp.kinds[key]
            if table.is_empty and kind in empty_notes:
                # Rows that print only 0.00 would hide the note from readers of the table.
                table.rows = []
                table.notes = [TableNote(empty_notes[kind], Loc())]
            self.out.blocks.append(TableRef(key))

    def overall(self) -> None:
        self.h(4, f"一、关于{self.dept} {self.year} 年收支预算情况总体说明", section="overall")
        total = self.t.income_total
        self.p(
            f"按照全口径预算的原则，{self.dept} {self.year} 年所有收入和支出均纳入部门预算管理。"
            f"收支总预算 {money(total)} 万元。"
        )
        self.claim("收支总预算", total)
        items = self.tp.overview.panels[0].items
        by_key = {i.key: i for i in items}
        roots = [k for i in items if i.total for k in i.parts]
        second = [p for r in roots for p in by_key[r].parts]
        income = [by_key[k].label for k in second if self.t1_amount(k)]
        if income:
            self.p(f"收入预算包括：{'、'.join(income)}。")
        classes = [self.fname(c) for c in self.t.expense_classes]
        if classes:
            self.p(f"支出预算包括：{'、'.join(classes)}。")

    def income(self) -> None:
        self.h(4, f"二、关于{self.dept} {self.year} 年收入预算情况说明", section="income")
        total = self.t.income_total
        self.p(f"{self.dept}部门收入预算 {money(total)} 万元，其中：")
        self.claim("部门收入预算", total)
        seen: list[str] = []
        income = self.tp.of_kind("income")
        for col in income.columns if income is not None else []:
            if col.key in seen or not any(s.income_column == col.key for s in self.tp.sources):
                continue
            seen.append(col.key)
            cur, last = self.source_pair(col.key)
            if cur == 0 and last == 0:
                self.p(f"{col.label}未安排。")
                continue
            words, share = share_text(cur, total)
            change = yoy(cur, last)
            label = col.label + ("资金" if col.label.endswith("转移支付") else "")
            self.p(
                f"{label} {money(cur)} 万元{words}，{yoy_text(cur, last)}，"
                f"主要原因是{self.reason('income.' + col.key)}。"
            )
            self.claim(label, cur, share, change)

    def expense(self) -> None:
        self.h(4, f"三、关于{self.dept} {self.year} 年支出预算情况说明", section="expense")
        basic, project = self.t.basic, self.t.project
        total = basic[0] + project[0]
        bw, bs = share_text(basic[0], total)
        pw, ps = share_text(project[0], total)
        self.p(
            f"{self.dept} {self.year} 年支出预算 {money(total)} 万元，其中：基本支出 "
            f"{money(basic[0])} 万元{bw}，{yoy_text(*basic)}，"
            f"主要原因是{self.reason('expense.basic')}。"
        )
        self.claim("支出预算", total)
        self.claim("基本支出", basic[0], bs, yoy(*basic))
        self.p(
            f"项目支出 {money(project[0])} 万元{pw}，{yoy_text(*project)}，"
            f"主要原因是{self.reason('expense.project')}。"
        )
        self.claim("项目支出", project[0], ps, yoy(*project))

    def fin(self) -> None:
        self.h(
            4, f"四、关于{self.dept} {self.year} 年财政拨款收支预算情况的总体说明", section="fin"
        )
        budgets = self.t.budget_total
        total = sum(budgets.values())
        self.p(f"{self.dept} {self.year} 年财政拨款收支总预算 {money(total)} 万元。")
        self.claim("财政拨款收支总预算", total)
        finance = self.tp.of_kind("finance-overview")
        labels = {}
        if finance is not None:
            refs = identity_items(self.tp.profile, finance.key, "#", self.tp.overview.key)
            for item in finance.panels[0].items:
                if item.key in refs and not item.parts and not item.total:
                    amount = sum(self.t1_amount(k) for k in refs[item.key])
                    labels[item.key] = (f"{item.label}拨款", amount)
        nonzero = [(lab, v) for lab, v in labels.values() if v]
        zero = [lab for lab, v in labels.values() if not v]
        if len(nonzero) == 1 and zero:
            self.p(f"收入全部为{nonzero[0][0]}，无{'和'.join(zero)}。")
        if nonzero:
            self.p(
                "收入预算包括：" + "，".join(f"{lab} {money(v)} 万元" for lab, v in nonzero) + "。"
            )
            for lab, v in nonzero:
                self.claim(lab, v)
        general = self.t.budget_by_class.get("general", {})
        uses = []
        for code in sorted(general):
            if not general[code]:
                continue
            purpose = self.d.purposes.get(code, "").strip().rstrip("。；;")
            one = f"{self.fname(code)} {money(general[code])} 万元"
            if purpose:
                one += f"，主要用于{purpose}"
            uses.append(one)
            self.claim(self.fname(code), general[code])
        if uses:
            self.p("一般公共预算支出包括：" + "；".join(uses) + "。")
        for budget, label in (("fund", "政府性基金预算拨款"), ("capital", "国有资本经营预算拨款")):
            if budgets.get(budget):
                self.p(f"{label}支出 {money(budgets[budget])} 万元。")

    def general(self) -> None:
        self.h(2, f"五、关于{self.dept} {self.year} 年一般公共预算当年拨款情况说明", section="gp")
        self.h(3, "（一）一般公共预算当年拨款规模变化情况", section="gp_scale")
        b, pj = self.t.gp_basic, self.t.gp_project
        total = b[0] + pj[0]
        self.p(f"{self.dept} {self.year} 年一般公共预算拨款合计 {money(total)} 万元，其中：")
        self.claim("一般公共预算拨款合计", total)
        for word, pair, key in (("基本支出", b, "gp.basic"), ("项目支出", pj, "gp.project")):
            self.p(
                f"{word} {money(pair[0])} 万元，{yoy_text(*pair)}。主要原因是{self.reason(key)}。"
            )
            self.claim(word, pair[0], None, yoy(*pair))
        self.h(3, "（二）一般公共预算当年拨款结构情况", section="gp_structure")
        general = self.t.budget_by_class.get("general", {})
        i = 0
        for code in sorted(general):
            if not wan(general[code]):
                continue
            i += 1
            words, share = share_text(general[code], total)
            self.p(f"{i}、{self.fname(code)}（类）{money(general[code])} 万元{words}。")
            self.claim(self.fname(code), general[code], share)
        self.h(3, "（三）一般公共预算当年拨款具体使用情况", section="gp_items")
        i = 0
        for code in sorted(self.t.gp_items):
            cur, last = self.t.gp_items[code]
            if cur == 0 and last == 0:
                continue
            i += 1
            self.p(
                f"{i}、{self.path(code)}：{self.year} 年预算数为 {money(cur)} 万元，"
                f"{yoy_text(cur, last)}。主要原因是{self.reason('item.' + code)}。"
            )
            self.claim(self.path(code), cur, None, yoy(cur, last))

    def basic(self) -> None:
        self.h(
            2, f"六、关于{self.dept} {self.year} 年一般公共预算基本支出情况说明", section="basic"
        )
        t = self.t
        self.p(
            f"{self.dept} {self.year} 年一般公共预算基本支出 {money(t.personnel + t.public)} 万元，"
            f"其中："
        )
        self.claim("一般公共预算基本支出", t.personnel + t.public)
        for word, amount, items in (
            ("人员经费", t.personnel, t.personnel_items),
            ("公用经费", t.public, t.public_items),
        ):
            detail = f"，主要包括：{'、'.join(items)}。" if items else "。"
            self.p(f"{word} {money(amount)} 万元{detail}")
            self.claim(word, amount)

    def _project_spec(self, unit: str, name: str) -> ProjectSpec | None:
        return self.projects.get((normalize_name(unit), normalize_name(name)))

    def project_blocks(self) -> None:
        self.h(
            2,
            f"七、关于{self.dept} {self.year} 年一般公共预算项目支出情况说明",
            section="projects",
        )
        default_period = f"{self.year}年1月1日-{self.year}年12月31日"
        for i, (unit, name, scale) in enumerate(self.t.projects, start=1):
            spec = self._project_spec(unit, name)
            self.p(f"（{_cn(i)}）项目名称：{name}")
            scale_text = f"{money(scale)} 万元"
            if spec is not None and spec.secret:
                self.p(f"设立的政策依据：{SECRET}。")
                self.p(f"预算安排规模：{scale_text}")
                self.p(f"项目承担单位：{unit}")
                for f in SECRET_FIELDS:
                    self.p(f"{f}：{SECRET}。")
                continue
            where = f"projects「{unit} / {name}」"
            basis = self.text(spec.basis if spec else "", f"{where}.basis")
            allocation = self.text(spec.allocation if spec else "", f"{where}.allocation")
            allocation = allocation.replace("{规模}", scale_text.replace(" ", ""))
            found = allocated_in_text(allocation)
            if found is not None and found > wan(scale):
                self.issues.append(
                    Issue(
                        self.dept_path,
                        f"资金分配情况分配了 {format_amount(found)} 万元，超过预算安排规模 "
                        f"{money(scale)} 万元（可用 {{规模}} 代替金额）",
                        column=f"{where}.allocation",
                    )
                )
            period = (spec.period if spec else "").strip() or default_period
            self.p(f"设立的政策依据：{basis}。")
            self.p(f"预算安排规模：{scale_text}")
            self.p(f"项目承担单位：{unit}")
            self.p(f"资金分配情况：{allocation}。")
            self.p(f"资金执行时间：{period.rstrip('。')}。")

    def empty_budget(self, budget: str, kind: str, label: str, ordinal: str) -> None:
        self.h(4, f"{ordinal}、关于{self.dept}{self.year}年{label}情况说明", section=budget)
        amount = self.t.budget_total.get(budget, 0)
        spec = self.tp.of_kind(kind)
        assert spec is not None
        title = spec.title
        if self.c.tables[spec.key].is_empty:  # nothing printed but blanks or 0.00
            self.p(f"{self.dept}{self.year}年没有使用{label}安排的支出，{title}为空表。")
        else:
            self.p(f"{self.dept}{self.year}年{label}支出 {money(amount)} 万元。")

    def sangong(self) -> None:
        self.h(
            4,
            f"十、关于{self.dept}{self.year}年财政拨款“三公”经费预算情况说明",
            section="sangong",
        )
        spec = self.tp.of_kind("sangong")
        assert spec is not None
        leaves = [i for i in spec.items if not i.parts and not i.total]
        total = self.t.sangong.get("total", [0, 0])

        def pair(item: ItemSpec) -> list[int]:
            return self.t.sangong.get(item_role(item) or "", [0, 0])

        parts = "，".join(f"{i.label}{money(pair(i)[0])}万元" for i in leaves)
        self.p(
            f"{self.dept}{self.year}年财政拨款“三公”经费预算数为{money(total[0])}万元，其中：{parts}。"
        )
        self.claim("财政拨款“三公”经费预算数", total[0])
        changes = []
        for i in leaves:
            word, a, pword, pct = yoy(*pair(i))
            changes.append(
                f"{i.label}{word}{format_amount(a)}万元，{pword}{pct}%，"
                f"主要原因是{self.reason('sangong.' + i.key)}"
            )
        self.p(
            f"{self.year}年财政拨款“三公”经费预算{yoy_text(*total, spaced=False)}，其中："
            + "；".join(changes)
            + "。"
        )

    def carryover(self) -> None:
        self.h(
            2,
            f"十一、关于{self.dept} {self.year} 年上年结转结余预算情况说明",
            section="carryover",
        )
        t = self.t
        total = t.carry_fin + t.carry_nonfin
        items = t.carry_items
        tail = "，其中：" if items else "。"
        self.p(
            f"{self.dept} {self.year} 年上年结转结余 {money(total)} 万元，包括：财政拨款 "
            f"{money(t.carry_fin)} 万元，非财政拨款 {money(t.carry_nonfin)} 万元{tail}"
        )
        self.claim("上年结转结余", total)
        counts: dict[str, int] = {}
        for _unit, label, _amount in items:
            counts[normalize_name(label)] = counts.get(normalize_name(label), 0) + 1
        for i, (unit, label, amount) in enumerate(items, start=1):
            spec = self._project_spec(unit, label)
            # A name two units share says which unit's money it is.
            shown = label if counts[normalize_name(label)] == 1 else f"{unit}{label}"
            if spec is not None and spec.secret:
                desc = SECRET
            else:
                desc = self.text(
                    spec.description if spec else "", f"projects「{unit} / {label}」.description"
                )
            self.p(f"{i}. {shown} {money(amount)} 万元，{desc}。")

    def other(self) -> None:
        d = self.d
        self.h(2, "十二、其他重要事项的情况说明", section="other")
        self.h(3, "（一）机关运行经费情况", section="operating")
        op = self.t.operating
        self.p(
            f"{self.dept} {self.year} 年的机关运行经费财政拨款预算 {money(op[0])} 万元，"
            f"{yoy_text(*op)}。主要原因是{self.reason('operating')}。"
        )
        self.claim("机关运行经费", op[0], None, yoy(*op))
        if d.procurement is not None:
            pr = d.procurement
            self.h(3, "（二）政府采购情况", section="procurement")
            total = pr.goods + pr.works + pr.services
            f = format_amount
            self.p(
                f"{self.year} 年，{self.dept}政府采购预算 {f(total)} 万元，其中：政府采购货物预算 "
                f"{f(pr.goods)} 万元，政府采购工程预算 {f(pr.works)} 万元，政府采购服务预算 "
                f"{f(pr.services)} 万元。"
            )
            reserved = []
            if pr.sme_reserved is not None:
                reserved.append(f"面向中小企业预留政府采购项目预算金额 {f(pr.sme_reserved)} 万元")
            if pr.small_micro_reserved is not None:
                reserved.append(
                    f"小微企业预留政府采购项目预算金额 {f(pr.small_micro_reserved)} 万元"
                )
            if reserved:
                self.p(f"{self.year} 年，{self.dept}" + "，".join(reserved) + "。")
        if d.assets is not None:
            self.assets()
        self.h(3, "（四）预算绩效情况", section="performance")
        self.performance()
        self.h(3, "（五）其他需说明的事项", section="other_matters")
        secret = [(u, n, s) for u, n, s in self.t.projects if self._is_secret(u, n)]
        if secret:
            amount = sum(s for _, _, s in secret)
            self.p(
                f"部门有 {len(secret)} 个涉密项目，涉及预算资金 {money(amount)} 万元，"
                f"项目绩效目标表完全不予公开。"
            )
        for text in d.other_matters:
            self.p(text)
        if not secret and not d.other_matters:
            self.p("无其他需说明的事项。")

    def _is_secret(self, unit: str, name: str) -> bool:
        spec = self._project_spec(unit, name)
        return spec is not None and spec.secret

    def assets(self) -> None:
        a = self.d.assets
        assert a is not None
        f = format_amount
        self.h(3, "（三）国有资产占用使用情况", section="assets")
        self.p(f"截至 {a.as_of}，{self.dept}占用使用国有资产总体情况为：")
        self.p(f"1. 房屋 {f(a.building_area)} 平方米，价值 {f(a.building_value)} 万元。")
        count = sum(v.count for v in a.vehicles)
        value = sum((v.value for v in a.vehicles), Decimal(0))
        kinds = "；".join(f"{v.kind} {v.count} 辆，价值 {f(v.value)} 万元" for v in a.vehicles)
        vehicles = f"2. 车辆 {count} 辆，价值 {f(value)} 万元"
        self.p(vehicles + (f"；其中：{kinds}。" if kinds else "。"))
        self.p(f"3. 办公家具价值 {f(a.furniture_value)} 万元。")
        self.p(f"4. 其他资产价值 {f(a.other_value)} 万元。")
        self.p(
            f"单位价值 50 万元以上大型设备 {a.equipment_50} 台，单位价值 100 万元以上大型设备 "
            f"{a.equipment_100} 台。"
        )
        cars = (
            "未安排购置车辆经费"
            if a.new_vehicle_budget == 0
            else f"安排购置车辆经费 {f(a.new_vehicle_budget)} 万元"
        )
        self.p(
            f"{self.year} 年部门预算{cars}，安排购置 50 万元以上大型设备 {a.new_equipment_50} 台，"
            f"单位价值 100 万元以上大型设备 {a.new_equipment_100} 台。"
        )

    def performance(self) -> None:
        perf = self.d.performance
        tables: list[PerformanceTable] = []
        overall_total = Decimal(0)
        if perf.overall is not None:
            table = self.overall_table()
            tables.append(table)
            for fig in (table.fiscal, table.other):
                if fig is not None:
                    overall_total += fig.value
        for pp in perf.projects:
            tables.append(project_table(pp))
        projects = [t for t in tables if t.kind == "project"]
        fiscal = [t for t in projects if t.fiscal is not None and t.fiscal.value > 0]
        others = [t for t in projects if t.fiscal is None or t.fiscal.value == 0]
        f = format_amount
        fiscal_sum = sum((t.fiscal.value for t in fiscal if t.fiscal), Decimal(0))
        other_sum = sum((t.total.value for t in others if t.total), Decimal(0))
        self.p(
            f"{self.year} 年，本部门预算绩效管理整体预算绩效目标 {1 if perf.overall else 0} 个，"
            f"涉及金额 {f(overall_total)} 万元；当年财政拨款项目 {len(fiscal)} 个，涉及预算金额 "
            f"{f(fiscal_sum)} 万元；当年非财政拨款项目 {len(others)} 个，涉及预算金额 "
            f"{f(other_sum)} 万元。" + ("具体情况见下表（按项目分别填报）：" if tables else "")
        )
        for table in tables:
            self.out.blocks.append(PerfRef(len(self.out.performance)))
            self.out.performance.append(table)

    def overall_table(self) -> PerformanceTable:
        ov = self.d.performance.overall
        assert ov is not None
        prof = self.tp.profile.performance
        items = self.tp.overview.panels[0].items
        lines: list[tuple[str, Figure]] = []

        def leaves(refs: list[str]) -> list[str]:
            out: list[str] = []
            for ref in refs:
                m = re.match(r"([\w-]+)\[#([\w-]+)\]", ref)
                if m and m.group(1) == self.tp.overview.key:
                    out += sorted(item_sum_keys(items, m.group(2)))
            return out

        fiscal_keys = leaves(prof.fiscal_funds)
        upper = sum(
            self.t.by_source.get(s.index, [0, 0])[0]
            for s in self.tp.sources
            if s.key in fiscal_keys and "上级" in s.label
        )
        own = sum(
            self.t.by_source.get(s.index, [0, 0])[0]
            for s in self.tp.sources
            if s.key in fiscal_keys and "上级" not in s.label
        )
        other_keys = leaves(prof.other_funds)
        other = sum(
            self.t.by_source.get(s.index, [0, 0])[0] for s in self.tp.sources if s.key in other_keys
        )
        lines = [
            ("财政资金（万元）上级安排", _fig(wan(upper))),
            ("本级安排", _fig(wan(own))),
            ("其他资金（万元）其他", _fig(wan(other))),
        ]
        table = PerformanceTable(
            kind="overall",
            loc=Loc(),
            unit_name=ov.unit,
            title="部门整体绩效目标表",
            fund_lines=lines,
            indicators=[_indicator(row) for row in ov.indicators],
        )
        table.fiscal = _fig(wan(upper) + wan(own))
        table.other = _fig(wan(other))
        table.details = {"部门联系人": ov.contact, "联系电话": ov.phone, "年度绩效目标": ov.goal}
        return table


def _fig(value: Decimal) -> Figure:
    return Figure(value, "万元", format_amount(value), Loc())


def _indicator(row: list[str]) -> Indicator:
    cells = [c.strip() for c in row] + [""] * (9 - len(row))
    weight: Decimal | None
    try:
        weight = Decimal(cells[6]) if re.fullmatch(r"\d+(\.\d+)?", cells[6]) else None
    except ArithmeticError:
        weight = None
    return Indicator(
        level1=cells[0],
        level2=cells[1],
        level3=cells[2],
        value=cells[3],
        loc=Loc(),
        basis=cells[4],
        last_value=cells[5],
        weight=weight,
        rule=cells[7],
        evidence=cells[8],
    )


def project_table(pp: object) -> PerformanceTable:
    from yusuan.compose.department import ProjectPerformance

    assert isinstance(pp, ProjectPerformance)
    table = PerformanceTable(
        kind="project",
        loc=Loc(),
        unit_name=pp.unit,
        project=pp.project,
        title="项目支出绩效目标表",
        total=_fig(pp.fiscal + pp.other),
        fiscal=_fig(pp.fiscal),
        other=_fig(pp.other),
        indicators=[_indicator(row) for row in pp.indicators],
    )
    table.details = {"项目负责人": pp.manager, "项目总体目标": pp.goal}
    return table


def write_narrative(
    dept: Department, compiled: Compiled, template: Template, names: CodeNames, dept_path: str
) -> Narrative:
    return _Writer(dept, compiled, template, names, dept_path).write()
