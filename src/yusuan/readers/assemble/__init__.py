"""RawDocument + profile → typed Document. Shared by every reader."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from functools import lru_cache

from yusuan.errors import InputError
from yusuan.kinds import table_kind
from yusuan.limits import checkpoint
from yusuan.model.document import (
    Document,
    ExtraTablePlace,
    ParagraphPlace,
    PerformancePlace,
    Place,
    ReadNote,
    TablePlace,
)
from yusuan.model.narrative import CountedAmount, Figure, Paragraph
from yusuan.model.provenance import Loc, SourceInfo
from yusuan.model.tables import Table
from yusuan.money import Unit
from yusuan.profiles import choose_profile, profile_fit
from yusuan.profiles.generic import GENERIC_CONFIDENCE, GENERIC_ID
from yusuan.profiles.schema import Profile, SectionSpec, TableSpec
from yusuan.readers import numbering
from yusuan.readers.assemble.contents import contents_notes, listed_tables
from yusuan.readers.assemble.figures import FigureMatch, find_figures, to_figure
from yusuan.readers.assemble.generic import Inference, has_amounts, infer_profile, row_sum_failures
from yusuan.readers.assemble.generic import readable as generic_readable
from yusuan.readers.assemble.named_codes import resolve_named_codes
from yusuan.readers.assemble.narrative import (
    clean_subject,
    find_counted,
    paragraph_to_statements,
    paragraphs_to_stated_sums,
)
from yusuan.readers.assemble.overview import paragraphs_to_overview
from yusuan.readers.assemble.performance import continues_form, raw_to_performances
from yusuan.readers.assemble.performance_grid import grid_to_performance
from yusuan.readers.assemble.projects import paragraphs_to_projects
from yusuan.readers.assemble.selfeval import raw_to_selfeval
from yusuan.readers.assemble.tables import type_table
from yusuan.readers.ir import (
    RawDocument,
    RawParagraph,
    RawParagraphPlace,
    RawRow,
    RawTable,
    RawTablePlace,
)
from yusuan.text import normalize_name

__all__ = ["assemble", "match_key"]

# Below this share of its required tables recognised, a template is not trusted (see assemble).
MIN_CONFIDENCE = 0.34
# A template is applied only when it recognises half its required tables or more and fits them.
MIN_FIT_CONFIDENCE = 0.5
_PART = re.compile(r"第[一二三四五六七八九十]+部分")
# `2024年部门预算`, `2025年度部门决算`, `2025年区级部门预算` (上海 covers).
_YEAR_KIND = re.compile(
    r"(\d{4})\s*年(?:度)?\s*(?:[省市区县]级)?\s*(?:部门|单位)?\s*(?:综合)?(预算|决算)"
)
_STATEMENT_KINDS = ("statements", "other", "performance")


@lru_cache(maxsize=4096)
def match_key(text: str) -> str:
    """Comparison key for titles and headings: normalised, quotes dropped."""
    return normalize_name(text).replace('"', "").replace("'", "")


def assemble(raw: RawDocument, source: SourceInfo, profile: Profile | None = None) -> Document:
    for table in raw.tables:
        numbering.lift(table)
        _header_of_empty(table)
    inferred: Inference | None = None
    near_miss = ""
    trial: _Trial | None = None  # the tables as the chosen template typed them to judge its fit
    if profile is None:
        # Printed table labels (`公开01表`) are template words too.
        labels = " ".join(t.label for t in raw.tables if t.label)
        sample = " ".join(p.text for p in raw.paragraphs[:80]) + " " + labels
        choice = choose_profile([t.title for t in raw.tables], sample)
        if choice is None or choice.matched_titles == 0:
            # No template recognises a table: read it with the generic profile, inferred
            # from the document itself, unless it is no disclosure at all.
            if not generic_readable(raw):
                raise InputError(_not_a_disclosure(raw, source))
            inferred = infer_profile(raw)
            profile, confidence = inferred.profile, GENERIC_CONFIDENCE
        elif choice.confidence < MIN_CONFIDENCE and generic_readable(raw):
            # A template that recognises under a third of its own tables is more likely a
            # different one: typing by it would report the rest as missing. Read generically.
            inferred = infer_profile(raw)
            profile, confidence = inferred.profile, GENERIC_CONFIDENCE
            near_miss = (
                f"最接近的模板「{choice.profile.name}」只认出 {choice.matched_titles} 张必备表"
                f"（置信度 {choice.confidence}），已按通用模板读取；如确属该模板，可用 --profile "
                f"{choice.profile.id} 指定"
            )
        else:
            profile, confidence = choice.profile, choice.confidence
            misfit, trial = _misfit(raw, source, profile, choice.confidence)
            if misfit and generic_readable(raw):
                # A regional template is applied only where it fits the tables it claims:
                # typing a different template's tables by it turns every shifted column into a
                # false error. The document's own structure is read instead.
                inferred = infer_profile(raw)
                profile, confidence = inferred.profile, GENERIC_CONFIDENCE
                trial = None
                near_miss = (
                    f"模板「{choice.profile.name}」与本文件不符（{misfit}），已按文件自身的表头"
                    f"读取；如确属该模板，可用 --profile {choice.profile.id} 指定"
                )
    elif profile.id == GENERIC_ID and not profile.tables:
        if not generic_readable(raw):
            raise InputError(_not_a_disclosure(raw, source))
        inferred = infer_profile(raw, profile)
        profile, confidence = inferred.profile, GENERIC_CONFIDENCE
    else:  # forced with --profile: as confident as its tables are found, not more
        confidence = profile_fit(profile, [t.title for t in raw.tables])
    doc = Document(
        source=source,
        profile=profile.id,
        profile_name=profile.name,
        profile_confidence=confidence,
        kind=profile.kind,
    )
    if inferred is not None:
        doc.inferred_profile = inferred.profile
        if near_miss:
            doc.notes.append(ReadNote("generic", near_miss, Loc()))
        doc.notes += [
            ReadNote("generic" if reported else "generic-table", message, loc)
            for message, loc, reported in inferred.notes
        ]
    # What the format reader could not read (a scanned page, a damaged one): the report says so.
    doc.notes += [ReadNote("unread", message, loc) for message, loc in raw.warnings]
    doc.department, doc.year = _department_and_year(raw)
    sections = _assign_sections(raw, profile, doc)
    para_sections = list(zip(raw.paragraphs, sections, strict=True))
    kinds = {key: spec.kind for key, spec in profile.section_index().items()}
    overview_paras = [p for p, s in para_sections if s is not None and kinds.get(s) == "overview"]
    doc.overview = paragraphs_to_overview(overview_paras)
    unit_names = {normalize_name(u.name) for u in doc.overview.units}
    if trial is not None:
        _take_trial(trial, raw, profile, doc, unit_names)
    else:
        _type_tables(
            raw,
            profile,
            doc,
            unit_names,
            inferred.by_index if inferred else None,
            inferred.skipped if inferred else None,
        )
    resolve_named_codes(doc, profile)
    contents_notes(doc, profile)
    doc.listed_tables = listed_tables(doc.paragraphs)
    _narrative(para_sections, profile, kinds, doc)
    _mark_rounded_narrative(doc)
    doc.narrative_included = source.format not in TABLES_ONLY_FORMATS or any(
        p.section for p in doc.paragraphs
    )
    return doc


# Formats that hold a disclosure's tables, often without its 说明 (a workbook of the tables).
TABLES_ONLY_FORMATS = frozenset({"xlsx", "xls", "xlsb", "ods"})


_SAYS_EMPTY = re.compile(r"空表|本表无数据")
_DIGIT = re.compile(r"\d")


def _header_of_empty(table: RawTable) -> None:
    """A table whose note says it is empty (`…故本表为空表。`) has no body: rows without a
    single digit that a reader took for its body (the 类/款/项 row under a merged header,
    which nothing tells from a first row of names) are the header's last rows. A 合计 row
    (`合计 | | |`, 苏州 公开11表) is the empty body's first row, not the header's."""
    if not table.body_rows or not any(_SAYS_EMPTY.search(n.text) for n in table.notes):
        return
    if any(_DIGIT.search(c.text) for row in table.body_rows for c in row.cells):
        return
    if all(row.is_blank() for row in table.body_rows):
        return  # blank ruled rows: the printed empty body
    total = next(
        (n for n, row in enumerate(table.body_rows) if _first_text(row) in _TOTAL_ROW_WORDS),
        len(table.body_rows),
    )
    table.header_rows += table.body_rows[:total]
    table.body_rows = table.body_rows[total:]


_TOTAL_ROW_WORDS = frozenset({"合计", "总计"})


def _first_text(row: RawRow) -> str:
    return next((normalize_name(c.text) for c in row.cells if c.text.strip()), "")


_MONEY_UNITS = frozenset({"万元", "亿元"})
_MIN_ROUNDED_SHARE = 0.7  # of the narrative's money figures printed without decimals
_MIN_ROUNDED_SHARE_YUAN = 0.4  # the same when the tables are printed in 元


def _mark_rounded_narrative(doc: Document) -> None:
    """A narrative that prints its amounts in whole 万元 (`收入预算833万元` beside a table of
    8,332,300 元) rounds them: mark its whole figures so the audit allows for the rounding."""
    money = [f for f in doc.figures if f.unit in _MONEY_UNITS and f.value != 0]
    whole = sum(1 for f in money if f.decimals == 0)
    units = Counter(t.unit for t in doc.tables.values() if t.unit is not None)
    # Tables in 元 restated in 万元 must round; a mostly whole-万元 narrative rounds anyway.
    share = (
        _MIN_ROUNDED_SHARE_YUAN
        if units and units.most_common(1)[0][0] is Unit.YUAN
        else (_MIN_ROUNDED_SHARE)
    )
    if len(money) < 5 or whole < share * len(money):
        return
    for fig in _all_figures(doc):
        if fig.unit in _MONEY_UNITS and fig.decimals == 0:
            fig.rounded = True


def _all_figures(doc: Document) -> Iterator[Figure]:
    def walk(obj: object) -> Iterator[Figure]:
        if isinstance(obj, Figure):
            yield obj
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                yield from walk(item)
        elif is_dataclass(obj) and not isinstance(obj, type):
            for f in fields(obj):
                yield from walk(getattr(obj, f.name))

    for part in (doc.figures, doc.statements, doc.stated_sums, doc.counted, doc.projects):
        yield from walk(part)


@dataclass(slots=True)
class _Trial:
    """Tables typed by a template to judge whether it fits, kept for the document if it does:
    typing every table a second time by the same template would make the same tables."""

    doc: Document
    placed: dict[int, Place]


def _misfit(
    raw: RawDocument, source: SourceInfo, profile: Profile, confidence: float
) -> tuple[str, _Trial | None]:
    """Why `profile` does not fit the document ("" when it does): it must recognise nearly
    half its required tables, and every table it claims must read under it — the columns the
    template expects, every row recognised, its own row sums holding in most rows. With the
    reason, the tables as typed by `profile` (None when none were typed)."""
    if confidence < MIN_FIT_CONFIDENCE:
        return f"只认出 {confidence:.0%} 的必备表", None
    doc = Document(source=source, profile=profile.id, kind=profile.kind)
    trial = _Trial(doc, _type_tables(raw, profile, doc, set()))
    claimed = [t for t in doc.tables.values() if profile.table(t.key) is not None]
    bad: list[str] = []
    for table in claimed:
        spec = profile.table(table.key)
        assert spec is not None
        if not table.readable:
            bad.append(f"{table.name}：{table.problems[0] if table.problems else '无法读取'}")
        elif table.is_empty and not spec.may_be_empty:
            bad.append(f"{table.name}：按模板读不到任何数据")
        elif any(_mostly_fails(row_sum_failures(table, rs)) for rs in spec.row_sums):
            bad.append(f"{table.name}：按模板的列，行合计多数不成立")
    if not bad or (len(bad) == 1 and len(claimed) >= 5):
        # One odd table among many is that table's problem (reported as unreadable), not
        # a different template.
        return "", trial
    more = f"等 {len(bad)} 张表" if len(bad) > 1 else ""
    return f"{bad[0]}{more}", trial


def _take_trial(
    trial: _Trial, raw: RawDocument, profile: Profile, doc: Document, unit_names: set[str]
) -> None:
    """The tables typed while judging the template's fit become the document's; only a
    `grouped-items` table reads the 部门概况's unit names (unknown during the trial), so
    such tables are typed again with them."""
    assert not doc.tables and not doc.extra_tables and not doc.performance and not doc.order
    doc.tables = trial.doc.tables
    doc.extra_tables = trial.doc.extra_tables
    doc.performance = trial.doc.performance
    doc.order = trial.doc.order
    if not unit_names:
        return
    default_unit = Unit(profile.unit)
    for index, rt in enumerate(raw.tables):
        spec = _match_table(profile, rt)
        if spec is None or spec.layout != "grouped-items":
            continue
        table = type_table(rt, spec, default_unit, unit_names)
        place = trial.placed[index]
        if isinstance(place, TablePlace):
            doc.tables[place.table] = table
        elif isinstance(place, ExtraTablePlace):
            doc.extra_tables[place.extra_table] = table


def _mostly_fails(counts: tuple[int, int]) -> bool:
    checked, failed = counts
    return failed >= 2 and failed * 2 > checked


def _not_a_disclosure(raw: RawDocument, source: SourceInfo) -> str:
    name = source.path or "输入"
    if not raw.tables and not raw.paragraphs:
        return f"{name} 没有可读的文字内容"
    if not raw.tables:
        return f"{name} 不是部门预算/决算公开文件：没有找到任何表格"
    if not has_amounts(raw):
        titles = "、".join(t.title or "（无标题）" for t in raw.tables[:3])
        hint = "（像是公开情况检查表）" if "检查" in titles else ""
        return f"{name} 不是部门预算/决算公开文件：表格（{titles}）中没有任何金额{hint}"
    titles = "、".join(t.title or "（无标题）" for t in raw.tables[:3])
    return f"{name} 不是可识别的预算公开文件：找到的表格（{titles}）不属于任何已知模板"


def _department_and_year(raw: RawDocument) -> tuple[str | None, int | None]:
    orgs = Counter(t.org for t in raw.tables if t.org)
    department = orgs.most_common(1)[0][0] if orgs else None
    year: int | None = None
    for n, para in enumerate(raw.paragraphs[:40]):
        m = _YEAR_KIND.search(para.text)
        if m:
            year = int(m.group(1))
            break
        # `2026年深圳市统计局（本级）部门预算` (深圳 covers): the year before the department,
        # the title maybe broken over two lines.
        nxt = raw.paragraphs[n + 1].text if n + 1 < len(raw.paragraphs) else ""
        m = _YEAR_FIRST.search(para.text.replace(" ", "")) or _YEAR_FIRST.search(
            (para.text + nxt).replace(" ", "")
        )
        if m:
            year = int(m.group(1))
            if department is None and _is_name(m.group(2)):
                department = m.group(2)
            break
    if department is None:
        # The cover title names the department before the year (`上海市普陀区财政局2024年度
        # 部门决算`); else the first heading that is not a year line or the 目录.
        headings = [p for p in raw.paragraphs[:10] if p.heading_level is not None]
        title = next((m for p in headings if (m := _YEAR_KIND.search(p.text))), None)
        prefix = title.string[: title.start()].strip() if title else ""
        if len(prefix) >= 2 and not _PART.search(prefix) and _is_name(prefix):
            department = prefix
        else:
            for para in headings:
                text = para.text.strip()
                if (
                    not _YEAR_KIND.search(text)
                    and not _PART.search(text)
                    and normalize_name(text) != "目录"
                    and _is_name(text)
                ):
                    department = text
                    break
    return department, year


_YEAR_FIRST = re.compile(
    r"^(\d{4})年度?([^\d，,。；;：:]{2,40}?)(?:部门|单位)(?:综合)?(?:预算|决算)"
)
_NAME_HINT = re.compile(r"[局委办厅部院会中心室站所馆队处校园场府社团行司]|委员会|政府")


def _is_name(text: str) -> bool:
    """Whether a heading can name a department: not a bare year or number, not a section
    heading (`一、部门情况说明`), and with a word organisations end in."""
    t = normalize_name(text)
    if not t or t.isdigit() or re.match(r"^[\d\s年度]+$", t) or len(t) > 40:
        return False
    if (
        re.match(r"^[一二三四五六七八九十]+[、,.．]|^[（(]|^第[一二三四五六七八九十]+", t)
        or "说明" in t
    ):
        return False
    return bool(_NAME_HINT.search(t))


def _section_keys(profile: Profile) -> list[tuple[str, SectionSpec]]:
    """Every section's match words as comparison keys, in the profile's order."""
    return [(match_key(m), spec) for spec in profile.sections for m in spec.match]


def _match_section(keys: list[tuple[str, SectionSpec]], heading: str) -> SectionSpec | None:
    key = match_key(heading)
    best: tuple[int, SectionSpec] | None = None
    for mk, spec in keys:
        if mk in key and (best is None or len(mk) > best[0]):
            best = (len(mk), spec)
    return best[1] if best else None


def _assign_sections(raw: RawDocument, profile: Profile, doc: Document) -> list[str | None]:
    out: list[str | None] = []
    current: str | None = None
    keys = _section_keys(profile)
    for para in raw.paragraphs:
        if para.heading_level is not None:
            spec = _match_section(keys, para.text)
            if spec is not None:
                current = spec.key
            elif _PART.search(para.text):
                current = None
            out.append(current)
            doc.paragraphs.append(Paragraph(para.text, para.loc, current, heading=True))
            continue
        out.append(current)
        doc.paragraphs.append(Paragraph(para.text, para.loc, current))
        key = current
        while key is not None and key not in doc.sections_found:
            doc.sections_found[key] = para.loc
            spec = profile.section(key)
            key = spec.parent if spec else None
    return out


def _match_table(profile: Profile, raw: RawTable) -> TableSpec | None:
    key = match_key(raw.title)
    if not key:
        return None
    number = None
    if raw.label:
        m = re.search(r"\d+", raw.label)
        number = int(m.group()) if m else None
    best: tuple[tuple[int, int], TableSpec] | None = None
    for spec in profile.tables:
        for name in [spec.title, *spec.aliases]:
            nk = match_key(name)
            if nk and (nk == key or nk in key):
                score = (len(nk) + (1000 if nk == key else 0), 1 if spec.number == number else 0)
                if best is None or score > best[0]:
                    best = (score, spec)
    return best[1] if best else None


def _type_tables(
    raw: RawDocument,
    profile: Profile,
    doc: Document,
    unit_names: set[str],
    by_index: dict[int, TableSpec] | None = None,
    skipped: dict[int, str | None] | None = None,
) -> dict[int, Place]:
    """Type each raw table with its profile entry: matched by title, or given by position
    (`by_index`: the generic profile's tables, inferred one per raw table). Returns where
    each raw table (by index) went."""
    default_unit = Unit(profile.unit)
    placed: dict[int, Place] = {}
    # The 绩效 forms read from each raw table: where they start in doc.performance, and the
    # raw table they were read from (with any page it was continued on).
    forms_of: dict[int, tuple[int, RawTable]] = {}
    for index, rt in enumerate(raw.tables):
        checkpoint()
        spec = by_index.get(index) if by_index is not None else _match_table(profile, rt)
        if spec is None:
            placed[index] = ExtraTablePlace(len(doc.extra_tables))
            untyped = _untyped(rt, default_unit)
            reason = (skipped or {}).get(index)
            if reason:
                # A table whose structure could not be read: say so, never pass it over.
                untyped.problems.append(reason)
                untyped.readable = False
            doc.extra_tables.append(untyped)
            continue
        if spec.layout == "performance-selfeval":
            placed[index] = PerformancePlace(len(doc.performance))
            doc.performance.append(raw_to_selfeval(rt))
            continue
        if spec.layout in ("performance-overall", "performance-project"):
            kind = "overall" if spec.layout == "performance-overall" else "project"
            last = forms_of.get(index - 1)
            whole = continues_form(rt, kind, last[1]) if last else None
            if last is not None and whole is not None:
                # The rest of the form the previous page began: read the two as one.
                start = last[0]
                del doc.performance[start:]
                doc.performance.extend(raw_to_performances(whole, kind))
                placed[index] = placed[index - 1]
                forms_of[index] = (start, whole)
                continue
            placed[index] = PerformancePlace(len(doc.performance))
            forms_of[index] = (len(doc.performance), rt)
            doc.performance.extend(raw_to_performances(rt, kind))
            continue
        if spec.layout == "performance-grid":  # a 绩效 grid is both: forms, and a table
            table, forms = grid_to_performance(rt, spec, default_unit)
            doc.performance.extend(forms)
            placed[index] = TablePlace(spec.key)
            doc.tables[spec.key] = table
            continue
        if spec.key in doc.tables and not spec.repeatable:
            placed[index] = ExtraTablePlace(len(doc.extra_tables))
            doc.extra_tables.append(type_table(rt, spec, default_unit, unit_names))
            continue
        placed[index] = TablePlace(spec.key)
        doc.tables[spec.key] = type_table(rt, spec, default_unit, unit_names)
    for place in raw.order:
        match place:
            case RawParagraphPlace(paragraph=index):
                doc.order.append(ParagraphPlace(index))
            case RawTablePlace(table=index):
                if index and placed[index] is placed[index - 1]:
                    continue  # a form's continuation page: the form is placed once
                doc.order.append(placed[index])
    return placed


def _untyped(rt: RawTable, unit: Unit) -> Table:
    return Table(
        key="",
        title=rt.title,
        printed_title=rt.title,
        loc=rt.loc,
        label=rt.label,
        unit=Unit.parse(rt.unit_text) or unit,
        kind=table_kind(rt.title),
    )


def _narrative(
    para_sections: list[tuple[RawParagraph, str | None]],
    profile: Profile,
    kinds: Mapping[str, str],
    doc: Document,
) -> None:
    """Figures, statements, stated sums and projects of the paragraphs; `kinds` is each
    section's kind by key."""
    project_paras: list[RawParagraph] = []
    project_figures: list[list[FigureMatch]] = []
    for index, (para, section) in enumerate(para_sections):
        if not index & 255:
            checkpoint()
        found = find_figures(para.text)
        for fm in found:
            doc.figures.append(to_figure(fm, para))
        if para.heading_level is not None:
            continue
        kind = kinds.get(section) if section is not None else None
        if kind == "projects":
            project_paras.append(para)
            project_figures.append(found)
        elif kind in _STATEMENT_KINDS:
            doc.statements.extend(
                paragraph_to_statements(para, index, section, doc.department, found)
            )
        for label, cs, ce, as_, ae in find_counted(para.text):
            count = Figure(_dec(para.text[cs:ce]), "个", para.text[cs:ce], para.loc_span(cs, ce), 0)
            figs = [f for f in find_figures(para.text[as_:]) if f.is_money]
            if not figs:
                continue
            amount = to_figure(figs[0], para, as_)
            doc.counted.append(CountedAmount(label, count, amount, para.loc_span(cs, ae), section))
    for table in doc.tables.values():
        for note in table.notes:
            for fm in find_figures(note.text):
                doc.figures.append(
                    Figure(
                        fm.number.value,
                        fm.unit,
                        fm.number.raw,
                        note.loc,
                        fm.number.decimals,
                        fm.number.malformed,
                    )
                )
    doc.stated_sums = list(paragraphs_to_stated_sums(para_sections))
    for ss in doc.stated_sums:
        ss.total_label = clean_subject(ss.total_label, doc.department) or ss.total_label
        ss.parts = [(clean_subject(label, doc.department) or label, f) for label, f in ss.parts]
    markers = tuple(profile.projects.secret_markers) if profile.projects else ("完全不予公开",)
    doc.projects = paragraphs_to_projects(project_paras, markers, project_figures)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))
