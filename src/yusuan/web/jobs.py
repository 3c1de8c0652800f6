"""Jobs: each upload read and audited in a bounded pool of worker processes.

`workers` supervisor threads each hand one job at a time to a pool of as many processes
(`worker.py` says why processes) and follow its progress. A job moves queued → running (读取 → 审核 → 生成报告) → done | failed. Its state is kept in
memory and written to `<data>/reports/<id>/job.json`, its results next to it (`report.json`,
`report.html`, `view.json`, `regions/<n>.png`), so reports outlive the process. The id is
random (128 bits): knowing it is what gives access to the report, as with a shared link.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from yusuan.web.settings import Settings
from yusuan.web.storage import Stored, new_id
from yusuan.web.worker import audit_upload, read_progress

log = logging.getLogger("yusuan.web")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def valid_id(value: str) -> bool:
    """Ids are generated (22 URL-safe characters): anything else is refused before any lookup,
    so an id can never name a path outside the data directory."""
    return len(value) == 22 and set(value) <= _ID_CHARS


def distinct(names: list[str]) -> list[str]:
    """The names of a set's files told apart: a name given twice gets " (2)" before its
    suffix, so each finding's file is named unambiguously."""
    out: list[str] = []
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if not dot or not stem:
            stem, suffix = name, ""
        candidate, k = name, 2
        while candidate in out:
            candidate = f"{stem} ({k}).{suffix}" if suffix else f"{stem} ({k})"
            k += 1
        out.append(candidate)
    return out


class Busy(Exception):
    """Too many jobs waiting: the upload is refused, nothing stored."""


@dataclass(slots=True)
class Job:
    id: str
    name: str  # display name of the upload (of a set: its files' names joined by " + ")
    kind: str
    size: int
    # The files read as this one document: one, or a set (a 情况说明 and its 报表), each
    # {"name", "kind", "size"} in the order uploaded.
    files: list[dict[str, Any]] = field(default_factory=list)
    corpus: bool = False  # to be added to the corpus once audited (a writer's upload)
    corpus_doc_id: str | None = None  # its document in the corpus, once added
    corpus_error: str | None = None  # why it could not be added (the report is still made)
    status: str = QUEUED
    stage: str = "排队等待"
    progress: float = 0.0
    error: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    errors: int | None = None
    warnings: int | None = None
    notices: int | None = None
    verdict: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class JobManager:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.reports = settings.data_dir / "reports"
        self.uploads = settings.data_dir / "uploads"
        self.reports.mkdir(parents=True, exist_ok=True)
        self.uploads.mkdir(parents=True, exist_ok=True)
        self._jobs: dict[str, Job] = {}
        self._batches: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._pending = 0
        # Started on first use and again after `close` (an app may see several lifespans).
        self._pool: ThreadPoolExecutor | None = None
        self._procs: ProcessPoolExecutor | None = None

    def _new_processes(self) -> ProcessPoolExecutor:
        # spawn: the server has threads (uvicorn, supervisors), which fork must not copy.
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=self.settings.workers, mp_context=context)

    def _supervisors(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self.settings.workers, thread_name_prefix="job"
                )
            return self._pool

    def _processes(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._procs is None:
                self._procs = self._new_processes()
            return self._procs

    def close(self) -> None:
        with self._lock:
            pool, procs, self._pool, self._procs = self._pool, self._procs, None, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if procs is not None:
            procs.shutdown(wait=False, cancel_futures=True)

    # --- submitting -------------------------------------------------------------------------

    def reserve(self, count: int) -> None:
        """Claim room for `count` jobs before storing anything; `Busy` when there is none."""
        with self._lock:
            if self._pending + count > self.settings.max_pending:
                raise Busy
            self._pending += count

    def release(self, count: int) -> None:
        with self._lock:
            self._pending -= count

    def submit(self, stored: list[Stored], corpus: bool = False) -> Job:
        """Queue stored uploads as ONE document (room for one job reserved beforehand): one
        file, or the files of a document set; `corpus`: add it to the corpus once audited."""
        names = distinct([s.name for s in stored])
        kinds = list(dict.fromkeys(s.kind for s in stored))
        job = Job(
            id=new_id(),
            name=" + ".join(names),
            kind="+".join(kinds),
            size=sum(s.size for s in stored),
            files=[
                {"name": n, "kind": s.kind, "size": s.size}
                for n, s in zip(names, stored, strict=True)
            ],
            corpus=corpus,
        )
        (self.reports / job.id).mkdir()
        with self._lock:
            self._jobs[job.id] = job
        self._save(job)
        self._supervisors().submit(self._run, job, [s.path for s in stored], names)
        return job

    def batch(self, jobs: list[Job]) -> str:
        bid = new_id()
        ids = [j.id for j in jobs]
        with self._lock:
            self._batches[bid] = ids
        path = self.settings.data_dir / "batches"
        path.mkdir(exist_ok=True)
        (path / f"{bid}.json").write_text(json.dumps(ids), encoding="utf-8")
        return bid

    # --- looking up -------------------------------------------------------------------------

    def get(self, job_id: str) -> Job | None:
        if not valid_id(job_id):
            return None
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None:
            return job
        path = self.reports / job_id / "job.json"
        if not path.is_file():
            return None
        job = Job(**json.loads(path.read_text(encoding="utf-8")))
        if job.status in (QUEUED, RUNNING):  # left over from a previous run of the server
            job.status, job.error, job.stage = FAILED, "服务重启，任务中断，请重新上传", "失败"
        return job

    def jobs_of(self, batch_id: str) -> list[Job] | None:
        if not valid_id(batch_id):
            return None
        with self._lock:
            ids = self._batches.get(batch_id)
        if ids is None:
            path = self.settings.data_dir / "batches" / f"{batch_id}.json"
            if not path.is_file():
                return None
            ids = json.loads(path.read_text(encoding="utf-8"))
        return [j for j in (self.get(i) for i in ids) if j is not None]

    def result(self, job_id: str, name: str) -> Path | None:
        """A file of a finished job's results, or None."""
        job = self.get(job_id)
        if job is None or job.status != DONE:
            return None
        path = self.reports / job_id / name
        return path if path.is_file() else None

    def table(self, job_id: str, key: str) -> dict[str, Any] | None:
        path = self.result(job_id, "tables.json")
        if path is None:
            return None
        found: dict[str, Any] | None = json.loads(path.read_text(encoding="utf-8")).get(key)
        return found

    def view(self, job_id: str) -> dict[str, Any] | None:
        path = self.result(job_id, "view.json")
        if path is None:
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    # --- running ----------------------------------------------------------------------------

    def _save(self, job: Job) -> None:
        path = self.reports / job.id / "job.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(job.to_dict(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    def _step(self, job: Job, stage: str, progress: float) -> None:
        job.stage, job.progress = stage, progress
        self._save(job)

    def _run(self, job: Job, uploads: list[Path], names: list[str]) -> None:
        job.status, job.started = RUNNING, time.time()
        try:
            result = self._follow(job, uploads, names)
        except Exception as exc:  # a bug must not kill the supervisor; the user sees one line
            log.exception("job %s failed", job.id)
            result = {"error": f"内部错误：{type(exc).__name__}（请报告此问题）"}
        # The results are kept, the hostile input is not — gone before anyone sees the job done.
        for upload in uploads:
            upload.unlink(missing_ok=True)
        if "error" in result:
            job.status, job.error = FAILED, str(result["error"])
        else:
            job.status = DONE
            job.errors, job.warnings, job.notices = (
                result["errors"],
                result["warnings"],
                result["notices"],
            )
            job.verdict, job.title = result["verdict"], result["title"]
            job.corpus_doc_id = result.get("corpus_doc_id")
            job.corpus_error = result.get("corpus_error")
        job.finished = time.time()
        job.stage = "完成" if job.status == DONE else "失败"
        job.progress = 1.0
        self._save(job)
        self.release(1)

    def _follow(self, job: Job, uploads: list[Path], names: list[str]) -> dict[str, Any]:
        """Run the job in a worker process, passing its progress on; once more if the pool
        broke under it (a worker crashed: maybe on this file, maybe on another)."""
        out = self.reports / job.id
        corpus = self.settings.db if job.corpus else None
        for attempt in (1, 2):
            procs = self._processes()
            future: Future[dict[str, Any]] = procs.submit(audit_upload, uploads, out, names, corpus)
            while True:
                try:
                    return future.result(timeout=0.2)
                except FutureTimeout:
                    seen = read_progress(out)
                    if seen is not None and seen != (job.stage, job.progress):
                        self._step(job, *seen)
                except BrokenProcessPool:
                    with self._lock:
                        if self._procs is procs:
                            self._procs = None
                    if attempt == 2:
                        return {"error": "读取时处理进程意外退出，文件可能已损坏或含有异常内容"}
                    break
        raise AssertionError("unreachable")
