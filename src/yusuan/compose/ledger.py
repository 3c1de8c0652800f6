"""Reading a ledger (台账): CSV or XLSX, one line per unit × 功能科目 × 经济科目 × 资金来源 ×
基本/项目 (× 项目), amounts in 元. Every line is validated; a bad ledger raises BuildError
listing each problem with its file, row and column — never a partial result.

Amounts are kept as integer 分 (元 × 100): exact, and fast to add up over a million lines.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from yusuan.compose.department import Department
from yusuan.compose.errors import BuildError, Issue
from yusuan.compose.names import CodeNames
from yusuan.compose.template import ECON_CLASSES, Template
from yusuan.gc_pause import gc_paused
from yusuan.money import MAX_DIGITS
from yusuan.text import is_plain_name, normalize_name

# Canonical field → the headings a ledger may use (compared after normalize_name, with a
# trailing （元） removed). English names are accepted for machine-written files.
FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称", "预算单位", "unit"),
    "func": ("功能科目编码", "功能分类科目编码", "功能科目", "功能分类科目", "function_code"),
    "econ": ("经济科目编码", "经济分类科目编码", "部门经济科目编码", "经济科目", "economic_code"),
    "source": ("资金来源", "资金性质", "source"),
    "kind": ("支出类型", "支出类别", "支出性质", "kind"),
    "project": ("项目名称", "项目", "project"),
    "amount": ("本年预算数", "本年预算", "预算数", "amount"),
    "last": ("上年预算数", "上年预算", "last_year_amount", "last_year"),
}
REQUIRED = ("unit", "func", "econ", "source", "kind", "amount", "last")
LABELS = {
    "unit": "单位",
    "func": "功能科目编码",
    "econ": "经济科目编码",
    "source": "资金来源",
    "kind": "支出类型",
    "project": "项目名称",
    "amount": "本年预算数",
    "last": "上年预算数",
}
KINDS = {"基本": True, "基本支出": True, "项目": False, "项目支出": False}
_UNIT_SUFFIX = re.compile(r"[(（]\s*(元|万元|人民币元)\s*[)）]$")
_CODE_SEPARATORS = re.compile(r"[\s\-－_.．·]+")

# (unit index, 功能科目, 经济科目, source index, 基本?, 项目名称)
LineKey = tuple[int, str, str, int, bool, str]


@dataclass(slots=True)
class Ledger:
    """Validated ledger lines: key → (row, this year 分, last year 分)."""

    path: str
    lines: dict[LineKey, tuple[int, int, int]] = field(default_factory=dict)
    rows_read: int = 0

    def __len__(self) -> int:
        return len(self.lines)


def _issue(issues: list[Issue], issue: Issue) -> None:
    issues.append(issue)
    if len(issues) >= BuildError.MAX_ISSUES:
        raise BuildError(issues)


def parse_fen(text: str) -> int | None:
    """`1,234.56` (元) → 123456 分. None when not an amount; ValueError for >2 decimals."""
    t = text.strip().replace(",", "").replace("，", "")
    if not t:
        return 0
    neg = t.startswith(("-", "−"))
    body = t[1:] if neg else t
    whole, dot, frac = body.partition(".")
    if not (whole.isascii() and whole.isdigit()) and not (dot and whole == ""):
        return None
    if dot and not (frac.isascii() and frac.isdigit()):
        return None
    if len(frac) > 2:
        if frac[2:].strip("0"):
            raise ValueError("more than two decimals")
        frac = frac[:2]
    value = int(whole or "0") * 100 + int((frac + "00")[:2])
    return -value if neg else value


def _number_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold (integers without `.0`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start >= len(head) - 3:
            return "utf-8"
        return "gb18030"


def _validate_csv(path: Path, template: Template, dept: Department, names: CodeNames) -> Ledger:
    encoding = _detect_encoding(path)
    name = str(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        try:
            first = fh.readline()
            delimiter = "\t" if first.count("\t") > first.count(",") else ","
            fh.seek(0)
            # Rows are numbered as a spreadsheet numbers them: the header is row 1.
            rows = enumerate(csv.reader(fh, delimiter=delimiter), start=1)
            return _validate(name, rows, template, dept, names)
        except UnicodeDecodeError as exc:
            raise BuildError(
                [Issue(name, f"有无法按 {encoding} 解码的字节（文件编码不一致）")]
            ) from exc
        except csv.Error as exc:
            raise BuildError([Issue(name, f"CSV 格式错误：{exc}")]) from exc


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ModuleNotFoundError as exc:
        raise BuildError(
            [Issue(str(path), "读取 XLSX 台账需要 openpyxl（pip install yusuan）")]
        ) from exc
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise BuildError([Issue(str(path), f"无法读取 XLSX 文件：{exc}")]) from exc
    try:
        ws = wb.worksheets[0]
        rows = enumerate(ws.iter_rows(values_only=True), start=1)
        while True:
            # The sheet XML is parsed lazily, row by row: damage deep in the sheet
            # (bad XML, a broken deflate stream) surfaces here, not at load time.
            try:
                no, values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # the XML parser and zipfile raise many kinds
                raise BuildError([Issue(str(path), f"XLSX 工作表已损坏：{exc}")]) from exc
            yield no, [_number_text(v) for v in values]
    finally:
        wb.close()


def _header(path: str, cells: list[str]) -> dict[str, int]:
    wanted = {normalize_name(a): f for f, aliases in FIELDS.items() for a in aliases}
    columns: dict[str, int] = {}
    issues: list[Issue] = []
    for idx, text in enumerate(cells):
        raw = text.strip()
        if "万元" in raw:
            issues.append(Issue(path, "台账金额须以元为单位（表头写明了万元）", row=1, column=raw))
            continue
        norm = normalize_name(_UNIT_SUFFIX.sub("", raw))
        fld = wanted.get(norm)
        if fld is None:
            continue  # budget systems export more columns than a disclosure needs
        if fld in columns:
            issues.append(Issue(path, f"表头中「{LABELS[fld]}」出现了两次", row=1, column=raw))
            continue
        columns[fld] = idx
    for fld in REQUIRED:
        if fld not in columns:
            names = "、".join(FIELDS[fld][:3])
            issues.append(Issue(path, f"缺少必需的列「{LABELS[fld]}」（可写作：{names}）", row=1))
    if issues:
        raise BuildError(issues)
    return columns


def read_ledger(path: Path, template: Template, dept: Department, names: CodeNames) -> Ledger:
    """Read and validate a ledger file (.csv, .tsv, .txt or .xlsx)."""
    name = str(path)
    if not path.exists():
        raise BuildError([Issue(name, "找不到台账文件")])
    if path.is_dir():
        raise BuildError([Issue(name, "是目录，不是台账文件")])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _validate(name, _xlsx_rows(path), template, dept, names)
    if suffix in (".csv", ".tsv", ".txt", ""):
        return _validate_csv(path, template, dept, names)
    raise BuildError([Issue(name, f"不支持的台账格式「{suffix}」（可用 .csv、.xlsx）")])


def ledger_from_rows(
    rows: list[list[str]],
    template: Template,
    dept: Department,
    names: CodeNames,
    name: str = "台账",
) -> Ledger:
    """A ledger given as rows of texts, the first being the header (tests, other callers)."""
    return _validate(name, enumerate(rows, start=1), template, dept, names)


_T = TypeVar("_T")


class _Bad(NamedTuple):
    """Why a field's text is not valid (a Chinese sentence for the Issue)."""

    message: str


def _field(
    cache: dict[str, _T],
    check: Callable[[str], _T | _Bad],
    text: str,
    col: int,
    problems: list[tuple[int, str]],
) -> _T | None:
    """The valid value of a field: from the cache, else checked (and cached by the check)."""
    found = cache.get(text)
    if found is not None:
        return found
    got = check(text)
    if isinstance(got, _Bad):
        problems.append((col, got.message))
        return None
    return got


class _Checker:
    """Field checks with caches of valid values: a million lines share few distinct texts."""

    def __init__(self, template: Template, dept: Department, names: CodeNames) -> None:
        self.template = template
        self.names = names
        self.unit_index = {normalize_name(u.name): i for i, u in enumerate(dept.units)}
        self.units: dict[str, int] = {}
        self.funcs: dict[str, str] = {}
        self.econs: dict[str, str] = {}
        self.sources: dict[str, int] = {}
        self.projects: dict[str, str] = {}
        self.canonical: dict[str, str] = {}
        self.kinds: dict[str, bool] = dict(KINDS)

    def unit(self, text: str) -> int | _Bad:
        u = self.unit_index.get(normalize_name(text))
        if u is None:
            return _Bad(
                "单位为空" if not text.strip() else f"单位「{text.strip()}」不在部门文件的 units 中"
            )
        self.units[text] = u
        return u

    def func(self, text: str) -> str | _Bad:
        code = _code(text, 7)
        if code is None:
            return _Bad(f"功能科目编码「{text.strip()}」应为 7 位数字（类款项）")
        if not self.names.known_function(code):
            return _Bad(self.names.unknown_function(code))
        self.funcs[text] = code
        return code

    def econ(self, text: str) -> str | _Bad:
        code = _code(text, 5)
        if code is None:
            return _Bad(f"经济科目编码「{text.strip()}」应为 5 位数字（类款）")
        if code[:3] not in ECON_CLASSES or not self.names.known_economic(code):
            return _Bad(self.names.unknown_economic(code))
        self.econs[text] = code
        return code

    def source(self, text: str) -> int | _Bad:
        src = self.template.source_names.get(normalize_name(text))
        if src is None:
            accepted = "、".join(s.label for s in self.template.sources)
            return _Bad(f"资金来源「{text.strip()}」不是末级来源（可用：{accepted}）")
        self.sources[text] = src
        return src

    def project(self, text: str) -> str:
        # One spelling per project: （…） and (…), or spaces, do not make another project.
        if is_plain_name(text):
            # Its own spelling and key: one string for the line, the key and the spelling
            # (a ledger of distinct projects keeps a million names), and no second cache.
            return self.canonical.setdefault(text, text)
        name = " ".join(text.split())
        canon = self.canonical.setdefault(normalize_name(name), name)
        self.projects[text] = canon
        return canon


def _validate(
    name: str,
    rows: Iterator[tuple[int, list[str]]],
    template: Template,
    dept: Department,
    names: CodeNames,
) -> Ledger:
    # A million small tuples would set off the cyclic collector again and again, each time
    # walking the growing ledger; nothing allocated here can form a cycle.
    with gc_paused():
        return _validate_rows(name, rows, template, dept, names)


def _validate_rows(
    name: str,
    rows: Iterator[tuple[int, list[str]]],
    template: Template,
    dept: Department,
    names: CodeNames,
) -> Ledger:
    header: dict[str, int] | None = None
    issues: list[Issue] = []
    ledger = Ledger(name)
    lines = ledger.lines
    check = _Checker(template, dept, names)
    units, funcs, econs, sources, projects = (
        check.units,
        check.funcs,
        check.econs,
        check.sources,
        check.projects,
    )
    kinds = check.kinds
    headings: list[str] = []
    c_unit = c_func = c_econ = c_src = c_kind = c_amt = c_last = width = 0
    c_proj: int | None = None
    read = 0
    for row_no, cells in rows:
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = _header(name, cells)
            headings = cells
            width = max(header.values()) + 1
            c_unit, c_func, c_econ = header["unit"], header["func"], header["econ"]
            c_src, c_kind = header["source"], header["kind"]
            c_amt, c_last = header["amount"], header["last"]
            c_proj = header.get("project")
            continue
        if len(cells) < width:
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (width - len(cells))
        read += 1
        try:
            # Fast path: every field seen before and valid. A project name needs no
            # validation, so a new one (every line, in a ledger of distinct projects) stays
            # on this path.
            if c_proj is None:
                project = ""
            else:
                project = projects.get(cells[c_proj]) or check.project(cells[c_proj])
            key = (
                units[cells[c_unit]],
                funcs[cells[c_func]],
                econs[cells[c_econ]],
                sources[cells[c_src]],
                kinds[cells[c_kind]],
                project,
            )
        except KeyError:
            found = _slow_fields(
                name,
                row_no,
                cells,
                headings,
                check,
                c_proj,
                issues,
                (c_unit, c_func, c_econ, c_src, c_kind),
            )
            if found is None:
                continue
            key = found
        if key[4] is False and not key[5]:
            where = headings[c_proj] if c_proj is not None else "项目名称"
            _issue(issues, Issue(name, "项目支出须填写项目名称", row_no, where))
            continue
        # Fast path for what budget systems export (`1234.56`); anything else, including
        # errors, goes through the full parser with its messages.
        cur: int | None = _plain_fen(cells[c_amt])
        if cur is None:
            cur = _slow_amount(name, row_no, cells[c_amt], headings[c_amt], issues)
        last: int | None = _plain_fen(cells[c_last])
        if last is None:
            last = _slow_amount(name, row_no, cells[c_last], headings[c_last], issues)
        if cur is None or last is None:
            continue
        entry = (row_no, cur, last)
        seen = lines.setdefault(key, entry)
        if seen is not entry:
            _issue(
                issues,
                Issue(
                    name,
                    f"与第 {seen[0]} 行重复（单位、功能科目、经济科目、资金来源、支出类型、"
                    f"项目名称都相同）",
                    row_no,
                ),
            )
    ledger.rows_read = read
    if header is None:
        raise BuildError([Issue(name, "台账是空的：没有表头和数据行")])
    if issues:
        raise BuildError(issues)
    if not lines:
        raise BuildError([Issue(name, "台账没有数据行")])
    return ledger


def _slow_fields(
    name: str,
    row_no: int,
    cells: list[str],
    headings: list[str],
    check: _Checker,
    c_proj: int | None,
    issues: list[Issue],
    cols: tuple[int, int, int, int, int],
) -> LineKey | None:
    """Check each field of a line some field of which is new (or bad); report every problem."""
    c_unit, c_func, c_econ, c_src, c_kind = cols
    problems: list[tuple[int, str]] = []
    u = _field(check.units, check.unit, cells[c_unit], c_unit, problems)
    func = _field(check.funcs, check.func, cells[c_func], c_func, problems)
    econ = _field(check.econs, check.econ, cells[c_econ], c_econ, problems)
    src = _field(check.sources, check.source, cells[c_src], c_src, problems)
    text = cells[c_kind]
    basic = KINDS.get(text.strip())
    if basic is None:
        problems.append((c_kind, f"支出类型「{text.strip()}」应为 基本支出 或 项目支出"))
    else:
        check.kinds[text] = basic
    project = ""
    if c_proj is not None:
        project = check.projects.get(cells[c_proj]) or check.project(cells[c_proj])
    for col, message in problems:
        _issue(issues, Issue(name, message, row_no, headings[col]))
    if problems:
        return None
    assert u is not None and func is not None and econ is not None and src is not None
    assert basic is not None
    return (u, func, econ, src, basic, project)


def _plain_fen(text: str) -> int | None:
    """`1234.56` → 123456 分; None for any other form (signs, separators, units, errors)."""
    if text[-3:-2] != "." or len(text) > MAX_DIGITS:
        return None
    digits = text.replace(".", "", 1)
    # ASCII digits only: int() would also take `1_2.34`, spaces and full-width digits
    return int(digits) if digits.isascii() and digits.isdigit() else None


def _slow_amount(
    name: str, row_no: int, text: str, heading: str, issues: list[Issue]
) -> int | None:
    if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        _issue(
            issues,
            Issue(
                name,
                f"金额「{text.strip()[:40]}」位数过多（最多 {MAX_DIGITS} 位数字）",
                row_no,
                heading,
            ),
        )
        return None
    try:
        fen = parse_fen(text)
    except ValueError:
        _issue(
            issues, Issue(name, f"金额「{text.strip()}」超过两位小数（单位元）", row_no, heading)
        )
        return None
    if fen is None:
        _issue(issues, Issue(name, f"「{text.strip()}」不是金额", row_no, heading))
        return None
    if fen < 0:
        _issue(
            issues,
            Issue(name, f"金额「{text.strip()}」为负数；预算数不能为负", row_no, heading),
        )
        return None
    return fen


def _code(text: str, length: int) -> str | None:
    code = text.strip()
    if code.endswith(".0"):  # a code typed as a number in a spreadsheet
        code = code[:-2]
    code = _CODE_SEPARATORS.sub("", code)
    return code if len(code) == length and code.isascii() and code.isdigit() else None


def write_csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def fen_text(fen: int) -> str:
    """分 → the 元 text a ledger holds (`1234.56`)."""
    return f"{fen // 100}.{fen % 100:02d}"


__all__ = [
    "FIELDS",
    "Ledger",
    "LineKey",
    "fen_text",
    "ledger_from_rows",
    "parse_fen",
    "read_ledger",
    "write_csv",
]
