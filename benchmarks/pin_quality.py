"""Re-pin the quality floors of tests/test_quality.py from a fresh evaluation.

    python benchmarks/pin_quality.py            # refuses to lower a floor
    python benchmarks/pin_quality.py --allow-regression

A floor is the measured score (extraction is deterministic); lowering one is a decision, so it needs the flag.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from claimsearch.evaluation import evaluate, gold_files

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BASELINE = ROOT / "benchmarks" / "eval_baseline.json"
MARGIN = 0.0  # the scorer is deterministic: a floor is the measured figure


def gold_hash() -> str:
    h = hashlib.sha256()
    for path in gold_files([FIXTURES / "seed", FIXTURES / "gold"]):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def measure() -> dict[str, dict[str, float]]:
    return {lang: evaluate([FIXTURES / "seed", FIXTURES / "gold"], lang=lang).table() for lang in ("fr", "en")}


def main() -> int:
    old = json.loads(BASELINE.read_text()) if BASELINE.exists() else {"floors": {}}
    scores = measure()
    floors = {lang: {k: round(max(0.0, v - MARGIN), 3) for k, v in table.items()} for lang, table in scores.items()}
    lowered = [f"{lang} {k}: {old['floors'][lang][k]} -> {v}" for lang, t in floors.items() for k, v in t.items()
               if k in old["floors"].get(lang, {}) and v < old["floors"][lang][k]]
    if lowered and "--allow-regression" not in sys.argv:
        print("refusing to lower floors (pass --allow-regression):\n  " + "\n  ".join(lowered))
        return 1
    BASELINE.write_text(json.dumps({"gold_sha256": gold_hash(), "margin": MARGIN, "scores": scores, "floors": floors},
                                   indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(scores, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
