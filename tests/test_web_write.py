"""Writing to the shared corpus needs a token; browsing does not. A writer's upload (`corpus`
with `Authorization: Bearer <token>`) is audited as any upload, then stored in the corpus as
`yusuan batch` stores it, under the name it was uploaded with."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web import (  # noqa: F401  (corpus_db: the fixture)
    PUBLISHED_PDF,
    SAMPLE,
    SET_TABLES,
    TestClient,
    corpus_db,
    wait_done,
)
from yusuan.web import Settings, create_app

TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def db(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:  # noqa: F811
    """A copy of the shared corpus: this module writes to it."""
    target = tmp_path_factory.mktemp("writable") / "corpus.duckdb"
    shutil.copyfile(corpus_db, target)
    return str(target)


@pytest.fixture(scope="module")
def client(db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("web"), db=db, write_token=TOKEN)
    with TestClient(create_app(settings)) as c:
        yield c


def _post(client: TestClient, name: str, data: bytes, token: str | None, **form: str) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(
        "/api/jobs",
        files=[("files", (name, data, "application/octet-stream"))],
        data={"corpus": "true", **form},
        headers=headers,
    )


def test_without_a_valid_token_nothing_is_written(client: TestClient, db: str) -> None:
    before = client.get("/api/corpus/regions").json()
    for token in (None, "", "wrong", TOKEN + "x"):
        r = _post(client, "a.md", SAMPLE.read_bytes(), token)
        assert r.status_code == 401, (token, r.text)
        assert "令牌" in r.json()["detail"] and r.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/corpus/regions").json() == before
    # A token alone asks for nothing: an upload without `corpus` is only audited.
    r = client.post(
        "/api/jobs",
        files=[("files", ("a.md", SAMPLE.read_bytes(), "text/markdown"))],
        headers={"authorization": f"Bearer {TOKEN}"},
    )
    (job,) = r.json()["jobs"]
    assert job["corpus"] is False
    done = wait_done(client, job["id"])
    assert done["status"] == "done" and done["corpus_url"] is None


def test_a_writers_upload_is_added_under_its_uploaded_name(client: TestClient) -> None:
    r = _post(client, "../北京/预算.pdf", SET_TABLES.read_bytes(), TOKEN)
    assert r.status_code == 202, r.text
    (job,) = r.json()["jobs"]
    assert job["corpus"] is True
    done = wait_done(client, job["id"], timeout=120)
    assert done["status"] == "done" and done["corpus_error"] is None, done
    url = done["corpus_url"]
    doc_id = url.rsplit("/", 1)[1]
    # Browsing it needs no token; it is the document `yusuan batch` stored from that file.
    doc = client.get(f"/api/corpus/documents/{doc_id}").json()
    assert doc["file_name"] == "预算.pdf"
    assert doc["errors"] == done["errors"] and doc["warnings"] == done["warnings"]
    assert "预算.pdf" in client.get(url).text
    # The same bytes again: the same document, not a second one.
    again = _post(client, "again.pdf", SET_TABLES.read_bytes(), TOKEN).json()["jobs"][0]
    assert wait_done(client, again["id"], timeout=120)["corpus_url"] == url
    # A file the corpus already holds (stored by `yusuan batch`) keeps its document.
    held = _post(client, "held.pdf", PUBLISHED_PDF.read_bytes(), TOKEN).json()["jobs"][0]
    held_url = wait_done(client, held["id"], timeout=120)["corpus_url"]
    held_doc = client.get("/api" + held_url).json()
    assert held_doc["file_name"] == PUBLISHED_PDF.name


def test_writing_with_together_is_refused(client: TestClient) -> None:
    r = _post(client, "a.md", SAMPLE.read_bytes(), TOKEN, together="true")
    assert r.status_code == 422 and "together" in r.json()["detail"]


def test_a_server_without_a_token_is_read_only(db: str, tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path, db=db))) as reader:
        r = _post(reader, "a.md", SAMPLE.read_bytes(), TOKEN)
        assert r.status_code == 403 and "未开放写入" in r.json()["detail"]
        assert reader.get("/api/corpus/regions").status_code == 200


def test_the_report_page_links_to_the_corpus_document(client: TestClient) -> None:
    job = _post(client, "held.pdf", PUBLISHED_PDF.read_bytes(), TOKEN).json()["jobs"][0]
    done = wait_done(client, job["id"], timeout=120)
    page = client.get(done["report_url"]).text
    assert f'已写入语料库：<a href="{done["corpus_url"]}">' in page


@pytest.mark.parametrize(
    ("args", "token", "message"),
    [
        ([], "a-token-long-enough-1234", "设置了 YUSUAN_WRITE_TOKEN，但没有用 --db"),
        (["--db", "{db}"], "short", "YUSUAN_WRITE_TOKEN 太短"),
    ],
)
def test_serve_checks_the_write_token(db: str, args: list[str], token: str, message: str) -> None:
    from typer.testing import CliRunner

    from yusuan.cli import app

    argv = ["serve", *(a.format(db=db) for a in args)]
    result = CliRunner().invoke(app, argv, env={"YUSUAN_WRITE_TOKEN": token})
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{message}") and "Traceback" not in result.output
