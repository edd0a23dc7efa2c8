"""Search quality by meaning, in two halves: what the hybrid ranking's constants were chosen on and
what checks them. Prints query top-k and MRR@10 of each mode on `shared/semantic`, and of hybrid on
the exact-wording queries of `shared/gold`, for the queries of even position (the tuning half), of
odd position (the check half) and for all. The index holds what `shared/tools/score.py` indexes
(the gold articles and every corpus article as distractors), built once into --index.

    python benchmarks/eval_meaning.py [--shared ../shared] [--index /tmp/claimsearch-eval]

Position: the queries in file-name order, then in their order inside each file, counted from 0.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from claimsearch.evaluation import contains
from claimsearch.indexing import index_articles
from claimsearch.searching import ClaimIndex


def queries(folder: Path) -> tuple[list[dict], list[Path]]:
    """Every query of the gold files in `folder`, with its position, and the articles they are about."""
    out, articles = [], []
    for f in sorted(folder.glob("*.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        if "claims" in gold:
            articles.append((f.parent / gold["file"]).resolve())
        for q in gold.get("queries", []):
            out.append(dict(q, position=len(out)))
    return out, articles


def ranks(idx: ClaimIndex, qs: list[dict], mode: str) -> list[int | None]:
    found = []
    for q in qs:
        want = q.get("top1") or q["top3"]
        hits = idx.search(q["q"], mode=mode, limit=10)
        found.append(next((i for i, h in enumerate(hits, 1) if contains(h.text, want)), None))
    return found


def halves(qs: list[dict], found: list[int | None]) -> str:
    """Share of queries whose claim is in the first k (k = 1 for a `top1` query, 3 for a `top3` one), and MRR@10."""
    parts = []
    for name, keep in (("tuning half", 0), ("check half", 1), ("all", None)):
        rs = [(q, r) for q, r in zip(qs, found) if keep is None or q["position"] % 2 == keep]
        top = sum(1 for q, r in rs if r and r <= (1 if "top1" in q else 3))
        mrr = sum(1 / r for _, r in rs if r) / len(rs)
        parts.append(f"{name}: in top k {top / len(rs):.3f} ({top}/{len(rs)}) MRR {mrr:.3f}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--index", type=Path, default=Path("/tmp/claimsearch-eval"))
    args = parser.parse_args()
    semantic, articles = queries(args.shared / "semantic")
    gold, gold_articles = queries(args.shared / "gold")
    if not args.index.exists():
        mine = set(articles) | set(gold_articles)
        extra = [p for p in sorted((args.shared / "corpus").rglob("*.txt")) if p.resolve() not in mine]
        t = time.perf_counter()
        report = index_articles([*sorted(mine), *extra], args.index, workers=2)
        print(f"indexed {len(mine) + len(extra)} articles in {time.perf_counter() - t:.0f} s; "
              f"{len(report.errors)} errors")
    with ClaimIndex(args.index) as idx:
        for mode in ("words", "meaning", "hybrid"):
            print(f"semantic {mode:8s} {halves(semantic, ranks(idx, semantic, mode))}", flush=True)
        print(f"gold     {'hybrid':8s} {halves(gold, ranks(idx, gold, 'hybrid'))}")


if __name__ == "__main__":
    main()
