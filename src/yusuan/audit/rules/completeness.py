"""C7xx — completeness against the template: tables, empty-table statements, sections."""

from __future__ import annotations

import re
from collections import Counter

from yusuan.audit.context import AuditContext
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.kinds import catalogue
from yusuan.model.document import Document, ListedTable
from yusuan.model.provenance import Loc
from yusuan.model.tables import Table
from yusuan.profiles.schema import TableSpec
from yusuan.text import normalize_name

_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTICE
# `故本表无数据` (上海、中央 决算表下的注).
_EMPTY_WORDS = (
    "空表",
    "没有使用",
    "未安排",
    "无此项",
    "不涉及",
    "本年无",
    "本表无数据",
    # 湖南: `此表如无数字则表示单位无该项支出`, `本单位无政府性基金安排的支出`.
    "无该项",
    "无政府性基金",
    "无国有资本经营",
)


@register
class MissingTable(Rule):
    id = "C701"
    slug = "missing-table"
    title = "模板要求的表格齐全"
    emits = (_E, _W)
    description = (
        "模板规定必须公开的每一张表都应出现（空表也要公开表头并说明）。模板未识别时，以文件自己的"
        "目录为准：目录列出的每一张表（按表名认出类别）都应在文件中读到同类的表；没有读到的报警告"
        "——可能是缺表，也可能是没能读出，请对照原件。只有情况说明、没有表格的文件（北京的"
        "情况说明与报表分两个文件）不核对，与报表文件一同审核。"
    )
    bad = "公开表只有表1—表10，缺少“上年结转结余情况明细表”"
    good = "表1—表11 全部公开，无数据的表注明为空表"

    def run(self, ctx: AuditContext) -> None:
        if not any(spec.required for spec in ctx.profile.tables):
            self._listed(ctx)
            return
        for spec in ctx.profile.tables:
            if not spec.required:
                continue
            if spec.key in ctx.doc.tables or _performance_found(ctx, spec):
                ctx.passed()
                continue
            name = f"表{spec.number} " if spec.number else ""
            ctx.report(
                _E,
                "缺少{name}{title}",
                Location(table=name.strip() or spec.title),
                params={"name": name, "title": spec.title},
                expected=spec.title,
            )

    def _listed(self, ctx: AuditContext) -> None:
        """Under inference: the tables the document's own 目录 lists."""
        listed = ctx.doc.listed_tables
        if not listed:
            return
        if not _tables_of_kind(ctx.doc):
            ctx.skip(
                "本文件没有表格，目录所列的表不在本文件中（与报表文件一同审核：yusuan audit 说明 报表）",
                Location.of(listed[0].loc),
            )
            return
        missing = missing_listed(ctx.doc)
        ctx.passed(len(listed) - len(missing))
        for entry in missing:
            ctx.report(
                _W,
                "目录列出的「{title}」在文件中没有读到（缺表，或未能读出，请对照原件）",
                Location.of(entry.loc, table=entry.title),
                params={"title": entry.title},
                expected=entry.title,
            )


def _tables_of_kind(doc: Document) -> list[Table]:
    return [t for t in (*doc.tables.values(), *doc.extra_tables) if t.kind]


def missing_listed(doc: Document) -> list[ListedTable]:
    """The entries of the document's 目录 no table read bears out: per kind, those listed
    beyond the number of tables of that kind found (in the 目录's order, the last ones)."""
    found = Counter(t.kind for t in _tables_of_kind(doc))
    seen: Counter[str] = Counter()
    missing = []
    for entry in doc.listed_tables:
        seen[entry.kind] += 1
        if seen[entry.kind] > found[entry.kind]:
            missing.append(entry)
    return missing


def _performance_found(ctx: AuditContext, spec: TableSpec) -> bool:
    return performance_found(ctx.doc, spec)


def performance_found(doc: Document, spec: TableSpec) -> bool:
    """绩效目标表 are read as forms, not tables: found when a form carries the spec's title."""
    if not spec.layout.startswith("performance"):
        return False
    names = [normalize_name(n) for n in [spec.title, *spec.aliases]]
    return any(any(n in normalize_name(p.title) for n in names) for p in doc.performance)


@register
class EmptyTableStatement(Rule):
    id = "C702"
    slug = "empty-table-statement"
    title = "空表须有说明"
    emits = (_E,)
    description = (
        "没有数据的表（如政府性基金预算支出情况表）须在表下或情况说明中写明“为空表”及原因；"
        "反之，写明为空表的表不能有数据。"
    )
    bad = "表8 只有表头，表下和说明中都没有“为空表”的说明"
    good = "“…2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。”"

    def run(self, ctx: AuditContext) -> None:
        for spec in ctx.profile.tables:
            table = ctx.doc.tables.get(spec.key)
            if table is None or not table.readable or spec.layout == "contents":
                continue  # a 报表目录 holds no figures by nature
            statements = [(n.text, n.loc) for n in table.notes]
            bound = False
            for sec in ctx.profile.sections:
                if sec.empty_table == spec.key:
                    bound = True
                    statements += [
                        (p.text, p.loc)
                        for p in ctx.doc.paragraphs
                        if p.section == sec.key and not p.heading
                    ]
            says_empty = [(t, loc) for t, loc in statements if any(w in t for w in _EMPTY_WORDS)]
            if not says_empty and not bound and table.is_empty and table.kind is not None:
                # No section of the template holds this table's statement (a profile inferred
                # from the document knows none): any sentence of the 说明 naming the table's
                # kind may say it (`本部门2022年无政府采购预算，并已公开空表。`).
                says_empty = _names_empty(ctx, table.kind)
            if not says_empty and table.kind in _FUND_WORDS:
                # `政府性基金拨款支出预算为0` (上海): the narrative states the fund is nil.
                says_empty = _states_nil(ctx, _FUND_WORDS[table.kind])
            if table.is_empty and _form_filled(table):
                continue  # a form read as text (西安 表16) states its amounts in its rows
            if table.is_empty:
                if not spec.may_be_empty and spec.required:
                    ctx.report(
                        _E,
                        "{table} {title}没有任何数据",
                        Location.of(table.loc, table=table.name),
                        params={"table": table.name, "title": table.title},
                    )
                elif says_empty:
                    ctx.passed()
                elif (not ctx.profile.sections and not ctx.doc.paragraphs) or (
                    ctx.profile.sections and not any(p.section for p in ctx.doc.paragraphs)
                ):
                    # The template publishes its 说明 apart from the tables (北京: a separate
                    # file, read with them only as a document set): where the statement would
                    # be is not in this document.
                    ctx.skip(
                        f"{table.name} {table.title}为空表，表下没有说明；情况说明不在本文件中，无法核对",
                        Location.of(table.loc, table=table.name),
                    )
                else:
                    ctx.report(
                        _E,
                        "{table} {title}为空表，但表下和情况说明中都没有写明",
                        Location.of(table.loc, table=table.name),
                        params={"table": table.name, "title": table.title},
                    )
            elif says_empty and any("空表" in t for t, _ in says_empty):
                ctx.report(
                    _E,
                    "{table} {title}有数据，但说明称其为空表",
                    Location.of([table.loc, *(loc for _, loc in says_empty)], table=table.name),
                    params={"table": table.name, "title": table.title},
                )
            elif spec.may_be_empty:
                ctx.passed()


_FUND_WORDS = {"gov-fund": "政府性基金", "state-capital": "国有资本经营"}
_SENTENCE = re.compile(r"[^。；;]+")


def _names_empty(ctx: AuditContext, kind: str) -> list[tuple[str, Loc]]:
    """Sentences of the 说明 that name a table of `kind` by its kind's words and say it is
    empty."""
    spec = next((k for k in catalogue().kind if k.id == kind), None)
    if spec is None:
        return []
    out = []
    for p in ctx.doc.paragraphs:
        section = ctx.section(p.section) if p.section else None
        if p.heading or (section is not None and section.kind == "glossary"):
            continue
        for m in _SENTENCE.finditer(p.text):
            sentence = m.group()
            if any(w in sentence for w in _EMPTY_WORDS) and any(
                all(w in sentence for w in words) for words in spec.all
            ):
                out.append((sentence, p.loc))
                break
    return out


# `资金金额（万元） 实施期资金总额： 6600 年度资金总额： 6600`: a key followed by its amount.
_FORM_VALUE = re.compile(r"[：:]\s*[1-9][\d,]*(?:\.\d+)?(?:\s|$)")


def _form_filled(table: Table) -> bool:
    """A table without amount columns (a form) whose rows give an amount after a key: filled,
    whatever its cells say. A blank form prints its keys only."""
    return not table.columns and any(_FORM_VALUE.search(r.label or "") for r in table.rows)


_NIL = re.compile(r"^[^。；;，,]{0,24}?(?:为0(?![.\d])|为零|0万元|0\.00万元|0元|没有|无)")


def _states_nil(ctx: AuditContext, word: str) -> list[tuple[str, Loc]]:
    out = []
    for p in ctx.doc.paragraphs:
        if p.heading:
            continue
        start = p.text.find(word)
        while start >= 0:
            if _NIL.search(p.text[start + len(word) :]):
                out.append((p.text, p.loc))
                break
            start = p.text.find(word, start + 1)
    return out


@register
class TableUnreadable(Rule):
    id = "C703"
    slug = "table-unreadable"
    title = "表格结构可读"
    # A warning, not an error: it says what yusuan could not read, which may be a misread as
    # well as a defect of the document; the checks resting on the table are "not run".
    emits = (_W, _N)
    description = (
        "表格的列数与模板一致、每个金额单元格都是数字，才能核对；否则该表的检查记为“未运行”并报告原因"
        "（警告：可能是原件缺列，也可能是读取有误，请对照原件）。不属于模板的表格作为提示列出（不审核）。"
    )
    bad = "表3 缺少“项目支出”列：表头编号只有 1、2 两列"
    good = "表3 有“合计、基本支出、项目支出”三列，编号 1、2、3"

    def run(self, ctx: AuditContext) -> None:
        for table in ctx.doc.tables.values():
            if table.readable:
                ctx.passed()
                continue
            problems = "；".join(dict.fromkeys(table.problems))
            ctx.report(
                _W,
                "{table} {title}无法可靠读取：{problems}",
                Location.of(table.loc, table=table.name),
                params={"table": table.name, "title": table.title, "problems": problems},
            )
        for table in ctx.doc.extra_tables:
            if table.kind == "contents":
                continue  # a 报表目录 lists tables; it is no table of figures to audit
            ctx.report(
                _N,
                "表格「{title}」不属于模板 {profile}，未审核",
                Location.of(table.loc),
                params={"title": table.title or "（无标题）", "profile": ctx.profile.name},
                is_check=False,
            )


@register
class MissingSection(Rule):
    id = "C704"
    slug = "missing-section"
    title = "情况说明的章节齐全"
    emits = (_E,)
    description = "模板要求的每个说明章节（收支总体、收入、支出、财政拨款、一般公共预算、基本支出、项目支出、三公、结转等）都应出现且有内容。"
    bad = "情况说明中没有“财政拨款‘三公’经费预算情况说明”"
    good = "“十、关于…2024 年财政拨款‘三公’经费预算情况说明”及其内容"

    def run(self, ctx: AuditContext) -> None:
        required = [sec for sec in ctx.profile.sections if sec.required]
        if required and not ctx.doc.narrative_included and not ctx.require_narrative:
            ctx.skip(
                f"输入只有表格（工作簿中没有情况说明），模板要求的 {len(required)} 个说明章节未核对；"
                "要按缺少章节报告请用 --require-narrative"
            )
            return
        for sec in required:
            if sec.key in ctx.doc.sections_found:
                ctx.passed()
                continue
            ctx.report(
                _E,
                "情况说明缺少“{section}”",
                Location(section=sec.title),
                params={"section": sec.title},
                expected=sec.title,
            )


# What a 单位预算 must not call itself: its own budget is a 单位预算, itself 本单位.
_OTHER_ENTITY = {"单位": re.compile(r"本部门|部门(?:预算|决算)")}
_RIGHT_WORD = {"单位": "单位预算 / 本单位"}


@register
class EntityWording(Rule):
    id = "C705"
    slug = "entity-wording"
    title = "称谓与预算主体一致"
    emits = (_E,)
    description = (
        '单位预算（模板的 `entity = "单位"`，如上海的单位预算）应称“单位预算”“本单位”，不能照抄部门预算的'
        "“部门预算”“本部门”。名词解释是统一的模板文字，不检查。整篇说明计一次检查。"
    )
    bad = "单位预算中写“2026年部门预算安排购置车辆0辆”"
    good = "“2026年单位预算安排购置车辆0辆”"

    def run(self, ctx: AuditContext) -> None:
        entity = ctx.profile.entity
        pattern = _OTHER_ENTITY.get(entity or "")
        if entity is None or pattern is None:
            return
        found = 0
        for para in ctx.doc.paragraphs:
            spec = ctx.section(para.section) if para.section else None
            if para.heading or (spec is not None and spec.kind == "glossary"):
                continue
            hits = [m.group() for m in pattern.finditer(para.text)]
            if not hits:
                continue
            found += 1
            words = "、".join(f"“{w}”" for w in dict.fromkeys(hits))
            ctx.report(
                _E,
                "{entity}预算中写作{words}（{count} 处）：「{text}」，应为“{right}”",
                Location.of(para.loc, section=ctx.section_title(para.section)),
                params={
                    "entity": entity,
                    "words": words,
                    "count": len(hits),
                    "text": _clip(para.text),
                    "right": _RIGHT_WORD[entity],
                },
                expected=_RIGHT_WORD[entity],
                actual="、".join(dict.fromkeys(hits)),
                is_check=found == 1,
            )
        if not found:
            ctx.passed()


def _clip(text: str, keep: int = 40) -> str:
    return text if len(text) <= keep else text[:keep] + "…"


@register
class UnreadContent(Rule):
    id = "C711"
    slug = "content-unread"
    title = "文件中有未能读取的部分"
    emits = (_W,)
    description = (
        "读取时有内容没能读出：没有文字层的页（扫描件，需加 `--ocr` 做文字识别）、损坏的页、"
        "设置了旋转的页等。每处报一条警告；这些部分没有经过任何核对，结论中也会说明。"
    )
    bad = "一份 PDF 的第 22 页是扫描图片，没有文字层：该页的表格没有读取"
    good = "全部页面都有文字层，或用 `yusuan audit --ocr` 先做文字识别"
    no_example = "未能读取的页只出现在 PDF 中（示例底稿是文本）；tests/test_pdf_reader.py 用真实文件拼出部分扫描的 PDF 测试"

    def run(self, ctx: AuditContext) -> None:
        for note in ctx.doc.notes:
            if note.kind == "unread":
                ctx.report(_W, note.message, Location.of(note.loc), is_check=False)
