"""`yusuan serve` in a real browser: Debian's Chromium, headless, driven by Playwright.

Chromium comes from Debian (scripts/ensure-chromium, run by `make test`); Playwright's own
browser download is never used. Without /usr/bin/chromium these tests skip with that reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web import (  # noqa: F401  (corpus_db: a fixture)
    PAYLOAD,
    SAMPLE,
    SET_TABLES,
    SET_WRONG,
    corpus_db,
    hostile_sample,
    set_narrative,
)
from yusuan.web import Settings
from yusuan.web.server import CHROMIUM, launch_chromium
from yusuan.web.server import BackgroundServer as LiveServer

if not CHROMIUM.exists():
    pytest.skip(
        "没有 /usr/bin/chromium（由 scripts/ensure-chromium 安装）", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="需要 playwright（yusuan[dev]）")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
    corpus_db: str,  # noqa: F811
) -> Iterator[LiveServer]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("live"), db=corpus_db)
    with LiveServer(settings) as live:
        yield live


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    p = context.new_page()
    p.set_default_timeout(30_000)
    yield p
    context.close()


def _upload(page: Any, url: str, files: list[dict[str, Any]]) -> None:
    page.goto(url + "/")
    page.set_input_files("#files", files)
    page.click("button[type=submit]")


def test_upload_the_sample_and_read_its_report(page: Any, server: LiveServer) -> None:
    _upload(page, server.url, [str(SAMPLE)])
    page.wait_for_url(re.compile(r"/reports/[A-Za-z0-9_-]{22}$"))
    verdict = page.locator("#verdict")
    assert verdict.inner_text() == "结论：发现 3 处错误"
    errors = page.locator("details.finding.error")
    assert errors.count() == 3
    # Evidence is folded away until a finding is opened.
    first = errors.first
    quote = first.locator("table.quote")
    assert not quote.is_visible()
    first.locator("summary").click()
    assert quote.is_visible()
    lines = quote.locator("td.no").all_inner_texts()
    assert lines and all(n.isdigit() for n in lines)
    # Its table, with the cited cells highlighted.
    first.locator("p.tables a").first.click()
    page.wait_for_url(re.compile(r"/tables/T\d+\?f=\d+"))
    cited = page.locator("table.grid tr.cited td, table.grid td.cited")
    assert cited.count() > 0 and cited.first.is_visible()
    page.go_back()
    # Filtering by severity hides the errors, and by family hides the rest of that family.
    page.get_by_label("错误", exact=True).uncheck()
    assert page.locator("details.finding.error:visible").count() == 0
    assert page.locator("details.finding.warning:visible").count() > 0
    page.get_by_label("错误", exact=True).check()
    assert page.locator("details.finding.error:visible").count() == 3


def test_hostile_upload_is_inert(page: Any, server: LiveServer) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    payload = {"name": "../../etc/evil.md", "mimeType": "text/markdown", "buffer": hostile_sample()}
    _upload(page, server.url, [payload])
    page.wait_for_url(re.compile(r"/reports/"))
    assert "文件 evil.md" in page.locator("p.meta").inner_text()
    cited = page.locator("details.finding", has_text="中等职业教育").first
    cited.locator("summary").click()
    assert PAYLOAD in cited.locator("table.quote").inner_text()  # shown as text
    assert page.evaluate("window.__pwned") is None and not dialogs
    assert page.locator("table.quote img").count() == 0


def test_oversized_upload_is_refused_with_a_clear_message(browser: Any, tmp_path: Path) -> None:
    limit = 64 * 1024
    with LiveServer(Settings(data_dir=tmp_path, max_upload_bytes=limit)) as small:
        p = browser.new_page()
        try:
            _upload(p, small.url, [str(SAMPLE)])  # 120 KB
            alert = p.locator("[role=alert]")
            alert.wait_for()
            assert "上传的文件太大" in alert.inner_text() and "65536 字节" in alert.inner_text()
        finally:
            p.close()


def test_several_files_show_progress_then_links(page: Any, server: LiveServer) -> None:
    files = [
        {"name": n, "mimeType": "text/markdown", "buffer": SAMPLE.read_bytes()}
        for n in ("甲.md", "乙.md")
    ]
    _upload(page, server.url, files)
    page.wait_for_url(re.compile(r"/uploads/"))
    links = page.locator("li.job a.open")
    links.nth(1).wait_for()
    assert links.count() == 2
    assert page.locator("li.job .name").all_inner_texts()[0].startswith("甲.md")
    links.first.click()
    page.wait_for_url(re.compile(r"/reports/"))
    assert page.locator("#verdict").inner_text() == "结论：发现 3 处错误"


def test_a_narrative_and_its_tables_uploaded_as_one_document(page: Any, server: LiveServer) -> None:
    files = [
        {"name": "情况说明.md", "mimeType": "text/markdown", "buffer": set_narrative()},
        {"name": "报表.pdf", "mimeType": "application/pdf", "buffer": SET_TABLES.read_bytes()},
    ]
    page.goto(server.url + "/")
    page.set_input_files("#files", files)
    page.get_by_label("合为一份审核").check()
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/reports/[A-Za-z0-9_-]{22}$"), timeout=120_000)
    assert "《情况说明.md》、《报表.pdf》" in page.locator("p.meta").inner_text()
    # The narrative's wrong figure, found against the 报表, quoted from the narrative's file.
    n301 = page.locator("details.finding.error", has_text="N301").first
    assert "《情况说明.md》" in n301.locator("summary").inner_text()
    n301.locator("summary").click()
    assert n301.locator("p.source").inner_text() == "原文出自《情况说明.md》"
    assert SET_WRONG in n301.locator("table.quote").inner_text()
    # A finding on a page of the 报表 shows that page's region, named by its file.
    pictured = page.locator("details.finding", has=page.locator("img.region")).first
    pictured.locator("summary").click()
    assert pictured.locator("p.source").inner_text() == "原文出自《报表.pdf》"
    image = pictured.locator("img.region")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def test_corpus_page_draws_a_chart(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/corpus")
    page.get_by_role("link", name="未标明地区").click()
    page.get_by_role("link", name="自治区人力资源和社会保障厅").click()
    chart = page.locator("figure.chart").first
    assert "按功能分类" in chart.locator("figcaption").inner_text()
    bars = chart.locator("rect.bar")
    assert bars.count() >= 3
    box = bars.first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 5  # drawn, not empty
    # The function classes year by year: one bar per class and year, two colours.
    yearly = page.locator("figure.chart", has_text="逐年比较")
    years = yearly.locator(".legend").inner_text()
    assert "2024 预算" in years and "2025 预算" in years
    for series in ("s0", "s1"):
        bar = yearly.locator(f"rect.bar.{series}").first
        box = bar.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 5
    # Side by side with another department, chosen on the page.
    page.get_by_label("与另一部门逐年并排比较").fill("上海市普陀区司法局")
    page.get_by_role("button", name="比较").click()
    page.wait_for_url(re.compile(r"/corpus/compare/departments\?"))
    both = page.locator("figure.chart", has_text="支出合计（按年度）")
    for series in ("s0", "s1"):
        box = both.locator(f"rect.bar.{series}").first.bounding_box()
        assert box is not None and box["height"] > 5 and box["width"] > 5
    assert page.locator(".side-by-side section").count() == 2
    page.goto(server.url + "/corpus")
    page.get_by_role("searchbox").fill("208")
    page.get_by_role("button", name="查找").click()
    assert "社会保障和就业支出" in page.locator("main").inner_text()
