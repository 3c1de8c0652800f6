"""Compliance items of a disclosure and its score; the items and weights are `compliance.toml`.

An item is met when the narrative covers it (its words appear in the 情况说明, headings
included), and for the tables when every table the template requires is there (C701) and an
empty one says why (C702). The score adds the weights of the items met to an accuracy part
that is the share of the checklist rows judged in order (是).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from typing import Any

from yusuan.audit.findings import Severity
from yusuan.audit.report import Report
from yusuan.checklist.build import CONFIRM, MANUAL, PASS, Checklist
from yusuan.model.document import Document
from yusuan.profiles import load_profile
from yusuan.profiles.schema import Profile


@dataclass(frozen=True, slots=True)
class ComplianceItem:
    name: str
    weight: int
    met: bool
    points: Decimal
    evidence: str


@dataclass(frozen=True, slots=True)
class Score:
    items: tuple[ComplianceItem, ...]
    completeness: Decimal
    completeness_max: int
    accuracy: Decimal
    accuracy_max: int
    errors: int
    warnings: int
    rows_judged: int
    rows_passed: int

    @property
    def total(self) -> Decimal:
        return self.completeness + self.accuracy


def load_compliance() -> dict[str, Any]:
    data = resources.files("yusuan.checklist").joinpath("compliance.toml")
    return tomllib.loads(data.read_text(encoding="utf-8"))


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score_document(
    doc: Document, report: Report, checklist: Checklist, profile: Profile | None = None
) -> Score:
    prof = profile or doc.inferred_profile or load_profile(doc.profile)
    data = load_compliance()
    text = "\n".join(p.text for p in doc.paragraphs)
    items: list[ComplianceItem] = []
    for raw in data["items"]:
        weight = int(raw["weight"])
        if raw["kind"] == "tables":
            required = [s for s in prof.tables if s.required]
            bad = [f for f in report.findings if f.rule in ("C701", "C702")]
            met_count = max(0, len(required) - len(bad))
            share = Decimal(met_count) / Decimal(len(required)) if required else Decimal(1)
            evidence = f"模板要求 {len(required)} 张表，齐全且空表有说明的 {met_count} 张"
            if bad:
                evidence += "；" + "；".join(f.message for f in bad)
            items.append(ComplianceItem(raw["name"], weight, not bad, _q(weight * share), evidence))
            continue
        words = [w for w in raw.get("any", []) if w in text]
        met = bool(words)
        evidence = f"说明中有“{words[0]}”" if words else "说明中未见：" + "、".join(raw["any"][:3])
        fail_rules = tuple(raw.get("fail_rules", ()))
        if met and fail_rules:
            where = raw.get("fail_section", "")
            against = [
                f
                for f in report.findings
                if f.rule in fail_rules and where in (f.location.section or "")
            ]
            if against:
                met = False
                evidence += "；但" + against[0].message
        items.append(
            ComplianceItem(
                raw["name"], weight, met, Decimal(weight) if met else Decimal(0), evidence
            )
        )
    score = data["score"]
    errors = sum(1 for f in report.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in report.findings if f.severity is Severity.WARNING)
    # Rows rules judge, and the rows of tables yusuan could not read: those earn nothing, as
    # nothing in them was verified (a document read by the generic fallback scores low).
    statuses = [i.status for i in checklist.items if i.status != MANUAL or i.spec.table is not None]
    credit = Decimal(str(score["confirm_credit"]))
    earned = sum(
        (Decimal(1) if s == PASS else credit if s == CONFIRM else Decimal(0) for s in statuses),
        Decimal(0),
    )
    share = earned / len(statuses) if statuses else Decimal(1)
    accuracy = int(score["accuracy"]) * share
    return Score(
        items=tuple(items),
        completeness=_q(sum((i.points for i in items), Decimal(0))),
        completeness_max=sum(i.weight for i in items),
        accuracy=_q(accuracy),
        accuracy_max=int(score["accuracy"]),
        errors=errors,
        warnings=warnings,
        rows_judged=len(statuses),
        rows_passed=sum(1 for s in statuses if s == PASS),
    )
