"""Peak memory of extracting one large article: one paragraph without a break vs normal paragraphs.

A 1 MB paragraph without breaks once took 251 s and 3.8 GB, because spaCy was given each paragraph
whole; `sentences.pieces` now cuts a paragraph into pieces of at most MAX_PIECE characters, and the
sentences stream from spaCy to attribution, which drops their tokens batch by batch. This script
builds both layouts from the same sample-corpus paragraphs, extracts each in a fresh process (the two
at once; `pipeline.extract_file`, as `claimsearch extract` does) and prints their peak resident
memory and the ratio between them, which should stay near 1.

    python benchmarks/bench_memory.py            # 10 MB each, the reading limit (about 45 min on 2 busy cores)
    python benchmarks/bench_memory.py --mb 1     # 1 MB each (about 4 min)
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import SAMPLE, child_peak, save


def article(size: int, separator: str) -> str:
    """Sample-corpus paragraphs (English) repeated up to `size` characters, joined by `separator`."""
    paragraphs = [p.strip() for f in sorted((SAMPLE / "en").glob("*.txt"))
                  for p in re.split(r"\n\s*\n", f.read_text(encoding="utf-8"))[1:] if len(p.strip()) > 200]
    out, total, i = [], 0, 0
    while total < size:
        out.append(paragraphs[i % len(paragraphs)])
        total += len(out[-1]) + len(separator)
        i += 1
    return "A long article\n\n" + separator.join(out) + "\n"


def measure(path: Path) -> dict:
    code = (f"import time; from claimsearch.pipeline import extract_file\nstart = time.perf_counter()\n"
            f"done = extract_file({str(path)!r}, lang='en')\n"
            f"print('SECONDS', time.perf_counter() - start)\n"
            f"print('CLAIMS', sum(len(d.claims) for d in done if hasattr(d, 'claims')))\n"
            f"print('ERRORS', [str(d) for d in done if not hasattr(d, 'claims')])")
    peak, out = child_peak(code)
    lines = dict(line.split(" ", 1) for line in out.splitlines() if line.split(" ", 1)[0].isupper())
    return {"bytes": path.stat().st_size, "peak_mb": peak, "seconds": round(float(lines["SECONDS"]), 1),
            "claims": int(lines["CLAIMS"]), "errors": lines["ERRORS"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of each article in MB (default: 10)")
    parser.add_argument("--name", default="memory", help="results/NAME.json (default: memory)")
    args = parser.parse_args()
    size = int(args.mb * 1_000_000)
    layouts = {"one_paragraph": " ", "normal": "\n\n"}
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(len(layouts)) as pool:
        paths = {name: Path(tmp) / f"{name}.txt" for name in layouts}
        for name, separator in layouts.items():
            paths[name].write_text(article(size, separator), encoding="utf-8")
        started = time.perf_counter()
        results = dict(zip(layouts, pool.map(measure, paths.values())))
    for name, r in results.items():
        print(f"{name:14} {r['bytes'] / 1e6:5.1f} MB  peak {r['peak_mb']:7.1f} MB  {r['seconds']:7.1f} s  "
              f"{r['claims']} claims  errors {r['errors']}")
    ratio = results["one_paragraph"]["peak_mb"] / results["normal"]["peak_mb"]
    print(f"peak memory, one paragraph / normal paragraphs: {ratio:.2f}  (wall {time.perf_counter() - started:.0f} s)")
    save(args.name, {"mb": args.mb, **results, "peak_ratio": round(ratio, 2)})


if __name__ == "__main__":
    sys.exit(main())
