"""The narrative (情况说明) as data: paragraphs, statements, sums stated in words, projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from yusuan.model.provenance import Loc


@dataclass(slots=True)
class Figure:
    """A number read from running text, with its unit word (`万元`, `人`, `辆`, `%`)."""

    value: Decimal
    unit: str
    raw: str
    loc: Loc
    decimals: int = 2
    malformed: bool = False

    @property
    def half_unit(self) -> Decimal:
        return Decimal(5).scaleb(-(self.decimals + 1))


@dataclass(slots=True)
class Change:
    """`比上年预算增加 A 万元，增长 B%`: direction words and figures as printed."""

    word: str  # 增加 / 减少 (or 持平)
    amount: Figure | None
    pct_word: str | None = None  # 增长 / 下降
    pct: Figure | None = None

    @property
    def sign(self) -> int:
        return -1 if self.word in ("减少", "下降", "降低") else (0 if self.word == "持平" else 1)

    @property
    def pct_sign(self) -> int | None:
        if self.pct_word is None:
            return None
        return -1 if self.pct_word in ("下降", "减少", "降低") else 1


@dataclass(slots=True)
class Paragraph:
    text: str
    loc: Loc
    section: str | None = None  # the profile's narrative section key
    heading: bool = False


@dataclass(slots=True)
class Statement:
    """One clause that states an amount about a subject, maybe with share, change and reason.

    `ref` is left empty by the reader; binding a subject to a table figure is the audit's work.
    """

    subject: str
    text: str
    loc: Loc
    section: str | None = None
    amount: Figure | None = None
    share: Figure | None = None
    change: Change | None = None
    reason: str | None = None
    reason_loc: Loc | None = None
    path: tuple[str, ...] = ()  # 类/款/项 names when the subject is written as a path
    path_levels: tuple[str, ...] = ()  # the level words: ("类", "款", "项")
    paragraph: int = -1


@dataclass(slots=True)
class StatedSum:
    """`X 万元，其中：A a、B b、C c` — a total and its parts, all stated in words."""

    total: Figure
    parts: list[tuple[str, Figure]]
    text: str
    loc: Loc
    section: str | None = None
    signed: bool = False  # parts are changes (增加 +, 减少 −)
    total_label: str = ""
    # Figures stated before the list: the parts may add up to an earlier one
    # (`583.00万元（…项目总计1030万元）。其中，…` lists the 1,030).
    candidates: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
class CountedAmount:
    """`当年财政拨款项目 12 个，涉及预算金额 34,530.67 万元`: a count with its amount."""

    label: str
    count: Figure
    amount: Figure
    loc: Loc
    section: str | None = None


@dataclass(slots=True)
class Project:
    """A project block of the narrative (项目名称 / 预算安排规模 / 资金分配情况 …)."""

    name: str
    loc: Loc
    ordinal: str = ""
    unit_name: str | None = None
    scale: Figure | None = None
    allocation: str | None = None
    allocation_loc: Loc | None = None
    secret: bool = False  # 涉密: the block says 完全不予公开
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Indicator:
    level1: str
    level2: str
    level3: str
    value: str
    loc: Loc
    basis: str = ""
    last_value: str = ""
    weight: Decimal | None = None
    rule: str = ""
    evidence: str = ""


@dataclass(slots=True)
class PerformanceTable:
    """绩效目标表: kind `overall` (部门整体) or `project` (项目支出)."""

    kind: str
    loc: Loc
    unit_name: str | None = None
    project: str | None = None
    total: Figure | None = None  # 年度预算总额 / 资金总额
    fiscal: Figure | None = None  # 财政拨款 (project) or Σ 财政资金 lines (overall)
    other: Figure | None = None  # 其他资金
    fund_lines: list[tuple[str, Figure]] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    title: str = ""

    def weight_total(self) -> Decimal | None:
        weights = [i.weight for i in self.indicators if i.weight is not None]
        return sum(weights, Decimal(0)) if weights else None
