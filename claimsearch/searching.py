"""Searching an index: `ClaimIndex` keeps a searcher (and the claims' vectors) open for repeated
queries; hits, facets, "did you mean", statistics, claims that say the same thing. Read-only.

The query language is query.py's; the ranking, ranking.py's (words) and hybrid.py's (meaning).
"""
from __future__ import annotations

import datetime
import json
import os
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
from whoosh import query as Q
from whoosh.spelling import ListCorrector
from whoosh.sorting import FieldFacet

from . import hybrid
from .analysis import WORDS, _term, terms
from .errors import QueryError
from .models import Hit, Model
from .normalise import alias_forms, fold, load_aliases
from .postings import Postings
from .provenance import date_bound
from .query import OPERATORS, TEXT, _Compiler, _parser, _stems, _unit_terms, check_query, match_names
from .ranking import _needs_doctype, _tier_lists, _tiers, weighting
from .schema import SCHEMA_VERSION, file_records, key, open_index
from .vectors import VectorStore, centred, embed_query
from .wordscores import WordScores

CLAIMS = Q.Term("keys", key("doctype", "claim"))  # not the records of input files
MARK = "**"  # how `Hit.highlight` marks a matched word


class SourceCount(Model):
    name: str
    claims: int


class Facets(Model):
    """Sources and speakers of the claims that match a query, with claim counts, most frequent first."""

    claims: int
    sources: tuple[SourceCount, ...]
    speakers: tuple[SourceCount, ...]


class IndexStats(Model):
    index: str
    schema_version: int
    articles: int
    claims: int
    attributed: int
    sources: int
    speakers: int
    languages: dict[str, int]
    size_bytes: int


# ---------------------------------------------------------------------------------------- searching

class ClaimIndex:
    """An open index with a searcher kept ready for repeated queries (refreshed when the index changes).

        with ClaimIndex("index") as idx:
            hits = idx.search("Starlink Taïwan", source="WSJ")
    """

    def __init__(self, index_dir: str | Path = "index") -> None:
        self.index_dir = Path(index_dir)
        self.ix = open_index(self.index_dir)
        self._fresh()

    def _fresh(self) -> None:
        """A new searcher, and nothing kept from the previous one."""
        self._searcher = self.ix.searcher(weighting=weighting())
        self._filter_sets: dict[Q.Query, object] = {}
        self._cols = None
        self._names = None
        self._vectors = None
        self._postings = None
        self._words = None
        self._claim_sets: dict[Q.Query, object] = {}

    def __enter__(self) -> ClaimIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._searcher.close()

    @property
    def searcher(self):
        if not self._searcher.up_to_date():  # an indexing run committed since: see its claims
            # a new searcher, not Searcher.refresh(): whoosh3 3.54's refresh fails on an empty index
            self._searcher.close()
            self._fresh()
        return self._searcher

    def compile(self, query: str = "", **filters) -> tuple[Q.Query | None, Q.Query]:
        """(ranking query or None, filter query) for a query string and the search filters."""
        ranked, wanted, _ = self._compile(query, **filters)
        return ranked, wanted

    def _compile(self, query: str, **filters):
        """(ranking query or None, every filter with the claims-only one, the filters given)."""
        check_query(query)
        compiler = _Compiler(self.searcher)
        ranked = compiler.compile(_parser().parse(query)) if query.strip() else None
        restrict = [*compiler.filters, *self._filters(compiler, **filters)]
        return ranked, Q.And([CLAIMS, *restrict]), restrict

    def _filters(self, compiler: _Compiler, *, source: str | None = None, speaker: str | None = None,
                 lang: str | None = None, article: str | frozenset[str] | None = None, scope: str | None = None,
                 attributed: bool | None = None, stance: str | None = None, kind: str | None = None,
                 since: datetime.date | str | None = None, until: datetime.date | str | None = None) -> list[Q.Query]:
        """`article`: one id, or a set of ids for claims of any of them (the web page's outlet)."""
        out = [compiler.field(f, v) for f, v in [("source", source), ("speaker", speaker), ("lang", lang),
                                                 ("article", article if isinstance(article, str) else None),
                                                 ("scope", scope), ("stance", stance), ("kind", kind)] if v]
        if article is not None and not isinstance(article, str):
            out.append(Q.Or([Q.Term("article_id", a) for a in sorted(article)]) if article else Q.NullQuery)
        if attributed is not None:
            out.append(Q.Term("keys", key("attributed", attributed)))
        if since or until:  # a string is what a user typed: "2019", "12/01/2019", "yesterday"
            since = date_bound(since, option="since") if isinstance(since, str) else since
            until = date_bound(until, end=True, option="until") if isinstance(until, str) else until
            out.append(Q.TermRange("date", since and since.isoformat(), until and until.isoformat()))
        return out

    def search(self, query: str = "", *, limit: int | None = 10, mode: hybrid.Mode = "hybrid", group: bool = False,
               **filters) -> list[Hit]:
        """Claims matching `query` and the filters, best first; an empty query lists every match in order.

        `mode`: "words" ranks by the query's words, "meaning" by the claims' vectors (a paraphrase,
        the other language), "hybrid" fuses both (hybrid.py). `group`: a claim that says the same as
        a better-ranked one in another article is folded into it (`Hit.also_in`).
        """
        if limit is not None and limit < 1:
            raise QueryError(f"limit must be at least 1 (got {limit}); use None for every match")
        hybrid.check_mode(mode)
        ranked, wanted, restrict = self._compile(query, **filters)  # refreshes the searcher if need be
        if any(isinstance(w, type(Q.NullQuery)) for w in wanted.subqueries):
            return []
        s = self._searcher  # the same one to the end, even if an indexing run commits meanwhile
        if ranked is None:
            results = s.search(wanted, limit=limit, sortedby=[FieldFacet("article_id"), FieldFacet("sentence")])
            scored = [(0.0, r.docnum) for r in results]
        else:
            if _needs_doctype(ranked):  # NOT or Every could match the records of input files
                restrict = [CLAIMS, *restrict]
            allowed = self._allowed(restrict)
            if allowed is not None and not len(allowed):  # Whoosh reads an empty filter as no filter
                return []
            depth = None if limit is None else limit * 3 if group else limit
            if mode == "words" or (mode == "hybrid" and hybrid.by_words(query, limit)):
                scored = _tiers(s, ranked, allowed, depth, self._position, self._word_scores())
            else:
                scored = self._by_meaning(query, mode, ranked, allowed, restrict, depth)
        marks = _marked_terms(ranked)
        if not group:
            return [self._hit(doc, score, marks) for score, doc in scored]
        docs = [doc for _, doc in scored]
        articles = [json.loads(s.stored_fields(d)["data"])["article_id"] for d in docs]
        folded = hybrid.fold(docs, self.vectors.matrix[docs], articles, limit)
        score = dict((d, sc) for sc, d in scored)
        return [self._hit(doc, score[doc], marks, also=[articles[docs.index(d)] for d in more])
                for doc, more in folded]

    def _hit(self, doc: int, score: float, marks, also=()) -> Hit:
        data = json.loads(self._searcher.stored_fields(doc)["data"])
        return Hit(**data, score=round(score, 4), highlight=_highlight(data, marks),
                   also_in=tuple(dict.fromkeys(a for a in also if a != data["article_id"])))

    def _word_scores(self) -> WordScores:
        """The word ranking over posting arrays (wordscores.py) of the current searcher."""
        if self._words is None:
            self._words = WordScores(self._searcher, TEXT)
        return self._words

    @property
    def vectors(self) -> VectorStore:
        """Every claim's vector, read once per searcher (a new one after an indexing run)."""
        s = self.searcher
        if self._vectors is None:
            self._vectors = VectorStore(self.index_dir, s.reader())
        return self._vectors

    def _claim_docs(self, restrict: list[Q.Query]) -> np.ndarray:
        """The claims the filters allow, as document numbers (kept for the life of the searcher)."""
        key = Q.And([CLAIMS, *restrict])
        if key not in self._claim_sets:
            if len(self._claim_sets) > 64:
                self._claim_sets.clear()
            self._claim_sets[key] = np.fromiter(self._allowed([CLAIMS, *restrict]), dtype=np.int64)
        return self._claim_sets[key]

    def _by_meaning(self, query: str, mode: str, ranked, allowed, restrict, limit) -> list[tuple[float, int]]:
        """(score, doc): claims by cosine with the query ("meaning"), or fused with the word ranking.

        In hybrid, the query's vector is computed in a thread while this one runs the word ranking
        (the encoder releases the GIL), so on two cores a query costs the slower side, not their
        sum (benchmarks/README.md)."""
        docs, store = self._claim_docs(restrict), self.vectors
        depth = limit if mode == "meaning" or limit is None else max(hybrid.DEPTH, limit)
        if mode == "meaning":
            return store.nearest(embed_query(hybrid.free_text(query)), docs, depth)
        vector = _beside().submit(embed_query, hybrid.free_text(query))
        every, some = _tier_lists(self._searcher, ranked, allowed, depth, self._position, self._word_scores())
        most = {d for (_, d), share in zip(some, self._coverage(ranked, [d for _, d in some])) if share >= hybrid.MOST}
        v = vector.result()
        near = store.nearest(v, docs, depth)
        blended = np.fromiter({d: None for _, d in [*some, *near]}, dtype=np.int64)  # fuse reads these cosines
        cosines = np.zeros(len(store.matrix), dtype=np.float32)
        cosines[blended] = store.cosines(v, blended)
        return hybrid.fuse([d for _, d in every] + [d for _, d in some if d in most],
                           [x for x in some if x[1] not in most], [d for _, d in near], cosines, limit)

    def _coverage(self, ranked: Q.Query, docs: list[int]) -> list[float]:
        """The share of the query's words and names that each claim has (read from its stored text)."""
        units = _unit_terms(ranked)
        if not units:
            return [1.0] * len(docs)
        out = []
        for doc in docs:
            data = json.loads(self._searcher.stored_fields(doc)["data"])
            have = set(terms(data["text"], data["lang"]))
            out.append(sum(1 for u in units if u & have) / len(units))
        return out

    def similar(self, claim_id: str, *, limit: int | None = 10, threshold: float = hybrid.SAME) -> list[Hit]:
        """The claims that say what `claim_id` says, in other articles and languages, earliest first.

        The claim itself is among them, so the list reads as the statement's history: its first
        appearance, then its relays (undated articles last). One claim per article, the closest;
        `score` is the centred cosine with the claim (`vectors.centred`); `limit` keeps the closest.
        """
        s = self.searcher
        doc = s.document_number(id=claim_id)
        if doc is None:
            raise QueryError(f"no claim with id {claim_id!r} in {self.index_dir}; "
                             "`claimsearch query --json` shows the ids")
        docs = self._claim_docs([])
        cosines = np.zeros(len(self.vectors.matrix), dtype=np.float32)
        cosines[docs] = centred(self.vectors.matrix[docs]) @ centred(self.vectors.row(doc))
        articles = self.searcher.reader().column_reader("article_id")
        seen = {articles[doc]}
        close = [(1.0, doc)]  # the claim itself, then the closest claim of each other article
        for c, d in hybrid.nearest(cosines, docs[cosines[docs] >= threshold], None):
            if articles[d] not in seen:
                seen.add(articles[d])
                close.append((c, d))
        hits = [self._hit(d, c, {}) for c, d in close[:limit]]
        return sorted(hits, key=lambda h: (h.date is None, h.date or datetime.date.min, h.article_id, h.sentence))

    def _allowed(self, restrict: list[Q.Query]):
        """The documents the filters allow, as a bit set kept for the life of the searcher (None: all)."""
        if not restrict:
            return None
        key = Q.And(restrict)
        if key not in self._filter_sets:
            if len(self._filter_sets) > 256:
                self._filter_sets.clear()
            self._filter_sets[key] = self._searcher._filter_to_comb(key)
        return self._filter_sets[key]

    def _position(self, doc: int) -> tuple[int, int]:
        """Where a claim sits, as a key that is greater for earlier claims (article id order, then sentence).

        Equal scores are ordered by it, not by Whoosh's document number, which depends on commit
        history. Read from the sortable columns, not from the stored documents.
        """
        if self._cols is None:
            reader = self._searcher.reader()
            ranks = {a: i for i, a in enumerate(reader.field_terms("article_id"))}
            article, sentence = reader.column_reader("article_id"), reader.column_reader("sentence")
            self._cols = lambda d: (-ranks.get(article[d], len(ranks)), -sentence[d])
        return self._cols(doc)

    @property
    def postings(self) -> Postings:
        """The text field's posting lists in memory, read once per searcher (a new one after an indexing run)."""
        s = self.searcher
        if self._postings is None:
            self._postings = Postings(s, TEXT)
        return self._postings

    def matching(self, query: str = "", **filters) -> np.ndarray:
        """Document numbers of every claim matching the query and filters, sorted: what a facet
        counter counts (`browsing.Browser`). The query's documents from `postings`, intersected
        with the claims the filters allow (kept for the life of the searcher)."""
        ranked, wanted, restrict = self._compile(query, **filters)
        if any(isinstance(w, type(Q.NullQuery)) for w in wanted.subqueries):
            return np.zeros(0, dtype=np.int64)
        allowed = self._claim_docs(restrict)
        if ranked is None:
            return allowed
        docs = self.postings.docs(ranked)
        return docs[_within(docs, allowed)]

    def facets(self, query: str = "", **filters) -> Facets:
        """Sources and speakers of every claim matching the query and filters, with claim counts."""
        ranked, wanted = self.compile(query, **filters)
        if any(isinstance(w, type(Q.NullQuery)) for w in wanted.subqueries):
            return Facets(claims=0, sources=(), speakers=())
        results = self.searcher.search(Q.And([ranked, wanted]) if ranked else wanted, limit=None)
        sources, speakers = Counter(), Counter()
        for r in results:
            data = json.loads(r["data"])
            sources.update(set(data.get("sources", ())))
            if data.get("speaker"):
                speakers[data["speaker"]] += 1
        counts = lambda c: tuple(SourceCount(name=n, claims=k) for n, k in sorted(c.items(), key=lambda x: (-x[1], x[0])))  # noqa: E731
        return Facets(claims=len(results), sources=counts(sources), speakers=counts(speakers))

    def suggest(self, query: str) -> str | None:
        """The query with misspelt words replaced by the closest indexed name word ("Pelossi" → pelosi)."""
        check_query(query)
        s = self.searcher
        reader = s.reader()
        corrector = ListCorrector(self._suggestable_words())
        changed, out = False, []
        for word in re.findall(r'\S+', query):
            bare = word.strip('"()')
            if bare in OPERATORS or ":" in bare or not terms(bare):
                out.append(word)
                continue
            known = any(reader.doc_frequency(TEXT, t) for toks in _stems(bare) for t in toks)
            guess = None if known else next(iter(corrector.suggest(fold(bare), limit=1, maxdist=2)), None)
            if guess and guess != fold(bare):
                out.append(word.replace(bare, guess))
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None

    def _suggestable_words(self) -> list[str]:
        """The folded words of every indexed source, speaker and entity and of their alias forms,
        sorted: what "did you mean" picks from (the text field holds stems, not words to show)."""
        if self._names is None:
            table, words = load_aliases(), set()
            for field in ("source", "speaker", "entity"):
                prefix = key(field, "")
                for term in self._searcher.reader().expand_prefix("keys", prefix):
                    name = (term.decode("utf-8") if isinstance(term, bytes) else term)[len(prefix):]
                    words.update(w for form in [name, *alias_forms(name, table)] for w in fold(form).split())
            self._names = sorted(words)
        return self._names

    def stats(self) -> IndexStats:
        s = self.searcher
        langs = Counter()
        for lang in ("fr", "en"):
            langs[lang] = len(s.search(Q.Term("keys", key("lang", lang)), limit=None))
        facets = self.facets()
        size = sum(f.stat().st_size for f in self.index_dir.iterdir() if f.is_file())
        return IndexStats(index=str(self.index_dir), schema_version=SCHEMA_VERSION,
                          articles=len({a for r in file_records(s).values() for a in r["articles"]}),
                          claims=facets.claims, attributed=len(s.search(Q.Term("keys", key("attributed", True)), limit=None)),
                          sources=len(facets.sources), speakers=len(facets.speakers),
                          languages={k: v for k, v in langs.items() if v}, size_bytes=size)


@cache
def _beside() -> ThreadPoolExecutor:
    """The one thread that computes a hybrid query's vector (started at the first such query)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimsearch-meaning")


os.register_at_fork(after_in_child=_beside.cache_clear)  # a forked process has no thread: it starts its own


def similar(claim_id: str, index_dir: str | Path = "index", **options) -> list[Hit]:
    """The claims that say what `claim_id` says, earliest first (see `ClaimIndex.similar`)."""
    with ClaimIndex(index_dir) as idx:
        return idx.similar(claim_id, **options)


def search(query: str = "", index_dir: str | Path = "index", **filters) -> list[Hit]:
    """One search: open the index, run the query with its filters, close.

    >>> search("Putin Musk talks", index_dir="index", source="WSJ", limit=3)
    """
    with ClaimIndex(index_dir) as idx:
        return idx.search(query, **filters)


def _within(docs: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Which of `docs` are in `allowed` (sorted), as a mask: a binary search per doc, not a sort of both."""
    if not len(allowed):
        return np.zeros(len(docs), dtype=bool)
    at = np.minimum(np.searchsorted(allowed, docs), len(allowed) - 1)
    return allowed[at] == docs


# ---------------------------------------------------------------------------------------- highlighting

def _marked_terms(q: Q.Query | None) -> dict[str, set[str]]:
    """field → terms of the query that count as a match in that field (not the negated ones)."""
    marks: dict[str, set[str]] = {}
    if q is None:
        return marks
    for field, text in q.iter_all_terms(phrases=True):
        marks.setdefault(field, set()).add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return marks


def _highlight(claim: dict, marks: dict[str, set[str]]) -> str | None:
    """The claim text with every word that matched the query wrapped in MARK."""
    stems = marks.get(TEXT)
    if not stems:
        return None
    text, lang = claim["text"], claim["lang"]
    out, last = [], 0
    for m in WORDS.finditer(text):
        if _term(m[0], lang) in stems:
            out += [text[last:m.start()], MARK, m[0], MARK]
            last = m.end()
    return "".join(out + [text[last:]])


__all__ = ["ClaimIndex", "Facets", "IndexStats", "SourceCount", "check_query", "match_names", "search", "similar"]
