"""Search by meaning, and the word ranking fused with it; the same claim across articles.

`words` is the BM25F ranking of searching.py; `meaning` ranks claims by the cosine of their vector
with the query's (vectors.py), so a paraphrase or a translation is found; `hybrid` (the default)
fuses the two rankings by reciprocal rank (each list gives a claim 1 / (K + rank)), with the word
ranking weighted by how many of the query's words a claim has, so a claim with the query's exact
words stays first. A query that asks for words (operators, "phrases", or a name or keyword or two)
and a request for every match are answered by the word search alone (`by_words`).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np

Mode = Literal["words", "meaning", "hybrid"]
MODES = ("words", "meaning", "hybrid")
K = 60  # reciprocal-rank constant (Cormack et al. 2009): flattens the difference between ranks 1 and 5
WORDS_WEIGHT = 1.0
MEANING_WEIGHT = 1.0
DEPTH = 50  # how far down each list the fusion looks
MIN_WORDS = 3  # a shorter query is a name or keywords: its words say what is wanted
# the least cosine of two centred claim vectors (vectors.centred) that say the same thing, in two
# articles or two languages; measured in benchmarks/README.md (relays 0.53–0.69; the closest claim
# of another article is above it for 1 claim in 100 of the gold articles, which relay nothing)
SAME = 0.5
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


def fuse(every: Sequence[int], some: Sequence[int], coverage: Sequence[float], meaning: Sequence[int],
         limit: int | None) -> list[tuple[float, int]]:
    """Reciprocal-rank fusion of the word ranking and the meaning ranking: (fused score, doc), best first.

    The word ranking is `every` (claims with every word or name of the query) then `some` (claims
    with some of them, `coverage` giving the share): a claim's word rank counts in full when it has
    every word, and by the square of its share otherwise. A paraphrase shares a word or two with
    many claims, and those must not outvote the meaning ranking; a claim with most of the query's
    names must not lose to one that is only close in meaning. Ties go to the word ranking's order.
    """
    words = [*every, *some]
    weights = [1.0] * len(every) + [c * c for c in coverage]
    score: dict[int, float] = {}
    for rank, (doc, weight) in enumerate(zip(words, weights), 1):
        score[doc] = WORDS_WEIGHT * weight / (K + rank)
    for rank, doc in enumerate(meaning, 1):
        score[doc] = score.get(doc, 0.0) + MEANING_WEIGHT / (K + rank)
    word_rank = {doc: r for r, doc in enumerate(words)}
    fused = sorted(score.items(), key=lambda x: (-round(x[1], 9), word_rank.get(x[0], len(words))))
    return [(round(s, 6), d) for d, s in fused[:limit]]


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
