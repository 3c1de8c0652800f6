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
    # The narrative rounds its amounts (to whole 万元, as 上海 does): a figure printed without
    # decimals stands for any amount that rounds to it, not for the exact amount.
    rounded: bool = False

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
    # The amount compared with, when the text states it rather than the difference
    # (`2025年当年预算执行数为1690.69万元，2026年预算安排1434.89万元，比2025年预算执行数减少…%`).
    base: Figure | None = None

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
    level: int | None = None  # heading level (1–6) when known; renderers default otherwise


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
    # Code digits printed with the level words (`公共安全支出（204类）司法（06款）`): ("204", "06").
    path_codes: tuple[str, ...] = ()
    paragraph: int = -1
    # 决算 texts: `年初预算为 B 万元，支出决算为 X 万元，完成年初预算的 Y%` — `amount` is X (the
    # 决算), `budget` B and `completion` Y as printed.
    budget: Figure | None = None
    completion: Figure | None = None
    score: Figure | None = None  # `项目自评得分为 94.7 分` (unit 分)


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
    # `主要包括：…` lists the main parts only: together they may fall short of the total.
    partial: bool = False


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
    # What the 资金分配情况 allocates, as read: the amounts outside brackets (brackets hold
    # remarks), and whether they head a `其中` list (then the first is the allocated total).
    allocation_figures: list[Figure] = field(default_factory=list)
    allocation_listed: bool = False
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
    actual: str = ""  # 实际完成值 (绩效自评表)
    score: Decimal | None = None  # 得分 (绩效自评表)


@dataclass(slots=True)
class SelfEvaluation:
    """What a 项目绩效自评表 (决算) adds to a 绩效 table: funds by column, execution, scores."""

    # Fund line (年度资金总额, 财政拨款, 上年结转, 其他资金) → column (年初预算数, 全年预算数,
    # 全年执行数) → figure, as printed.
    funds: dict[str, dict[str, Figure]] = field(default_factory=dict)
    rate: Figure | None = None  # 执行率 (%) on the 年度资金总额 line
    rate_weight: Figure | None = None  # its 分值
    rate_score: Figure | None = None  # its 得分
    weight_total: Figure | None = None  # 总分: 分值
    score_total: Figure | None = None  # 总分: 得分


@dataclass(slots=True)
class PerformanceTable:
    """绩效目标表: kind `overall` (部门整体) or `project` (项目支出); `selfeval` for a 决算's
    项目绩效自评表."""

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
    # Printed texts without a figure, by their label (部门联系人, 联系电话, 项目负责人,
    # 年度绩效目标 / 项目总体目标): kept so that a built table prints them; readers may leave it empty.
    details: dict[str, str] = field(default_factory=dict)
    selfeval: SelfEvaluation | None = None  # kind `selfeval`: a 项目绩效自评表

    def weight_total(self) -> Decimal | None:
        weights = [i.weight for i in self.indicators if i.weight is not None]
        return sum(weights, Decimal(0)) if weights else None
