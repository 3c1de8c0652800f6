"""Time of the three paths that used to grow quadratically, at growing sizes.

    .venv/bin/python benchmarks/scaling.py

1. the text reader joining wrapped lines (one paragraph cut into N lines, as PDF converters
   cut long paragraphs): the joined text is built from a list, not by repeated `+=`;
2. the 同比 rules (Y4xx) over N statements in one section: each statement's earlier
   statement of the same subject comes from one memoised pass, not a scan back from each;
3. rule N304 (project scale) over N projects: 表7's project rows are indexed by name once,
   not scanned for every project.

For each path the time per item should stay flat as N grows tenfold (linear time); the
script prints N, seconds, and microseconds per item. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "2024_xinjiang_hrss_budget.md"


def wrapped_lines(n: int) -> float:
    from yusuan.readers.markdown import text_to_raw

    text = (
        "一、情况说明\n\n"
        + "\n".join(f"第{i}段文字继续写下去并且没有结束" for i in range(n))
        + "。\n"
    )
    start = time.perf_counter()
    raw = text_to_raw(text)
    elapsed = time.perf_counter() - start
    assert len(raw.paragraphs[-1].text) > n  # one paragraph: every line was joined
    return elapsed


def statements(n: int) -> float:
    import yusuan
    from yusuan.audit import select_rules

    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("一般公共预算 50,565.05 万元"))
    # Changes stated without this year's amount: each one looks for an earlier statement
    # of its subject (there is none), which a scan back from every statement makes O(n²).
    extra = [f"专项{i}资金比上年预算增加 1.00 万元，增长 1.00%。" for i in range(n)]
    doc = yusuan.read_text("\n".join([*lines[: at + 1], *extra, *lines[at + 1 :]]))
    assert len(doc.statements) >= n
    rules = select_rules(["Y4"])
    start = time.perf_counter()
    yusuan.audit(doc, rules=rules)
    return time.perf_counter() - start


def projects(n: int) -> float:
    import copy

    import yusuan
    from yusuan.audit import select_rules
    from yusuan.model.tables import RowKind

    doc = yusuan.read(SAMPLE)
    t7 = doc.tables["T7"]
    template_row = next(r for r in t7.rows if r.kind is RowKind.PROJECT)
    template_project = next(p for p in doc.projects if p.scale is not None)
    for i in range(n):
        row = copy.copy(template_row)
        row.project = f"生成项目{i}"
        t7.rows.append(row)
        project = copy.copy(template_project)
        project.name = f"生成项目{i}"
        project.unit_name = row.unit_name
        doc.projects.append(project)
    rules = select_rules(["N304"])
    start = time.perf_counter()
    yusuan.audit(doc, rules=rules)
    return time.perf_counter() - start


def main() -> None:
    cases = [
        ("wrapped lines (text reader)", wrapped_lines, (10_000, 100_000, 1_000_000)),
        ("statements (Y4xx rules)", statements, (1_000, 10_000, 100_000)),
        ("projects (N304)", projects, (1_000, 10_000, 100_000)),
    ]
    print("| path | N | seconds | µs per item |")
    print("|---|---:|---:|---:|")
    for name, fn, sizes in cases:
        for n in sizes:
            seconds = fn(n)
            print(f"| {name} | {n:,} | {seconds:.2f} | {seconds / n * 1e6:.1f} |", flush=True)


if __name__ == "__main__":
    main()
