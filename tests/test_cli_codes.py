"""`yusuan codes`: look-ups with their sources; exit 0 found, 1 not found, 2 bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner, Result

from yusuan.cli import app

runner = CliRunner()


def codes(*args: str) -> Result:
    return runner.invoke(app, ["codes", *args])


def assert_bad_input(result: Result, words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and words in lines[0], lines


def test_code_lookup_gives_name_path_and_source_lines() -> None:
    result = codes("2080101")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("2080101 行政运行\n")
    assert "路径：社会保障和就业支出（类）人力资源和社会保障管理事务（款）行政运行（项）" in out
    assert "XJ-HRSS-2024 新疆维吾尔自治区人力资源和社会保障厅 2024年部门预算公开" in out
    assert "第 171、240、342 行" in out  # where the sample prints it


def test_split_code_as_tables_print_it() -> None:
    assert codes("208", "01", "01").stdout == codes("2080101").stdout
    assert codes("208 01 01").exit_code == 0


def test_economic_code_names_its_list() -> None:
    result = codes("30217")
    assert result.exit_code == 0
    assert "30217 公务接待费" in result.stdout
    assert "部门预算支出经济分类（economic_dept）· 款" in result.stdout


def test_search_lists_each_hit_with_its_sources() -> None:
    result = codes("--search", "养老")
    assert result.exit_code == 0, result.output
    head, *hits = result.stdout.strip().splitlines()
    assert head == f"查找「养老」：{len(hits)} 条"
    assert {h.split()[0] for h in hits} >= {"20805", "2080505", "30108"}
    assert all("｜来源 " in h and "｜版本 " in h for h in hits)


def test_search_in_one_list() -> None:
    result = codes("--search", "养老", "--list", "economic_dept")
    assert result.exit_code == 0
    hits = result.stdout.strip().splitlines()[1:]
    assert [h.split()[0] for h in hits] == ["30108"]


def test_search_limit() -> None:
    result = codes("-s", "行政运行", "-n", "2")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "查找「行政运行」：2 条（仅列前 2 条）"
    assert len(result.stdout.strip().splitlines()) == 3


def test_json_code_lookup() -> None:
    result = codes("2080101", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["found"] is True and data["code"] == "2080101"
    (rec,) = data["results"]
    assert (rec["list"], rec["name"], rec["level_label"], rec["editions"]) == (
        "function",
        "行政运行",
        "项",
        [2024, 2026],
    )
    sources = {s["key"]: s for s in rec["sources"]}
    src = sources["XJ-HRSS-2024"]
    assert src["where"] == "l171 l240 l342"
    # 2026: the 无锡 人社局 document of the development corpus, with its pages.
    assert sources["WX-RENSHE-2026"]["edition"] == 2026
    assert sources["WX-RENSHE-2026"]["where"].startswith("p")
    assert src["document"].startswith("新疆维吾尔自治区人力资源和社会保障厅")


def test_json_lookup_shows_renamings() -> None:
    data = json.loads(codes("20805", "-f", "json").stdout)
    (rec,) = data["results"]
    assert rec["renamings"][0]["old_name"] == "行政事业单位离退休"
    assert any(r["name"] == "行政事业单位离退休" for r in rec["rejected_names"])


def test_json_search_carries_sources() -> None:
    data = json.loads(codes("--search", "养老", "--format", "json").stdout)
    assert data["mode"] == "search" and data["found"] is True and data["results"]
    assert all(r["sources"] and r["sources"][0]["document"] for r in data["results"])


def test_edition_picks_the_names_of_that_edition() -> None:
    result = codes("2010301", "--edition", "2025")
    assert result.exit_code == 0
    assert "版本：2025、2026" in result.stdout


def test_unknown_code_exits_1_with_closest_codes() -> None:
    result = codes("2080102")
    assert result.exit_code == 1
    assert "2080102：支出功能分类（function）未收录" in result.stdout
    assert "未收录不等于编码无效" in result.stdout
    assert "相近编码：2080101 行政运行" in result.stdout


def test_unknown_code_in_complete_branch_says_it_is_invalid() -> None:
    result = codes("30104", "--edition", "2024")
    assert result.exit_code == 1
    assert "2024 版的 301 分支已完整收录：30104 不是这些版本的有效科目" in result.stdout


def test_unknown_code_json() -> None:
    result = codes("30104", "-e", "2024", "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["found"] is False and data["results"] == []
    (unknown,) = data["unknown"]
    assert unknown["list"] == "economic_dept" and unknown["complete_in"] == [2024]
    assert unknown["closest"][0]["code"] == "30103"


def test_search_with_no_hit_exits_1() -> None:
    result = codes("--search", "不存在的科目名称")
    assert result.exit_code == 1
    assert "没有名称包含「不存在的科目名称」" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "请给出科目编码"),
        (("abc",), "「abc」不是 3、5 或 7 位的科目编码"),
        (("20801011",), "不是 3、5 或 7 位的科目编码"),
        (("2080101", "--search", "养老"), "只能给一个"),
        (
            ("--search", "养老", "--list", "revenue"),
            "--list 只能是 function、economic_dept、economic_gov",
        ),
        (("2080101", "--format", "xml"), "--format 只能是 text 或 json"),
        (("2080101", "--edition", "1999"), "没有 1999 年版"),
        (("2080101", "--edition", "二〇二四"), "--edition 应为正整数"),
        (("--search", "养老", "--limit", "0"), "--limit 应为正整数"),
        (("--search", "  "), "查找内容不能为空"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], words: str) -> None:
    assert_bad_input(codes(*args), words)
