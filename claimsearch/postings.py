"""Every document a query matches, as a sorted numpy array: what counting the facets of all the
matching claims needs (browsing.py), exact, in a millisecond or two at 100k claims.

Whoosh's ranking finds the best claims without visiting every match (it skips blocks of postings
that cannot reach the top); a count needs every match, and walking a wide union ("government
said": 10,000 claims) posting by posting through the matcher tree takes tens of milliseconds.
`Postings` reads the text field's posting lists once per searcher into one array, so that a word
is a slice and a query's structure is unions, intersections and differences of sorted arrays;
a phrase reads the positions of the documents that have all its words. Field terms and anything
else are asked of Whoosh: what it answers is the same set by definition.
"""
from __future__ import annotations

from functools import reduce

import numpy as np
from whoosh import query as Q

EMPTY = np.zeros(0, dtype=np.int64)


class Postings:
    """The documents of every term of one field of an open searcher (read when made: a second or
    two for 100k claims, ~4 bytes per posting), and the documents of a query over them."""

    def __init__(self, searcher, field: str) -> None:
        self.searcher, self.field = searcher, field
        spans: dict[str, list[tuple[int, int]]] = {}
        ids: list[int] = []
        for leaf, offset in searcher.leaf_searchers():  # segments, in document order
            reader = leaf.reader()
            for term in reader.lexicon(field):
                start = len(ids)
                ids.extend(d + offset for d in reader.postings(field, term).all_ids())  # deleted ones left out
                spans.setdefault(term.decode("utf-8") if isinstance(term, bytes) else term, []).append((start, len(ids)))
        flat = np.array(ids, dtype=np.int64)
        self._flat = flat
        self._terms = {t: s[0] if len(s) == 1 else s for t, s in spans.items()}
        self.live = np.fromiter(searcher.reader().all_doc_ids(), dtype=np.int64)  # every document not deleted

    def term(self, text: str | bytes) -> np.ndarray:
        span = self._terms.get(text.decode("utf-8") if isinstance(text, bytes) else text)
        if span is None:
            return EMPTY
        if isinstance(span, tuple):
            return self._flat[span[0]:span[1]]
        return np.concatenate([self._flat[a:b] for a, b in span])  # one slice per segment, in order

    def docs(self, q: Q.Query) -> np.ndarray:
        """The sorted document numbers `q` matches, as `q.docs(searcher)` would list them."""
        if q is Q.NullQuery or isinstance(q, type(Q.NullQuery)):
            return EMPTY
        if isinstance(q, Q.Term) and q.fieldname == self.field:
            return self.term(q.text)
        if isinstance(q, Q.Or) and not q.minmatch:  # _Max and _Coordinated (ranking.py) too: the same documents
            parts = [self.docs(c) for c in q.subqueries]
            return np.unique(np.concatenate(parts)) if parts else EMPTY
        if type(q) is Q.And:
            parts = sorted((self.docs(c) for c in q.subqueries), key=len)
            return reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), parts) if parts else EMPTY
        if isinstance(q, Q.AndNot):
            return np.setdiff1d(self.docs(q.a), self.docs(q.b), assume_unique=True)
        if isinstance(q, Q.AndMaybe):
            return self.docs(q.a)
        if type(q) is Q.Not:
            return np.setdiff1d(self.live, self.docs(q.query), assume_unique=True)
        if type(q) is Q.Every and not q.fieldname:
            return self.live
        if isinstance(q, Q.Phrase) and q.fieldname == self.field and q.slop == 1 and len(q.words) > 1:
            return self.phrase(q.words)
        # a field term, a date prefix, anything else: Whoosh's own matcher
        return np.unique(np.fromiter(q.docs(self.searcher), dtype=np.int64))

    def phrase(self, words: list[str]) -> np.ndarray:
        """The documents with the words at consecutive positions (Whoosh's Phrase with slop 1): those
        with every word from the arrays, then their positions (`consecutive`)."""
        found = reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), (self.term(w) for w in words))
        return consecutive(self.searcher, self.field, words, found)


def consecutive(searcher, field: str, words: list[str], docs: np.ndarray) -> np.ndarray:
    """Which of `docs` (sorted, each with every word) have the words at consecutive positions.

    Only their positions are read, one forward pass over each word's postings (Whoosh would walk
    the words' intersection itself)."""
    keep = []
    for leaf, offset in searcher.leaf_searchers():
        here = docs[(docs >= offset) & (docs < offset + leaf.doc_count_all())] - offset
        if not len(here):
            continue
        reader = leaf.reader()
        matchers = [reader.postings(field, w) for w in words]
        for doc in here.tolist():
            starts = None
            for i, m in enumerate(matchers):
                m.skip_to(doc)
                if not m.is_active() or m.id() != doc:  # never: the documents have every word
                    starts = None
                    break
                at = {p - i for p in m.value_as("positions")}
                starts = at if starts is None else starts & at
                if not starts:
                    break
            if starts:
                keep.append(doc + offset)
    return np.array(keep, dtype=np.int64)


__all__ = ["Postings", "consecutive"]
