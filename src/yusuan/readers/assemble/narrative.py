"""Narrative paragraphs → statements (subject, amount, share, change, reason) and sums.

The grammar is that of 情况说明 texts: `主体 X 万元，占 Y%，比上年预算增加 A 万元，增长 B%，
主要原因是…`, lists after `其中：` / `包括：`, and 类/款/项 paths written as
`教育支出（类）职业教育（款）中等职业教育（项）`. Binding subjects to table figures is left
to the audit, which knows the profile's subjects.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from yusuan.model.narrative import Change, Figure, StatedSum, Statement
from yusuan.readers.assemble.execution import (
    ExecutionHit,
    clause_lead,
    execution_hit,
    score_hit,
)
from yusuan.readers.assemble.figures import FigureMatch, figures_within, find_figures, to_figure
from yusuan.readers.ir import RawParagraph
from yusuan.text import strip_ordinal

_CLAUSE_END = "。；;！？!?"
_OPEN, _CLOSE = "（(《〈“[【", "）)》〉”]】"
_MARKER = re.compile(r"其中[：:，,]?|包括[：:]?")
# `包括` opens a list only at the head of its clause (`，主要包括…`, `具体包括：`) or before a
# colon; inside a phrase it is a word (深圳: `环境质量监测工作 4,097.79 万元，用于开展包括大气、
# 水…监测` lists nothing).
_CLAUSE_HEAD = re.compile(r"(?:^|[，,。；;：:（(])\s*(?:主要|具体|分别|其中|还|共)?\s*$")


def list_markers(text: str) -> list[re.Match[str]]:
    """The `其中`/`包括` markers of `text` that open a list."""
    if "其中" not in text and "包括" not in text:
        return []  # most segments
    return [
        m
        for m in _MARKER.finditer(text)
        if m.group().startswith("其中")
        or m.group().endswith(("：", ":"))
        or _CLAUSE_HEAD.search(text, max(0, m.start() - 8), m.start()) is not None
    ]


# 决算 texts lead in with what is explained: `决算数小于预算数的主要原因：…`.
_REASON = re.compile(
    r"^(?:决算数[大小]于预算数的|决算数与预算数[^，,；;。]{0,6}的)?"
    r"(?:主要原因(?:是|为)?\s*[：:]?|原因(?:是|为)\s*[：:]?|主要是由于|主要由于|系)"
)
# `比上年预算增加`, and the forms naming the year and what is compared (上海: `比2024年预算
# 增加`, `比2025年预算执行数减少1.10%`, `与2025年预算数持平`).
_CHANGE = re.compile(
    r"(?:比|较|与)\s*(?:上年|去年|\d{4}\s*年)(?:度)?\s*(?:年初|当年)?(?:预算执行数|执行数|预算数|预算|决算数|决算|数)?"
    # `比2025年年初预算数30385.62万元增加2466.43万元`: last year's amount, named in the sentence.
    r"\s*(?:的\s*)?(?P<base>\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元))?(?:相比)?"
    r"\s*(?P<word>增加|减少|增长|下降|持平|降低|无增减)"
)
_DIRECT_CHANGE = re.compile(r"^(?P<subj>.*?[^比较上年预算数度])\s*(?P<word>增加|减少)\s*(?=[-−\d])")
_PCT_WORD = re.compile(r"(?P<word>增长|下降|增幅|降幅|降低|减少|增加)(?:了)?\s*(?:为)?\s*$")
_SHARE = re.compile(r"占(?:比)?(?:为)?[^%％，,]{0,20}?$")
# The level word may carry the code's digits: `公共安全支出（204类）司法（06款）行政运行（01项）`.
_PATH = re.compile(
    r"(?P<l1>[^（）()：:，,]+?)[（(]\s*(?P<c1>\d*)\s*类[)）]"
    r"(?:(?P<l2>[^（）()：:，,]+?)[（(]\s*(?P<c2>\d*)\s*款[)）])?"
    r"(?:(?P<l3>[^（）()：:，,]+?)[（(]\s*(?P<c3>\d*)\s*项[)）])?"
)
_QUOTES = "“”\"'‘’「」《》"
_YEAR = re.compile(r"\d{4}\s*年(?:度)?|本年度?|今年")
_TRAILING = re.compile(r"(?:预算数为|预算为|预算数|为|是|：|:|共计|总额为)+$")
_TRAILING_ENDS = ("为", "数", "是", "：", ":", "计")  # the last characters of its words
_LEADING = re.compile(r"^(?:其中[：:，,]?|包括[：:]|[，,、：:\s])+")


@dataclass(slots=True)
class Segment:
    text: str
    start: int  # offset in the paragraph


def split_clauses(text: str) -> list[Segment]:
    """Split at sentence ends (。；) outside brackets."""
    return _split(text, 0, _CLAUSE_MARKS, False)


def split_segments(clause: Segment) -> list[Segment]:
    """Split a clause at commas (not thousands separators) and before 其中/包括 markers."""
    out: list[Segment] = []
    for seg in _split(clause.text, clause.start, _SEGMENT_MARKS, True):
        pieces = [m.start() for m in list_markers(seg.text) if m.start() > 0]
        prev = 0
        for p in pieces:
            out.append(Segment(seg.text[prev:p], seg.start + prev))
            prev = p
        out.append(Segment(seg.text[prev:], seg.start + prev))
    return [s for s in out if s.text.strip()]


# The characters a split looks at: the brackets (a separator inside them does not split) and
# its separators — sentence ends for clauses, commas for segments.
_CLAUSE_MARKS = re.compile(r"[。；;！？!?（(《〈“\[【）)》〉”\]】]")
_SEGMENT_MARKS = re.compile(r"[，,（(《〈“\[【）)》〉”\]】]")


def _split(text: str, base: int, marks: re.Pattern[str], at_commas: bool) -> list[Segment]:
    """Cut `text` at the separators `marks` finds outside brackets: sentence ends, or (with
    `at_commas`) `，` and a `,` that is not a thousands separator."""
    out: list[Segment] = []
    depth = 0
    start = 0
    for m in marks.finditer(text):
        ch = m.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            if depth > 0:
                depth -= 1
        elif depth == 0:
            i = m.start()
            if at_commas:
                if ch == "," and text[i + 1 : i + 2].isdigit():
                    continue
            elif ch not in _CLAUSE_END:
                continue
            out.append(Segment(text[start:i], base + start))
            start = i + 1
    if start < len(text):
        out.append(Segment(text[start:], base + start))
    return out


# `其中：按功能分类支出划分为一般公共服务支出 X 万元`: the lead-in names no subject.
_LEAD_IN = re.compile(r"^按[^，,：:；;。]{1,12}?划分为")


_WHITESPACE = re.compile(r"\s+")


def clean_subject(text: str, department: str | None) -> str:
    t = _LEAD_IN.sub("", _LEADING.sub("", text.strip()))
    if "：" in t or ":" in t:
        head, tail = t.replace(":", "：").rsplit("：", 1)
        t = tail if tail.strip() and not ("类" in head and _PATH.search(head)) else head
    t = strip_ordinal(t)
    if department:
        t = t.replace(department, "")
    if "年" in t:  # every form of _YEAR has it
        t = _YEAR.sub("", t)
    t = _WHITESPACE.sub("", t)
    if t.endswith(_TRAILING_ENDS):  # _TRAILING is anchored at the end: it needs one of these
        t = _TRAILING.sub("", t)
    return t.strip("，,、的")


def _path(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Names, level words and the code digits printed with them (empty when not printed)."""
    m = _PATH.search(text) if "类" in text else None  # a path names its 类
    if not m:
        return (), (), ()
    names: list[str] = []
    levels: list[str] = []
    codes: list[str] = []
    for key, word in (("l1", "类"), ("l2", "款"), ("l3", "项")):
        value = m.group(key)
        if value:
            codes.append(m.group("c" + key[1]))
            # `1.“一般公共服务支出（类）…（项）”科目`: the quotes are not part of the names.
            names.append(strip_ordinal(_WHITESPACE.sub("", value).strip(_QUOTES)).strip(_QUOTES))
            levels.append(word)
    return tuple(names), tuple(levels), tuple(codes) if all(codes) else ()


# A bracketed aside that states changes of its own (`公务用车购置及运行维护费24.8万元（公务用车
# 购置费0万元，比上年减少19.6万元；…。）比上年减少25.05万元，下降50.3%`).
_ASIDE = re.compile(r"[（(][^（）()]*?(?:比|较)(?:上年|去年|\d{4}\s*年)[^（）()]*?[）)]")


def paragraph_to_statements(
    para: RawParagraph,
    index: int,
    section: str | None,
    department: str | None,
    figures: list[FigureMatch] | None = None,
) -> list[Statement]:
    """The statements of a paragraph. Bracketed asides with changes of their own are read
    apart from the sentence around them, so that the change after the bracket stays with the
    amount before it. Offsets are kept (the other text is blanked, not cut), so every figure
    is still located where it is printed. `figures`: the paragraph's, when already found."""
    asides = [m for m in _ASIDE.finditer(para.text) if para.text[m.end() : m.end() + 1].strip()]
    if not asides:
        return _statements(para, index, section, department, figures)
    text = para.text
    outer = list(text)
    for m in asides:
        outer[m.start() : m.end()] = " " * (m.end() - m.start())
    out = _statements(replace(para, text="".join(outer)), index, section, department)
    for m in asides:
        inner = (
            " " * (m.start() + 1)
            + text[m.start() + 1 : m.end() - 1]
            + " " * (len(text) - m.end() + 1)
        )
        out += _statements(replace(para, text=inner), index, section, department)
    return out


def _statements(
    para: RawParagraph,
    index: int,
    section: str | None,
    department: str | None,
    figures: list[FigureMatch] | None = None,
) -> list[Statement]:
    statements: list[Statement] = []
    current: Statement | None = None
    lead: str | None = None  # a subject printed alone before its figures (决算 paragraphs)
    score: Figure | None = None  # `项目自评得分为94.7分` before the statement it belongs to
    for clause in split_clauses(para.text):
        segments = split_segments(clause)
        # Each segment is scanned for figures once; the clause's lead, the execution phrases
        # and the statement grammar all read these.
        seg_figures = [_segment_figures(para.text, seg, figures) for seg in segments]
        lead = clause_lead(
            clause.text,
            lead,
            any(f.is_money or f.is_percent for figs in seg_figures for f in figs),
        )
        k = 0
        while k < len(segments):
            seg = segments[k]
            body = _LEADING.sub("", seg.text).strip()
            if _REASON.match(body):
                target = current or (statements[-1] if statements else None)
                if target is not None and target.reason is None:
                    rest = clause.text[seg.start - clause.start :]
                    target.reason = _REASON.sub("", _LEADING.sub("", rest).strip()).strip()
                    target.reason_loc = para.loc_span(seg.start, clause.start + len(clause.text))
                break
            span = score_hit(seg.text)
            if span is not None:
                score = _score_figure(seg, span, para)
                if current is not None and current.score is None:
                    current.score, score = score, None
                k += 1
                continue
            rest = clause.text[seg.start - clause.start + len(seg.text) :]
            hit = execution_hit(seg.text, rest, seg_figures[k])
            if hit is not None:
                handled, made = _execution(hit, seg, para, current, lead, department)
                if made is not None:
                    made.section, made.paragraph = section, index
                    if score is not None:
                        made.score, score = score, None
                    statements.append(made)
                    current = made
                if handled:
                    k += 1
                    continue
            new = _segment_statement(
                seg, body, para, current, section, department, index, seg_figures[k]
            )
            if new is not None:
                statements.append(new)
                current = new
            k += 1
    _link_restatements(statements)
    return statements


def _segment_figures(
    text: str, seg: Segment, figures: list[FigureMatch] | None
) -> list[FigureMatch]:
    """The figures of a segment: from the paragraph's where its edges change nothing."""
    if figures is not None:
        found = figures_within(text, seg.start, seg.start + len(seg.text), figures)
        if found is not None:
            return found
    return find_figures(seg.text)


# `2025年当年预算执行数为…`, `上年预算数为…`: the amount a following change is measured against.
_BASE_SUBJECT = re.compile(r"(?:执行数|上年(?:预算)?数?)$")
# `2026年预算安排…`: this year's amount again, of the subject named earlier in the paragraph.
_RESTATED_SUBJECT = re.compile(r"^(?:预算安排|安排|预算|预算数)$")


def _differs(st: Statement, head: Statement) -> bool:
    return st.amount is not None and (head.amount is None or st.amount.value != head.amount.value)


def _link_restatements(statements: list[Statement]) -> None:
    """Tie a (项) paragraph's later sentences to its head: `…行政运行（01项）1434.89万元。…
    2025年当年预算执行数为1690.69万元，2026年预算安排1434.89万元，比2025年预算执行数减少…%`.
    The restated amount takes the head's 类/款/项 path (so it is checked against the table);
    the stated earlier amount becomes the base of the change that follows it."""
    head: Statement | None = None
    base: Figure | None = None
    for st in statements:
        if st.path:
            head, base = st, None
            continue
        if st.amount is not None and st.change is None and _BASE_SUBJECT.search(st.subject):
            base = st.amount
            continue
        # Restating the head's amount adds nothing to check; a different amount is checked.
        if head is not None and _RESTATED_SUBJECT.match(st.subject) and _differs(st, head):
            st.subject, st.path = head.subject, head.path
            st.path_levels, st.path_codes = head.path_levels, head.path_codes
        if st.change is not None and st.change.amount is None and base is not None:
            st.change.base = base
            base = None


def _segment_statement(
    seg: Segment,
    body: str,
    para: RawParagraph,
    current: Statement | None,
    section: str | None,
    department: str | None,
    index: int,
    figures: list[FigureMatch] | None = None,
) -> Statement | None:
    """Read one comma-separated segment; return a new statement or update `current`."""
    if figures is None:
        figures = find_figures(seg.text)
    text = seg.text
    # Both patterns need their words: most segments have neither (cheap tests first).
    change_m = _CHANGE.search(text) if ("比" in text or "较" in text or "与" in text) else None
    direct = (
        _DIRECT_CHANGE.match(body)
        if change_m is None and ("增加" in body or "减少" in body)
        else None
    )
    if change_m is not None or direct is not None:
        word = change_m.group("word") if change_m else direct.group("word")  # type: ignore[union-attr]
        pos = change_m.start() if change_m else seg.text.find(word)
        before = [f for f in figures if f.end <= pos]
        word_pos = change_m.start("word") if change_m else pos
        after = [f for f in figures if f.start >= word_pos]
        stated_base = (
            next((f for f in figures if pos <= f.start < word_pos and f.is_money), None)
            if change_m is not None and change_m.group("base")
            else None
        )
        subject_text = seg.text[:pos]
        target = current
        if not before and clean_subject(subject_text, department):
            target = _new_statement(seg, subject_text, para, section, department, index)
        elif before and before[0].is_money:
            target = _new_statement(
                seg, seg.text[: before[0].start], para, section, department, index
            )
            target.amount = to_figure(before[0], para, seg.start)
        if target is None:
            return None
        amount = next((f for f in after if not f.is_percent), None)
        pct = next((f for f in after if f.is_percent), None)
        target.change = Change(
            word=_direction_word(word),
            amount=to_figure(amount, para, seg.start) if amount else None,
            base=to_figure(stated_base, para, seg.start) if stated_base else None,
        )
        if pct is not None:
            _set_pct(target.change, word, pct, para, seg.start)
        return target if target is not current else None
    if figures and figures[0].is_percent and current is not None:
        first = figures[0]
        prefix = seg.text[: first.start]
        if _SHARE.search(prefix) and current.share is None:
            current.share = to_figure(first, para, seg.start)
            return None
        m = _PCT_WORD.search(prefix)
        if m and current.change is not None and current.change.pct is None:
            _set_pct(current.change, m.group("word"), first, para, seg.start)
            return None
        return None
    money = [f for f in figures if f.is_money]
    if money:
        first = money[0]
        st = _new_statement(seg, seg.text[: first.start], para, section, department, index)
        st.amount = to_figure(first, para, seg.start)
        tail = seg.text[first.end :]
        share = [f for f in find_figures(tail) if f.is_percent]
        if share and "占" in tail:
            st.share = to_figure(share[0], para, seg.start + first.end)
        return st
    return None


def _score_figure(seg: Segment, span: tuple[int, int], para: RawParagraph) -> Figure:
    raw = seg.text[span[0] : span[1]]
    start, end = seg.start + span[0], seg.start + span[1]
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return Figure(Decimal(raw), "分", raw, para.loc_span(start, end), decimals)


def _execution(
    hit: ExecutionHit,
    seg: Segment,
    para: RawParagraph,
    current: Statement | None,
    lead: str | None,
    department: str | None,
) -> tuple[bool, Statement | None]:
    """Apply a 决算 execution phrase: (handled, new statement)."""
    fig = to_figure(hit.figure, para, seg.start)
    named = clean_subject(hit.subject_text, department) not in ("", "支出")
    open_budget = current is not None and current.budget is not None and current.amount is None
    if hit.kind == "completion":
        if current is None or current.completion is not None:
            return False, None
        current.completion = fig
        return True, None
    if hit.kind == "actual":
        if not named and open_budget:
            assert current is not None
            current.amount = fig
            return True, None
        if not hit.decisive:
            return False, None  # `执行数为` outside a budget/决算 pair: the usual grammar
    subject = hit.subject_text if named else (lead or "")
    st = _new_statement(seg, subject, para, None, department, -1)
    if hit.kind == "actual":
        st.amount = fig
    else:
        st.budget = fig
    return True, st


def _direction_word(word: str) -> str:
    # 西安 writes `较上年无增减` for 持平.
    return {"增长": "增加", "下降": "减少", "降低": "减少", "无增减": "持平"}.get(word, word)


def _set_pct(change: Change, word: str, pct: FigureMatch, para: RawParagraph, offset: int) -> None:
    change.pct_word = {
        "增幅": "增长",
        "降幅": "下降",
        "增加": "增长",
        "减少": "下降",
        "降低": "下降",
    }.get(word, word)
    change.pct = to_figure(pct, para, offset)


def _new_statement(
    seg: Segment,
    subject_text: str,
    para: RawParagraph,
    section: str | None,
    department: str | None,
    index: int,
) -> Statement:
    path, levels, codes = _path(subject_text)
    if path:
        # As the document writes it: 教育支出（类）职业教育（款）中等职业教育（项）
        subject = "".join(f"{name}（{level}）" for name, level in zip(path, levels, strict=True))
    else:
        subject = clean_subject(subject_text, department)
    return Statement(
        subject=subject,
        text=seg.text.strip(),
        loc=para.loc_span(seg.start, seg.start + len(seg.text)),
        section=section,
        path=path,
        path_levels=levels,
        path_codes=codes,
        paragraph=index,
    )


# ───────────────────────────── sums stated in words ─────────────────────────────

_CHANGE_BEFORE = re.compile(r"(增加|减少|增长|下降|降低)\s*$")
_PARENS = re.compile(r"[（(][^（）()]*[)）]")
_REASON_SPAN = re.compile(r"主要原因[^；;。]*")


def _unit_kind(unit: str) -> str:
    return "money" if unit in ("万元", "元", "亿元") else unit


@dataclass(slots=True)
class _Fig:
    match: FigureMatch
    offset: int  # offset of the clause text in the paragraph
    change: int  # 0 plain, +1 增加, −1 减少
    in_parens: bool

    @property
    def start(self) -> int:
        return self.offset + self.match.start


_THRESHOLD = ("以上", "以下", "及以上", "及以下")


def _figures_with_context(text: str, base: int) -> list[_Fig]:
    masked_reason = _REASON_SPAN.sub(lambda m: "\0" * len(m.group()), text)
    parens = [(m.start(), m.end()) for m in _PARENS.finditer(text)]
    out: list[_Fig] = []
    for f in find_figures(text):
        if masked_reason[f.start] == "\0" or f.is_percent:
            continue
        if text.startswith(_THRESHOLD, f.end):
            continue  # `单位价值50万元以上设备`: a threshold in a label, not an amount
        before = text[max(0, f.start - 4) : f.start]
        m = _CHANGE_BEFORE.search(before)
        sign = 0 if m is None else (-1 if m.group(1) in ("减少", "下降", "降低") else 1)
        inside = any(a <= f.start < b for a, b in parens)
        out.append(_Fig(f, base, sign, inside))
    return out


def paragraphs_to_stated_sums(
    paras: list[tuple[RawParagraph, str | None]],
) -> Iterator[StatedSum]:
    """Every `total，其中：parts` in the paragraphs; a trailing `其中：` takes the next
    paragraphs' leading figures as its parts (one part per paragraph)."""
    for idx, (para, section) in enumerate(paras):
        text = para.text
        if "其中" not in text and "包括" not in text:
            continue  # no list here; most paragraphs
        figs = _figures_with_context(text, 0)
        all_markers = list_markers(text)
        parens = [(m.start(), m.end()) for m in _PARENS.finditer(text)]
        for marker in all_markers:
            # A `其中` inside brackets lists the parts of the figure just before the bracket
            # (湖南: `公务用车购置及运行费400.00万元（其中，购置费150.00万元，运行费250.00万元）`)
            # and is no end of the list around it.
            inner = next(((a, b) for a, b in parens if a <= marker.start() < b), None)
            markers = [m for m in all_markers if (inner is None) == _outside(m, parens)]
            mi = markers.index(marker)
            # A list ends at the next marker or at the end of its sentence, whichever comes
            # first (中央: `…服务支出1792.72万元。授予中小企业合同金额…，其中：…`).
            end = _sentence_end(text, marker) if inner is None else inner[1]
            if mi + 1 < len(markers):
                # The clause that opens the next list states that list's total (西安: `收入
                # 5,093.76万元，其中：…；支出5,093.76万元，其中：…`): it is not a part of this one.
                nxt = markers[mi + 1].start()
                cut = max(text.rfind("；", marker.end(), nxt), text.rfind(";", marker.end(), nxt))
                end = min(end, cut if cut > 0 else nxt)
            # The total is stated in the list's own sentence, or in the one before when the
            # list opens a sentence (`…583.00万元（…总计1030万元）。其中，…`).
            start = _total_scope(text, marker.start())
            before = [f for f in figs if start <= f.start < marker.start()]
            if not before:
                continue
            signed = before[-1].change != 0
            parts_src: list[tuple[_Fig, RawParagraph]] = [
                (f, para)
                for f in figs
                if marker.end() <= f.start < end
                and (inner is not None or not f.in_parens)
                and ((f.change != 0) if signed else (f.change == 0))
            ]
            if len(parts_src) >= 3 and text[parts_src[0][0].offset + parts_src[0][0].match.end :][
                :1
            ] in ("：", ":"):
                # `其中一般公共预算拨款政府采购 2,521.44 万元：货物…、工程…、服务…`: the first
                # item heads a list of its own; its items add up to it, not to the total above.
                before, parts_src = [parts_src[0][0]], parts_src[1:]
            trailing = not text[marker.end() :].strip()
            first_stop = min(
                (
                    i
                    for i in (text.find("；", marker.end()), text.find(";", marker.end()))
                    if i >= 0
                ),
                default=len(text),
            )
            if not trailing:
                # `其中气象预报预警基础业务运行服务包括…16 项服务；…（2）…258.00 万元`: the
                # clause after the marker lists no amount; the amounts after the `；` are the
                # enclosing list's next items (深圳 气象局). A list starts in its first clause.
                opened = {_unit_kind(f.match.unit) for f, _ in parts_src if f.start < first_stop}
                parts_src = [p for p in parts_src if _unit_kind(p[0].match.unit) in opened]
                # Items listed with `，`/`、` end at the `；`: `实有人员303人，其中行政71人，
                # 事业232人；单位管理的离退休人员共188人` (西安科技局) lists two.
                early = Counter(
                    _unit_kind(f.match.unit) for f, _ in parts_src if f.start < first_stop
                )
                parts_src = [
                    p
                    for p in parts_src
                    if p[0].start < first_stop or early[_unit_kind(p[0].match.unit)] < 2
                ]
            if trailing:
                # The next paragraphs' leading figures are plain amounts, so is their total
                # (`37.91万元，比上年减少10万元。其中：` lists parts of the 37.91).
                parts_src = list(_following_parts(paras, idx, section))
                signed = False
                parent = _coded_parent(text, figs, parts_src)
                if parent is not None:
                    before = [parent]
            if not parts_src:
                continue
            partial = text[max(0, marker.start() - 2) : marker.start()] == "主要"
            for ss in _sums_for_marker(para, section, before, parts_src, signed, text):
                ss.partial = partial
                yield ss


_BRACKET_CODE = re.compile(r"[（(]\s*(\d{3,7})\s*[)）]\s*$")


def _coded_parent(
    text: str, figs: list[_Fig], parts: list[tuple[_Fig, RawParagraph]]
) -> _Fig | None:
    """The figure whose printed code heads every item's code, when the items print codes.

    西安: `（1）进修及培训（20508）102.32 万元…具体为：人员经费…；专项业务经费 74.00 万元…。
    其中：` then `①培训支出（2050803）102.32 万元`: the ① items are the 项 of 款 20508, not
    parts of the last amount before `其中：`.
    """
    codes = []
    for f, src in parts:
        m = _BRACKET_CODE.search(src.text[: f.start])
        if m is None:
            return None
        codes.append(m.group(1))
    if not codes:
        return None
    for f in figs:
        m = _BRACKET_CODE.search(text[: f.start])
        if m is None or f.change != 0:
            continue
        code = m.group(1)
        if all(c.startswith(code) and len(c) > len(code) for c in codes):
            return f
    return None


def _outside(marker: re.Match[str], parens: list[tuple[int, int]]) -> bool:
    return not any(a <= marker.start() < b for a, b in parens)


def _total_scope(text: str, pos: int) -> int:
    """Where the sentence holding a list's total begins."""
    start = text.rfind("。", 0, pos) + 1
    if not text[start:pos].strip(" ，,：:"):
        start = text.rfind("。", 0, max(0, start - 1)) + 1
    return start


def _sentence_end(text: str, marker: re.Match[str]) -> int:
    pos = text.find("。", marker.end())
    return len(text) if pos < 0 else pos


_CN_DIGITS = "一二三四五六七八九十"
_ENUMERATION = re.compile(
    r"^\s*(?:(?P<pcn>[（(][一二三四五六七八九十]+[)）])|(?P<cn>[一二三四五六七八九十]+[、.．])"
    r"|(?P<par>[（(]\d{1,2}[)）])|(?P<dot>\d{1,2}[、.．](?!\d))|(?P<circ>[①-⑳]))"
)


def enumeration(text: str) -> tuple[str, int] | None:
    """The list marker a paragraph opens with, as (style, number): `（1）` → ("par", 1),
    `2．` → ("dot", 2), `（三）` → ("pcn", 3), `一、` → ("cn", 1), `③` → ("circ", 3)."""
    m = _ENUMERATION.match(text)
    if m is None or m.lastgroup is None:
        return None
    style = m.lastgroup
    token = re.sub(r"[（()）、.．\s]", "", m.group(style))
    if style == "circ":
        return style, ord(token) - ord("①") + 1
    if style in ("pcn", "cn"):
        return style, _cn_number(token)
    return style, int(token)


def _cn_number(token: str) -> int:
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + _CN_DIGITS.index(token[1]) + 1
    if token.endswith("十"):
        return (_CN_DIGITS.index(token[0]) + 1) * 10
    if "十" in token:
        tens, ones = token.split("十")
        return (_CN_DIGITS.index(tens) + 1) * 10 + _CN_DIGITS.index(ones) + 1
    return _CN_DIGITS.index(token[0]) + 1


def _following_parts(
    paras: list[tuple[RawParagraph, str | None]], idx: int, section: str | None
) -> Iterator[tuple[_Fig, RawParagraph]]:
    following = paras[idx + 1 :]
    first = next((enumeration(p.text) for p, _ in following[:1]), None)
    if first is not None:
        yield from _enumerated_parts(following, section, first, enumeration(paras[idx][0].text))
        return
    # Items ending in `；` mark their last one with `。` (西安: `…经费0.00万元，较上年无增减；`
    # … `…购置费0.00万元，较上年无增减。`); what follows is a new statement, not an item.
    semicolons = False
    for n, (para, sec) in enumerate(following):
        if sec != section or para.heading_level is not None:
            return
        figs = [f for f in _figures_with_context(para.text, 0) if f.change == 0]
        if figs and figs[0].match.is_money:
            yield figs[0], para
        elif figs:
            return
        ending = para.text.rstrip()[-1:]
        if n == 0:
            semicolons = ending in ("；", ";")
        elif semicolons and ending == "。":
            return


def _enumerated_parts(
    following: list[tuple[RawParagraph, str | None]],
    section: str | None,
    first: tuple[str, int],
    parent: tuple[str, int] | None,
) -> Iterator[tuple[_Fig, RawParagraph]]:
    """The items of a numbered list under a trailing `其中：`/`包括：`: the paragraphs numbered
    in the first item's style, in sequence (`1．` `2．` …). Paragraphs numbered otherwise are
    the items' own sub-lists and are passed over; the list ends at a heading, another
    section, the parent's numbering (`（二）` after the `（一）…包括：` list) or a break in the
    sequence — never running on into the next section's amounts."""
    style, expected = first
    for para, sec in following:
        if sec != section or para.heading_level is not None:
            return
        marker = enumeration(para.text)
        if marker is None:
            continue  # the previous item's text, continued
        if marker[0] != style:
            if parent is not None and marker[0] == parent[0]:
                return
            continue  # a sub-item
        if marker[1] != expected:
            return
        expected += 1
        figs = [f for f in _figures_with_context(para.text, 0) if f.change == 0]
        if not figs or not figs[0].match.is_money:
            return  # an item without an amount: the list is not a sum of amounts
        yield figs[0], para


def _sums_for_marker(
    para: RawParagraph,
    section: str | None,
    before: list[_Fig],
    parts_src: list[tuple[_Fig, RawParagraph]],
    signed: bool,
    text: str,
) -> Iterator[StatedSum]:
    kinds = {_unit_kind(f.match.unit) for f, _ in parts_src}
    for kind in sorted(kinds):
        totals = [
            f for f in before if _unit_kind(f.match.unit) == kind and ((f.change != 0) == signed)
        ]
        if not totals:
            continue
        parts: list[tuple[str, Figure]] = []
        for f, src in parts_src:
            if _unit_kind(f.match.unit) != kind:
                continue
            fig = to_figure(f.match, src, 0)
            if signed and f.change < 0:
                fig.value = -fig.value
            parts.append((_label_before(src.text, f.match.start), fig))
        # The nearest total not inside brackets is the stated total; the others stay
        # candidates (a list may sum to a total given earlier in the sentence).
        plain = [t for t in totals if not t.in_parens] or totals
        total = plain[-1]
        total_fig = to_figure(total.match, para, 0)
        if all(f.value == 0 for _, f in parts) and total_fig.value != 0:
            # `项目支出预算 7633.51 万元。其中：1.事业单位经营支出 0 万元。2.上缴上级支出 0 万元`
            # (北京): items that happen to be nil are no breakdown of the total.
            continue
        if len(parts) >= 2 and all(f.value == total_fig.value for _, f in parts):
            # `收入、支出预算总计各 X 万元。其中：（一）收入预算总计 X …（二）支出预算总计 X`:
            # each item restates the total, respectively; nothing is summed.
            continue
        if signed and total.change < 0:
            total_fig.value = -total_fig.value
        candidates = []
        for t in totals:
            fig = to_figure(t.match, para, 0)
            if signed and t.change < 0:
                fig.value = -fig.value
            candidates.append(fig)
        yield StatedSum(
            total=total_fig,
            parts=parts,
            text=text,
            loc=para.loc,
            section=section,
            signed=signed,
            total_label=_label_before(text, total.match.start),
            candidates=candidates,
        )


_LABEL_CUT = re.compile(r"[，；;：:、。]|,(?!\d)")
_LIST_WORD = re.compile(r"^(?:其中|包括)")


def _label_before(text: str, pos: int) -> str:
    head = text[:pos]
    cuts = [m.end() for m in _LABEL_CUT.finditer(head)]
    label = head[cuts[-1] :] if cuts else head
    label = _LIST_WORD.sub("", label)
    return strip_ordinal(_WHITESPACE.sub("", label)).strip("，,、") or head[-12:]


# ───────────────────────────── counted amounts ─────────────────────────────

_COUNTED = re.compile(
    r"(?P<label>[^，,；;。：:]*?)(?P<n>\d+)\s*个(?P<what>[^，,；;。\d]*?)[，,]?\s*"
    r"(?:共)?涉及(?:预算)?(?:金额|资金)(?:为)?\s*(?P<amt>[\d,]+(?:\.\d+)?)\s*万元"
)


@dataclass(slots=True)
class CountedMatch:
    label: str
    count: FigureMatch
    amount: FigureMatch


def find_counted(text: str) -> list[tuple[str, int, int, int, int]]:
    """(label, count-start, count-end, amount-start, amount-end) for `N 个…涉及金额 X 万元`."""
    out: list[tuple[str, int, int, int, int]] = []
    if "涉及" not in text or "个" not in text:
        return out
    for m in _COUNTED.finditer(text):
        # Spacing around the figure (`部门有 18 个涉密项目`) is no part of the label.
        label = re.sub(r"\s+", "", m.group("label") + m.group("what"))
        label = re.sub(r"^\d{4}年[,，]?", "", label)
        out.append((label, m.start("n"), m.end("n"), m.start("amt"), m.end("amt")))
    return out
