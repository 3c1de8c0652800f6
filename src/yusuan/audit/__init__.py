"""The audit: rules over the typed model, findings as data, a report with counts."""

from yusuan.audit.engine import audit, select_rules
from yusuan.audit.findings import Finding, Location, NotRun, Severity
from yusuan.audit.registry import Rule, all_rules, get_rule
from yusuan.audit.report import Report, Summary

__all__ = [
    "Finding",
    "Location",
    "NotRun",
    "Report",
    "Rule",
    "Severity",
    "Summary",
    "all_rules",
    "audit",
    "get_rule",
    "select_rules",
]
