"""Where everything goes on the page: shared by the XLSX, DOCX, HTML and PDF renderers.

A table becomes a `Grid`: header cells (from the profile's `header` data, merged where the
official table merges them) and body cells (the model's rows, as printed), each at a row and
column with its spans. A performance table (绩效目标表) becomes a grid too. The renderers only
draw grids; none of them decides what goes where, so the four formats cannot drift apart.

Nothing here computes a figure: an amount is printed from `Cell.value` with `Cell.decimals`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from yusuan.errors import ProfileError
from yusuan.model.document import (
    Document,
    ExtraTablePlace,
    ParagraphPlace,
    PerformancePlace,
    Place,
    TablePlace,
)
from yusuan.model.narrative import Figure, Indicator, PerformanceTable
from yusuan.model.tables import Column, Row, RowKind, Table
from yusuan.money import format_amount
from yusuan.profiles import load_profile
from yusuan.profiles.schema import HeaderSpec, PanelSpec, Profile, TableSpec

Align = Literal["left", "center", "right"]

# Width of one column in character units (a CJK character counts 2, as in a spreadsheet).
_MIN_TEXT, _MAX_TEXT = 8, 32
_MIN_AMOUNT, _MAX_HEADER_LINE = 9, 10
_CODE_WIDTH = 5
_DIGIT_WIDTH = 1.25
_MAX_FORM_TEXT = 20
# A grid wider than this (in character units) is printed on a landscape page: an A4 portrait
# page holds about 50 CJK characters of 9-point table text between its margins.
PORTRAIT_CAPACITY = 110

STUB_DEFAULTS = {
    "c1": "类",
    "c2": "款",
    "c3": "项",
    "code": "科目编码",
    "name": "科目名称",
    "project": "项目名称",
    "label": "项目",
    "unit_code": "单位编码",
}
DEPARTMENT_PREFIX = "编制部门："
UNIT_PREFIX = "单位："
NUMBER_MARK = "※"  # printed in the 栏次 row over columns that are not numbered

# Performance tables: which indicator fields exist, in printed order, and the words a profile
# that says nothing prints for them.
INDICATOR_FIELDS = (
    "level1",
    "level2",
    "level3",
    "value",
    "basis",
    "last_value",
    "weight",
    "rule",
    "evidence",
)
PERFORMANCE_DEFAULTS = {
    "subtitle": "({year} 年)",
    "unit": "预算单位",
    "project": "项目名称",
    "funds": "项目资金(万元)",
    "total": "年度预算总额",
    "fiscal": "其中：财政拨款",
    "other": "其他资金",
    "source": "资金来源",
    "amount": "资金总额（万元）",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "value": "指标值",
    "basis": "指标值设置依据",
    "last_value": "上年完成值",
    "weight": "指标分值权重",
    "rule": "指标赋分规则",
    "evidence": "佐证资料",
}


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to make, and grids are large
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    value: Decimal | None = None  # an amount: spreadsheets store it as a number
    decimals: int = 2
    bold: bool = False
    align: Align = "left"
    head: bool = False  # a header cell (drawn as such, repeated on every page)
    source: tuple[int, str] | None = None  # (index in Table.rows, column key) it prints

    @property
    def number_format(self) -> str:
        """Excel format of the amount: thousands separators and the printed decimals."""
        return "#,##0" + ("." + "0" * self.decimals if self.decimals > 0 else "")


@dataclass(slots=True)
class Grid:
    ncols: int
    nrows: int
    header_rows: int  # the first rows: the column header, repeated on every printed page
    cells: list[GridCell]
    widths: list[float]  # per column, in character units

    def rows(self) -> list[list[GridCell]]:
        """The cells of each row (covered positions of merged cells have none), left to right."""
        out: list[list[GridCell]] = [[] for _ in range(self.nrows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[cell.row].append(cell)
        return out

    @property
    def width(self) -> float:
        return sum(self.widths)


@dataclass(slots=True)
class TableBlock:
    """A table with the lines printed around it."""

    key: str
    label: str  # 表1 ("" when the table has no number)
    title: str
    grid: Grid
    subtitle: str = ""  # 绩效目标表: (2024 年)
    department: str = ""  # 编制部门：…
    unit: str = ""  # 单位：万元
    notes: list[str] = field(default_factory=list)
    performance: bool = False

    @property
    def landscape(self) -> bool:
        # 绩效目标表 are printed portrait in the official documents: their long texts wrap.
        return self.grid.width > PORTRAIT_CAPACITY * (1.4 if self.performance else 1.0)

    @property
    def caption(self) -> str:
        """`表1 部门收支总体情况表`: how a table is named in a sheet tab or a contents list."""
        return f"{self.label} {self.title}".strip()


@dataclass(frozen=True, slots=True)
class TextBlock:
    text: str
    level: int = 0  # 0 a paragraph; 1 第X部分, 2 一、, 3 （一）
    title: bool = False  # a line of the cover title, before 第一部分
    toc: bool = False  # a line of the document's own contents list (目录); with title, its head


Block = TextBlock | TableBlock


def display_width(text: str) -> int:
    """Width in character units: CJK and full-width characters count 2."""
    if text.isascii():  # amounts and codes: one unit a character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def title_of(doc: Document) -> str:
    """The document's title: `自治区人力资源和社会保障厅 2024 年部门预算公开`."""
    if not doc.department:
        return Path(doc.source.path).stem
    year = f"{doc.year} 年" if doc.year else ""
    profile = profile_of(doc)
    entity = (profile.entity if profile is not None else None) or "部门"  # 单位预算: 单位
    return f"{doc.department} {year}{entity}{doc.kind}公开"


def profile_of(doc: Document) -> Profile | None:
    """The document's profile, or None when it names none this installation knows."""
    try:
        if doc.inferred_profile is not None:  # generic: the profile inferred from the document
            return doc.inferred_profile
        return load_profile(doc.profile) if doc.profile else None
    except ProfileError:
        return None


# ───────────────────────────── the document in reading order ─────────────────────────────

_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_SECTION = re.compile(r"^[一二三四五六七八九十]+\s*、")
_SUBSECTION = re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[)）]")
_SPACES = re.compile(r"\s+")
_TOC_LINE = 80  # a longer line is text, not an entry of a contents list


def heading_level(text: str) -> int:
    """The level a heading's numbering gives it: 第X部分 1, 一、 2, （一） 3; others 2."""
    t = text.strip()
    if _PART.match(t):
        return 1
    if _SUBSECTION.match(t):
        return 3
    return 2


def document_blocks(doc: Document) -> list[Block]:
    """The document's blocks in reading order (`doc.order`), ready to draw.

    A paragraph that only says a table's number (`表 1`) right before that table is its
    caption: it is printed once, as the table's label, not again as a paragraph.
    """
    profile = profile_of(doc)
    blocks: list[Block] = []
    order = doc.order or default_order(doc)
    seen_part = False
    # The 目录 repeats the headings of the body: it runs until a heading comes a second time.
    toc: set[str] | None = None
    for pos, place in enumerate(order):
        if isinstance(place, ParagraphPlace):
            if not 0 <= place.paragraph < len(doc.paragraphs):
                continue
            para = doc.paragraphs[place.paragraph]
            if _is_caption(doc, para.text, order[pos + 1] if pos + 1 < len(order) else None):
                continue
            plain = _SPACES.sub("", para.text)
            if para.heading and plain == "目录":
                toc = set()
                blocks.append(TextBlock(para.text, 1, title=True, toc=True))
                continue
            in_toc = toc is not None and len(plain) <= _TOC_LINE
            if in_toc and toc is not None and (not para.heading or plain not in toc):
                if para.heading:
                    toc.add(plain)
                level = heading_level(para.text) if para.heading else 0
                blocks.append(TextBlock(para.text, level, toc=True))
                continue
            toc = None
            if para.heading:
                level = heading_level(para.text)
                seen_part = seen_part or level == 1
                blocks.append(TextBlock(para.text, level, title=not seen_part))
            else:
                blocks.append(TextBlock(para.text))
            continue
        toc = None
        if isinstance(place, TablePlace) and place.table in doc.tables:
            blocks.append(table_block(doc, doc.tables[place.table], profile))
        elif isinstance(place, ExtraTablePlace) and 0 <= place.extra_table < len(doc.extra_tables):
            n = place.extra_table
            blocks.append(table_block(doc, doc.extra_tables[n], profile, key=f"X{n + 1}"))
        elif isinstance(place, PerformancePlace) and 0 <= place.performance < len(doc.performance):
            n = place.performance
            blocks.append(performance_block(doc, doc.performance[n], n, profile))
    return blocks


def default_order(doc: Document) -> list[Place]:
    """Reading order of a Document that does not record one: text, tables, 绩效目标表."""
    order: list[Place] = [ParagraphPlace(i) for i in range(len(doc.paragraphs))]
    order += [TablePlace(key) for key in doc.tables]
    order += [ExtraTablePlace(i) for i in range(len(doc.extra_tables))]
    order += [PerformancePlace(i) for i in range(len(doc.performance))]
    return order


def _is_caption(doc: Document, text: str, nxt: Place | None) -> bool:
    if not isinstance(nxt, TablePlace):
        return False
    table = doc.tables.get(nxt.table)
    if table is None:
        return False
    return _SPACES.sub("", text) == _SPACES.sub("", table_label(table))


def table_label(table: Table) -> str:
    if table.number is not None:
        return f"表{table.number}"
    return table.label or ""


def table_blocks(doc: Document) -> list[TableBlock]:
    """Every table of the document (profile tables, extra tables, 绩效目标表), in reading order."""
    return [b for b in document_blocks(doc) if isinstance(b, TableBlock)]


# ──────────────────────────────────── statistical tables ────────────────────────────────────


@dataclass(slots=True)
class _Part:
    """One side of a table: its leading columns, its amount columns and its rows."""

    stub: list[str]  # kinds of the leading columns: c1 c2 c3 / code, name, project / label
    stub_paths: list[list[str]]
    columns: list[Column]
    column_paths: list[list[str]]
    rows: list[tuple[int, Row]]  # (index in Table.rows, row)
    code_levels: int = 0
    texts: frozenset[str] = frozenset()  # columns printing text (备注, 项目简介), not amounts


def table_block(
    doc: Document, table: Table, profile: Profile | None = None, key: str | None = None
) -> TableBlock:
    """The printed form of a statistical table (表1 … 表11, or a table the profile lacks)."""
    profile = profile if profile is not None else profile_of(doc)
    spec = profile.table(table.key) if profile is not None else None
    parts = _parts(table, spec)
    numbers = bool(spec is not None and spec.header is not None and spec.header.numbers)
    grid = _table_grid(parts, numbers)
    unit = table.unit.value if table.unit is not None else (profile.unit if profile else "")
    return TableBlock(
        key=key or table.key,
        label=table_label(table),
        title=table.title or table.printed_title,
        grid=grid,
        department=f"{DEPARTMENT_PREFIX}{doc.department}" if doc.department else "",
        unit=f"{UNIT_PREFIX}{unit}" if unit else "",
        notes=[n.text for n in table.notes],
    )


def _parts(table: Table, spec: TableSpec | None) -> list[_Part]:
    indexed = list(enumerate(table.rows))
    if spec is not None and spec.layout in ("two-panel", "panels"):
        parts = []
        for panel in spec.panels:
            columns = [c for c in table.columns if c.panel == panel.key]
            rows = [(i, r) for i, r in indexed if r.panel == panel.key]
            parts.append(_panel_part(table, spec, panel, columns, rows))
        return parts
    panels = list(dict.fromkeys(c.panel for c in table.columns))
    if spec is None and len(panels) > 1:  # side by side although no profile says so
        return [
            _part(
                ["label"],
                None,
                [c for c in table.columns if c.panel == p],
                [(i, r) for i, r in indexed if r.panel == p],
                None,
                table,
            )
            for p in panels
        ]
    header = spec.header if spec is not None else None
    stub = ["label"]
    levels = 0
    if spec is not None and spec.layout in ("coded", "coded-grouped"):
        levels = 3 if spec.classification == "function" else 2
        split = header is None or header.codes == "split"
        codes = ["c1", "c2", "c3"][:levels] if split else ["code"]
        stub = [*codes, "name"] + (["project"] if spec.layout == "coded-grouped" else [])
    elif any(r.unit_code for r in table.rows) or (header is not None and len(header.stub) == 2):
        stub = ["unit_code", "label"]  # budget units by code (西安 `122001 | 西安市…`)
    columns, texts = _printed_columns(table, spec)
    part = _part(stub, header, columns, indexed, spec, table)
    part.code_levels = levels
    part.texts = texts
    return [part]


def _printed_columns(table: Table, spec: TableSpec | None) -> tuple[list[Column], frozenset[str]]:
    """The table's columns in the template's order, text columns (备注, 项目简介, 行次) among
    the amounts: a table is printed with every column its template has, or a reader would
    take its amounts for the wrong columns."""
    if spec is None or not spec.columns:
        return list(table.columns), frozenset()
    have = {c.key: c for c in table.columns}
    out: list[Column] = []
    texts: set[str] = set()
    for c in spec.columns:
        if c.kind == "amount":
            if c.key in have:
                out.append(have.pop(c.key))
            continue
        out.append(Column(c.key, c.label))
        texts.add(c.key)
    out += have.values()  # a column no template names (a generic table): kept, last
    return out, frozenset(texts)


def _panel_part(
    table: Table,
    spec: TableSpec,
    panel: PanelSpec,
    columns: list[Column],
    rows: list[tuple[int, Row]],
) -> _Part:
    header = panel.header
    part = _part(["label"], header, columns, rows, spec, table, panel)
    if header is None:  # no printed header in the profile: the panel's name over its columns
        part.stub_paths = [[panel.label, STUB_DEFAULTS["label"]]]
        part.column_paths = [[panel.label, *p] for p in part.column_paths]
    return part


def _part(
    stub: list[str],
    header: HeaderSpec | None,
    columns: list[Column],
    rows: list[tuple[int, Row]],
    spec: TableSpec | None,
    table: Table,
    panel: PanelSpec | None = None,
) -> _Part:
    if header is not None and header.stub:
        if len(header.stub) != len(stub):
            raise ProfileError(
                f"模板表头与版式不符：{table.key} 的 header.stub 有 {len(header.stub)} 列，"
                f"该版式需要 {len(stub)} 列（{'、'.join(STUB_DEFAULTS[s] for s in stub)}）"
            )
        stub_paths = [list(p) for p in header.stub]
    else:
        stub_paths = [[STUB_DEFAULTS[s]] for s in stub]
    specs = {
        c.key: c for c in (panel.columns if panel is not None else spec.columns if spec else [])
    }
    over = list(header.over) if header is not None else []
    column_paths = []
    for col in columns:
        cs = specs.get(col.key)
        leaf = list(cs.header) if cs is not None and cs.header else [col.label]
        column_paths.append([*over, *leaf])
    return _Part(stub, stub_paths, columns, column_paths, rows)


def _table_grid(parts: Sequence[_Part], numbers: bool) -> Grid:
    paths = [p for part in parts for p in [*part.stub_paths, *part.column_paths]]
    kinds = [
        k
        for part in parts
        for k in [*part.stub, *("text" if c.key in part.texts else "amount" for c in part.columns)]
    ]
    ncols = len(paths)
    cells, depth = header_cells(paths)
    if numbers:
        n = 0
        for col, kind in enumerate(kinds):
            if kind == "amount":
                n += 1
            text = str(n) if kind == "amount" else NUMBER_MARK
            cells.append(GridCell(depth, col, text, align="center", head=True))
        depth += 1
    body, height = _body_cells(parts, depth)
    cells += body
    grid = Grid(ncols, depth + height, depth, cells, [0.0] * ncols)
    grid.widths = _widths(grid, kinds)
    return grid


def header_cells(paths: Sequence[Sequence[str]]) -> tuple[list[GridCell], int]:
    """Merged header cells for columns given as paths of printed cells, outermost first.

    A cell spans the adjacent columns whose paths begin alike; the last cell of a path reaches
    down to the last header row. Returns the cells and the number of header rows.
    """
    depth = max((len(p) for p in paths), default=0)
    cells: list[GridCell] = []
    for level in range(depth):
        col = 0
        while col < len(paths):
            path = paths[col]
            if level >= len(path):  # under the last cell of a shorter path
                col += 1
                continue
            last = level == len(path) - 1
            span = 1
            if not last:
                while (
                    col + span < len(paths)
                    and len(paths[col + span]) - 1 > level
                    and list(paths[col + span][: level + 1]) == list(path[: level + 1])
                ):
                    span += 1
            cells.append(
                GridCell(
                    row=level,
                    col=col,
                    text=path[level],
                    rowspan=depth - level if last else 1,
                    colspan=span,
                    bold=True,
                    align="center",
                    head=True,
                )
            )
            col += span
    return cells, depth


def _body_cells(parts: Sequence[_Part], top: int) -> tuple[list[GridCell], int]:
    """Rows of every part side by side from grid row `top`, and how many lines they take;
    when each part ends in a total, the totals share the last line."""
    height = max((len(part.rows) for part in parts), default=0)
    totals_aligned = len(parts) > 1 and all(
        part.rows and part.rows[-1][1].kind is RowKind.TOTAL for part in parts
    )
    cells: list[GridCell] = []
    offset = 0
    for part in parts:
        width = len(part.stub) + len(part.columns)
        last = len(part.rows) - 1
        used: set[int] = set()
        for pos, (index, row) in enumerate(part.rows):
            line = height - 1 if totals_aligned and pos == last else pos
            used.add(line)
            cells += _row_cells(part, index, row, offset, top + line)
        for line in range(height):
            if line not in used:  # this side has fewer rows: blank cells keep the ruling
                cells += [GridCell(top + line, offset + n, "") for n in range(width)]
        offset += width
    return cells, height


def _row_cells(part: _Part, index: int, row: Row, offset: int, r: int) -> list[GridCell]:
    cells: list[GridCell] = []
    bold = row.bold
    segments = _code_segments(row.code, part.code_levels) if row.code else []
    for n, kind in enumerate(part.stub):
        text = ""
        align: Align = "left"
        if kind.startswith("c") and kind != "code":
            level = int(kind[1]) - 1
            text = segments[level] if level < len(segments) else ""
            align = "center"
        elif kind == "code":
            text = row.code or ""
        elif kind == "name":
            text = row.label
            align = "center" if row.kind is RowKind.TOTAL else "left"
        elif kind == "project":
            text = row.project or ""
        elif kind == "unit_code":
            text = row.unit_code or ""
        elif kind == "label":
            # A fixed row standing for a code (西安 表1 `工资福利支出` = 301) prints its label
            # alone, as the template does: the code is the template's, not the row's text.
            coded = row.code and row.kind is not RowKind.ITEM
            text = f"{row.code} {row.label}" if coded else row.label
            align = "center" if row.kind is RowKind.TOTAL else "left"
        cells.append(GridCell(r, offset + n, text, bold=bold, align=align))
    base = offset + len(part.stub)
    for n, col in enumerate(part.columns):
        if col.key in part.texts:
            cells.append(GridCell(r, base + n, row.texts.get(col.key, ""), bold=bold))
            continue
        cell = row.cells.get(col.key)
        if cell is None or cell.value is None:
            cells.append(GridCell(r, base + n, "", bold=bold, align="right"))
            continue
        cells.append(
            GridCell(
                r,
                base + n,
                format_amount(cell.value, cell.decimals),
                value=cell.value,
                decimals=cell.decimals,
                bold=bold,
                align="right",
                source=(index, col.key),
            )
        )
    return cells


def _code_segments(code: str, levels: int) -> list[str]:
    """`2080101` → [208, 01, 01]: the 类 (3 digits) then 2 digits per level."""
    if levels == 0:
        return [code]
    segments = [code[:3]]
    rest = code[3:]
    while rest and len(segments) < levels:
        segments.append(rest[:2])
        rest = rest[2:]
    if rest:  # longer than the table's levels: keep it whole in the last column
        segments[-1] += rest
    return segments


def _widths(grid: Grid, kinds: Sequence[str]) -> list[float]:
    widths = [0.0] * grid.ncols
    for cell in grid.cells:
        if cell.colspan != 1:
            continue
        w = float(display_width(cell.text))
        if cell.value is not None or cell.text.isdigit():
            # Digits are wider than half a CJK character in most fonts, bold ones more so.
            w *= _DIGIT_WIDTH
        if cell.head:
            w = min(w, _MAX_HEADER_LINE)
        widths[cell.col] = max(widths[cell.col], w)
    out = []
    for col, w in enumerate(widths):
        kind = kinds[col] if col < len(kinds) else "label"
        if kind == "amount":
            out.append(max(w + 1, _MIN_AMOUNT))
        elif kind in ("c1", "c2", "c3"):
            out.append(max(w, _CODE_WIDTH))
        else:
            out.append(min(max(w + 1, _MIN_TEXT), _MAX_TEXT))
    return out


# ───────────────────────────────────── 绩效目标表 ─────────────────────────────────────


def performance_block(
    doc: Document, perf: PerformanceTable, index: int, profile: Profile | None = None
) -> TableBlock:
    """The printed form of a 绩效目标表: the form rows, then the indicators."""
    profile = profile if profile is not None else profile_of(doc)
    labels = dict(PERFORMANCE_DEFAULTS)
    spec_key = "PO" if perf.kind == "overall" else "PP"
    spec = profile.table(spec_key) if profile is not None else None
    own = spec.header.labels if spec is not None and spec.header is not None else {}
    labels.update(own)
    # The profile's columns (all nine when it names none; the 部门整体 form has no 上年完成值,
    # 赋分规则, 佐证资料), and any other an indicator fills: a rendering drops nothing.
    if own:
        shown = set(own)
    elif perf.kind == "overall":
        shown = set(INDICATOR_FIELDS) - {"last_value", "rule", "evidence"}
    else:
        shown = set(INDICATOR_FIELDS)
    fields = [
        f
        for f in INDICATOR_FIELDS
        if f in shown or any(_indicator_text(ind, f) for ind in perf.indicators)
    ]
    overall = perf.kind == "overall" and bool(perf.fund_lines)
    ncols = max(len(fields), 6 if overall else 8)
    cells: list[GridCell] = []
    row = 0

    def put(col: int, text: str, span: int = 1, bold: bool = False, align: Align = "left") -> None:
        cells.append(GridCell(row, col, text, colspan=span, bold=bold, align=align, head=bold))

    put(0, labels["unit"], 2, bold=True, align="center")
    put(2, perf.unit_name or "", ncols - 2)
    row += 1
    if perf.kind != "overall" or perf.project:
        put(0, labels["project"], 2, bold=True, align="center")
        put(2, perf.project or "", ncols - 2)
        row += 1
    if overall:
        first = row
        cells.append(
            GridCell(
                row,
                0,
                labels["funds"],
                rowspan=len(perf.fund_lines) + 1,
                colspan=2,
                bold=True,
                align="center",
                head=True,
            )
        )
        half = (ncols - 2) // 2
        put(2, labels["source"], half, align="center")
        put(2 + half, labels["amount"], ncols - 2 - half, align="center")
        for label, line_figure in perf.fund_lines:
            row += 1
            put(2, label, half)
            cells.append(_figure_cell(row, 2 + half, line_figure, ncols - 2 - half))
        row = max(row, first) + 1
    elif perf.total is not None or perf.fiscal is not None or perf.other is not None:
        put(0, labels["funds"], 2, bold=True, align="center")
        col = 2
        pairs: tuple[tuple[str, Figure | None], ...] = (
            ("total", perf.total),
            ("fiscal", perf.fiscal),
            ("other", perf.other),
        )
        for n, (name, figure) in enumerate(pairs):
            put(col, labels[name], align="center")
            last = n == len(pairs) - 1
            span = ncols - col - 1 if last else 1
            cells.append(_figure_cell(row, col + 1, figure, span))
            col += 2
        row += 1
    for col, name in enumerate(fields):
        last = col == len(fields) - 1
        put(col, labels[name], ncols - col if last else 1, bold=True, align="center")
    row += 1
    cells += _indicator_cells(perf.indicators, fields, row, ncols)
    nrows = row + len(perf.indicators)
    kinds = ["label"] * ncols
    grid = Grid(ncols, nrows, 0, cells, [0.0] * ncols)
    grid.widths = _widths(grid, kinds)
    # Form rows span several columns, so they leave the widths to the indicator columns; the
    # value-like columns must still hold a printed amount.
    for col in range(ncols):
        # Indicator texts wrap rather than widen the table: the official forms are portrait.
        width = min(grid.widths[col], _MAX_FORM_TEXT)
        grid.widths[col] = max(width, _MIN_AMOUNT if col >= 2 else _MIN_TEXT)
    subtitle = labels["subtitle"].replace("{year}", str(doc.year)) if doc.year else ""
    return TableBlock(
        key=f"P{index + 1}",
        label="",
        title=perf.title or (spec.title if spec is not None else "绩效目标表"),
        grid=grid,
        subtitle=subtitle,
        performance=True,
    )


def _figure_cell(row: int, col: int, figure: Figure | None, span: int) -> GridCell:
    if figure is None:
        return GridCell(row, col, "", colspan=span, align="right")
    return GridCell(
        row,
        col,
        format_amount(figure.value, figure.decimals),
        colspan=span,
        value=figure.value,
        decimals=figure.decimals,
        align="right",
    )


def _indicator_text(ind: Indicator, name: str) -> str:
    value = getattr(ind, name)
    if value is None:
        return ""
    return str(value)


def _indicator_cells(
    indicators: Sequence[Indicator], fields: Sequence[str], top: int, ncols: int
) -> list[GridCell]:
    """Indicator rows; 一级/二级指标 repeated on consecutive rows print once, merged down."""
    cells: list[GridCell] = []
    merged = [f for f in ("level1", "level2") if f in fields]
    for col, name in enumerate(fields):
        last = col == len(fields) - 1
        span = ncols - col if last else 1
        align: Align = "center" if name in ("level1", "level2", "weight") else "left"
        if name in merged:
            keys = [
                tuple(_indicator_text(ind, f) for f in merged[: merged.index(name) + 1])
                for ind in indicators
            ]
            for start, length in _runs(keys):
                text = _indicator_text(indicators[start], name)
                cells.append(
                    GridCell(top + start, col, text, rowspan=length, colspan=span, align=align)
                )
        else:
            for n, ind in enumerate(indicators):
                cells.append(
                    GridCell(top + n, col, _indicator_text(ind, name), colspan=span, align=align)
                )
    return cells


def _runs(keys: Iterable[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(start, length) of each run of equal consecutive keys."""
    runs: list[tuple[int, int]] = []
    previous: tuple[str, ...] | None = None
    for n, key in enumerate(keys):
        if runs and key == previous and all(key):
            start, length = runs[-1]
            runs[-1] = (start, length + 1)
        else:
            runs.append((n, 1))
        previous = key
    return runs
