"""The regression gate: per-field scores on the gold fixtures may not drop below their pinned floors.

Floors live in benchmarks/eval_baseline.json with a hash of the annotations; re-pin with
`python benchmarks/pin_quality.py` (it refuses to lower a floor without --allow-regression).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import pin_quality  # noqa: E402

BASELINE = json.loads((ROOT / "benchmarks" / "eval_baseline.json").read_text())


def test_gold_annotations_unchanged_since_pinning():
    assert pin_quality.gold_hash() == BASELINE["gold_sha256"], "gold files changed: re-pin the floors"


@pytest.fixture(scope="module")
def measured():
    return pin_quality.measure()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_scores_hold_their_floors(measured, lang):
    below = {k: (measured[lang].get(k), floor) for k, floor in BASELINE["floors"][lang].items()
             if measured[lang].get(k, 0.0) < floor}
    assert not below, f"{lang}: scores below their pinned floor (measured, floor): {below}"
