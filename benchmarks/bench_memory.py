"""Peak memory of extracting one large article: one paragraph without a break vs normal paragraphs.

A 1 MB paragraph without breaks once took 251 s and 3.8 GB, because spaCy was given each paragraph
whole; `sentences.pieces` now cuts a paragraph into pieces of at most MAX_PIECE characters. This
script builds both layouts from the same sample-corpus paragraphs, extracts each in a fresh process
(`pipeline.extract_file`, as `claimsearch extract` does) and prints their peak resident memory and
the ratio between them, which should stay near 1.

    python benchmarks/bench_memory.py            # 10 MB each, the reading limit (long: about an hour per file on 2 cores)
    python benchmarks/bench_memory.py --mb 1     # 1 MB each (a few minutes)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from common import RESULTS, SAMPLE, child_peak, machine


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
    args = parser.parse_args()
    size = int(args.mb * 1_000_000)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, separator in (("one_paragraph", " "), ("normal", "\n\n")):
            path = Path(tmp) / f"{name}.txt"
            path.write_text(article(size, separator), encoding="utf-8")
            started = time.perf_counter()
            results[name] = measure(path)
            print(f"{name:14} {results[name]['bytes'] / 1e6:5.1f} MB  peak {results[name]['peak_mb']:7.1f} MB  "
                  f"{results[name]['seconds']:7.1f} s  {results[name]['claims']} claims  "
                  f"(wall {time.perf_counter() - started:.0f} s)", flush=True)
    ratio = results["one_paragraph"]["peak_mb"] / results["normal"]["peak_mb"]
    print(f"peak memory, one paragraph / normal paragraphs: {ratio:.2f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps({"machine": machine(), "mb": args.mb, **results,
                                                     "peak_ratio": round(ratio, 2)}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
