"""Screenshots of the web application's main pages for docs/web.md (docs/web/*.png).

    .venv/bin/python scripts/web_screenshots.py

Builds a small corpus as the tests do (tests/web.py: the sample, two published PDFs, and the
sample altered to a next year so one department has two years), starts the application on a
loopback port, drives Debian's Chromium (scripts/ensure-chromium) through Playwright, uploads the
bundled sample, a published PDF and a 情况说明 + 报表 pair as one document, browses the corpus,
and saves each page.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from yusuan.batch import run_batch
from yusuan.store import open_store
from yusuan.web import Settings
from yusuan.web.server import BackgroundServer, launch_chromium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' corpus and document set

from tests.web import (  # noqa: E402
    CORPUS_FILES,
    PUBLISHED_PDF,
    SET_TABLES,
    next_year,
    set_narrative,
)

OUT = ROOT / "docs" / "web"
SAMPLE = ROOT / "examples" / "2024_xinjiang_hrss_budget.md"


def _upload(page: Page, url: str, path: Path) -> None:
    page.goto(url + "/")
    page.set_input_files("#files", str(path))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/reports/"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="yusuan-shots-"))
    db = str(data / "corpus.duckdb")
    with open_store(db) as store:
        run_batch(store, [*CORPUS_FILES, next_year(data)], jobs=1)
    settings = Settings(data_dir=data, db=db)
    with BackgroundServer(settings) as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="zh-CN")
        page.goto(server.url + "/")
        page.screenshot(path=OUT / "upload.png")
        _upload(page, server.url, SAMPLE)
        page.locator("details.finding.error summary").first.click()
        page.screenshot(path=OUT / "report.png", full_page=False)
        page.locator("details.finding.error p.tables a").first.click()
        page.wait_for_load_state()
        page.screenshot(path=OUT / "report-table.png")
        _upload(page, server.url, PUBLISHED_PDF)
        page.locator("details.finding.error summary").first.click()
        page.locator("details.finding.error img.region").first.scroll_into_view_if_needed()
        page.screenshot(path=OUT / "report-pdf.png")
        page.goto(server.url + "/")
        page.set_input_files(
            "#files",
            [
                {"name": "情况说明.md", "mimeType": "text/markdown", "buffer": set_narrative()},
                {
                    "name": "报表.pdf",
                    "mimeType": "application/pdf",
                    "buffer": SET_TABLES.read_bytes(),
                },
            ],
        )
        page.get_by_label("合为一份审核").check()
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/reports/"), timeout=120_000)
        page.locator("details.finding.error", has_text="N301").first.locator("summary").click()
        page.locator("details.finding.error", has_text="N301").first.scroll_into_view_if_needed()
        page.screenshot(path=OUT / "report-set.png")
        page.goto(server.url + "/corpus")
        page.screenshot(path=OUT / "corpus.png")
        page.get_by_role("link", name="未标明地区").click()
        page.get_by_role("link", name="自治区人力资源和社会保障厅").click()
        page.screenshot(path=OUT / "corpus-department.png", full_page=True)
        page.get_by_label("与另一部门逐年并排比较").fill("上海市普陀区司法局")
        page.get_by_role("button", name="比较").click()
        page.wait_for_url(re.compile(r"/compare/departments"))
        page.screenshot(path=OUT / "corpus-compare.png", full_page=True)
        page.goto(server.url + "/api")
        page.screenshot(path=OUT / "api.png")
        browser.close()
    for shot in sorted(OUT.glob("*.png")):
        print(shot.relative_to(ROOT), shot.stat().st_size)


if __name__ == "__main__":
    main()
