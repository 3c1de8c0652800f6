"""`yusuan batch` and `yusuan export` for real: folders into a DuckDB file and into the local
PostgreSQL, failures with their Chinese reason, kill -9 and resume, two batches at once,
the inspector's workbook, the researcher's export, a Dask cluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import yusuan
from tests.corpus_fixtures import SAMPLE, pg_url, variants  # noqa: F401 - fixture
from tests.test_pdf_reader import _minimal_pdf
from yusuan.batch import run_batch
from yusuan.cli import app
from yusuan.store import open_store

DATA = Path(__file__).parent / "data"
SCANNED = DATA / "published" / "2026_beijing_zhengwufuwu-shujuju_yusuan_shuoming_scanned.pdf"
runner = CliRunner()


def _yusuan(*args: str) -> list[str]:
    return [sys.executable, "-c", "from yusuan.cli import main; main()", *args]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder with a disclosure, and files that are not: corrupt, encrypted, scanned, other."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "hrss.md").write_bytes(SAMPLE.read_bytes())
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    (folder / "encrypted.pdf").write_bytes(_minimal_pdf(encrypt=True))
    (folder / "scanned.pdf").symlink_to(SCANNED)
    (folder / "notice.md").write_text(
        "# 关于开展培训的通知\n\n各单位：请于下周参加培训。\n", "utf-8"
    )
    (folder / "ignored.docx").write_bytes(b"not collected")
    return folder


def test_batch_stores_documents_and_failures_with_reasons(mixed: Path, tmp_path: Path) -> None:
    db = tmp_path / "y.duckdb"
    summary = tmp_path / "out" / "汇总.xlsx"
    result = runner.invoke(
        app,
        [
            "batch",
            str(mixed),
            "--db",
            str(db),
            "--jobs",
            "2",
            "--summary",
            str(summary),
            "--reports",
            str(tmp_path / "out" / "reports"),
        ],
    )
    assert result.exit_code == 1, result.output  # some files could not be read
    assert "新入库 1，无法读取 4" in result.output
    with open_store(db) as store:
        _, rows = store.query("SELECT file_name, status, reason FROM documents ORDER BY file_name")
    reasons = {name: (status, reason) for name, status, reason in rows}
    assert set(reasons) == {"hrss.md", "corrupt.pdf", "encrypted.pdf", "scanned.pdf", "notice.md"}
    assert reasons["hrss.md"] == ("ok", None)
    for name, word in (
        ("corrupt.pdf", "PDF"),
        ("encrypted.pdf", "加密"),
        ("scanned.pdf", "扫描件"),
        ("notice.md", "不是部门预算/决算公开文件"),
    ):
        status, reason = reasons[name]
        assert status == "failed" and word in reason, (name, reason)
    # The workbook: a sheet of documents, a sheet of findings, laid out for Excel/WPS.
    wb = load_workbook(summary)
    assert wb.sheetnames == ["文件", "问题"]
    docs, found = wb["文件"], wb["问题"]
    assert [c.value for c in docs[1]][:7] == [
        "文件",
        "部门",
        "地区",
        "年度",
        "类型",
        "范围",
        "状态",
    ]
    assert docs.freeze_panes == "A2" and docs.auto_filter.ref.startswith("A1:")
    assert found.freeze_panes == "A2" and found.auto_filter.ref.startswith("A1:")
    by_name = {r[0].value: r for r in docs.iter_rows(min_row=2)}
    hrss = by_name["hrss.md"]
    alone = yusuan.audit(yusuan.read(SAMPLE)).summary  # what `yusuan audit` says of the file
    counts = (alone.errors, alone.warnings, alone.notices)
    assert hrss[6].value == "已审核" and (hrss[7].value, hrss[8].value, hrss[9].value) == counts
    assert hrss[11].hyperlink is not None
    assert (summary.parent / hrss[11].hyperlink.target).exists()
    assert "加密" in by_name["encrypted.pdf"][10].value
    assert [c.value for c in found[1]] == [
        "文件",
        "部门",
        "年度",
        "规则",
        "名称",
        "级别",
        "页码",
        "行",
        "表",
        "说明",
    ]
    assert found.max_row - 1 == sum(counts)
    assert {r[5].value for r in found.iter_rows(min_row=2)} == {"错误", "警告", "提示"}
    # Again: everything is skipped by content hash; --reaudit redoes it.
    again = runner.invoke(app, ["batch", str(mixed), "--db", str(db)])
    assert again.exit_code == 0 and "新入库 0，无法读取 0，已在库中跳过 5" in again.output
    redo = runner.invoke(app, ["batch", str(mixed / "sub"), "--db", str(db), "--reaudit"])
    assert redo.exit_code == 0 and "新入库 1" in redo.output
    with open_store(db) as store:
        assert store.count("documents") == 5
        _, runs = store.query("SELECT files, stored, skipped, failed FROM runs ORDER BY started_at")
    assert runs == [(5, 1, 0, 4), (5, 0, 5, 0), (1, 1, 0, 0)]


def test_kill_9_then_resume_stores_every_document_once(tmp_path: Path) -> None:
    files = variants(tmp_path / "in", 8)
    db = tmp_path / "k.duckdb"
    cmd = _yusuan("batch", str(tmp_path / "in"), "--db", str(db), "--jobs", "1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    stored = 0
    for line in proc.stdout:  # one line per file when not on a terminal
        stored += "入库" in line
        if stored == 3:
            break
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of the next document
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with open_store(db) as store:
        first = store.count("documents")
    assert 3 <= first < len(files)
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"新入库 {len(files) - first}" in done.stdout
    assert f"已在库中跳过 {first}" in done.stdout
    with open_store(db) as store:
        _, rows = store.query(
            "SELECT d.doc_id, d.n_cells, COUNT(c.doc_id) FROM documents d "
            "LEFT JOIN cells c ON c.doc_id = d.doc_id GROUP BY d.doc_id, d.n_cells"
        )
        assert store.count("documents") == len(files)
        _, names = store.query("SELECT COUNT(DISTINCT file_name) FROM documents")
    assert names[0][0] == len(files)
    assert all(n == count > 1000 for _, n, count in rows)  # no partial document


def test_two_batches_into_postgresql_at_once(tmp_path: Path, pg_url: str) -> None:  # noqa: F811
    files = variants(tmp_path / "in", 6)
    cmd = _yusuan("batch", str(tmp_path / "in"), "--db", pg_url, "--jobs", "1")
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    with open_store(pg_url) as store:
        _, rows = store.query(
            "SELECT d.doc_id, d.n_cells, COUNT(c.doc_id) FROM documents d "
            "LEFT JOIN cells c ON c.doc_id = d.doc_id GROUP BY d.doc_id, d.n_cells"
        )
        assert store.count("runs") == 2
        _, stored = store.query("SELECT SUM(stored) FROM runs")
    assert len(rows) == len(files)  # no lost document
    assert all(n == count > 1000 for _, n, count in rows)  # no duplicate or partial cells
    assert stored[0][0] == len(files)  # each document stored by exactly one batch


def test_export_long_tidy_cells(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    with open_store(db) as store:
        run_batch(store, [SAMPLE], jobs=1)
    import pyarrow.parquet as pq

    out = tmp_path / "cells.parquet"
    res = runner.invoke(app, ["export", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    table = pq.read_table(out)
    with open_store(db, read_only=True) as store:
        assert table.num_rows == store.count("cells")
    rows = table.to_pylist()
    t6 = [
        r
        for r in rows
        if r["code"] == "301"
        and r["column_role"] == "total"
        and r["table_kind"] == "gp-basic-economic"
    ]
    assert (
        len(t6) == 1 and str(t6[0]["value_yuan"]) == "149830500.00" and t6[0]["text"] == "14,983.05"
    )
    csv_out = tmp_path / "sangong.csv"
    res = runner.invoke(
        app, ["export", "--db", str(db), "-o", str(csv_out), "--table-kind", "sangong"]
    )
    assert res.exit_code == 0, res.output
    lines = csv_out.read_text("utf-8-sig").splitlines()
    assert lines[0].startswith("doc_id,file_name,region,department,year")
    assert all(",sangong," in line for line in lines[1:]) and len(lines) > 6
    xlsx_out = tmp_path / "cells.xlsx"
    res = runner.invoke(app, ["export", "--db", str(db), "-o", str(xlsx_out), "--year", "2023"])
    assert res.exit_code == 0 and "已导出 0 个单元格" in res.output
    bad = runner.invoke(app, ["export", "--db", str(tmp_path / "none.duckdb"), "-o", str(out)])
    assert bad.exit_code == 2 and "数据库文件不存在" in bad.output


def test_bad_input_is_one_chinese_line(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["batch", str(tmp_path / "missing"), "--db", str(tmp_path / "x.duckdb")]
    )
    assert res.exit_code == 2 and "找不到文件或文件夹" in res.output
    (tmp_path / "empty").mkdir()
    res = runner.invoke(app, ["batch", str(tmp_path / "empty"), "--db", str(tmp_path / "x.duckdb")])
    assert res.exit_code == 2 and "没有找到可读取的文件" in res.output


def test_batch_on_a_dask_cluster(tmp_path: Path) -> None:
    from distributed import LocalCluster

    files = variants(tmp_path / "in", 3)
    db = tmp_path / "c.duckdb"
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        open_store(db) as store,
    ):
        result = run_batch(store, [tmp_path / "in"], cluster=cluster.scheduler_address)
        assert (result.stored, result.failed) == (len(files), 0)
        _, mode = store.query("SELECT mode FROM runs")
        assert mode == [("cluster",)]
        assert store.count("documents") == len(files)


def test_summary_workbook_opens_in_libreoffice(mixed: Path, tmp_path: Path) -> None:
    from yusuan.render import pdf

    if pdf.find_soffice() is None or not pdf.has_chinese_font():
        pytest.skip(
            "LibreOffice 或中文字体未安装（scripts/ensure-libreoffice 在 Debian 上以 root 运行时会安装）"
        )
    import pdfplumber

    summary = tmp_path / "summary.xlsx"
    res = runner.invoke(
        app,
        [
            "batch",
            str(mixed),
            "--db",
            str(tmp_path / "s.duckdb"),
            "--jobs",
            "1",
            "--summary",
            str(summary),
        ],
    )
    assert res.exit_code == 1, res.output
    [converted] = pdf.convert([summary], tmp_path / "pdf")
    with pdfplumber.open(converted) as doc:
        text = "".join("".join((p.extract_text_simple() or "").split()) for p in doc.pages)
    for word in (
        "文件",
        "部门",
        "状态",
        "已审核",
        "无法读取",
        "hrss.md",
        "encrypted.pdf",
        "自治区人力资源和社会保障厅",
    ):
        assert word in text, word
    for word in ("规则", "级别", "说明", "错误", "警告"):  # the findings sheet is printed too
        assert word in text, word


def test_across_years_compares_with_last_years_published_figures(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    # Line 639 of the 2024 sample: `单位资金 1,890.00 万元，…比上年预算减少 1,392.24 万元`, so
    # last year published 3,282.24. The 2023 document says so; its other figures are 2024's.
    assert "单位资金 1,890.00 万元" in text and "减少 1,392.24 万元" in text
    last = text.replace("2024", "2023").replace("单位资金 1,890.00 万元", "单位资金 3,282.24 万元")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "hrss_2024.md").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "hrss_2023.md").write_text(last, encoding="utf-8")
    db = tmp_path / "y.duckdb"
    with open_store(db) as store:
        first = run_batch(store, [tmp_path / "a"], jobs=1)
        assert first.years is not None and first.years.pairs == 0  # no previous year yet
        [(own_errors,)] = store.execute("SELECT errors FROM documents")
        second = run_batch(store, [tmp_path / "b"], jobs=1)  # the earlier year comes later
        assert second.years is not None and second.years.pairs == 1
        _, matches = store.query(
            "SELECT d.year, p.year, m.method, m.department, m.checks, m.errors FROM doc_matches m "
            "JOIN documents d ON d.doc_id = m.doc_id JOIN documents p ON p.doc_id = m.previous_id"
        )
        _, found = store.query(
            "SELECT d.year, f.lines, f.severity, f.row_label, f.expected, f.actual, f.evidence "
            "FROM findings f JOIN documents d ON d.doc_id = f.doc_id WHERE f.rule = 'H101'"
        )
        _, counted = store.query(
            "SELECT d.year, d.errors, COUNT(f.doc_id) FROM documents d LEFT JOIN findings f "
            "ON f.doc_id = d.doc_id AND f.severity = 'error' GROUP BY d.year, d.errors ORDER BY 1"
        )
        again = run_batch(store, [tmp_path / "a", tmp_path / "b"], jobs=1)
        assert again.years is not None and again.years.pairs == 0  # each pair compared once
    [(year, prev, method, dept, checks, errors)] = matches
    assert (year, prev, method) == (2024, 2023, "部门名称+地区+类型+范围")
    assert dept == "自治区人力资源和社会保障厅" and checks > errors > 10
    assert {f[0] for f in found} == {2024} and len(found) == errors
    by_line = {f[1]: f for f in found}
    assert "639" not in by_line  # 单位资金: the implied 3,282.24 is what 2023 published
    # 一般公共预算 (line 625): 2023 "published" 2024's own figure, not 2024's figure minus the change.
    line_625 = text.splitlines()[624]
    assert line_625.startswith("一般公共预算") and "比上年" in line_625
    assert by_line["625"][2] == "error" and by_line["625"][4] != by_line["625"][5]
    assert by_line["625"][4] in line_625  # the "published last year" figure is 2024's amount
    assert by_line["625"][6].startswith("625: 一般公共预算")  # the evidence: the statement
    # The documents' error counts include the new findings (the summary workbook reads them).
    assert counted[1][:2] == (2024, own_errors + errors)
    assert all(n == count for _, n, count in counted)
