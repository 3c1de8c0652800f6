"""Figure-for-figure comparison of two Documents (a built one and its re-read rendering).

Provenance (line numbers, pages) is ignored: it differs by construction. Everything a
reader reads is compared: tables cell by cell, statements with their shares and changes,
projects, 绩效目标表, the 部门概况 lists and the paragraphs' text and sections.
"""

from __future__ import annotations

import re
from decimal import Decimal

from yusuan.model.document import Document
from yusuan.model.narrative import Figure, Statement
from yusuan.model.tables import Row, RowKind, Table
from yusuan.text import normalize_name

_LABEL_ONLY = re.compile(r"^\s*(?:附\s*)?表\s*[0-9一二三四五六七八九十]+\s*$")


_SPACE = re.compile(r"\s+")


def _t(text: str | None) -> str | None:
    """Text as compared: without white space, which is typography — a PDF prints no space
    between a digit and a CJK character (`2024 年` reads back `2024年`)."""
    return None if text is None else _SPACE.sub("", text)


def _fig(f: Figure | None) -> Decimal | None:
    return None if f is None else f.value


def _row_key(row: Row, table: Table, with_bold: bool = True) -> tuple[object, ...]:
    two_panel = any(c.panel for c in table.columns)
    # The reader marks a right-panel row bold when its printed line is (the left label's
    # bold spills over): bold is compared everywhere else.
    bold = None if not with_bold or (two_panel and row.kind is RowKind.CODE) else row.bold
    return (
        row.kind.value,
        normalize_name(row.label),
        row.code,
        row.level,
        row.key,
        row.panel,
        normalize_name(row.unit_name or ""),
        normalize_name(row.project or ""),
        bold,
        tuple(sorted((k, c.value) for k, c in row.cells.items())),
    )


def table_differences(a: Table, b: Table, bold: bool = True) -> list[str]:
    out: list[str] = []
    name = f"{a.key} {a.title}"
    if [c.key for c in a.columns] != [c.key for c in b.columns]:
        out.append(f"{name}：列不同")
    if len(a.rows) != len(b.rows):
        out.append(f"{name}：行数 {len(a.rows)} ≠ {len(b.rows)}")
    for i, (ra, rb) in enumerate(zip(a.rows, b.rows, strict=False)):
        ka, kb = _row_key(ra, a, bold), _row_key(rb, b, bold)
        if ka != kb:
            out.append(f"{name} 第 {i + 1} 行：{ka} ≠ {kb}")
    notes_a = [n.text for n in a.notes]
    notes_b = [n.text for n in b.notes]
    if [_t(n) for n in notes_a] != [_t(n) for n in notes_b]:
        out.append(f"{name}：表注不同 {notes_a} ≠ {notes_b}")
    return out


def _statement(st: Statement) -> tuple[object, ...]:
    ch = st.change
    change = None
    if ch is not None:
        change = (ch.word, _fig(ch.amount), ch.pct_word, _fig(ch.pct))
    return (
        st.section,
        st.subject,
        st.path,
        _fig(st.amount),
        _fig(st.share),
        change,
        _t(st.reason),
    )


def document_differences(
    a: Document, b: Document, *, narrative: bool = True, bold: bool = True
) -> list[str]:
    """Every difference a reader can see between two documents (empty when equal).

    A format that does not carry something compares without it: `narrative=False` for a
    workbook of the tables (no 情况说明), `bold=False` for a reader that cannot see fonts.
    """
    out: list[str] = []
    for attr in ("profile", "department", "year", "kind"):
        if getattr(a, attr) != getattr(b, attr):
            out.append(f"{attr}：{getattr(a, attr)!r} ≠ {getattr(b, attr)!r}")
    if sorted(a.tables) != sorted(b.tables):
        out.append(f"表：{sorted(a.tables)} ≠ {sorted(b.tables)}")
    for key in a.tables:
        if key in b.tables:
            out += table_differences(a.tables[key], b.tables[key], bold)
    fa = [_perf(p) for p in a.performance]
    fb = [_perf(p) for p in b.performance]
    if fa != fb:
        diff = [f"{x} ≠ {y}" for x, y in zip(fa, fb, strict=False) if x != y][:2]
        out.append(f"绩效目标表：{len(fa)} 张 ≠ {len(fb)} 张；{'；'.join(diff)}")
    if not narrative:
        return out
    sa = [_statement(s) for s in a.statements]
    sb = [_statement(s) for s in b.statements]
    if sa != sb:
        diff = [f"{x} ≠ {y}" for x, y in zip(sa, sb, strict=False) if x != y][:3]
        out.append(f"说明陈述：{len(sa)} 条 ≠ {len(sb)} 条；{'；'.join(diff)}")
    pa = [_project(p) for p in a.projects]
    pb = [_project(p) for p in b.projects]
    if pa != pb:
        diff = [f"{x} ≠ {y}" for x, y in zip(pa, pb, strict=False) if x != y][:3]
        out.append(f"项目：{len(pa)} 个 ≠ {len(pb)} 个；{'；'.join(diff)}")
    for what, x, y in (
        ("预算单位", [u.name for u in a.overview.units], [u.name for u in b.overview.units]),
        ("处室", [o.name for o in a.overview.offices], [o.name for o in b.overview.offices]),
        ("人员", _staffing(a), _staffing(b)),
        ("文字中的合计", _sums(a), _sums(b)),
        ("个数与金额", _counted(a), _counted(b)),
        ("段落", _paragraphs(a), _paragraphs(b)),
    ):
        if x != y:
            out.append(f"{what}不同")
    return out


def _project(p: object) -> tuple[object, ...]:
    from yusuan.model.narrative import Project

    assert isinstance(p, Project)
    fields = tuple((k, _t(v)) for k, v in p.fields.items())
    return (_t(p.name), p.unit_name, _fig(p.scale), _t(p.allocation), p.secret, fields)


def _perf(p: object) -> tuple[object, ...]:
    from yusuan.model.narrative import PerformanceTable

    assert isinstance(p, PerformanceTable)
    return (
        p.kind,
        p.unit_name,
        p.project,
        _fig(p.total),
        _fig(p.fiscal),
        _fig(p.other),
        tuple((label, f.value) for label, f in p.fund_lines),
        tuple(
            (
                _t(i.level1),
                _t(i.level2),
                _t(i.level3),
                _t(i.value),
                _t(i.basis),
                _t(i.last_value),
                i.weight,
                _t(i.rule),
                _t(i.evidence),
            )
            for i in p.indicators
        ),
    )


def _staffing(d: Document) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for key, fact in sorted(d.overview.staffing.items()):
        ch = fact.change
        out.append(
            (key, fact.figure.value, ch.word if ch else None, _fig(ch.amount if ch else None))
        )
    return out


def _sums(d: Document) -> list[tuple[object, ...]]:
    return [
        (s.section, s.total.value, tuple(f.value for _, f in s.parts), s.signed)
        for s in d.stated_sums
    ]


def _counted(d: Document) -> list[tuple[object, ...]]:
    return [(c.label, c.count.value, c.amount.value) for c in d.counted]


def _paragraphs(d: Document) -> list[tuple[object, ...]]:
    return [
        (_t(p.text), p.section, p.heading)
        for p in d.paragraphs
        if not (not p.heading and _LABEL_ONLY.match(p.text))
    ]
