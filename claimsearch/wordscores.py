"""The word ranking of ranking.py computed with numpy over whole posting lists: the same scores for
every matching claim at once, then the best ones.

Whoosh's matchers score the claims one at a time in Python. They skip the blocks of postings that
cannot reach the top, but many claims tie with the last one kept (a claim relayed by many articles,
a query of seven common words) and each tie must be scored, so that the earliest is kept: at 100k
claims a paraphrase's word ranking took 35-120 CPU-ms. Here a term's documents and frequencies are
read once per searcher as arrays, each claim's field length once for all, and a query is a few
array operations over its terms' postings (benchmarks/README.md, "Search by meaning").

The same numbers as the matchers: BM25F term by term in the same float operations (Whoosh's
`scoring.bm25`, the searcher's idf and average length, the field length as Whoosh decodes it from
its byte), a name by its best form, coordination by the share of the query's words and names.
Only the order in which a claim's term scores are added may differ from Whoosh's (which itself
changes from segment to segment); `ranking._top` rounds scores to six decimals for that reason.
Queries with a negation, a field or a filter term are left to the matchers (`supports`).

Reads Whoosh's private codec API (posting blocks, the length column): written for whoosh3 3.54,
which pyproject.toml pins.
"""
from __future__ import annotations

import heapq

import numpy as np
from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.util.numeric import _length_byte_cache

from .postings import consecutive

EMPTY = np.zeros(0, dtype=np.int64)
MAX_POSTINGS = 4_000_000  # kept in memory (12 bytes each) before the terms read are dropped
_BYTE_LENGTH = np.array(_length_byte_cache[:256], dtype=np.float64)  # Whoosh's byte_to_length as a table


class WordScores:
    """One field's postings and lengths of an open searcher, read as needed and kept with it."""

    def __init__(self, searcher, field: str) -> None:
        self.searcher, self.field = searcher, field
        w = searcher.weighting
        self.B, self.K1 = w._field_B.get(field, w.B), w.K1
        self.avgfl = searcher.avg_field_length(field) or 1
        self.size = searcher.doc_count_all()
        self._terms: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._held = 0  # postings in `_terms`
        self._lengths: np.ndarray | None = None
        self._masks: dict[int, tuple[object, np.ndarray]] = {}

    # ------------------------------------------------------------------ what the index holds

    def term(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, frequencies) of a term, deleted documents left out (read once)."""
        found = self._terms.get(text)
        if found is None:
            docs, weights = [], []
            for leaf, offset in self.searcher.reader().leaf_readers():
                if (self.field, text) in leaf:
                    d, w = _postings(leaf.postings(self.field, text))
                    docs.append(d + offset)
                    weights.append(w)
            found = (np.concatenate(docs), np.concatenate(weights)) if docs else (EMPTY, np.zeros(0, dtype=np.float32))
            if self._held > MAX_POSTINGS:
                self._terms, self._held = {}, 0
            self._terms[text] = found
            self._held += len(found[0])
        return found

    @property
    def lengths(self) -> np.ndarray:
        """Every document's field length, as Whoosh decodes it from the byte it stores."""
        if self._lengths is None:
            parts = []
            for leaf, _ in self.searcher.reader().leaf_readers():
                n = leaf.doc_count_all()
                col = leaf._perdoc._cached_reader(_lenfield(self.field), LENGTHS_COLUMN)
                raw = np.zeros(n, dtype=np.uint8)
                if col is not None:
                    have = min(col._count, n)
                    raw[:have] = np.frombuffer(col._dbfile.get(col._basepos, have), dtype=np.uint8)
                parts.append(_BYTE_LENGTH[raw])
            self._lengths = np.concatenate(parts) if parts else np.zeros(0)
        return self._lengths

    def allowed(self, comb) -> np.ndarray:
        """A filter's document set (Whoosh's comb) as a boolean mask (kept with the comb)."""
        kept = self._masks.get(id(comb))
        if kept is None or kept[0] is not comb:
            if len(self._masks) > 256:
                self._masks = {}
            mask = np.zeros(self.size, dtype=bool)
            mask[np.fromiter(comb, dtype=np.int64)] = True
            kept = self._masks[id(comb)] = (comb, mask)
        return kept[1]

    # ------------------------------------------------------------------ scores

    def supports(self, q: Q.Query) -> bool:
        """Whether `scores` can compute `q`: words and names (terms and phrases of this field, their
        OR, the best of a name's forms, the coordinated OR of ranking.py, the AND of its words)."""
        from .ranking import _Coordinated, _Max

        if type(q) is Q.Term:
            return q.fieldname == self.field
        if type(q) is Q.Phrase:
            return q.fieldname == self.field and q.slop == 1 and len(q.words) > 1
        if type(q) in (Q.Or, Q.And, _Max, _Coordinated):
            return (type(q) is not Q.Or or not (q.minmatch or q.scale)) and all(self.supports(c) for c in q.subqueries)
        return False

    def scores(self, q: Q.Query) -> tuple[np.ndarray, np.ndarray]:
        """(documents, scores) of every document `q` matches, as its matcher would score them."""
        from .ranking import _Coordinated, _Max

        if isinstance(q, Q.Term):
            docs, tf = self.term(q.text)
            if not len(docs):
                return docs, tf
            s = _bm25(self.searcher.idf(self.field, q.text), tf, self.lengths[docs], self.avgfl, self.B, self.K1)
            return docs, s * q.boost if q.boost != 1.0 else s
        if isinstance(q, Q.Phrase):  # Whoosh's: its words' scores added, where they follow each other
            docs, s = _combine([self.scores(Q.Term(self.field, w)) for w in q.words], np.add, every=True)
            at = _within(docs, consecutive(self.searcher, self.field, q.words, docs))
            return docs[at], s[at] * q.boost if q.boost != 1.0 else s[at]
        parts = [self.scores(c) for c in q.subqueries]
        if len(parts) == 1:  # Whoosh's compound matcher is its one child's: no boost, no coordination
            return parts[0]
        if type(q) is _Max:
            docs, s = _combine(parts, np.maximum)
        else:
            docs, s = _combine(parts, np.add, every=type(q) is Q.And)
        if isinstance(q, _Coordinated):
            return docs, s * q.boost * self._units(q, parts, docs) / len(parts)
        return docs, s * q.boost if q.boost != 1.0 else s

    def _units(self, q, parts, docs: np.ndarray) -> np.ndarray:
        """How many of a coordinated query's words and names each document has (a name counts
        with any word of any of its forms, as ranking._CoordMatcher counts it)."""
        from .ranking import _direct_terms

        count = np.zeros(len(docs), dtype=np.int64)
        for sub, (found, _) in zip(q.subqueries, parts):
            extra = [self.term(t)[0] for f, t in getattr(sub, "name_terms", frozenset()) - _direct_terms(sub)
                     if f == self.field]
            have = np.unique(np.concatenate([found, *extra])) if extra else found
            count += _within(docs, have)
        return count

    def top(self, q: Q.Query, allowed, exclude, limit: int, position) -> list[tuple[float, int]]:
        """(score, doc) of the best `limit` documents, rounded as ranking._TopByPosition keeps
        them and in its order (equal scores by `position`): the same list, without the matchers."""
        docs, s = self.scores(q)
        keep = np.ones(len(docs), dtype=bool)
        if allowed:  # an empty filter is no filter, as Whoosh's collector reads it (callers check)
            keep &= self.allowed(allowed)[docs]
        if exclude:
            keep &= ~np.isin(docs, np.fromiter(exclude, dtype=np.int64))
        docs, s = docs[keep], s[keep]
        if len(docs) > limit:  # what can round up to the limit-th score (the order and rounding: below)
            floor = np.partition(s, len(s) - limit)[len(s) - limit] - 1e-6
            near = s >= floor
            docs, s = docs[near], s[near]
        # equal (score, position): the lower document, which the collector sees first, is kept
        entries = [(round(float(x), 6), position(int(d)), -int(d)) for x, d in zip(s, docs)]
        kept = sorted(((score, at, -d) for score, at, d in heapq.nlargest(limit, entries)), reverse=True)
        return [(score, doc) for score, _, doc in kept]


def _bm25(idf: float, tf: np.ndarray, fl: np.ndarray, avgfl: float, B: float, K1: float) -> np.ndarray:
    """whoosh.scoring.bm25 over arrays, in its order of operations (the same floats)."""
    tf = tf.astype(np.float64)  # as Python reads a float32 weight
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


def _combine(parts, ufunc, every: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The union (or with `every`, the intersection) of sorted score lists, scores combined
    with `ufunc` (added, or the best) in the order of `parts`."""
    docs = np.concatenate([d for d, _ in parts])
    scores = np.concatenate([s for _, s in parts])
    uniq, inv, counts = np.unique(docs, return_inverse=True, return_counts=True)
    if ufunc is np.add:
        out = np.bincount(inv, weights=scores, minlength=len(uniq))  # added in the order of `parts`
    else:
        out = np.full(len(uniq), -np.inf)
        ufunc.at(out, inv, scores)
    if every:
        full = counts == len(parts)
        return uniq[full], out[full]
    return uniq, out


def _within(docs: np.ndarray, have: np.ndarray) -> np.ndarray:
    """Which of the sorted `docs` are in the sorted `have`."""
    if not len(have):
        return np.zeros(len(docs), dtype=bool)
    at = np.minimum(np.searchsorted(have, docs), len(have) - 1)
    return have[at] == docs


def _postings(m) -> tuple[np.ndarray, np.ndarray]:
    """A leaf matcher's (documents, weights), block by block; deleted documents left out."""
    deleted = None
    if isinstance(m, FilterMatcher):  # the segment has deletions
        deleted, m = m._ids, m.child
        m.reset()  # the filter moved it past the deleted documents it starts with
    ids, weights = [], []
    if type(m) is W3LeafMatcher:
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.append(np.asarray(m._ids, dtype=np.int64))
            weights.append(np.asarray(m._weights, dtype=np.float32))  # Whoosh keeps them as float32
            m._next_block()
    else:  # another codec: one posting at a time
        while m.is_active():
            ids.append(np.array([m.id()], dtype=np.int64))
            weights.append(np.array([m.weight()], dtype=np.float32))
            m.next()
    docs = np.concatenate(ids) if ids else EMPTY
    tf = np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32)
    if deleted:
        live = ~np.isin(docs, np.fromiter(deleted, dtype=np.int64))
        docs, tf = docs[live], tf[live]
    return docs, tf
