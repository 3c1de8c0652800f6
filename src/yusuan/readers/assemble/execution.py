"""决算 phrases of budget execution: `年初预算为 B 万元，支出决算为 X 万元，完成年初预算的 Y%`.

A 决算 说明 states, for a subject (a 类/款/项 path, 三公经费, a project), the budget it was
given, what was spent and the share of the budget spent. The subject is often printed alone
in the clause before (`1.一般公共服务（类）信访事务（款）行政运行（项）。年初预算为…`).
These helpers only recognise the phrases; `narrative.paragraph_to_statements` builds the
statement: `amount` is the 决算 (what the tables print), `budget` and `completion` as printed.

A budget figure counts as such only when a 决算 / 执行数 follows in the same sentence, so the
`预算数为 X 万元` of a 预算 document keeps meaning its amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from yusuan.readers.assemble.figures import FigureMatch, find_figures
from yusuan.text import strip_ordinal

__all__ = ["ExecutionHit", "clause_lead", "execution_hit", "score_hit"]

_BUDGET = re.compile(r"(?:年初|全年|调整后?)?预算(?:数)?(?:为|是)?\s*$")
_ACTUAL = re.compile(r"(?:支出)?(?P<word>决算(?:数)?|执行数)(?:为|是)?\s*$")
_ACTUAL_AHEAD = re.compile(r"决算|执行数")
_COMPLETION = re.compile(r"完成(?:了)?(?:年初|全年|调整后?)?预算(?:数)?(?:的)?\s*$")
_PATH_WORD = re.compile(r"[（(]\s*\d*\s*类[)）]")
_COLON_LEAD = re.compile(r"^\s*([^：:，,。；;]{2,30}?)[：:]")
_SCORE = re.compile(r"得分(?:为|是)?\s*(?P<num>\d+(?:\.\d+)?)\s*分(?![值钟])")


@dataclass(frozen=True, slots=True)
class ExecutionHit:
    kind: Literal["budget", "actual", "completion"]
    figure: FigureMatch
    subject_text: str  # the words before the figure, the budget/决算 words removed
    decisive: bool = True  # an actual figure named 决算 (not only 执行数)


def execution_hit(
    segment: str, rest_of_clause: str, figures: list[FigureMatch] | None = None
) -> ExecutionHit | None:
    """What a comma-separated segment states about execution, if anything."""
    if figures is None:
        figures = find_figures(segment)
    if not figures:
        return None
    first = figures[0]
    prefix = segment[: first.start]
    if first.is_percent:
        m = _COMPLETION.search(prefix)
        return ExecutionHit("completion", first, prefix[: m.start()]) if m else None
    if not first.is_money:
        return None
    m = _BUDGET.search(prefix)
    if m and "决算" not in prefix and _ACTUAL_AHEAD.search(rest_of_clause):
        return ExecutionHit("budget", first, prefix[: m.start()])
    a = _ACTUAL.search(prefix)
    if a:
        return ExecutionHit("actual", first, prefix[: a.start()], "决算" in a.group("word"))
    return None


def score_hit(segment: str) -> tuple[int, int] | None:
    """Where a stated score sits (`项目自评得分为94.7分`): the span of its number."""
    m = _SCORE.search(segment)
    return (m.start("num"), m.end("num")) if m else None


def clause_lead(clause: str, lead: str | None, has_figures: bool | None = None) -> str | None:
    """The subject a figure-free clause names for the clauses after it, else `lead`.

    A 类/款/项 path wins (`1.一般公共服务（类）…（项）。`); a `项目综述：` label only stands in
    when no path was seen, since `主要用于：…` clauses follow paths.
    """
    if has_figures is None:
        has_figures = any(f.is_money or f.is_percent for f in find_figures(clause))
    if has_figures:
        return lead
    if _PATH_WORD.search(clause):
        return clause
    if lead is None:
        m = _COLON_LEAD.match(clause)
        if m:
            return strip_ordinal(m.group(1)) or None
    return lead
