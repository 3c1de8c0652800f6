"""Reporters print a Report; they never compute. One module per format."""

from __future__ import annotations

from yusuan.audit.report import Report

FORMATS = ("text", "json", "markdown", "html")


def render(report: Report, fmt: str, *, evidence: bool = True, color: bool = False) -> str:
    """The report in one of `FORMATS`; each reporter is imported on use."""
    match fmt:
        case "json":
            return report.to_json(evidence=evidence)
        case "markdown":
            return _markdown(report)
        case "html":
            return _html(report, evidence)
        case "text":
            return _text(report, evidence, color)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _markdown(report: Report) -> str:
    from yusuan.reporters.markdown import render_markdown

    return render_markdown(report)


def _html(report: Report, evidence: bool = True) -> str:
    from yusuan.reporters.html import render_html
    from yusuan.reporters.regions import DEFAULT_LIMIT

    # --no-evidence also leaves out the page images of PDF input.
    return render_html(report, regions=DEFAULT_LIMIT if evidence else 0)


def _text(report: Report, evidence: bool, color: bool) -> str:
    from yusuan.reporters.text import render_text

    return render_text(report, evidence=evidence, color=color)
