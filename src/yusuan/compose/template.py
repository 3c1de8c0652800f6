"""What the builder needs to know about a template, read from its profile and the kinds catalogue.

Nothing here names a template's tables. A table is built for its KIND (`yusuan.kinds`: 收支总表,
一般公共预算支出表, 三公 …, from the title or the profile's `kind`); a column's money is chosen
by its ROLES (from its printed header cells or the profile's `role`: 基本支出, 一般公共预算, 人员
经费 …). The ledger's fund sources are the leaf income items of the profile's 收支总表; what a
source is (一般公共预算 money, 上年结转, …) comes from the roles of the item and its parents.
What a profile cannot say — that 301 and 303 are 人员经费, which 经济科目 are 三公 — is the
classification's meaning, declared here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from yusuan.errors import ProfileError
from yusuan.kinds import column_role, table_kind
from yusuan.profiles.schema import REF_PATTERN, ColumnSpec, ItemSpec, Profile, TableSpec
from yusuan.text import normalize_name

# 部门预算支出经济分类 类 a ledger line may use; 人员经费 are 301 and 303, every other 类 is 公用经费.
ECON_CLASSES = ("301", "302", "303", "307", "309", "310", "311", "312", "313", "399")
PERSONNEL_CLASSES = frozenset({"301", "303"})
# Column roles that name a budget (this year's 财政拨款 or its 结转) → the source's budget.
BUDGET_ROLES = {"general": "general", "gov-fund": "fund", "state-capital": "capital"}
# Roles naming one 三公 item, and the 经济科目 that carry it (a department file may override;
# its keys are the words below).
SANGONG_ROLES = ("outbound", "reception", "car-purchase", "car-running")
SANGONG_KEYS = {
    "abroad": "outbound",
    "reception": "reception",
    "vehicle_purchase": "car-purchase",
    "vehicle_running": "car-running",
}
DEFAULT_SANGONG: dict[str, tuple[str, ...]] = {
    "outbound": ("30212",),
    "reception": ("30217",),
    "car-purchase": ("31013",),
    "car-running": ("30231",),
}
# Other roles that name 经济科目 (西安 表13 prints 会议费 and 培训费 beside the 三公).
ECON_ROLES: dict[str, tuple[str, ...]] = {"meeting": ("30215",), "training": ("30216",)}
# Header words no kinds role covers but a builder must read.
EXTRA_ROLES = {"机关运行经费": "admin-running"}
# Roles of spending a ledger of 基本/项目支出 never holds (事业单位经营支出, 上缴上级支出 …).
NOT_IN_LEDGER_SPENDING = frozenset({"operating", "affiliated", "upward"})
SOURCE_ROLES = frozenset(
    {
        "fiscal",
        "general",
        "gov-fund",
        "state-capital",
        "special-account",
        "unit-funds",
        "business-income",
        "operating",
        "superior",
        "affiliated",
        "other-income",
        "carryover",
        "non-fiscal-balance",
        "special-fund",  # 其中：专项资金列入部门预算的项目 (西安)
        "prior-balance",  # 上年实户资金余额 (西安)
    }
)
# Table kinds whose money includes 上年结转结余 (the others are this year's money only).
WITH_CARRYOVER = frozenset({"overview", "income", "expense"})
# Header cells that say which year a column's money is for (西安 表13: 上年 | 当年 | 增减变化情况).
YEAR_WORDS = {"上年": "last", "上年预算": "last", "当年": "current", "本年": "current"}
YEAR_ROLES = {"prior-year": "last", "change": "change"}


@dataclass(frozen=True, slots=True)
class Source:
    """A fund source a ledger line may name: a leaf income item of the 收支总表."""

    index: int
    key: str  # the 收支总表 item it adds to
    label: str  # how the build prints it in messages (carry-over leaves with their group)
    ancestors: tuple[str, ...]  # 收支总表 item keys whose amount includes this source
    budget: str | None  # general / fund / capital
    fiscal: bool  # 财政拨款 (this year's, or its 结转)
    carry: bool  # 上年结转结余
    roles: frozenset[str]  # every role of the item and its parents
    income_column: str | None  # the 收入总表 column that holds it


@dataclass(frozen=True, slots=True)
class Sel:
    """Which ledger money a cell holds: every condition that is not None must hold."""

    budget: str | None = None
    fiscal: bool | None = None
    carry: bool | None = None
    sources: frozenset[int] | None = None
    role: str | None = None  # a source role (事业收入 …)
    basic: bool | None = None
    personnel: bool | None = None
    classes: frozenset[str] | None = None
    econs: frozenset[str] | None = None
    admin: bool | None = None
    govs: frozenset[str] | None = None  # 政府预算支出经济分类 类 of the line's 经济科目
    never: bool = False

    def __and__(self, other: Sel) -> Sel:
        out: dict[str, object] = {}
        for name in ("budget", "fiscal", "carry", "role", "basic", "personnel", "admin"):
            a, b = getattr(self, name), getattr(other, name)
            if a is not None and b is not None and a != b:
                return NEVER
            out[name] = a if a is not None else b
        for name in ("sources", "classes", "econs", "govs"):
            a, b = getattr(self, name), getattr(other, name)
            out[name] = a if b is None else b if a is None else a & b
        return Sel(never=self.never or other.never, **out)  # type: ignore[arg-type]

    @property
    def needs_econ(self) -> bool:
        return self.econs is not None or self.admin is not None or self.govs is not None

    def match(
        self, s: Source, basic: bool, cls: str, econ: str = "", admin: bool = False, gov: str = ""
    ) -> bool:
        if self.never:
            return False
        if self.budget is not None and s.budget != self.budget:
            return False
        if self.fiscal is not None and s.fiscal != self.fiscal:
            return False
        if self.carry is not None and s.carry != self.carry:
            return False
        if self.sources is not None and s.index not in self.sources:
            return False
        if self.role is not None and self.role not in s.roles:
            return False
        if self.basic is not None and basic != self.basic:
            return False
        if self.personnel is not None and (
            not basic or (cls in PERSONNEL_CLASSES) != self.personnel
        ):
            return False
        if self.classes is not None and cls not in self.classes:
            return False
        if self.econs is not None and econ not in self.econs:
            return False
        if self.govs is not None and gov not in self.govs:
            return False
        return self.admin is None or admin == self.admin


ANY = Sel()
NEVER = Sel(never=True)


@dataclass(slots=True)
class Template:
    profile: Profile
    sources: list[Source]
    source_names: dict[str, int]  # normalised spelling → source index
    sangong: dict[str, tuple[str, ...]]  # 三公 role → 经济科目
    kinds: dict[str, str] = field(default_factory=dict)  # table key → kind
    specs: dict[str, TableSpec] = field(default_factory=dict)  # tables the builder makes

    def spec(self, key: str) -> TableSpec:
        return self.specs[key]

    def of_kind(self, kind: str) -> TableSpec | None:
        """The first built table of a kind (a profile has one of each it prints)."""
        return next((s for k, s in self.specs.items() if self.kinds[k] == kind), None)

    @property
    def overview(self) -> TableSpec:
        spec = self.of_kind("overview")
        assert spec is not None  # checked by load_template
        return spec


def _fail(profile: Profile, why: str) -> ProfileError:
    return ProfileError(f"模板「{profile.id}」不能用于编制：{why}")


def role_of(texts: list[str], override: str | None = None) -> str | None:
    if override:
        return override
    for t in texts:
        words = normalize_name(t)
        extra = next((r for w, r in EXTRA_ROLES.items() if w in words), None)
        if extra:
            return extra
        role = column_role([t])
        if role is not None:
            return role
    return None


def item_role(item: ItemSpec) -> str | None:
    return role_of([item.label, *item.aliases], item.role)


def column_year(col: ColumnSpec) -> str:
    """Which year a column's money is for: `current`, `last` or `change` (current − last),
    from its outer header cells (`上年 › … › 公务接待费`)."""
    for cell in col.header[:-1]:
        words = normalize_name(cell)
        year = YEAR_WORDS.get(words) or YEAR_ROLES.get(column_role([cell]) or "")
        if year is not None:
            return year
    return "current"


def income_items(spec: TableSpec) -> list[ItemSpec]:
    return list(spec.panels[0].items) if spec.panels else []


def table_filter(spec: TableSpec, kind: str) -> Sel:
    """The money a table of this kind shows at all, from its kind and its title's words."""
    title = normalize_name(spec.title)
    sel = ANY
    if kind == "finance-overview" and any(item_role(i) == "carryover" for i in income_items(spec)):
        pass  # its income lists 上年结转 (西安 表4): the money it pays for is spent here too
    elif kind not in WITH_CARRYOVER:
        sel = sel & Sel(carry=kind == "carryover")
    if "一般公共预算" in title:
        sel = sel & Sel(budget="general")
    elif "政府性基金" in title or kind == "gov-fund":
        sel = sel & Sel(budget="fund")
    elif "国有资本经营" in title or kind == "state-capital":
        sel = sel & Sel(budget="capital")
    elif "财政拨款" in title or kind in ("sangong", "finance-overview"):
        sel = sel & Sel(fiscal=True)
    if kind in ("gp-basic-economic", "basic", "basic-function"):
        sel = sel & Sel(basic=True)
    elif kind == "projects":
        sel = sel & Sel(basic=False)
    return sel


def role_sel(role: str | None, tp: Template, spending: bool) -> Sel | None:
    """The money a role names; None when the role constrains nothing (合计, 预算数)."""
    if role is None or role in ("total", "amount"):
        return None
    if role == "basic":
        return Sel(basic=True)
    if role == "project":
        return Sel(basic=False)
    if role == "personnel":
        return Sel(personnel=True)
    if role == "public":
        return Sel(personnel=False)
    if role in SANGONG_ROLES:
        return Sel(econs=frozenset(tp.sangong.get(role, ())))
    if role in ECON_ROLES:
        return Sel(econs=frozenset(ECON_ROLES[role]))
    if role == "car":
        return Sel(econs=frozenset(tp.sangong["car-purchase"] + tp.sangong["car-running"]))
    if role == "admin-running":
        return Sel(admin=True, budget="general", basic=True, personnel=False)
    if spending and role in NOT_IN_LEDGER_SPENDING:
        return NEVER
    if role in BUDGET_ROLES:
        return Sel(budget=BUDGET_ROLES[role])
    if role == "fiscal":
        return Sel(fiscal=True)
    if role == "non-fiscal-balance":
        return Sel(fiscal=False)
    if role == "carryover":
        return Sel(carry=True)
    if role in SOURCE_ROLES:
        return Sel(role=role)
    return NEVER


def column_sel(tp: Template, spec: TableSpec, col: ColumnSpec, spending: bool = True) -> Sel | None:
    """A column's money from the roles of its header cells (outermost first) and its 经济分类
    类 (`column_classes`); None for a column that is the sum of others or holds text."""
    if col.kind != "amount" or any(r.total == col.key for r in spec.row_sums):
        return None
    if spending and any("收入" in t for t in (col.label, *col.header)):
        spending = (
            False  # a spending table by source (西安 支出总表: 事业单位经营收入) pays from it
        )
    path = col.header or [col.label]
    sel = ANY
    # The printed leaf (`购置费` under 公务用车购置及运行费) may say less than the label.
    leaf = role_of([path[-1], col.label], col.role)
    for cell in path[:-1]:
        inner = role_sel(role_of([cell]), tp, spending)
        if inner is not None and not inner.never:
            sel = sel & inner
    classes = spec.column_classes.get(col.key)
    if leaf is None and not classes:
        return NEVER
    if leaf is not None and leaf not in ("personnel", "public"):
        own = role_sel(leaf, tp, spending)
        if own is not None:
            sel = sel & own
    elif leaf in ("personnel", "public"):
        sel = sel & role_sel(leaf, tp, spending)  # type: ignore[operator]
    elif classes:
        sel = sel & Sel(classes=frozenset(classes))
    return sel


def income_column_sources(tp: Template, spec: TableSpec) -> dict[str, frozenset[int]]:
    """A 收入总表's columns → the sources they hold: every source of the 收支总表 items the
    profile equates each column with (`T2[@total].general = T1[#general]`), `其中` rows
    included; a source may be in several columns (小计 and its 其中)."""
    overview = tp.overview
    items = income_items(overview)
    totals = {r.total for r in spec.row_sums}
    out: dict[str, frozenset[int]] = {}
    for col, refs in identity_items(tp.profile, spec.key, "@total", overview.key).items():
        if col in totals:
            continue
        keys: set[str] = set()
        for ref in refs:
            keys |= item_sum_keys(items, ref)
        out[col] = frozenset(s.index for s in tp.sources if s.key in keys)
    return out


def _single_ref(ref: str) -> tuple[str, str, str] | None:
    m = REF_PATTERN.match(ref)
    if m is None:
        return None
    return m.group("table"), m.group("row"), m.group("col")


def identity_items(
    profile: Profile, left_table: str, row: str, target: str
) -> dict[str, list[str]]:
    """`left_table[row].col = Σ target[#item]…` identities → col (or item key) → target items."""
    out: dict[str, list[str]] = {}
    for ident in profile.identities:
        left = _single_ref(ident.left)
        if left is None or left[0] != left_table:
            continue
        if row == "@total" and left[1] != "@total":
            continue
        if row == "#" and not left[1].startswith("#"):
            continue
        refs = [_single_ref(r) for r in ident.right]
        if not refs or any(r is None or r[0] != target or not r[1].startswith("#") for r in refs):
            continue
        key = left[2] if row == "@total" else left[1][1:]
        out.setdefault(key, [r[1][1:] for r in refs if r is not None])
    return out


def item_sum_keys(items: list[ItemSpec], key: str) -> set[str]:
    """The leaf items an item adds up (itself when it is a leaf, with its `其中` rows)."""
    by_key = {i.key: i for i in items}
    within: dict[str, list[str]] = {}
    for i in items:
        if i.within:
            within.setdefault(i.within, []).append(i.key)
    out: set[str] = set()
    stack = [key]
    while stack:
        k = stack.pop()
        item = by_key.get(k)
        if item is None:
            continue
        if item.parts:
            stack.extend(item.parts)
        else:
            out.add(k)
            stack.extend(within.get(k, ()))
    return out


BUILT_LAYOUTS = frozenset(
    {"two-panel", "panels", "coded", "coded-grouped", "items", "grouped-items"}
)


# The table kind that shows each budget's spending: money of a budget the template has no
# table for could not be published, so no source of it is offered.
BUDGET_TABLES = {"general": "gp-function", "fund": "gov-fund", "capital": "state-capital"}


def _sources(
    profile: Profile, overview: TableSpec, finance: TableSpec | None, kinds: set[str]
) -> list[Source]:
    items = income_items(overview)
    parents: dict[str, str] = {}
    for item in items:
        for part in item.parts:
            parents.setdefault(part, item.key)
        if item.within:  # a 其中 row's money is its item's
            parents.setdefault(item.key, item.within)
    by_key = {i.key: i for i in items}
    sources: list[Source] = []
    for item in items:
        if item.parts or item.total or not item.ledger:
            continue
        chain: list[str] = []
        up = parents.get(item.key)
        while up is not None:
            chain.append(up)
            up = parents.get(up)
        roles = [item_role(by_key[k]) for k in [item.key, *chain]]
        carry = "carryover" in roles
        budget = next((BUDGET_ROLES[r] for r in roles if r in BUDGET_ROLES), None)
        if budget is not None and not carry and BUDGET_TABLES[budget] not in kinds:
            continue  # 西安 has no 国有资本经营预算 table: such money could not be published
        fiscal = budget is not None or ("fiscal" in roles and "non-fiscal-balance" not in roles)
        known = frozenset(r for r in roles if r)
        group = by_key[chain[0]].label if carry and chain else ""
        label = f"{group}（{item.label}）" if group else item.label
        split: list[ItemSpec] = []
        if fiscal and budget is None and not carry and finance is not None:
            # 本级财政拨款收入 (湖南): the 财政拨款收支总表 says which budget — its items are the sources.
            split = [
                i
                for i in income_items(finance)
                if BUDGET_TABLES.get(BUDGET_ROLES.get(item_role(i) or "", "")) in kinds
            ]
        if split:
            for piece in split:
                b = BUDGET_ROLES[item_role(piece) or ""]
                sources.append(
                    Source(
                        len(sources),
                        item.key,
                        piece.label,
                        tuple(chain),
                        b,
                        True,
                        False,
                        known,
                        None,
                    )
                )
            continue
        sources.append(
            Source(len(sources), item.key, label, tuple(chain), budget, fiscal, carry, known, None)
        )
    return sources


def load_template(profile: Profile, sangong: dict[str, list[str]] | None = None) -> Template:
    kinds: dict[str, str] = {}
    specs: dict[str, TableSpec] = {}
    for spec in profile.tables:
        if spec.layout not in BUILT_LAYOUTS:
            continue
        kind = spec.kind or table_kind(spec.title)
        if kind is None or kind in ("performance", "contents"):
            continue
        kinds[spec.key] = kind
        specs[spec.key] = spec
    overview = next((s for k, s in specs.items() if kinds[k] == "overview"), None)
    if overview is None or overview.layout not in ("two-panel", "panels"):
        raise _fail(profile, "没有收支总表（收入、支出两栏）")
    finance = next((s for k, s in specs.items() if kinds[k] == "finance-overview"), None)
    sources = _sources(profile, overview, finance, set(kinds.values()))
    if not sources:
        raise _fail(profile, "收支总表收入栏没有末级项目")
    income = next((s for k, s in specs.items() if kinds[k] == "income"), None)
    if income is not None:
        by_col = identity_items(profile, income.key, "@total", overview.key)
        items = income_items(overview)
        holder: dict[str, str] = {}
        for col, refs in by_col.items():
            if any(r.total == col for r in income.row_sums):
                continue
            for ref in refs:
                for leaf in item_sum_keys(items, ref):
                    holder.setdefault(leaf, col)
        sources = [replace(s, income_column=holder.get(s.key)) for s in sources]
    names: dict[str, set[int]] = {}
    by_key = {i.key: i for i in income_items(overview)}
    for s in sources:
        item = by_key[s.key]
        spellings = {s.label}
        if s.label == item.label or s.carry:
            spellings.add(s.key)
        if s.carry and s.label != item.label:
            group = s.label[: -len(item.label) - 2]
            for name in (item.label, *item.aliases):
                spellings |= {f"{group}（{name}）", f"{group}-{name}", f"{group}{name}"}
        elif s.label == item.label:
            spellings |= {item.label, *item.aliases}
        for sp in spellings:
            names.setdefault(normalize_name(sp), set()).add(s.index)
    # A 收入总表 column that holds exactly one source names it too (一般公共预算 → 一般财力).
    if income is not None:
        for column in income.columns:
            holders = [s.index for s in sources if s.income_column == column.key]
            if len(holders) == 1:
                names.setdefault(normalize_name(column.label), set()).add(holders[0])
    unique = {n: next(iter(ix)) for n, ix in names.items() if len(ix) == 1}
    chosen = dict(DEFAULT_SANGONG)
    if sangong:
        unknown = [k for k in sangong if k not in SANGONG_KEYS]
        if unknown:
            raise ProfileError(f"三公经济科目设置中有不认识的项目：{unknown}")
        chosen = {r: () for r in SANGONG_ROLES}
        for k, v in sangong.items():
            chosen[SANGONG_KEYS[k]] = tuple(v)
    return Template(profile, sources, unique, chosen, kinds, specs)
