"""What a browsing interface asks of an index beyond ranked hits: counts of every facet of the
matching claims, claims by month, sources with their claims, an article's text with its claims.

`Browser` wraps an open `ClaimIndex`. It reads each claim's facet values once per searcher (a
table in memory, rebuilt when an indexing run commits), so counting the facets of a query costs a
pass over the matching claims, not a parse of their stored JSON. Read-only, like `searching`.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import NamedTuple

from whoosh import query as Q

from .indexing import key
from .models import Article, Claim, Hit, Model, Repair
from .searching import ClaimIndex

FACETS = ("source", "speaker", "stance", "attributed", "lang", "outlet", "article")


class Count(Model):
    value: str
    count: int
    label: str | None = None  # what to show when the value is an id (an article's title)


class FacetCounts(Model):
    """The facets of every claim matching a query: counts by value, most frequent first, and by month."""

    claims: int
    facets: dict[str, tuple[Count, ...]]
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


class _Row(NamedTuple):
    """The facet values of one claim document."""

    sources: tuple[str, ...]
    speaker: str | None
    stance: str
    attributed: str
    lang: str
    outlet: str | None
    article: str
    month: str | None


class Browser:
    """Facets, months, sources and articles of an open `ClaimIndex`.

        with ClaimIndex("index") as idx:
            counts = Browser(idx).counts("Starlink", lang="fr")
    """

    def __init__(self, index: ClaimIndex) -> None:
        self.index = index
        self._for = None  # the searcher the table was read from
        self._rows: dict[int, _Row] = {}
        self._articles: dict[str, dict] = {}  # article id → {"title", "outlet"}
        self._all: FacetCounts | None = None

    def _table(self) -> dict[int, _Row]:
        searcher = self.index.searcher  # a new one after an indexing run: read the table again
        if searcher is not self._for:
            articles: dict[str, dict] = {}
            for doc in searcher.documents(keys=key("doctype", "article")):
                a = json.loads(doc["data"])["article"]
                articles[a["id"]] = {"title": a["title"], "outlet": a.get("source_name")}
            rows = {}
            for d in searcher.document_numbers(keys=key("doctype", "claim")):
                c = json.loads(searcher.stored_fields(d)["data"])
                aid = c["article_id"]
                articles.setdefault(aid, {"title": c["title"], "outlet": None})
                outlet = c.get("source_name") or articles[aid]["outlet"]
                rows[d] = _Row(tuple(c.get("sources") or ()), c.get("speaker"), c.get("stance") or "none",
                               "yes" if c.get("sources") else "no", c["lang"], outlet, aid,
                               c["date"][:7] if c.get("date") else None)
            self._for, self._rows, self._articles, self._all = searcher, rows, articles, None
        return self._rows

    def outlet(self, article_id: str) -> str | None:
        self._table()
        return self._articles.get(article_id, {}).get("outlet")

    def _matching(self, query: str, outlet: str | None, filters: dict) -> list[_Row]:
        """The facet rows of every claim matching the query and filters (in no particular order)."""
        rows = self._table()
        ranked, wanted = self.index.compile(query, **filters)
        if any(isinstance(w, type(Q.NullQuery)) for w in wanted.subqueries):
            return []
        docs = self.index.searcher.docs_for_query(Q.And([ranked, wanted]) if ranked else wanted)
        found = [rows[d] for d in docs if d in rows]
        return [r for r in found if r.outlet == outlet] if outlet else found

    def counts(self, query: str = "", *, outlet: str | None = None, **filters) -> FacetCounts:
        """How many matching claims have each source, speaker, stance, …; and how many per month."""
        everything = not query.strip() and not outlet and not any(v is not None for v in filters.values())
        if everything and self._all is not None and self._for is self.index.searcher:
            return self._all
        rows = self._matching(query, outlet, filters)
        counters = {f: Counter() for f in FACETS}
        months, undated = Counter(), 0
        for r in rows:
            counters["source"].update(r.sources)
            if r.speaker:
                counters["speaker"][r.speaker] += 1
            counters["stance"][r.stance] += 1
            counters["attributed"][r.attributed] += 1
            counters["lang"][r.lang] += 1
            if r.outlet:
                counters["outlet"][r.outlet] += 1
            counters["article"][r.article] += 1
            if r.month:
                months[r.month] += 1
            else:
                undated += 1
        titles = {aid: a["title"] for aid, a in self._articles.items()}
        facets = {f: tuple(Count(value=v, count=n, label=titles.get(v) if f == "article" else None)
                           for v, n in sorted(c.items(), key=lambda x: (-x[1], x[0])))
                  for f, c in counters.items()}
        result = FacetCounts(claims=len(rows), facets=facets, months=_every_month(months), undated=undated)
        if everything:
            self._all = result
        return result

    def search(self, query: str = "", *, offset: int = 0, limit: int | None = 10, outlet: str | None = None,
               **filters) -> list[Hit]:
        """One page of hits, best first (`ClaimIndex.search` with an offset and an outlet filter);
        `limit` None: every hit from `offset` on."""
        end = None if limit is None else offset + limit
        if outlet:
            hits = [h for h in self.index.search(query, limit=None, **filters) if self.outlet(h.article_id) == outlet]
            return hits[offset:end]
        return self.index.search(query, limit=end, **filters)[offset:]

    def who(self, query: str = "", *, top: int = 20, per_source: int = 3, outlet: str | None = None,
            **filters) -> tuple[SourceClaims, ...]:
        """Who says what about X: the sources of the matching claims by claim count, stances split,
        each with its best `per_source` claims."""
        stances: dict[str, Counter] = {}
        for r in self._matching(query, outlet, filters):
            for s in r.sources:
                stances.setdefault(s, Counter())[r.stance] += 1
        ranked = sorted(stances.items(), key=lambda x: (-sum(x[1].values()), x[0]))[:top]
        out = []
        for name, by_stance in ranked:
            wanted = {**filters, "source": name}
            hits = [h for h in self.index.search(query, limit=per_source * 4, **wanted)
                    if name in h.sources and (not outlet or self.outlet(h.article_id) == outlet)]
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
