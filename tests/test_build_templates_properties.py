"""Property tests for every buildable template but 新疆 (tests/test_build_properties.py):
random valid ledgers over the template's own fund sources build documents that audit with no
error and read back figure for figure."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yusuan
from yusuan.compose import build_document, prepare
from yusuan.compose.compare import document_differences
from yusuan.compose.department import (
    Department,
    Performance,
    ProjectPerformance,
    load_department,
)
from yusuan.compose.ledger import fen_text, ledger_from_rows
from yusuan.render.markdown import to_markdown

from .test_build_errors import HEADER
from .test_build_templates import EXAMPLES

PROFILES = sorted(p for p in EXAMPLES if p != "xinjiang-2024")
FUNCS = ["2040601", "2040607", "2080505", "2101101", "2120101", "2120102", "2210201"]
ECONS = ["30101", "30108", "30201", "30217", "30231", "30299", "30302", "31002", "31013"]
# 分: 0, or at least 100 元 (a 万元 table cannot print less); 元 tables print whole 元.
AMOUNTS = st.one_of(
    st.just(0),
    st.integers(1, 5_000).map(lambda n: n * 10_000),
    st.integers(10_000, 3_000_000_000),
)


def _line(sources: list[str], units: list[str]) -> st.SearchStrategy[tuple[object, ...]]:
    return st.tuples(
        st.sampled_from(units),
        st.sampled_from(FUNCS),
        st.sampled_from(ECONS),
        st.sampled_from(sources),
        st.booleans(),
        st.sampled_from(["专项甲", "专项乙"]),
        AMOUNTS,
        AMOUNTS,
    )


def _for_ledger(dept: Department, rows: list[list[str]]) -> Department:
    """The example department file as it would be written for this ledger: what it lists
    that the ledger must match (会议费/培训费明细, one 绩效目标表 per project, funds from the
    ledger) describes these lines, not the example's."""
    if not (dept.meetings or dept.trainings or dept.performance.projects):
        return dept
    model = dept.performance.projects[0] if dept.performance.projects else None
    projects = list(dict.fromkeys((r[0], r[5]) for r in rows if r[4] == "项目支出"))
    forms = [
        ProjectPerformance(
            unit=unit, project=name, indicators=model.indicators if model is not None else []
        )
        for unit, name in projects
    ]
    performance = Performance(overall=dept.performance.overall, projects=forms)
    return dept.model_copy(update={"meetings": [], "trainings": [], "performance": performance})


@pytest.mark.parametrize("profile", PROFILES)
def test_random_ledgers_audit_clean_and_round_trip(profile: str) -> None:
    dept = load_department(EXAMPLES[profile][1])
    template, names = prepare(dept)
    sources = [s.label for s in template.sources]
    units = [u.name for u in dept.units]
    general = next(s.label for s in template.sources if s.budget == "general" and not s.carry)

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(_line(sources, units), max_size=25))
    def check(lines: list[tuple[object, ...]]) -> None:
        essential = [
            (units[0], "2120101", "30101", general, True, "", 1_000_000, 900_000),
            (units[0], "2120101", "30217", general, True, "", 100_000, 100_000),
            (units[0], "2120102", "30299", general, False, "专项甲", 3_000_000, 0),
        ]
        rows = [HEADER]
        seen = set()
        for unit, func, econ, source, basic, project, cur, last in [*essential, *lines]:
            key = (unit, func, econ, source, basic, "" if basic else project)
            if key in seen:
                continue
            seen.add(key)
            kind = "基本支出" if basic else "项目支出"
            rows.append(
                [
                    str(unit),
                    str(func),
                    str(econ),
                    str(source),
                    kind,
                    str(key[5]),
                    fen_text(int(cur)),
                    fen_text(int(last)),
                ]  # type: ignore[call-overload]
            )
        own = _for_ledger(dept, rows[1:])
        ledger = ledger_from_rows(rows, template, own, names)
        doc = build_document(ledger, own, template, names).document
        errors = [f.message for f in yusuan.audit(doc).findings if f.severity.value == "error"]
        assert errors == [], errors
        again = yusuan.read_text(to_markdown(doc))
        assert document_differences(doc, again) == []

    check()
