"""Ranking with Whoosh's matchers: BM25F with a milder length penalty, a name scored once by its best
form, coordination by the share of the query's words and names a claim has, claims with every word
first, equal scores in article order.

The only code on Whoosh's private matcher and collector API (matchers' quality bounds, replace(),
the top collector's heap), with wordscores.py, which computes the same lists with numpy for the
queries it can (`_top`): written for whoosh3 3.54, which pyproject.toml pins.
"""
from __future__ import annotations

import heapq

from whoosh import collectors, matching, query as Q, scoring
from whoosh.util import make_binary_tree

BM25_B = 0.5


def weighting():
    """BM25F with a milder length penalty than Whoosh's default (B=0.75): a claim that carries its
    quotation is longer, not less relevant."""
    return scoring.BM25F(B=BM25_B, K1=1.2)


class _AndNot(Q.AndNot):
    """a ANDNOT b, with a matcher that survives `a` running out while it skips (see _AndNotMatcher)."""

    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


class _AndNotMatcher(matching.AndNotMatcher):
    """Whoosh's (3.54) AndNotMatcher asks an exhausted `a` for its id after a skip, and a finished
    matcher answers with IndexError or NotImplementedError: "said ANDNOT selon Musk" crashed; and
    it could keep its first document when `b` has it too (below)."""

    def _find_next(self):
        if not self.a.is_active():
            return False
        return super()._find_next()

    def _find_first(self):
        """Whoosh looks for `b` on `a`'s first document only when `b` starts there too, so "york
        ANDNOT new" kept a first claim with both words whenever "new" had an earlier document."""
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class _Max(Q.Or):
    """The best of several forms of one name: a claim scores for the name once, by its best form.

    Not Whoosh's DisjunctionMax: its matcher (whoosh3 3.54) counts in the maximum a form that is
    not on the current document, and its replace() drops every form when one of them runs out.
    """

    def _matcher(self, subs, searcher, context):
        return self._tree_matcher(subs, _MaxMatcher, searcher, context, None)


class _MaxMatcher(matching.UnionMatcher):
    """The union of two matchers, scored by the better of those on the current document."""

    def score(self) -> float:
        doc = self.id()
        return max(m.score() for m in (self.a, self.b) if m.is_active() and m.id() == doc)

    def max_quality(self) -> float:
        return max((m.max_quality() for m in (self.a, self.b) if m.is_active()), default=0.0)

    def block_quality(self) -> float:
        return max((m.block_quality() for m in (self.a, self.b) if m.is_active()), default=0.0)

    def skip_to_quality(self, minquality) -> int:
        """Each form to a block that can reach `minquality` on its own, as the maximum needs (the
        inherited union skips only when the sum of the forms cannot, and callers then loop forever)."""
        self._id = None
        return sum(m.skip_to_quality(minquality) for m in (self.a, self.b) if m.is_active())

    def replace(self, minquality=0):
        """A form that cannot reach `minquality` on its own cannot lift the maximum to it: drop it."""
        kept = [m.replace(minquality) for m in (self.a, self.b)
                if m.is_active() and not (minquality and m.max_quality() < minquality)]
        kept = [m for m in kept if m.is_active()]
        if len(kept) == 2:
            return self.__class__(*kept)
        return kept[0] if kept else matching.NullMatcher()


class _Coordinated(Q.Or):
    """The top-level OR of a query's words and names: BM25F times the share of them a claim matches.

    Whoosh's own coordination (Or(scale=…)) counts index terms, and a name expanded into ten alias
    forms over three fields would count ten times; here each word or name counts once. A name
    counts when the claim has any word of any of its forms (it scores only for whole forms).
    Computed in the matcher, on the document being scored: no stored field or term list is read.
    """

    def _matcher(self, subs, searcher, context):
        units, presence = [], []
        for i, q in enumerate(subs):
            m = q.matcher(searcher, context)
            if m.is_active():
                units.append(_Unit(m, i))
            extra = getattr(q, "name_terms", frozenset()) - _direct_terms(q)
            presence.append([p for p in (Q.Term(f, t).matcher(searcher, context) for f, t in sorted(extra))
                             if p.is_active()])
        if not units:
            return matching.NullMatcher()
        return _CoordMatcher(make_binary_tree(matching.UnionMatcher, units), presence, self.boost)


def _direct_terms(q: Q.Query) -> set[tuple[str, str]]:
    """The (field, term) pairs a query matches as single terms (not inside a phrase)."""
    if isinstance(q, Q.Term):
        return {(q.fieldname, q.text)}
    if isinstance(q, Q.Phrase):
        return set()
    return set().union(*(_direct_terms(c) for c in q.children())) if not q.is_leaf() else set()


class _Unit(matching.WrappingMatcher):
    """The matcher of one word or name inside the union, numbered, so the score can count units on a document."""

    def __init__(self, child, i: int, boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self.i = i

    def _replacement(self, newchild):
        return self.__class__(newchild, self.i, self.boost)

    def next(self):
        return self.child.next()  # Whoosh's wrapper drops it: whether a new block began, to check its quality


class _CoordMatcher(matching.WrappingMatcher):
    """A union of `_Unit` matchers whose score is scaled by the share of units present on the current document.

    The scaled score is at most the union's, so Whoosh's quality bounds and replacements (which drop
    a unit only when no document it matches can reach the top) stay valid. `presence[i]` holds
    term matchers for the other words of unit i's forms; they only move forward, to scored documents.
    """

    def __init__(self, child, presence: list[list], boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self.presence = presence

    def _replacement(self, newchild):
        return self.__class__(newchild, self.presence, self.boost)

    def next(self):
        return self.child.next()

    def copy(self):
        return self.__class__(self.child.copy(), [[p.copy() for p in ps] for ps in self.presence], self.boost)

    def score(self) -> float:
        found: set[int] = set()
        score = _union_score(self.child, found)
        doc = self.child.id()
        for i, ps in enumerate(self.presence):
            if i not in found and any(_at(p, doc) for p in ps):
                found.add(i)
        return score * self.boost * len(found) / len(self.presence)


def _union_score(m, found: set[int]) -> float:
    """`m.score()` on the current document, summed as Whoosh's UnionMatcher sums it (the same
    float), with the units on that document added to `found`: one walk down the tree, which only
    enters the branches on the document, instead of a walk over every unit and then Whoosh's own."""
    if isinstance(m, _Unit):
        found.add(m.i)
        return m.score()
    if type(m) is not matching.UnionMatcher:  # not built by _Coordinated: count the units the long way
        doc, todo = m.id(), [m]
        while todo:
            n = todo.pop()
            if isinstance(n, _Unit):
                if n.is_active() and n.id() == doc:
                    found.add(n.i)
            elif n.is_active():
                todo.extend(n.children())
        return m.score()
    a, b = m.a, m.b
    if not a.is_active():
        return _union_score(b, found)
    if not b.is_active():
        return _union_score(a, found)
    ida, idb = a.id(), b.id()
    if ida != idb:
        return _union_score(a if ida < idb else b, found)
    return _union_score(a, found) + _union_score(b, found)


def _at(m, doc: int) -> bool:
    """Whether a forward-only matcher has `doc` (moving it there if it is behind)."""
    if m.is_active() and m.id() < doc:
        m.skip_to(doc)
    return m.is_active() and m.id() == doc


def _tiers(searcher, ranked: Q.Query, allowed, limit: int | None, position, words=None) -> list[tuple[float, int]]:
    """(score, doc) of the best `limit` claims: those with every word of the query first.

    A claim that has all the words answers the question better than one that has a rarer word
    twice, and asking for them first is what keeps a query fast: the conjunction skips most of
    the documents that the ranked union would have to score. The union runs only when fewer than
    `limit` claims have every word, and then only over the others. `words`: a
    wordscores.WordScores of the searcher, which computes the same lists with numpy when it can.
    """
    first, rest = _tier_lists(searcher, ranked, allowed, limit, position, words)
    return first + rest


def _tier_lists(searcher, ranked: Q.Query, allowed, limit: int | None, position, words=None):
    """`_tiers` as two lists: the claims with every word or name of the query, and the others."""
    every = _conjunction(ranked)
    if every is None:
        return _top(searcher, ranked, allowed, None, limit, position, words), []
    first = _top(searcher, every, allowed, None, limit, position, words)
    if limit is not None and len(first) >= limit:
        return first, []
    rest = _top(searcher, ranked, allowed, {d for _, d in first}, None if limit is None else limit - len(first),
                position, words)
    return first, rest


def _top(searcher, q: Q.Query, allowed, mask, limit: int | None, position, words=None) -> list[tuple[float, int]]:
    """(score, doc) of the best `limit` documents for `q`, equal scores in `position` order."""
    if words is not None and limit is not None and words.supports(q):
        return words.top(q, allowed, mask, limit, position)
    top = _TopByPosition(limit, position) if limit is not None else collectors.UnlimitedCollector()
    collector = collectors.FilterCollector(top, allow=allowed, restrict=mask) if allowed or mask else top
    searcher.search_with_collector(q, collector)
    found = [(round(score, 6), doc) for doc, score in collector.results().items()]  # as _TopByPosition compares
    if limit is None:
        found.sort(key=lambda x: (-x[0], *(-k for k in position(x[1]))))
    return found


class _TopByPosition(collectors.TopCollector):
    """Whoosh's top-N collector, with equal scores kept by position in the articles, not by document number.

    Whoosh skips blocks of documents that cannot beat `minscore`; it is set just under the lowest
    kept score, so that documents tying with it are still seen and the earliest one kept.
    """

    def __init__(self, limit: int, position) -> None:
        super().__init__(limit=limit)
        self.position = position

    def _collect(self, global_docnum: int, score: float):
        # rounded: the same claim's score is summed in another order in another segment
        score = round(score, 6)
        items = self.items
        self.total += 1
        if len(items) >= self.limit and score < items[0][0]:
            return 0
        entry = (score, self.position(global_docnum), global_docnum)
        if len(items) < self.limit:
            heapq.heappush(items, entry)
        elif entry[:2] > items[0][:2]:
            heapq.heapreplace(items, entry)
        else:
            return 0
        if len(items) == self.limit:
            self.minscore = max(items[0][0] - 1e-6, 0.0)
        return 0 - score

    def remove(self, global_docnum: int) -> None:
        raise NotImplementedError("claimsearch does not collapse results")

    def results(self):
        return self._results([(score, doc) for score, _, doc in sorted(self.items, reverse=True)])


def _conjunction(q: Q.Query) -> Q.Query | None:
    """The query that requires every word or name of a ranked query (None: it has no choice of words)."""
    if isinstance(q, _Coordinated):
        return Q.And(q.subqueries)
    if isinstance(q, Q.AndNot):
        inner = _conjunction(q.a)
        return None if inner is None else _AndNot(inner, q.b)
    return None


def _needs_doctype(q: Q.Query) -> bool:
    """Whether a ranking query can match documents without text (NOT x, Every): the input files' records."""
    return isinstance(q, (Q.Not, Q.Every)) or any(_needs_doctype(c) for c in q.children())
