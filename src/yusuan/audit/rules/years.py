"""H1xx — across years: a document against the same department's previous-year document.

These checks need two documents, so they run where both are: in the corpus store, after
`yusuan batch` has stored a batch (`yusuan.batch.years`). Auditing one file runs none of them;
they are registered here so that they have stable ids, `--select`/`--ignore` names and docs.
"""

from __future__ import annotations

from yusuan.audit.context import AuditContext
from yusuan.audit.findings import Severity
from yusuan.audit.registry import Rule, register


@register
class LastYearPublished(Rule):
    id = "H101"
    slug = "last-year-published"
    no_example = "需要库中同一部门上一年度的公开文件：一份文件无法示范（见 tests/test_store.py）"
    title = "比上年增减与上年公开数"
    emits = (Severity.ERROR, Severity.NOTICE)
    description = (
        "库中有同一部门（按部门名称与地区匹配，预算/决算、部门/单位相同）上一年度的公开文件时，"
        "本年说明中“X 万元，比上年增加（减少）A 万元”所隐含的上年数 X − A（X + A）应等于上一年度"
        "文件对同一事项（同一章节、同一主语）公开的金额。差额不超过三个印刷数字的四舍五入范围时为提示。"
        "只在 `yusuan batch` 入库时运行（需要上一年度的文件）；匹配到的文件记录在 `doc_matches` 表中。"
    )
    bad = (
        "2025 年：“一般公共预算拨款 1,000.00 万元”；2026 年：“一般公共预算拨款 1,100.00 万元，"
        "比上年增加 150.00 万元”（隐含上年为 950.00 万元）"
    )
    good = (
        "2025 年：“一般公共预算拨款 1,000.00 万元”；2026 年：“一般公共预算拨款 1,100.00 万元，"
        "比上年增加 100.00 万元”"
    )

    def run(self, ctx: AuditContext) -> None:
        """One document alone has no previous year to compare with: see `yusuan.batch.years`."""
