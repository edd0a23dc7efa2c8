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


def pool_run(articles: list[Article], processes: int, rounds: int) -> float:
    """Median wall seconds for a warm process pool to extract the corpus (models loaded before timing)."""
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(processes + 1)
    with ctx.Pool(processes, initializer=_warm_and_wait, initargs=(ready,)) as pool:
        ready.wait()  # every worker has loaded both models
        return median([timed(pool.map, extract, articles, 1)[0] for _ in range(rounds)])


def _warm_and_wait(ready) -> None:
    _warm()
    ready.wait()


def dask_run(folder: Path, workers: int, rounds: int) -> tuple[float, float]:
    """(median seconds on warm workers, seconds end to end with cluster start and model loads) for Dask."""
    from distributed import Client, LocalCluster

    from claimsearch.distributed import extract_to_shards

    with tempfile.TemporaryDirectory() as out:
        cold, _ = timed(extract_to_shards, [folder], out, workers=workers)
        with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
            with Client(cluster) as client:
                client.run(_warm)
                warm = median([timed(extract_to_shards, [folder], out, scheduler=cluster.scheduler_address)[0]
                               for _ in range(rounds)])
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

    print(f"\n== {cores} cores against one (warm workers: models loaded before timing; median of {args.rounds}) ==")
    print(f"load average now {os.getloadavg()[0]:.1f}: other processes on this machine take cores from these figures")
    pool1 = pool_run(articles, 1, args.rounds)
    pool2 = pool_run(articles, cores, args.rounds)
    print(f"process pool, 1 process:     {pool1:6.2f} s  {words / pool1:7.0f} words/s")
    print(f"process pool, {cores} processes:   {pool2:6.2f} s  {words / pool2:7.0f} words/s")
    speedup_pool = pool1 / pool2
    print(f"speed-up, pool {cores} vs 1: {speedup_pool:.2f}×  {verdict(speedup_pool, 1.6)}")
    speedup_single = secs["pipeline"] / pool2
    print(f"speed-up, pool {cores} vs the plain one-process loop above: {speedup_single:.2f}×")
    dask1, dask1_cold = dask_run(SAMPLE, 1, args.rounds)
    dask2, dask2_cold = dask_run(SAMPLE, cores, args.rounds)
    speedup_dask = dask1 / dask2
    print(f"Dask LocalCluster, 1 worker:  {dask1:6.2f} s warm ({words / dask1:5.0f} words/s), {dask1_cold:6.2f} s end to end")
    print(f"Dask LocalCluster, {cores} workers: {dask2:6.2f} s warm ({words / dask2:5.0f} words/s), {dask2_cold:6.2f} s end to end")
    print(f"speed-up, Dask {cores} workers vs 1: {speedup_dask:.2f}× warm  {verdict(speedup_dask, 1.6)}; "
          f"{dask1_cold / dask2_cold:.2f}× end to end (cluster start and model loads included)")

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
        "pool_s": {"1": round(pool1, 3), str(cores): round(pool2, 3)}, "speedup_pool": round(speedup_pool, 3),
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
