"""W0xx — text quality: what an inspector reads for besides the numbers.

Truncated sentences, template residue, blank pages, garbled characters, unbalanced quotation
marks and brackets, a paragraph without its final full stop, a year that does not fit the
document's year. Wording of 部门/单位 is C705; “主要原因是。” is Y407; “增加（减少）” is Y406.

These checks read running text that a PDF reader had to reassemble (paragraphs cut by page
breaks, table cells that end up as text), so each is written to stay silent on what the
reader may have cut: a false alarm costs an inspector more than a missed remark. Every pattern
was run over the development corpus (about 60 published disclosures) and each hit checked by
hand; see docs/checklist.md.
"""

from __future__ import annotations

import re

from yusuan.audit.context import AuditContext
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.model.narrative import Paragraph
from yusuan.model.provenance import file_label

_W, _N = Severity.WARNING, Severity.NOTICE

_CJK = r"\u4e00-\u9fff"
# A sentence cut after its verb: “主要用于。” “包括：。” “具体如下。”. “主要原因是。” is Y407's.
_TRUNCATED = re.compile(
    r"(?:(?<!主要)原因(?:是|为)|用于|包括|如下|主要是|具体为|具体是|主要有|分别是|分别为)"
    r"\s*[：:]?\s*[。；;]"
)
# Placeholders left from the template: XX单位, ××万元, 【待补充】, 【单位名称】, （此处填写…）.
_RESIDUE = re.compile(
    r"(?<![A-Za-z])(?:[XxＸｘ]{2,}|×{2,}|＊{2,}|\*{2,})(?![A-Za-z])"
    r"|【[^】]{0,10}(?:待|填|补充|名称|XX|××)[^】]{0,10}】"
    r"|待补充|待填写|此处填写|请填写"
)
# Characters the patterns above cannot match without: a search for them (one character class,
# which the regex engine scans for quickly) passes over the many paragraphs that have none,
# where the patterns themselves try every alternative at every position. `_TRUNCATED`'s
# words all end in 是/为/于/括/下/有 before the stop.
_MAYBE_TRUNCATED = re.compile(r"[是为于括下有]\s*[：:]?\s*[。；;]")
_MAYBE_RESIDUE = re.compile(r"[XxＸｘ×＊*【待此请]")
_ENUM = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、](?!\d)"
    r"|第[一二三四五六七八九十]+[部章节])"
)
_SPACED_CJK = re.compile(rf"[{_CJK}] +[{_CJK}]")
_SENTENCE_END = "。！？!?"


def _clip(text: str, keep: int = 60) -> str:
    return text if len(text) <= keep else text[:keep] + "…"


def _around(text: str, start: int, end: int, keep: int = 24) -> str:
    """The sentence around a match: from the previous full stop to the next one."""
    left = max(text.rfind(ch, 0, start) for ch in "。；;！？") + 1
    if start - left > keep:
        left = start - keep
    stops = [i for i in (text.find(ch, end) for ch in "。；;！？") if i >= 0]
    right = min(stops) + 1 if stops else len(text)
    if right - end > keep:
        right = end + keep
    return text[left:right].strip()


def _body(ctx: AuditContext) -> list[tuple[int, Paragraph]]:
    """The narrative's running text: no headings, no glossary (fixed template wording)."""
    out = []
    for index, para in enumerate(ctx.doc.paragraphs):
        spec = ctx.section(para.section) if para.section else None
        if para.heading or (spec is not None and spec.kind == "glossary"):
            continue
        out.append((index, para))
    return out


def _prose(text: str) -> bool:
    """A sentence of prose rather than a table fragment read as text."""
    return len(text) >= 20 and "，" in text and not _SPACED_CJK.search(text)


def _where(ctx: AuditContext, para: Paragraph) -> Location:
    return Location.of(para.loc, section=ctx.section_title(para.section))


@register
class TruncatedSentence(Rule):
    id = "W001"
    slug = "truncated-sentence"
    title = "句子不完整"
    emits = (_W,)
    description = (
        "句子在“用于”“包括”“如下”“原因是”“分别是”等词之后直接以句号结束，后面应有的内容没有写出"
        "（常见于照抄模板后漏填）。“主要原因是。”由 Y407 检查。只在发现时计为一次未通过的检查。"
    )
    bad = "“一般公共预算支出主要用于。”"
    good = "“一般公共预算支出主要用于保障机构正常运转和完成日常工作任务。”"

    def run(self, ctx: AuditContext) -> None:
        for _, para in _body(ctx):
            if not _MAYBE_TRUNCATED.search(para.text):
                continue
            for m in _TRUNCATED.finditer(para.text):
                ctx.report(
                    _W,
                    "句子不完整：「{text}」在“{words}”之后没有下文",
                    _where(ctx, para),
                    params={"text": _around(para.text, m.start(), m.end()), "words": m.group()},
                    actual=m.group(),
                )


@register
class TemplateResidue(Rule):
    id = "W002"
    slug = "template-residue"
    title = "模板占位符未替换"
    emits = (_W,)
    description = (
        "模板中的占位符留在了公开文件里：`XX`、`××`、`**`、【待补充】、【单位名称】、“此处填写”等。"
        "文号中的【2016】之类不算。“增加（减少）”这种两个方向都写的情况由 Y406 检查。"
    )
    bad = "“XX单位2026年收入预算XX万元。”"
    good = "“上海市普陀区司法局2026年收入预算8,695.94万元。”"

    def run(self, ctx: AuditContext) -> None:
        for _, para in _body(ctx):
            if not _MAYBE_RESIDUE.search(para.text):
                continue
            for m in _RESIDUE.finditer(para.text):
                ctx.report(
                    _W,
                    "模板占位符“{placeholder}”未替换：「{text}」",
                    _where(ctx, para),
                    params={
                        "placeholder": m.group(),
                        "text": _around(para.text, m.start(), m.end()),
                    },
                    actual=m.group(),
                )


@register
class BlankPage(Rule):
    id = "W003"
    slug = "blank-page"
    no_example = "只检查 PDF 的空白页；示例是 Markdown 文件"
    title = "多余的空白页"
    emits = (_W,)
    description = (
        "PDF 中某一页除页码外没有任何文字和图片（空白页，或只有空的表格框线），通常是排版时多出的一页"
        "（例如目录之后、表格之后）。只对 PDF 检查，每份文件计一次检查。"
    )
    bad = "目录（第 2 页）之后第 3 页是空白页，正文从第 4 页开始"
    good = "删去空白页，正文紧接目录"

    def run(self, ctx: AuditContext) -> None:
        source = ctx.doc.source
        for part in source.parts or (source,):  # each PDF of a document set on its own
            if part.format != "pdf":
                continue
            file = part.path if source.parts else None
            where = f"{file_label(file)}" if file else ""
            for n, page in enumerate(part.blank_pages):
                ctx.report(
                    _W,
                    "{file}第 {page} 页除页码外没有文字或图片（空白页，或只有空的表格框线），"
                    "请确认是否多余",
                    Location(page=page, file=file),
                    params={"file": where, "page": page},
                    is_check=n == 0,
                )
            if not part.blank_pages:
                ctx.passed()


def _unusual(ch: str) -> bool:
    """A Chinese character outside GB2312's 3,755 common characters (level 1)."""
    if not ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch >= "\U00020000"):
        return False
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return encoded[0] > 0xD7


# U+FFFD, private use, control characters; Latin-1 mojibake; the classic GBK ones: “锟斤拷”
# (U+FFFD as UTF-8 read as GBK) and runs of 烫/屯 (uninitialised memory printed as GBK).
_BROKEN = re.compile(
    r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]|[\u00c0-\u00ff]{2,}"
    r"|(?:锟斤拷)+|烫{3,}|屯{3,}"
)


# A character _BROKEN's every alternative starts with: most text has none, and one search for
# them is much cheaper than trying the alternatives at every position.
_MAYBE_BROKEN = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\u00c0-\u00ff锟烫屯]")
# Characters already found common (`_unusual` False): a document repeats a few thousand
# characters, so each is tested once per process, not once per occurrence. Bounded, so that
# no input can grow it past a few megabytes.
_USUAL: set[str] = set()
_MAX_USUAL = 30_000


def _garbled(text: str) -> list[str]:
    """Replacement and private-use characters, Latin-1 mojibake (`Ã©`), and runs of three
    or more uncommon characters in a row (`鍗曚綅`, UTF-8 read as GBK): real names of places
    and people put at most two such characters together in the corpus."""
    found = [m.group() for m in _BROKEN.finditer(text)] if _MAYBE_BROKEN.search(text) else []
    if _USUAL.issuperset(text):
        return found  # no uncommon character at all
    new = set(text) - _USUAL
    unusual = {ch for ch in new if _unusual(ch)}
    if len(_USUAL) + len(new) <= _MAX_USUAL:
        _USUAL.update(new - unusual)
    if not unusual:
        return found
    run = ""
    for ch in text + " ":
        if ch in unusual:
            run += ch
            continue
        if len(run) >= 3:
            found.append(run)
        run = ""
    return found


@register
class GarbledText(Rule):
    id = "W004"
    slug = "garbled-text"
    title = "文字乱码"
    emits = (_W,)
    description = (
        "说明文字中出现乱码：替换字符 `�`、私用区字符（字体缺字时常见）、控制字符、拉丁字母乱码（`Ã©`）、"
        "“锟斤拷”“烫烫烫”，"
        "或连续三个以上的生僻汉字（GB2312 一级常用字以外；编码错误的乱码如“鍗曚綅”即是如此，而真实的"
        "地名人名在语料中最多两个连用）。表格中的文字与说明同样检查。"
    )
    bad = "“主要职能：鍗曚綅璐熻矗……”"
    good = "“主要职能：单位负责……”"

    def run(self, ctx: AuditContext) -> None:
        # Headings, form labels and row names repeat (a 类 name in five tables): each
        # distinct text is looked at once.
        seen: dict[str, str] = {}

        def garbled(text: str) -> str:
            found = seen.get(text)
            if found is None:
                found = seen[text] = _pieces(_garbled(text))
            return found

        for para in ctx.doc.paragraphs:
            if bad := garbled(para.text):
                ctx.report(
                    _W,
                    "疑似乱码{garbled}：「{text}」",
                    _where(ctx, para),
                    params={"garbled": bad, "text": _clip(para.text)},
                    actual=bad,
                )
        for table in ctx.doc.tables.values():
            for row in table.rows:
                if bad := garbled(row.label):
                    ctx.report(
                        _W,
                        "疑似乱码{garbled}：{table} {row}",
                        Location.of(row.loc, table=table.name, row=row.describe()),
                        params={"garbled": bad, "table": table.name, "row": row.describe()},
                        actual=bad,
                    )


def _pieces(found: list[str]) -> str:
    return "".join(f"“{x}”" for x in dict.fromkeys(found))


_PAIRS = (
    ("“", "”", "引号"),
    ("（(", "）)", "括号"),
    ("《", "》", "书名号"),
    ("【", "】", "方括号"),
    ("〔［[", "〕］]", "方括号"),
)


@register
class UnbalancedMarks(Rule):
    id = "W005"
    slug = "unbalanced-marks"
    title = "引号、括号不成对"
    emits = (_W,)
    description = (
        "一段完整的说明（以句号等结束的成段文字）中，左右引号、括号、书名号的个数不相等，或有孤立的"
        '英文双引号 `"`：多半是多了一个或漏了一个。全角与半角括号按同一种计（“(烟办发〔2024〕87号）”'
        "只是全半角混用，不算不成对）。PDF 读取时被分页或表格截断的段落不检查。"
    )
    bad = "“严格执行“过紧日子要求，压减一般性支出。”"
    good = "“严格执行“过紧日子”要求，压减一般性支出。”"

    def run(self, ctx: AuditContext) -> None:
        for _, para in _body(ctx):
            text = para.text.strip()
            if not _prose(text) or text[-1] not in _SENTENCE_END + "”":
                continue
            problems = []
            for left, right, name in _PAIRS:
                opened = sum(text.count(c) for c in left)
                closed = sum(text.count(c) for c in right)
                if opened != closed:
                    problems.append(f"{name}左 {opened} 个、右 {closed} 个")
            if text.count('"') % 2:
                problems.append(f'英文引号 " 有 {text.count(chr(34))} 个')
            if problems:
                ctx.report(
                    _W,
                    "引号或括号不成对（{problems}）：「{text}」",
                    _where(ctx, para),
                    params={"problems": "；".join(problems), "text": _clip(text, 80)},
                )


@register
class MissingFullStop(Rule):
    id = "W006"
    slug = "missing-full-stop"
    title = "段末缺少句号"
    emits = (_N,)
    description = (
        "成段的说明文字（前面已有以句号结束的句子）最后一句没有句号，而下一段是新的标题或编号条目。"
        "条目式列表（最后一句以编号开头）、目录、被分页或表格截断的段落不检查；是提示，不是错误。"
    )
    bad = "“……保障机构正常运转。项目支出主要用于法治宣传等工作”（下一段是“二、……”）"
    good = "“……保障机构正常运转。项目支出主要用于法治宣传等工作。”"

    def run(self, ctx: AuditContext) -> None:
        paragraphs = ctx.doc.paragraphs
        for index, para in _body(ctx):
            text = para.text.strip()
            if para.section is None or not _prose(text) or "。" not in text:
                continue
            if not re.search(rf"[{_CJK}\d%％]$", text) or "……" in text:
                continue
            last = re.split(r"[。；;！？]", text)[-1]
            if len(last) < 8 or _ENUM.match(last):
                continue
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if following is None or not (following.heading or _ENUM.match(following.text)):
                continue  # the paragraph may go on after a page break or a table
            ctx.report(
                _N,
                "段末缺少句号：「…{text}」",
                _where(ctx, para),
                params={"text": last[-30:]},
            )


_BASE_YEAR = re.compile(
    r"(?:比|较|与|同)(\d{4})年度?(?:[^，。；\d]{0,8}?)(?:预算|决算|执行|年初|同期)"
)
_TITLE_YEAR = re.compile(r"(\d{4})年度?(?:部门|单位)(?:预算|决算)")


@register
class YearMismatch(Rule):
    id = "W007"
    slug = "year-mismatch"
    title = "年份与文件年度不符"
    emits = (_W,)
    description = (
        "说明中的年份与文件的年度不符：同比的比较基数应是上一年（2026 年预算“比2024年预算增加”即错），"
        "标题中的“XXXX年部门预算”应是本年度（照抄上年文件时常见），预算文件中不应出现以后年度的部门预算。"
        "文件年度无法确定时不检查。"
    )
    bad = "2026 年部门预算中“2026年收入预算8,695.94万元，比2024年预算增加12.30万元”"
    good = "“2026年收入预算8,695.94万元，比2025年预算增加12.30万元”"

    def run(self, ctx: AuditContext) -> None:
        year = ctx.doc.year
        if year is None:
            return
        found = 0
        for para in ctx.doc.paragraphs:
            if "年" not in para.text:
                continue  # both patterns name a year `…年`
            for m in _BASE_YEAR.finditer(para.text):
                named = int(m.group(1))
                if named == year - 1 or para.heading:
                    continue
                found += 1
                ctx.report(
                    _W,
                    "比较基数的年份是 {named} 年，{year} 年文件应与 {expected} 年比较：「{text}」",
                    _where(ctx, para),
                    params={
                        "named": named,
                        "year": year,
                        "expected": year - 1,
                        "text": _around(para.text, m.start(), m.end()),
                    },
                    expected=str(year - 1),
                    actual=str(named),
                    is_check=found == 1,
                )
            for m in _TITLE_YEAR.finditer(para.text):
                named = int(m.group(1))
                wrong = named != year if para.heading else named > year and ctx.doc.kind == "预算"
                if not wrong:
                    continue
                found += 1
                ctx.report(
                    _W,
                    "“{title}”与文件年度 {year} 年不符：「{text}」",
                    _where(ctx, para),
                    params={
                        "title": m.group(),
                        "year": year,
                        "text": _around(para.text, m.start(), m.end()),
                    },
                    expected=str(year),
                    actual=str(named),
                    is_check=found == 1,
                )
        if not found:
            ctx.passed()
