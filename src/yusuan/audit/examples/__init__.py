"""Each rule's executable example: a bad and a good disclosure, as edits of one clean document.

`base.md` is a small 新疆 11-table disclosure that audits with no finding at all (built by
`yusuan build` from `base-ledger.csv` and `base-department.toml` beside it). A rule that only
another template has names its base, equally clean: `base-shanghai-danwei.md`, a 上海 单位预算
built from examples/ledger/2026_shanghai_unit_*; `base-shanghai-juesuan.md`, a 上海 部门决算: the
published tests/data/published/2024_shanghai-putuo_caizhengju_juesuan.pdf read and written back
as Markdown (render/markdown), its 表6 laid out again as the two side-by-side lists the PDF
prints, and the document's own slips corrected so that it audits clean (208 社会保障和就业支出
rounded 326.72/326.71 across tables: 2080599 0.94 → 0.93; 表6 301 and 302 one and two cents off
their 款: 30101, 30201; 占 71.73% → 71.65%; 财政拨款收入支出总计 0.3 → 2961.68 万元; 服务采购
246.47 → 246.46); `base-xian.md`, a 西安 部门综合预算: the published
tests/data/published/2025_shaanxi-xian_xingzhengshenpi_yusuan.pdf as the PDF reader reads it,
written as text by scripts/pdf_to_text.py (tables as printed, header rows bold), with the
units list of 预算单位构成 written as a line instead of a table the template does not know and
the document's rounding slips corrected (the 较上年增加 of 行政运行 50.95 → 50.97, 工资福利
支出 (301, 501) 70.03 → 70.04, so that last year's amounts they imply add up to 4,431.68);
`base-zhongyang-juesuan.md`, a 中央 部门决算 with 项目绩效自评表: the published
tests/data/published/2024_zhongyang_guojiaxinfangju_juesuan.pdf written the same way, without
its 附件 (a 绩效评价报告 with tables of its own), 公开06表's 公用经费合计 written under the panel
it totals, and its slips corrected: 住房保障支出 980.85 → 980.84 (its 项 add up to that; 表5
小计 13,733.80 → 13,733.79 follows), 表3 201 基本支出 7,366.16 → 7,366.17, 表6 30299 / 30399 /
31099 a cent less so that 302 / 303 / 310 add up, 表9 因公出国（境）费 4.69 → 4.70; in the
text 增长 35.74% → 35.94%, 卫生健康 增加 10.01 → 10.00 (last year's amounts add up), the 2024
names of 2080501 and 20805, and 信息化运行维护 自评得分 88.5 → 90.5 (N310's example puts the
published 88.5 back).
A rule's
`<ID>.toml` holds the edits that make it fire (`[[bad]]`) and, where the corrected text is not
the base itself, those of the good example (`[[good]]`); each edit replaces one passage that
occurs exactly once in the base. Keeping the examples as edits of one document keeps every
example a complete disclosure (so the audit's other rules stay quiet) while showing the few
lines that matter. `with` names sets of edits made first in both (`generic-titles.toml`: the
table titles as no bundled template prints them, for the rules of the generic profile). `also`
names the rules the same wrong figure necessarily breaks as well
(one figure of 表1 is also compared by code with 表3).

Tests run every example (tests/test_rule_examples.py); docs/rules.md and `yusuan rules ID`
show them. A rule without an example says why in its registry entry (`Rule.no_example`).
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Which = Literal["bad", "good"]
BASE_PATH = "base.md"  # the 新疆 base most examples edit


@dataclass(frozen=True, slots=True)
class Edit:
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Example:
    rule: str
    bad: tuple[Edit, ...]
    good: tuple[Edit, ...] = ()
    also: tuple[str, ...] = ()
    base: str = BASE_PATH

    def text(self, which: Which) -> str:
        return apply(base_text(self.base), self.bad if which == "bad" else self.good)

    def changes(self, which: Which) -> list[Change]:
        return changed_lines(base_text(self.base), self.text(which))


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the base as printed and as the example prints it (None: absent)."""

    line: int  # in the base (for an inserted line: the line it comes before)
    before: str | None
    after: str | None


def _files() -> resources.abc.Traversable:
    return resources.files(__package__)


@cache
def base_text(name: str = BASE_PATH) -> str:
    return (_files() / name).read_text(encoding="utf-8")


def base_names() -> list[str]:
    """Every base document (each must audit with no finding at all)."""
    return sorted(
        p.name for p in _files().iterdir() if p.name.startswith("base") and p.name.endswith(".md")
    )


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    for edit in edits:
        n = text.count(edit.old)
        if n != 1:
            raise ValueError(
                f"example edit must match the base exactly once, matched {n}: {edit.old!r}"
            )
        text = text.replace(edit.old, edit.new)
    return text


def changed_lines(before: str, after: str) -> list[Change]:
    a, b = before.split("\n"), after.split("\n")
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            out.append(
                Change(
                    i1 + k + 1,
                    olds[k] if k < len(olds) else None,
                    news[k] if k < len(news) else None,
                )
            )
    return out


def _edits(raw: object) -> tuple[Edit, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(Edit(str(e["old"]), str(e["new"])) for e in raw)


@cache
def _shared_edits(name: str) -> tuple[Edit, ...]:
    """A set of edits several examples start from (`generic-titles.toml`: the base's table
    titles as no bundled template prints them)."""
    data = tomllib.loads((_files() / f"{name}.toml").read_text(encoding="utf-8"))
    return _edits(data.get("edit"))


@cache
def load_example(rule_id: str) -> Example | None:
    path = _files() / f"{rule_id}.toml"
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    # `with = ["generic-titles"]`: shared edits made first, in the bad and the good example.
    first = tuple(e for name in data.get("with", ()) for e in _shared_edits(str(name)))
    return Example(
        rule_id,
        first + _edits(data.get("bad")),
        first + _edits(data.get("good")),
        tuple(str(a) for a in data.get("also", ())),
        str(data.get("base", BASE_PATH)),
    )


def example_ids() -> list[str]:
    """Every rule id an example file is named for (tests check each names a rule)."""
    return sorted(
        p.name[:-5] for p in _files().iterdir() if p.name.endswith(".toml") and p.name[0].isupper()
    )
