"""`yusuan show` for machines: one English vocabulary in JSON and CSV, every listed key works."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

import yusuan
from yusuan.cli import app, csv_safe
from yusuan.model.document import Document
from yusuan.show import all_tables_csv, document_json, find_table, table_json

from .conftest import SAMPLE


def _show(*args: str) -> str:
    result = CliRunner().invoke(app, ["show", str(SAMPLE), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_listing_uses_english_keys(sample_doc: Document) -> None:
    data = document_json(sample_doc)
    assert data["document"]["department"] == "自治区人力资源和社会保障厅"
    first = data["tables"][0]
    assert set(first) == {
        "table", "number", "name", "title", "printed_title", "unit", "rows", "readable",
        "problems", "kind", "empty", "location",
    }  # fmt: skip
    assert (first["table"], first["number"], first["rows"]) == ("T1", 1, 57)


def test_two_panel_table_has_one_key_per_column(sample_doc: Document) -> None:
    t1 = table_json(sample_doc.tables["T1"], sample_doc)
    ids = [c["id"] for c in t1["columns"]]
    assert ids == ["income.amount", "expense.amount"]  # not "预算数" twice
    total_in = next(r for r in t1["rows"] if r["name"] == "收入总计")
    total_out = next(r for r in t1["rows"] if r["name"] == "支出总计")
    assert total_in["amounts"] == {"income.amount": "58654.04", "expense.amount": None}
    assert total_out["amounts"] == {"income.amount": None, "expense.amount": "58654.04"}


def test_amounts_are_exact_decimal_strings(sample_doc: Document) -> None:
    t6 = table_json(sample_doc.tables["T6"], sample_doc)
    row = next(r for r in t6["rows"] if r["code"] == "301")
    model = sample_doc.tables["T6"].rows[
        [r.code for r in sample_doc.tables["T6"].rows].index("301")
    ]
    assert Decimal(row["amounts"]["total"]) == model.cells["total"].value
    assert row["level"] == 1 and row["kind"] == "code" and row["lines"] == [394]


def test_table_all_json_and_csv(sample_doc: Document) -> None:
    data = json.loads(_show("--table", "all", "-f", "json"))
    assert [t["table"] for t in data["tables"]] == sorted(
        sample_doc.tables, key=lambda k: int(k[1:])
    )
    assert all(t["rows"] and "amounts" in t["rows"][0] for t in data["tables"] if t["rows"])
    rows = list(csv.DictReader(io.StringIO(_show("-t", "all", "-f", "csv"))))
    header, records = all_tables_csv(sample_doc)
    assert len(rows) == len(records) and list(rows[0]) == header
    t6_total = next(r for r in sample_doc.tables["T6"].rows if r.kind.value == "total")
    csv_total = [
        r for r in rows if r["table"] == "T6" and r["kind"] == "total" and r["column"] == "total"
    ]
    assert [Decimal(r["amount"]) for r in csv_total] == [t6_total.cells["total"].value]


@pytest.mark.parametrize(
    "key", ["T6", "t6", "6", "表6", "一般公共预算基本支出情况表", "基本支出情况"]
)
def test_every_listed_form_finds_the_table(sample_doc: Document, key: str) -> None:
    assert find_table(sample_doc, key).key == "T6"


def test_ambiguous_and_unknown_keys_say_so(sample_doc: Document) -> None:
    with pytest.raises(LookupError, match="有歧义"):
        find_table(sample_doc, "支出情况表")
    with pytest.raises(LookupError, match="没有找到表「99」"):
        find_table(sample_doc, "99")


def test_generic_profile_numbers_are_the_printed_ones() -> None:
    doc = yusuan.read(SAMPLE, profile="generic")
    assert find_table(doc, "2").title == "部门收入总体情况表"
    assert find_table(doc, "表2").title == "部门收入总体情况表"


def test_narrative_json_and_titles() -> None:
    data = json.loads(_show("--narrative", "-f", "json"))
    first = data[0]
    assert first["section"] == "overall" and first["amount"] == "58654.04"
    assert first["amount_unit"] == "万元"
    assert "收支预算情况总体说明" in _show("--narrative")  # the section's title, not its key


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1+2", "'+1+2"),
        ("-5.00", "-5.00"),
        ("14983.05", "14983.05"),
        ("工资福利支出", "工资福利支出"),
    ],
)
def test_csv_cells_never_run_as_formulas(value: str, safe: str) -> None:
    assert csv_safe(value) == safe


def test_forced_profile_confidence_is_its_fit() -> None:
    assert yusuan.read(SAMPLE, profile="xinjiang-2024").profile_confidence == 1.0
    forced = yusuan.read(SAMPLE, profile="shanghai-juesuan-2024")
    assert forced.profile_confidence < 0.5  # a 决算 template on a 预算 document
