"""The generic fallback: a profile inferred from a document whose template no profile knows.

Every table that can be read is typed, and only the identities its own structure states are
checked:

- **columns** from the body (a column of figures is an amount column, a column of names or
  codes a label column; 行次/栏次 are index columns, 备注-like text after the figures text
  columns) and their labels from the header rows. Label and amount columns alternating
  (`项目 | 金额 | 项目 | 金额`) make side-by-side panels (收入 ‖ 支出).
- **rows** from codes: 支出功能分类 (2xx) or 部门经济分类 (3xx) codes make a coded table whose
  类 = Σ 款 = Σ 项 (when no code repeats) and whose 合计 row = Σ 类 (when every other row is
  coded); rows with a total word (合计, 总计) are totals.
- **row sums** only where the header says so: a column headed 合计/总计/小计 equals the sum
  of its siblings under the same header cell — a sibling group counts with its own 小计 if it
  prints one, else with its columns; `其中` columns are parts of another column and left out.

An identity the header suggests but most rows contradict is a misreading of the header
(two measures side by side, a subset column), not a finding: it is dropped and a note says so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from yusuan.kinds import column_role, performance_column, table_kind
from yusuan.model.provenance import Loc
from yusuan.model.tables import Row, RowKind, Table
from yusuan.money import Unit, parse_number
from yusuan.profiles.generic import GENERIC_ID, GENERIC_NAME, generic_base
from yusuan.profiles.schema import Profile, RowSumSpec, TableSpec
from yusuan.readers import numbering
from yusuan.readers.assemble.figures import find_figures
from yusuan.readers.assemble.named_codes import class_code
from yusuan.readers.assemble.tables import parse_label, type_table
from yusuan.readers.ir import RawCell, RawDocument, RawRow, RawTable
from yusuan.text import normalize_name, strip_ordinal

_DASH = frozenset({"-", "—", "－", "/", "–"})
_CODE_DIGITS = re.compile(r"^\d{2,7}$")
_SHORT_OR_CODE = re.compile(r"^(?:\d{1,3}|\d{5}|\d{6}|\d{7})$")
_INDEX_HEAD = frozenset({"行次", "栏次", "序号"})
_LABEL_HEAD = re.compile(
    r"^(?:类|款|项|项目|序号|单位|部门|年度|年份)$|科目|编码|代码|名称|功能分类|经济分类"
)
_TOTAL_HEAD = re.compile(r"(?:合计|总计|小计|总数|总额)$")
_TEXT_HEAD = re.compile(r"备注|说明|简介|内容|依据|标准|用途|理由|方式|类别|时间|规格|型号")
_PERFORMANCE = re.compile(r"绩效目标表|绩效自评表|绩效评价表")
_DISCLOSURE_WORDS = re.compile(r"(?:部门|单位|收入|支出|财政拨款)(?:综合)?(?:预算|决算)")
_MIN_NARRATIVE_AMOUNTS = 5


@dataclass(slots=True)
class Inference:
    """The inferred profile, which raw table each table spec types, and what was noticed."""

    profile: Profile
    by_index: dict[int, TableSpec] = field(default_factory=dict)
    # (message, where, whether the audit reports it): dropped identities are reported (C710);
    # tables left untyped are listed by C703 already.
    notes: list[tuple[str, Loc, bool]] = field(default_factory=list)
    # Raw tables left untyped, by index: why (None for an empty table: nothing to read).
    skipped: dict[int, str | None] = field(default_factory=dict)


def has_amounts(raw: RawDocument) -> bool:
    """Does any table print a figure? A document whose tables hold none (a checklist, a
    table of contents) is not a disclosure."""
    for table in raw.tables:
        for row in table.body_rows:
            for cell in row.cells:
                text = cell.text.strip()
                parsed = parse_number(text) if text else None
                # Decimals, digit groups or a length no code or 序号 has: a money figure.
                if parsed is not None and (
                    parsed.decimals or "," in parsed.raw or not _SHORT_OR_CODE.match(text)
                ):
                    return True
    return False


def _prints_figures(rt: RawTable) -> bool:
    """Does the table print a money figure other than zero (as `has_amounts` tells one)?"""
    for row in rt.body_rows:
        for cell in row.cells:
            text = cell.text.strip()
            parsed = parse_number(text) if text else None
            if (
                parsed is not None
                and parsed.value
                and (parsed.decimals or "," in parsed.raw or not _SHORT_OR_CODE.match(text))
            ):
                return True
    return False


def is_disclosure_narrative(raw: RawDocument) -> bool:
    """Text that restates a disclosure's figures (a 情况说明 published apart from its tables,
    as Beijing does): it names itself a 预算/决算 and states amounts."""
    text = "".join(p.text for p in raw.paragraphs)
    if not _DISCLOSURE_WORDS.search(text):
        return False
    amounts = sum(
        1 for p in raw.paragraphs for f in find_figures(p.text) if f.unit in ("万元", "元", "亿元")
    )
    return amounts >= _MIN_NARRATIVE_AMOUNTS


def readable(raw: RawDocument) -> bool:
    """Whether the generic profile can read the document: figures in its tables, or a
    narrative that restates figures. Anything else is not a disclosure."""
    return has_amounts(raw) or is_disclosure_narrative(raw)


def infer_profile(raw: RawDocument, base: Profile | None = None) -> Inference:
    base = base or generic_base()
    inference = Inference(base)
    specs: list[TableSpec] = []
    titles = " ".join(t.title for t in raw.tables)
    kind = "决算" if "决算" in titles else base.kind
    units = Counter(u for u in (Unit.parse(t.unit_text) for t in raw.tables) if u is not None)
    unit = units.most_common(1)[0][0] if units else Unit(base.unit)
    for index, rt in enumerate(raw.tables):
        if any(r.is_blank() for r in rt.body_rows):
            # Blank rows (page space, padding under the last row) carry nothing to read.
            rt = raw.tables[index] = replace(
                rt, body_rows=[r for r in rt.body_rows if not r.is_blank()]
            )
        if _lacks_label_column(rt):
            # A row of figures under a header with no label column (三公 tables print one):
            # an empty label column lets the shared typing read it like any other table.
            rt = raw.tables[index] = _with_label_column(rt)
        before = len(inference.notes)
        contents = _contents(rt, f"G{index + 1}")
        if contents is not None:
            rt = raw.tables[index] = contents[0]
            spec: TableSpec | None = contents[1]
        else:
            spec = _infer_table(rt, f"G{index + 1}", unit, inference.notes)
        if spec is not None:
            specs.append(spec)
            inference.by_index[index] = spec
        elif not _PERFORMANCE.search(normalize_name(rt.title)):
            said = [m for m, _, _ in inference.notes[before:]]
            empty = any("没有数据" in m for m in said)
            # A 报表目录 or a list of names (预算单位构成) prints no figure: nothing in it
            # is left unread.
            nothing = empty or table_kind(rt.title) == "contents" or _is_name_list(rt)
            inference.skipped[index] = (
                None if nothing else (said[0] if said else "表格结构未能识别")
            )
    data = base.model_dump()
    data.update(
        id=GENERIC_ID,
        name=GENERIC_NAME,
        kind=kind,
        unit=unit.value if unit.value in ("万元", "元") else base.unit,
        tables=[s.model_dump() for s in specs],
    )
    inference.profile = Profile.model_validate(data)
    inference.by_index = {
        i: inference.profile.tables[specs.index(s)] for i, s in inference.by_index.items()
    }
    return inference


_DIGIT = re.compile(r"\d")
_NAME_LIST_HEAD = re.compile(r"^(?:序号|行次)$|编码|代码")


def _is_name_list(rt: RawTable) -> bool:
    """An untitled table whose only digits are 序号 or codes: a list of names in the text
    (西安 预算单位构成: `序号 | 单位名称 | 拟变动情况`), not a table of figures."""
    if rt.title or not rt.header_rows or not rt.body_rows:
        return False
    width = max(len(r.cells) for r in [*rt.header_rows, *rt.body_rows])
    leaves = header_leaves(rt.header_rows, width)
    filled = {j for row in rt.body_rows for j, c in enumerate(row.cells[:width]) if c.text.strip()}
    if not all(leaves[j] for j in filled):
        return False  # a form's rows run on under no header of their own
    return not any(
        _DIGIT.search(cell.text) and not _NAME_LIST_HEAD.search(leaves[j])
        for row in rt.body_rows
        for j, cell in enumerate(row.cells[:width])
    )


# ───────────────────────────── one table ─────────────────────────────

_EMPTY_HEAD = "是否空表"


def _contents(rt: RawTable, key: str) -> tuple[RawTable, TableSpec] | None:
    """A 报表目录 that says which tables are empty (`报表 | 报表名称 | 是否空表 | 公开空表理由`,
    西安 2021–2022): read as a contents table, so that its `是` lines become the statements of
    the tables they name (`contents_notes`). Its header row may have been read as its first
    body row. None for any other table."""
    if table_kind(rt.title) != "contents":
        return None
    rows = [*rt.header_rows, *rt.body_rows]
    at = next(
        (
            n
            for n, r in enumerate(rows)
            if any(normalize_name(c.text) == _EMPTY_HEAD for c in r.cells)
        ),
        None,
    )
    if at is None:
        return None
    head = [normalize_name(c.text) for c in rows[at].cells]
    first = head.index(_EMPTY_HEAD)
    if first < 1:
        return None  # no column left for the tables' names
    columns = [{"key": "empty", "label": _EMPTY_HEAD, "kind": "text"}]
    columns += [
        {
            "key": f"reason{n}" if n else "reason",
            "label": h or f"第{first + 2 + n}列",
            "kind": "text",
        }
        for n, h in enumerate(head[first + 1 :])
    ]
    spec = TableSpec.model_validate(
        {
            "key": key,
            "title": rt.title,
            "layout": "contents",
            "kind": "contents",
            "required": False,
            "columns": columns,
        }
    )
    return replace(rt, header_rows=rows[: at + 1], body_rows=rows[at + 1 :]), spec


@dataclass(slots=True)
class _Column:
    index: int
    path: tuple[tuple[int, int], ...]  # header nodes, outermost first
    labels: tuple[str, ...]
    numbers: int = 0
    codes: int = 0  # bare 2–7 digit integers: codes as often as amounts
    digits: int = 0  # bare integers of other lengths (`1`), counted in `numbers` too
    texts: int = 0
    kind: str = "amount"  # amount, label, index, text

    @property
    def leaf(self) -> str:
        return self.labels[-1] if self.labels else ""


def _infer_table(
    rt: RawTable, key: str, unit: Unit, notes: list[tuple[str, Loc, bool]]
) -> TableSpec | None:
    title = rt.title or rt.label or "（无标题）"
    base: dict[str, object] = {
        "key": key,
        "title": title,
        "required": False,
        "kind": table_kind(rt.title),
    }
    width = max((len(r.cells) for r in [*rt.header_rows, *rt.body_rows]), default=0)
    if _PERFORMANCE.search(normalize_name(rt.title)) and not _is_amount_list(rt, width):
        form = "overall" if "整体" in rt.title else "project"
        grid = _performance_grid(rt, width)
        if grid is not None:
            return TableSpec.model_validate(
                {
                    **base,
                    "layout": "performance-grid",
                    "form": form,
                    "columns": grid,
                    "may_be_empty": True,
                }
            )
        return TableSpec.model_validate(
            {**base, "layout": f"performance-{form}", "repeatable": True}
        )
    if not rt.body_rows and base["kind"] is None:
        notes.append((f"表「{title}」没有数据（空表），未审核", rt.loc, False))
        return None
    if width < 2:
        return None
    columns = _columns(rt, width)
    panels = _panels(columns)
    if panels is None:
        return None
    base["may_be_empty"] = True
    row_sums = [rs.model_dump() for _, values in panels for rs in _row_sums(columns, values)]
    if len(panels) > 1:
        panel_specs = [
            {
                "key": f"p{n}",
                "label": _panel_label(columns, labels, values) or f"第{n}栏",
                "columns": _column_specs(columns, values),
                "classification": _classification(rt, labels),
                "label_columns": len(labels),
            }
            for n, (labels, values) in enumerate(panels, start=1)
        ]
        for panel, (labels, _values) in zip(panel_specs, panels, strict=True):
            if panel["classification"] is None and _names_classes(rt, labels):
                panel.update(classification="function", codes_by_name=True, inferred_classes=True)
        layout = "two-panel" if len(panel_specs) == 2 else "panels"
        data = {**base, "layout": layout, "panels": panel_specs, "row_sums": row_sums}
    else:
        labels, values = panels[0]
        classification = _classification(rt, labels)
        layout = "coded" if classification else "items"
        if classification and len(labels) >= 2 and _is_project_column(columns[labels[-1]]):
            # Codes under budget-unit rows with a project column (项目支出表): project rows
            # name the project in the last label column, units group them.
            layout = "coded-grouped"
        data = {
            **base,
            "layout": layout,
            "classification": classification,
            "columns": _column_specs(columns, values),
            "row_sums": row_sums,
            "leading_index": sum(1 for v in values if v < labels[0]),
        }
    return _checked(rt, TableSpec.model_validate(data), unit, notes)


# Header words of money columns in a list of projects (广州 项目支出绩效目标表: 总计 | 财政拨款 |
# 财政专户拨款 | 其他资金 | 绩效目标 | 绩效指标, one row per project).
_MONEY_HEAD = re.compile(r"总计|合计|小计|财政拨款|金额|资金|预算数")


def _is_amount_list(rt: RawTable, width: int) -> bool:
    """A 绩效目标表 printed as a list, a row per project under a header of money columns,
    rather than a form per project: read as a table, its sums can be checked."""
    if not rt.header_rows or width < 3:
        return False
    money = [
        c
        for c in _columns(rt, width)
        if c.kind == "amount" and c.numbers >= 3 and _MONEY_HEAD.search(normalize_name(c.leaf))
    ]
    return len(money) >= 2


# A money column of a 绩效 grid, by role: the grid's fund keys (`total`, `fiscal…`, `other…`).
_GRID_FUNDS = {
    "total": "total",
    "amount": "total",
    "fiscal": "fiscal",
    "general": "fiscal_general",
    "gov-fund": "fiscal_gov_fund",
    "state-capital": "fiscal_state_capital",
    "special-account": "other_special",
    "unit-funds": "other_unit",
    "other-income": "other",
    "carryover": "other_carryover",
}


def _performance_grid(rt: RawTable, width: int) -> list[dict[str, str | None]] | None:
    """The columns of a 绩效目标表 printed as a grid — a header naming the project and the
    indicator over a block of rows per project (重庆 表十二) — keyed for the grid reader by
    their header words (`kinds.toml` [[performance_column]]); None when the header is not such
    a grid's (a form per project, read as a form)."""
    if not rt.header_rows or width < 4:
        return None
    out: list[dict[str, str | None]] = []
    for col in _columns(rt, width):
        label = col.leaf
        key = performance_column(label)
        role = column_role(col.labels) if key is None else None
        if key is None and role in _GRID_FUNDS and col.kind == "amount":
            out.append({"key": _GRID_FUNDS[role], "label": label, "kind": "amount", "role": role})
            continue
        kind = "index" if key == "index" else "text"
        out.append({"key": key or f"c{col.index + 1}", "label": label, "kind": kind})
    keys = [c["key"] for c in out]
    if len(set(keys)) != len(keys) or "name" not in keys or "level3" not in keys:
        return None
    return out


def _is_project_column(col: _Column) -> bool:
    return any("项目" in normalize_name(t) and not _TOTAL_HEAD.search(t) for t in col.labels[-1:])


def _lacks_label_column(rt: RawTable) -> bool:
    if not rt.body_rows or _PERFORMANCE.search(normalize_name(rt.title)):
        return False
    firsts = [row.cells[0].text.strip() for row in rt.body_rows if row.cells]
    filled = [t for t in firsts if t and t not in _DASH]
    return bool(filled) and all(
        parse_number(t) is not None and not _CODE_DIGITS.match(t) for t in filled
    )


def _with_label_column(rt: RawTable) -> RawTable:
    def widen(row: RawRow) -> RawRow:
        return RawRow([RawCell("", row.loc), *row.cells], row.loc)

    return replace(
        rt,
        header_rows=[widen(r) for r in rt.header_rows],
        body_rows=[widen(r) for r in rt.body_rows],
    )


def _label_cells(row: RawRow, labels: Sequence[int]) -> list[RawCell]:
    return [row.cells[i] for i in labels if i < len(row.cells)]


def _columns(rt: RawTable, width: int) -> list[_Column]:
    paths = _header_paths(rt.header_rows, width)
    columns = []
    for j in range(width):
        labels = tuple(_node_text(rt.header_rows, n) for n in paths[j])
        columns.append(_Column(j, paths[j], labels))
    for row in rt.body_rows:
        for j, cell in enumerate(row.cells[:width]):
            text = cell.text.strip()
            if not text or text in _DASH:
                continue
            col = columns[j]
            if _CODE_DIGITS.match(text):
                col.codes += 1
            elif parse_number(text) is not None:
                col.numbers += 1
                col.digits += text.isdigit()
            else:
                col.texts += 1
    first_text = next((c.index for c in columns if c.texts > c.numbers + c.codes), width)
    # A table printed empty has only its header to tell an amount column from a text one.
    blank = bool(rt.header_rows) and not any(c.numbers or c.codes for c in columns)
    for col in columns:
        heads = [normalize_name(t) for t in col.labels]
        leaf = heads[-1] if heads else ""
        label_head = any(_LABEL_HEAD.search(h) for h in heads) and not _TOTAL_HEAD.search(leaf)
        if leaf in _INDEX_HEAD:
            col.kind = "index"
        elif col.texts > col.numbers + col.codes:
            col.kind = "label"
        elif col.numbers or col.codes:
            # Bare integers left of the names are codes (`205 | 03 | 01`); right of them,
            # or headed like an amount (`15` under 购置费), they are figures.
            # Under a code header, a lone `1` (西安 单位编码 of a `1 | 全额` 资金性质 line) is a
            # code too: only a figure with decimals or digit groups is an amount there.
            is_code = (not col.numbers or (label_head and col.numbers == col.digits)) and (
                col.index < first_text or label_head
            )
            col.kind = "label" if is_code else "amount"
        elif any(_TEXT_HEAD.search(h) for h in heads[-1:]):
            col.kind = "text"  # an empty 备注 column
        elif label_head or (col.index == 0 and not heads):
            col.kind = "label"  # an empty column: its header tells (an unheaded first one)
        elif blank and column_role(col.labels) is None:
            col.kind = "text"  # no figure, and a header naming no amount (资金性质, 采购目录)
        else:
            col.kind = "amount"
    # Text after the last figures (备注, 项目简介) belongs to the last panel as text columns.
    last_value = max((c.index for c in columns if c.kind in ("amount", "index")), default=-1)
    for col in columns[last_value + 1 :]:
        col.kind = "text"
    first_amount = next((c.index for c in columns if c.kind == "amount"), width)
    for col in columns[: last_value + 1]:
        # A text column between figures separates two panels; an empty one (实施采购时间
        # left blank) names nothing and separates nothing.
        if col.kind == "text" and (col.texts or col.index < first_amount):
            col.kind = "label"
    _codes_beside_figures(columns)
    return columns


_CODE_HEAD = re.compile(r"编码|代码|科目|^[类款项]$")


def _attribute(col: _Column) -> bool:
    """A column describing its row rather than naming it: codes only, or text under a
    备注-like header (实施采购时间)."""
    heads = [normalize_name(t) for t in col.labels]
    if not col.texts:
        return any(_CODE_HEAD.search(h) for h in heads)
    return any(_TEXT_HEAD.search(h) for h in heads[-1:])


def _codes_beside_figures(columns: list[_Column]) -> None:
    """Codes printed right of a figure with no name after them (西安 政府采购表: `数量 |
    部门预算支出经济科目编码 类 款 | 政府预算支出经济科目编码 类 款 | 预算金额`) classify the
    row a second and third way; they open no panel of their own, since a panel's labels
    name its rows. They are kept as text."""
    first_amount = next((c.index for c in columns if c.kind == "amount"), len(columns))
    run: list[_Column] = []
    for col in [*columns[first_amount + 1 :], None]:
        if col is not None and col.kind == "label":
            run.append(col)
            continue
        if run and col is not None and any(c.codes for c in run) and all(map(_attribute, run)):
            for c in run:
                c.kind = "text"
        run = []


def _panels(columns: list[_Column]) -> list[tuple[list[int], list[int]]] | None:
    """(label columns, value columns) per panel; None when the table has no label column."""
    panels: list[tuple[list[int], list[int]]] = []
    labels: list[int] = []
    values: list[int] = []
    for col in columns:
        if col.kind == "label":
            # 序号 columns left of the labels (`序号 | 功能科目编码 | 功能科目名称`) open the panel.
            first = labels[0] if labels else col.index
            leading_index = all(columns[v].kind == "index" and v < first for v in values)
            if values and not leading_index:
                panels.append((labels, values))
                labels, values = [], []
            labels.append(col.index)
        else:
            values.append(col.index)
    if values:
        panels.append((labels, values))
    if not panels or not panels[0][0]:
        return None
    if not any(columns[i].kind == "amount" for _, vs in panels for i in vs):
        return None
    return panels


def _column_specs(columns: list[_Column], values: list[int]) -> list[dict[str, str | None]]:
    """Columns named by their header cell, with as many outer cells as make the name unique
    (`当年·公务接待费`, `上年·公务接待费`)."""
    out = []
    # The latest year printed over the amounts is the table's year (`2025年预算数 | 2026年预算数`).
    years = [
        int(m.group(1))
        for i in values
        for label in columns[i].labels
        if (m := _YEAR_HEAD.match(label.strip()))
    ]
    year = max(years) if years else None
    for i in values:
        col = columns[i]
        name = _column_label(columns, i)
        for depth in range(2, len(col.labels) + 1):
            if sum(1 for j in values if _column_label(columns, j) == col.leaf) <= 1:
                break
            name = "·".join(col.labels[-depth:])
            if sum(1 for j in values if columns[j].labels[-depth:] == col.labels[-depth:]) <= 1:
                break
        role = column_role(col.labels, year) if col.kind == "amount" else None
        out.append({"key": f"c{i + 1}", "label": name, "kind": col.kind, "role": role})
    return out


_YEAR_HEAD = re.compile(r"^(\d{4})\s*年")


def _column_label(columns: list[_Column], index: int) -> str:
    return columns[index].leaf or f"第{index + 1}列"


def _panel_label(columns: list[_Column], labels: list[int], values: list[int]) -> str:
    for i in [*labels, *values]:
        if columns[i].labels:
            return columns[i].labels[0]
    return ""


def _names_classes(rt: RawTable, labels: Sequence[int]) -> bool:
    """Does a side list 功能分类 类 by name, without codes (`一、一般公共服务支出`, the 支出 side
    of most 收支总表)? At least two of its names are 类 names of the catalog."""
    found = 0
    for row in rt.body_rows:
        text = " ".join(c.text for c in _label_cells(row, labels) if c.text).strip()
        if text and class_code(strip_ordinal(text)) is not None:
            found += 1
            if found >= 2:
                return True
    return False


def _classification(rt: RawTable, labels: Sequence[int]) -> str | None:
    """`function` for 2xx codes, `economic` for 3xx (部门经济分类); None when rows are not
    coded or the codes mix lists (a 政府经济分类 5xx list is not in the catalog's scope)."""
    parsed = [parse_label(_label_cells(row, labels)) for row in rt.body_rows]
    found = [p.code for p in parsed if p.code]
    named = [(p.code, p.names[0]) for p in parsed if p.code and p.names]
    if len(found) < 2 or _codes_name_other_things(named):
        return None
    if all(c[0] == "2" and len(c) in (3, 5, 7) for c in found):
        return "function"
    if all(c[0] == "3" and len(c) in (3, 5) for c in found):
        return "economic"
    return None


# ───────────────────────────── header structure ─────────────────────────────


def _is_ordinal_row(row: RawRow) -> bool:
    texts = [c.text.replace(" ", "") for c in row.cells if c.text.strip()]
    return bool(texts) and all(numbering.CELL.match(t) for t in texts)


def _same_region(a: RawCell, b: RawCell) -> bool:
    """Two positions of one merged cell: the same box (PDF) or the same range (sheet)."""
    if a.loc.bbox is not None and a.loc.bbox == b.loc.bbox:
        return True
    return a.loc.cell is not None and ":" in a.loc.cell and a.loc.cell == b.loc.cell


def _has_region(cell: RawCell) -> bool:
    return cell.loc.bbox is not None or cell.loc.cell is not None


def _header_paths(header_rows: list[RawRow], width: int) -> list[tuple[tuple[int, int], ...]]:
    """For each column, the header cells above it, outermost first, as (row, column) of the
    cell holding the text. Spans come from the reader's boxes or ranges; text input has
    none, so an empty cell continues the cell to its left within the same parent, else the
    one above."""
    rows = [
        (h, r.cells + [RawCell("", r.loc)] * (width - len(r.cells)))
        for h, r in enumerate(header_rows)
        if not _is_ordinal_row(r)
    ]
    owner: list[list[tuple[int, int] | None]] = []
    for n, (h, cells) in enumerate(rows):
        line: list[tuple[int, int] | None] = []
        for j in range(width):
            cell = cells[j]
            above = owner[n - 1][j] if n else None
            if cell.text.strip():
                line.append((h, j))
            elif j and _same_region(cell, cells[j - 1]) and line[j - 1] is not None:
                line.append(line[j - 1])
            elif n and _same_region(cell, rows[n - 1][1][j]):
                line.append(above)
            elif not _has_region(cell):
                left = line[j - 1] if j else None
                same_parent = n == 0 or owner[n - 1][j] == owner[n - 1][j - 1]
                if left is not None and left[0] == h and same_parent:
                    line.append(left)
                else:
                    line.append(above)
            else:
                line.append(None)
        owner.append(line)
    paths = []
    for j in range(width):
        path: list[tuple[int, int]] = []
        for line in owner:
            node = line[j]
            if node is not None and (not path or path[-1] != node):
                path.append(node)
        paths.append(tuple(path))
    return paths


def header_leaves(header_rows: list[RawRow], width: int) -> list[str]:
    """Each column's innermost header text, normalised (`""` under no header)."""
    paths = _header_paths(header_rows, width)
    return [normalize_name(_node_text(header_rows, p[-1])) if p else "" for p in paths]


def _node_text(header_rows: list[RawRow], node: tuple[int, int]) -> str:
    h, j = node
    return header_rows[h].cells[j].text.strip()


def _is_total_head(label: str) -> bool:
    norm = normalize_name(label)
    return bool(_TOTAL_HEAD.search(norm)) and not norm.startswith("其中")


def _row_sums(columns: list[_Column], values: list[int]) -> list[RowSumSpec]:
    amounts = [columns[i] for i in values if columns[i].kind == "amount"]
    labels = {node: text for c in amounts for node, text in _path_texts(c)}
    out = []
    for total in amounts:
        if not total.path or not _is_total_head(labels.get(total.path[-1], "")):
            continue
        prefix = total.path[:-1]
        members = [
            c
            for c in amounts
            if c is not total
            and c.path[: len(prefix)] == prefix
            and len(c.path) > len(prefix)
            and not any(labels.get(n, "").startswith("其中") for n in c.path[len(prefix) :])
        ]
        if any(c.path[: len(total.path)] == total.path for c in members):
            continue  # the total heads columns of its own: two measures, not one figure
        parts = _group_parts(members, len(prefix), labels)
        # A total over one column is a copy or a subset (项目支出总数 | 扣除基建项目后), not a sum.
        if parts and len(parts) >= 2:
            out.append(RowSumSpec(total=f"c{total.index + 1}", parts=[f"c{i + 1}" for i in parts]))
    return out


def _path_texts(col: _Column) -> list[tuple[tuple[int, int], str]]:
    return list(zip(col.path, col.labels, strict=True))


def _group_parts(
    members: list[_Column], depth: int, labels: dict[tuple[int, int], str]
) -> list[int] | None:
    """The columns that add up to the groups at `depth`: a group's own 小计 when it prints
    one, else its parts, recursively. None when two totals share a level (ambiguous)."""
    groups: dict[tuple[int, int], list[_Column]] = {}
    for col in members:
        groups.setdefault(col.path[depth], []).append(col)
    parts: list[int] = []
    for node, cols in groups.items():
        if _is_total_head(labels.get(node, "")):
            return None
        leaves = [c for c in cols if len(c.path) == depth + 1]
        deeper = [c for c in cols if len(c.path) > depth + 1]
        if not deeper:
            parts += [c.index for c in leaves]
            continue
        totals = [
            c
            for c in deeper
            if len(c.path) == depth + 2 and _is_total_head(labels.get(c.path[-1], ""))
        ]
        if len(totals) == 1 and not leaves:
            parts.append(totals[0].index)
            continue
        rest = [c for c in deeper if c not in totals]
        inner = _group_parts(rest, depth + 1, labels) if not totals else None
        if inner is None:
            return None
        parts += [c.index for c in leaves] + inner
    return parts


# ───────────────────────────── checking the inference ─────────────────────────────


def _checked(
    rt: RawTable, spec: TableSpec, unit: Unit, notes: list[tuple[str, Loc, bool]]
) -> TableSpec | None:
    """Turn on roll-ups and grand totals where the rows allow them, and drop any inferred
    identity that most rows contradict (a misread header), with a note."""
    table = type_table(rt, spec, unit)
    name = rt.title or rt.label or spec.key
    if not table.readable:
        # The inference, not the document, is at fault: list the table, do not audit it.
        notes.append((f"表「{name}」的结构未能推断（{table.problems[0]}），未审核", rt.loc, False))
        return None
    if table.is_empty:
        if spec.kind is None or _prints_figures(rt):
            # A table of no known kind holds nothing to read; one that prints figures none of
            # whose columns were read is misread, not empty: neither is reported as empty.
            notes.append((f"表「{name}」没有数据（空表），未审核", rt.loc, False))
            return None
        # A table its title names (政府性基金预算支出表) printed empty is read: empty, its note
        # kept for the completeness rule (C702). No identity can be confirmed on no figures.
        return spec.model_copy(update={"row_sums": []})
    update: dict[str, object] = {}
    kept = []
    for rs in spec.row_sums:
        checked, failed = row_sum_failures(table, rs)
        if failed:
            refined = _refined(table, rs)
            if refined is not None:
                dropped = [p for p in rs.parts if p not in refined.parts]
                notes.append(
                    (
                        f"表「{name}」：「{table.column_label(rs.total)}」不含"
                        f"「{'、'.join(table.column_label(p) for p in dropped)}」"
                        "（按表头看似其组成部分，但每一行的数字都表明它不计入合计），已按此核对",
                        rt.loc,
                        True,
                    )
                )
                rs, failed = refined, 0
        labels = " + ".join(table.column_label(p) for p in rs.parts)
        if failed and not _confirmed(checked, failed):
            # An identity read from the header is used only where the rows confirm it: one
            # the rows contradict as often as they bear it out is a doubtful reading of the
            # header, and a doubtful reading is never reported as an error.
            notes.append(
                (
                    f"表「{name}」：按表头推断的「{table.column_label(rs.total)} = {labels}」"
                    f"在 {checked} 行中有 {failed} 行不成立，表头读法存疑，未作检查",
                    rt.loc,
                    True,
                )
            )
        else:
            kept.append(rs)
    update["row_sums"] = kept
    coded = [r for r in table.rows if r.code is not None]
    if coded:
        seen = Counter((r.panel, r.code) for r in coded)
        if all(n == 1 for n in seen.values()):
            checked, failed = _rollup_failures(table)
            if failed and not _confirmed(checked, failed):
                notes.append(
                    (
                        f"表「{name}」：科目编码的上下级加总多数不成立，未作逐级汇总检查",
                        rt.loc,
                        True,
                    )
                )
            else:
                update["rollup"] = True
        others = [r for r in table.rows if r.code is None and r.kind is not RowKind.TOTAL]
        totals = [r for r in table.rows if r.kind is RowKind.TOTAL]
        # A table may print 项 only (北京 预算03表): then its outermost codes are what the
        # total adds up.
        tops = [r for r in coded if r.level == 1] or table.outermost_coded_rows()
        units = [r for r in table.rows if r.kind is RowKind.UNIT]
        if units and totals:
            checked, failed = _unit_failures(table)
            if failed and not _confirmed(checked, failed):
                notes.append(
                    (f"表「{name}」：单位行与其明细之和多数不成立，未作单位小计检查", rt.loc, True)
                )
            else:
                update["unit_subtotals"] = True
        if spec.layout == "coded" and len(totals) == 1 and tops and not others:
            failed = sum(
                1
                for col in totals[0].cells
                if abs(totals[0].value(col) - sum((r.value(col) for r in tops), Decimal(0)))
                > Decimal(5).scaleb(-(table.decimals() + 1)) * (len(tops) + 1)
            )
            # One wrong figure breaks its own column and the 合计 column: more than that is
            # rows missed by the reading (a continuation page), not an error of the document.
            if failed <= 2 and failed * 3 <= len(totals[0].cells):
                update["grand_total"] = True
            else:
                notes.append(
                    (
                        f"表「{name}」：合计行与各类之和在 {failed} 列不符，可能有行未读到，"
                        "未作合计行检查",
                        rt.loc,
                        True,
                    )
                )
    return spec.model_copy(update=update)


def _confirmed(checked: int, failed: int) -> bool:
    """Rows bear an inferred identity out: it holds in at least two rows and fails in at most
    a third of them."""
    return checked - failed >= 2 and failed * 3 <= checked


def _refined(table: Table, rs: RowSumSpec) -> RowSumSpec | None:
    """The identity without the columns the header groups with the parts but every row
    leaves out (a 政府采购 memo group beside 支出总计; 会议费 and 培训费 beside “三公”经费合计):
    the columns to the right of the parts, or a single column, whose removal makes every row
    add up. None when no such removal does."""
    parts = rs.parts
    candidates = [parts[:k] for k in range(len(parts) - 1, 1, -1)]
    candidates += [[p for p in parts if p != drop] for drop in parts] if len(parts) > 2 else []
    for keep in candidates:
        trial = RowSumSpec(total=rs.total, parts=keep)
        checked, failed = row_sum_failures(table, trial)
        if checked and not failed:
            return trial
    return None


def row_sum_failures(table: Table, rs: RowSumSpec) -> tuple[int, int]:
    """(rows checked, rows where the total is not the sum of its parts within rounding)."""
    checked = failed = 0
    half = Decimal(5).scaleb(-(table.decimals() + 1))
    for row in table.rows:
        values = [row.cells.get(k) for k in [rs.total, *rs.parts]]
        if all(v is None or v.value is None for v in values):
            continue
        checked += 1
        total = row.value(rs.total)
        parts = sum((row.value(p) for p in rs.parts), Decimal(0))
        if abs(total - parts) > half * (len(rs.parts) + 1):
            failed += 1
    return checked, failed


def _unit_failures(table: Table) -> tuple[int, int]:
    """Unit rows against their 类 rows (or projects), as rule A105 will check them."""
    half = Decimal(5).scaleb(-(table.decimals() + 1))
    groups: list[tuple[Row, list[Row]]] = []
    for row in table.rows:
        if row.kind is RowKind.UNIT:
            groups.append((row, []))
        elif groups and row.unit_name == groups[-1][0].unit_name:
            groups[-1][1].append(row)
    checked = failed = 0
    for unit, members in groups:
        tops = [r for r in members if r.level == 1] or [
            r for r in members if r.kind is RowKind.PROJECT
        ]
        checked += 1
        for col in unit.cells:
            total = sum((m.value(col) for m in tops), Decimal(0))
            if abs(unit.value(col) - total) > half * (len(tops) + 1):
                failed += 1
                break
    return checked, failed


def _rollup_failures(table: Table) -> tuple[int, int]:
    children: dict[tuple[str | None, str], list[Row]] = {}
    for row in table.rows:
        if row.parent_code is not None:
            children.setdefault((row.panel, row.parent_code), []).append(row)
    half = Decimal(5).scaleb(-(table.decimals() + 1))
    checked = failed = 0
    for row in table.rows:
        if row.code is None:
            continue
        kids = children.get((row.panel, row.code))
        if not kids:
            continue
        # Each (row, column) is one check: a wrong figure breaks its own column, and the
        # other columns of the row still bear the structure out.
        for col in row.cells:
            checked += 1
            total = sum((k.value(col) for k in kids), Decimal(0))
            if abs(row.value(col) - total) > half * (len(kids) + 1):
                failed += 1
    return checked, failed


def _codes_name_other_things(named: Sequence[tuple[str, str]]) -> bool:
    """A code printed beside two different names is no row's name but an attribute of each
    row (西安 政府采购表: every purchase under the 功能 项 it is charged to): such rows are
    items, not classification rows. A name cut off by a narrow cell is still the same name."""
    names: dict[str, set[str]] = {}
    for code, name in named:
        names.setdefault(code, set()).add(normalize_name(name))
    for found in names.values():
        if len(found) > 1:
            ordered = sorted(found, key=len)
            if not all(longer.startswith(ordered[0]) for longer in ordered[1:]):
                return True
    return False
