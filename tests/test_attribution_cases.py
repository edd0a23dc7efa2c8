"""Attribution on constructions of the language: the cases in cases/attributions.json, one per
construction, written for it; a known failure is a strict xfail, so a fix is noticed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimsearch.folding import fold
from claimsearch.pipeline import extract_claims

CASES = json.loads((Path(__file__).parent / "cases" / "attributions.json").read_text(encoding="utf-8"))["cases"]


def _marks(case: dict) -> list:
    return [pytest.mark.xfail(reason=case["known_failure"], strict=True)] if case.get("known_failure") else []


def _same(name: str, want: str) -> bool:
    return fold(want) in fold(name) or fold(name) in fold(want)


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=_marks(c)) for c in CASES])
def test_case(case):
    claims = extract_claims(case.get("title", "Titre neutre") + "\n\n" + case["text"], lang=case["lang"])
    claim = next((c for c in claims if fold(case["claim"]) in fold(c.text)), None)
    assert claim is not None, f"no claim holds {case['claim']!r}: {[c.text for c in claims]}"
    if not case["sources"]:
        assert not claim.sources, f"{claim.text!r} attributed to {claim.sources} ({claim.cue})"
    else:
        assert any(_same(s, w) for s in claim.sources for w in case["sources"]), (claim.sources, claim.cue)
    if "cue" in case:
        assert claim.cue and fold(case["cue"]) in fold(claim.cue), claim.cue
    if "speaker" in case:
        assert claim.speaker and _same(claim.speaker, case["speaker"]), claim.speaker
