"""C71x — how far the document's template is known: the generic fallback says what it did."""

from __future__ import annotations

from yusuan.audit.context import AuditContext
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.profiles.generic import GENERIC_ID

_N = Severity.NOTICE


@register
class UnknownTemplate(Rule):
    id = "C710"
    slug = "unknown-template"
    title = "模板未识别（按通用规则审核）"
    emits = (_N,)
    description = (
        "没有内置模板认得文件中的表格时（或指定 `--profile generic`），按通用规则读取：表格的列由表头推断，"
        "行由科目编码推断，只核对表头与编码显示的关系（合计/小计列 = 同一表头下各列之和，类 = Σ 款 = Σ 项，"
        "合计行 = Σ 类）、各地模板共有的表间关系（X301）、说明中的同比、占比和“其中”之和，说明的金额"
        "和占比按表类推断对照表格（N311、N312，只报疑似笔误，不报错误），表格是否齐全以文件自己的"
        "目录为准（C701）；模板特有的表间关系（如表1 人员经费 + 公用经费 = 表3 基本支出）需要模板，未核对。"
        "本规则提示模板未识别，并列出推断中放弃的表格和关系。"
    )
    bad = "上海某区 2026 年新模板的预算公开：所有表名都与内置模板不同，只能按通用规则审核"
    good = "为该模板写一个模板文件（docs/profiles.md），按其表间关系完整审核"

    def run(self, ctx: AuditContext) -> None:
        if ctx.profile.id != GENERIC_ID:
            return
        doc = ctx.doc
        # A 报表目录 lists tables; it is no table left unaudited.
        others = [t for t in doc.extra_tables if t.kind != "contents"]
        if doc.tables:
            template = (
                "未识别的模板：没有内置模板认得本文件的表格，已按通用规则读取并审核 {tables} 张表"
                + ("，另有 {unread} 张未审核" if others else "")
                + "（模板置信度 {confidence}）；表间关系只核对了各地模板共有的几项（X301），"
                "说明与表格按表类推断对照（N311、N312），模板特有的表间关系需要模板，未核对"
            )
            params: dict[str, object] = {"tables": len(doc.tables)}
            if others:
                params["unread"] = len(others)
            params["confidence"] = doc.profile_confidence
        else:
            template = (
                "未识别的模板：本文件没有可审核的表格（只有说明文字），只核对了说明中的同比增减、占比和"
                "“其中”各项之和；说明与表格的对应需要同一份公开的表格，未核对"
            )
            params = {}
        ctx.report(_N, template, Location(), params=params, is_check=False)
        for note in ctx.doc.notes:
            if note.kind == "generic":
                ctx.report(_N, note.message, Location.of(note.loc), is_check=False)
