"""Every buildable template, built from its example ledger: Markdown → read → audit.

`EXAMPLES` pairs each profile with its example files (`tests/build_examples.py: buildable`:
`examples/ledger/*_ledger.csv` beside `*_department.toml`, which names its profile); the
format round trips (tests/test_round_trip_matrix.py) iterate the same list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import yusuan
from tests.build_examples import buildable
from yusuan.compose import build, buildable_profiles
from yusuan.compose.compare import document_differences
from yusuan.compose.department import load_department
from yusuan.kinds import table_kind
from yusuan.model.tables import RowKind
from yusuan.render.markdown import to_markdown

ROOT = Path(__file__).resolve().parent.parent


def _examples() -> dict[str, tuple[Path, Path]]:
    return {load_department(e.department).profile: (e.ledger, e.department) for e in buildable()}


EXAMPLES = _examples()


def test_every_buildable_template_has_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(buildable_profiles())
    # The templates the builder serves today; a new one is a profile, a narrative template
    # and an example, and shows up here.
    assert {
        "xinjiang-2024",
        "shanghai-yusuan-bumen",
        "shanghai-yusuan-danwei",
        "hunan-2025",
        "xian-2025",
    } <= set(EXAMPLES)


@pytest.mark.parametrize("profile", sorted(EXAMPLES))
def test_example_builds_reads_back_and_audits_clean(profile: str) -> None:
    ledger, dept = EXAMPLES[profile]
    result = build(ledger, dept)
    doc = result.document
    assert doc.profile == profile
    assert yusuan.audit(doc).summary.errors == 0
    again = yusuan.read_text(to_markdown(doc))
    # The reader recognises the template from the printed titles alone.
    assert again.profile == profile
    assert document_differences(doc, again) == []
    assert yusuan.audit(again).summary.errors == 0


@pytest.mark.parametrize("profile", sorted(EXAMPLES))
def test_every_table_of_the_template_is_built(profile: str) -> None:
    ledger, dept = EXAMPLES[profile]
    doc = build(ledger, dept).document
    spec = yusuan.profiles.load_profile(profile)
    laid_out = [
        t.key
        for t in spec.tables
        if t.layout in ("two-panel", "panels", "coded", "coded-grouped", "items", "grouped-items")
        and (t.kind or table_kind(t.title)) != "performance"  # forms: the 绩效目标表
    ]
    # Every table the template lays out is built, in its order; one it does not require is
    # left out only when nothing fills it.
    assert [k for k in laid_out if k in doc.tables] == list(doc.tables)
    for key in laid_out:
        table = next(t for t in spec.tables if t.key == key)
        assert key in doc.tables or (not table.required and key not in doc.tables)
    # Each 收支总表 balances and says the same total as the ledger's lines add up to.
    overview = next(t for t in doc.tables.values() if t.kind == "overview")
    totals = [r for r in overview.rows if r.kind is RowKind.TOTAL]
    # One total a side: 收入 ‖ 支出 (西安: ‖ 功能分类 ‖ 部门经济分类 ‖ 政府经济分类).
    assert len(totals) == len({c.panel for c in overview.columns}) >= 2
    sides = {next(c.value for c in r.cells.values() if c.value is not None) for r in totals}
    assert len(sides) == 1


def test_unit_budget_speaks_of_the_unit() -> None:
    """上海 单位预算: its text calls itself 本单位 (rule C705), its tables say 单位."""
    ledger, dept = EXAMPLES["shanghai-yusuan-danwei"]
    doc = build(ledger, dept).document
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "本单位" in text and "本部门" not in text
    assert all(t.title.startswith("单位") for t in doc.tables.values())


def test_shanghai_prints_yuan_and_sangong_in_wan() -> None:
    ledger, dept = EXAMPLES["shanghai-yusuan-bumen"]
    doc = build(ledger, dept).document
    units = {t.kind: t.unit.value if t.unit else None for t in doc.tables.values()}
    assert units["overview"] == "元"
    assert units["sangong"] == "万元"
    overview = doc.tables["T1"]
    total = next(r for r in overview.rows if r.key == "income_total")
    # 元 tables print whole 元: the ledger's 38,188,240.00 元.
    assert total.cells["amount"].text == "38,188,240"


def test_hunan_fiscal_income_is_split_by_budget() -> None:
    """湖南's 收支总表 has one 本级财政拨款收入: the ledger names the budget (一般公共预算
    / 政府性基金), which the 财政拨款收支总表 and 一般公共预算 tables need."""
    ledger, dept = EXAMPLES["hunan-2025"]
    doc = build(ledger, dept).document
    t4 = next(t for t in doc.tables.values() if t.kind == "finance-overview")
    cells = {r.key: r.cells["amount"].value for r in t4.rows if r.panel == "income"}
    t1 = next(t for t in doc.tables.values() if t.kind == "overview")
    fin = next(r for r in t1.rows if r.key == "fin").cells["amount"].value
    assert cells["general"] is not None and cells["fund"] is not None
    assert cells["general"] + cells["fund"] == fin


def test_no_table_key_is_spelled_in_code(tmp_path: Path) -> None:
    """The builder follows kinds and roles, not keys: the 上海 profile with every table key
    renamed (T1 → Q1 …) builds the same tables, cell for cell."""
    import re

    ledger, dept = EXAMPLES["shanghai-yusuan-bumen"]
    source = ROOT / "src" / "yusuan" / "profiles" / "data" / "shanghai-yusuan-bumen.toml"
    renamed = tmp_path / "renamed.toml"
    renamed.write_text(re.sub(r"\bT(\d+)\b", r"Q\1", source.read_text(encoding="utf-8")))
    moved = tmp_path / "department.toml"
    text = dept.read_text(encoding="utf-8")
    moved.write_text(
        text.replace('profile = "shanghai-yusuan-bumen"', f'profile = "{renamed.as_posix()}"'),
        encoding="utf-8",
    )
    original = build(ledger, dept).document
    again = build(ledger, moved).document
    assert list(again.tables) == [f"Q{k[1:]}" for k in original.tables]
    for key, table in original.tables.items():
        other = again.tables[f"Q{key[1:]}"]
        assert [(r.label, {k: c.value for k, c in r.cells.items()}) for r in table.rows] == [
            (r.label, {k: c.value for k, c in r.cells.items()}) for r in other.rows
        ]
    assert [p.text for p in original.paragraphs] == [p.text for p in again.paragraphs]


def test_a_template_the_builder_cannot_serve_is_refused(tmp_path: Path) -> None:
    """北京's template has no narrative template (its 说明 is published apart from the tables):
    the build says so instead of writing a document."""
    from yusuan.compose import BuildError

    ledger, dept = EXAMPLES["hunan-2025"]
    moved = tmp_path / "department.toml"
    moved.write_text(
        dept.read_text(encoding="utf-8").replace(
            'profile = "hunan-2025"', 'profile = "beijing-2026"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as err:
        build(ledger, moved)
    assert "模板「beijing-2026」不能用于编制" in str(err.value.issues[0].message)
    assert "beijing-2026" not in buildable_profiles()
