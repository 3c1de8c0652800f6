"""Self-contained HTML report: one file, no external assets, findings with quoted evidence
(text input) or the page region they rest on (PDF input, images inlined as data URIs)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from yusuan.audit.report import Report
from yusuan.reporters.common import grouped, summary_line, title, verdict, where
from yusuan.reporters.regions import DEFAULT_LIMIT, Regions, page_regions


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("yusuan.reporters", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["where"] = where
    return env


def _cells(text: str) -> list[str]:
    return [
        c.replace("<b>", "").replace("</b>", "").replace("<p>", "").replace("</p>", "")
        for c in text.split("\t")
    ]


def render_html(
    report: Report, *, regions: int = DEFAULT_LIMIT, crops: Regions | None = None
) -> str:
    """The report as one page. For PDF input each finding shows the page region it rests on
    (at most `regions` images, errors first; 0 for none); text input quotes its lines.
    `crops` passes regions already made (the web app makes them once for page and download)."""
    template = _env().get_template("report.html.j2")
    if crops is None:
        crops = page_regions(report, limit=regions)
    return template.render(
        report=report,
        doc=report.document,
        title=title(report),
        verdict=verdict(report),
        summary_line=summary_line(report),
        groups=grouped(report),
        evidence=lambda f: [(n, _cells(t)) for n, t in report.evidence(f, limit=8)],
        region=crops.of,
        regions_note=crops.note,
    )
