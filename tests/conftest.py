"""Shared fixtures: the bundled sample, read and audited once, and altered copies of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import yusuan
from yusuan.audit.report import Report
from yusuan.model.document import Document

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "2024_xinjiang_hrss_budget.md"


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_doc() -> Document:
    return yusuan.read(SAMPLE)


@pytest.fixture(scope="session")
def sample_report(sample_doc: Document) -> Report:
    return yusuan.audit(sample_doc)


Edit = tuple[int, str, str]


def altered(text: str, edits: list[Edit]) -> str:
    """The sample with `old` replaced by `new` on the given 1-based lines (exactly once each)."""
    lines = text.split("\n")
    for no, old, new in edits:
        line = lines[no - 1]
        assert line.count(old) == 1, (
            f"line {no}: {old!r} occurs {line.count(old)} times in {line!r}"
        )
        lines[no - 1] = line.replace(old, new)
    return "\n".join(lines)


@pytest.fixture(scope="session")
def audit_variant(sample_text: str) -> Callable[[list[Edit]], Report]:
    def run(edits: list[Edit]) -> Report:
        return yusuan.audit(yusuan.read_text(altered(sample_text, edits), path="variant.md"))

    return run


def keyed(report: Report) -> set[tuple[str, str, int]]:
    """(rule, severity, first line) of every finding — how tests pin findings."""
    return {
        (f.rule, f.severity.value, f.location.lines[0] if f.location.lines else 0)
        for f in report.findings
    }
