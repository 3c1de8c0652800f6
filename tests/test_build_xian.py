"""The 西安 template (profile `xian-2025`) built from its example ledger: what sets it apart.

Its 收支总表 has four sides (收入 ‖ 功能分类 ‖ 部门经济分类 ‖ 政府经济分类) that must each show
all the money; the 政府经济分类 side comes from the catalog's 部门 → 政府 对照表 by the unit's
kind; 表2/表3/表10/表13 list the 部门 and its 预算单位 by code; 表10 places projects in the
template's blocks; 表13 shows last year, this year and the change; 表12, the 会议费/培训费明细表
and the 绩效目标表 come from the department file, checked against the ledger. The example is
`examples/ledger/2025_xian_zhengwu_*` (tests/test_round_trip_matrix.py reads it back in every
format).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import yusuan
from tests.build_examples import EXAMPLES as FOLDER
from yusuan.catalog import load_catalog
from yusuan.compose import BuildError, build
from yusuan.compose.department import Procurement
from yusuan.model.tables import Row, RowKind, Table

LEDGER = FOLDER / "2025_xian_zhengwu_ledger.csv"
DEPT = FOLDER / "2025_xian_zhengwu_department.toml"


@pytest.fixture(scope="module")
def doc() -> yusuan.Document:
    return build(LEDGER, DEPT).document


def _item(table: Table, key: str) -> Row:
    return next(r for r in table.rows if r.key == key)


def _value(table: Table, key: str) -> Decimal:
    row = _item(table, key)
    return next(c.value for c in row.cells.values() if c.value is not None)


def _ledger_sum(pick: Callable[[list[str]], bool] | None = None) -> Decimal:
    """Σ of this year's ledger amounts (元) of the lines `pick(columns)` keeps."""
    total = Decimal(0)
    for line in LEDGER.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split(",")
        if pick is None or pick(cols):
            total += Decimal(cols[6])
    return total


def test_the_four_sides_of_the_overview_show_all_the_money(doc: yusuan.Document) -> None:
    t1 = doc.tables["T1"]
    everything = _ledger_sum()
    for key in ("income_total", "f_total", "d_total", "g_total"):
        assert _value(t1, key) == everything
    # 部门经济分类: 基本支出 (人员经费和公用经费) and 专项业务经费 by 类, from the ledger's lines.
    basic = _ledger_sum(lambda c: c[4] == "基本支出")
    assert _value(t1, "d_basic") == basic
    assert _value(t1, "d_project") == everything - basic
    assert _value(t1, "d_p310") == _ledger_sum(lambda c: c[4] == "项目支出" and c[2][:3] == "310")


def test_the_government_side_follows_the_unit_kind(doc: yusuan.Document) -> None:
    """A 事业单位's 工资福利 and 商品和服务 are 对事业单位经常性补助 (505), its 资本性支出 506;
    a 行政 or 参公 unit's are 机关工资福利支出 (501) … (财政部 对照表, catalog data)."""
    t1 = doc.tables["T1"]
    center = "西安市示例大数据中心"
    assert _value(t1, "g505") == _ledger_sum(
        lambda c: c[0] == center and c[2][:3] in ("301", "302")
    )
    assert _value(t1, "g506") == _ledger_sum(lambda c: c[0] == center and c[2][:3] == "310")
    assert _value(t1, "g501") == _ledger_sum(lambda c: c[0] != center and c[2][:3] == "301")
    assert _value(t1, "g509") == _ledger_sum(lambda c: c[2][:3] == "303")
    cat = load_catalog()
    assert (cat.economic_gov("30101"), cat.economic_gov("30101", agency=False)) == (
        "50101",
        "50501",
    )
    assert cat.economic_gov("31007") == "50306"


def test_tables_by_unit_list_the_department_and_its_units_by_code(doc: yusuan.Document) -> None:
    for key in ("T2", "T3", "T10", "T13"):
        units = [(r.unit_code, r.label) for r in doc.tables[key].rows if r.kind is RowKind.UNIT]
        assert units[0] == ("136", "西安市示例政务数据服务局"), key
        assert {code for code, _ in units[1:]} <= {"136001", "136002", "136003"}
    t2 = doc.tables["T2"]
    rows = [r for r in t2.rows if r.kind is RowKind.UNIT]
    assert sum(r.cells["total"].amount for r in rows[1:]) == rows[0].cells["total"].amount
    # 其中：专项资金列入部门预算项目 is a part of 一般公共预算拨款, in both columns.
    special = _ledger_sum(lambda c: c[3] == "专项资金列入部门预算的项目")
    total = t2.total_row()
    assert total is not None and total.cells["general_special"].value == special
    assert total.cells["general"].value == _ledger_sum(
        lambda c: c[3] in ("一般公共预算拨款", "专项资金列入部门预算的项目")
    )


def test_projects_are_placed_in_the_template_blocks(doc: yusuan.Document) -> None:
    t10 = doc.tables["T10"]
    labels = [(r.kind, r.label) for r in t10.rows if r.unit_name == "西安市示例大数据中心"]
    assert labels[:4] == [
        (RowKind.UNIT, "西安市示例大数据中心"),
        (RowKind.ITEM, "专用项目"),
        (RowKind.PROJECT, "信息化运维"),  # the department file's class, then its projects
        (RowKind.PROJECT, "政务云平台运维服务"),
    ]
    total = t10.total_row()
    assert total is not None and total.cells["amount"].value == _ledger_sum(
        lambda c: c[4] == "项目支出"
    )


def test_sangong_table_shows_last_year_this_year_and_the_change(doc: yusuan.Document) -> None:
    t13 = doc.tables["T13"]
    total = t13.total_row()
    assert total is not None
    for leaf in ("reception", "vehicle_running", "meeting", "training", "total"):
        prev, now, diff = (total.cells[f"{y}_{leaf}"].amount for y in ("prev", "now", "diff"))
        assert now - prev == diff, leaf
    assert total.cells["diff_total"].text.startswith("-")  # printed as a decrease
    assert total.cells["now_meeting"].value == Decimal("31600.00")  # 会议费 30215


def test_the_narrative_follows_the_xian_sections(doc: yusuan.Document) -> None:
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("五、收支预算总体情况说明", "十、“三公”经费及会议费、培训费情况说明"):
        assert heading in text
    assert "较上年不可比，上年基数为零" in text  # 2089999: nothing last year
    assert "对事业单位资本性补助（506）380.00万元" in text
    assert yusuan.audit(doc).summary.errors == 0


def test_a_line_a_side_cannot_show_is_refused(tmp_path: Path) -> None:
    """表1's 部门经济分类 side lists 307 债务利息 only under 专项业务经费: a 基本支出 line of
    307 has no row there, and the build names it rather than print sides that disagree."""
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        LEDGER.read_text(encoding="utf-8")
        + "西安市示例政务数据服务局,2010301,30701,一般公共预算拨款,基本支出,,1000.00,0\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as err:
        build(ledger, DEPT)
    assert "部门预算支出经济分类科目（按大类）" in err.value.issues[0].message
    assert "30701（基本支出）" in err.value.issues[0].message


def test_money_the_template_cannot_show_is_no_source(tmp_path: Path) -> None:
    """表3 (支出总表 by source) has no 上级补助收入 column: the profile says it is no ledger
    source, and a template that did not would be refused by the table itself."""
    line = "西安市示例大数据中心,2010350,30201,上级补助收入,基本支出,,1000.00,0\n"
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER.read_text(encoding="utf-8") + line, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(ledger, DEPT)
    assert "不是末级来源" in err.value.issues[0].message
    profile = FOLDER.parents[1] / "src" / "yusuan" / "profiles" / "data" / "xian-2025.toml"
    own = tmp_path / "profile.toml"
    own.write_text(
        profile.read_text(encoding="utf-8").replace(
            'printed = "2、上级补助收入", ledger = false', 'printed = "2、上级补助收入"'
        ),
        encoding="utf-8",
    )
    dept = tmp_path / "department.toml"
    dept.write_text(
        DEPT.read_text(encoding="utf-8").replace(
            'profile = "xian-2025"', f'profile = "{own.as_posix()}"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as err:
        build(ledger, dept)
    assert (
        "部门综合预算支出总表没有列示这些资金来源的列：上级补助收入" in err.value.issues[0].message
    )


def test_a_meeting_list_that_misses_the_ledger_is_refused(tmp_path: Path) -> None:
    dept = tmp_path / "department.toml"
    dept.write_text(
        DEPT.read_text(encoding="utf-8").replace('amount = "0.64"', 'amount = "0.65"'),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as err:
        build(LEDGER, dept)
    assert "会议费明细表各项之和 3.17 万元" in err.value.issues[0].message


def test_project_forms_take_their_funds_from_the_ledger(doc: yusuan.Document) -> None:
    """A 绩效目标表 naming a class (`信息化运维`) has its projects' funds: 财政拨款 from the
    fiscal sources, 其他资金 from 事业收入 and 其他收入; all forms cover 表10."""
    forms = {p.project: p for p in doc.performance if p.kind == "project"}
    funds = {
        name: tuple(f.value if f is not None else None for f in (p.total, p.fiscal, p.other))
        for name, p in forms.items()
    }
    assert funds["信息化运维"] == (Decimal("263.00"), Decimal("245.00"), Decimal("18.00"))
    totals = [total for total, _, _ in funds.values() if total is not None]
    assert len(totals) == len(forms)
    assert sum(totals) * 10_000 == _ledger_sum(lambda c: c[4] == "项目支出")


def test_procurement_kinds_come_from_the_catalogue_letter() -> None:
    items = [
        {
            "unit": "u",
            "function": "2010306",
            "project": "p",
            "catalog": c,
            "economic": "30227",
            "amount": a,
        }
        for c, a in (("A02010105台式计算机", "24.00"), ("C21040000物业管理服务", "186.00"))
    ]
    p = Procurement.model_validate({"items": items})
    assert (p.goods, p.works, p.services, p.total) == (
        Decimal("24.00"),
        Decimal("0"),
        Decimal("186.00"),
        Decimal("210.00"),
    )
    with pytest.raises(ValueError, match="服务类"):
        Procurement.model_validate({"items": items, "services": "100.00"})


def test_text_columns_print_between_the_amounts(doc: yusuan.Document) -> None:
    """表10's 项目简介 is a text column: printed in its place, read back into the row's texts."""
    from yusuan.render.markdown import to_markdown

    again = yusuan.read_text(to_markdown(doc))
    row = next(r for r in again.tables["T10"].rows if r.label == "政务大厅物业管理及餐厅运行项目")
    assert row.texts == {"intro": "政务大厅安检、保洁、保安及餐厅运行"}
