"""What a claim is about when it does not write the name: the cases in cases/entities.json, one per
construction, written for it; a known failure is a strict xfail, so a fix is noticed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimsearch.folding import fold
from claimsearch.pipeline import extract_claims

CASES = json.loads((Path(__file__).parent / "cases" / "entities.json").read_text(encoding="utf-8"))["cases"]


def _marks(case: dict) -> list:
    return [pytest.mark.xfail(reason=case["known_failure"], strict=True)] if case.get("known_failure") else []


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=_marks(c)) for c in CASES])
def test_case(case):
    claims = extract_claims(case.get("title", "Titre neutre") + "\n\n" + case["text"], lang=case["lang"])
    claim = next((c for c in claims if fold(case["claim"]) in fold(c.text)), None)
    assert claim is not None, f"no claim holds {case['claim']!r}: {[c.text for c in claims]}"
    carried = [fold(e) for e in claim.entities]
    for want in case["entities"]:
        assert fold(want) in carried, f"{claim.text!r}: {want!r} not in {claim.entities}"
    for unwanted in case.get("not_entities", []):
        assert fold(unwanted) not in carried, f"{claim.text!r}: {unwanted!r} in {claim.entities}"
