"""Binding narrative statements to the table figures they restate, per the profile.

A subject binds by the profile's subject list (longest match wins), else by classification
names (`教育支出（类）职业教育（款）中等职业教育（项）` or a bare 类 name) in a named table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yusuan.audit.context import HALF_CENT, ZERO, AuditContext, Unresolved, Value, total_of
from yusuan.catalog import load_catalog, names_match
from yusuan.model.narrative import Statement
from yusuan.model.tables import Row, RowKind, Table
from yusuan.profiles.schema import SubjectSpec
from yusuan.readers.assemble import match_key
from yusuan.text import normalize_name


@dataclass(slots=True)
class Binding:
    value: Value
    key: str | None
    relation: str = "eq"
    severity: str = "error"
    subject: SubjectSpec | None = None
    row: Row | None = None  # the table row for name-resolved subjects
    missing: bool = False  # a path that names no row of the table (amount must be 0)


def _subject_spec(ctx: AuditContext, st: Statement) -> SubjectSpec | None:
    spec = ctx.profile.section(st.section) if st.section else None
    if spec is None or not spec.subjects:
        return None
    subject = match_key(st.subject)
    best: tuple[int, SubjectSpec] | None = None
    for subj in spec.subjects:
        for m in subj.match:
            mk = match_key(m)
            hit = mk == subject if subj.exact else mk in subject
            if mk and hit and (best is None or len(mk) > best[0]):
                best = (len(mk), subj)
    return best[1] if best else None


def bind(ctx: AuditContext, st: Statement) -> Binding | None:
    """The figure a statement restates, or None when the profile names none for it.

    Raises Unresolved when the figure's table cannot be read.
    """
    cache = ctx.cache.setdefault("bindings", {})
    ident = id(st)
    if ident in cache:
        cached = cache[ident]
        assert cached is None or isinstance(cached, Binding)
        return cached
    result = _bind(ctx, st)
    cache[ident] = result
    return result


def _bind(ctx: AuditContext, st: Statement) -> Binding | None:
    subj = _subject_spec(ctx, st)
    if subj is not None and not st.path:
        values = [ctx.resolve(ref) for ref in subj.ref]
        value = (
            values[0] if len(values) == 1 else total_of(values, "+".join(v.label for v in values))
        )
        return Binding(value, subj.key, subj.relation, subj.severity, subj)
    spec = ctx.profile.section(st.section) if st.section else None
    if spec is None or spec.names is None:
        return None
    names = spec.names
    table = ctx.table(names.table)
    row = find_row_by_names(table, st.path or (st.subject,), names.levels)
    if row is None:
        row = find_row_by_code(table, st)
    if row is None:
        row = find_row_by_bracketed_code(table, st.subject)
    if row is None:
        # `行政运行（2050101）0.00万元，较上年减少3.54万元` (西安): a code the table does not
        # print is a nil row of this year, as much a 科目 of the list as a path is.
        coded = _BRACKETED_CODE.match(st.subject.strip()) is not None
        if not st.path and not coded:
            return None
        label = f"{table.name}（无「{'/'.join(st.path or (st.subject,))}」科目）"
        return Binding(Value(ZERO, label, [], 0, HALF_CENT, 2, table.unit), names.key, missing=True)
    if row.code is not None:
        found = ctx.code_values(table, names.column).get(row.code)
        value = found or Value(ZERO, "", [row.loc], 0, HALF_CENT, 2, table.unit)
        value.label = f"{table.name} {row.code} {row.label}"
    else:
        value = Value.of_cell(
            row.cell(names.column), f"{table.name} {row.describe()}", table.unit, row.loc
        )
    return Binding(value, names.key, row=row)


def find_row_by_names(table: Table, path: tuple[str, ...], levels: list[int]) -> Row | None:
    """The row named by a 类/款/项 path (each level's parent must match) or a bare name."""
    target = normalize_name(path[-1])
    depth = len(path)
    candidates: list[Row] = []
    for row in table.rows:
        if row.kind is RowKind.PROJECT and row.project and normalize_name(row.project) == target:
            candidates.append(row)
            continue
        if not _names_equal(path[-1], row.label, row.level):
            continue
        if levels and row.level not in levels:
            continue
        if row.level is not None and len(path) > 1 and row.level != depth:
            continue
        candidates.append(row)
    if len(path) > 1:
        by_code = {r.code: r for r in table.rows if r.code}
        filtered = []
        for row in candidates:
            ok = True
            code = row.code or ""
            for up, name in enumerate(reversed(path[:-1]), start=1):
                parent_code = code[: len(code) - 2 * up] if len(code) - 2 * up >= 3 else None
                parent = by_code.get(parent_code) if parent_code else None
                if parent is None or not _names_equal(name, parent.label, parent.level):
                    ok = False
                    break
            if ok:
                filtered.append(row)
        candidates = filtered
        if not candidates:
            return _by_leaf(table, path)
    return candidates[0] if candidates else None


def _names_equal(written: str, printed: str, level: int | None) -> bool:
    """Names equal as printed, or a 类 written without its 支出 (中央: `一般公共服务（类）` for
    201 一般公共服务支出, `教育（类）支出`)."""
    a, b = normalize_name(written), normalize_name(printed)
    return a == b or (level == 1 and a + "支出" == b)


def _by_leaf(table: Table, path: tuple[str, ...]) -> Row | None:
    """The one row a path names by its 类 and its last name when the names between are not the
    table's, or the last name is a recorded old name of a code the table prints (中央 2024:
    `社会保障和就业（类）行政事业单位离退休（款）归口管理的行政单位离退休（项）` is 2080501
    行政单位离退休 under 20805 行政事业单位养老支出). The wording is K806's to report."""
    depth = len(path)
    by_code = {r.code: r for r in table.rows if r.code and r.kind is not RowKind.PROJECT}

    def in_class(row: Row) -> bool:
        top = by_code.get((row.code or "")[:3])
        return top is not None and _names_equal(path[0], top.label, 1)

    rows = [
        r
        for r in by_code.values()
        if r.level == depth and _names_equal(path[-1], r.label, r.level) and in_class(r)
    ]
    if not rows:
        old = {
            ren.code
            for ren in load_catalog().renamings("function")
            if names_match(ren.old_name, path[-1]) and len(ren.code) == 1 + 2 * depth
        }
        rows = [r for code, r in by_code.items() if code in old and in_class(r)]
    return rows[0] if len(rows) == 1 else None


def find_row_by_code(table: Table, st: Statement) -> Row | None:
    """The row of the code printed with a path (`…（210类）…（11款）行政单位医疗（01项）`) when it
    bears the path's last name: the names above it may be outdated, which K806 reports."""
    if not st.path_codes or not st.path:
        return None
    code = "".join(st.path_codes)
    target = normalize_name(st.path[-1])
    for row in table.rows:
        if row.code == code and normalize_name(row.label) == target:
            return row
    return None


_BRACKETED_CODE = re.compile(r"^(?P<name>.+?)[（(]\s*(?P<code>\d{3}|\d{5}|\d{7})\s*[)）]$")


def find_row_by_bracketed_code(table: Table, subject: str) -> Row | None:
    """The row of a subject written as `名称（code）` (西安: `行政运行（2010301）`,
    `工资福利支出（301）`): the code says which row, whatever level it is."""
    m = _BRACKETED_CODE.match(subject.strip())
    if m is None:
        return None
    code = m.group("code")
    for row in table.rows:
        if row.code == code and row.kind is not RowKind.PROJECT:
            return row
    return None


def try_bind(ctx: AuditContext, st: Statement) -> Binding | None:
    try:
        return bind(ctx, st)
    except Unresolved:
        return None
