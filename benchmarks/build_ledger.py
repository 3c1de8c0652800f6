"""Build time and peak memory for generated ledgers of 10³, 10⁵ and 10⁶ lines.

    .venv/bin/python benchmarks/build_ledger.py            # all three sizes
    .venv/bin/python benchmarks/build_ledger.py 100000     # one size
    .venv/bin/python benchmarks/build_ledger.py --distinct 1000 10000 100000
    .venv/bin/python benchmarks/build_ledger.py --distinct --no-audit 1000000

`--distinct`: every line is its own 项目支出 project (the worst case for the narrative: one
情况说明 paragraph and one 绩效 placeholder per project), with the audit of the built
document and Markdown rendering added, and the time per line printed so that linear
growth shows as a flat column. Times are CPU seconds (`time.process_time`); `--no-audit`
leaves out the audit and the Markdown (a 10⁶-project document is large to audit).

Each size runs three times, each in a fresh process (so its peak RSS is its own) pinned to
one core; the table shows the run with the least CPU time (its wall-clock times per phase
and its CPU time in all: the machine may be shared) and the largest peak. The generated
ledger has 100 units, every 功能科目 项 and 经济科目 款 of the 2024 catalog, every fund source,
70 % 基本支出 lines and 30 % 项目支出 lines (each 项 of a unit has up to three projects). Times:
read (parse and validate the CSV), compile (all 11 tables), narrative (情况说明 written and
read back into statements), and the total of the three; then rendering Markdown.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 100_000, 1_000_000)
REPEAT = 3
UNITS = 100


def generate(n: int, folder: Path, distinct: bool = False) -> tuple[Path, Path]:
    from yusuan.catalog import load_catalog
    from yusuan.compose.ledger import fen_text
    from yusuan.compose.template import ECON_CLASSES

    cat = load_catalog()
    funcs = [
        e.code
        for e in cat.entries_in("function", cat.edition_for("function", 2024))
        if e.level == 3
    ]
    econs = [
        e.code
        for e in cat.entries_in("economic_dept", cat.edition_for("economic_dept", 2024))
        if e.level == 2 and e.code[:3] in ECON_CLASSES
    ]
    sources = [
        "一般财力",
        "上级一般公共预算安排转移支付",
        "政府性基金收入",
        "上级政府性基金安排转移支付",
        "国有资本经营收入",
        "上级国有资本经营预算安排转移支付",
        "财政专户核拨",
        "事业收入",
        "上级补助收入",
        "附属单位上缴收入",
        "事业单位经营收入",
        "其他收入",
        "财政拨款结转（一般公共预算拨款）",
        "非财政拨款结转结余（单位资金）",
    ]
    units = [f"测试单位{u:03d}中心" for u in range(UNITS)]
    units[0] = "测试厅本级"
    combos = UNITS * len(funcs) * len(econs) * len(sources)
    assert n <= combos
    ledger = folder / f"ledger_{n}.csv"
    with ledger.open("w", encoding="utf-8") as fh:
        fh.write(
            "单位,功能科目编码,经济科目编码,资金来源,支出类型,项目名称,本年预算数,上年预算数\n"
        )
        # The first lines guarantee the tables every department has (基本、项目、三公).
        fh.write("测试厅本级,2080101,30217,一般财力,基本支出,,50000.00,40000.00\n")
        for i in range(n - 1):
            k = (i * 7919 + 1) % combos
            k, s = divmod(k, len(sources))
            k, e = divmod(k, len(econs))
            u, f = divmod(k, len(funcs))
            basic = not distinct and i % 10 < 7
            project = f"项目{i:07d}" if distinct else "" if basic else f"专项{(f + i) % 3}{u % 10}"
            cur = (i * 104_729) % 50_000_000 + 100
            last = (i * 15_485_863) % 50_000_000
            if econs[e] == "30217" and units[u] == "测试厅本级":
                continue
            fh.write(
                f"{units[u]},{funcs[f]},{econs[e]},{sources[s]},{'基本支出' if basic else '项目支出'},"
                f"{project},{fen_text(cur)},{fen_text(last)}\n"
            )
    dept = folder / "department.toml"
    lines = ['department = "测试厅"', "year = 2024", ""]
    for i, name in enumerate(units):
        lines += ["[[units]]", f'name = "{name}"', f'kind = "{"行政" if i == 0 else "事业"}"', ""]
    dept.write_text("\n".join(lines), encoding="utf-8")
    return ledger, dept


def run_one(n: int, distinct: bool = False, audit: bool = True) -> dict[str, float]:
    import yusuan
    from yusuan.compose import build_document, prepare
    from yusuan.compose.compile import compile_tables
    from yusuan.compose.department import load_department
    from yusuan.compose.ledger import read_ledger
    from yusuan.gc_pause import gc_paused
    from yusuan.render.markdown import to_markdown

    def peak_mib() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB

    with tempfile.TemporaryDirectory() as tmp:
        ledger_path, dept_path = generate(n, Path(tmp), distinct)
        clock, cpu = time.perf_counter, time.process_time
        # As `yusuan build` does (yusuan.compose.build, cli_build): the cyclic collector
        # paused while the document is built and audited.
        with gc_paused():
            t0, c0 = clock(), cpu()
            dept = load_department(dept_path)
            template, names = prepare(dept)
            ledger = read_ledger(ledger_path, template, dept, names)
            t1, c1 = clock(), cpu()
            compiled = compile_tables(ledger, template, dept, names)
            ledger.lines = {}  # as yusuan.compose.build lets the compiled lines go
            t2, c2 = clock(), cpu()
            result = build_document(ledger, dept, template, names, compiled=compiled)
            t3, c3 = clock(), cpu()
            peak_build = peak_mib()
            t4 = c4 = t5 = c5 = 0.0
            if audit:
                to_markdown(result.document)
                t4, c4 = clock(), cpu()
                if distinct:
                    yusuan.audit(result.document)
                t5, c5 = clock(), cpu()
    return {
        "lines": n,
        "read": t1 - t0,
        "compile": t2 - t1,
        "narrative": t3 - t2,
        "total": t3 - t0,
        "cpu_read": c1 - c0,
        "cpu_compile": c2 - c1,
        "cpu_narrative": c3 - c2,
        "cpu_tables": c2 - c0,
        "cpu_total": c3 - c0,
        "markdown": t4 - t3 if audit else 0.0,
        "cpu_markdown": c4 - c3 if audit else 0.0,
        "audit": t5 - t4 if audit else 0.0,
        "cpu_audit": c5 - c4 if audit else 0.0,
        "peak_build_mib": peak_build,
        "peak_mib": peak_mib(),
    }


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        result = run_one(int(sys.argv[2]), "--distinct" in sys.argv, "--no-audit" not in sys.argv)
        print(json.dumps(result))
        return 0
    args = sys.argv[1:]
    distinct = "--distinct" in args
    audit = "--no-audit" not in args
    args = [a for a in args if a not in ("--distinct", "--no-audit")]
    if any(not a.isdigit() for a in args):
        print(
            f"usage: {sys.argv[0]} [--distinct] [LINES ...]   "
            f"(default: {' '.join(map(str, SIZES))})"
        )
        return 0 if args in (["-h"], ["--help"]) else 2
    sizes = [int(a) for a in args] or list(SIZES)
    if distinct:
        return distinct_table(sizes, audit)
    print(
        "| 台账行数 | 读取与校验 s | 编制 11 张表 s | 情况说明 s | 合计 s "
        "| CPU：读取+编表 s | CPU：合计 s | 渲染 Markdown s | 峰值内存 MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        runs = []
        for _ in range(REPEAT):
            out = subprocess.run(
                ["taskset", "-c", "0", sys.executable, __file__, "--child", str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout))
        # Other processes only ever slow a run down: keep the run with the least CPU time.
        r = min(runs, key=lambda x: x["cpu_total"])
        r["peak_mib"] = max(x["peak_mib"] for x in runs)
        print(
            f"| {r['lines']:,} | {r['read']:.2f} | {r['compile']:.2f} | {r['narrative']:.2f} | "
            f"{r['total']:.2f} | {r['cpu_tables']:.2f} | {r['cpu_total']:.2f} | {r['markdown']:.2f} "
            f"| {r['peak_mib']:.0f} |"
        )
    return 0


def distinct_table(sizes: list[int], audit: bool) -> int:
    """One run per size (a 10⁶-project build is long): CPU seconds per phase (the machine
    may be shared: wall time then says little), CPU µs per line, peak memory."""
    print(
        "| 台账行数（各为一个项目） | 读取与校验 | 编制 11 张表 | 情况说明 | 编制合计 "
        "| 每行 µs | 审核 | 渲染 Markdown | 全程每行 µs | 墙钟合计 s | 峰值内存 MiB（编制后 / 全程） |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        command = [sys.executable, __file__, "--child", str(n), "--distinct"]
        out = subprocess.run(
            ["taskset", "-c", "0", *command, *([] if audit else ["--no-audit"])],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout)
        whole = r["cpu_total"] + r["cpu_audit"] + r["cpu_markdown"]
        wall = r["total"] + r["audit"] + r["markdown"]
        print(
            f"| {n:,} | {r['cpu_read']:.2f} | {r['cpu_compile']:.2f} | {r['cpu_narrative']:.2f} | "
            f"{r['cpu_total']:.2f} | {r['cpu_total'] / n * 1e6:.0f} | "
            + (
                f"{r['cpu_audit']:.2f} | {r['cpu_markdown']:.2f} | {whole / n * 1e6:.0f} | "
                if audit
                else "– | – | – | "
            )
            + f"{wall:.1f} | {r['peak_build_mib']:.0f} / {r['peak_mib']:.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
