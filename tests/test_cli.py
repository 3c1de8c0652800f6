"""The command line as users run it: exit codes, one-line errors, formats, files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLE


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yusuan.cli", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=60,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert words in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    text = SAMPLE.read_text(encoding="utf-8")
    files = {
        "empty.md": b"",
        "binary.md": bytes(range(256)) * 4,
        "novel.txt": "从前有座山，山里有座庙。\n庙里有个老和尚在讲故事。\n".encode(),
        "truncated.md": "\n".join(text.split("\n")[:420]).encode("utf-8"),
        "gbk.md": text.encode("gbk"),
        "bom.md": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "missing-column.md": text.replace(
            "※\t※\t※\t※\t1\t2\t3\n\t\t\t<b>总计</b>\t<b>58,654.04</b>",
            "※\t※\t※\t※\t1\t2\n\t\t\t<b>总计</b>\t<b>58,654.04</b>",
            1,
        ).encode("utf-8"),
    }
    paths = {}
    for name, data in files.items():
        path = d / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def test_sample_audit_exits_1_with_errors() -> None:
    result = run("audit", SAMPLE)
    assert result.returncode == 1
    assert "结论：发现 3 处错误" in result.stdout
    assert "F601 malformed-number" in result.stdout


def test_empty_file(bad_inputs: dict[str, Path]) -> None:
    assert_clean_failure(run("audit", bad_inputs["empty.md"]), 2, "空文件")


def test_binary_file(bad_inputs: dict[str, Path]) -> None:
    assert_clean_failure(run("audit", bad_inputs["binary.md"]), 2, "二进制")


def test_text_that_is_not_a_disclosure(bad_inputs: dict[str, Path]) -> None:
    assert_clean_failure(run("audit", bad_inputs["novel.txt"]), 2, "不是部门预算")


def test_missing_file() -> None:
    assert_clean_failure(run("audit", "no/such/file.md"), 2, "找不到文件")


def test_truncated_document_reports_what_is_missing(bad_inputs: dict[str, Path]) -> None:
    result = run("audit", bad_inputs["truncated.md"], "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    messages = {f["message"] for f in report["findings"] if f["rule"] == "C701"}
    assert "缺少表11 上年结转结余情况明细表" in messages


def test_gbk_copy_reads_like_the_original(bad_inputs: dict[str, Path]) -> None:
    original = json.loads(run("audit", SAMPLE, "-f", "json").stdout)
    for name in ("gbk.md", "bom.md"):
        copy = json.loads(run("audit", bad_inputs[name], "-f", "json").stdout)
        assert copy["document"]["encoding"] in ("gb18030", "utf-8-sig")
        strip = [{k: v for k, v in f.items() if k != "evidence"} for f in copy["findings"]]
        assert strip == [
            {k: v for k, v in f.items() if k != "evidence"} for f in original["findings"]
        ]
        assert copy["summary"] == original["summary"]


def test_table_with_missing_column(bad_inputs: dict[str, Path]) -> None:
    result = run("audit", bad_inputs["missing-column.md"], "-f", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    c703 = [f for f in report["findings"] if f["rule"] == "C703"]
    assert c703 and "表3" in c703[0]["message"] and "模板要求 3 列" in c703[0]["message"]
    assert any("表3" in n["reason"] for n in report["not_run"])
    assert report["summary"]["not_run"] == len(report["not_run"]) > 0


def test_json_contract(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run("audit", SAMPLE, "--format", "json", "-o", out)
    assert result.returncode == 1 and "已写入" in result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["summary"]) >= {"checks", "passed", "errors", "warnings", "notices"}
    f = report["findings"][0]
    assert set(f) >= {"rule", "slug", "severity", "message", "location"}
    assert f["severity"] in ("error", "warning", "notice")
    assert set(f["location"]) >= {"lines", "table", "section"}
    assert all(isinstance(n, int) for n in f["location"]["lines"])
    assert report["summary"]["errors"] == sum(x["severity"] == "error" for x in report["findings"])


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert run("audit", SAMPLE, "-f", "html", "-o", out).returncode == 1
    html = out.read_text(encoding="utf-8")
    assert "3,8394.24" in html and "职业技能鉴定专项业务费" in html
    assert "http://" not in html and "https://" not in html  # nothing fetched from a CDN
    assert html.count('class="finding') == 19


def test_markdown_report(tmp_path: Path) -> None:
    result = run("audit", SAMPLE, "-f", "markdown")
    assert result.stdout.startswith("# 审核报告")
    assert "| `S502` project-allocation |" in result.stdout


def test_select_and_ignore() -> None:
    only = json.loads(run("audit", SAMPLE, "-f", "json", "--select", "F6").stdout)
    assert {f["rule"] for f in only["findings"]} == {"F601"}
    none = run(
        "audit", SAMPLE, "-f", "json", "--ignore", "F601", "--ignore", "S502", "--ignore", "N306"
    )
    assert none.returncode == 0  # only warnings and notices remain
    assert (
        run(
            "audit",
            SAMPLE,
            "--fail-on",
            "warning",
            "--ignore",
            "F",
            "--ignore",
            "S502",
            "--ignore",
            "N306",
        ).returncode
        == 1
    )


def test_show_table_csv_and_json() -> None:
    csv_out = run("show", SAMPLE, "--table", "6", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == (
        "table,line,page,sheet,cell,kind,code,level,name,budget_unit,project,unit,department,"
        "total,personnel,public"
    )
    assert (
        csv_out[2]
        == "T6,394,,,,code,301,1,工资福利支出,,,万元,自治区人力资源和社会保障厅,14983.05,14983.05,"
    )
    data = json.loads(run("show", SAMPLE, "-t", "T7", "-f", "json").stdout)
    assert data["title"] == "一般公共预算项目支出情况表" and data["unit"] == "万元"
    assert any(r["project"] == "自治区社会保障信息化建设和管理维护项目" for r in data["rows"])


def test_show_unknown_table() -> None:
    assert_clean_failure(run("show", SAMPLE, "--table", "99"), 2, "没有找到表")


def test_rules_and_profiles_commands() -> None:
    listing = run("rules").stdout
    assert "A102" in listing and "code-subtotal" in listing
    assert "xinjiang-2024" in run("profiles").stdout
    assert run("--version").stdout.startswith("yusuan ")
