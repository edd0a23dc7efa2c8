"""Latency of `claimsearch serve` against `ClaimIndex.search` alone, at 10k and 100k claims.
Prints p50/p95 of each and what the page adds; writes benchmarks/results/web.json.

    python benchmarks/bench_web.py [--sizes 10000,100000] [--repeats 5] [--mode hybrid] [--claims SHARD_DIR]

The indexes are bench_search.py's: the sample corpus's claims, replicated with new ids. For each
size, one process times `ClaimIndex.search(q, limit=10, mode=…)` on an open index (the baseline:
what the CLI and the page call, in the page's default ranking unless --mode says another), while
`claimsearch serve` runs as a user starts it, and the same process times GET /?q=… (the search
page: hits, every facet of the claims with the words, the month timeline, HTML) and GET
/api/search?q=… (hits and the total, JSON) over one kept-alive HTTP connection on 127.0.0.1.
Rounds alternate the three, so they share the machine's load. Target: the page adds at most 30 ms
to the search at p95: the p95 of the page less the p95 of the search, and, steadier on a shared
machine, the p95 of each request's time less the search's for the same query in the same round.
Nothing is cached between requests: each repeat of a query does all the work again.
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import QUERIES, build, in_child, load_claims  # noqa: E402
from common import ROOT, machine, median, percentile, save, verdict  # noqa: E402

from claimsearch.hybrid import MODES  # noqa: E402
from claimsearch.web.params import SearchParams  # noqa: E402

REPEATS = 5
DEFAULT_MODE = SearchParams().mode  # what the page ranks by when the URL says nothing
TARGET_MS = 30.0  # what the page may add to ClaimIndex.search at p95


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(index_dir: Path) -> tuple[subprocess.Popen, int]:
    """`claimsearch serve` on a free port, once it answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "claimsearch", "serve", "--index", str(index_dir), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 300  # the facet table of a large index is read at start
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"claimsearch serve exited: {proc.stderr.read().decode()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("claimsearch serve did not start in 300 s")


def measure(index_dir: str, port: int, repeats: int, mode: str, queue) -> None:
    """Child process: the three ways of asking the same queries, timed in alternating rounds."""
    from claimsearch.searching import ClaimIndex

    idx = ClaimIndex(index_dir)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(path: str) -> int:
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"GET {path}: {r.status} {body[:200]!r}")
        return len(body)

    given = {} if mode == DEFAULT_MODE else {"mode": mode}  # the page's own URL when it ranks by default
    ways = {
        "ClaimIndex.search": lambda q: idx.search(q, limit=10, mode=mode),
        "API /api/search": lambda q: get("/api/search?" + urlencode({"q": q, **given})),
        "page /": lambda q: get("/?" + urlencode({"q": q, **given})),
    }
    for q in QUERIES:  # untimed pass: caches, lazy loads, the connection
        for run in ways.values():
            run(q)
    latencies = {name: [] for name in ways}
    per_query = {name: {q: [] for q in QUERIES} for name in ways}
    added = {name: [] for name in ways}  # each request less the search of the same query in the same round
    names = list(ways)
    for r in range(repeats):
        order = names if r % 2 == 0 else names[::-1]
        for q in QUERIES:
            took = {}
            for name in order:
                t0 = time.perf_counter()
                ways[name](q)
                took[name] = ms = (time.perf_counter() - t0) * 1000
                latencies[name].append(ms)
                per_query[name][q].append(ms)
            for name in names:
                added[name].append(took[name] - took["ClaimIndex.search"])
    page_bytes = {q: get("/?" + urlencode({"q": q})) for q in QUERIES[:3]}
    matches = {q: len(idx.matching(q)) for q in QUERIES}
    queue.put({"latencies_ms": latencies, "added_ms": added, "per_query_median_ms": {n: {q: median(v) for q, v in d.items()} for n, d in per_query.items()},
               "page_bytes": page_bytes, "matches": matches})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--claims", help="a `claimsearch extract --out` folder instead of extracting the sample corpus")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed passes over the queries")
    parser.add_argument("--mode", default=DEFAULT_MODE, choices=MODES,
                        help="the ranking of the page and of the baseline (default: the page's and the CLI's)")
    parser.add_argument("--work", help="folder for the indexes (default: a temporary one, removed at the end)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    m = machine()
    print(f"machine: {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}; load average {os.getloadavg()[0]:.1f}")
    work = Path(args.work or tempfile.mkdtemp(prefix="claimsearch-bench-web-"))
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "index", ignore_errors=True)
    started = time.perf_counter()
    claims_path = load_claims(args.claims, work)
    print(f"corpus: {len(claims_path.read_text(encoding='utf-8').splitlines())} distinct claims, replicated; "
          f"{len(QUERIES)} queries × {args.repeats} passes, top 10, ranked by {args.mode}")
    print(f"\n{'claims':>8} {'what':>18} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    rows, previous = [], 0
    folder = work / "index"
    for size in sizes:
        in_child(build, "claimsearch", str(folder), str(claims_path), previous, size)
        t0 = time.perf_counter()
        proc, port = serve(folder)
        start_s = time.perf_counter() - t0
        try:
            result = in_child(measure, str(folder), port, args.repeats, args.mode)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        row = {"claims": size, "serve_start_s": start_s}
        for name, xs in result["latencies_ms"].items():
            row[name] = {"p50_ms": median(xs), "p95_ms": percentile(xs, 95), "max_ms": max(xs)}
            print(f"{size:>8} {name:>18} {median(xs):>7.1f} {percentile(xs, 95):>7.1f} {max(xs):>7.1f}")
        base = row["ClaimIndex.search"]
        for name in ("API /api/search", "page /"):
            added = row[name]["p95_ms"] - base["p95_ms"]
            row[name]["added_p95_ms"] = added
            row[name]["added_p50_ms"] = row[name]["p50_ms"] - base["p50_ms"]
            paired = result["added_ms"][name]
            row[name]["paired_added_p50_ms"], row[name]["paired_added_p95_ms"] = median(paired), percentile(paired, 95)
            print(f"{'':>8} {name:>18}  adds {row[name]['added_p50_ms']:.1f} ms at p50, {added:.1f} ms at p95  "
                  f"{verdict(added, TARGET_MS, higher_is_better=False)}")
            print(f"{'':>8} {'':>18}  request by request: adds {median(paired):.1f} ms at p50, "
                  f"{percentile(paired, 95):.1f} ms at p95  {verdict(percentile(paired, 95), TARGET_MS, higher_is_better=False)}")
        slowest = sorted(result["per_query_median_ms"]["page /"].items(), key=lambda kv: -kv[1])[:3]
        print(f"{'':>8} {'':>18}  slowest page queries (median ms, matching claims): "
              + ", ".join(f"{q!r} {v:.1f} ({result['matches'][q]})" for q, v in slowest))
        print(f"{'':>8} {'':>18}  `claimsearch serve` answered {start_s:.1f} s after it started")
        row.update(per_query_median_ms=result["per_query_median_ms"], matches=result["matches"],
                   page_bytes=result["page_bytes"])
        rows.append(row)
        previous = size
    total = time.perf_counter() - started
    print(f"\ntotal {total / 60:.1f} min; load average at the end {os.getloadavg()[0]:.1f}")
    path = save("web", {"command": "python benchmarks/bench_web.py --sizes " + args.sizes
                        + (f" --mode {args.mode}" if args.mode != DEFAULT_MODE else ""), "mode": args.mode, "queries": QUERIES,
                        "repeats": args.repeats, "target_added_p95_ms": TARGET_MS, "sizes": rows,
                        "load_average_end": os.getloadavg(), "total_s": total})
    print(f"results: {path.relative_to(ROOT)}")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
