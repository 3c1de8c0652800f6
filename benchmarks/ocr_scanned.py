"""OCR of the scanned Beijing 情况说明: accuracy on figures verified by eye, seconds per page,
and the size the `ocr` extra installs. Needs `pip install -e '.[ocr]'`.

    python benchmarks/ocr_scanned.py            # scale 2.0 (144 dpi), as the reader uses
    python benchmarks/ocr_scanned.py 1.5        # another rendering scale, to compare

The expected figures of pages 5–8 were read off the rendered page images (not from any OCR
output): every amount in 万元, percentage and count in 台 of the running text, in printed
order. Chart labels inside the two pie charts are left out (they are pictures of figures).
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ROOT / "tests/data/published/2026_beijing_zhengwufuwu-shujuju_yusuan_shuoming_scanned.pdf"
_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|%|台)")
EXPECTED: dict[int, list[str]] = {
    5: (
        "101,673.03万元 99,003.18万元 2,669.85万元 2.7% 101,673.03万元 101,673.03万元 "
        + "0万元 " * 9
        + "4,950.85万元 4,950.85万元"
    ).split(),
    6: [
        "101,673.03万元",
        "99,003.18万元",
        "2,669.85万元",
        "2.7%",
        "38,197.01万元",
        "37.59%",
        "63,408.16万元",
        "62.41%",
        "0万元",
        "0万元",
        "0万元",
    ],
    7: [
        "67.86万元",
        "80.11万元",
        "8.35万元",
        "9.44%",
        "51.3万元",
        "7.25万元",
        "21.56万元",
        "12.53万元",
        "9.03万元",
        "55,307.45万元",
        "1,168.3万元",
        "105.2万元",
        "54,033.95万元",
        "760.36万元",
    ],
    8: ["7台", "100万元", "16台", "100万元", "0台"],
}
CHART_LINES = re.compile(r"^(?:\d+\.\d+%|■.*|图\s*\d.*)$")


def _installed_mb(dist: str, seen: set[str]) -> float:
    """Size on disk of a distribution and everything it requires (each counted once)."""
    if dist.lower() in seen:
        return 0.0
    seen.add(dist.lower())
    try:
        d = metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return 0.0
    size = sum(f.size or 0 for f in d.files or [])
    for req in d.requires or []:
        if "extra ==" in req:
            continue
        name = re.split(r"[\s;<>=!~\[(]", req, maxsplit=1)[0]
        size += _installed_mb(name, seen) * 2**20
    return size / 2**20


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    from yusuan.readers.pdf import ocr

    scale = float(argv[0]) if argv else ocr.SCALE
    start = time.perf_counter()
    engine = ocr._engine()
    print(f"engine load: {time.perf_counter() - start:.2f} s")
    pdf = pdfium.PdfDocument(str(SCANNED))
    found: dict[int, list[str]] = {}
    raw_found: dict[int, list[str]] = {}  # before the reader turns 〇 before a unit into 0
    seconds: list[float] = []
    for index in range(len(pdf)):
        page = pdf[index]
        start = time.perf_counter()
        image = page.render(scale=scale).to_numpy()
        result, _ = engine(image, use_cls=False)
        seconds.append(time.perf_counter() - start)
        chars = ocr.lines_to_chars(result or [], scale)
        lines = [
            re.sub(r"\s+", "", str(text))
            for _, text, score in (result or [])
            if float(score) >= ocr.MIN_SCORE
        ]
        body = "\n".join(ln for ln in lines if not CHART_LINES.match(ln))
        raw_found[index + 1] = [m.group(1) + m.group(2) for m in _FIGURE.finditer(body)]
        fixed = ocr._ZERO_BEFORE_UNIT.sub("0", body)
        found[index + 1] = [m.group(1) + m.group(2) for m in _FIGURE.finditer(fixed)]
        print(f"page {index + 1}: {seconds[-1]:.2f} s, {len(chars)} glyphs")
    total = correct = 0
    for page, expected in EXPECTED.items():
        got = Counter(found.get(page, []))
        want = Counter(expected)
        hit = sum((got & want).values())
        total += len(expected)
        correct += hit
        missing = list((want - got).elements())
        extra = list((got - want).elements())
        print(f"page {page}: {hit}/{len(expected)} figures; missing {missing}; unexpected {extra}")
    raw = sum(
        (Counter(raw_found.get(page, [])) & Counter(expected)).total()
        for page, expected in EXPECTED.items()
    )
    print(f"accuracy: {correct}/{total} = {correct / total:.1%} (raw OCR text: {raw}/{total})")
    print(
        f"seconds per page: mean {sum(seconds) / len(seconds):.2f}, "
        f"min {min(seconds):.2f}, max {max(seconds):.2f} (scale {scale}, {len(seconds)} pages)"
    )
    seen: set[str] = set()
    print(
        f"installed size of rapidocr-onnxruntime and its requirements: "
        f"{_installed_mb('rapidocr-onnxruntime', seen):.0f} MB ({', '.join(sorted(seen))})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
