"""The store on a real DuckDB file and the real local PostgreSQL: migrations, whole documents,
exact values, idempotence, atomicity and the views."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from tests.corpus_fixtures import SAMPLE, needs_pg, pg_url  # noqa: F401 - fixture
from yusuan.audit.report import Report
from yusuan.model.document import Document
from yusuan.model.tables import RowKind
from yusuan.money import Unit
from yusuan.store import SCHEMA_VERSION, DocumentRecord, Store, build_record, migrations, open_store
from yusuan.store.records import region_of


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=needs_pg)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    url = (
        str(tmp_path / "t.duckdb")
        if request.param == "duckdb"
        else request.getfixturevalue("pg_url")
    )
    s = open_store(url)
    request.addfinalizer(s.close)
    return s


@pytest.fixture(scope="module")
def record(sample_doc: Document, sample_report: Report) -> DocumentRecord:
    data = SAMPLE.read_bytes()
    return build_record(
        sample_doc,
        sample_report,
        doc_id=hashlib.sha256(data).hexdigest(),
        path=str(SAMPLE),
        size_bytes=len(data),
    )


def test_migrations_are_numbered_and_applied_once(store: Store) -> None:
    numbers = [m.version for m in migrations()]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers[-1] == SCHEMA_VERSION
    assert store.schema_version() == SCHEMA_VERSION
    assert store.migrate() == []  # nothing left to apply
    assert store.count("schema_migrations") == len(numbers)


def test_a_document_is_stored_whole_with_exact_values(
    store: Store, record: DocumentRecord, sample_doc: Document
) -> None:
    run = store.begin_run("test", "local", 1, "pytest")
    assert store.put(record, run, "test")
    assert store.count("documents") == 1
    assert store.count("doc_tables") == len(sample_doc.tables) + len(sample_doc.extra_tables)
    n_cells = sum(
        len(r.cells)
        for t in [*sample_doc.tables.values(), *sample_doc.extra_tables]
        for r in t.rows
    )
    assert store.count("cells") == n_cells
    assert store.count("statements") == len(sample_doc.statements)
    assert store.count("findings") == len(record.findings) > 0
    # Every printed amount comes back exactly, in its unit and in 元.
    t6 = sample_doc.tables["T6"]
    row = next(r for r in t6.rows if r.code == "301")
    cell = row.cells["total"]
    assert cell.value is not None and t6.unit is Unit.WAN
    _, got = store.query(
        "SELECT value, value_yuan, text, unit, column_role, level FROM v_cells "
        "WHERE table_key = 'T6' AND code = '301' AND column_key = 'total'"
    )
    assert got == [(cell.value, cell.value * 10000, cell.text, "万元", "total", row.level)]
    assert isinstance(got[0][1], Decimal)
    # The document row says what was read.
    _, docs = store.query(
        "SELECT status, department, year, kind, scope, profile, n_cells FROM documents"
    )
    assert docs == [("ok", sample_doc.department, 2024, "预算", "部门", "xinjiang-2024", n_cells)]


def test_storing_again_is_a_no_op_and_replace_rewrites(
    store: Store, record: DocumentRecord
) -> None:
    run = store.begin_run("test", "local", 1, "pytest")
    assert store.put(record, run, "test")
    cells = store.count("cells")
    assert not store.put(record, run, "test")  # same content hash: nothing stored twice
    assert store.put(record, run, "test-2", replace=True)
    assert store.count("documents") == 1 and store.count("cells") == cells
    assert store.execute("SELECT tool_version FROM documents") == [("test-2",)]


def test_a_document_that_fails_midway_leaves_nothing(
    store: Store, record: DocumentRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store.bulk_insert

    def broken(table: str, columns: object, rows: list[tuple[object, ...]]) -> None:
        if table == "statements":
            raise RuntimeError("disk full")
        real(table, columns, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "bulk_insert", broken)
    run = store.begin_run("test", "local", 1, "pytest")
    with pytest.raises(RuntimeError):
        store.put(record, run, "test")
    for table in ("documents", "doc_tables", "cells", "statements", "findings"):
        assert store.count(table) == 0, table
    monkeypatch.undo()
    assert store.put(record, run, "test")  # the connection is usable afterwards


def test_views_answer_the_common_questions(
    store: Store, record: DocumentRecord, sample_doc: Document
) -> None:
    store.put(record, store.begin_run("test", "local", 1, "pytest"), "test")
    t3 = sample_doc.tables["T3"]
    expected = {
        r.code: r.value("total") * 10000 for r in t3.rows if r.kind is RowKind.CODE and r.level == 1
    }
    _, rows = store.query("SELECT code, amount_yuan FROM v_expense_by_function")
    assert dict(rows) == expected and len(expected) >= 3
    total = t3.total_row()
    assert total is not None
    _, split = store.query("SELECT total_yuan, basic_yuan, project_yuan FROM v_basic_project")
    assert split == [tuple(total.value(k) * 10000 for k in ("total", "basic", "project"))]
    t10 = sample_doc.tables["T10"]
    _, sangong = store.query("SELECT item, amount_yuan FROM v_sangong ORDER BY row_no")
    assert [s[0] for s in sangong] == [r.label for r in t10.rows]
    _, found = store.query("SELECT COUNT(*) FROM v_findings WHERE severity = 'error'")
    assert found[0][0] == record.errors


def test_findings_keep_their_evidence(
    store: Store, record: DocumentRecord, sample_report: Report
) -> None:
    store.put(record, store.begin_run("test", "local", 1, "pytest"), "test")
    _, rows = store.query("SELECT seq, lines, evidence FROM findings ORDER BY seq")
    assert len(rows) == len(sample_report.findings)
    for (seq, lines, evidence), finding in zip(rows, sample_report.findings, strict=True):
        quoted = sample_report.evidence(finding)
        assert evidence == ("\n".join(f"{n}: {t}" for n, t in quoted) or None), seq
        if quoted:  # the first quoted line is the first line the finding cites
            assert lines.split(",")[0] == str(quoted[0][0])


def test_region_from_the_department_name() -> None:
    assert region_of("广州市交通运输局") == ("广州市", "市")
    assert region_of("中共重庆市委宣传部") == ("重庆市", "省")
    assert region_of("上海市数据局") == ("上海市", "省")
    assert region_of("2026年度苏州市科学技术局单位预算公开") == ("苏州市", "市")
    assert region_of("自治区人力资源和社会保障厅") == (None, None)


def test_a_bad_database_is_a_chinese_error(tmp_path: Path) -> None:
    from yusuan.errors import InputError

    with pytest.raises(InputError, match="无法连接 PostgreSQL"):
        open_store("postgresql://127.0.0.1:1/nothing")
    bad = tmp_path / "not.duckdb"
    bad.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(InputError, match="无法打开数据库文件"):
        open_store(bad)


def test_rounding_allowances_fit_the_cent_columns() -> None:
    from yusuan.model.narrative import Change, Figure, Statement
    from yusuan.model.provenance import Loc
    from yusuan.store.records import implied_last_year

    def fig(text: str, unit: str) -> Figure:
        value = Decimal(text)
        return Figure(value, unit, text, Loc(), decimals=-value.as_tuple().exponent)  # type: ignore[operator]

    # Printed in 元 to the fen: half a unit is 0.005 元, kept as 0.01 (never less).
    st = Statement("支出", "", Loc(), amount=fig("1234.56", "元"))
    st.change = Change("增加", fig("34.56", "元"))
    assert implied_last_year(st) == (Decimal("1200.00"), Decimal("0.02"))
    st = Statement("支出", "", Loc(), amount=fig("12.34", "万元"))
    st.change = Change("减少", fig("0.5", "万元"))
    assert implied_last_year(st) == (Decimal("128400.00"), Decimal("550.00"))


def test_a_document_the_store_refuses_is_recorded_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.corpus_fixtures import variants
    from yusuan.batch import run_batch

    files = variants(tmp_path / "in", 3)
    store = open_store(tmp_path / "r.duckdb")
    real = store.bulk_insert
    calls = {"cells": 0}

    def flaky(table: str, columns: object, rows: list[tuple[object, ...]]) -> None:
        if table == "cells":
            calls["cells"] += 1
            if calls["cells"] == 2:  # the second document's cells
                raise ValueError("Rescaling Decimal value would cause data loss")
        real(table, columns, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "bulk_insert", flaky)
    result = run_batch(store, [tmp_path / "in"], jobs=1)
    assert (result.stored, result.failed) == (len(files) - 1, 1)
    _, rows = store.query("SELECT status, reason, n_cells FROM documents WHERE status = 'failed'")
    assert len(rows) == 1 and "入库" in rows[0][1] and "data loss" in rows[0][1]
    assert rows[0][2] == 0  # nothing of the refused document's rows is left
    store.close()
