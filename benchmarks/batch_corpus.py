"""Batch throughput on a folder of real disclosures, and how the store grows with its size.

Run:
  .venv/bin/python benchmarks/batch_corpus.py throughput [--corpus ../shared/samples/corpus]
      documents per second with 1 and 2 local processes and a 2-worker Dask LocalCluster
      (DuckDB), and with 2 processes into PostgreSQL; storage time against read + audit time;
      DuckDB file size per document.
  .venv/bin/python benchmarks/batch_corpus.py scale --sizes 1000,3000,10000 [--backends duckdb,postgresql]
      a synthetic corpus: the corpus's records cloned (new content hash, department and year)
      and stored N times; store time, file size, and the time of the "expenditure by function
      class per department-year" query over all of it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from yusuan.batch import collect_files, process_file, run_batch
from yusuan.batch.runner import file_hash
from yusuan.store import DocumentRecord, open_store

ROOT = Path(__file__).resolve().parents[1]
# ../shared/samples/corpus from the main checkout (/work/main), or from a worktree (/work/wt/x).
CORPUS = next(
    (p / "shared" / "samples" / "corpus" for p in ROOT.parents if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "samples" / "corpus",
)
PG = "postgresql://127.0.0.1:5432/test"
QUERY = "SELECT department, year, code, name, amount_yuan FROM v_expense_by_function"


def _pg_schema() -> tuple[str, str]:
    import psycopg

    schema = f"yusuan_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    return schema, f"{PG}?options=-csearch_path%3D{schema}"


def _drop(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG, autocommit=True) as con:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


def throughput(corpus: Path) -> None:
    files = collect_files([corpus])
    print(f"corpus: {corpus} ({len(files)} files)")
    print(
        "| run | files | stored | failed | wall s | docs/s | read+audit s (sum) | CPU s (sum) | "
        "store s | store / read+audit | DuckDB MB | KB per doc | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    runs: list[tuple[str, dict[str, object]]] = [
        ("DuckDB, 1 process", {"jobs": 1}),
        ("DuckDB, 2 processes", {"jobs": 2}),
        ("DuckDB, Dask LocalCluster 2 workers", {"cluster": True}),
        ("PostgreSQL, 2 processes", {"jobs": 2, "pg": True}),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, opts in runs:
            schema = None
            if opts.get("pg"):
                schema, db = _pg_schema()
            else:
                db = str(Path(tmp) / f"{len(os.listdir(tmp))}.duckdb")
            store = open_store(db)
            cluster = None
            address = None
            if opts.get("cluster"):
                from distributed import LocalCluster

                cluster = LocalCluster(
                    n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
                )
                address = cluster.scheduler_address
            try:
                jobs = opts.get("jobs")
                res = run_batch(
                    store,
                    [corpus],
                    jobs=int(jobs) if isinstance(jobs, int) else None,
                    cluster=address,
                )
            finally:
                store.close()
                if cluster is not None:
                    cluster.close()
            if schema is not None:
                _drop(schema)
                size = "–"
                per_doc = "–"
            else:
                mb = os.path.getsize(db) / 1e6
                size = f"{mb:.1f}"
                per_doc = f"{mb * 1000 / max(res.stored, 1):.0f}"
            docs = res.stored + res.failed
            print(
                f"| {name} | {res.files} | {res.stored} | {res.failed} | {res.seconds:.1f} | "
                f"{docs / res.seconds:.2f} | {res.work_seconds:.1f} | {res.cpu_seconds:.1f} | "
                f"{res.store_seconds:.2f} | {100 * res.store_seconds / res.work_seconds:.1f} % | "
                f"{size} | {per_doc} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )


def _records(corpus: Path) -> list[DocumentRecord]:
    out = []
    for f in collect_files([corpus]):
        doc_id, size = file_hash(f)
        rec = process_file(str(f), doc_id, size)
        if rec.ok and rec.cells:
            out.append(rec)
    return out


def _clone(rec: DocumentRecord, i: int) -> DocumentRecord:
    """The record as another department's (and year's) document: new id, same rows."""
    doc_id = f"{i:08d}{rec.doc_id[8:]}"

    def rekey(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        return [(doc_id, *r[1:]) for r in rows]

    year = 2016 + i % 10
    return replace(
        rec,
        doc_id=doc_id,
        department=f"{rec.department or '部门'}#{i // 10}",
        year=year,
        tables=rekey(rec.tables),
        cells=rekey(rec.cells),
        statements=rekey(rec.statements),
        findings=rekey(rec.findings),
    )


def scale(corpus: Path, sizes: list[int], backends: list[str]) -> None:
    base = _records(corpus)
    cells = sum(len(r.cells) for r in base) / len(base)
    print(f"{len(base)} records from {corpus}, {cells:.0f} cells per document on average")
    print("| store | documents | cells | store s (total) | ms per doc | size MB | query s (rows) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            schema = None
            if backend == "postgresql":
                schema, db = _pg_schema()
            else:
                db = str(Path(tmp) / "scale.duckdb")
            store = open_store(db)
            run = store.begin_run("bench", "local", 1, "benchmarks/batch_corpus.py scale")
            done = 0
            spent = 0.0
            try:
                for target in sorted(sizes):
                    while done < target:
                        rec = _clone(base[done % len(base)], done)
                        t0 = time.perf_counter()
                        store.put(rec, run, "bench")
                        spent += time.perf_counter() - t0
                        done += 1
                    if backend == "postgresql":
                        store.execute("ANALYZE")
                        size_mb = (
                            float(
                                store.execute(
                                    "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
                                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                    "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                                )[0][0]
                            )
                            / 1e6
                        )
                    else:
                        store.execute("CHECKPOINT")
                        size_mb = os.path.getsize(db) / 1e6
                    n_cells = store.count("cells")
                    best = float("inf")
                    rows = 0
                    for _ in range(3):
                        t0 = time.perf_counter()
                        _, got = store.query(QUERY)
                        best = min(best, time.perf_counter() - t0)
                        rows = len(got)
                    print(
                        f"| {backend} | {done:,} | {n_cells:,} | {spent:.1f} | "
                        f"{1000 * spent / done:.1f} | {size_mb:.0f} | {best:.3f} ({rows:,}) |",
                        flush=True,
                    )
            finally:
                store.close()
                if schema is not None:
                    _drop(schema)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("what", choices=("throughput", "scale"))
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--sizes", default="1000,3000,10000")
    ap.add_argument(
        "--backends", default="duckdb,postgresql", help="stores to scale (duckdb, postgresql)"
    )
    args = ap.parse_args()
    if args.what == "throughput":
        throughput(args.corpus)
    else:
        scale(args.corpus, [int(s) for s in args.sizes.split(",")], args.backends.split(","))


if __name__ == "__main__":
    main()
