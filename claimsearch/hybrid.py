"""Search by meaning, and the word ranking fused with it; the same claim across articles.

`words` is the BM25F ranking of searching.py; `meaning` ranks claims by the cosine of their vector
with the query's (vectors.py), so a paraphrase or a translation is found; `hybrid` (the default)
puts the claims that have every word of the query, or most of them (MOST), first, in the word
ranking's order (exact wording wins when it is there), then blends the two scores of the others
(`fuse`). A query that asks for
words (operators, "phrases", or a name or keyword or two) and a request for every match are
answered by the word search alone (`by_words`).

The blend and its two constants were chosen on half of shared/semantic and checked on the other
half and on the exact-wording gold queries (benchmarks/README.md, "Search by meaning").
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np

Mode = Literal["words", "meaning", "hybrid"]
MODES = ("words", "meaning", "hybrid")
WORDS_SHARE = 0.15  # the word score's share of the blend; the meaning score has the rest
# the share of the query's words and names from which a claim counts as a word match, as one with every
# word does (all but one of four or more): on the exact-wording gold queries, top1 0.962 → 0.977;
# on shared/semantic, whose queries avoid the claim's words, no change anywhere between 0.6 and 0.75
MOST = 0.7
DEPTH = 20  # how far down each ranking the blend looks (deeper let far-off claims in: MRR 0.79 → 0.76)
MIN_WORDS = 3  # a shorter query is a name or keywords: its words say what is wanted
# the least cosine of two centred claim vectors (vectors.centred) that say the same thing, in two
# articles or two languages; measured in benchmarks/README.md (the relays of tests/fixtures/relay:
# 0.57 and 0.60; the closest claim of another article is above it for 0.7% of the claims of the
# gold articles, which relay nothing; at 0.5, 3%)
SAME = 0.55
_STRUCTURE = re.compile(r'\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|["()]')
_FIELD = re.compile(r'\b\w+:(?:"[^"]*"|\S+)')


def check_mode(mode: str) -> None:
    from .errors import QueryError

    if mode not in MODES:
        raise QueryError(f"unknown search mode {mode!r}: use one of {', '.join(MODES)}")


def free_text(query: str) -> str:
    """The words a vector is computed from: the query without its field:value filters."""
    return " ".join(_FIELD.sub(" ", query).split())


def structured(query: str) -> bool:
    """Whether the query spells out which words must be there (operators, phrases, groups)."""
    return bool(_STRUCTURE.search(_FIELD.sub(" ", query)))


def by_words(query: str, limit: int | None) -> bool:
    """Whether a hybrid search is the word search itself: when the query spells out which words must
    be there (operators, phrases, groups), when it is a name or a keyword or two (fewer than
    MIN_WORDS words once stop words are dropped: "CGT", "Starlink Taïwan"), or when every match is
    asked for (`limit` None: claims close in meaning are not matches)."""
    from .analysis import terms

    return limit is None or structured(query) or len(terms(free_text(query))) < MIN_WORDS


def nearest(scores: np.ndarray, docs: np.ndarray, depth: int | None) -> list[tuple[float, int]]:
    """(cosine, doc) of the `depth` best documents among `docs`, best first (equal cosines: lower doc)."""
    if not len(docs):
        return []
    picked = scores[docs]
    if depth is not None and depth < len(docs):
        top = np.argpartition(-picked, depth - 1)[:depth]
    else:
        top = np.arange(len(docs))
    order = top[np.lexsort((docs[top], -picked[top]))]
    return [(float(picked[i]), int(docs[i])) for i in order]


def fuse(first: Sequence[int], some: Sequence[tuple[float, int]], near: Sequence[int],
         cosines: np.ndarray, limit: int | None) -> list[tuple[float, int]]:
    """The hybrid ranking: (score, doc), best first.

    `first`: the claims with every word or name of the query, or most of them (MOST), in the word
    ranking's order; they come first, scored above 1. The others, `some` ((BM25F score, doc): claims
    with some of the words) and `near` (the closest claims by meaning), are ranked by a blend of the
    word score over the best one and the cosine rescaled between the lowest and highest cosine of
    those candidates: a paraphrase shares a word or two with many claims, and those must not
    outvote its meaning, while a claim with most of the query's names still rises. Measured against
    reciprocal-rank fusion, which weighs a rank the same whatever the gaps between scores: on the
    tuning half of shared/semantic MRR 0.73 → 0.81.
    """
    matches = list(dict.fromkeys(first))
    ahead = {d: 1.0 + (len(matches) - i) / len(matches) for i, d in enumerate(matches)}
    words = {d: s for s, d in some if d not in ahead}
    rest = [d for d in dict.fromkeys([*words, *near]) if d not in ahead]
    top = max(words.values(), default=0.0) or 1.0
    cos = cosines[np.asarray(rest, dtype=np.int64)] if rest else np.zeros(0, dtype=np.float32)
    lo, hi = (float(cos.min()), float(cos.max())) if rest else (0.0, 1.0)
    blend = [(WORDS_SHARE * words.get(d, 0.0) / top + (1 - WORDS_SHARE) * (float(c) - lo) / max(hi - lo, 1e-9), d)
             for d, c in zip(rest, cos)]
    scored = [(s, d) for d, s in ahead.items()] + sorted(blend, key=lambda x: -x[0])
    return [(round(s, 6), d) for s, d in scored[:limit]]


def fold(docs: Sequence[int], vectors: np.ndarray, articles: Sequence[str], limit: int | None) -> list[tuple[int, list[int]]]:
    """Near-duplicates folded into the first (best-ranked) of them: (doc, [docs folded into it]).

    A claim folds into a kept one when their centred cosine is at least SAME and it comes from another
    article (two claims of one article are two claims, however alike).
    """
    from .vectors import centred

    vectors = centred(vectors)
    kept: list[tuple[int, list[int]]] = []
    rows: list[np.ndarray] = []
    for i, doc in enumerate(docs):
        v = vectors[i]
        home = next((k for k, r in enumerate(rows) if float(r @ v) >= SAME
                     and articles[i] not in {articles[docs.index(d)] for d in [kept[k][0], *kept[k][1]]}), None)
        if home is None:
            if limit is not None and len(kept) >= limit:
                continue
            kept.append((doc, []))
            rows.append(v)
        else:
            kept[home][1].append(doc)
    return kept
