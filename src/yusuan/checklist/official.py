"""Reading a filled 检查表 (the official layout, or one yusuan wrote) and comparing it with
yusuan's: what the inspector flagged that yusuan did not, and the reverse.

A problem of the inspector's is matched by a finding of the same row when they share a figure
(`1,690.69`, `1.10%`: numbers with decimals or of three digits or more, years left out) or a
quoted fragment of at least six characters (`“…主要原因是。”` against `「…主要原因是。」`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yusuan.audit.findings import Finding
from yusuan.checklist.build import FAIL, Checklist
from yusuan.errors import InputError


@dataclass(frozen=True, slots=True)
class OfficialItem:
    group: str
    name: str
    status: str  # 是 / 否 as written
    problems: tuple[str, ...]
    row: int


@dataclass(slots=True)
class ItemComparison:
    name: str
    official: OfficialItem | None
    ours: str | None  # our 是否合格
    matched: list[tuple[str, list[Finding]]] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # the inspector's, not found by yusuan
    extra: list[Finding] = field(default_factory=list)  # yusuan's, not in the checklist

    @property
    def agrees(self) -> bool:
        return not self.missed and (
            self.official is None or self.official.status != FAIL or self.ours == FAIL
        )


def read_official(path: Path) -> list[OfficialItem]:
    """The item rows of a filled checklist: group, item, 是/否 and its numbered problems."""
    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:  # pragma: no cover - part of the default install
        raise InputError("读取检查表需要安装 yusuan[xlsx]（openpyxl）") from exc
    if not path.is_file():
        raise InputError(f"找不到检查表：{path}")
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:
        raise InputError(
            f"无法读取检查表 {path.name}：不是 XLSX 文件（{type(exc).__name__}）"
        ) from exc
    ws = wb.worksheets[0]
    header = None
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 30)):
        if any(isinstance(c.value, str) and "符合要求" in c.value for c in row):
            header = row[0].row
            status_col = next(
                c.column for c in row if isinstance(c.value, str) and "符合要求" in c.value
            )
            break
    if header is None:
        raise InputError(f"{path.name} 不是检查表：找不到“符合要求”一栏")
    items: list[OfficialItem] = []
    group = ""
    for r in range(header + 1, ws.max_row + 1):
        a, b = ws.cell(r, 1).value, ws.cell(r, 2).value
        status = ws.cell(r, status_col).value
        if status is None and b is None:
            if items:
                break
            continue
        if isinstance(a, str) and a.strip():
            group = a.strip()
        name = str(b).strip() if b is not None else group
        text = ws.cell(r, status_col + 1).value
        problems = split_problems(str(text)) if text and str(status).strip() != "是" else ()
        items.append(OfficialItem(group, name, str(status or "").strip(), problems, r))
    return items


def split_problems(text: str) -> tuple[str, ...]:
    """`1.… 2.…` → the numbered problems (the whole text when it is not numbered)."""
    parts = re.split(r"(?:^|\n)\s*\d+\s*[.．、]\s*(?!\d)", text.strip())
    out = tuple(p.strip() for p in parts if p.strip())
    return out or (text.strip(),)


_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?%?")
_QUOTED = re.compile(r"[“「\"]([^”」\"]{6,})[”」\"]")


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _NUMBER.finditer(text):
        raw = m.group().replace(",", "").replace("，", "")
        percent = raw.endswith("%")
        digits = raw.rstrip("%")
        if "." not in digits and (len(digits) < 3 or re.fullmatch(r"(19|20)\d\d", digits)):
            continue
        try:
            value = Decimal(digits).normalize()
        except InvalidOperation:
            continue
        out.add(f"{value:f}{'%' if percent else ''}")
    return out


def _flat(text: str) -> str:
    return re.sub(r"[\s，。；：、“”「」（）()《》]", "", text)


def _common(a: str, b: str, size: int = 6) -> bool:
    a, b = _flat(a), _flat(b)
    return any(a[i : i + size] in b for i in range(len(a) - size + 1))


def problem_matches(problem: str, finding: Finding) -> bool:
    ours = " ".join(x for x in (finding.message, finding.expected, finding.actual) if x)
    if _numbers(problem) & _numbers(ours):
        return True
    quotes = [m.group(1) for m in _QUOTED.finditer(problem)] or [problem]
    return any(_common(q, finding.message) for q in quotes)


def compare(official: list[OfficialItem], ours: Checklist) -> list[ItemComparison]:
    result: list[ItemComparison] = []
    used: set[int] = set()
    for item in official:
        mine = ours.item(item.name)
        cmp = ItemComparison(item.name, item, mine.status if mine else None)
        findings = mine.findings if mine else []
        hit: set[int] = set()
        for problem in item.problems:
            matched = [f for f in findings if problem_matches(problem, f)]
            hit.update(id(f) for f in matched)
            if matched:
                cmp.matched.append((problem, matched))
            else:
                cmp.missed.append(problem)
        cmp.extra = [f for f in findings if id(f) not in hit]
        if mine is not None:
            used.add(id(mine))
        result.append(cmp)
    for mine in ours.items:
        if id(mine) not in used and mine.findings:
            result.append(ItemComparison(mine.name, None, mine.status, extra=list(mine.findings)))
    return result
