"""The shared page layout: merged headers from the profile, rows as the model holds them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.errors import ProfileError
from yusuan.model.document import Document
from yusuan.model.tables import RowKind
from yusuan.profiles import load_profile
from yusuan.profiles.schema import HeaderSpec, TableSpec
from yusuan.render.layout import (
    NUMBER_MARK,
    TableBlock,
    TextBlock,
    document_blocks,
    header_cells,
    table_block,
    table_blocks,
)


def _block(doc: Document, key: str) -> TableBlock:
    return next(b for b in table_blocks(doc) if b.key == key)


def _spans(block: TableBlock) -> dict[str, tuple[int, int, int, int]]:
    """Header text → (row, col, rowspan, colspan) of its first occurrence."""
    out: dict[str, tuple[int, int, int, int]] = {}
    for c in block.grid.cells:
        if c.head and c.text not in out:
            out[c.text] = (c.row, c.col, c.rowspan, c.colspan)
    return out


def test_header_paths_merge_alike_prefixes_and_extend_leaves_down() -> None:
    paths = [["项目名称"], ["总计"], ["财政拨款", "合计"], ["财政拨款", "基本支出", "人员经费"]]
    paths += [["财政拨款", "基本支出", "公用经费"], ["财政拨款", "项目支出"]]
    cells, depth = header_cells(paths)
    assert depth == 3
    got = {(c.text, c.row, c.col): (c.rowspan, c.colspan) for c in cells}
    assert got == {
        ("项目名称", 0, 0): (3, 1),
        ("总计", 0, 1): (3, 1),
        ("财政拨款", 0, 2): (1, 4),
        ("合计", 1, 2): (2, 1),
        ("基本支出", 1, 3): (1, 2),
        ("人员经费", 2, 3): (1, 1),
        ("公用经费", 2, 4): (1, 1),
        ("项目支出", 1, 5): (2, 1),
    }


def test_every_profile_table_of_the_sample_gets_its_printed_header(sample_doc: Document) -> None:
    spans = _spans(_block(sample_doc, "T2"))
    assert spans["功能分类科目编码"] == (0, 0, 1, 3)
    assert spans["功能分类科目名称"] == (0, 3, 2, 1)
    assert spans["财政拨款（补助）"] == (0, 5, 1, 7)
    assert spans["类"] == (1, 0, 1, 1)
    t3 = _spans(_block(sample_doc, "T3"))
    assert t3["科目"] == (0, 0, 1, 4) and t3["支出预算"] == (0, 4, 1, 3)
    assert t3["合计"] == (1, 4, 2, 1)
    t6 = _spans(_block(sample_doc, "T6"))
    assert t6["经济分类科目编码"] == (1, 0, 1, 2)
    t8 = _spans(_block(sample_doc, "T8"))
    assert t8["基本支出"] == (1, 5, 1, 2) and t8["人员经费"] == (2, 5, 1, 1)
    t1 = _spans(_block(sample_doc, "T1"))
    assert t1["收入"] == (0, 0, 1, 2) and t1["支出"] == (0, 2, 1, 2)
    t10 = _spans(_block(sample_doc, "T10"))
    assert t10["资金来源"] == (0, 2, 1, 3)


def test_column_numbers_row_marks_leading_columns_and_numbers_amounts(
    sample_doc: Document,
) -> None:
    block = _block(sample_doc, "T7")
    row = block.grid.header_rows - 1
    texts = [c.text for c in sorted(block.grid.cells, key=lambda c: c.col) if c.row == row]
    assert texts == [NUMBER_MARK] * 5 + [str(n) for n in range(1, 12)]


def test_codes_split_in_three_columns_and_projects_printed(sample_doc: Document) -> None:
    block = _block(sample_doc, "T7")
    rows = block.grid.rows()
    texts = [[c.text for c in line] for line in rows[block.grid.header_rows :]]
    assert texts[0][3] == "总计"
    assert texts[1][3] == "新疆维吾尔自治区人力资源和社会保障厅本级"  # a unit row
    assert texts[4][:5] == ["205", "03", "02", "中等职业教育", "特定目标 6010091N"]
    six = _block(sample_doc, "T6").grid
    line = six.rows()[six.header_rows + 2]
    assert [c.text for c in line][:3] == ["301", "01", "基本工资"]


def test_amounts_print_as_the_model_holds_them(sample_doc: Document) -> None:
    for block in table_blocks(sample_doc):
        if block.performance:
            continue
        table = sample_doc.tables[block.key]
        placed = {c.source: c for c in block.grid.cells if c.source is not None}
        expected = {
            (i, key)
            for i, row in enumerate(table.rows)
            for key, cell in row.cells.items()
            if cell.value is not None
        }
        assert set(placed) == expected, block.key
        for (i, key), gc in placed.items():
            cell = table.rows[i].cells[key]
            assert gc.value == cell.value and gc.decimals == cell.decimals
            assert gc.bold == table.rows[i].bold
            assert gc.text == f"{cell.value:,.{cell.decimals}f}"


def test_two_panels_side_by_side_with_totals_on_one_line(sample_doc: Document) -> None:
    block = _block(sample_doc, "T4")
    last = block.grid.rows()[-1]
    expected = ["收入总计", "52,864.04", "支出总计", "52,864.04", "52,864.04", "", ""]
    assert [c.text for c in last] == expected
    # The shorter income side leaves blank, ruled cells under its last item.
    assert all(
        len(line) == block.grid.ncols for line in block.grid.rows()[block.grid.header_rows :]
    )


def test_empty_tables_keep_header_and_note(sample_doc: Document) -> None:
    for key in ("T8", "T9"):
        block = _block(sample_doc, key)
        assert block.grid.nrows == block.grid.header_rows
        assert block.notes and block.notes[0].endswith("为空表。")


def test_reading_order_folds_table_captions_and_marks_contents(sample_doc: Document) -> None:
    blocks = document_blocks(sample_doc)
    texts = [b.text for b in blocks if isinstance(b, TextBlock)]
    assert "表 1" not in texts  # printed once, as 表1 over the table
    keys = [b.key for b in blocks if isinstance(b, TableBlock)]
    assert keys[:11] == [f"T{n}" for n in range(1, 12)]
    assert len(keys) == 11 + len(sample_doc.performance)
    contents = [b for b in blocks if isinstance(b, TextBlock) and b.toc]
    assert contents[0].title and contents[-1].text.endswith("名词解释")
    parts = [b.text for b in blocks if isinstance(b, TextBlock) and b.level == 1 and not b.toc]
    assert [p[:4] for p in parts] == ["第一部分", "第二部分", "第三部分", "第四部分"]


def test_performance_table_form_and_merged_indicator_levels(sample_doc: Document) -> None:
    perf = sample_doc.performance[1]
    block = next(b for b in table_blocks(sample_doc) if b.key == "P2")
    assert block.performance and block.subtitle == "(2024 年)"
    texts = {c.text for c in block.grid.cells}
    assert {"预算单位", "项目名称", "年度预算总额", "一级指标", "佐证资料"} <= texts
    assert perf.project in texts and perf.unit_name in texts
    money = [c for c in block.grid.cells if c.value is not None]
    assert [c.value for c in money] == [perf.total.value, perf.fiscal.value, perf.other.value]  # type: ignore[union-attr]
    first = next(c for c in block.grid.cells if c.text == "产出指标")
    assert first.rowspan == sum(1 for i in perf.indicators if i.level1 == "产出指标")


def test_stub_header_must_fit_the_layout(sample_doc: Document) -> None:
    spec = load_profile("xinjiang-2024").table("T3")
    assert spec is not None
    bad = spec.model_copy(update={"header": HeaderSpec(stub=[["科目"]])})
    profile = load_profile("xinjiang-2024")
    tables = [bad if t.key == "T3" else t for t in profile.tables]
    broken = profile.model_copy(update={"tables": tables})
    with pytest.raises(ProfileError, match=r"header\.stub"):
        table_block(sample_doc, sample_doc.tables["T3"], broken)


def test_table_without_profile_header_gets_a_plain_one(sample_doc: Document) -> None:
    profile = load_profile("xinjiang-2024")
    plain = [
        TableSpec.model_validate({**t.model_dump(), "header": None}) if t.key == "T5" else t
        for t in profile.tables
    ]
    block = table_block(
        sample_doc, sample_doc.tables["T5"], profile.model_copy(update={"tables": plain})
    )
    first = [c.text for c in block.grid.rows()[0]]
    assert first == ["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"]
    total = block.grid.rows()[block.grid.header_rows]
    assert total[3].text == "总计" and total[4].value == Decimal("52864.04")
    assert sample_doc.tables["T5"].rows[0].kind is RowKind.TOTAL
