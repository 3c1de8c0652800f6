"""Bad ledgers and department files: each gives its documented error, exit 2, no output."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yusuan.cli import app
from yusuan.compose import BuildError, build

HEADER = [
    "单位",
    "功能科目编码",
    "经济科目编码",
    "资金来源",
    "支出类型",
    "项目名称",
    "本年预算数",
    "上年预算数",
]
GOOD = [
    ["测试厅本级", "2080101", "30101", "一般财力", "基本支出", "", "1000000.00", "900000.00"],
    ["测试厅本级", "2080101", "30217", "一般财力", "基本支出", "", "12000.00", "10000.00"],
    ["测试厅本级", "2080108", "30299", "一般财力", "项目支出", "信息化项目", "500000.00", "0"],
]
DEPT = """department = "测试厅"
year = 2024
[[units]]
name = "测试厅本级"
kind = "行政"
[[projects]]
unit = "测试厅本级"
name = "信息化项目"
basis = "文件"
allocation = "{allocation}"
"""


def _files(
    tmp: Path,
    rows: list[list[str]],
    header: list[str] | None = None,
    allocation: str = "本级{规模}",
) -> tuple[Path, Path]:
    ledger = tmp / "ledger.csv"
    lines = [header or HEADER, *rows]
    ledger.write_text("\n".join(",".join(r) for r in lines) + "\n", encoding="utf-8")
    dept = tmp / "dept.toml"
    dept.write_text(DEPT.replace("{allocation}", allocation), encoding="utf-8")
    return ledger, dept


def _run(tmp: Path, ledger: Path, dept: Path) -> tuple[int, str, Path]:
    out = tmp / "out.md"
    result = CliRunner().invoke(app, ["build", str(ledger), "-d", str(dept), "-o", str(out)])
    return result.exit_code, result.output, out


def test_good_ledger_builds(tmp_path: Path) -> None:
    code, output, out = _run(tmp_path, *_files(tmp_path, GOOD))
    assert code == 0, output
    assert out.exists()
    assert not list(tmp_path.glob(".yusuan-*"))  # no temporary file left behind


def _bad(row: int, col: int, value: str) -> list[list[str]]:
    rows = [list(r) for r in GOOD]
    rows[row][col] = value
    return rows


CASES = [
    # (description, rows, header, expected message)
    (
        "unknown code",
        _bad(0, 1, "2080188"),
        None,
        "第 2 行，「功能科目编码」列：未知的功能科目编码「2080188」",
    ),
    ("code not 7 digits", _bad(0, 1, "20801"), None, "应为 7 位数字（类款项）"),
    ("unknown economic code", _bad(0, 2, "30198"), None, "未知的经济科目编码「30198」"),
    ("non-numeric amount", _bad(1, 6, "12a"), None, "第 3 行，「本年预算数」列：「12a」不是金额"),
    ("more than two decimals", _bad(1, 7, "1.234"), None, "超过两位小数（单位元）"),
    # `int()` reads both as 1234 分; a ledger amount is plain ASCII digits or it is refused
    ("underscore in digits", _bad(1, 6, "1_2.34"), None, "「1_2.34」不是金额"),
    ("full-width digits", _bad(1, 6, "１２.34"), None, "「１２.34」不是金额"),
    ("32+ digit amount", _bad(1, 6, "1" * 35 + ".00"), None, "位数过多（最多 20 位数字）"),
    (
        "negative amount",
        _bad(2, 6, "-5.00"),
        None,
        "第 4 行，「本年预算数」列：金额「-5.00」为负数；预算数不能为负",
    ),
    (
        "duplicate line",
        [*GOOD, list(GOOD[0])],
        None,
        "第 5 行：与第 2 行重复（单位、功能科目、经济科目、资金来源、支出类型、项目名称都相同）",
    ),
    ("missing column", [r[:7] for r in GOOD], HEADER[:7], "缺少必需的列「上年预算数」"),
    ("unknown unit", _bad(0, 0, "别的厅"), None, "单位「别的厅」不在部门文件的 units 中"),
    ("unknown source", _bad(0, 3, "单位资金"), None, "资金来源「单位资金」不是末级来源"),
    ("bad kind", _bad(0, 4, "其他"), None, "支出类型「其他」应为 基本支出 或 项目支出"),
    ("project without a name", _bad(2, 5, ""), None, "项目支出须填写项目名称"),
    (
        "amounts in 万元",
        GOOD,
        [*HEADER[:6], "本年预算数（万元）", "上年预算数"],
        "台账金额须以元为单位",
    ),
]


@pytest.mark.parametrize(
    ("rows", "header", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_ledger(
    tmp_path: Path, rows: list[list[str]], header: list[str] | None, message: str
) -> None:
    ledger, dept = _files(tmp_path, rows, header)
    code, output, out = _run(tmp_path, ledger, dept)
    assert code == 2
    one_line = " ".join(output.split())
    assert message in one_line.replace(" ", "") or message in one_line, output
    assert str(ledger.name) in output.replace("\n", "")
    assert not out.exists()
    assert not list(tmp_path.glob(".yusuan-*"))


def test_every_problem_is_listed(tmp_path: Path) -> None:
    rows = _bad(0, 6, "x")
    rows[1][1] = "2080188"
    ledger, dept = _files(tmp_path, rows)
    with pytest.raises(BuildError) as info:
        build(ledger, dept)
    issues = info.value.issues
    assert [(i.row, i.column) for i in issues] == [(2, "本年预算数"), (3, "功能科目编码")]
    assert "另有 1 处问题" in info.value.message


def test_allocation_beyond_the_projects_scale(tmp_path: Path) -> None:
    ledger, dept = _files(tmp_path, GOOD, allocation="本级 200.00 万元")
    code, output, out = _run(tmp_path, ledger, dept)
    assert code == 2
    assert "资金分配情况分配了 200.00 万元，超过预算安排规模 50.00 万元" in output.replace("\n", "")
    assert not out.exists()


def test_bad_department_file(tmp_path: Path) -> None:
    ledger, dept = _files(tmp_path, GOOD)
    dept.write_text(
        'year = 2024\n[[units]]\nname = "测试厅本级"\nkind = "机关"\n', encoding="utf-8"
    )
    code, output, out = _run(tmp_path, ledger, dept)
    assert code == 2
    flat = output.replace("\n", "")
    assert "「department」：缺少必填项" in flat
    assert "另有 1 处问题" in flat  # units.0.kind: 取值不在允许范围内
    assert not out.exists()


def test_empty_and_missing_files(tmp_path: Path) -> None:
    ledger, dept = _files(tmp_path, GOOD)
    ledger.write_text("", encoding="utf-8")
    code, output, _ = _run(tmp_path, ledger, dept)
    assert code == 2 and "台账是空的" in output
    code, output, _ = _run(tmp_path, tmp_path / "none.csv", dept)
    assert code == 2 and "找不到台账文件" in output


def test_strict_refuses_placeholders(tmp_path: Path) -> None:
    ledger, dept = _files(tmp_path, GOOD)
    out = tmp_path / "out.md"
    result = CliRunner().invoke(
        app, ["build", str(ledger), "-d", str(dept), "-o", str(out), "--strict"]
    )
    assert result.exit_code == 2
    assert "部门文件缺少" in result.output and "reasons." in result.output
    assert not out.exists()
