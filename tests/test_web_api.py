"""`yusuan serve` through its HTTP interface: upload → job → report, pages and JSON API, and the
defences (size limit, content sniffing, generated names, escaping, CSRF, busy refusal)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web import (
    HOSTILE_LINE,
    PAYLOAD,
    PUBLISHED_PDF,
    SAMPLE,
    SCANNED_PDF,
    TestClient,
    hostile_sample,
    wait_done,
)
from yusuan.audit.findings import Severity
from yusuan.audit.report import Report
from yusuan.reporters.common import verdict
from yusuan.web import Settings, create_app


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web") / "data"


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as c:
        yield c


def _upload(client: TestClient, name: str, data: bytes) -> dict[str, object]:
    r = client.post("/api/jobs", files=[("files", (name, data, "application/octet-stream"))])
    assert r.status_code == 202, r.text
    (job,) = r.json()["jobs"]
    assert isinstance(job, dict)
    return job


@pytest.fixture(scope="module")
def sample_job(client: TestClient) -> dict[str, object]:
    job = _upload(client, "2024_xinjiang_hrss_budget.md", SAMPLE.read_bytes())
    done = wait_done(client, str(job["id"]))
    assert done["status"] == "done", done
    return done


def test_api_upload_gives_the_same_report_as_the_library(
    client: TestClient, sample_job: dict[str, object], sample_report: Report
) -> None:
    assert sample_job["errors"] == sample_report.summary.errors
    assert sample_job["verdict"] == verdict(sample_report)
    r = client.get(str(sample_job["json_url"]))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    got = r.json()
    want = sample_report.to_dict()
    assert got["summary"] == want["summary"]
    assert [f["message"] for f in got["findings"]] == [f["message"] for f in want["findings"]]
    # The report names the upload as its user did, never the path it was stored under.
    assert got["document"]["path"] == "2024_xinjiang_hrss_budget.md"


def test_report_page_puts_the_conclusion_first_and_shows_every_error(
    client: TestClient, sample_job: dict[str, object], sample_report: Report
) -> None:
    page = client.get(str(sample_job["report_url"])).text
    conclusion = page.index(f"结论：{verdict(sample_report)}")
    errors = sample_report.by_severity(Severity.ERROR)
    assert len(errors) == 3
    for f in errors:
        assert page.index(f.rule) > conclusion
    assert page.count('class="finding error"') == 3
    assert page.count("<details") == len(sample_report.findings)


def test_a_finding_links_to_its_table_with_the_cited_rows_highlighted(
    client: TestClient, sample_job: dict[str, object], sample_report: Report
) -> None:
    page = client.get(str(sample_job["report_url"])).text
    n = next(i for i, f in enumerate(sample_report.findings) if f.rule == "N306")
    cited = set(sample_report.findings[n].location.lines)
    link = re.search(rf'href="(/reports/[^"]+/tables/T7\?f={n})#cited"', page)
    assert link, "N306 cites rows of 表7 and links to it"
    table = client.get(link.group(1)).text
    rows = re.findall(r"<tr( class=\"cited\")?( id=\"cited\")?><td[^>]*>(\d+)</td>", table)
    highlighted = {int(no) for mark, _, no in rows if mark}
    assert highlighted and highlighted <= cited
    assert {int(no) for _, _, no in rows} & cited == highlighted  # every cited row of 表7
    assert client.get(link.group(1).replace("T7", "T99")).status_code == 404


def test_downloads_are_attachments(client: TestClient, sample_job: dict[str, object]) -> None:
    html = client.get(str(sample_job["html_url"]))
    assert html.status_code == 200
    assert html.headers["content-disposition"].startswith("attachment")
    assert "审核报告" in html.text and "2024_xinjiang_hrss_budget.md" in html.text
    raw = client.get(f"/reports/{sample_job['id']}/report.json")
    assert raw.headers["content-disposition"].startswith("attachment")
    assert json.loads(raw.content)["summary"]["errors"] == 3


def test_checklist_download_names_the_upload(
    client: TestClient, sample_job: dict[str, object]
) -> None:
    from openpyxl import load_workbook

    r = client.get(str(sample_job["checklist_url"]))
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "检查文件：2024_xinjiang_hrss_budget.md" in texts
    page = client.get(str(sample_job["report_url"])).text
    assert f'href="/reports/{sample_job["id"]}/checklist.xlsx"' in page


def test_pdf_checklist_names_the_upload_not_the_stored_file(client: TestClient) -> None:
    from openpyxl import load_workbook

    job = _upload(client, "万里街道预算.pdf", PUBLISHED_PDF.read_bytes())
    done = wait_done(client, str(job["id"]))
    sheet = load_workbook(io.BytesIO(client.get(str(done["checklist_url"])).content)).worksheets[0]
    assert sheet["A4"].value == "检查文件：万里街道预算.pdf"


def test_the_form_needs_its_csrf_token(client: TestClient) -> None:
    files = [("files", ("a.md", SAMPLE.read_bytes(), "text/markdown"))]
    fresh = TestClient(client.app)
    assert fresh.post("/upload", files=files).status_code == 403  # no cookie, no token
    fresh.get("/")
    token = fresh.cookies["yusuan_csrf"]
    wrong = fresh.post("/upload", files=files, data={"csrf_token": token[::-1]})
    assert wrong.status_code == 403 and "表单已过期" in wrong.text
    ok = fresh.post("/upload", files=files, data={"csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"].startswith("/uploads/")


def test_requests_from_another_site_are_refused(client: TestClient) -> None:
    files = [("files", ("a.md", SAMPLE.read_bytes(), "text/markdown"))]
    for origin in ("https://evil.example", "null", "http://testserver.evil"):
        r = client.post("/api/jobs", files=files, headers={"origin": origin})
        assert r.status_code == 403 and r.json()["detail"] == "拒绝来自其他网站的请求"


def test_every_response_forbids_scripts_from_elsewhere(client: TestClient) -> None:
    for path in ("/", "/api", "/api/jobs/unknown", "/nowhere"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_hostile_cell_is_shown_as_text(client: TestClient) -> None:
    job = _upload(client, "hostile.md", hostile_sample())
    done = wait_done(client, str(job["id"]))
    assert done["status"] == "done"
    page = client.get(str(done["report_url"])).text
    assert f'<td class="no">{HOSTILE_LINE}</td>' in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert PAYLOAD not in page and "<img src=x" not in page
    # Only the application's own script tag is on the page.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/app.js">']


def test_file_name_with_dot_dot_is_only_a_label(client: TestClient, data_dir: Path) -> None:
    job = _upload(client, "../../../etc/evil<b>.md", SAMPLE.read_bytes())
    assert job["name"] == "evil<b>.md"
    done = wait_done(client, str(job["id"]))
    assert done["status"] == "done"
    assert not list(data_dir.parent.rglob("evil*")), "a name from the browser became a path"
    page = client.get(str(done["report_url"])).text
    assert "文件 evil&lt;b&gt;.md" in page
    for stored in (data_dir / "reports").iterdir():
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", stored.name)


def test_kind_comes_from_the_content_not_the_name(client: TestClient) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    r = client.post("/api/jobs", files=[("files", ("report.pdf", png, "application/pdf"))])
    assert r.status_code == 415 and "二进制文件" in r.json()["detail"]
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("photos/a.txt", "不是公开文件")
    r = client.post("/api/jobs", files=[("files", ("budget.xlsx", other.getvalue(), "x"))])
    assert r.status_code == 415 and "不是电子表格，也不是 Word 文档" in r.json()["detail"]
    job = _upload(client, "not-a-pdf.pdf", SAMPLE.read_bytes())
    assert job["kind"] == "text"


def test_a_word_disclosure_is_audited_like_its_markdown(
    client: TestClient, tmp_path: Path, sample_report: Report
) -> None:
    from yusuan import read
    from yusuan.render.docx import write

    path = tmp_path / "sample.docx"
    write(read(SAMPLE), path)
    job = _upload(client, "预算公开.docx", path.read_bytes())
    assert job["kind"] == "docx"
    done = wait_done(client, str(job["id"]))
    assert done["status"] == "done", done
    assert done["errors"] == sum(1 for f in sample_report.findings if f.severity is Severity.ERROR)


def test_a_damaged_word_file_fails_with_the_readers_reason(client: TestClient) -> None:
    cut = io.BytesIO()
    with zipfile.ZipFile(cut, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    job = _upload(client, "说明.docx", cut.getvalue())
    done = wait_done(client, str(job["id"]))
    assert done["status"] == "failed" and "Word" in str(done["error"]), done


def test_a_text_that_is_no_disclosure_fails_with_its_reason(client: TestClient) -> None:
    job = _upload(client, "notes.md", "会议纪要\n今天讨论了天气。\n".encode())
    done = wait_done(client, str(job["id"]))
    assert done["status"] == "failed" and done["error"]
    assert client.get(f"/api/reports/{job['id']}").status_code == 409
    page = client.get(f"/reports/{job['id']}")
    assert page.status_code == 422 and str(done["error"]) in page.text


def test_oversized_upload_is_refused_with_the_limit(tmp_path: Path) -> None:
    size = SAMPLE.stat().st_size
    settings = Settings(data_dir=tmp_path, max_upload_bytes=size // 2)
    with TestClient(create_app(settings)) as small:
        r = small.post("/api/jobs", files=[("files", ("a.md", SAMPLE.read_bytes(), "text/md"))])
        assert r.status_code == 413
        assert "上传的文件太大" in r.json()["detail"]
        small.get("/")
        page = small.post(
            "/upload",
            files=[("files", ("a.md", SAMPLE.read_bytes(), "text/md"))],
            data={"csrf_token": small.cookies["yusuan_csrf"]},
        )
        assert page.status_code == 413 and "上传的文件太大" in page.text
    assert not list((tmp_path / "uploads").iterdir())


def test_too_many_waiting_jobs_are_refused(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path, max_pending=1))) as busy:
        files = [("files", (f"{i}.md", SAMPLE.read_bytes(), "text/md")) for i in range(2)]
        r = busy.post("/api/jobs", files=files)
        assert r.status_code == 503 and "服务器正忙" in r.json()["detail"]
    assert not list((tmp_path / "uploads").iterdir())


@pytest.mark.parametrize("bad", ["unknown", "A" * 22, "..%2F..%2Fetc%2Fpasswd", "%2e%2e"])
def test_unknown_ids_are_404(client: TestClient, bad: str) -> None:
    assert client.get(f"/api/jobs/{bad}").status_code == 404
    assert client.get(f"/api/reports/{bad}").status_code == 404
    assert client.get(f"/reports/{bad}/report.json").status_code == 404


def test_several_files_in_one_upload(client: TestClient) -> None:
    files = [("files", (f"{n}.md", SAMPLE.read_bytes(), "text/markdown")) for n in ("甲", "乙")]
    jobs = client.post("/api/jobs", files=files).json()["jobs"]
    assert [j["name"] for j in jobs] == ["甲.md", "乙.md"]
    assert len({j["id"] for j in jobs}) == 2
    assert all(wait_done(client, j["id"])["errors"] == 3 for j in jobs)


def test_openapi_schema_and_its_page(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/jobs", "/api/jobs/{job_id}", "/api/reports/{job_id}"} <= set(schema["paths"])
    page = client.get("/api").text
    assert "/api/jobs/{job_id}" in page and "/openapi.json" in page


def test_pdf_findings_show_their_page_region(client: TestClient) -> None:
    job = _upload(client, "万里街道.pdf", PUBLISHED_PDF.read_bytes())
    done = wait_done(client, str(job["id"]))
    assert done["status"] == "done" and job["kind"] == "pdf"
    page = client.get(str(done["report_url"])).text
    images = re.findall(rf'src="(/reports/{job["id"]}/regions/\d+\.png)"', page)
    report = client.get(str(done["json_url"])).json()
    located = [f for f in report["findings"] if f["location"]["bbox"]]
    assert located and len(images) == len(located)
    png = client.get(images[0])
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    # The upload itself is not kept once its report is made.
    assert not list(Path(client.app.state.manager.uploads).iterdir())  # type: ignore[attr-defined]


def test_a_scanned_pdf_fails_with_the_readers_reason(client: TestClient) -> None:
    job = _upload(client, "scanned.pdf", SCANNED_PDF.read_bytes())
    done = wait_done(client, str(job["id"]))
    assert done["status"] == "failed" and "扫描件" in str(done["error"])
    # The reader's message names the file as the user did, not where it was stored.
    assert str(done["error"]).endswith("：scanned.pdf"), done["error"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--port", "0"], "--port 应在 1–65535 之间"),
        (["--max-upload-mb", "0"], "--max-upload-mb 应大于 0"),
        (["--jobs", "0"], "--jobs 应至少为 1"),
        (["--db", "missing.duckdb"], "语料库文件不存在：missing.duckdb"),
    ],
)
def test_serve_refuses_bad_options_in_one_line(option: list[str], message: str) -> None:
    from typer.testing import CliRunner

    from yusuan.cli import app

    result = CliRunner().invoke(app, ["serve", *option])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{message}") and "Traceback" not in result.output
