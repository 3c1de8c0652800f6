"""The batch runner: files → workers (read + audit + flatten) → one writer (the store).

Workers never touch the database: they return a `DocumentRecord` (plain rows) and the
driver process stores it in one transaction. So the same worker function runs in-process
(`--jobs 1`), in a local process pool, or on a Dask distributed cluster, and DuckDB, which
allows one writer, works with all three.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yusuan.batch.years import YearsResult, check_years
from yusuan.errors import InputError, YusuanError
from yusuan.store import DocumentRecord, Store, build_record, failed_record

SUFFIXES = {".pdf", ".xlsx", ".xls", ".xlsb", ".ods", ".md", ".markdown", ".txt"}


def collect_files(paths: Sequence[str | Path]) -> list[Path]:
    """Files named, and disclosure files under folders named (recursively), in a stable order."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f
                for f in path.rglob("*")
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith(".")
            )
        elif path.is_file():
            found = [path]
        else:
            raise InputError(f"找不到文件或文件夹：{p}")
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def file_hash(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _report_name(path: str, doc_id: str) -> str:
    return f"{Path(path).stem}-{doc_id[:8]}.html"


def _checklist_name(path: str, doc_id: str) -> str:
    return f"{Path(path).stem}-{doc_id[:8]}-检查表.xlsx"


def process_file(
    path: str,
    doc_id: str,
    size: int,
    reports_dir: str | None = None,
    checklists_dir: str | None = None,
) -> DocumentRecord:
    """Read, audit and flatten one file; never raises (a failure is a record with its reason)."""
    start = time.perf_counter()
    cpu = time.process_time()
    try:
        import yusuan
        from yusuan.reporters import render

        doc = yusuan.read(path)
        report = yusuan.audit(doc)
        rec = build_record(doc, report, doc_id=doc_id, path=path, size_bytes=size, seconds=0.0)
        if reports_dir is not None:
            target = Path(reports_dir) / _report_name(path, doc_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(report, "html"), encoding="utf-8")
            rec.report_html = target.name
        if checklists_dir is not None:
            from yusuan.reporters.checklist import write_checklist

            write_checklist(doc, report, Path(checklists_dir) / _checklist_name(path, doc_id))
    except YusuanError as exc:
        rec = failed_record(doc_id, path, size, exc.message)
    except MemoryError:
        rec = failed_record(doc_id, path, size, "文件太大，内存不足，无法读取")
    except Exception as exc:  # a reader's bug must not stop the batch
        rec = failed_record(doc_id, path, size, f"内部错误：{type(exc).__name__}: {exc}")
    rec.seconds = time.perf_counter() - start
    rec.cpu_seconds = time.process_time() - cpu
    return rec


@dataclass
class BatchResult:
    run_id: str
    files: int = 0
    stored: int = 0
    skipped: int = 0  # already in the store (same content hash)
    failed: int = 0  # stored as failed (unreadable, not a disclosure …)
    concurrent: int = 0  # stored meanwhile by another batch
    seconds: float = 0.0
    work_seconds: float = 0.0  # read + audit, summed over workers
    cpu_seconds: float = 0.0  # the CPU time of that work (less than wall on a busy machine)
    store_seconds: float = 0.0  # writing to the store, in the driver
    doc_ids: list[str] = field(default_factory=list)  # every file's hash, in file order
    years: YearsResult | None = None  # the across-years comparison after the batch


@dataclass(frozen=True, slots=True)
class Job:
    path: str
    doc_id: str
    size: int


Progress = Callable[[str, DocumentRecord | None, Job], None]
"""Called with an event (`start`, `stored`, `skipped`, `concurrent`) as the batch goes."""


def _local(
    jobs: list[Job], workers: int, reports: str | None, checklists: str | None = None
) -> Iterator[tuple[Job, DocumentRecord]]:
    if workers <= 1:
        for job in jobs:
            yield job, process_file(job.path, job.doc_id, job.size, reports, checklists)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Not `fork`: the driver holds a database connection with its own threads, and a child
    # forked from a threaded process may inherit a held lock. The fork server imports the
    # readers once; each worker is forked from it.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["yusuan", "yusuan.batch.runner", "yusuan.reporters"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {
            pool.submit(process_file, j.path, j.doc_id, j.size, reports, checklists): j
            for j in jobs
        }
        try:
            for fut in as_completed(futures):
                yield futures[fut], fut.result()
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


def _cluster(
    jobs: list[Job], address: str, reports: str | None, checklists: str | None = None
) -> Iterator[tuple[Job, DocumentRecord]]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - part of the corpus extra
        raise InputError("--cluster 需要安装 yusuan[corpus]（dask distributed）") from exc
    try:
        client = Client(address, timeout=15)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise InputError(f"无法连接 Dask 集群 {address}：{exc}") from exc
    try:
        futures = client.map(
            process_file,
            [j.path for j in jobs],
            [j.doc_id for j in jobs],
            [j.size for j in jobs],
            [reports] * len(jobs),
            [checklists] * len(jobs),
            pure=False,
        )
        by_key = {f.key: j for f, j in zip(futures, jobs, strict=True)}
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            yield by_key[fut.key], fut.result()
            fut.release()
    finally:
        client.close()  # type: ignore[no-untyped-call]


def run_batch(
    store: Store,
    paths: Sequence[str | Path],
    *,
    jobs: int | None = None,
    cluster: str | None = None,
    reaudit: bool = False,
    reports_dir: str | Path | None = None,
    checklists_dir: str | Path | None = None,
    tool_version: str | None = None,
    command: str = "",
    progress: Progress | None = None,
    compare_years: bool = True,
) -> BatchResult:
    """Read, audit and store every file under `paths`; skip what the store already holds
    (unless `reaudit`); record failures with their reason. Never stops on a bad file. Then
    compare each document of the batch with its department's previous (and next) year."""
    from yusuan import __version__

    version = tool_version or __version__
    started = time.perf_counter()
    files = collect_files(paths)
    workers = jobs or os.cpu_count() or 1
    run_id = store.begin_run(
        version, "cluster" if cluster else "local", None if cluster else workers, command
    )
    result = BatchResult(run_id=run_id, files=len(files))
    stored = store.stored()
    todo: list[Job] = []
    queued: set[str] = set()
    for f in files:
        doc_id, size = file_hash(f)
        result.doc_ids.append(doc_id)
        job = Job(str(f), doc_id, size)
        if (doc_id in stored and not reaudit) or doc_id in queued:
            result.skipped += 1
            if progress:
                progress("skipped", None, job)
            continue
        queued.add(doc_id)
        todo.append(job)
    reports = str(reports_dir) if reports_dir is not None else None
    lists = str(checklists_dir) if checklists_dir is not None else None
    source = (
        _cluster(todo, cluster, reports, lists)
        if cluster
        else _local(todo, workers, reports, lists)
    )
    try:
        for job, rec in source:
            result.work_seconds += rec.seconds
            result.cpu_seconds += rec.cpu_seconds
            t0 = time.perf_counter()
            try:
                fresh = store.put(rec, run_id, version, replace=reaudit)
            except Exception as exc:  # this document's rows: record why, go on with the rest
                reason = f"内部错误（入库）：{type(exc).__name__}: {exc}"
                rec = failed_record(job.doc_id, job.path, job.size, reason, rec.seconds)
                fresh = store.put(rec, run_id, version, replace=reaudit)  # may raise: DB down
            result.store_seconds += time.perf_counter() - t0
            if not fresh:
                result.concurrent += 1
                event = "concurrent"
            else:
                event = "stored"
                if rec.ok:
                    result.stored += 1
                else:
                    result.failed += 1
            if progress:
                progress(event, rec, job)
        if compare_years:
            result.years = check_years(store, result.doc_ids, version)
    finally:
        store.finish_run(
            run_id, result.files, result.stored, result.skipped + result.concurrent, result.failed
        )
        result.seconds = time.perf_counter() - started
    return result
