"""Messages are templates with named parameters: each finding carries both, the sentence is the
template filled in, and tests (and programs) read the figures from `params`, not the prose."""

from __future__ import annotations

import json

import pytest

import yusuan
from yusuan.audit.examples import Which, example_ids, load_example
from yusuan.audit.findings import Finding, render_message
from yusuan.audit.report import Report


def _example_findings(rule: str, which: Which = "bad") -> list[Finding]:
    example = load_example(rule)
    assert example is not None
    report = yusuan.audit(yusuan.read_text(example.text(which), path=f"{rule}.md"))
    return [f for f in report.findings if f.rule == rule]


def _check(f: Finding) -> None:
    assert f.template, f.message
    assert render_message(f.template, f.params) == f.message
    for name, value in f.params.items():
        assert isinstance(value, str | int) and not isinstance(value, bool), (name, value)
        assert "{" + name + "}" in f.template, (name, f.template)
    data = f.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False))["params"] == dict(f.params)
    assert data["template"] == f.template


def test_every_finding_of_the_sample_is_its_template_filled_in(sample_report: Report) -> None:
    assert sample_report.findings
    for f in sample_report.findings:
        _check(f)
    # The figures are in the parameters, formatted as printed: 表6 301 is a rounding notice.
    a102 = next(f for f in sample_report.findings if f.rule == "A102")
    assert dict(a102.params) == {
        "subject": "表6 301 工资福利支出",
        "actual_label": "合计、人员经费",
        "actual": "14,983.05",
        "expected_label": "明细之和",
        "expected": "14,983.04",
        "difference": "0.01",
    }
    n306 = next(f for f in sample_report.findings if f.rule == "N306")
    assert n306.params["count"] == 18 and n306.params["stated_count"] == "18"
    assert (n306.params["stated_amount"], n306.params["amount"]) == ("3,480.67", "3,080.67")
    assert n306.params["carryover_amount"] == "400.00"


@pytest.mark.parametrize("rule", example_ids())
def test_every_example_finding_names_its_parts(rule: str) -> None:
    findings = _example_findings(rule)
    assert findings
    for f in findings:
        _check(f)
        # Every rule shown firing says what varies: a sentence with no parameter would be
        # prose a program must parse.
        assert f.params, f.template


def test_params_pin_what_the_bad_examples_found() -> None:
    (a101, a101b) = _example_findings("A101")
    assert a101.params["subject"] == "表3 2080101 行政运行"
    assert (a101.params["actual"], a101.params["expected"], a101.params["difference"]) == (
        "121.00",
        "120.50",
        "0.50",
    )
    assert a101b.params["expected"] == "60.50"
    (y401,) = _example_findings("Y401")
    assert y401.template == "{subject}：说明 {stated}，按 {formula} 计算应为 {computed}%"
    assert (y401.params["stated"], y401.params["computed"]) == ("20.00%", "16.67")
    (n308,) = _example_findings("N308")
    assert (n308.params["what"], n308.params["stated"], n308.params["listed"]) == (
        "内设处室",
        "3",
        2,
    )
    (s502,) = _example_findings("S502")
    assert "超出" in s502.template and s502.params["expected"] == "50.00"
    (c710,) = _example_findings("C710")
    # All 11 tables read: the sample's empty 政府性基金/国有资本经营/结转 tables by their kinds.
    assert c710.params["tables"] == 11 and "unread" not in c710.params


def test_a_template_without_params_is_its_own_message() -> None:
    # Braces in a fixed sentence (quoted from a document) are text, not placeholders.
    assert render_message("说明中写有“{规模}”", {}) == "说明中写有“{规模}”"
    assert render_message("{a}，{b}", {"a": "1", "b": 2}) == "1，2"
