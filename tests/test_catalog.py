"""The classification catalog: data integrity, lookups, editions, names, completeness."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

if importlib.util.find_spec("yusuan") is None:  # a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pytest

from yusuan.catalog import (
    DEFAULT_ROOT,
    LIST_NAMES,
    Catalog,
    CatalogDataError,
    NameStatus,
    format_lookup,
    load_catalog,
    names_match,
    nearest_edition,
    normalize_code,
    normalize_name,
)
from yusuan.catalog.harvest import classify_code, harvest_text, pairs_in_row

SAMPLE = Path(__file__).resolve().parent / "data" / "2024_xinjiang_hrss_budget.md"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog().load_all()


def all_editions(cat: Catalog) -> list[tuple[str, int]]:
    return [(lst, ed) for lst in cat.lists() for ed in cat.editions(lst)]


# --- data integrity ----------------------------------------------------------------------


def test_shipped_lists_and_editions(cat: Catalog) -> None:
    assert cat.lists() == list(LIST_NAMES)
    assert cat.editions("function") == [2023, 2024, 2025, 2026]
    assert cat.editions("economic_dept") == [2020, 2024, 2025, 2026]
    assert cat.editions("economic_gov") == [2020, 2025, 2026]
    assert cat.editions("revenue") == []


def test_levels_and_parents_follow_code_length(cat: Catalog) -> None:
    for lst, ed in all_editions(cat):
        for e in cat.entries_in(lst, ed):
            assert e.level == {3: 1, 5: 2, 7: 3}[len(e.code)], e
            assert e.parent == (e.code[:-2] if len(e.code) > 3 else None), e
            assert (e.list_name, e.edition) == (lst, ed)
            assert classify_code(e.code) == lst, e


def test_every_parent_present_or_flagged(cat: Catalog) -> None:
    """A 款/项 without its parent in the same edition must be flagged in catalog.toml, and
    a flag must not outlive the gap it explains."""
    for lst, ed in all_editions(cat):
        assert cat.missing_parents(lst, ed) == cat.unattested_parents(lst, ed), (lst, ed)


def test_sources_present_defined_and_of_the_edition(cat: Catalog) -> None:
    defined = set(cat.source_keys())
    used: set[str] = set()
    for lst, ed in all_editions(cat):
        for e in cat.entries_in(lst, ed):
            assert e.sources, e
            for key in e.sources:
                assert key in defined, (e, key)
                info = cat.sources(key)
                assert info.edition == ed, (e, key)  # a source evidences one edition
                assert lst in info.lists, (e, key)
            used.update(e.sources)
    for branch in cat.complete_branches():
        assert set(branch.sources) <= used
    assert used == defined  # no registered source without rows


def test_names_are_stored_clean(cat: Catalog) -> None:
    for lst, ed in all_editions(cat):
        for e in cat.entries_in(lst, ed):
            assert e.name == e.name.strip() and not re.search(r"\s", e.name), e
            assert "(" not in e.name and ")" not in e.name, e  # full-width brackets only


def test_name_differences_between_editions_are_recorded_renamings(cat: Catalog) -> None:
    for lst in cat.lists():
        renamed = {r.code for r in cat.renamings(lst)}
        assert set(cat.edition_name_differences(lst)) <= renamed


def test_conflicts_record_the_rejected_name_and_the_kept_one(cat: Catalog) -> None:
    conflicts = cat.conflicts()
    assert {(c.edition, c.code, c.name, c.sources) for c in conflicts} == {
        (2024, "20805", "行政事业单位离退休", ("ZY-XFJ-2024JS",)),  # its narrative
        (2024, "2080501", "归口管理的行政单位离退休", ("ZY-XFJ-2024JS",)),  # its narrative
        (2025, "20805", "行政事业单位离退休", ("SQ",)),
        (2025, "2111101", "减排专项支出", ("SQ",)),
        (2026, "210", "医疗卫生与计划生育支出", ("SH-PT-SFJ-2026",)),  # its narrative
    }
    renamed = {(r.code, r.old_name) for r in cat.renamings()}
    for c in conflicts:
        kept = cat.entry(c.code, c.list_name, c.edition)
        assert kept is not None and kept.name == c.kept_name != c.name
        assert c.note and all(s in cat.source_keys() for s in c.sources)
        # every rejected name is either an older name or a pairing judged erroneous
        assert (c.code, c.name) in renamed or "错误" in c.note


def test_attestations_back_every_row(cat: Catalog) -> None:
    for lst, ed in all_editions(cat):
        for e in cat.entries_in(lst, ed):
            att = {(a.source, a.name) for a in cat.attestations(e.code, lst) if a.edition == ed}
            assert {(s, e.name) for s in e.sources} <= att, e


def test_complete_branches_exist_in_their_edition(cat: Catalog) -> None:
    for b in cat.complete_branches():
        assert b.edition in cat.editions(b.list_name)
        if b.branch not in ("", "*"):
            assert cat.entry(b.branch, b.list_name, b.edition) is not None, b
            children = [e for e in cat.entries_in(b.list_name, b.edition) if e.parent == b.branch]
            assert children, b


def test_2024_function_classes_are_the_30_of_the_template(cat: Catalog) -> None:
    classes = [e.code for e in cat.entries_in("function", 2024) if e.level == 1]
    expected = [str(c) for c in [*range(201, 218), *range(219, 225), 227, *range(229, 235)]]
    assert len(expected) == 30 and classes == expected
    assert cat.entry("234", edition=2024) is not None
    assert cat.entry("234", edition=2024).name == "抗疫特别国债安排的支出"  # type: ignore[union-attr]


def test_row_counts() -> None:
    """Guards against silently lost rows (update when data is added)."""
    cat = load_catalog()
    counts = {(lst, ed): len(cat.entries_in(lst, ed)) for lst, ed in all_editions(cat)}
    assert counts == {
        ("function", 2023): 7,
        ("function", 2024): 78,
        ("function", 2025): 108,
        ("function", 2026): 248,
        ("economic_dept", 2020): 11,
        ("economic_dept", 2024): 81,
        ("economic_dept", 2025): 65,
        ("economic_dept", 2026): 69,
        ("economic_gov", 2020): 10,
        ("economic_gov", 2025): 14,
        ("economic_gov", 2026): 23,
    }


# --- the sample disclosure resolves -------------------------------------------------------

_TAG = re.compile(r"</?b>")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def sample_pairs() -> set[tuple[str, str, str]]:
    """(list, code, name) printed in the sample's tables, parsed independently of the
    harvester: 类 cells `201 一般公共服务支出` (表1/表4), rows `205 03 02 中等职业教育` with
    blank 款/项 cells on 类/款 rows (表2/3/5/7), and `301 01 基本工资` (表6)."""
    pairs: set[tuple[str, str, str]] = set()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        cells = [_TAG.sub("", c).strip() for c in line.split("\t")]
        for cell in cells:
            m = re.fullmatch(r"(2\d\d) (\S+支出|预备费)", cell)  # not `200 万元` (绩效表)
            if m:
                pairs.add(("function", m[1], m[2]))
        if re.fullmatch(r"2\d\d", cells[0]):
            k = 1
            while k < min(3, len(cells)) and re.fullmatch(r"\d\d|", cells[k]):
                k += 1
            if k < len(cells) and _CJK.search(cells[k]):
                pairs.add(("function", "".join(cells[:k]), cells[k]))
        elif re.fullmatch(r"30\d", cells[0]) and len(cells) > 1:
            m = re.fullmatch(r"(\d\d) (\S+)", cells[1])
            if m:
                pairs.add(("economic_dept", cells[0] + m[1], m[2]))
            elif _CJK.search(cells[1]):
                pairs.add(("economic_dept", cells[0], cells[1]))
    return pairs


def test_every_code_printed_in_the_sample_resolves(cat: Catalog) -> None:
    pairs = sample_pairs()
    assert len({p for p in pairs if p[0] == "function"}) == 62
    assert len({p for p in pairs if p[0] == "economic_dept"}) == 31
    for lst, code, name in pairs:
        check = cat.check_name(code, name, lst, edition=2024)
        assert check.status is NameStatus.EXACT, (code, name, check.message())
        assert check.entry is not None and check.entry.edition == 2024
        assert "XJ-HRSS-2024" in check.entry.sources


def test_harvester_finds_the_same_pairs_as_the_independent_parser() -> None:
    harvested = {(h.list_name, h.code, h.name) for h in harvest_text(SAMPLE)}
    assert harvested == sample_pairs()


# --- lookups --------------------------------------------------------------------------------


def test_entry_by_code(cat: Catalog) -> None:
    e = cat.entry("2080101", edition=2024)
    assert e is not None
    assert (e.name, e.level, e.parent, e.edition, e.list_name) == (
        "行政运行",
        3,
        "20801",
        2024,
        "function",
    )
    assert cat.entry("208 01 01", edition=2024) == e
    assert cat.entry("208\t01\t01", "function", 2024) == e
    assert cat.entry("2080101", edition=2025) is None  # exact edition only
    assert cat.entry("2080101", "economic_dept") is None
    assert cat.entry("not a code") is None
    assert cat.entry("30101", "economic_dept").name == "基本工资"  # type: ignore[union-attr]


def test_entry_without_edition_is_the_newest(cat: Catalog) -> None:
    e = cat.entry("20805")
    assert e is not None and e.edition == 2026
    assert [x.edition for x in cat.entries("20805")] == [2026, 2025, 2024]


def test_parent_and_level_from_code(cat: Catalog) -> None:
    assert cat.parent("2080101") == "20801"
    assert cat.parent("20801") == "208"
    assert cat.parent("208") is None
    assert [cat.level(c) for c in ("208", "20801", "208 01 01")] == [1, 2, 3]
    with pytest.raises(ValueError):
        cat.level("2080")


def test_path_names(cat: Catalog) -> None:
    assert (
        cat.path_name("2050302", edition=2024) == "教育支出（类）职业教育（款）中等职业教育（项）"
    )
    assert (
        cat.path_name("2080101")
        == "社会保障和就业支出（类）人力资源和社会保障管理事务（款）行政运行（项）"
    )
    assert cat.path_name("30101", list_name="economic_dept") == "工资福利支出（类）基本工资（款）"
    # the 2026 source prints 2010301 without its 款; the 款 name comes from 2025
    assert (
        cat.path_name("2010301", edition=2026)
        == "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
    )
    # 505 is printed nowhere
    assert cat.path_name("50501", list_name="economic_gov") is None
    assert (
        cat.path_name("50501", list_name="economic_gov", partial=True)
        == "505（类）工资福利支出（款）"
    )


def test_codes_several_regions_print_alike_are_known(cat: Catalog) -> None:
    """Harvested from the development corpus (scripts/harvest_corpus_catalog.py): 20108
    审计事务 is printed by the 深圳 and 烟台 audit bureaus, each page recorded."""
    e = cat.entry("20108", "function", 2026)
    assert e is not None and e.name == "审计事务"
    assert {"SZ-SHENJIJU-2026", "YT-SHENJIJU-2026"} <= set(e.sources)
    regions = {cat.sources(k).region for k in e.sources}
    assert len(regions) >= 2
    assert all(a.where.startswith("p") for a in cat.attestations("20108") if a.edition == 2026)
    # Any part of a name finds it.
    assert "20108" in [h.code for h in cat.search("审计")]
    assert "2010804" in [h.code for h in cat.search("计业")]


def test_search_by_name_and_code_prefix(cat: Catalog) -> None:
    hits = cat.search("养老")
    codes = [h.code for h in hits]
    assert {"20805", "2080505", "2080599", "30108"} <= set(codes)
    assert all("养老" in h.name for h in hits)
    assert [h.code for h in cat.search("养老", list_name="economic_dept")] == ["30108"]
    prefix = cat.search("20805")
    assert prefix and all(h.code.startswith("20805") for h in prefix)
    assert [h.code for h in cat.search("住房公积金")][:1] == ["2210201"]  # exact name first
    assert len(cat.search("支出", limit=5)) == 5
    assert cat.search("维修(护)费")[0].code == "30213"  # bracket forms ignored
    assert cat.search("   ") == []


def test_sources_registry(cat: Catalog) -> None:
    info = cat.sources("XJ-HRSS-2024")
    assert info.year == 2024 and info.edition == 2024 and info.kind == "部门预算"
    assert "新疆" in info.describe()
    assert cat.sources("ZY-XFJ-2024JS").region == "中央"
    with pytest.raises(KeyError):
        cat.sources("NOPE")


# --- editions -------------------------------------------------------------------------------


def test_edition_for_document_year(cat: Catalog) -> None:
    assert cat.edition_for("function", 2024) == 2024
    assert cat.edition_for("function", 2027) == 2026
    assert cat.edition_for("function", 2019) == 2023
    assert cat.edition_for("economic_dept", 2022) == 2020  # 2020 and 2024: the nearer
    with pytest.raises(ValueError):
        cat.edition_for("revenue", 2024)


def test_nearest_edition_prefers_the_earlier_on_a_tie() -> None:
    assert nearest_edition([2020, 2022], 2021) == 2020
    assert nearest_edition([2022, 2020], 2021) == 2020
    assert nearest_edition([2020, 2023], 2022) == 2023
    with pytest.raises(ValueError):
        nearest_edition([], 2024)


def write_edition(root: Path, list_name: str, edition: int, rows: list[str]) -> None:
    folder = root / list_name
    folder.mkdir(parents=True, exist_ok=True)
    body = "code,name,level,parent,sources\n" + "".join(r + "\n" for r in rows)
    (folder / f"{edition}.csv").write_text(body, encoding="utf-8")


def test_a_new_edition_file_is_picked_up(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(DEFAULT_ROOT, root)
    write_edition(
        root,
        "function",
        2027,
        ["208,社会保障和就业支出,1,,NEW", "20801,人力资源和社会保障管理事务,2,208,NEW"],
    )
    cat = load_catalog(root)
    assert cat.editions("function") == [2023, 2024, 2025, 2026, 2027]
    assert cat.edition_for("function", 2027) == 2027
    assert cat.entry("20801").edition == 2027  # type: ignore[union-attr]
    assert cat.entry("20801", edition=2027).sources == ("NEW",)  # type: ignore[union-attr]
    assert cat.path_name("2080101", edition=2027) == (
        "社会保障和就业支出（类）人力资源和社会保障管理事务（款）行政运行（项）"
    )
    # the packaged catalog is untouched and still cached
    assert load_catalog().editions("function") == [2023, 2024, 2025, 2026]
    assert load_catalog() is load_catalog()


def test_a_new_list_and_a_complete_official_list_need_only_data(tmp_path: Path) -> None:
    write_edition(tmp_path, "revenue", 2025, ["101,税收收入,1,,MOF", "10101,增值税,2,101,MOF"])
    (tmp_path / "catalog.toml").write_text(
        '[[complete]]\nlist = "revenue"\nedition = 2025\nbranch = "*"\nsources = ["MOF"]\n',
        encoding="utf-8",
    )
    cat = load_catalog(tmp_path)
    assert cat.lists() == ["revenue"]
    assert cat.list_title("revenue") == "revenue"
    assert cat.path_name("10101", list_name="revenue") == "税收收入（类）增值税（款）"
    assert cat.is_complete("10199", "revenue", 2025)
    assert cat.is_complete("102", "revenue", 2025)
    assert not cat.is_complete("10199", "revenue", 2026)  # never borrowed by another edition


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2080,x,2,208,S", "不是 3、5 或 7 位"),
        ("20801,x,3,208,S", "级次或上级编码"),
        ("20801,x,2,207,S", "级次或上级编码"),
        ("20801,,2,208,S", "缺少名称或来源"),
        ("20801,x,2,208,", "缺少名称或来源"),
        ("20801,x,2,208", "应有 5 列"),
    ],
)
def test_malformed_rows_are_rejected(tmp_path: Path, row: str, problem: str) -> None:
    write_edition(tmp_path, "function", 2024, [row])
    with pytest.raises(CatalogDataError, match=problem):
        load_catalog(tmp_path).entry("20801")


def test_wrong_header_and_missing_root_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "function").mkdir()
    (tmp_path / "function" / "2024.csv").write_text("code,name\n208,x\n", encoding="utf-8")
    with pytest.raises(CatalogDataError, match="表头"):
        load_catalog(tmp_path).entry("208")
    with pytest.raises(CatalogDataError, match="不存在"):
        load_catalog(tmp_path / "nowhere").editions()


def test_loading_is_lazy() -> None:
    cat = Catalog(DEFAULT_ROOT)
    assert cat.entry("2080101") is not None  # found in the newest edition: one file read
    assert set(cat._tables) == {("function", 2026)}
    assert cat.entry("2080101", edition=2024) is not None
    assert set(cat._tables) == {("function", 2026), ("function", 2024)}
    whole = Catalog(DEFAULT_ROOT)
    whole.load_all()  # its speed is a benchmark's business, not a test's
    assert ("function", 2026) in whole._tables and len(whole._tables) > len(cat._tables)


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("维修(护)费", "维修（护）费"),
        ("因公出国 （境）费用", "因公出国【境】费用"),
        ("因公出国[境]费用", "因公出国（境）费用"),
        ("政府办公厅(室)及相关机构事务", "政府办公厅（室）及相关机构事务"),
        ("机关事业单位基本养老保险\n缴费支出", "机关事业单位基本养老保险缴费支出"),
        ("环境保护法规、规划及标准", "环境保护法规,规划及标准"),
        ("<b>行政运行</b>", "行政运行"),
    ],
)
def test_names_match_tolerates_form(a: str, b: str) -> None:
    assert names_match(a, b)
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("行政运行", "事业运行"), ("行政事业单位养老支出", "行政事业单位离退休"), ("水费", "电费")],
)
def test_names_match_keeps_different_names_apart(a: str, b: str) -> None:
    assert not names_match(a, b)


def test_normalize_code() -> None:
    assert normalize_code("208 01 01") == "2080101"
    assert normalize_code("<b>208</b>\t<b>05</b>") == "20805"
    assert normalize_code("２０８") == "208"
    for bad in ("2080", "20801010", "abc", ""):
        with pytest.raises(ValueError):
            normalize_code(bad)


def test_check_name_outcomes(cat: Catalog) -> None:
    exact = cat.check_name("2080101", "行政运行", "function", 2024)
    assert exact.status is NameStatus.EXACT and exact.ok and not exact.from_other_edition

    tolerant = cat.check_name("30213", "维修(护)费", "economic_dept", 2025)
    assert tolerant.status is NameStatus.TOLERANT and tolerant.ok
    assert tolerant.expected == "维修（护）费"

    wrong = cat.check_name("2080199", "其他就业补助支出", "function", 2024)
    assert wrong.status is NameStatus.MISMATCH and not wrong.ok
    assert wrong.expected == "其他人力资源和社会保障管理事务支出"
    assert "不一致" in wrong.message() and wrong.expected in wrong.message()

    unknown = cat.check_name("2089901", "随便", "function", 2024)
    assert unknown.status is NameStatus.UNKNOWN_CODE and unknown.entry is None
    assert "未收录不等于编码无效" in unknown.message()

    # a code known only in another edition is compared with the nearest edition's name
    other = cat.check_name("2080101", "行政运行", "function", 2025)
    assert other.status is NameStatus.EXACT and other.from_other_edition
    assert other.entry is not None and other.entry.edition == 2024


def test_check_name_known_disclosure_error(cat: Catalog) -> None:
    check = cat.check_name("2111101", "减排专项支出", "function", 2025)
    assert check.status is NameStatus.MISMATCH
    assert check.expected == "生态环境监测与信息"
    assert check.known_variant is not None and check.known_variant.sources == ("SQ",)
    assert "2111103" in check.message()
    assert cat.check_name("2111103", "减排专项支出", "function", 2025).ok


def test_known_renaming(cat: Catalog) -> None:
    assert {(r.code, r.old_name, r.new_name, r.edition) for r in cat.renamings("function")} == {
        ("210", "医疗卫生与计划生育支出", "卫生健康支出", 2024),
        ("20805", "行政事业单位离退休", "行政事业单位养老支出", 2024),
        ("2080501", "归口管理的行政单位离退休", "行政单位离退休", 2024),
    }
    (ren,) = [r for r in cat.renamings("function") if r.code == "20805"]
    old_in_2025 = cat.check_name("20805", "行政事业单位离退休", "function", 2025)
    assert old_in_2025.status is NameStatus.RENAMED and old_in_2025.outdated
    assert old_in_2025.renaming == ren
    assert "旧名称" in old_in_2025.message() and "2024" in old_in_2025.message()
    assert cat.check_name("20805", "行政事业单位 离退休", "function", 2025).outdated
    # before the renaming is attested the old name may still be right
    old_in_2023 = cat.check_name("20805", "行政事业单位离退休", "function", 2023)
    assert old_in_2023.status is NameStatus.RENAMED and not old_in_2023.outdated
    assert cat.check_name("20805", "行政事业单位养老支出", "function", 2025).status is (
        NameStatus.EXACT
    )
    # the 类 name a 2026 narrative still uses
    health = cat.check_name("210", "医疗卫生与计划生育支出", "function", 2026)
    assert health.outdated and health.expected == "卫生健康支出"


# --- completeness and suggestions -----------------------------------------------------------


def test_is_complete(cat: Catalog) -> None:
    assert cat.is_complete("235", "function", 2024)  # 类 level of 2024 complete
    assert cat.is_complete("208", "function", 2024)
    assert not cat.is_complete("235", "function", 2025)
    assert not cat.is_complete("2080102", "function", 2024)  # 20801's 项 not complete
    for code in ("30104", "30306", "31004"):
        assert cat.is_complete(code, "economic_dept", 2024), code
    assert cat.is_complete("30104", "economic_dept", 2025)
    assert not cat.is_complete("31004", "economic_dept", 2025)  # 310 incomplete in 2025
    assert not cat.is_complete("30219", "economic_dept", 2024)  # 302 deliberately not
    assert not cat.is_complete("301", "economic_dept", 2024)  # economic 类 level not
    assert not cat.is_complete("30104", "economic_dept", 2027)  # no such edition


def test_complete_branches_hold_what_they_claim(cat: Catalog) -> None:
    def children(ed: int, branch: str) -> list[str]:
        return [e.code for e in cat.entries_in("economic_dept", ed) if e.parent == branch]

    assert len(children(2024, "301")) == 13 == len(children(2025, "301"))
    assert len(children(2024, "303")) == 12 == len(children(2025, "303"))
    assert len(children(2024, "310")) == 16
    assert "30306" in children(2024, "303")


def test_closest_suggestions(cat: Catalog) -> None:
    near = [e.code for e in cat.closest("2080102", "function", 2024)]
    assert near == ["2080101", "2080104", "2080105"]  # same parent, nearest first
    assert [e.code for e in cat.closest("30104", "economic_dept", 2024, n=2)] == ["30103", "30102"]
    # no sibling known: nearest codes of the same length
    assert [e.code for e in cat.closest("235", "function", 2024)] == ["234", "233", "232"]
    assert all(len(e.code) == 7 for e in cat.closest("2089901", "function", None, n=5))


# --- CLI text -------------------------------------------------------------------------------


def test_format_lookup_code(cat: Catalog) -> None:
    lines = format_lookup("2080101", catalog=cat)
    text = "\n".join(lines)
    assert lines[0] == "2080101 行政运行"
    assert "支出功能分类（function）· 项" in text
    assert "社会保障和就业支出（类）人力资源和社会保障管理事务（款）行政运行（项）" in text
    assert "版本：2024" in text
    assert "XJ-HRSS-2024" in text and "第 171、240、342 行" in text


def test_format_lookup_code_with_history(cat: Catalog) -> None:
    text = "\n".join(format_lookup("208 05", catalog=cat))
    assert "版本：2024、2025、2026" in text
    assert "更名：行政事业单位离退休 → 行政事业单位养老支出" in text
    assert "未采用的异名：行政事业单位离退休（SQ，2025 版）" in text
    assert "ZY-XFJ-2024JS" in text and "第 8、9、11 页" in text


def test_format_lookup_unknown_and_invalid(cat: Catalog) -> None:
    text = "\n".join(format_lookup("235", catalog=cat))
    assert "235：支出功能分类（function）未收录" in text
    assert "2024 版的 类一级 分支已完整收录" in text
    assert "相近编码：234 抗疫特别国债安排的支出" in text
    text = "\n".join(format_lookup("30219", catalog=cat))
    assert "economic_dept" in text and "未收录不等于编码无效" in text
    assert "不是 3、5 或 7 位" in format_lookup("养老", catalog=cat)[0]


def test_format_lookup_search(cat: Catalog) -> None:
    lines = format_lookup("养老", search=True, catalog=cat)
    assert lines[0].startswith("查找「养老」：")
    row = next(line for line in lines if line.startswith("2080505 "))
    assert "支出功能分类·项" in row
    assert "行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）" in row
    assert "版本 2024、2025、2026" in row and "来源 " in row
    assert len(format_lookup("支出", search=True, limit=3, catalog=cat)) == 4
    assert format_lookup("不存在的名称", search=True, catalog=cat)[0].startswith("没有")


# --- harvester --------------------------------------------------------------------------------


def test_pairs_in_row_layouts() -> None:
    assert pairs_in_row(["208", "05", "01", "行政单位离退休", "84.65"]) == [
        ("function", "2080501", "行政单位离退休")
    ]
    assert pairs_in_row(["<b>208</b>", "<b>05</b>", "", "<b>行政事业单位养老支出</b>"]) == [
        ("function", "20805", "行政事业单位养老支出")
    ]
    assert pairs_in_row(["301", "01 基本工资", "4,272.22"]) == [
        ("economic_dept", "30101", "基本工资")
    ]
    assert pairs_in_row(["301", "", "工资福利支出", "1", "302", "01", "办公费"]) == [
        ("economic_dept", "301", "工资福利支出"),
        ("economic_dept", "30201", "办公费"),
    ]
    assert pairs_in_row(["", "2010301-行政运行", "50101-工资奖金津补贴", "30101-基本工资"]) == [
        ("function", "2010301", "行政运行"),
        ("economic_gov", "50101", "工资奖金津补贴"),
        ("economic_dept", "30101", "基本工资"),
    ]
    assert pairs_in_row(["收入", "58,254.04", "201 一般公共服务支出", ""]) == [
        ("function", "201", "一般公共服务支出")
    ]
    # not codes: counts with units, procurement rows without a name, unit codes
    assert pairs_in_row(["230", "人"]) == []
    assert pairs_in_row(["221", "元/平方米"]) == []
    assert pairs_in_row(["201", "03", "06", "", "大宗印刷项目"]) == []
    assert pairs_in_row(["122", "西安市行政审批服务局"]) == []
