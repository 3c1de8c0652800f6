"""K8xx — classification codes: hierarchy and names inside the document, and against the
classification catalog (政府收支分类科目, `yusuan.catalog`).

The catalog is reference data: partial, sourced, one edition per year. The document's
edition is `Catalog.edition_for(list, doc.year)`. A code the catalog does not know is an
error only where its branch is marked complete; elsewhere absence proves nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from yusuan.audit.context import AuditContext, fmt
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.catalog import (
    Catalog,
    CatalogEntry,
    NameStatus,
    load_catalog,
    names_match,
    nearest_edition,
)
from yusuan.model.narrative import Statement
from yusuan.model.provenance import Loc
from yusuan.model.tables import Row, RowKind, Table
from yusuan.profiles.schema import TableSpec
from yusuan.text import normalize_name

_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

# The profile says `economic` for 部门预算 tables; the government list (economic_gov) has no
# table in any profile yet.
_LIST_OF = {"function": "function", "economic": "economic_dept"}
_LEVEL_OF_WORD = {"类": 1, "款": 2, "项": 3}
_WORD_OF_LEVEL = {1: "类", 2: "款", 3: "项"}


def _edition_title(edition: int) -> str:
    return f"《{edition}年政府收支分类科目》"


# ───────────────────────────── what the tables print ─────────────────────────────


@dataclass(slots=True)
class _Scope:
    """The coded rows of one table (or one panel of a two-panel table) and their list."""

    spec: TableSpec
    table: Table
    list_name: str
    rows: list[Row]


@dataclass(slots=True)
class _Printed:
    """One code of one list as the document prints it: every row, in reading order."""

    list_name: str
    code: str
    rows: list[tuple[Table, Row]] = field(default_factory=list)

    def names(self) -> dict[str, list[tuple[Table, Row]]]:
        """Normalised name → the rows printing it (rows with no name left out)."""
        out: dict[str, list[tuple[Table, Row]]] = {}
        for table, row in self.rows:
            key = normalize_name(row.label)
            if key:
                out.setdefault(key, []).append((table, row))
        return out


def _scopes(ctx: AuditContext) -> Iterator[_Scope]:
    """Every coded table or panel; an unreadable table is reported as not run."""
    for spec in ctx.profile.tables:
        parts: list[tuple[str | None, str]] = []
        if spec.classification is not None:
            parts.append((None, spec.classification))
        parts += [(p.key, p.classification) for p in spec.panels if p.classification]
        if not parts:
            continue
        table = ctx.doc.tables.get(spec.key)
        if table is None:
            continue  # C701 reports a missing table
        if not ctx.readable(table):
            continue
        for panel, classification in parts:
            rows = [r for r in table.rows if r.code and (panel is None or r.panel == panel)]
            if rows:
                yield _Scope(spec, table, _LIST_OF[classification], rows)


def _printed(scopes: list[_Scope]) -> list[_Printed]:
    by_code: dict[tuple[str, str], _Printed] = {}
    for scope in scopes:
        for row in scope.rows:
            assert row.code is not None
            key = (scope.list_name, row.code)
            if key not in by_code:
                by_code[key] = _Printed(scope.list_name, row.code)
            by_code[key].rows.append((scope.table, row))
    for p in by_code.values():
        p.rows.sort(key=lambda tr: tr[1].loc.first_line or 0)
    return sorted(by_code.values(), key=lambda p: p.rows[0][1].loc.first_line or 0)


def _tables_text(rows: list[tuple[Table, Row]]) -> str:
    """`表2、表3、表5`: the tables the rows are in, in order, once each."""
    return "、".join(dict.fromkeys(t.name for t, _ in rows))


def _where(rows: list[tuple[Table, Row]], code: str, name: str) -> Location:
    return Location.of(
        [r.loc for _, r in rows], table=_tables_text(rows), row=f"{code} {name}".strip()
    )


def _edition(ctx: AuditContext, cat: Catalog, list_name: str) -> int | None:
    if ctx.doc.year is None or not cat.editions(list_name):
        return None
    return cat.edition_for(list_name, ctx.doc.year)


def _entry(cat: Catalog, code: str, list_name: str, edition: int | None) -> CatalogEntry | None:
    """The entry of `edition`, else of the nearest edition that has the code."""
    found = {e.edition: e for e in cat.entries(code, list_name)}
    if not found:
        return None
    return found[nearest_edition(found, edition if edition is not None else max(found))]


def _level_word(cat: Catalog, list_name: str, level: int) -> str:
    return cat.level_label(list_name, level)


def _closest(cat: Catalog, code: str, name: str, list_name: str, edition: int) -> str:
    """Known codes to suggest: a sibling the catalog gives the printed name first (a
    misprinted code usually keeps its name), then the catalog's nearest codes."""
    parent = cat.parent(code)
    same_name = [
        e
        for e in cat.entries_in(list_name, edition)
        if e.parent == parent and e.code != code and name and names_match(e.name, name)
    ]
    near = same_name + [e for e in cat.closest(code, list_name, edition) if e not in same_name]
    return "、".join(f"{e.code} {e.name}" for e in near[:3])


# ───────────────────────────── rules ─────────────────────────────


@register
class CodeHierarchy(Rule):
    id = "K801"
    slug = "code-hierarchy"
    title = "科目编码的上下级关系"
    emits = (_E,)
    description = (
        "表中每个款、项都应列在其上级科目（编码去掉末两位）之下：项不能列在别的款或类之下；"
        "本表列出了类（或款）一级时，每个款（或项）都要有其上级的行。表7 按预算单位分组检查。"
        "编码位数（类 3 位、款 5 位、项 7 位；经济分类类 3 位、款 5 位，个别地区另有 7 位）由读取时检查，"
        "位数不对的表不可读取。模板未声明逐级汇总（`rollup`）的表是平铺的清单，不检查上下级。"
    )
    bad = (
        "表5 `208 01 99 其他人力资源和社会保障管理事务支出` 列在 `208 05 行政事业单位养老支出` 之下"
    )
    good = "`208 01 99 …` 列在 `208 01 人力资源和社会保障管理事务` 之下"

    def run(self, ctx: AuditContext) -> None:
        cat = load_catalog()
        for scope in _scopes(ctx):
            if scope.spec.classification is not None and not scope.spec.rollup:
                continue  # a flat list, not a tree (北京 预算03/05/06表 list 项 or pairs only)
            self._check(ctx, cat, scope)

    @staticmethod
    def _check(ctx: AuditContext, cat: Catalog, scope: _Scope) -> None:
        table, list_name = scope.table, scope.list_name
        shown = {r.level for r in scope.rows if r.level is not None}
        open_rows: dict[int, Row] = {}  # the row now open at each level
        unit: str | None = None
        reported: set[tuple[str | None, str]] = set()
        mine = {id(r) for r in scope.rows}
        for row in table.rows:
            if row.kind in (RowKind.TOTAL, RowKind.UNIT) or row.unit_name != unit:
                open_rows.clear()  # a unit's rows start over (表7); so does a panel's total
                unit = row.unit_name
            if row.code is None or row.level is None or id(row) not in mine:
                continue
            level, code = row.level, row.code
            container = next(
                (open_rows[lv] for lv in range(level - 1, 0, -1) if lv in open_rows), None
            )
            if container is not None and not code.startswith(container.code or ""):
                parent = code[: len(code) - 2]
                ctx.report(
                    _E,
                    "{table} {code} {name}：列在{container_level} {container_code} "
                    "{container_name} 之下，按编码其上级{parent_level}应为 {parent}",
                    Location.of(
                        [row.loc, container.loc], table=table.name, row=f"{code} {row.label}"
                    ),
                    params={
                        "table": table.name,
                        "code": code,
                        "name": row.label,
                        "container_level": _level_word(cat, list_name, container.level or 1),
                        "container_code": container.code,
                        "container_name": container.label,
                        "parent_level": _level_word(cat, list_name, level - 1),
                        "parent": parent,
                    },
                    expected=parent,
                    actual=container.code,
                )
            elif level > 1:
                top = container.level if container is not None and container.level else 0
                missing = [code[: 1 + 2 * lv] for lv in range(top + 1, level) if lv in shown]
                fresh = [m for m in missing if (unit, m) not in reported]
                if fresh:
                    reported.update((unit, m) for m in fresh)
                    words = "、".join(
                        f"{_level_word(cat, list_name, (len(m) - 1) // 2)} {m}" for m in fresh
                    )
                    ctx.report(
                        _E,
                        "{table} {code} {name}：上面没有其所属{missing} 的行（本表其他科目列出了这一级）",
                        Location.of(row.loc, table=table.name, row=f"{code} {row.label}"),
                        params={
                            "table": table.name,
                            "code": code,
                            "name": row.label,
                            "missing": words,
                        },
                        expected=fresh[0],
                    )
                elif not missing:
                    ctx.passed()
            else:
                ctx.passed()
            open_rows[level] = row
            for lv in [lv for lv in open_rows if lv > level]:
                del open_rows[lv]


# Shorter than this, a name that begins another (`行政` / `行政运行`) may be a different name.
_MIN_TRUNCATED = 5


def _truncated(a: str, b: str) -> bool:
    """One normalised name is the other's beginning: printed cut off."""
    short, long = sorted((a, b), key=len)
    return len(short) >= _MIN_TRUNCATED and long.startswith(short)


@register
class CodeNameConflict(Rule):
    id = "K802"
    slug = "code-name-conflict"
    title = "同一编码在文件中名称一致"
    emits = (_E, _N)
    description = (
        "同一个科目编码在同一份文件的各表中应印同一个名称（忽略空格、全角/半角括号和标点）。"
        "名称不一致时，以与分类科目目录相符的名称（没有则以印在最多张表中的名称）为准，报告另一名称"
        "出现的各行，并给出目录中的名称。一个名称只是另一个的开头（单元格太窄，名称印得不全）时记为提示。"
    )
    bad = "表2、表5 `2080101 行政运行`，表3 `2080101 行政管理`"
    good = "表2、表3、表5 都印 `2080101 行政运行`"

    def run(self, ctx: AuditContext) -> None:
        cat = load_catalog()
        for printed in _printed(list(_scopes(ctx))):
            names = printed.names()
            if len(names) <= 1:
                ctx.passed()
                continue
            edition = _edition(ctx, cat, printed.list_name)
            entry = _entry(cat, printed.code, printed.list_name, edition)
            ref = self._reference(names, entry)
            ref_rows = names[ref]
            ref_name = ref_rows[0][1].label
            for key, rows in names.items():
                if key == ref:
                    continue
                name = rows[0][1].label
                if _truncated(key, ref):
                    # A name cut off by a narrow cell (西安 2022 表5 `其他社会保障和就业支`) says
                    # nothing against the other: the layout, not the classification, is at fault.
                    ctx.report(
                        _N,
                        "{tables} {code}：名称「{name}」与{ref_tables} 的「{ref_name}」"
                        "一个是另一个的开头（名称印得不全）",
                        _where(rows, printed.code, name),
                        params={
                            "tables": _tables_text(rows),
                            "code": printed.code,
                            "name": name,
                            "ref_tables": _tables_text(ref_rows),
                            "ref_name": ref_name,
                        },
                    )
                    continue
                text = (
                    "{tables} {code}：名称「{name}」与{ref_tables} 的「{ref_name}」不一致"
                    "（同一编码印有两个名称）"
                )
                params = {
                    "tables": _tables_text(rows),
                    "code": printed.code,
                    "name": name,
                    "ref_tables": _tables_text(ref_rows),
                    "ref_name": ref_name,
                }
                if entry is not None:
                    text += "；{edition}为「{catalog_name}」"
                    params |= {"edition": _edition_title(entry.edition), "catalog_name": entry.name}
                ctx.report(
                    _E,
                    text,
                    _where(rows, printed.code, name),
                    params=params,
                    expected=ref_name,
                    actual=name,
                )

    @staticmethod
    def _reference(names: dict[str, list[tuple[Table, Row]]], entry: CatalogEntry | None) -> str:
        if entry is not None:
            for key in names:
                if key == normalize_name(entry.name):
                    return key
        # Printed in the most tables; the first printed on a tie (dicts keep reading order).
        return max(names, key=lambda k: len({t.key for t, _ in names[k]}))


@register
class CatalogName(Rule):
    id = "K803"
    slug = "catalog-name"
    title = "科目名称与分类科目目录一致"
    emits = (_W,)
    description = (
        "每个科目编码的名称与该年度《政府收支分类科目》（分类科目目录中文件年度的版本）一致；"
        "空格、全角/半角标点和括号的差异不算。使用已记录的更名前旧名称时提示新名称及其版本。"
        "目录只收录了有来源的编码，名称差异记为警告。同一编码在文件中印有两个名称时由 K802 报告，"
        "此处不重复。"
    )
    bad = "表5 `2080101 行政管理`（《2024年政府收支分类科目》为“行政运行”）"
    good = "表5 `2080101 行政运行`"

    def run(self, ctx: AuditContext) -> None:
        cat = load_catalog()
        for printed in _printed(list(_scopes(ctx))):
            names = printed.names()
            if len(names) != 1:
                continue  # no name, or K802's conflict
            rows = next(iter(names.values()))
            name = rows[0][1].label
            edition = _edition(ctx, cat, printed.list_name)
            check = cat.check_name(printed.code, name, printed.list_name, edition)
            if check.status is NameStatus.UNKNOWN_CODE:
                continue  # K804
            if check.ok or (check.status is NameStatus.RENAMED and not check.outdated):
                ctx.passed()
                continue
            where = f"{_tables_text(rows)} {printed.code}"
            ren, entry = check.renaming, check.entry
            assert entry is not None
            params: dict[str, object] = {"where": where, "name": name}
            if check.status is NameStatus.RENAMED and ren is not None:
                text = "{where}：名称「{name}」是旧名称，最迟自{edition}起改为「{new_name}」"
                params |= {"edition": _edition_title(ren.edition), "new_name": ren.new_name}
                expected = ren.new_name
            else:
                text = "{where}：名称「{name}」与{edition}的「{catalog_name}」不一致"
                params |= {"edition": _edition_title(entry.edition), "catalog_name": entry.name}
                if check.from_other_edition and edition is not None:
                    text += "（目录的 {year} 年版未收录此编码，按 {used_year} 年版）"
                    params |= {"year": edition, "used_year": entry.edition}
                if check.known_variant is not None and check.known_variant.note:
                    text += "；已知异名：{variant}"
                    params["variant"] = check.known_variant.note
                expected = entry.name
            ctx.report(
                _W,
                text,
                _where(rows, printed.code, name),
                params=params,
                expected=expected,
                actual=name,
            )


@register
class CatalogUnknownCode(Rule):
    id = "K804"
    slug = "catalog-unknown-code"
    title = "科目编码见于分类科目目录"
    emits = (_E, _N)
    description = (
        "每个科目编码都应是该年度《政府收支分类科目》中的编码。分类科目目录只收录有来源的编码："
        "编码所在分支（其上级的全部下级，或类一级）在文件年度的版本中标记为完整收录时，目录中没有的编码是错误；"
        "否则只作提示（目录来源中没有，不等于编码无效）。两种情况都列出最接近的已知编码。"
    )
    bad = "表6 `301 04 津贴补贴`（301 的各款已完整收录，其中没有 30104；津贴补贴为 30102）"
    good = "表6 `301 02 津贴补贴`"

    def run(self, ctx: AuditContext) -> None:
        cat = load_catalog()
        for printed in _printed(list(_scopes(ctx))):
            list_name, code = printed.list_name, printed.code
            editions = cat.editions(list_name)
            if not editions:
                continue  # a list the catalog does not hold: nothing to compare with
            edition = _edition(ctx, cat, list_name)
            known = cat.entries(code, list_name)
            if known and (edition is None or cat.entry(code, list_name, edition) is not None):
                ctx.passed()
                continue
            # Completeness is a claim about one edition: it holds for the document only when
            # the catalog has the edition of the document's own year (none without a year).
            complete = (
                edition is not None
                and edition == ctx.doc.year
                and cat.is_complete(code, list_name, edition)
            )
            if known and not complete:
                ctx.passed()  # attested in another edition; this one is partial
                continue
            name = printed.rows[0][1].label
            where = f"{_tables_text(printed.rows)} {code} {name}".rstrip()
            near = _closest(cat, code, name, list_name, edition or editions[-1])
            hint = f"；相近编码：{near}" if near else ""
            if complete and edition is not None:
                parent = cat.parent(code)
                branch = (
                    f"{parent} {self._name(cat, parent, list_name, edition)} 下的"
                    f"{_level_word(cat, list_name, cat.level(code))}"
                    if parent
                    else f"{_level_word(cat, list_name, 1)}一级"
                )
                ctx.report(
                    _E,
                    "{where}：{edition}{list}中没有此编码（目录中 {branch}已完整收录）{hint}",
                    _where(printed.rows, code, name),
                    params={
                        "where": where,
                        "edition": _edition_title(edition),
                        "list": cat.list_title(list_name),
                        "branch": branch,
                        "hint": hint,
                    },
                    actual=code,
                    expected=near.split(" ", 1)[0] if near else None,
                )
            else:
                ctx.report(
                    _N,
                    "{where}：分类科目目录的来源中没有此编码（目录不完整，未收录不等于编码无效）{hint}",
                    _where(printed.rows, code, name),
                    params={"where": where, "hint": hint},
                    actual=code,
                    counts_as_passed=True,
                )

    @staticmethod
    def _name(cat: Catalog, code: str, list_name: str, edition: int) -> str:
        entry = cat.entry(code, list_name, edition) or cat.entry(code, list_name)
        return entry.name if entry else ""


@register
class EconomicColumn(Rule):
    id = "K805"
    slug = "economic-column"
    title = "经济分类科目列在应属的列"
    emits = (_W,)
    description = (
        "按经济分类列示的表中，每个经济分类科目的金额只能出现在容纳其所属类的列："
        "例如表6 人员经费列只含 301 工资福利支出、303 对个人和家庭的补助，公用经费列含 302 商品和服务支出、"
        "307、310、399。各列容纳哪些类由模板的 `column_classes` 规定（合计列不受限）。"
    )
    bad = "表6 `302 01 办公费 113.73` 列在人员经费"
    good = "表6 `302 01 办公费 113.73` 列在公用经费"

    def run(self, ctx: AuditContext) -> None:
        cat = load_catalog()
        for scope in _scopes(ctx):
            allowed = scope.spec.column_classes
            if not allowed or not scope.list_name.startswith("economic"):
                continue
            table = scope.table
            for row in scope.rows:
                assert row.code is not None
                cls = row.code[:3]
                bad = False
                for col, classes in allowed.items():
                    cell = row.cell(col)
                    if cell is None or not cell.value or cls in classes:
                        continue
                    bad = True
                    label = table.column_label(col)
                    homes = [table.column_label(c) for c, cl in allowed.items() if cls in cl]
                    entry = cat.entry(cls, scope.list_name)
                    cls_text = f"{cls} {entry.name}" if entry else cls
                    home = f"，应列在「{'」或「'.join(homes)}」" if homes else ""
                    ctx.report(
                        _W,
                        "{table} {code} {name}：「{column}」列有 {amount}，但该列只含经济分类 "
                        "{classes}；{class_name} 不属于此列{home}",
                        Location.of(
                            cell.loc, table=table.name, row=f"{row.code} {row.label}", column=label
                        ),
                        params={
                            "table": table.name,
                            "code": row.code,
                            "name": row.label,
                            "column": label,
                            "amount": fmt(cell.amount, cell.decimals),
                            "classes": "、".join(classes),
                            "class_name": cls_text,
                            "home": home,
                        },
                        expected="、".join(homes) or None,
                        actual=label,
                    )
                if not bad:
                    ctx.passed()


@dataclass(slots=True)
class _Tree:
    """A function table's rows by code and by (level, normalised name)."""

    by_code: dict[str, Row] = field(default_factory=dict)
    by_name: dict[tuple[int, str], list[Row]] = field(default_factory=dict)

    @staticmethod
    def of(table: Table) -> _Tree:
        tree = _Tree()
        for row in table.rows:
            if row.code is None or row.level is None:
                continue
            if row.code in tree.by_code:
                continue  # 表7 repeats codes per unit and project: the first row names it
            tree.by_code[row.code] = row
            tree.by_name.setdefault((row.level, normalize_name(row.label)), []).append(row)
        return tree

    def named(self, level: int, name: str) -> list[Row]:
        rows = self.by_name.get((level, normalize_name(name)), [])
        if not rows and level == 1:
            # 中央 texts write a 类 without its 支出: `一般公共服务（类）` is 201 一般公共服务支出.
            rows = self.by_name.get((level, normalize_name(name) + "支出"), [])
        return rows


def _same_name(written: str, printed: str, level: int) -> bool:
    return names_match(written, printed) or (level == 1 and names_match(written + "支出", printed))


def _path_levels(st: Statement) -> list[int]:
    levels = [_LEVEL_OF_WORD.get(w, 0) for w in st.path_levels]
    if len(levels) != len(st.path) or 0 in levels:
        return list(range(1, len(st.path) + 1))
    return levels


def _path_text(st: Statement, levels: list[int]) -> str:
    return "".join(
        f"{n}（{_WORD_OF_LEVEL.get(lv, '')}）" for n, lv in zip(st.path, levels, strict=True)
    )


@register
class NarrativePath(Rule):
    id = "K806"
    slug = "narrative-path"
    title = "说明中的类/款/项路径与表中编码一致"
    emits = (_E, _W)
    description = (
        "情况说明按“类（类）款（款）项（项）”写出的科目路径，应与表格（模板 `names` 指定的表，"
        "新疆模板为表5）中该项编码的上级一致。路径中的上级名称是表中另一个科目的名称（把科目归错了上级）"
        "记为错误；是表中没有的写法（简称、旧名称等）记为警告，旧名称给出新名称及其版本。"
        "表中没有的科目（金额为 0 的项）不在此检查，其金额由 N301 核对。"
    )
    bad = (
        "“教育支出（类）职业教育（款）教师进修（项）”，表5 中 2050801 教师进修属于 20508 进修及培训"
    )
    good = "“教育支出（类）进修及培训（款）教师进修（项）”"

    def run(self, ctx: AuditContext) -> None:
        cat = load_catalog()
        edition = _edition(ctx, cat, "function")
        for sec in ctx.profile.sections:
            if sec.names is None:
                continue
            statements = [st for st in ctx.doc.statements_in(sec.key) if st.path]
            if not statements:
                continue
            table = ctx.doc.tables.get(sec.names.table)
            if table is None:
                continue
            if not table.readable:
                ctx.skip(
                    f"{table.name}无法读取，未核对“{sec.title}”的科目路径",
                    Location.of(table.loc, table=table.name),
                )
                continue
            tree = _Tree.of(table)
            if not tree.by_code:
                continue
            for st in statements:
                self._check(ctx, cat, edition, table, tree, st)

    def _check(
        self,
        ctx: AuditContext,
        cat: Catalog,
        edition: int | None,
        table: Table,
        tree: _Tree,
        st: Statement,
    ) -> None:
        levels = _path_levels(st)
        if self._resolve(tree, st.path, levels) is not None:
            ctx.passed()
            return
        path = _path_text(st, levels)
        section = ctx.section_title(st.section)
        leaf_name, leaf_level = st.path[-1], levels[-1]
        leaves = tree.named(leaf_level, leaf_name)
        if not leaves:
            self._renamed_leaf(ctx, cat, table, tree, st, path, leaf_level, section)
            return
        leaf = max(leaves, key=lambda r: self._agreeing(tree, r, st.path, levels))
        assert leaf.code is not None
        wrong: list[str] = []
        locs: list[Loc | None] = [st.loc, leaf.loc]
        confused = False
        for name, level in zip(st.path[:-1], levels[:-1], strict=True):
            code = leaf.code[: 1 + 2 * level]
            row = tree.by_code.get(code)
            entry = _entry(cat, code, "function", edition) if row is None else None
            actual = row.label if row is not None else (entry.name if entry else "")
            if actual and _same_name(name, actual, level):
                continue
            word = _WORD_OF_LEVEL[level]
            other = [r for r in tree.named(level, name) if r.code != code]
            if row is not None:
                locs.append(row.loc)
            text = f"说明写作「{name}（{word}）」，{table.name} 中其上级{word}为 {code} {actual}".rstrip()
            if other:
                confused = True
                text += f"（「{name}」是 {other[0].code} 的名称）"
            else:
                check = cat.check_name(code, name, "function", edition)
                ren = check.renaming
                if check.status is NameStatus.RENAMED and ren is not None:
                    text += (
                        f"（「{name}」是旧名称，最迟自{_edition_title(ren.edition)}起改为"
                        f"「{ren.new_name}」）"
                    )
            wrong.append(text)
        if not wrong:  # the leaf's level disagrees only with names the table lacks
            ctx.passed()
            return
        ctx.report(
            _E if confused else _W,
            "说明「{path}」与{table} 的编码不一致：{code} {name}——{problems}",
            Location.of(locs, section=section, table=table.name, row=f"{leaf.code} {leaf.label}"),
            params={
                "path": path,
                "table": table.name,
                "code": leaf.code,
                "name": leaf.label,
                "problems": "；".join(wrong),
            },
            expected=cat.path_name(leaf.code, edition, partial=True) or None,
            actual=path,
        )

    @staticmethod
    def _resolve(tree: _Tree, path: tuple[str, ...], levels: list[int]) -> Row | None:
        """The row the path names, each level under the one before (None when it breaks)."""
        rows = tree.named(levels[0], path[0])
        for name, level in zip(path[1:], levels[1:], strict=True):
            rows = [
                r
                for r in tree.named(level, name)
                if any((r.code or "").startswith(p.code or "-") for p in rows)
            ]
        return rows[0] if rows else None

    @staticmethod
    def _agreeing(tree: _Tree, leaf: Row, path: tuple[str, ...], levels: list[int]) -> int:
        code = leaf.code or ""
        hits = 0
        for name, level in zip(path[:-1], levels[:-1], strict=True):
            row = tree.by_code.get(code[: 1 + 2 * level])
            hits += row is not None and _same_name(name, row.label, level)
        return hits

    @staticmethod
    def _renamed_leaf(
        ctx: AuditContext,
        cat: Catalog,
        table: Table,
        tree: _Tree,
        st: Statement,
        path: str,
        level: int,
        section: str | None,
    ) -> None:
        """A leaf the table does not print by that name: reported when it is a recorded old
        name of a code the table prints; otherwise N301 checks its amount is zero."""
        for ren in cat.renamings("function"):
            row = tree.by_code.get(ren.code)
            if row is None or row.level != level or not names_match(st.path[-1], ren.old_name):
                continue
            ctx.report(
                _W,
                "说明「{path}」使用 {code} 的旧名称「{old_name}」：最迟自{edition}起为「{new_name}」，"
                "{table} 印作「{name}」",
                Location.of(
                    [st.loc, row.loc],
                    section=section,
                    table=table.name,
                    row=f"{ren.code} {row.label}",
                ),
                params={
                    "path": path,
                    "code": ren.code,
                    "old_name": ren.old_name,
                    "edition": _edition_title(ren.edition),
                    "new_name": ren.new_name,
                    "table": table.name,
                    "name": row.label,
                },
                expected=row.label,
                actual=st.path[-1],
            )
            return
