"""RawTable → typed Table, by the layout its profile entry names.

All formats share this: the text reader, the PDF reader and the spreadsheet reader hand
over rows of cell texts; here they become rows with codes, levels, units, projects and
exact amounts. Problems that make a table unreliable (a missing column) are recorded on
the table, so the audit reports its checks as not run instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from yusuan.kinds import column_role, table_kind
from yusuan.model.provenance import Loc
from yusuan.model.tables import Cell, Column, Row, RowKind, Table, TableNote
from yusuan.money import Unit, parse_number
from yusuan.profiles.schema import ColumnSpec, ItemSpec, PanelSpec, TableSpec
from yusuan.readers.ir import RawCell, RawRow, RawTable
from yusuan.text import normalize_name, strip_ordinal

_CODE_WHOLE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
_CODE_PART = re.compile(r"^\d{2,3}$")
_CODE_AND_NAME = re.compile(r"^(\d{2,7})\s*[-－—_]?\s*([^\d\s\-－—_].*)$")
# `[201]一般公共服务支出`, `【30101】基本工资`: a code in brackets before the name.
_BRACKETED_CODE = re.compile(r"^[\[【〔]\s*(\d{3,7})\s*[\]】〕]\s*(\S.*)$")
# `301 01 基本工资`, `208 01 01 行政运行`: the levels of a code apart in one cell.
_SPACED_CODE = re.compile(r"^(\d{3})\s+(\d{2})(?:\s+(\d{2}))?\s+([^\d\s].*)$")
_TOTAL_WORDS = ("总计", "合计")
_UNIT_SUFFIX = re.compile(
    r"(本级|学校|学院|大学|中心|医院|院|所|站|厅|局|委员会|委|办公室|馆|队|会|社|部|处|室|园|场)$"
)
# 部门经济分类 款 are split further by some regions (北京 `3021101-差旅费`).
_VALID_LENGTHS = {"function": (3, 5, 7), "economic": (3, 5, 7)}
_LEVEL = {3: 1, 5: 2, 7: 3}
# The header's 类 | 款 | 项 printed inside the first body row (上海 决算 收入/支出决算表:
# `类 | 款 | 项 | 合计 | 2,946.25 …`): not part of the row's name.
_LEVEL_WORDS = frozenset({"类", "款", "项"})


@dataclass(slots=True)
class _Label:
    code: str | None
    names: list[str]  # non-code label texts, left to right
    positions: list[int]  # cell index of each name
    # A code printed without its leading levels (a 款 row showing only `02` in the 款
    # column): the cell index it sits in and its digits, to complete from the rows above.
    partial: tuple[int, str] | None = None


def new_table(raw: RawTable, spec: TableSpec, default_unit: Unit) -> Table:
    """An empty typed table for a printed one: the template's name, what was printed."""
    return Table(
        key=spec.key,
        title=spec.title,
        printed_title=raw.title,
        loc=raw.loc,
        number=spec.number,
        label=raw.label,
        unit=Unit.parse(raw.unit_text) or default_unit,
        kind=spec.kind or table_kind(raw.title) or table_kind(spec.title),
    )


def type_table(
    raw: RawTable,
    spec: TableSpec,
    default_unit: Unit,
    unit_names: set[str] | None = None,
) -> Table:
    table = _typed(raw, spec, default_unit, unit_names)
    if table.readable:
        return table
    # Read by the template, the figures do not line up: when the header prints only some of
    # the template's columns, read those, and keep that reading only if it is clean.
    printed = printed_columns(raw, spec)
    if printed is None:
        return table
    narrower = _typed(
        _without_header_repeats(raw, spec),
        spec.model_copy(update={"columns": printed}),
        default_unit,
        unit_names,
    )
    return narrower if narrower.readable else table


def _typed(
    raw: RawTable,
    spec: TableSpec,
    default_unit: Unit,
    unit_names: set[str] | None,
) -> Table:
    table = new_table(raw, spec, default_unit)
    table.notes = [TableNote(p.text, p.loc) for p in raw.notes]
    if spec.layout in ("two-panel", "panels"):
        table.columns = [
            Column(c.key, c.label, p.key, column_spec_role(c))
            for p in spec.panels
            for c in p.columns
            if c.kind == "amount"
        ]
        _panels(raw, spec, table)
    else:
        table.columns = [
            Column(c.key, c.label, None, column_spec_role(c))
            for c in spec.columns
            if c.kind == "amount"
        ]
        _check_numbering(raw, spec.columns, table)
        if spec.layout == "coded":
            _coded(raw, spec, table)
        elif spec.layout == "coded-grouped":
            _coded_grouped(raw, spec, table)
        elif spec.layout in ("items", "contents"):  # a 报表目录 is rows named by label
            _items(raw, spec, table)
        elif spec.layout == "grouped-items":
            _grouped_items(raw, spec, table, unit_names or set())
    if table.problems:
        table.readable = False
    return table


def column_spec_role(col: ColumnSpec) -> str | None:
    return col.role or column_role([*col.header, col.label])


# ───────────────────────────── shared pieces ─────────────────────────────

_ROW_LAYOUTS = frozenset({"coded", "coded-grouped", "items"})


def printed_columns(raw: RawTable, spec: TableSpec) -> list[ColumnSpec] | None:
    """The template's amount columns the table actually prints, when its header names fewer
    than the template has (上海 单位收入预算总表 without 其他收入): those, in order; None when
    the table prints them all or its header does not say.

    Rows are split by counting amount columns from the right, so a dropped column would
    shift every figure one place; the header, not the template, tells which columns exist.
    Only a header that names every printed amount column after a template column, in the
    template's order, is trusted; anything else keeps the template and its problems.
    """
    if spec.layout not in _ROW_LAYOUTS or not raw.header_rows or not raw.body_rows:
        return None
    if any(c.kind != "amount" for c in spec.columns):
        return None
    from yusuan.readers.assemble.generic import header_leaves

    width = max(len(r.cells) for r in [*raw.header_rows, *raw.body_rows])
    leaves = header_leaves(raw.header_rows, width)
    names = {_column_key(c): c for c in spec.columns}
    found: list[ColumnSpec] = []
    for leaf in reversed(leaves):
        col = names.get(leaf)
        if col is None or col in found:
            break
        found.append(col)
    found.reverse()
    n = len(spec.columns)
    if not found or len(found) >= n:
        return None
    order = [spec.columns.index(c) for c in found]
    if order != sorted(order):
        return None
    # Every row with figures is as wide as the printed header says, not as the template.
    widths = {len(r.cells) for r in raw.body_rows if not r.is_blank()}
    if max(widths, default=0) > width or width - len(found) < 1:
        return None
    return found


def _without_header_repeats(raw: RawTable, spec: TableSpec) -> RawTable:
    """Body rows that only repeat header words: the dropped columns' header printed on a page
    of its own (上海数据局 表2 prints 其他收入 alone on the next page, with no figures)."""
    words = {_column_key(c) for c in spec.columns}
    if spec.header is not None:
        words |= {normalize_name(w) for w in spec.header.over}
        words |= {normalize_name(w) for path in spec.header.stub for w in path}
    body = [
        r
        for r in raw.body_rows
        if not (
            (texts := [normalize_name(c.text) for c in r.cells if c.text.strip()])
            and all(t in words for t in texts)
        )
    ]
    return replace(raw, body_rows=body) if len(body) != len(raw.body_rows) else raw


def _column_key(col: ColumnSpec) -> str:
    return normalize_name(col.label)


def _numbering(rows: Sequence[RawRow]) -> int | None:
    """The widest column number printed in ※ / 栏次 numbering rows (None when absent)."""
    widest: int | None = None
    for row in rows:
        texts = [c.text for c in row.cells]
        if not any("※" in t or t in ("栏次",) for t in texts):
            continue
        for t in texts:
            if t.isdigit():
                widest = max(widest or 0, int(t))
    return widest


def _check_numbering(raw: RawTable, columns: list[ColumnSpec], table: Table) -> None:
    amounts = [c for c in columns if c.kind == "amount"]
    printed = _numbering(raw.header_rows)
    if printed is not None and printed != len(amounts):
        names = "、".join(c.label for c in amounts)
        table.problems.append(
            f"表头编号显示 {printed} 个金额列，模板要求 {len(amounts)} 列（{names}）"
        )


def _amount_cells(
    cells: Sequence[RawCell],
    columns: Sequence[ColumnSpec],
    table: Table,
    row_loc: Loc,
    texts: dict[str, str] | None = None,
) -> dict[str, Cell] | None:
    """Amount columns as exact cells; index (行次) and text columns go to `texts`."""
    out: dict[str, Cell] = {}
    for col, raw in zip(columns, cells, strict=True):
        text = raw.text
        if col.kind != "amount":
            if texts is not None and text:
                texts[col.key] = text
            continue
        if not text or text in ("-", "—", "－", "/"):
            out[col.key] = Cell(None, text, raw.loc)
            continue
        parsed = parse_number(text)
        if parsed is None:
            n_amounts = sum(1 for c in columns if c.kind == "amount")
            table.problems.append(
                f"{row_loc.describe()}：「{col.label}」列读到「{text}」而不是金额，"
                f"列数与模板不符（应有 {n_amounts} 个金额列）"
            )
            return None
        out[col.key] = Cell(parsed.value, text, raw.loc, parsed.decimals, parsed.malformed)
    return out


def _split_row(
    row: RawRow, n_amounts: int, table: Table, min_labels: int = 1, leading: int = 0
) -> tuple[list[RawCell], list[RawCell]] | None:
    """(label cells, value cells): the values are the last `n_amounts` cells, or the first
    `leading` (序号 printed before the labels) and the last `n_amounts - leading`."""
    cells = list(row.cells)
    if leading:
        split = _split_row(RawRow(cells[leading:], row.loc), n_amounts - leading, table, min_labels)
        return None if split is None else (split[0], [*cells[:leading], *split[1]])
    # Converters drop trailing empty cells now and then; a row is short only if text is lost.
    if len(cells) < n_amounts + min_labels:
        if any(c.text for c in cells):
            table.problems.append(
                f"{row.loc.describe()}：只有 {len(cells)} 列，少于模板的 {n_amounts + min_labels} 列"
            )
        return None
    return cells[: len(cells) - n_amounts], cells[len(cells) - n_amounts :]


def parse_label(cells: Sequence[RawCell]) -> _Label:
    """Code parts and names from the label cells: `208|01|01|行政运行`, `301|01 基本工资`,
    `2010301-行政运行`, `|02||公安` (a 款 code alone in its column)."""
    parts: list[str] = []
    first_pos: int | None = None
    names: list[str] = []
    positions: list[int] = []
    for idx, cell in enumerate(cells):
        t = cell.text.strip()
        if not t or t in _LEVEL_WORDS:
            continue
        if not names and not parts and t[:1] in "[【〔0123456789":
            b = _BRACKETED_CODE.match(t)
            if b:
                t = f"{b.group(1)} {b.group(2)}"
            sp = _SPACED_CODE.match(t)
            if sp:
                t = f"{sp.group(1)}{sp.group(2)}{sp.group(3) or ''} {sp.group(4)}"
        if not names:
            if _CODE_WHOLE.match(t) and not parts:
                parts.append(t)
                first_pos = idx
                continue
            if _CODE_PART.match(t) and (parts or len(t) == 2):
                if not parts:
                    first_pos = idx
                parts.append(t)
                continue
            m = _CODE_AND_NAME.match(t)
            if m:
                if not parts:
                    first_pos = idx
                parts.append(m.group(1))
                names.append(m.group(2).strip())
                positions.append(idx)
                continue
        names.append(t)
        positions.append(idx)
    code = _join_code(parts)
    partial = None
    if code is None and parts and first_pos and all(len(p) == 2 for p in parts):
        partial = (first_pos, "".join(parts))
    return _Label(code, names, positions, partial)


def complete_code(label: _Label, previous: str | None) -> None:
    """Give a partial code its leading levels from the code printed above it."""
    if label.code is not None or label.partial is None or previous is None:
        return
    pos, digits = label.partial
    prefix = 3 + 2 * (pos - 1)
    if len(previous) >= prefix:
        label.code = previous[:prefix] + digits


def _join_code(parts: list[str]) -> str | None:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0] if len(parts[0]) in (3, 5, 7) else None
    head, *rest = parts
    if len(head) in (3, 5) and all(len(p) == 2 for p in rest):
        return head + "".join(rest)
    return None


def _is_total(label: str) -> bool:
    norm = normalize_name(label)
    return any(norm == w or (norm.endswith(w) and len(norm) <= 6) for w in _TOTAL_WORDS)


def _bold(row: RawRow) -> bool:
    return any(c.bold for c in row.cells if c.text)


def _code_row(
    label: _Label, cells: dict[str, Cell], row: RawRow, classification: str, table: Table
) -> Row:
    code = label.code
    assert code is not None
    if len(code) not in _VALID_LENGTHS[classification]:
        table.problems.append(f"{row.loc.describe()}：科目编码「{code}」位数不对")
    return Row(
        RowKind.CODE,
        " ".join(label.names[:1]),
        row.loc,
        cells,
        code=code,
        level=_LEVEL.get(len(code)),
        bold=_bold(row),
    )


# ───────────────────────────── layouts ─────────────────────────────


def _coded(raw: RawTable, spec: TableSpec, table: Table) -> None:
    assert spec.classification is not None
    n = len(spec.columns)
    previous: str | None = None
    for row in raw.body_rows:
        if row.is_blank():
            continue
        split = _split_row(row, n, table, leading=spec.leading_index)
        if split is None:
            continue
        label_cells, amount_cells = split
        if spec.code_column:  # the row's own code first; the other labels stay its names
            k = spec.code_column
            label_cells = [*label_cells[k:], *label_cells[:k]]
        label = parse_label(label_cells)
        complete_code(label, previous)
        if not any(c.text for c in amount_cells) and label.code is None and label.names:
            _continue_name(table, label.names)
            continue
        texts: dict[str, str] = {}
        cells = _amount_cells(amount_cells, spec.columns, table, row.loc, texts)
        if cells is None:
            continue
        if label.code is not None:
            previous = label.code
            built = _code_row(label, cells, row, spec.classification, table)
        else:
            name = " ".join(label.names)
            kind = RowKind.TOTAL if _is_total(name) else RowKind.ITEM
            built = Row(kind, name, row.loc, cells, bold=_bold(row))
        built.texts = texts
        table.rows.append(built)


def _continue_name(table: Table, names: list[str]) -> None:
    """A row holding only text continues the previous row's name (wrapped in print)."""
    if not table.rows:
        return
    prev = table.rows[-1]
    extra = "".join(names)
    if prev.kind is RowKind.PROJECT and prev.project is not None:
        prev.project += extra
    else:
        prev.label += extra


def _coded_grouped(raw: RawTable, spec: TableSpec, table: Table) -> None:
    assert spec.classification is not None
    n = len(spec.columns)
    unit: str | None = None
    previous: str | None = None
    for row in raw.body_rows:
        if row.is_blank():
            continue
        split = _split_row(row, n, table, min_labels=2, leading=spec.leading_index)
        if split is None:
            continue
        label_cells, amount_cells = split
        label = parse_label(label_cells)
        complete_code(label, previous)
        last_label_col = len(label_cells) - 1
        has_amounts = any(c.text for c in amount_cells)
        if not has_amounts and label.code is None:
            if label.names and label.positions[-1] == last_label_col and table.rows:
                prev = table.rows[-1]
                if prev.kind is RowKind.PROJECT and prev.project is not None:
                    prev.project += "".join(label.names)
                    prev.loc = Loc(lines=tuple(sorted({*prev.loc.lines, *row.loc.lines})))
                    continue
            if label.names:
                _continue_name(table, label.names)
            continue
        texts: dict[str, str] = {}
        cells = _amount_cells(amount_cells, spec.columns, table, row.loc, texts)
        if cells is None:
            continue
        if label.code is not None:
            previous = label.code
        if label.code is None:
            name = " ".join(label.names)
            if _is_total(name):
                table.rows.append(Row(RowKind.TOTAL, name, row.loc, cells, bold=_bold(row)))
                continue
            unit = name
            table.rows.append(
                Row(RowKind.UNIT, name, row.loc, cells, unit_name=name, bold=_bold(row))
            )
            continue
        project = None
        if label.names and label.positions[-1] == last_label_col:
            # The project name sits in the last label column; the function name before it.
            project = label.names[-1]
        built = _code_row(label, cells, row, spec.classification, table)
        built.texts = texts
        built.unit_name = unit
        if project is not None:
            built.kind = RowKind.PROJECT
            built.project = project
            built.label = label.names[0] if len(label.names) >= 2 else ""
        table.rows.append(built)


def _match_items(items: Sequence[ItemSpec]) -> _ItemMatcher:
    return _ItemMatcher(list(items))


class _ItemMatcher:
    """Assign printed labels to template items, in printed order (labels may repeat)."""

    def __init__(self, items: list[ItemSpec]) -> None:
        self.items = items
        self.names = [
            [normalize_name(strip_ordinal(n)) for n in [i.label, *i.aliases]] for i in items
        ]
        self.used = [False] * len(items)
        self.pointer = 0

    def match(self, label: str) -> ItemSpec | None:
        norm = normalize_name(strip_ordinal(label))
        if not norm:
            return None
        order = list(range(self.pointer, len(self.items))) + list(range(self.pointer))
        for exact in (True, False):
            best: tuple[int, int] | None = None
            for idx in order:
                if self.used[idx]:
                    continue
                for name in self.names[idx]:
                    hit = norm == name if exact else (name in norm or norm in name)
                    if hit and (best is None or (not exact and len(name) > best[1])):
                        best = (idx, len(name))
                        if exact:
                            break
                if best is not None and exact:
                    break
            if best is not None:
                idx = best[0]
                self.used[idx] = True
                self.pointer = idx + 1
                return self.items[idx]
        return None

    def next_unused(self) -> ItemSpec | None:
        """The next item in template order: rows that print no label are taken in order."""
        for idx in range(self.pointer, len(self.items)):
            if not self.used[idx]:
                self.used[idx] = True
                self.pointer = idx + 1
                return self.items[idx]
        return None


def _panels(raw: RawTable, spec: TableSpec, table: Table) -> None:
    """Side-by-side panels (收入 ‖ 支出, or several code lists): each printed row carries one
    row of every panel, left to right: its label column(s), then its columns."""
    widths = [p.label_columns + len(p.columns) for p in spec.panels]
    width = sum(widths)
    matchers = {p.key: _match_items(p.items) for p in spec.panels}
    previous: dict[str, str | None] = {p.key: None for p in spec.panels}
    for row in raw.body_rows:
        if row.is_blank():
            continue
        cells = list(row.cells)
        if len(cells) < width:
            cells += [RawCell("", row.loc)] * (width - len(cells))
        elif len(cells) > width:
            extra = cells[width:]
            if any(c.text for c in extra):
                table.problems.append(
                    f"{row.loc.describe()}：有 {len(cells)} 列，多于模板的 {width} 列"
                )
                continue
            cells = cells[:width]
        start = 0
        labelled: dict[int, Row] = {}  # rows of this printed row without figures, by label cell
        for panel, w in zip(spec.panels, widths, strict=True):
            part = cells[start : start + w]
            first = start
            start += w
            label_cells, amounts = part[: panel.label_columns], part[panel.label_columns :]
            label_text = " ".join(c.text for c in label_cells if c.text)
            if not label_text and not any(c.text for c in amounts):
                continue
            texts: dict[str, str] = {}
            if not label_text and _merged_label(cells, first, labelled, panel, table, row):
                continue
            parsed = _amount_cells(amounts, panel.columns, table, row.loc, texts)
            if parsed is None:
                continue
            label = parse_label(label_cells)
            complete_code(label, previous[panel.key])
            if panel.classification is not None and label.code is not None:
                previous[panel.key] = label.code
                built = _code_row(label, parsed, row, panel.classification, table)
                built.panel = panel.key
                # Bold is the panel's own: the other panel's label may be bold on this line.
                built.bold = any(c.bold for c in part if c.text)
                built.texts = texts
                table.rows.append(built)
                continue
            item = matchers[panel.key].match(label_text)
            if item is None:
                if panel.codes_by_name and label_text and not _is_total(label_text):
                    # A 类 printed by its name alone (上海: `一、一般公共服务支出`): the code is
                    # filled in once every table is read (assemble.named_codes).
                    table.rows.append(
                        Row(
                            RowKind.CODE,
                            strip_ordinal(label_text),
                            row.loc,
                            parsed,
                            panel=panel.key,
                            texts=texts,
                            bold=any(c.bold for c in label_cells),
                        )
                    )
                    continue
                if not panel.items and label_text:
                    kind = RowKind.TOTAL if _is_total(label_text) else RowKind.ITEM
                    table.rows.append(
                        Row(
                            kind,
                            label_text,
                            row.loc,
                            parsed,
                            panel=panel.key,
                            texts=texts,
                            bold=any(c.bold for c in label_cells),
                        )
                    )
                elif any(c.value is not None for c in parsed.values()):
                    table.problems.append(f"{row.loc.describe()}：未识别的行「{label_text}」")
                continue
            kind = RowKind.TOTAL if item.total else RowKind.ITEM
            built = Row(
                kind,
                strip_ordinal(label_text) if item.code else label_text,
                row.loc,
                parsed,
                key=item.key,
                panel=panel.key,
                texts=texts,
                bold=any(c.bold for c in label_cells),
                code=item.code,
                level=_LEVEL.get(len(item.code)) if item.code else None,
            )
            table.rows.append(built)
            if all(c.value is None for c in parsed.values()):
                labelled[first] = built


def _merged_label(
    cells: list[RawCell],
    first: int,
    labelled: dict[int, Row],
    panel: PanelSpec,
    table: Table,
    row: RawRow,
) -> bool:
    """Figures under a label printed in an earlier panel whose cell is merged across this
    panel's label columns (中央 公开06表: `公用经费合计` spans both 公用经费 lists, its figure
    under the second) belong to the row that label made. True when taken."""
    box = cells[first].loc.bbox
    if box is None or cells[first].text:
        return False
    for origin, built in labelled.items():
        if origin < first and cells[origin].text and cells[origin].loc.bbox == box:
            at = first + panel.label_columns
            amounts = cells[at : at + len(panel.columns)]
            parsed = _amount_cells(amounts, panel.columns, table, row.loc, built.texts)
            if parsed is not None:
                built.cells = parsed
            del labelled[origin]
            return True
    return False


def _items(raw: RawTable, spec: TableSpec, table: Table) -> None:
    matcher = _match_items(spec.items)
    n = len(spec.columns)
    # Tables that are one row of figures under their header (上海 三公 table) print no label:
    # their rows are the template's items in printed order.
    unlabelled = spec.label_columns == 0
    last_names: list[str] = []  # the label cells of the last row, as printed
    for row in raw.body_rows:
        if row.is_blank():
            continue
        split = _split_row(row, n, table, 0 if unlabelled else 1, spec.leading_index)
        if split is None:
            continue
        label_cells, amount_cells = split
        label = " ".join(c.text for c in label_cells if c.text)
        texts: dict[str, str] = {}
        cells = _amount_cells(amount_cells, spec.columns, table, row.loc, texts)
        if cells is None:
            continue
        if not spec.items:  # rows named by what they print (三公 tables by unit, 采购类别 …)
            names = [c.text for c in label_cells]
            if _rest_of_row(table, row.loc.page, label, cells, last_names, names):
                continue
            if label or any(c.value is not None for c in cells.values()):
                kind = RowKind.TOTAL if _is_total(label) else RowKind.ITEM
                table.rows.append(Row(kind, label, row.loc, cells, texts=texts, bold=_bold(row)))
                last_names = names
            continue
        item = matcher.next_unused() if unlabelled and not label else matcher.match(label)
        if item is None:
            if any(c.value is not None for c in cells.values()):
                table.problems.append(f"{row.loc.describe()}：未识别的行「{label}」")
            continue
        kind = RowKind.TOTAL if item.total else RowKind.ITEM
        table.rows.append(
            Row(
                kind,
                label or item.label,
                row.loc,
                cells,
                key=item.key,
                texts=texts,
                bold=_bold(row),
            )
        )


_CODE_START = re.compile(r"^\d{3,}")


def _opens_row(label: str) -> bool:
    """A row of its own opens with a code, or with list numbering or `其中：`."""
    return bool(_CODE_START.match(label)) or strip_ordinal(label) != label.strip()


def _rest_of_row(
    table: Table,
    page: int | None,
    label: str,
    cells: dict[str, Cell],
    last_names: list[str],
    names: list[str],
) -> bool:
    """Is this row, the first on its page, the rest of the table's last row, broken by the page
    as Word breaks a tall row? Then it is joined to that row. Either the names go on with no
    figure (无锡 政府采购支出表: `无锡市社会保` at the foot of p36, `险基金管理中心` on top of
    p37), or the figures come with no name under a row that printed none. Only in a table of
    rows named by what they print: in a template's fixed rows a wrong join would lose an item."""
    if not table.rows or page is None or table.rows[-1].loc.page in (None, page):
        return False
    last = table.rows[-1]
    figures = any(c.value is not None for c in cells.values())
    last_figures = any(c.value is not None for c in last.cells.values())
    if label and not figures and last_figures and len(names) == len(last_names):
        if _opens_row(label) or _is_total(label) or last.kind is RowKind.TOTAL:
            return False
        if any(b and not a for a, b in zip(last_names, names, strict=True)):
            return False  # a name where the row above printed none starts a row of its own
        joined = [a + b for a, b in zip(last_names, names, strict=True)]
        last.label = " ".join(t for t in joined if t)
        last_names[:] = joined
        return True
    if figures and not label and not last_figures and last.label:
        last.cells = cells
        return True
    return False


def looks_like_unit(name: str, unit_names: set[str]) -> bool:
    norm = normalize_name(name)
    if norm in unit_names:
        return True
    return bool(_UNIT_SUFFIX.search(norm)) and not re.search(r"\d", norm)


_UNIT_CODE = re.compile(r"^(\d{3,12})(?:\s*[_\-－]\s*|\s+)(\S.*)$")


def unit_code(label_cells: Sequence[RawCell]) -> tuple[str, str] | None:
    """(code, name) of a budget-unit row: `122 | 西安市行政审批服务局` (code in a column of its
    own) or `106_长沙市公安局` (joined); None for any other row."""
    texts = [c.text.strip() for c in label_cells if c.text.strip()]
    if len(texts) >= 2 and texts[0].isdigit() and len(texts[0]) >= 3:
        return texts[0], " ".join(texts[1:])
    if len(texts) == 1:
        m = _UNIT_CODE.match(texts[0])
        if m:
            return m.group(1), m.group(2)
    return None


def _grouped_items(raw: RawTable, spec: TableSpec, table: Table, unit_names: set[str]) -> None:
    n = len(spec.columns)
    unit: str | None = None
    matcher = _match_items(spec.items)
    for row in raw.body_rows:
        if row.is_blank():
            continue
        split = _split_row(row, n, table)
        if split is None:
            continue
        label_cells, amount_cells = split
        label = " ".join(c.text for c in label_cells if c.text)
        if not any(c.text for c in amount_cells):
            if label:
                _continue_name(table, [label])
            continue
        texts: dict[str, str] = {}
        cells = _amount_cells(amount_cells, spec.columns, table, row.loc, texts)
        if cells is None:
            continue
        coded = unit_code(label_cells)
        item = matcher.match(label) if spec.items and coded is None else None
        if _is_total(label):
            table.rows.append(Row(RowKind.TOTAL, label, row.loc, cells, bold=_bold(row)))
        elif coded is not None:
            unit = coded[1]
            matcher = _match_items(spec.items)  # each unit prints the template's rows anew
            table.rows.append(
                Row(
                    RowKind.UNIT,
                    unit,
                    row.loc,
                    cells,
                    unit_name=unit,
                    texts=texts,
                    bold=_bold(row),
                    unit_code=coded[0],
                )
            )
        elif item is not None:
            # A fixed row of the template inside a unit (Xi'an 专项业务经费: 通用项目, 专用项目).
            table.rows.append(
                Row(RowKind.ITEM, label, row.loc, cells, key=item.key, unit_name=unit, texts=texts)
            )
        elif looks_like_unit(label, unit_names):
            unit = label
            table.rows.append(Row(RowKind.UNIT, label, row.loc, cells, unit_name=label))
        else:
            table.rows.append(
                Row(
                    RowKind.PROJECT,
                    label,
                    row.loc,
                    cells,
                    unit_name=unit,
                    project=label,
                    texts=texts,
                )
            )
