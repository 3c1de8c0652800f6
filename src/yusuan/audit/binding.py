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
from yusuan.profiles.schema import SectionSpec, SubjectSpec
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
    spec = ctx.section(st.section) if st.section else None
    if spec is None or not spec.subjects:
        return None
    subject = match_key(st.subject)
    best: tuple[int, SubjectSpec] | None = None
    for mk, subj in _subject_keys(ctx, spec):
        hit = mk == subject if subj.exact else mk in subject
        if mk and hit and (best is None or len(mk) > best[0]):
            best = (len(mk), subj)
    return best[1] if best else None


def _subject_keys(ctx: AuditContext, spec: SectionSpec) -> list[tuple[str, SubjectSpec]]:
    """A section's subjects by the comparison key of each match word, in the profile's order,
    made once per audit (every statement of the section is matched against them)."""
    memo = ctx.cache.setdefault("subject_keys", {})
    found = memo.get(id(spec))
    if found is None:
        found = [(match_key(m), subj) for subj in spec.subjects for m in subj.match]
        memo[id(spec)] = found
    assert isinstance(found, list)
    return found


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
    spec = ctx.section(st.section) if st.section else None
    if spec is None or spec.names is None:
        return None
    names = spec.names
    table = ctx.table(names.table)
    index = row_index(ctx, table)
    row = find_row_by_names(index, st.path or (st.subject,), names.levels)
    if row is None:
        row = find_row_by_code(index, st)
    if row is None:
        row = find_row_by_bracketed_code(index, st.subject)
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


@dataclass(slots=True)
class RowIndex:
    """A table's rows by normalised label, project name and code, built once per audit: each
    statement then finds its row in constant time (a scan of every row for every statement is
    quadratic in a ledger-sized document, where every project is a row and a paragraph)."""

    rows: list[Row]
    by_label: dict[str, list[int]]  # normalised label → row positions, in table order
    by_class_stem: dict[str, list[int]]  # 类 rows by their label without the final 支出
    by_project: dict[str, list[int]]  # project rows by normalised project name
    by_code: dict[str, Row]  # the last row printing each code (as a dict comprehension keeps)
    by_code_np: dict[str, Row]  # the same among rows that are not project rows
    rows_of_code: dict[str, list[Row]]  # every row printing each code, in table order
    size: int  # len(rows) when indexed

    @classmethod
    def of(cls, table: Table) -> RowIndex:
        index = cls(table.rows, {}, {}, {}, {}, {}, {}, len(table.rows))
        for i, row in enumerate(table.rows):
            label = normalize_name(row.label)
            index.by_label.setdefault(label, []).append(i)
            if row.level == 1 and label.endswith("支出"):
                index.by_class_stem.setdefault(label[:-2], []).append(i)
            if row.kind is RowKind.PROJECT and row.project:
                index.by_project.setdefault(normalize_name(row.project), []).append(i)
            if row.code:
                index.by_code[row.code] = row
                index.rows_of_code.setdefault(row.code, []).append(row)
                if row.kind is not RowKind.PROJECT:
                    index.by_code_np[row.code] = row
        return index

    def named(self, name: str) -> list[int]:
        """Positions of the rows `_names_equal` would accept for `name`, in table order."""
        target = normalize_name(name)
        found = self.by_label.get(target, [])
        stems = self.by_class_stem.get(target)
        return sorted({*found, *stems}) if stems else found


def row_index(ctx: AuditContext, table: Table) -> RowIndex:
    """The table's RowIndex, memoised for the audit (rebuilt if the table's rows change)."""
    memo = ctx.cache.setdefault("row-index", {})
    entry = memo.get(id(table))
    if isinstance(entry, RowIndex) and entry.rows is table.rows and entry.size == len(table.rows):
        return entry
    memo[id(table)] = index = RowIndex.of(table)
    return index


def find_row_by_names(index: RowIndex, path: tuple[str, ...], levels: list[int]) -> Row | None:
    """The row named by a 类/款/项 path (each level's parent must match) or a bare name."""
    rows = index.rows
    target = normalize_name(path[-1])
    depth = len(path)
    by_project = set(index.by_project.get(target, ()))
    chosen = set(by_project)
    for i in index.named(target):
        if i in by_project:
            continue
        row = rows[i]
        if levels and row.level not in levels:
            continue
        if row.level is not None and len(path) > 1 and row.level != depth:
            continue
        chosen.add(i)
    candidates = [rows[i] for i in sorted(chosen)]
    if len(path) > 1:
        filtered = []
        for row in candidates:
            ok = True
            code = row.code or ""
            for up, name in enumerate(reversed(path[:-1]), start=1):
                parent_code = code[: len(code) - 2 * up] if len(code) - 2 * up >= 3 else None
                parent = index.by_code.get(parent_code) if parent_code else None
                if parent is None or not _names_equal(name, parent.label, parent.level):
                    ok = False
                    break
            if ok:
                filtered.append(row)
        candidates = filtered
        if not candidates:
            return _by_leaf(index, path)
    return candidates[0] if candidates else None


def _names_equal(written: str, printed: str, level: int | None) -> bool:
    """Names equal as printed, or a 类 written without its 支出 (中央: `一般公共服务（类）` for
    201 一般公共服务支出, `教育（类）支出`)."""
    a, b = normalize_name(written), normalize_name(printed)
    return a == b or (level == 1 and a + "支出" == b)


def _by_leaf(index: RowIndex, path: tuple[str, ...]) -> Row | None:
    """The one row a path names by its 类 and its last name when the names between are not the
    table's, or the last name is a recorded old name of a code the table prints (中央 2024:
    `社会保障和就业（类）行政事业单位离退休（款）归口管理的行政单位离退休（项）` is 2080501
    行政单位离退休 under 20805 行政事业单位养老支出). The wording is K806's to report."""
    depth = len(path)
    by_code = index.by_code_np

    def in_class(row: Row) -> bool:
        top = by_code.get((row.code or "")[:3])
        return top is not None and _names_equal(path[0], top.label, 1)

    # Only the number of rows found matters (one, or no answer), not their order.
    rows = {
        id(r): r
        for r in (index.rows[i] for i in index.named(path[-1]))
        if r.code
        and by_code.get(r.code) is r
        and r.level == depth
        and _names_equal(path[-1], r.label, r.level)
        and in_class(r)
    }
    if not rows:
        old = {
            ren.code
            for ren in load_catalog().renamings("function")
            if names_match(ren.old_name, path[-1]) and len(ren.code) == 1 + 2 * depth
        }
        rows = {id(r): r for r in (by_code[c] for c in old if c in by_code) if in_class(r)}
    return next(iter(rows.values())) if len(rows) == 1 else None


def find_row_by_code(index: RowIndex, st: Statement) -> Row | None:
    """The row of the code printed with a path (`…（210类）…（11款）行政单位医疗（01项）`) when it
    bears the path's last name: the names above it may be outdated, which K806 reports."""
    if not st.path_codes or not st.path:
        return None
    code = "".join(st.path_codes)
    target = normalize_name(st.path[-1])
    for row in index.rows_of_code.get(code, ()):
        if normalize_name(row.label) == target:
            return row
    return None


_BRACKETED_CODE = re.compile(r"^(?P<name>.+?)[（(]\s*(?P<code>\d{3}|\d{5}|\d{7})\s*[)）]$")


def find_row_by_bracketed_code(index: RowIndex, subject: str) -> Row | None:
    """The row of a subject written as `名称（code）` (西安: `行政运行（2010301）`,
    `工资福利支出（301）`): the code says which row, whatever level it is."""
    m = _BRACKETED_CODE.match(subject.strip())
    if m is None:
        return None
    for row in index.rows_of_code.get(m.group("code"), ()):
        if row.kind is not RowKind.PROJECT:
            return row
    return None


def try_bind(ctx: AuditContext, st: Statement) -> Binding | None:
    try:
        return bind(ctx, st)
    except Unresolved:
        return None
