"""Reconstruct the ledger and department file behind the 2024 新疆人社厅 budget disclosure.

    .venv/bin/python scripts/reconstruct_xinjiang_hrss_2024.py

Reads examples/2024_xinjiang_hrss_budget.md with yusuan's reader and writes
examples/ledger/2024_xinjiang_hrss_ledger.csv and ..._department.toml, from which
`yusuan build` reproduces every printed cell of tables 1–11 and every correct narrative figure.

How the puzzle is solved (amounts in 分 throughout; 1 万元 = 1,000,000 分):

* 项目支出 (一般公共预算): one ledger line per nonzero cell of table 7 (经济 类 301/302/303/310 →
  30199/30299/30399/31099), split between 一般财力 and 上级转移支付 per 功能科目 as table 2 prints.
* 基本支出: the 款 of table 6 are spread over the 功能科目 of table 5's 基本支出 column by a
  transport fill (natural pairs first: 30108 → 养老保险缴费, 30110 → 医疗, 303 → 离退休, all 302 →
  行政运行 of the administrative 本级 so that 机关运行经费 = 公用经费). Table 6 prints 301 as
  14,983.05 over 款 adding to 14,983.04, and 302 as 1,868.21 over 款 adding to 1,868.22: two 301
  款 carry +49 元 and two 302 款 −49 元, so every 款 and every 类 rounds as printed.
* Other money: 财政专户 3,500 and 单位资金 (经营 1,370, 其他 520) on the projects whose 绩效目标表
  show them as 其他资金; the 400 财政拨款结转 on 特定目标 LX10015R (table 11).
* Last year: each (项) of 五（三） gives its 上年数 = X − A (or X + A); 基本/项目 and 本级/上级 are
  split so that 五（一）, 二 and 三 hold. The narrative's own last-year sums differ by 0.01 (Σ 项
  1,872,608.34 against 基本 + 项目 1,872,608.33), so last year's 一般公共预算 基本 and 项目 each
  carry +40 元 and 2080199 −20 元: every printed A and B% comes out as the sample's.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yusuan
from yusuan.catalog import load_catalog
from yusuan.model.document import Document
from yusuan.model.tables import RowKind
from yusuan.text import normalize_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "2024_xinjiang_hrss_budget.md"
OUT = ROOT / "examples" / "ledger"
LEDGER = OUT / "2024_xinjiang_hrss_ledger.csv"
DEPARTMENT = OUT / "2024_xinjiang_hrss_department.toml"

WAN = 1_000_000  # 分 per 万元
# Codes the narrative names (last year's money) that the bundled catalog does not list: the
# 2024 政府收支分类科目 names them so.
EXTRA_CODES = {
    "2080102": "机关服务",
    "2080507": "对机关事业单位基本养老保险基金的补助",
    "20826": "财政对基本养老保险基金的补助",
    "2082601": "财政对企业职工基本养老保险基金的补助",
    "2082602": "财政对城乡居民基本养老保险基金的补助",
    "20827": "财政代缴社会保险费支出",
    "2082701": "财政代缴城乡居民基本养老保险费支出",
}
ECON_OF_COLUMN = {"wages": "30199", "goods": "30299", "individual": "30399", "capital": "31099"}
OWN, TRANSFER = "一般财力", "上级一般公共预算安排转移支付"
# 项目 whose 其他资金 the 绩效目标表 show: (unit, project, 功能科目, source, 分, last year 分).
OTHER_MONEY = [
    ("新疆铁道职业技术学院", "学校建设和发展支出", "2050305", "财政专户核拨", 3_500, 3_500),
    ("新疆铁道职业技术学院", "学校建设和发展支出", "2050305", "事业单位经营收入", 1_200, "2592.24"),
    ("新疆维吾尔自治区公共就业服务中心", "公共就业服务专项", "2080111", "其他收入", 250, 250),
    ("新疆维吾尔自治区公共就业服务中心", "公共就业综合事务", "2080111", "其他收入", 270, 270),
    (
        "新疆维吾尔自治区干部疗养院",
        "干疗专项业务费（成本性支出）",
        "2080199",
        "事业单位经营收入",
        50,
        50,
    ),
    (
        "新疆维吾尔自治区技工教师进修学校",
        "培训业务经营成本性支出",
        "2080199",
        "事业单位经营收入",
        120,
        120,
    ),
]
# Corrections where the sample is wrong (the built document states the right figure).
ALLOCATION_FIX = {"职业技能鉴定专项业务费": "鉴定专项成本性支出{规模}，按季度分配支出"}
BENBJI = "新疆维吾尔自治区人力资源和社会保障厅本级"


def fen(value: Decimal | int | str) -> int:
    return int(Decimal(str(value)) * WAN)


def yuan(f: int) -> str:
    return f"{f // 100}.{f % 100:02d}"


class Lines:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str, str, str, str], list[int]] = {}

    def add(
        self,
        unit: str,
        func: str,
        econ: str,
        source: str,
        kind: str,
        project: str,
        cur: int,
        last: int = 0,
    ) -> None:
        key = (unit, func, econ, source, kind, project)
        row = self.rows.setdefault(key, [0, 0])
        row[0] += cur
        row[1] += last

    def add_last(self, pred: Any, amount: int) -> None:
        """Put last year's `amount` on the first line matching `pred` (by ledger order)."""
        for key, row in self.rows.items():
            if pred(key):
                row[1] += amount
                return
        raise LookupError(amount)


def code_index(doc: Document) -> dict[tuple[str, ...], str]:
    """类/款/项 name path → code, from the sample's tables, the catalog and EXTRA_CODES."""
    names: dict[str, str] = {}
    cat = load_catalog()
    for e in cat.entries_in("function", cat.edition_for("function", 2024)):
        names[e.code] = e.name
    names.update(EXTRA_CODES)
    out: dict[tuple[str, ...], str] = {}
    for code in names:
        path = tuple(names.get(code[:n], "") for n in range(3, len(code) + 1, 2))
        if all(path):
            out[tuple(normalize_name(p) for p in path)] = code
    return out


def build_lines(doc: Document) -> Lines:
    lines = Lines()
    t2, t5, t6, t7 = (doc.tables[k] for k in ("T2", "T5", "T6", "T7"))
    # ── 项目支出, 一般公共预算: table 7 cells, 本级/上级 split per table 2 ──
    basic_general = {r.code: r.value("basic") for r in t5.rows if r.code and len(r.code) == 7}
    transfer_left = {
        r.code: fen(r.value("general_transfer")) for r in t2.rows if r.code and len(r.code) == 7
    }
    for row in t7.rows:
        if row.kind is not RowKind.PROJECT:
            continue
        assert row.code and row.unit_name and row.project
        unit = re.sub(r"\s+", "", row.unit_name)
        project = canonical(row.project)
        for col, econ in ECON_OF_COLUMN.items():
            amount = fen(row.value(col))
            if not amount:
                continue
            take = min(amount, transfer_left.get(row.code, 0))
            if take:
                transfer_left[row.code] -= take
                lines.add(unit, row.code, econ, TRANSFER, "项目支出", project, take)
            if amount - take:
                lines.add(unit, row.code, econ, OWN, "项目支出", project, amount - take)
    assert not any(transfer_left.values()), transfer_left
    # ── 基本支出: table 6 款 spread over table 5 功能科目 ──
    econ = {r.code: fen(r.value("total")) for r in t6.rows if r.code and len(r.code) == 5}
    for code, delta in (("30101", 4_900), ("30102", 4_900), ("30201", -4_900), ("30299", -4_900)):
        econ[code] += delta
    units = {
        "2050305": "新疆铁道职业技术学院",
        "2050801": "新疆维吾尔自治区技工教师进修学校",
    }
    funcs = {c: fen(v) for c, v in basic_general.items() if v}
    prefer = [
        ("2080101", [c for c in econ if c.startswith("302")]),
        ("2080505", ["30108"]),
        ("2080506", ["30109"]),
        ("2101101", ["30110"]),
        ("2101102", ["30110"]),
        ("2101103", ["30111"]),
        ("2210201", ["30113"]),
        ("2080501", ["30301", "30302", "30399"]),
        ("2080502", ["30302", "30399"]),
        ("2080101", [c for c in econ if c.startswith("301")]),
        ("2080150", [c for c in econ if c.startswith("301")]),
    ]
    alloc: dict[tuple[str, str], int] = {}

    def give(func: str, code: str) -> None:
        take = min(funcs[func], econ[code])
        if take > 0:
            funcs[func] -= take
            econ[code] -= take
            alloc[(func, code)] = alloc.get((func, code), 0) + take

    for func, codes in prefer:
        for code in codes:
            give(func, code)
    for func in sorted(funcs):
        for code in sorted(econ):
            give(func, code)
    assert not any(funcs.values()) and not any(econ.values())
    for (func, code), amount in alloc.items():
        lines.add(units.get(func, BENBJI), func, code, OWN, "基本支出", "", amount)
    # ── other money and the carry-over ──
    for unit, project, func, source, cur, last in OTHER_MONEY:
        lines.add(unit, func, "30299", source, "项目支出", project, fen(cur), fen(last))
    for row in doc.tables["T11"].rows:
        if row.kind is RowKind.PROJECT and row.project:
            lines.add(
                BENBJI,
                "2080199",
                "30299",
                "财政拨款结转（一般公共预算拨款）",
                "项目支出",
                row.project,
                fen(row.value("fin_project")),
            )
    return lines


def canonical(name: str) -> str:
    """One spelling per project (the sample prints （…） and (…) for the same one)."""
    return re.sub(r"\s+", " ", name).strip().replace("(", "（").replace(")", "）")


def last_year(doc: Document, lines: Lines) -> None:
    """Spread the narrative's last-year amounts over the lines (see the module docstring)."""
    index = code_index(doc)
    items: dict[str, int] = {}
    for st in doc.statements_in("gp_items"):
        assert st.change and st.change.amount and st.amount
        code = index[tuple(normalize_name(p) for p in st.path)]
        last = st.amount.value - st.change.sign * st.change.amount.value
        items[code] = fen(last)
    items["2080199"] -= 2_000  # Σ ε of the items = ε(基本) + ε(项目) − 0.01 万元
    basic_last = {c: v for c, v in items.items() if c in BASIC_LAST_YEAR}
    basic_last["2050305"] = fen("6000.00")
    basic_last["2080199"] = fen("19717.77") + 4_000 - sum(basic_last.values())
    # 基本支出 last year on the basic lines of each 功能科目, by this year's shares.
    for code, amount in basic_last.items():
        keys = [k for k in lines.rows if k[1] == code and k[4] == "基本支出"]
        if code == "2080101":
            spread_2080101(lines, keys, amount)
            continue
        if not keys:
            lines.add(BENBJI, code, "30199", OWN, "基本支出", "", 0, amount)
            continue
        spread(lines, keys, amount)
    # 项目支出 last year: on an 一般财力 project line of the 功能科目, or a line of its own.
    transfer_last = fen("1374045.00") + 4_000
    for code, amount in sorted(items.items()):
        project = amount - basic_last.get(code, 0)
        if project <= 0:
            continue
        if code == "2080507":  # the transfer-paid 养老保险 subsidies were last year's
            moved = transfer_last - items["2082601"]
            lines.add(
                BENBJI,
                code,
                "39999",
                TRANSFER,
                "项目支出",
                "机关事业单位基本养老保险基金补助",
                0,
                moved,
            )
            lines.add(
                BENBJI,
                code,
                "39999",
                OWN,
                "项目支出",
                "机关事业单位基本养老保险基金补助",
                0,
                project - moved,
            )
            continue
        if code == "2082601":
            lines.add(
                BENBJI,
                code,
                "39999",
                TRANSFER,
                "项目支出",
                "企业职工基本养老保险基金补助",
                0,
                project,
            )
            continue
        keys = [k for k in lines.rows if k[1] == code and k[4] == "项目支出" and k[3] == OWN]
        if keys:
            lines.rows[keys[0]][1] += project
        else:
            name = f"{EXTRA_CODES.get(code, code)}项目"
            lines.add(BENBJI, code, "39999", OWN, "项目支出", name, 0, project)
    # 三公 and 机关运行经费 last year: 1.80 接待, 181.51 公务用车, 1,875.21 公用经费 in all.
    keys = [k for k in lines.rows if k[1] == "2080101" and k[4] == "基本支出"]
    _ = keys


BASIC_LAST_YEAR = {
    "2050801",
    "2080101",
    "2080102",
    "2080150",
    "2080501",
    "2080502",
    "2080505",
    "2080506",
    "2101101",
    "2101102",
    "2101103",
    "2210201",
}


def spread(lines: Lines, keys: list[tuple[str, ...]], amount: int) -> None:
    """`amount` over the lines `keys` in proportion to this year's (largest remainder)."""
    weights = [lines.rows[k][0] for k in keys]  # type: ignore[index]
    total = sum(weights)
    parts = [amount * w // total for w in weights]
    rest = amount - sum(parts)
    order = sorted(range(len(keys)), key=lambda i: -(amount * weights[i] % total))
    for i in order[:rest]:
        parts[i] += 1
    for k, p in zip(keys, parts, strict=True):
        lines.rows[k][1] += p  # type: ignore[index]


def spread_2080101(lines: Lines, keys: list[tuple[str, ...]], amount: int) -> None:
    public = [k for k in keys if k[2].startswith("302")]
    fixed = {"30217": fen("1.80"), "30231": fen("181.51")}
    for k in public:
        if k[2] in fixed:
            lines.rows[k][1] += fixed[k[2]]  # type: ignore[index]
    others = [k for k in public if k[2] not in fixed]
    spread(lines, others, fen("1875.21") - sum(fixed.values()))
    spread(lines, [k for k in keys if not k[2].startswith("302")], amount - fen("1875.21"))


# ───────────────────────────── department file ─────────────────────────────


def department(doc: Document, text: str) -> dict[str, Any]:
    src = text.splitlines()
    paras = doc.paragraphs
    ov = doc.overview
    functions: list[str] = []
    intro = ""
    on = False
    for p in paras:
        if p.heading and p.section == "overview":
            if "主要职能" in p.text:
                on = True
                continue
            if on:
                break
        if on:
            if p.text.startswith(("(", "（")):
                functions.append(p.text)
            else:
                intro = p.text
    staffing: dict[str, Any] = {}
    fig = ov.staffing
    if "编制数" in fig:
        staffing["establishment"] = int(fig["编制数"].figure.value)
    for key, name in (("在职", "serving"), ("退休", "retired"), ("离休", "veteran")):
        if key in fig:
            f = fig[key]
            entry: dict[str, Any] = {"count": int(f.figure.value)}
            if f.change and f.change.amount:
                entry["change"] = int(f.change.amount.value) * f.change.sign
            staffing[name] = entry
    units = [{"name": u.name, "kind": "行政" if i == 0 else "事业"} for i, u in enumerate(ov.units)]
    reasons: dict[str, str] = {}
    t2_labels = {normalize_name(c.label): c.key for c in doc.tables["T2"].columns}
    index = code_index(doc)
    for st in doc.statements:
        if not st.reason:
            continue
        subject = normalize_name(st.subject)
        if st.section == "income":
            key = next((v for k, v in t2_labels.items() if subject.startswith(k)), None)
            best = max((k for k in t2_labels if subject.startswith(k)), key=len, default=None)
            if best is not None:
                key = t2_labels[best]
            if key:
                reasons.setdefault(f"income.{key}", st.reason)
        elif st.section in ("expense", "gp_scale"):
            prefix = "expense" if st.section == "expense" else "gp"
            kind = "basic" if "基本" in st.subject else "project"
            reasons.setdefault(f"{prefix}.{kind}", st.reason)
        elif st.section == "gp_items":
            reasons[f"item.{index[tuple(normalize_name(p) for p in st.path)]}"] = st.reason
        elif st.section == "sangong":
            items = {
                "因公出国": "abroad",
                "公务用车购置费": "vehicle_purchase",
                "公务用车运行": "vehicle_running",
                "公务接待": "reception",
            }
            for word, key in items.items():
                if word in st.subject:
                    reasons[f"sangong.{key}"] = st.reason
        elif st.section == "operating":
            reasons["operating"] = st.reason
    purposes: dict[str, str] = {}
    for p in paras:
        if p.section == "fin" and "主要用于" in p.text:
            for name, use in re.findall(
                r"([^：；，。\s\d]+支出)\s*[\d,.]+\s*万元，主要用于([^；。]+)", p.text
            ):
                code = index.get((normalize_name(name),))
                if code:
                    purposes[code] = use
    projects: list[dict[str, Any]] = []
    for pr in doc.projects:
        spec: dict[str, Any] = {"unit": pr.unit_name, "name": canonical(pr.name)}
        if pr.secret:
            spec["secret"] = True
        else:
            spec["basis"] = pr.fields.get("设立的政策依据", "")
            spec["allocation"] = ALLOCATION_FIX.get(pr.name, pr.fields.get("资金分配情况", ""))
            spec["period"] = pr.fields.get("资金执行时间", "")
        projects.append(spec)
    for row in doc.tables["T11"].rows:
        if row.kind is RowKind.PROJECT and row.project:
            projects.append({"unit": BENBJI, "name": row.project, "secret": True})

    # 政府采购, 国有资产: the figures of their paragraphs.
    def section_text(key: str) -> str:
        return "\n".join(p.text for p in paras if p.section == key and not p.heading)

    def num(pattern: str, body: str) -> str:
        m = re.search(pattern, body)
        assert m, pattern
        return m.group(1).replace(",", "")

    proc = section_text("procurement")
    assets = section_text("assets")
    other_value = next(f.value for f in doc.figures if f.malformed)  # 3,8394.24 → 38,394.24
    vehicles = [
        {"kind": kind, "count": int(count), "value": value.replace(",", "")}
        for kind, count, value in re.findall(
            r"(一般公务用车|执法执勤用车|其他车辆)\s*(\d+)\s*辆，价值\s*([\d,.]+)", assets
        )
    ]
    perf = performance(doc, src)
    matters = section_text("other_matters")
    other_matters = [matters[matters.index("其他情况说明") :]] if "其他情况说明" in matters else []
    glossary = [
        p.text
        for p in paras
        if p.section == "glossary"
        and not p.heading
        and re.match(r"[一二三四五六七八九十]+、", p.text)
    ]
    return {
        "department": doc.department,
        "year": doc.year,
        "profile": "xinjiang-2024",
        "functions_intro": intro,
        "functions": functions,
        "offices": [o.name for o in ov.offices],
        "staffing": staffing,
        "units": units,
        "codes": {k: v for k, v in EXTRA_CODES.items()},
        "reasons": dict(sorted(reasons.items())),
        "purposes": purposes,
        "projects": projects,
        "procurement": {
            "goods": num(r"货物预算\s*([\d,.]+)", proc),
            "works": num(r"工程预算\s*([\d,.]+)", proc),
            "services": num(r"服务预算\s*([\d,.]+)", proc),
            "sme_reserved": num(r"中小企业预留政府采购项目预算金额\s*([\d,.]+)", proc),
            "small_micro_reserved": num(r"小微企业预留政府采购项目预算金额\s*([\d,.]+)", proc),
        },
        "assets": {
            "as_of": "2023 年底",
            "building_area": num(r"房屋\s*([\d,.]+)\s*平方米", assets),
            "building_value": num(r"平方米，价值\s*([\d,.]+)", assets),
            "vehicles": vehicles,
            "furniture_value": num(r"办公家具价值\s*([\d,.]+)", assets),
            "other_value": f"{other_value:.2f}",
            "equipment_50": int(num(r"50 万元以上大型设备\s*(\d+)\s*台,单位", assets)),
            "equipment_100": int(num(r"100 万元以上大型设备\s*(\d+)\s*台。", assets)),
        },
        "performance": perf,
        "other_matters": other_matters,
        "glossary": glossary,
    }


def performance(doc: Document, src: list[str]) -> dict[str, Any]:
    def cells_after(label: str, lines: Iterable[int]) -> list[str]:
        for no in lines:
            cells = [re.sub(r"</?[bp]>", "", c).strip() for c in src[no - 1].split("\t")]
            if cells and cells[0] == label:
                return [c for c in cells[1:] if c]
        return []

    def indicators(p: Any) -> list[list[str]]:
        return [
            [
                i.level1,
                i.level2,
                i.level3,
                i.value,
                i.basis,
                i.last_value,
                "" if i.weight is None else f"{i.weight.normalize():f}",
                i.rule,
                i.evidence,
            ]
            for i in p.indicators
        ]

    out: dict[str, Any] = {"projects": []}
    for p in doc.performance:
        span = range(min(p.loc.lines), max(p.loc.lines) + 1)
        if p.kind == "overall":
            contact = cells_after("部门联系人", span)
            out["overall"] = {
                "unit": p.unit_name,
                "contact": contact[0] if contact else "",
                "phone": contact[2] if len(contact) > 2 else "",
                "goal": (cells_after("年度绩效目标", span) or [""])[0],
                "indicators": indicators(p),
            }
            continue
        head = cells_after("项目名称", span)
        out["projects"].append(
            {
                "unit": p.unit_name,
                "project": p.project,
                "manager": head[2] if len(head) > 2 else "",
                "fiscal": f"{p.fiscal.value:.2f}" if p.fiscal else "0",
                "other": f"{p.other.value:.2f}" if p.other else "0",
                "goal": (cells_after("项目总体目标", span) or [""])[0],
                "indicators": indicators(p),
            }
        )
    return out


# ───────────────────────────── TOML ─────────────────────────────


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        if v and isinstance(v[0], list):
            return "[\n" + "".join(f"  {_value(x)},\n" for x in v) + "]"
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _scalar(v: Any) -> bool:
    return isinstance(v, (str, int, bool)) or (
        isinstance(v, list) and all(isinstance(x, (str, int)) for x in v)
    )


def to_toml(data: dict[str, Any], prefix: str = "") -> str:
    out: list[str] = []
    tables: list[tuple[str, Any]] = []
    for k, v in data.items():
        inline = isinstance(v, dict) and prefix and all(_scalar(x) for x in v.values())
        if (isinstance(v, dict) and not inline) or (
            isinstance(v, list) and v and isinstance(v[0], dict)
        ):
            tables.append((k, v))
        else:
            out.append(f"{_key(k)} = {_value(v)}")
    for k, v in tables:
        name = f"{prefix}{_key(k)}"
        if isinstance(v, dict):
            out.append(f"\n[{name}]")
            out.append(to_toml(v, prefix=name + ".").strip("\n"))
        else:
            for item in v:
                out.append(f"\n[[{name}]]")
                out.append(to_toml(item, prefix=name + ".").strip("\n"))
    return "\n".join(x for x in out if x != "") + "\n"


def main() -> int:
    text = SAMPLE.read_text(encoding="utf-8")
    doc = yusuan.read(SAMPLE)
    lines = build_lines(doc)
    last_year(doc, lines)
    OUT.mkdir(parents=True, exist_ok=True)
    header = "单位,功能科目编码,经济科目编码,资金来源,支出类型,项目名称,本年预算数,上年预算数"
    body = [header]
    for (unit, func, econ, source, kind, project), (cur, last) in lines.rows.items():
        body.append(",".join([unit, func, econ, source, kind, project, yuan(cur), yuan(last)]))
    LEDGER.write_text("\n".join(body) + "\n", encoding="utf-8")
    head = (
        "# 2024 年新疆维吾尔自治区人力资源和社会保障厅部门预算的部门文件（由\n"
        "# scripts/reconstruct_xinjiang_hrss_2024.py 从公开文本生成；台账之外的文字与数字）。\n"
        "# 金额单位：万元。格式说明见 docs/build.md。\n\n"
    )
    DEPARTMENT.write_text(head + to_toml(department(doc, text)), encoding="utf-8")
    print(f"{LEDGER.relative_to(ROOT)}：{len(lines.rows)} 行")
    print(f"{DEPARTMENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
