"""One-off build of the catalog data files from the shared lists and the sample documents.

Run in the development workspace only: it reads /work/shared (not part of this repository)
and rewrites src/yusuan/catalog/data. Kept so the data can be re-derived and its decisions
(KEEP, NOTES, NARRATIVE) reviewed.
"""

import collections
import csv
import pathlib
import sys

sys.path.insert(0, "/work/main/src")
from yusuan.catalog.harvest import harvest_file

OUT = pathlib.Path("/work/main/src/yusuan/catalog/data")
SHARED = pathlib.Path("/work/shared/data/classification")
FILE_LIST = {
    "function_codes.csv": "function",
    "economic_codes_dept.csv": "economic_dept",
    "economic_codes_gov.csv": "economic_gov",
}
SHARED_EDITION = {
    "JGW": 2026,
    "WLJ": 2026,
    "CG": 2026,
    "STHJ": 2025,
    "SQ": 2025,
    "YC": 2025,
    "XZCS": 2023,
    "HDU": 2020,
    "ISHARE": 2020,
}
DOCS = {
    "/work/main/examples/2024_xinjiang_hrss_budget.md": ("XJ-HRSS-2024", 2024),
    "/work/shared/samples/published/2024_shanghai-putuo_caizhengju_juesuan.pdf": (
        "SH-PT-CZJ-2024JS",
        2024,
    ),
    "/work/shared/samples/published/2024_zhongyang_guojiaxinfangju_juesuan.pdf": (
        "ZY-XFJ-2024JS",
        2024,
    ),
    "/work/shared/samples/published/2025_hunan-changsha_gonganju_yusuan.pdf": (
        "HN-CS-GAJ-2025",
        2025,
    ),
    "/work/shared/samples/published/2025_shaanxi-xian_xingzhengshenpi_yusuan.pdf": (
        "SN-XA-XZSP-2025",
        2025,
    ),
    "/work/shared/samples/published/2025_shanghai-putuo_wanlijiedao_yusuan.pdf": (
        "SH-PT-WLJD-2025",
        2025,
    ),
    "/work/shared/samples/published/2026_beijing_zhengwufuwu-shujuju_yusuan_baobiao.pdf": (
        "BJ-ZWSJ-2026",
        2026,
    ),
    "/work/shared/samples/published/2026_shanghai-putuo_sifaju_danwei_yusuan.pdf": (
        "SH-PT-SFJ-2026",
        2026,
    ),
}
# Where sources disagree and the majority is not the answer, the kept name is decided here.
KEEP = {("function", 2025, "2111101"): "生态环境监测与信息"}
NOTES = {
    (
        "function",
        "20805",
        "行政事业单位离退休",
    ): "20805 的旧名称（见 catalog.toml 的 renaming）；该决算仍沿用旧名",
    (
        "function",
        "2111101",
        "减排专项支出",
    ): "疑为公开文件错误：减排专项支出 是 2111103 的名称（YC 在 2111103 下印此名）",
}

# Names printed in narratives (情况说明), read by hand: (list, edition, code, name, source, where)
NARRATIVE = [
    ("function", 2026, "210", "医疗卫生与计划生育支出", "SH-PT-SFJ-2026", "p7"),
    ("function", 2024, "20805", "行政事业单位离退休", "ZY-XFJ-2024JS", "p22 p23 p40"),
    ("function", 2024, "2080501", "归口管理的行政单位离退休", "ZY-XFJ-2024JS", "p22 p40"),
]
NOTES.update(
    {
        (
            "function",
            "210",
            "医疗卫生与计划生育支出",
        ): "210 的旧名称；见于该文件情况说明（210类），同一文件表格印 卫生健康支出",
        (
            "function",
            "20805",
            "行政事业单位离退休",
            2024,
        ): "20805 的旧名称；见于该决算情况说明，同一文件表格印 行政事业单位养老支出",
        (
            "function",
            "2080501",
            "归口管理的行政单位离退休",
        ): "2080501 的旧名称；见于该决算情况说明的路径名称（未印编码，按金额 1,028.48 对应表中 2080501）",
    }
)
attest = collections.defaultdict(
    lambda: collections.defaultdict(dict)
)  # (list,ed,code) -> name -> {src: where}
with open(SHARED / "provenance.csv", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        lst = FILE_LIST[row["file"]]
        per = {}
        if row["name_conflict"]:
            for part in row["name_conflict"].split(";"):
                name, srcs = [x.strip() for x in part.split("<-")]
                for s in srcs.split("+"):
                    per[s.strip()] = name
        for s in row["sources"].split("+"):
            per.setdefault(s, row["name"])
        for s, name in per.items():
            attest[(lst, SHARED_EDITION[s], row["code"])][name][s] = set()
for lst, ed, code, name, key, where in NARRATIVE:
    attest[(lst, ed, code)][name].setdefault(key, set()).update(where.split())
for path, (key, ed) in DOCS.items():
    for h in harvest_file(pathlib.Path(path)):
        attest[(h.list_name, ed, h.code)][h.name].setdefault(key, set()).add(h.where)


def level(code):
    return {3: 1, 5: 2, 7: 3}[len(code)]


def parent(code):
    return code[:-2] if len(code) > 3 else ""


def wsort(ws):
    return sorted(ws, key=lambda w: (w[0], int(w[1:])))


files = collections.defaultdict(list)
conflicts, attest_rows = [], []
for (lst, ed, code), names in sorted(attest.items()):
    if len(names) == 1:
        kept = next(iter(names))
    elif (lst, ed, code) in KEEP:
        kept = KEEP[(lst, ed, code)]
    else:
        ranked = sorted(names.items(), key=lambda kv: -len(kv[1]))
        if len(ranked[0][1]) == len(ranked[1][1]):
            raise SystemExit(f"tie needs a decision: {lst} {ed} {code} {dict(names)}")
        kept = ranked[0][0]
    files[(lst, ed)].append((code, kept, level(code), parent(code), ";".join(sorted(names[kept]))))
    for name, srcs in names.items():
        for s, ws in sorted(srcs.items()):
            attest_rows.append((lst, ed, code, name, s, " ".join(wsort(ws))))
        if name != kept:
            note = NOTES.get((lst, code, name, ed)) or NOTES.get((lst, code, name), "")
            conflicts.append((lst, ed, code, name, ";".join(sorted(srcs)), kept, note))

for (lst, ed), rows in files.items():
    d = OUT / lst
    d.mkdir(parents=True, exist_ok=True)
    with open(d / f"{ed}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent", "sources"])
        w.writerows(rows)
    print(lst, ed, len(rows))
with open(OUT / "conflicts.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["list", "edition", "code", "name", "sources", "kept_name", "note"])
    w.writerows(conflicts)
with open(OUT / "attestations.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["list", "edition", "code", "name", "source", "where"])
    w.writerows(attest_rows)
print("conflicts", conflicts)
print("attestations", len(attest_rows))
