"""What a browsing interface asks of an index beyond ranked hits: counts of every facet of the
matching claims, claims by month, sources with their claims, an article's text with its claims.

`Browser` wraps an open `ClaimIndex`. It reads each claim's facet values once per searcher (numpy
columns of codes, rebuilt when an indexing run commits), so counting the facets of a query is a
few array operations over the matching document numbers, not a parse of their stored JSON.
Read-only, like `searching`.
"""
from __future__ import annotations

import heapq
import json
from collections import Counter

import numpy as np

from .hybrid import Mode, by_words, free_text
from .models import Article, Claim, Hit, Model, Repair
from .schema import key
from .searching import ClaimIndex

FACETS = ("source", "speaker", "stance", "attributed", "lang", "outlet", "article")
POOL = 200  # best claims of a query searched once for "who says what", before searching source by source
TOP = 50  # values kept per facet: a page shows a few, and an index of 100k claims has thousands of articles


class Count(Model):
    value: str
    count: int
    label: str | None = None  # what to show when the value is an id (an article's title)


class FacetCounts(Model):
    """The facets of every claim matching a query: counts by value, most frequent first, and by month."""

    claims: int
    facets: dict[str, tuple[Count, ...]]  # the TOP most frequent values of each facet
    distinct: dict[str, int]  # how many values each facet has in all
    months: tuple[Count, ...]  # "YYYY-MM", every month from the first to the last, empty ones included
    undated: int


class SourceClaims(Model):
    """One source in "who says what about X": its claim count, split by stance, and its best claims."""

    source: str
    claims: int
    stances: dict[str, int]  # "assert", "deny", … and "none" when the cue says nothing of the claim
    hits: tuple[Hit, ...]


class Segment(Model):
    """A piece of an article's clean text; `repair` when cleaning wrote it (an empty text: something removed)."""

    text: str
    repair: Repair | None = None


class Block(Model):
    """A run of text that is one claim, or that lies between claims (`claim` None)."""

    claim: Claim | None = None
    segments: tuple[Segment, ...]


class ArticleView(Model):
    """An article as the index keeps it: provenance, the clean text cut into blocks, its claims."""

    article: Article | None  # None: indexed before the index kept article texts (rebuild to see them)
    article_id: str
    title: str
    claims: tuple[Claim, ...]
    blocks: tuple[Block, ...]
    repairs: tuple[Repair, ...]


class _Table:
    """Each claim's facet values as integer codes in numpy columns indexed by document number, so
    that counting the facets of 10,000 matching claims is a few array operations, not a Python loop.

    `source` is the one facet with several values per claim: its codes are laid end to end in
    document order (`flat`), `offsets[d]`…`offsets[d + 1]` being those of document d.
    """

    SINGLE = ("speaker", "stance", "attributed", "lang", "outlet", "article", "month")

    def __init__(self, searcher) -> None:
        self.articles: dict[str, dict] = {}  # article id → {"title", "outlet"}
        for doc in searcher.documents(keys=key("doctype", "article")):
            a = json.loads(doc["data"])["article"]
            self.articles[a["id"]] = {"title": a["title"], "outlet": a.get("source_name")}
        size = searcher.doc_count_all()
        self.values: dict[str, list[str]] = {f: [] for f in (*self.SINGLE, "source")}
        codes: dict[str, dict[str, int]] = {f: {} for f in self.values}
        self.columns = {f: np.full(size, -1, dtype=np.int32) for f in self.SINGLE}
        lengths = np.zeros(size, dtype=np.int64)
        sources: dict[int, list[int]] = {}

        def code(facet: str, value: str | None) -> int:
            if value is None:
                return -1
            known = codes[facet]
            if value not in known:
                known[value] = len(known)
                self.values[facet].append(value)
            return known[value]

        for d in searcher.document_numbers(keys=key("doctype", "claim")):
            c = json.loads(searcher.stored_fields(d)["data"])
            aid = c["article_id"]
            article = self.articles.setdefault(aid, {"title": c["title"], "outlet": None})
            row = {"speaker": c.get("speaker"), "stance": c.get("stance") or "none",
                   "attributed": "yes" if c.get("sources") else "no", "lang": c["lang"],
                   "outlet": c.get("source_name") or article["outlet"], "article": aid,
                   "month": c["date"][:7] if c.get("date") else None}
            for f, v in row.items():
                self.columns[f][d] = code(f, v)
            sources[d] = [code("source", n) for n in dict.fromkeys(c.get("sources") or ())]
            lengths[d] = len(sources[d])
        self.codes = codes
        self.offsets = np.concatenate([[0], np.cumsum(lengths)])
        self.flat = np.fromiter((s for d in sorted(sources) for s in sources[d]), dtype=np.int32, count=int(lengths.sum()))
        self.claims = np.flatnonzero(self.columns["lang"] >= 0)  # every claim document

    def code(self, facet: str, value: str) -> int:
        return self.codes[facet].get(value, -2)  # -2 matches nothing, not even "no value"

    def source_codes(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(source code, document position in `docs`) of every source of the documents."""
        starts = self.offsets[docs]
        lengths = self.offsets[docs + 1] - starts
        where = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return self.flat[where], np.repeat(np.arange(len(docs)), lengths)

    def count(self, facet: str, docs: np.ndarray) -> Counter:
        codes = self.source_codes(docs)[0] if facet == "source" else self.columns[facet][docs]
        codes = codes[codes >= 0]
        counts = np.bincount(codes, minlength=len(self.values[facet]))
        names = self.values[facet]
        return Counter({names[i]: int(counts[i]) for i in np.flatnonzero(counts)})


class Browser:
    """Facets, months, sources and articles of an open `ClaimIndex`.

        with ClaimIndex("index") as idx:
            counts = Browser(idx).counts("Starlink", lang="fr")
    """

    def __init__(self, index: ClaimIndex) -> None:
        self.index = index
        self._for = None  # the searcher the table was read from
        self._table_: _Table | None = None
        self._all: FacetCounts | None = None

    def _table(self) -> _Table:
        searcher = self.index.searcher  # a new one after an indexing run: read the table again
        if searcher is not self._for or self._table_ is None:
            self._table_, self._for, self._all = _Table(searcher), searcher, None
        return self._table_

    def outlet(self, article_id: str) -> str | None:
        return self._table().articles.get(article_id, {}).get("outlet")

    def _matching(self, query: str, outlet: str | None, filters: dict) -> np.ndarray:
        """Document numbers of every claim matching the query, the filters and the outlet."""
        table = self._table()
        if not query.strip() and not any(v is not None for v in filters.values()):
            docs = table.claims
        else:
            docs = self.index.matching(query, **filters)
        if outlet:
            docs = docs[table.columns["outlet"][docs] == table.code("outlet", outlet)]
        return docs

    def counts(self, query: str = "", *, outlet: str | None = None, **filters) -> FacetCounts:
        """How many matching claims have each source, speaker, stance, …; and how many per month."""
        table = self._table()
        everything = not query.strip() and not outlet and not any(v is not None for v in filters.values())
        if everything and self._all is not None:
            return self._all
        docs = self._matching(query, outlet, filters)
        counters = {f: table.count(f, docs) for f in FACETS}
        months = table.count("month", docs)
        titles = table.articles
        facets = {f: tuple(Count(value=v, count=n, label=titles.get(v, {}).get("title") if f == "article" else None)
                           for v, n in heapq.nsmallest(TOP, c.items(), key=lambda x: (-x[1], x[0])))
                  for f, c in counters.items()}
        result = FacetCounts(claims=len(docs), facets=facets, distinct={f: len(c) for f, c in counters.items()},
                             months=_every_month(months), undated=len(docs) - sum(months.values()))
        if everything:
            self._all = result
        return result

    def _with_outlet(self, outlet: str | None, filters: dict) -> dict:
        """The filters with the outlet as the set of its articles: a filter of the index, like the others."""
        if not outlet:
            return filters
        table = self._table()
        docs = table.claims[table.columns["outlet"][table.claims] == table.code("outlet", outlet)]
        articles = {table.values["article"][a] for a in np.unique(table.columns["article"][docs])}
        if filters.get("article") is not None:
            articles &= {filters["article"]}
        return {**filters, "article": frozenset(articles)}

    def search(self, query: str = "", *, offset: int = 0, limit: int | None = 10, outlet: str | None = None,
               mode: Mode = "hybrid", **filters) -> list[Hit]:
        """One page of hits, best first (`ClaimIndex.search` with an offset and an outlet filter);
        `limit` None: every hit from `offset` on. "words" ranks exactly the claims `counts` counts;
        "hybrid" and "meaning" may add claims close in meaning that lack the words (`by_meaning`)."""
        end = None if limit is None else offset + limit
        return self.index.search(query, limit=end, mode=mode, **self._with_outlet(outlet, filters))[offset:]

    @staticmethod
    def by_meaning(query: str, mode: Mode) -> bool:
        """Whether `search` in this mode ranks claims close in meaning too, not only those with the words."""
        return bool(free_text(query).strip()) and (mode == "meaning" or mode == "hybrid" and not by_words(query, 1))

    def who(self, query: str = "", *, top: int = 20, per_source: int = 3, outlet: str | None = None,
            **filters) -> tuple[SourceClaims, ...]:
        """Who says what about X: the sources of the matching claims by claim count, stances split,
        each with its best `per_source` claims."""
        table = self._table()
        docs = self._matching(query, outlet, filters)
        sources, where = table.source_codes(docs)
        kinds = max(len(table.values["stance"]), 1)
        pairs = np.bincount(sources.astype(np.int64) * kinds + table.columns["stance"][docs][where],
                            minlength=len(table.values["source"]) * kinds).reshape(-1, kinds)
        stances: dict[str, Counter] = {
            table.values["source"][i]: Counter({table.values["stance"][k]: int(pairs[i, k]) for k in np.flatnonzero(pairs[i])})
            for i in np.flatnonzero(pairs.sum(axis=1))}
        ranked = sorted(stances.items(), key=lambda x: (-sum(x[1].values()), x[0]))[:top]
        # the best claims of the query hold the best of most sources: one search, then one more per
        # source still short of claims
        best: dict[str, list[Hit]] = {}
        filters = self._with_outlet(outlet, filters)
        for h in self.search(query, limit=POOL, mode="words", **filters):
            for name in h.sources:
                best.setdefault(name, []).append(h)
        out = []
        for name, by_stance in ranked:
            hits = best.get(name, [])
            wanted = min(per_source, sum(by_stance.values()))
            for limit in (per_source * 4, None):  # `source=` also finds other names holding the words: keep this one's
                if len(hits) >= wanted:
                    break
                hits = [h for h in self.index.search(query, limit=limit, mode="words", **{**filters, "source": name})
                        if name in h.sources]
            out.append(SourceClaims(source=name, claims=sum(by_stance.values()), stances=dict(by_stance.most_common()),
                                    hits=tuple(hits[:per_source])))
        return tuple(out)

    def article(self, article_id: str) -> ArticleView | None:
        """The article with every claim placed in its clean text; None when the index has no such article."""
        searcher = self.index.searcher
        claims = tuple(Claim(**{k: v for k, v in h.model_dump().items() if k in Claim.model_fields})
                       for h in self.index.search("", article=article_id, limit=None))
        doc = searcher.document(id=f"article:{article_id}")
        if doc is None:
            if not claims:
                return None
            return ArticleView(article=None, article_id=article_id, title=claims[0].title, claims=claims,
                               blocks=(), repairs=())
        data = json.loads(doc["data"])
        article = Article(**data["article"])
        repairs = tuple(Repair(**r) for r in data["repairs"])
        return ArticleView(article=article, article_id=article_id, title=article.title, claims=claims,
                           blocks=blocks(article.text, repairs, claims), repairs=repairs)


def _every_month(months: Counter) -> tuple[Count, ...]:
    """Counts for every month from the first to the last one seen, so a gap shows as a gap."""
    if not months:
        return ()
    first, last = min(months), max(months)
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        month = f"{y:04d}-{m:02d}"
        out.append(Count(value=month, count=months.get(month, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(out)


def blocks(raw: str, repairs: tuple[Repair, ...], claims: tuple[Claim, ...]) -> tuple[Block, ...]:
    """The clean text (the raw one with its repairs replayed) cut into claims and the text between
    them, each cut again where cleaning wrote something, so a reader can see what was repaired."""
    from .cleaning import apply_repairs

    text = apply_repairs(raw, repairs)
    spans, shift = [], 0  # repairs in clean offsets
    for r in repairs:
        start = r.start + shift
        spans.append((start, start + len(r.after), r))
        shift += len(r.after) - len(r.before)
    placed, end = [], 0
    for c in sorted(claims, key=lambda c: c.start):
        if c.start >= end and c.end <= len(text) and text[c.start:c.end] == c.text:
            placed.append(c)
            end = c.end
    removed: dict[int, list[Repair]] = {}  # a repair that left nothing has a place, not a span
    for s, e, r in spans:
        if s == e:
            removed.setdefault(s, []).append(r)
    cuts = sorted({0, len(text), *(x for c in placed for x in (c.start, c.end)), *(x for s in spans for x in s[:2])})
    out: list[Block] = []
    current: Claim | None = None
    segments: list[Segment] = []
    ci = 0
    for a, b in zip(cuts, cuts[1:]):
        while ci < len(placed) and placed[ci].end <= a:
            ci += 1
        claim = placed[ci] if ci < len(placed) and placed[ci].start <= a else None
        if claim is not current:
            if segments:
                out.append(Block(claim=current, segments=tuple(segments)))
            segments, current = [], claim
        segments += [Segment(text="", repair=r) for r in removed.get(a, ())]
        repair = next((r for s, e, r in spans if s <= a and b <= e and s < e), None)
        segments.append(Segment(text=text[a:b], repair=repair))
    segments += [Segment(text="", repair=r) for r in removed.get(len(text), ())]
    if segments:
        out.append(Block(claim=current, segments=tuple(segments)))
    return tuple(out)


__all__ = ["ArticleView", "Block", "Browser", "Count", "FacetCounts", "Segment", "SourceClaims", "blocks"]
