"""绩效目标表 read as forms: where a form begins, which column is which.

Forms printed one after another under one title (西安 表14, one project a page; a PDF reads
them as one table) and forms whose header leaves out columns (a 部门整体 form has no 上年完成值).
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.model.provenance import Loc
from yusuan.readers.assemble.performance import raw_to_performances
from yusuan.readers.ir import RawCell, RawRow, RawTable


def _raw(rows: list[list[str]], title: str = "绩效目标表") -> RawTable:
    raw = RawTable(title=title, title_loc=Loc())
    raw.body_rows = [RawRow([RawCell(t, Loc()) for t in r], Loc()) for r in rows]
    return raw


def test_a_form_without_last_years_column_reads_the_weight_as_weight() -> None:
    """A 部门整体 form prints no 上年完成值: the 6th column is 指标分值权重, not last year's value."""
    raw = _raw(
        [
            ["预算单位", "", "某局", "", "", ""],
            ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "指标分值权重"],
            ["产出指标", "数量指标", "窗口数量", "≤92个", "", "20"],
        ]
    )
    (form,) = raw_to_performances(raw, "overall")
    (ind,) = form.indicators
    assert (ind.last_value, ind.weight) == ("", Decimal("20"))


def test_forms_printed_one_after_another_begin_at_their_unit_line() -> None:
    """Forms read as one table (one title over several pages) begin at `预算单位` when they
    name the unit before the project."""
    form = [
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "指标值设置依据",
            "上年完成值",
            "指标分值权重",
        ],
        ["产出指标", "数量指标", "件数", "5件", "", "", "90"],
    ]
    raw = _raw(
        [
            ["预算单位", "", "甲单位"],
            ["项目名称", "", "项目一"],
            *form,
            ["预算单位", "", "乙单位"],
            ["项目名称", "", "项目二"],
            *form,
        ]
    )
    forms = raw_to_performances(raw, "project")
    assert [(f.unit_name, f.project) for f in forms] == [("甲单位", "项目一"), ("乙单位", "项目二")]
    assert [i.level3 for f in forms for i in f.indicators] == ["件数", "件数"]
