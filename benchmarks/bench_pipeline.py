"""Extraction speed: the whole claimsearch pipeline against spaCy alone on the same texts, and two
cores against one (a process pool, and Dask workers). Prints figures and ratios, writes
benchmarks/results/pipeline.json.

    python benchmarks/bench_pipeline.py [--rounds 3]

Baselines run in this same process on the same articles (the sample corpus), in alternating order,
and each figure is the median of the rounds. Models are loaded before any timing (load time is
printed apart): the figures are steady-state throughput.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SAMPLE, child_peak, machine, median, peak_mb, save, timed, verdict  # noqa: E402

from claimsearch.attribution import attribute  # noqa: E402
from claimsearch.cleaning import clean  # noqa: E402
from claimsearch.models import Article  # noqa: E402
from claimsearch.normalise import normalise  # noqa: E402
from claimsearch.pipeline import extract  # noqa: E402
from claimsearch.reading import read_articles  # noqa: E402
from claimsearch.sentences import nlp_for, paragraphs, split  # noqa: E402


def spacy_paragraphs(articles: list[Article]) -> None:
    """spaCy alone, fed exactly as `sentences.split` feeds it: one nlp.pipe per article, over its paragraphs."""
    for a in articles:
        list(nlp_for(a.lang).pipe(a.text[s:e] for s, e in paragraphs(a.text)))


def spacy_whole(articles: list[Article]) -> None:
    """spaCy alone as one would first write it: nlp.pipe over whole article texts, per language."""
    for lang in ("fr", "en"):
        list(nlp_for(lang).pipe(a.text for a in articles if a.lang == lang))


def pipeline(articles: list[Article]) -> None:
    for a in articles:
        extract(a)


def stages(articles: list[Article]) -> dict[str, float]:
    """Seconds spent in each stage over the corpus (one pass)."""
    spent = {"clean": 0.0, "split (spaCy + Sentence models)": 0.0, "attribute + normalise": 0.0}
    for a in articles:
        t, cleaned = timed(clean, a)
        spent["clean"] += t
        t, sentences = timed(split, cleaned)
        spent["split (spaCy + Sentence models)"] += t
        t, _ = timed(lambda: normalise(attribute(sentences, cleaned), cleaned))
        spent["attribute + normalise"] += t
    return spent


def _warm() -> None:
    nlp_for("fr"), nlp_for("en")


def _warm_and_wait(ready) -> None:
    _warm()
    ready.wait()


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def pools_run(articles: list[Article], sizes: tuple[int, ...], rounds: int) -> dict[int, list[float]]:
    """Wall seconds of warm process pools (one per size, all alive at once) extracting the corpus.

    The pools take turns, round after round, so that other work on a shared machine weighs on
    every size alike rather than on whichever ran during a busy spell.
    """
    ctx = multiprocessing.get_context("spawn")
    pools = {}
    try:
        for n in sizes:
            ready = ctx.Barrier(n + 1)
            pools[n] = ctx.Pool(n, initializer=_warm_and_wait, initargs=(ready,))
            ready.wait()  # every worker of this pool has loaded both models
        times: dict[int, list[float]] = {n: [] for n in sizes}
        for _ in range(rounds):
            for n, pool in pools.items():
                times[n].append(timed(pool.map, extract, articles, 1)[0])
        return times
    finally:
        for pool in pools.values():
            pool.terminate()


def cpu_capacity(cores: int) -> float:
    """How many cores' worth of plain Python this machine gives right now (other work takes some)."""
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        pool.map(_spin, [1000] * cores)
        one, _ = timed(pool.map, _spin, [10_000_000])
        many, _ = timed(pool.map, _spin, [10_000_000] * cores, 1)
    return cores * one / many


def dask_runs(folder: Path, sizes: tuple[int, ...], rounds: int) -> tuple[dict[int, list[float]], dict[int, float]]:
    """Dask: (seconds on warm workers, taking turns as in `pools_run`; seconds end to end with
    cluster start and model loads, one run each)."""
    from distributed import Client, LocalCluster

    from claimsearch.distributed import extract_to_shards

    cold = {}
    with tempfile.TemporaryDirectory() as out:
        for n in sizes:
            cold[n], _ = timed(extract_to_shards, [folder], out, workers=n)
        clusters = {n: LocalCluster(n_workers=n, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0")
                    for n in sizes}
        try:
            for cluster in clusters.values():
                with Client(cluster) as client:
                    client.run(_warm)
            warm: dict[int, list[float]] = {n: [] for n in sizes}
            for _ in range(rounds):
                for n, cluster in clusters.items():
                    warm[n].append(timed(extract_to_shards, [folder], out, scheduler=cluster.scheduler_address)[0])
        finally:
            for cluster in clusters.values():
                cluster.close()
    return warm, cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cores = machine()["cores"]
    print(f"machine: {cores} cores, Python {machine()['python']}; load average {os.getloadavg()[0]:.1f}; "
          f"corpus: {SAMPLE.relative_to(SAMPLE.parent.parent)}")

    articles = [a for a in read_articles([SAMPLE]) if isinstance(a, Article)]
    words = sum(len(a.text.split()) for a in articles)
    langs = {lang: sum(a.lang == lang for a in articles) for lang in ("fr", "en")}
    print(f"{len(articles)} articles ({langs['fr']} fr, {langs['en']} en), {words} words (whitespace-separated)")
    load, _ = timed(_warm)
    print(f"spaCy models loaded in {load:.1f} s (not in the figures below)")
    pipeline(articles)  # one untimed pass: language data, alias table, spaCy's vocabulary and lemma caches

    runs: dict[str, list[float]] = {"pipeline": [], "spacy_paragraphs": [], "spacy_whole": []}
    fns = {"pipeline": pipeline, "spacy_paragraphs": spacy_paragraphs, "spacy_whole": spacy_whole}
    for r in range(args.rounds):
        order = list(fns) if r % 2 == 0 else list(reversed(fns))
        for name in order:
            runs[name].append(timed(fns[name], articles)[0])
    secs = {k: median(v) for k, v in runs.items()}
    wps = {k: words / v for k, v in secs.items()}
    ratio_strict = wps["pipeline"] / wps["spacy_paragraphs"]
    ratio_whole = wps["pipeline"] / wps["spacy_whole"]
    print(f"\n== one process, median of {args.rounds} rounds ==")
    print(f"claimsearch pipeline (read articles → claims)   {secs['pipeline']:6.2f} s  {wps['pipeline']:7.0f} words/s")
    print(f"spaCy alone, same paragraphs as the pipeline    {secs['spacy_paragraphs']:6.2f} s  {wps['spacy_paragraphs']:7.0f} words/s")
    print(f"spaCy alone, whole article texts                {secs['spacy_whole']:6.2f} s  {wps['spacy_whole']:7.0f} words/s")
    print(f"ratio pipeline / spaCy (same paragraphs): {ratio_strict:.2f}  {verdict(ratio_strict, 0.85)}")
    print(f"ratio pipeline / spaCy (whole texts):     {ratio_whole:.2f}")
    spent = stages(articles)
    print("stages (one pass): " + ", ".join(f"{k} {v:.2f} s" for k, v in spent.items()))

    print(f"\n== {cores} cores against one (warm workers: models loaded before timing; {args.rounds} rounds, taking turns) ==")
    capacity = cpu_capacity(cores)
    print(f"load average {os.getloadavg()[0]:.1f}; {cores} processes of plain Python run at {capacity:.2f}× one right now "
          "(a shared machine: other work takes cores from the parallel figures)")
    pools = pools_run(articles, (1, cores), args.rounds)
    pool1, pool2 = median(pools[1]), median(pools[cores])
    best1, best2 = min(pools[1]), min(pools[cores])
    print(f"process pool, 1 process:     median {pool1:6.2f} s  {words / pool1:7.0f} words/s;  best {best1:6.2f} s")
    print(f"process pool, {cores} processes:   median {pool2:6.2f} s  {words / pool2:7.0f} words/s;  best {best2:6.2f} s")
    speedup_pool = pool1 / pool2
    print(f"speed-up, pool {cores} vs 1: {speedup_pool:.2f}× (medians)  {verdict(speedup_pool, 1.6)};  "
          f"{best1 / best2:.2f}× (best runs)")
    speedup_single = secs["pipeline"] / pool2
    print(f"speed-up, pool {cores} vs the plain one-process loop above: {speedup_single:.2f}×")
    warm, cold = dask_runs(SAMPLE, (1, cores), args.rounds)
    dask1, dask2 = median(warm[1]), median(warm[cores])
    dask1_cold, dask2_cold = cold[1], cold[cores]
    speedup_dask = dask1 / dask2
    print(f"Dask LocalCluster, 1 worker:  median {dask1:6.2f} s warm ({words / dask1:5.0f} words/s), best {min(warm[1]):6.2f} s; "
          f"{dask1_cold:6.2f} s end to end")
    print(f"Dask LocalCluster, {cores} workers: median {dask2:6.2f} s warm ({words / dask2:5.0f} words/s), best {min(warm[cores]):6.2f} s; "
          f"{dask2_cold:6.2f} s end to end")
    print(f"speed-up, Dask {cores} workers vs 1: {speedup_dask:.2f}× warm (medians)  {verdict(speedup_dask, 1.6)};  "
          f"{min(warm[1]) / min(warm[cores]):.2f}× (best runs); {dask1_cold / dask2_cold:.2f}× end to end "
          "(cluster start and model loads included)")

    extract_peak, _ = child_peak("from claimsearch.pipeline import extract_many\n"
                                 f"for _ in extract_many([{str(SAMPLE)!r}]): pass")
    print(f"\npeak memory, extracting the corpus in one fresh process: {extract_peak:.0f} MB "
          f"(this benchmark process: {peak_mb():.0f} MB)")

    path = save("pipeline", {
        "command": "python benchmarks/bench_pipeline.py", "rounds": args.rounds, "articles": len(articles),
        "words": words, "model_load_s": round(load, 2), "seconds": {k: round(v, 3) for k, v in secs.items()},
        "runs": runs, "words_per_s": {k: round(v) for k, v in wps.items()},
        "ratio_pipeline_vs_spacy_same_paragraphs": round(ratio_strict, 3),
        "ratio_pipeline_vs_spacy_whole_texts": round(ratio_whole, 3),
        "stages_s": {k: round(v, 3) for k, v in spent.items()},
        "cpu_capacity": round(capacity, 2), "pool_runs_s": {str(k): v for k, v in pools.items()},
        "pool_s": {"1": round(pool1, 3), str(cores): round(pool2, 3)}, "speedup_pool": round(speedup_pool, 3),
        "speedup_pool_best": round(best1 / best2, 3), "dask_runs_s": {str(k): v for k, v in warm.items()},
        "speedup_pool_vs_plain_loop": round(speedup_single, 3),
        "dask_warm_s": {"1": round(dask1, 3), str(cores): round(dask2, 3)},
        "dask_end_to_end_s": {"1": round(dask1_cold, 3), str(cores): round(dask2_cold, 3)},
        "speedup_dask_warm": round(speedup_dask, 3), "speedup_dask_end_to_end": round(dask1_cold / dask2_cold, 3),
        "peak_mb_extract": extract_peak, "load_average_end": os.getloadavg(),
    })
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print(f"results: {path.relative_to(path.parent.parent.parent)}")


if __name__ == "__main__":
    main()
