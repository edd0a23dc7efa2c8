"""Index build and query speed against plain Whoosh, at 10k, 100k and 300k claims; index size;
peak memory; `claimsearch query` cold start. Prints figures and ratios, writes
benchmarks/results/search.json.

    python benchmarks/bench_search.py [--sizes 10000,100000,300000] [--claims SHARD_DIR]

The claims are those of the sample corpus (extracted here, or read from `claimsearch extract --out`
shards). The large indexes REPLICATE that corpus: copy k of a claim gets the id `<id>~k` and the
article id `<article>~k`, with the same text, so term statistics are those of ~1.4k distinct claims
repeated. Both indexes of a size are built the same way: Whoosh's writer in bulk (procs=1,
limitmb=512), growing from one size to the next with one commit per step. The baseline is plain
Whoosh: `id` ID, `text` TEXT with Whoosh's default analyzer (StandardAnalyzer), the claim JSON
STORED; queried with Whoosh's default QueryParser on `text` (its words ANDed), top 10, stored fields
read. The same plain index is also queried with the parser's OrGroup ("plain OR"), which like
claimsearch returns claims with any of the words; and each system's number of matching claims per
query is printed, since claimsearch folds accents, stems and expands names, and so matches more.
Builds and queries run in fresh processes, so each one's peak memory is its own.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, SAMPLE, machine, median, peak_mb, percentile, save, timed, verdict  # noqa: E402

QUERIES = [  # names, topics, both languages, accents on and off, one to four words
    "Trump", "Donald Trump", "Erdoğan", "Erdogan Syrie", "Le Pen", "Brexit", "Boris Johnson Brexit",
    "Taïwan", "Starlink", "élection présidentielle", "election", "police", "Syrie kurdes", "Turkey Syria",
    "gouvernement", "government said", "Grèce Chypre", "migrants", "Twitter", "Organisation mondiale de la santé",
    "santé", "prison", "torture", "Biden", "Obama", "Khashoggi", "Cengiz", "Wikinews", "London attack", "Tesco",
]
REPEATS = 5  # timed passes over the queries, after one untimed pass (--repeats)


# ---------------------------------------------------------------------------------------- claims

def load_claims(shards: str | None, out: Path) -> Path:
    """Unique claims of the corpus as JSON lines in `out`; from shards, or extracted here."""
    from claimsearch.models import ExtractedArticle

    if shards:
        from claimsearch.distributed import read_shards
        results = list(read_shards(shards))
    else:
        from claimsearch.pipeline import extract_many
        results = list(extract_many([SAMPLE], embed=True))  # replayed with their vectors, as `index` computes them
    claims = {c.id: c for r in results if isinstance(r, ExtractedArticle) for c in r.claims}
    path = out / "claims.jsonl"
    path.write_text("".join(c.model_dump_json() + "\n" for c in claims.values()), encoding="utf-8")
    (out / "articles.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in results
                                                if isinstance(r, ExtractedArticle)), encoding="utf-8")
    return path


def replicas(claims_path: Path, start: int, stop: int):
    """Claims number start…stop-1 of the endless replication of the corpus (new ids for each copy)."""
    from claimsearch.models import Claim

    base = [Claim.model_validate_json(line) for line in claims_path.read_text(encoding="utf-8").splitlines()]
    for n in range(start, stop):
        k, c = divmod(n, len(base))
        claim = base[c]
        yield claim if k == 0 else claim.model_copy(update={"id": f"{claim.id}~{k}", "article_id": f"{claim.article_id}~{k}"})


# ---------------------------------------------------------------------------------------- the two systems

def plain_schema():
    from whoosh.fields import ID, STORED, TEXT, Schema
    return Schema(id=ID(unique=True, stored=True), text=TEXT(), data=STORED)


def plain_document(claim) -> dict:
    return {"id": claim.id, "text": claim.text, "data": claim.model_dump_json()}


def build(system: str, index_dir: str, claims_path: str, start: int, stop: int, queue) -> None:
    """Child process: add claims start…stop-1 to the index in bulk, one commit; report time and memory."""
    from whoosh import index as windex

    if system == "claimsearch":
        from claimsearch.indexing import claim_document, open_index
        ix = open_index(index_dir, create=True)
        document = claim_document
    else:
        os.makedirs(index_dir, exist_ok=True)
        ix = windex.open_dir(index_dir) if windex.exists_in(index_dir) else windex.create_in(index_dir, plain_schema())
        document = plain_document
    items = list(replicas(Path(claims_path), start, stop))  # made before the clock starts
    t0 = time.perf_counter()
    writer = ix.writer(procs=1, limitmb=512)
    for claim in items:
        writer.add_document(**document(claim))
    t1 = time.perf_counter()
    writer.commit()
    t2 = time.perf_counter()
    with ix.searcher() as s:
        segments = len(ix._segments()) if hasattr(ix, "_segments") else None
        docs = s.doc_count()
    queue.put({"seconds": t2 - t0, "commit_s": t2 - t1, "peak_mb": peak_mb(), "docs": docs, "segments": segments})


def query(system: str, index_dir: str, repeats: int, queue) -> None:
    """Child process: time every query REPEATS times with a searcher kept open; report latencies,
    matching claims per query, and memory."""
    if system == "claimsearch":
        from claimsearch.searching import ClaimIndex
        idx = ClaimIndex(index_dir)
        run = lambda q, limit=10: idx.search(q, limit=limit, mode="words")  # noqa: E731  (bench_vectors.py: hybrid)
    else:
        from whoosh import index as windex
        from whoosh.qparser import OrGroup, QueryParser
        ix = windex.open_dir(index_dir)
        searcher = ix.searcher()
        parser = QueryParser("text", ix.schema, **({"group": OrGroup} if system == "plain OR" else {}))
        run = lambda q, limit=10: [hit["data"] for hit in searcher.search(parser.parse(q), limit=limit)]  # noqa: E731
    counts = {q: len(run(q, limit=None)) for q in QUERIES}  # untimed pass: matches; caches, lazy loads
    for q in QUERIES:
        run(q)
    latencies: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(repeats):
        for q in QUERIES:
            t0 = time.perf_counter()
            run(q)
            latencies[q].append((time.perf_counter() - t0) * 1000)
    queue.put({"latencies_ms": latencies, "hits": counts, "peak_mb": peak_mb()})


def in_child(fn, *args) -> dict:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=fn, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def size_mb(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1)


# ---------------------------------------------------------------------------------------- measurements

def real_index_rate(work: Path, rounds: int = 3) -> dict:
    """claims/s of `indexing.index_articles` (the `claimsearch index` path, extraction replayed) against
    plain Whoosh adding the same claims with one writer, on the sample corpus, median of `rounds`."""
    from whoosh import index as windex

    from claimsearch.indexing import index_articles
    from claimsearch.models import ExtractedArticle

    extracted = [ExtractedArticle.model_validate_json(line)
                 for line in (work / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    by_path = {str(Path(e.article.path).resolve()): e for e in extracted}
    replay = lambda paths, lang: (by_path[str(p)] for p in paths if str(p) in by_path)  # noqa: E731
    claims = {c.id: c for e in extracted for c in e.claims}
    ours, plain = [], []
    for r in range(rounds):
        for system in (("ours", "plain") if r % 2 == 0 else ("plain", "ours")):
            folder = work / f"rate-{system}-{r}"
            if system == "ours":
                t, report = timed(index_articles, [SAMPLE], folder, extractor=replay)
                ours.append(t)
            else:
                def plain_build():
                    folder.mkdir()
                    ix = windex.create_in(str(folder), plain_schema())
                    writer = ix.writer()
                    for c in claims.values():
                        writer.add_document(**plain_document(c))
                    writer.commit()
                t, _ = timed(plain_build)
                plain.append(t)
            shutil.rmtree(folder)
    n = len(claims)
    return {"claims": n, "ours_s": ours, "plain_s": plain, "ours_per_s": n / median(ours),
            "plain_per_s": n / median(plain), "ratio": median(plain) / median(ours)}


def cold_start(index_dir: Path, runs: int = 5) -> dict:
    """Wall time of `claimsearch query` in a fresh process against `python -c "import whoosh"`."""
    exe = shutil.which("claimsearch") or str(Path(sys.executable).parent / "claimsearch")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import whoosh"': [sys.executable, "-c", "import whoosh"],
        'python -c "from whoosh import index, qparser"': [sys.executable, "-c", "from whoosh import index, qparser"],
        'claimsearch query "Starlink Taïwan"': [exe, "query", "Starlink Taïwan", "--index", str(index_dir)],
    }
    walls = {}
    for name, cmd in commands.items():
        subprocess.run(cmd, capture_output=True, cwd=ROOT)  # warm the file cache
        times = []
        for _ in range(runs):
            t, done = timed(subprocess.run, cmd, capture_output=True, cwd=ROOT)
            times.append(t)
        walls[name] = {"median_s": median(times), "runs_s": times, "exit": done.returncode}
    imports = subprocess.run([sys.executable, "-X", "importtime", "-m", "claimsearch", "query", "Starlink Taïwan",
                              "--index", str(index_dir)], capture_output=True, text=True, cwd=ROOT).stderr
    loaded = sorted({line.split("|")[-1].strip().split(".")[0] for line in imports.splitlines() if "|" in line})
    return {"walls": walls, "spacy_loaded": "spacy" in loaded, "dask_loaded": "dask" in loaded or "distributed" in loaded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--claims", help="a `claimsearch extract --out` folder instead of extracting the sample corpus")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed passes over the queries")
    parser.add_argument("--work", help="folder for the indexes (default: a temporary one, removed at the end)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    m = machine()
    print(f"machine: {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}; load average {os.getloadavg()[0]:.1f}")
    work = Path(args.work or tempfile.mkdtemp(prefix="claimsearch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("claimsearch", "plain", "cold"):  # indexes of an earlier run would be grown, not rebuilt
        shutil.rmtree(work / stale, ignore_errors=True)
    started = time.perf_counter()

    t, claims_path = timed(load_claims, args.claims, work)
    distinct = len(claims_path.read_text(encoding="utf-8").splitlines())
    print(f"corpus: {distinct} distinct claims from {SAMPLE.relative_to(ROOT)} ({t:.0f} s to get them); "
          f"larger indexes replicate them with new ids (id~k, article~k), same texts")

    print("\n== index build, the real `claimsearch index` path (commit every 8 articles, at most every 2 s) vs plain Whoosh (one commit) ==")
    rate = real_index_rate(work)
    print(f"sample corpus, {rate['claims']} claims, median of 3: claimsearch {rate['ours_per_s']:.0f} claims/s, "
          f"plain Whoosh {rate['plain_per_s']:.0f} claims/s; ratio {rate['ratio']:.2f}  {verdict(rate['ratio'], 0.8)}")

    print(f"\n== growing indexes: bulk writer (procs=1, limitmb=512), {len(QUERIES)} queries × {args.repeats} passes, top 10 ==")
    print(f"{'claims':>8} {'system':>12} {'build s':>8} {'claims/s':>9} {'size MB':>8} {'build MB':>9} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'query MB':>9} {'matches':>8}")
    rows, previous = [], 0
    for size in sizes:
        row = {"claims": size}
        for system in ("claimsearch", "plain", "plain OR"):
            folder = work / ("plain" if system == "plain OR" else system)
            if system != "plain OR":  # the OR parser queries the plain index built just before
                b = in_child(build, system, str(folder), str(claims_path), previous, size)
            q = in_child(query, system, str(folder), args.repeats)
            flat = [x for xs in q["latencies_ms"].values() for x in xs]
            row[system] = {"build_s": b["seconds"], "commit_s": b["commit_s"], "added": size - previous,
                           "claims_per_s": (size - previous) / b["seconds"], "size_mb": size_mb(folder),
                           "build_peak_mb": b["peak_mb"], "docs": b["docs"], "p50_ms": median(flat),
                           "p95_ms": percentile(flat, 95), "max_ms": max(flat), "query_peak_mb": q["peak_mb"],
                           "per_query_median_ms": {k: median(v) for k, v in q["latencies_ms"].items()},
                           "matches": q["hits"], "matches_median": median(list(q["hits"].values()))}
            r = row[system]
            built = (f"{r['build_s']:>8.1f} {r['claims_per_s']:>9.0f} {r['size_mb']:>8.1f} {r['build_peak_mb']:>9.0f}"
                     if system != "plain OR" else f"{'(same index as plain)':>37}")
            print(f"{size:>8} {system:>12} {built} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} {r['max_ms']:>7.1f} "
                  f"{r['query_peak_mb']:>9.0f} {r['matches_median']:>8.0f}")
        ours, plain, plain_or = row["claimsearch"], row["plain"], row["plain OR"]
        row["ratio_p50"] = ours["p50_ms"] / plain["p50_ms"]
        row["ratio_p95"] = ours["p95_ms"] / plain["p95_ms"]
        row["ratio_p50_or"] = ours["p50_ms"] / plain_or["p50_ms"]
        row["ratio_p95_or"] = ours["p95_ms"] / plain_or["p95_ms"]
        row["ratio_build"] = ours["claims_per_s"] / plain["claims_per_s"]
        print(f"{size:>8} {'ratios':>12}  latency claimsearch/plain: median {row['ratio_p50']:.2f} "
              f"{verdict(row['ratio_p50'], 1.3, higher_is_better=False)}, p95 {row['ratio_p95']:.2f} "
              f"{verdict(row['ratio_p95'], 1.3, higher_is_better=False)}")
        print(f"{'':>8} {'':>12}  latency claimsearch/plain OR: median {row['ratio_p50_or']:.2f}, p95 {row['ratio_p95_or']:.2f}; "
              f"build claims/s claimsearch/plain {row['ratio_build']:.2f} {verdict(row['ratio_build'], 0.8)}")
        if size == 100_000:
            print(f"{'':>8} {'':>12}  p95 at 100k claims: {ours['p95_ms']:.1f} ms  {verdict(ours['p95_ms'], 50, higher_is_better=False)}")
        rows.append(row)
        previous = size
        slowest = sorted(ours["per_query_median_ms"].items(), key=lambda kv: -kv[1])[:3]
        print(f"{'':>8} {'':>12}  slowest claimsearch queries (median ms): " + ", ".join(f"{k!r} {v:.1f}" for k, v in slowest))

    print("\n== `claimsearch query` cold start (fresh process, median of 5, index of the first size) ==")
    cold_dir = work / "cold"
    in_child(build, "claimsearch", str(cold_dir), str(claims_path), 0, sizes[0])
    cold = cold_start(cold_dir)
    for name, w in cold["walls"].items():
        print(f"{name:<48} {w['median_s']:.3f} s  (exit {w['exit']})")
    query_wall = cold["walls"]['claimsearch query "Starlink Taïwan"']["median_s"]
    whoosh_wall = cold["walls"]['python -c "import whoosh"']["median_s"]
    print(f"claimsearch query: {query_wall:.3f} s  {verdict(query_wall, 0.5, higher_is_better=False)}; "
          f"{query_wall / whoosh_wall:.1f}× `import whoosh`; spaCy imported: {'YES' if cold['spacy_loaded'] else 'no'}; "
          f"Dask imported: {'YES' if cold['dask_loaded'] else 'no'}")

    total = time.perf_counter() - started
    print(f"\ntotal {total / 60:.1f} min; load average at the end {os.getloadavg()[0]:.1f}")
    path = save("search", {"command": "python benchmarks/bench_search.py --sizes " + args.sizes,
                           "replicated": "claims of the sample corpus, copy k with ids <id>~k and <article>~k",
                           "distinct_claims": distinct, "queries": QUERIES, "repeats": args.repeats,
                           "index_rate_sample": rate, "sizes": rows, "cold_start": cold,
                           "load_average_end": os.getloadavg(), "total_s": total})
    print(f"results: {path.relative_to(ROOT)}")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
