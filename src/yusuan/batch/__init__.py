"""Many files at once: collect, read + audit in parallel (local processes or a Dask cluster),
store each document in one transaction, and summarise for inspectors (docs/store.md)."""

from __future__ import annotations

from yusuan.batch.runner import BatchResult, collect_files, process_file, run_batch

__all__ = ["BatchResult", "collect_files", "process_file", "run_batch"]
