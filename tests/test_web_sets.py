"""A 情况说明 and its 报表 uploaded as two files and audited as ONE document (`together`): the
narrative is checked against the tables, and every finding says which file it rests on, by the
name the user gave it — never by the name it was stored under."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web import SET_TABLES, SET_WRONG, TestClient, set_narrative, wait_done
from yusuan.web import Settings, create_app

NARRATIVE_NAME = "情况说明.md"
TABLES_NAME = "部门预算报表.pdf"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-sets") / "data"


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as c:
        yield c


def _post(client: TestClient, files: list[tuple[str, bytes]], together: bool) -> Any:
    return client.post(
        "/api/jobs",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        data={"together": "true"} if together else {},
    )


@pytest.fixture(scope="module")
def set_job(client: TestClient) -> dict[str, Any]:
    # The 报表 first: the narrative is read first whatever the order of the upload.
    r = _post(
        client, [(TABLES_NAME, SET_TABLES.read_bytes()), (NARRATIVE_NAME, set_narrative())], True
    )
    assert r.status_code == 202, r.text
    (job,) = r.json()["jobs"]
    assert job["name"] == f"{TABLES_NAME} + {NARRATIVE_NAME}"
    assert [(f["name"], f["kind"]) for f in job["files"]] == [
        (TABLES_NAME, "pdf"),
        (NARRATIVE_NAME, "text"),
    ]
    assert job["kind"] == "pdf+text"
    done = wait_done(client, job["id"], timeout=120)
    assert done["status"] == "done", done
    return done


def test_two_files_together_are_one_report_naming_each_file(
    client: TestClient, set_job: dict[str, Any], data_dir: Path
) -> None:
    r = client.get(set_job["json_url"])
    text = r.text
    report = r.json()
    assert [f["path"] for f in report["document"]["files"]] == [NARRATIVE_NAME, TABLES_NAME]
    assert report["document"]["path"] == f"{NARRATIVE_NAME} + {TABLES_NAME}"
    assert report["document"]["department"] == "北京市政务服务和数据管理局"
    # The narrative's changed figure is found against the 报表: an error only a set can show.
    n301 = [f for f in report["findings"] if f["rule"] == "N301" and f["severity"] == "error"]
    assert len(n301) == 1 and "39,197.010000" in n301[0]["message"]
    assert n301[0]["location"]["file"] == NARRATIVE_NAME
    assert n301[0]["evidence"][0]["text"].endswith(SET_WRONG + "，占本年支出预算37.59%。")
    on_pages = [f for f in report["findings"] if f["location"]["page"]]
    assert on_pages and {f["location"]["file"] for f in on_pages} == {TABLES_NAME}
    # Nothing of where the files were stored reaches the report.
    assert str(data_dir) not in text and "uploads" not in text
    assert not list((data_dir / "uploads").iterdir())


def test_report_page_cites_the_file_of_each_findings_evidence(
    client: TestClient, set_job: dict[str, Any]
) -> None:
    page = client.get(set_job["report_url"]).text
    assert f"文件（合为一份审核）《{NARRATIVE_NAME}》、《{TABLES_NAME}》" in page
    report = client.get(set_job["json_url"]).json()
    n = next(
        i
        for i, f in enumerate(report["findings"])
        if f["rule"] == "N301" and f["severity"] == "error"
    )
    block = re.search(rf'<details[^>]* id="f{n}">(.*?)</details>', page, re.S)
    assert block, "the N301 finding is on the page"
    assert f"《{NARRATIVE_NAME}》" in block.group(1)
    assert f"原文出自《{NARRATIVE_NAME}》" in block.group(1)
    assert SET_WRONG in block.group(1)  # its quoted line
    # A finding on a page of the 报表: its picture, and the file it is from.
    pictured = re.findall(
        rf'原文出自《{re.escape(TABLES_NAME)}》</p>\s*(?:<p class="figures">.*?</p>\s*)?'
        rf'<img class="region" src="(/reports/{set_job["id"]}/regions/\d+\.png)"',
        page,
        re.S,
    )
    assert pictured
    png = client.get(pictured[0])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_html_download_names_the_files(client: TestClient, set_job: dict[str, Any]) -> None:
    html = client.get(set_job["html_url"]).text
    assert f"《{NARRATIVE_NAME}》" in html and f"《{TABLES_NAME}》" in html


def test_without_together_each_file_is_its_own_job(client: TestClient) -> None:
    r = _post(client, [(NARRATIVE_NAME, set_narrative()), ("b.md", set_narrative())], False)
    jobs = r.json()["jobs"]
    assert r.status_code == 202 and len(jobs) == 2
    # The narrative alone has no table to be checked against.
    done = wait_done(client, jobs[0]["id"])
    assert done["status"] == "done", done
    report = client.get(done["json_url"]).json()
    assert report["document"]["files"] is None
    assert not [f for f in report["findings"] if f["rule"] == "N301"]


def test_files_of_different_years_fail_naming_them_as_uploaded(client: TestClient) -> None:
    other = set_narrative().decode("utf-8").replace("2026", "2025").encode("utf-8")
    r = _post(client, [("甲.md", set_narrative()), ("乙.md", other)], True)
    (job,) = r.json()["jobs"]
    done = wait_done(client, job["id"])
    assert done["status"] == "failed"
    assert "不是同一份公开文件：甲.md 是 2026 年，乙.md 是 2025 年" in done["error"]


def test_files_of_one_name_are_told_apart(client: TestClient) -> None:
    r = _post(client, [("预算.pdf", set_narrative()), ("预算.pdf", SET_TABLES.read_bytes())], True)
    (job,) = r.json()["jobs"]
    assert [f["name"] for f in job["files"]] == ["预算.pdf", "预算 (2).pdf"]
    done = wait_done(client, job["id"], timeout=120)
    assert done["status"] == "done", done
    files = client.get(done["json_url"]).json()["document"]["files"]
    assert [f["path"] for f in files] == ["预算.pdf", "预算 (2).pdf"]  # the narrative first


def test_the_form_takes_the_together_box(client: TestClient) -> None:
    client.get("/")
    r = client.post(
        "/upload",
        files=[
            ("files", (NARRATIVE_NAME, set_narrative(), "text/markdown")),
            ("files", ("b.md", set_narrative(), "text/markdown")),
        ],
        data={"csrf_token": client.cookies["yusuan_csrf"], "together": "true"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert page.count('class="job ') == 1 and f"{NARRATIVE_NAME} + b.md" in page
