"""What the compiler needs to know about a template, read from its profile.

Tables, columns, fixed items and their printed labels come from the profile. What a profile
does not state — that a fund source is 一般公共预算 money, which 经济分类 类 feeds which
column of 表7, which 经济科目 are 三公 — is the classification's meaning, declared here once
and checked against the profile so that a profile this compiler cannot serve is refused with
a clear message instead of producing a wrong document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yusuan.errors import ProfileError
from yusuan.profiles.schema import REF_PATTERN, ItemSpec, Profile, TableSpec
from yusuan.text import normalize_name

# T1 income items the compiler reasons about (the 新疆 template's keys).
BUDGET_GROUPS = {"general_budget": "general", "fund_budget": "fund", "capital_budget": "capital"}
CARRY_GROUPS = {"fin_carryover": "fin", "nonfin_carryover": "nonfin"}
# 部门预算支出经济分类 类 → 表7 column. 人员经费 are 301 and 303; every other 类 is 公用经费.
T7_ECON_COLUMNS = {
    "301": "wages",
    "302": "goods",
    "303": "individual",
    "307": "debt_interest",
    "309": "capital_construction",
    "310": "capital",
    "311": "enterprise_construction",
    "312": "enterprise",
    "313": "social_fund",
    "399": "other",
}
PERSONNEL_CLASSES = frozenset({"301", "303"})
# 三公 items of 表10 and the 经济科目 that carry them (a department file may override).
DEFAULT_SANGONG: dict[str, tuple[str, ...]] = {
    "abroad": ("30212",),
    "reception": ("30217",),
    "vehicle_purchase": ("31013",),
    "vehicle_running": ("30231",),
}
BUILD_TABLES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11")


@dataclass(frozen=True, slots=True)
class Source:
    """A fund source a ledger line may name: a leaf item of 表1's income panel."""

    index: int
    key: str
    label: str  # how the build prints it in messages (carry-over leaves with their group)
    ancestors: tuple[str, ...]  # T1 item keys whose amount includes this source
    budget: str | None  # general / fund / capital for this year's 财政拨款
    carry: str | None  # fin / nonfin for 上年结转结余
    t2_column: str


@dataclass(slots=True)
class Template:
    profile: Profile
    sources: list[Source]
    source_names: dict[str, int]  # normalised spelling → source index
    t4_income: dict[str, str]  # T4 income leaf item → the T1 item it equals
    sangong: dict[str, tuple[str, ...]]
    specs: dict[str, TableSpec] = field(default_factory=dict)

    def spec(self, key: str) -> TableSpec:
        return self.specs[key]


def _fail(profile: Profile, why: str) -> ProfileError:
    return ProfileError(f"模板「{profile.id}」不能用于编制：{why}")


def _panel_items(spec: TableSpec, panel: str) -> list[ItemSpec]:
    for p in spec.panels:
        if p.key == panel:
            return list(p.items)
    return []


def _single_ref(ref: str) -> tuple[str, str, str] | None:
    m = REF_PATTERN.match(ref)
    if m is None:
        return None
    return m.group("table"), m.group("row"), m.group("col")


def load_template(profile: Profile, sangong: dict[str, list[str]] | None = None) -> Template:
    specs = {}
    for key in BUILD_TABLES:
        spec = profile.table(key)
        if spec is None:
            raise _fail(profile, f"缺少表 {key}")
        specs[key] = spec
    t1 = specs["T1"]
    items = _panel_items(t1, "income")
    by_key = {i.key: i for i in items}
    for needed in ("income_total", *BUDGET_GROUPS, *CARRY_GROUPS):
        if needed not in by_key:
            raise _fail(profile, f"表1 收入栏缺少项目 {needed}")
    parents: dict[str, str] = {}
    for item in items:
        for part in item.parts:
            parents[part] = item.key
    # 表2 column of each T1 item, from the profile's identities `T2[@total].x = T1[#item]`.
    t2_of_item: dict[str, str] = {}
    for ident in profile.identities:
        left = _single_ref(ident.left)
        if left is None or left[0] != "T2" or left[1] != "@total" or len(ident.right) != 1:
            continue
        right = _single_ref(ident.right[0])
        if right is None or right[0] != "T1" or not right[1].startswith("#"):
            continue
        t2_of_item[right[1][1:]] = left[2]
    t4_income: dict[str, str] = {}
    for ident in profile.identities:
        left = _single_ref(ident.left)
        if left is None or left[0] != "T4" or not left[1].startswith("#") or len(ident.right) != 1:
            continue
        right = _single_ref(ident.right[0])
        if right is not None and right[0] == "T1" and right[1].startswith("#"):
            t4_income[left[1][1:]] = right[1][1:]
    sources: list[Source] = []
    names: dict[str, set[int]] = {}
    t2_columns = {c.key: c.label for c in specs["T2"].columns}
    for item in items:
        if item.parts or item.total:
            continue
        chain: list[str] = []
        up = parents.get(item.key)
        while up is not None:
            chain.append(up)
            up = parents.get(up)
        budget = next((BUDGET_GROUPS[a] for a in chain if a in BUDGET_GROUPS), None)
        carry = next((CARRY_GROUPS[a] for a in chain if a in CARRY_GROUPS), None)
        column = next((t2_of_item[k] for k in [item.key, *chain] if k in t2_of_item), None)
        if column is None:
            raise _fail(profile, f"表1 收入项目 {item.key} 在表2 中没有对应的列")
        index = len(sources)
        group = by_key[chain[0]].label if carry and chain else ""
        label = f"{group}（{item.label}）" if carry else item.label
        sources.append(Source(index, item.key, label, tuple(chain), budget, carry, column))
        spellings = {item.key, label}
        if carry:
            for name in (item.label, *item.aliases):
                spellings |= {f"{group}（{name}）", f"{group}-{name}", f"{group}{name}"}
        else:
            spellings |= {item.label, *item.aliases}
        for s in spellings:
            names.setdefault(normalize_name(s), set()).add(index)
    # A 表2 column that holds exactly one source names it too (一般公共预算 → 一般财力).
    for col, label in t2_columns.items():
        holders = [s.index for s in sources if s.t2_column == col]
        if len(holders) == 1:
            names.setdefault(normalize_name(label), set()).add(holders[0])
    unique = {n: next(iter(ix)) for n, ix in names.items() if len(ix) == 1}
    t7_cols = {c.key for c in specs["T7"].columns}
    missing = [c for c in T7_ECON_COLUMNS.values() if c not in t7_cols]
    if missing:
        raise _fail(profile, f"表7 缺少列 {missing}")
    t10_items = {i.key for i in specs["T10"].items}
    chosen: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (sangong or {}).items()}
    chosen = chosen or dict(DEFAULT_SANGONG)
    unknown = [k for k in chosen if k not in t10_items]
    if unknown:
        raise ProfileError(f"三公经济科目设置中有表10 没有的项目：{unknown}")
    return Template(profile, sources, unique, t4_income, chosen, specs)


def leaf_items(items: list[ItemSpec]) -> set[str]:
    return {i.key for i in items if not i.parts and not i.total}


def item_sum_keys(items: list[ItemSpec], key: str) -> set[str]:
    """The leaf items an item adds up (itself when it is a leaf)."""
    by_key = {i.key: i for i in items}
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
    return out
