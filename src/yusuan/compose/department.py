"""The department file: what a ledger does not hold (TOML or YAML), validated with pydantic.

Amounts here are figures a person types from other records (政府采购, 国有资产, 绩效目标表):
they are in 万元 with at most two decimals, written as TOML strings or numbers. Everything
the ledger can give (tables, shares, year-on-year changes, 三公, 结转) is not asked for here.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from yusuan.compose.errors import BuildError, Issue

CENT = Decimal("0.01")


def _wan(value: Any) -> Decimal:
    """A 万元 figure: string or number, at most two decimals, not negative."""
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, bool) or value is None:
        raise ValueError("应为金额（万元）")
    else:
        text = str(value).replace(",", "").strip()
        try:
            d = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"「{value}」不是金额（万元）") from exc
    if not d.is_finite():
        raise ValueError(f"「{value}」不是金额（万元）")
    if d != d.quantize(CENT):
        raise ValueError(f"「{value}」超过两位小数（单位万元）")
    if d < 0:
        raise ValueError(f"「{value}」为负数")
    return d.quantize(CENT)


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitSpec(_M):
    name: str
    kind: Literal["行政", "参公", "事业"] = "事业"
    code: str = Field(
        default="", pattern=r"^\d*$"
    )  # 单位编码 (西安 `122001`), printed before the name


class Headcount(_M):
    count: int = Field(ge=0)
    change: int | None = None  # + 增加 / − 减少 on last year; None: not stated


class Staffing(_M):
    establishment: int | None = Field(default=None, ge=0)  # 编制数
    serving: Headcount | None = None  # 在职
    retired: Headcount | None = None  # 退休
    veteran: Headcount | None = None  # 离休


class ProjectSpec(_M):
    """A project's description (项目支出情况说明). Figures come from the ledger."""

    unit: str
    name: str
    secret: bool = False  # 涉密: every field says 完全不予公开
    basis: str = ""  # 设立的政策依据
    allocation: str = ""  # 资金分配情况; `{规模}` is replaced by the 预算安排规模
    period: str = ""  # 资金执行时间; default: the budget year
    description: str = ""  # for 上年结转 items: what the money is for
    # Where a table of projects lists it (西安 表10): the template's block (`通用项目`,
    # `专用项目`) and the project class it is printed under (`专项购置`); 项目简介.
    category: str = ""
    group: str = ""
    intro: str = ""


class Purchase(_M):
    """One line of a 政府采购预算表 (西安 表12). The 采购目录 code's letter says what it buys:
    A 货物, B 工程, C 服务 (《政府采购品目分类目录》)."""

    unit: str
    function: str = Field(pattern=r"^\d{7}$")  # 功能科目 (类款项)
    project: str  # 采购项目
    catalog: str = Field(pattern=r"^[ABC]\d")  # 采购目录: `A02010105台式计算机`
    economic: str = Field(pattern=r"^\d{5}$")  # 部门预算支出经济分类 款
    amount: Decimal  # 万元
    content: str = ""  # 购买服务内容
    spec: str = ""  # 规格型号
    quantity: str = "1"
    when: str = ""  # 实施采购时间
    note: str = ""

    _w = field_validator("amount", mode="before")(_wan)

    @property
    def kind(self) -> str:
        return {"A": "goods", "B": "works", "C": "services"}[self.catalog[0]]


class Procurement(_M):
    goods: Decimal = Decimal(0)
    works: Decimal = Decimal(0)
    services: Decimal = Decimal(0)
    sme_reserved: Decimal | None = None  # 面向中小企业预留
    small_micro_reserved: Decimal | None = None  # 小微企业预留
    # The purchases one by one (西安 表12): 货物、工程、服务 are then their sums.
    items: list[Purchase] = Field(default_factory=list)

    _w = field_validator("goods", "works", "services", mode="before")(_wan)

    @model_validator(mode="after")
    def _sums(self) -> Procurement:
        if not self.items:
            return self
        for kind, word in (("goods", "货物"), ("works", "工程"), ("services", "服务")):
            summed = sum((i.amount for i in self.items if i.kind == kind), Decimal(0))
            if kind in self.model_fields_set and getattr(self, kind) != summed:
                raise ValueError(
                    f"{word}类 {getattr(self, kind)} 万元与采购明细（items）之和 {summed} 万元不符"
                )
            object.__setattr__(self, kind, summed)
        return self

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services

    @field_validator("sme_reserved", "small_micro_reserved", mode="before")
    @classmethod
    def _opt(cls, v: Any) -> Decimal | None:
        return None if v is None else _wan(v)


class VehicleKind(_M):
    kind: str  # 一般公务用车 / 执法执勤用车 / 其他车辆
    count: int = Field(ge=0)
    value: Decimal

    _w = field_validator("value", mode="before")(_wan)


class Assets(_M):
    as_of: str  # "2023 年底"
    building_area: Decimal  # 平方米
    building_value: Decimal
    vehicles: list[VehicleKind] = Field(default_factory=list)
    furniture_value: Decimal = Decimal(0)
    other_value: Decimal = Decimal(0)
    equipment_50: int = Field(default=0, ge=0)  # 单位价值 50 万元以上大型设备（台）
    equipment_100: int = Field(default=0, ge=0)
    new_vehicle_budget: Decimal = Decimal(0)  # 本年安排购置车辆经费
    new_equipment_50: int = Field(default=0, ge=0)
    new_equipment_100: int = Field(default=0, ge=0)
    equipment_20: int = Field(default=0, ge=0)  # 单价 20 万元以上的设备（台、套）(西安)
    new_vehicles: int = Field(default=0, ge=0)  # 当年安排购置车辆（辆）
    new_equipment_20: int = Field(default=0, ge=0)

    _w = field_validator(
        "building_area",
        "building_value",
        "furniture_value",
        "other_value",
        "new_vehicle_budget",
        mode="before",
    )(_wan)


Indicator = list[
    str
]  # 一级, 二级, 三级, 指标值, 设置依据, 上年完成值, 分值权重, 赋分规则, 佐证资料


class OverallPerformance(_M):
    """部门整体绩效目标表. Its funds are the ledger's (财政资金 by source, 其他资金)."""

    unit: str
    contact: str = ""
    phone: str = ""
    goal: str = ""
    indicators: list[Indicator] = Field(default_factory=list)


class ProjectPerformance(_M):
    """项目支出绩效目标表: 年度预算总额 = 财政拨款 + 其他资金 (computed). Funds left out are
    the project's in the ledger (财政拨款: its fiscal sources; 其他资金: the rest)."""

    unit: str
    project: str
    manager: str = ""
    fiscal: Decimal | None = None
    other: Decimal | None = None
    goal: str = ""
    indicators: list[Indicator] = Field(default_factory=list)

    @field_validator("fiscal", "other", mode="before")
    @classmethod
    def _opt(cls, v: Any) -> Decimal | None:
        return None if v is None else _wan(v)


class Meeting(_M):
    """A line of a 会议费/培训费明细表 (西安): 万元."""

    name: str
    when: str = ""
    people: str = ""
    amount: Decimal
    note: str = ""

    _w = field_validator("amount", mode="before")(_wan)


class Performance(_M):
    overall: OverallPerformance | None = None
    projects: list[ProjectPerformance] = Field(default_factory=list)


class Department(_M):
    department: str = Field(min_length=1)
    code: str = Field(
        default="", pattern=r"^\d*$"
    )  # 部门编码 (西安 `122`): a 部门 row in tables by unit
    year: int = Field(ge=2000, le=2100)
    profile: str = "xinjiang-2024"
    functions_intro: str = ""  # 主要职能 的引言
    functions: list[str] = Field(default_factory=list)
    offices: list[str] = Field(default_factory=list)  # 本级内设处室
    tasks: list[str] = Field(default_factory=list)  # 工作任务 (西安), one paragraph each
    staffing: Staffing = Field(default_factory=Staffing)
    units: list[UnitSpec] = Field(min_length=1)  # 本级 first
    codes: dict[str, str] = Field(default_factory=dict)  # names of codes the catalog lacks
    reasons: dict[str, str] = Field(default_factory=dict)  # 主要原因, keyed (docs/build.md)
    purposes: dict[str, str] = Field(default_factory=dict)  # 主要用于, keyed by 功能 类
    sangong_codes: dict[str, list[str]] | None = None  # 三公 item → 经济科目 (default below)
    projects: list[ProjectSpec] = Field(default_factory=list)
    procurement: Procurement | None = None
    assets: Assets | None = None
    performance: Performance = Field(default_factory=Performance)
    other_matters: list[str] = Field(default_factory=list)  # 其他需说明的事项 (free text)
    meetings: list[Meeting] = Field(default_factory=list)  # 会议费明细表 (西安)
    trainings: list[Meeting] = Field(default_factory=list)  # 培训费明细表
    glossary: list[str] = Field(default_factory=list)  # 名词解释

    def unit(self, name: str) -> UnitSpec | None:
        from yusuan.text import normalize_name

        key = normalize_name(name)
        for u in self.units:
            if normalize_name(u.name) == key:
                return u
        return None


def load_department(path: Path) -> Department:
    """Read and validate a department file (.toml, or .yaml/.yml with PyYAML installed)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise BuildError([Issue(name, "找不到部门文件")]) from exc
    except OSError as exc:
        raise BuildError([Issue(name, f"无法读取部门文件：{exc.strerror}")]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BuildError([Issue(name, "部门文件须为 UTF-8 编码")]) from exc
    data: Any
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml  # type: ignore[import-untyped]
        except ModuleNotFoundError as exc:
            raise BuildError([Issue(name, "读取 YAML 部门文件需要安装 PyYAML")]) from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise BuildError([Issue(name, f"YAML 格式错误：{exc}")]) from exc
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise BuildError([Issue(name, f"TOML 格式错误：{exc}")]) from exc
    if not isinstance(data, dict):
        raise BuildError([Issue(name, "部门文件的顶层应为键值表")])
    try:
        return Department.model_validate(data)
    except ValidationError as exc:
        raise BuildError([_issue(name, e) for e in exc.errors()]) from exc


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为键值表",
    "literal_error": "取值不在允许范围内",
    "greater_than_equal": "不能小于下限",
    "less_than_equal": "超过上限",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
}


def _issue(name: str, err: Any) -> Issue:
    loc = ".".join(str(p) for p in err.get("loc", ()))
    kind = err.get("type", "")
    msg = _PYDANTIC_MESSAGES.get(kind)
    if msg is None or kind == "value_error":
        text = str(err.get("msg", ""))
        msg = text.removeprefix("Value error, ") or kind
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        msg = f"取值不在允许范围内（可选：{expected}）"
    return Issue(name, msg, column=loc or None)
