"""Shared fixtures: real articles from tests/fixtures (Wikinews, CC BY 2.5; see fixtures/corpus/SOURCES.md)."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed" / "fr-03.txt"
GOLD = FIXTURES / "gold"
CORPUS = FIXTURES / "corpus"


@pytest.fixture(scope="session")
def fr03():
    """fr-03 extracted once per session: spaCy's parse is the slow part."""
    from claimsearch.pipeline import extract
    from claimsearch.reading import read_article

    return extract(read_article(SEED))


def claim_with(extracted, phrase: str):
    from claimsearch.evaluation import contains

    found = [c for c in extracted.claims if contains(c.text, phrase)]
    assert found, f"no claim contains {phrase!r}: {[c.text[:50] for c in extracted.claims]}"
    return found[0]
