"""Reporters print a Report; they never compute. One module per format."""

from __future__ import annotations

from collections.abc import Callable

from yusuan.audit.report import Report

FORMATS = ("text", "json", "markdown", "html")


def render(report: Report, fmt: str, *, evidence: bool = True, color: bool = False) -> str:
    renderers: dict[str, Callable[[Report], str]] = {
        "json": lambda r: r.to_json(evidence=evidence),
        "markdown": _markdown,
        "html": lambda r: _html(r, evidence),
        "text": lambda r: _text(r, evidence, color),
    }
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](report)


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
