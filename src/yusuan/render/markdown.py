"""Markdown: the text form the reader reads (tab-separated rows, `<b>` on bold rows).

The output follows the converted samples the text reader was written for: each table has its
`表 N` line, its title as a heading, `编制部门：` and `单位：` lines, header rows and a `※ 1 2 3`
numbering row, then one tab-separated line per row. Narrative paragraphs are printed one per
line with blank lines between, headings as `#` lines. `yusuan.read_text(to_markdown(doc))`
gives back the same tables, statements and projects (tests/test_build_roundtrip.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from yusuan.errors import ProfileError
from yusuan.model.document import Document
from yusuan.model.narrative import Paragraph, PerformanceTable
from yusuan.model.tables import Cell, Row, RowKind, Table
from yusuan.money import format_amount
from yusuan.profiles import load_profile
from yusuan.profiles.schema import Profile, TableSpec

__all__ = ["to_markdown", "write"]

_LIST_START = re.compile(r"^\s*(?:[-*+•]\s|\d+[.．、])")
_LABEL_ONLY = re.compile(r"^\s*(?:附\s*)?表\s*[0-9一二三四五六七八九十]+\s*$")


def write(doc: Document, path: Path) -> None:
    Path(path).write_text(to_markdown(doc), encoding="utf-8")


def to_markdown(doc: Document) -> str:
    try:
        profile: Profile | None = doc.inferred_profile or load_profile(doc.profile)
    except ProfileError:
        profile = None
    order = doc.order or _default_order(doc)
    blocks: list[str] = []
    for pos, (kind, index) in enumerate(order):
        if kind == "p":
            assert isinstance(index, int)
            para = doc.paragraphs[index]
            nxt = order[pos + 1][0] if pos + 1 < len(order) else None
            # The table prints its own `表 N` line.
            if nxt == "t" and not para.heading and _LABEL_ONLY.match(para.text):
                continue
            blocks.append(_paragraph(para))
        elif kind == "t":
            assert isinstance(index, str)
            table = doc.tables.get(index)
            if table is not None:
                spec = profile.table(table.key) if profile else None
                blocks.append(_table(table, spec, doc.department))
        elif kind == "perf":
            assert isinstance(index, int)
            blocks.append(_performance(doc.performance[index], doc.year))
    return "\n\n".join(b for b in blocks if b) + "\n"


def _default_order(doc: Document) -> list[tuple[str, int | str]]:
    order: list[tuple[str, int | str]] = [("p", i) for i in range(len(doc.paragraphs))]
    keys = sorted(doc.tables, key=lambda k: (doc.tables[k].number or 99, k))
    order += [("t", k) for k in keys]
    order += [("perf", i) for i in range(len(doc.performance))]
    return order


# What Markdown (or the HTML inside it) would interpret in document text: written as
# character references, which Markdown viewers show as the character and the text reader
# decodes back (yusuan.text.strip_markup). Control characters are dropped.
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "*": "&#42;",
    "_": "&#95;",
    "`": "&#96;",
    "[": "&#91;",
    "]": "&#93;",
    "\\": "&#92;",
    "|": "&#124;",
}
_SPECIAL = re.compile(r"[&<>*_`\[\]\\|]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """Document text made inert for Markdown: special characters as character references."""
    text = _CONTROL.sub("", text)
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], text) if _SPECIAL.search(text) else text


def _flat(text: str) -> str:
    """One line: no tabs (a tab makes a table row), no line breaks."""
    return re.sub(r"[\t\r\n]+", " ", text).strip()


def _clean(text: str) -> str:
    """Document text for a line of its own: flat and escaped."""
    return escape(_flat(text))


# Bold is marked with two private-use characters while a row is built, and turned into
# `<b>…</b>` after the cell text is escaped (so a name's own `<b>` stays text).
_OPEN, _CLOSE = "\ue000", "\ue001"


def _cell(text: str) -> str:
    return escape(_flat(text)).replace(_OPEN, "<b>").replace(_CLOSE, "</b>")


def _paragraph(para: Paragraph) -> str:
    text = _clean(para.text)
    if para.heading:
        return "#" * min(max(para.level or 3, 1), 6) + " " + text
    if _LIST_START.match(text):
        # A numbered line would lose its number as a Markdown list item: make it the item.
        return "- " + text
    if text.startswith(("#", "|")):
        return "\u3000" + text
    return text


def _b(text: str, bold: bool) -> str:
    return f"{_OPEN}{text}{_CLOSE}" if bold and text else text


def _amount(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    return cell.text or format_amount(cell.value, cell.decimals)


def _line(cells: list[str]) -> str:
    return "\t".join(_cell(c) for c in cells)


def _amounts(row: Row, keys: list[str]) -> list[str]:
    return [_b(_amount(row.cells.get(k)), row.bold) for k in keys]


def _numbering(labels: int, columns: int) -> str:
    return _line(["※"] * labels + [str(i) for i in range(1, columns + 1)])


def _head(table: Table, department: str | None) -> list[str]:
    out = []
    if table.number is not None:
        out.append(f"表 {table.number}")
    elif table.label:
        out.append(_clean(table.label))
    out.append("## " + _clean(table.printed_title or table.title))
    if department:
        out.append(f"编制部门：{_clean(department)}")
    out.append(f"单位：{table.unit.value if table.unit else '万元'}")
    return out


def _table(table: Table, spec: TableSpec | None, department: str | None) -> str:
    head = "\n\n".join(_head(table, department))
    layout = spec.layout if spec is not None else "coded"
    classification = (spec.classification if spec else None) or "function"
    if layout == "two-panel" and spec is not None:
        rows = _two_panel(table, spec)
    elif layout == "coded-grouped":
        rows = _coded(table, classification, project_column=True)
    elif layout in ("items", "grouped-items"):
        rows = _items(table, layout)
    else:
        rows = _coded(table, classification, project_column=False)
    parts = [head, "\n".join(rows)]
    parts += [_clean(n.text) for n in table.notes]
    return "\n\n".join(parts)


def _code_cells(row: Row, classification: str) -> list[str]:
    code = row.code or ""
    if classification == "economic":
        if len(code) == 5:
            return [code[:3], f"{code[3:]} {row.label}".strip()]
        return [code, row.label]
    return [code[:3], code[3:5], code[5:7], row.label]


def _coded(table: Table, classification: str, project_column: bool) -> list[str]:
    keys = [c.key for c in table.columns]
    labels = [c.label for c in table.columns]
    n = len(keys)
    if classification == "economic":
        lines = [
            _line(["经济分类科目编码", "经济分类科目名称", *labels]),
            _line(["类", "款", *[""] * n]),
            _numbering(2, n),
        ]
        width = 2
    elif project_column:
        lines = [
            _line(["科目编码", "", "", "功能分类科目名称", "项目名称", *labels]),
            _line(["类", "款", "项", "", "", *[""] * n]),
            _numbering(5, n),
        ]
        width = 5
    else:
        lines = [
            _line(["功能分类科目编码", "", "", "功能分类科目名称", *labels]),
            _line(["类", "款", "项", "", *[""] * n]),
            _numbering(4, n),
        ]
        width = 4
    for row in table.rows:
        if row.code is not None:
            label = _code_cells(row, classification)
            if project_column:
                label.append((row.project or "") if row.kind is RowKind.PROJECT else "")
        else:
            label = [""] * (width - (2 if project_column else 1)) + [row.label]
            if project_column:
                label.append("")
        label = [_b(t, row.bold) for t in label]
        lines.append(_line(label + _amounts(row, keys)))
    return lines


def _items(table: Table, layout: str) -> list[str]:
    keys = [c.key for c in table.columns]
    first = "项目名称" if layout == "grouped-items" else "项目"
    lines = [_line([first, *[c.label for c in table.columns]]), _numbering(1, len(keys))]
    for row in table.rows:
        lines.append(_line([_b(row.label, row.bold), *_amounts(row, keys)]))
    return lines


def _two_panel(table: Table, spec: TableSpec) -> list[str]:
    left, right = spec.panels
    lkeys = [c.key for c in left.columns]
    rkeys = [c.key for c in right.columns]
    lines = [
        _line([left.label, *[""] * len(lkeys), right.label, *[""] * len(rkeys)]),
        _line(
            [
                "项目",
                *[c.label for c in left.columns],
                "支出功能分类",
                *[c.label for c in right.columns],
            ]
        ),
    ]

    def side(row: Row | None, keys: list[str]) -> list[str]:
        if row is None:
            return [""] * (1 + len(keys))
        label = f"{row.code} {row.label}" if row.code else row.label
        return [_b(label, row.bold), *_amounts(row, keys)]

    lrows = [r for r in table.rows if r.panel == left.key and r.kind is not RowKind.TOTAL]
    rrows = [r for r in table.rows if r.panel == right.key and r.kind is not RowKind.TOTAL]
    for i in range(max(len(lrows), len(rrows))):
        lr = lrows[i] if i < len(lrows) else None
        rr = rrows[i] if i < len(rrows) else None
        lines.append(_line(side(lr, lkeys) + side(rr, rkeys)))
    ltot = table.total_row(left.key)
    rtot = table.total_row(right.key)
    if ltot is not None or rtot is not None:
        lines.append(_line(side(ltot, lkeys) + side(rtot, rkeys)))
    return lines


def _money(fig: object) -> str:
    value = getattr(fig, "value", None)
    return "" if value is None else format_amount(value)


_INDICATOR_HEAD = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "指标值设置依据",
    "上年完成值",
    "指标分值权重",
    "指标赋分规则",
    "佐证资料",
)


def _performance(perf: PerformanceTable, year: int | None) -> str:
    title = perf.title or ("部门整体绩效目标表" if perf.kind == "overall" else "项目支出绩效目标表")
    head = ["## " + _clean(title)]
    if year is not None:
        head.append(f"（{year} 年）")
    d = perf.details
    rows: list[list[str]] = []
    if perf.kind == "overall":
        rows.append(["\ue000部门名称（盖章）\ue001", "", perf.unit_name or ""])
        rows.append(
            [
                "\ue000部门联系人\ue001",
                "",
                d.get("部门联系人", ""),
                "\ue000联系电话\ue001",
                d.get("联系电话", ""),
            ]
        )
        rows.append(["\ue000年度绩效目标\ue001", "", d.get("年度绩效目标", "")])
        rows.append(["\ue000年度预算(万元)\ue001", "", "资金来源", "", "资金总额（万元）"])
        for label, fig in perf.fund_lines:
            group, _, name = label.rpartition("）")
            group = group + "）" if group else ""
            rows.append(["", "", group, name or label, _money(fig)])
    else:
        rows.append(["\ue000预算单位\ue001", "", perf.unit_name or ""])
        rows.append(
            [
                "\ue000项目名称\ue001",
                "",
                perf.project or "",
                "",
                "",
                "\ue000项目负责人\ue001",
                "",
                d.get("项目负责人", ""),
            ]
        )
        rows.append(
            [
                "\ue000项目资金(万元)\ue001",
                "",
                "年度预算总额",
                _money(perf.total),
                "其中：财政拨款",
                _money(perf.fiscal),
                "其他资金",
                _money(perf.other),
            ]
        )
        rows.append(["\ue000项目总体目标\ue001", "", d.get("项目总体目标", "")])
    rows.append([f"\ue000{h}\ue001" for h in _INDICATOR_HEAD])
    for ind in perf.indicators:
        weight = "" if ind.weight is None else f"{ind.weight.normalize():f}"
        rows.append(
            [
                ind.level1,
                ind.level2,
                ind.level3,
                ind.value,
                ind.basis,
                ind.last_value,
                weight,
                ind.rule,
                ind.evidence,
            ]
        )
    body = "\n".join(_line(r + [""] * (9 - len(r))) for r in rows)
    return "\n\n".join([*head, body])
