"""What claim vectors cost: indexing with and without them, hybrid and meaning queries against
words only, index size and memory with and without vectors. Prints figures and ratios, writes
benchmarks/results/vectors.json.

    python benchmarks/bench_vectors.py [--sizes 10000,100000] [--rounds 2] [--workers 2]
                                       [--skip-indexing] [--work DIR] [--name vectors]

Indexing: `index_articles` on the sample corpus with `--workers` processes (as `claimsearch index
--workers 2`), the real path (vectors computed beside the parse, in the workers), against the same
run with the vector step taken out (the extractor does not embed and the indexer stores no vector:
a benchmark-only patch). Rounds alternate the two. Queries: indexes of `--sizes` claims that
replicate the corpus's claims with their vectors (new ids, as bench_search.py does), built in bulk
once with vectors and once without; each query mode timed on the same queries, searcher kept open,
in a fresh process (its own peak memory).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import QUERIES, in_child, replicas, size_mb  # noqa: E402
from common import ROOT, SAMPLE, machine, median, peak_mb, percentile, save, timed, verdict  # noqa: E402

PARAPHRASES = [  # meaning queries, written for this benchmark (not those of shared/semantic)
    "the president may declare a national emergency to fund the wall",
    "Poutine voulait que Musk coupe internet au-dessus de Taïwan",
    "drones set Saudi oil plants on fire", "le gouvernement grec veut ouvrir le gazoduc aux autres pays",
    "ship vanished near Indonesia", "des emplois supprimés chez un constructeur automobile",
]
REPEATS = 3


def _no_vectors(extracted):
    return [None] * len(extracted.claims)


def index_run(folder: Path, workers: int, with_vectors: bool) -> float:
    """Seconds of one `index_articles` run over the sample corpus into a new index."""
    from claimsearch import indexing
    from claimsearch.pipeline import extract_many

    shutil.rmtree(folder, ignore_errors=True)
    if with_vectors:
        t, report = timed(indexing.index_articles, [SAMPLE], folder, workers=workers)
    else:
        real = indexing._claim_vectors
        indexing._claim_vectors = _no_vectors
        try:
            extractor = lambda paths, lang: extract_many(paths, lang=lang, workers=workers)  # noqa: E731
            t, report = timed(indexing.index_articles, [SAMPLE], folder, extractor=extractor)
        finally:
            indexing._claim_vectors = real
    assert not report.errors, report.errors
    return t


def load_claims(work: Path) -> tuple[Path, Path]:
    """The corpus's distinct claims as JSON lines, and their vectors (float16 rows, same order): read
    from the index the indexing runs built with vectors, else extracted and embedded here."""
    import numpy as np

    from claimsearch.models import Claim, ExtractedArticle
    from claimsearch.pipeline import extract_many
    from claimsearch.vectors import VECTOR_BYTES

    claims, rows = {}, {}
    built = work / "ix-with"
    if built.is_dir():
        from claimsearch.searching import CLAIMS, ClaimIndex

        with ClaimIndex(built) as idx:
            for hit in idx.searcher.search(CLAIMS, limit=None):
                c = Claim.model_validate_json(hit["data"])
                claims[c.id] = c
                rows[c.id] = idx.vectors.row(hit.docnum).astype(np.float16).tobytes()
    else:
        for r in extract_many([SAMPLE], workers=2, embed=True):
            if isinstance(r, ExtractedArticle):
                for i, c in enumerate(r.claims):
                    claims[c.id] = c
                    rows[c.id] = r.vectors[i * VECTOR_BYTES:(i + 1) * VECTOR_BYTES]
    path = work / "claims.jsonl"
    path.write_text("".join(c.model_dump_json() + "\n" for c in claims.values()), encoding="utf-8")
    vec_path = work / "vectors.npy"
    np.save(vec_path, np.frombuffer(b"".join(rows[i] for i in claims), dtype=np.uint8).reshape(len(claims), -1))
    return path, vec_path


def build(index_dir: str, claims_path: str, vectors_path: str, start: int, stop: int, with_vectors: bool, queue) -> None:
    """Child process: add claims start…stop-1 in bulk, one commit (as bench_search.py)."""
    import numpy as np

    from claimsearch import vectors
    from claimsearch.indexing import claim_document, open_index

    rows = np.load(vectors_path)
    ix = open_index(index_dir, create=True)
    items = list(replicas(Path(claims_path), start, stop))
    t0 = time.perf_counter()
    writer = ix.writer(procs=1, limitmb=512)
    for n, claim in enumerate(items, start):
        writer.add_document(**claim_document(claim, rows[n % len(rows)].tobytes() if with_vectors else None))
    writer.commit()
    vectors.warm(index_dir, ix)
    queue.put({"seconds": time.perf_counter() - t0, "peak_mb": peak_mb()})


def query(index_dir: str, repeats: int, queue) -> None:
    """Child process: latencies of each mode on the same queries, searcher (and vectors) kept in memory."""
    from claimsearch import vectors
    from claimsearch.searching import ClaimIndex

    idx = ClaimIndex(index_dir)
    t0 = time.perf_counter()
    idx.search("Starlink", mode="meaning")  # loads the vectors and the model
    first = time.perf_counter() - t0
    out = {"first_query_s": first}
    for mode in ("words", "hybrid", "meaning"):
        for q in QUERIES + PARAPHRASES:
            idx.search(q, mode=mode)
        lat, para, cpu = [], [], 0.0
        for _ in range(repeats):
            for q in QUERIES + PARAPHRASES:
                vectors._query_vector.cache_clear()  # each query's vector computed, as for a new query
                c, t = time.process_time(), time.perf_counter()
                idx.search(q, mode=mode)
                lat.append((time.perf_counter() - t) * 1000)
                cpu += time.process_time() - c
                if q in PARAPHRASES:
                    para.append(lat[-1])
        # the word queries are names and one or two words, which hybrid answers by words alone: the
        # paraphrases are the queries that pay for the query vector and the meaning ranking
        # CPU time (both threads of a hybrid query) is what a busy machine changes least
        out[mode] = {"p50_ms": median(lat), "p95_ms": percentile(lat, 95), "max_ms": max(lat),
                     "paraphrases_p95_ms": percentile(para, 95), "cpu_ms_mean": cpu * 1000 / len(lat)}
    out["peak_mb"] = peak_mb()
    queue.put(out)


def words_only_memory(index_dir: str, repeats: int, queue) -> None:
    """Child process: peak memory of words-only queries (vectors never loaded)."""
    from claimsearch.searching import ClaimIndex

    idx = ClaimIndex(index_dir)
    for q in QUERIES:
        idx.search(q, mode="words")
    queue.put({"peak_mb": peak_mb()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=2, help="indexing runs of each kind")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--skip-indexing", action="store_true", help="only the query part")
    parser.add_argument("--work", type=Path, help="keep the indexes here (default: a temporary folder, removed); "
                        "a later run with --skip-indexing reads the corpus's claims and vectors from it")
    parser.add_argument("--name", default="vectors", help="results file: benchmarks/results/NAME.json")
    args = parser.parse_args()
    m = machine()
    print(f"machine: {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}; load average {os.getloadavg()[0]:.1f}")
    work = args.work or Path(tempfile.mkdtemp(prefix="claimsearch-vectors-"))
    work.mkdir(parents=True, exist_ok=True)
    result: dict = {"command": "python " + " ".join(["benchmarks/bench_vectors.py", *sys.argv[1:]]),
                    "load_average_start": os.getloadavg()}
    try:
        if not args.skip_indexing:
            print(f"\n== `index --workers {args.workers}` on the sample corpus: with vectors vs without, {args.rounds} rounds each ==")
            runs = {True: [], False: []}
            for r in range(args.rounds):
                for with_vectors in ((True, False) if r % 2 == 0 else (False, True)):
                    t = index_run(work / ("ix-with" if with_vectors else "ix-without"), args.workers, with_vectors)
                    runs[with_vectors].append(t)
                    print(f"  round {r + 1}: {'with' if with_vectors else 'without'} vectors {t:.1f} s")
            ratio = median(runs[True]) / median(runs[False])
            print(f"indexing with vectors ÷ without: {ratio:.2f}  {verdict(ratio, 2.0, higher_is_better=False)}")
            result["indexing"] = {"with_s": runs[True], "without_s": runs[False], "ratio": ratio, "workers": args.workers}

        claims_path, vectors_path = load_claims(work)
        print(f"\n== queries: {len(QUERIES)} word queries + {len(PARAPHRASES)} paraphrases × {args.repeats}, top 10 ==")
        print(f"{'claims':>8} {'vectors':>8} {'build s':>8} {'size MB':>8} {'mode':>8} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'para p95':>8} {'CPU ms':>7} {'peak MB':>8}")
        rows, previous = [], 0
        for folder in (work / "with", work / "without"):  # built up size by size in this run
            shutil.rmtree(folder, ignore_errors=True)
        for size in [int(s) for s in args.sizes.split(",")]:
            row = {"claims": size}
            for with_vectors in (True, False):
                folder = work / ("with" if with_vectors else "without")
                b = in_child(build, str(folder), str(claims_path), str(vectors_path), previous, size, with_vectors)
                entry = {"build_s": b["seconds"], "size_mb": size_mb(folder)}
                if with_vectors:
                    q = in_child(query, str(folder), args.repeats)
                    entry.update(q)
                    for mode in ("words", "hybrid", "meaning"):
                        print(f"{size:>8} {'yes':>8} {b['seconds']:>8.1f} {entry['size_mb']:>8.1f} {mode:>8} "
                              f"{q[mode]['p50_ms']:>7.1f} {q[mode]['p95_ms']:>7.1f} {q[mode]['paraphrases_p95_ms']:>8.1f} "
                              f"{q[mode]['cpu_ms_mean']:>7.1f} {q['peak_mb']:>8.0f}")
                else:
                    entry.update(in_child(words_only_memory, str(folder), args.repeats))
                    print(f"{size:>8} {'no':>8} {b['seconds']:>8.1f} {entry['size_mb']:>8.1f} {'words':>8} "
                          f"{'':>7} {'':>7} {'':>8} {'':>7} {entry['peak_mb']:>8.0f}")
                row["with" if with_vectors else "without"] = entry
            w = row["with"]
            row["hybrid_over_words_p95"] = w["hybrid"]["p95_ms"] / w["words"]["p95_ms"]
            row["paraphrases_hybrid_over_words_p95"] = w["hybrid"]["paraphrases_p95_ms"] / w["words"]["paraphrases_p95_ms"]
            row["size_ratio"] = w["size_mb"] / row["without"]["size_mb"]
            row["memory_ratio"] = w["peak_mb"] / row["without"]["peak_mb"]
            print(f"{size:>8} ratios: hybrid p95 ÷ words p95 {row['hybrid_over_words_p95']:.2f} (paraphrases alone "
                  f"{row['paraphrases_hybrid_over_words_p95']:.2f}); index size with ÷ without "
                  f"{row['size_ratio']:.2f}; query memory with ÷ without {row['memory_ratio']:.2f}")
            if size == 100_000:
                print(f"{'':>8} hybrid p95 at 100k: {w['hybrid']['p95_ms']:.1f} ms  "
                      f"{verdict(w['hybrid']['p95_ms'], 30, higher_is_better=False)}; paraphrases alone "
                      f"{w['hybrid']['paraphrases_p95_ms']:.1f} ms")
            rows.append(row)
            previous = size
        result["sizes"] = rows
        result["load_average_end"] = os.getloadavg()
        path = save(args.name, result)
        print(f"results: {path.relative_to(ROOT)}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
