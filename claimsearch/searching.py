"""Query → list[Hit]: parse, expand names to all their forms, search, highlight. Read-only.

The query language (what `claimsearch query --help` documents):
  words            ranked: claims with every word first, then those with most of them (rarer words weigh more)
  a AND b, a OR b, NOT a, ( … )        boolean structure (operators in capitals)
  "exact phrase"   the words next to each other (accents and case still ignored)
  field:value      source: speaker: entity: lang: article: scope: stance: kind: date:
Known names are expanded to every written form from the alias table (Putin → Poutine, Vladimir
Putin…), so a query in one language finds claims written in the other.
"""
from __future__ import annotations

import datetime
import heapq
import json
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from whoosh import collectors, matching, qparser, query as Q, scoring
from whoosh.qparser import plugins as P
from whoosh.spelling import ListCorrector
from whoosh.sorting import FieldFacet
from whoosh.util import make_binary_tree

from . import hybrid
from .analysis import WORDS, _term, terms
from .errors import QueryError
from .indexing import SCHEMA_VERSION, file_records, key, open_index
from .models import Hit, Model
from .normalise import alias_forms, fold, load_aliases
from .provenance import date_bound
from .vectors import VectorStore, centred, embed_query

DEFAULT = "_"  # the parser's field for free words, rewritten into the real fields below
TEXT = "text"  # the one searched field: claim words (and who said them), stemmed in the claim's language
LANGS = ("fr", "en")  # a query word is looked up under the stem of each
FILTER_FIELDS = ("source", "speaker", "entity", "lang", "article", "scope", "stance", "kind", "date")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
MAX_NAME_WORDS = 6
# Whoosh's parser recurses once per parenthesis (500 of them: RecursionError) and takes exponential
# time over a chain "a ANDNOT b ANDNOT c …" (18 links: 3 s, each two more: ×4); nobody types more.
MAX_DEPTH = 32
MAX_BINARY = 10  # ANDNOT and ANDMAYBE in one query
BM25_B = 0.5
CLAIMS = Q.Term("keys", key("doctype", "claim"))  # not the records of input files
MARK = "**"  # how `Hit.highlight` marks a matched word


def weighting():
    """BM25F with a milder length penalty than Whoosh's default (B=0.75): a claim that carries its
    quotation is longer, not less relevant."""
    return scoring.BM25F(B=BM25_B, K1=1.2)


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


# ---------------------------------------------------------------------------------------- parsing

@cache
def _parser() -> qparser.QueryParser:
    """Whoosh's parser with no schema: it gives the structure and raw words; analysis comes after."""
    fields = P.FieldsPlugin(expr=r"(?P<text>(?:%s)):" % "|".join(FILTER_FIELDS))
    return qparser.QueryParser(DEFAULT, None, group=qparser.OrGroup, plugins=[
        P.WhitespacePlugin(), P.SingleQuotePlugin(), fields, P.PhrasePlugin(), P.GroupPlugin(), P.OperatorsPlugin()])


def check_query(text: str) -> None:
    """Refuse what the parser would silently guess at, with one line that says what is wrong."""
    bad = next((ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"), None)
    if bad is not None:
        raise QueryError(f"query contains a control character (U+{ord(bad):04X}); type plain text")
    if text.count('"') % 2:
        raise QueryError(f'unbalanced " in query {text!r}: close the phrase or remove the quote')
    depth = deepest = 0
    for ch in re.sub(r'"[^"]*"', "", text):
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
        if depth < 0:
            raise QueryError(f"query {text!r} closes a parenthesis it never opened")
    if depth:
        raise QueryError(f"query {text!r} opens a parenthesis it never closes")
    if deepest > MAX_DEPTH:
        raise QueryError(f"query nests {deepest} parentheses deep; at most {MAX_DEPTH}")
    words = re.sub(r'"[^"]*"', "x", text).replace("(", " ( ").replace(")", " ) ").split()
    if sum(w in ("ANDNOT", "ANDMAYBE") for w in words) > MAX_BINARY:
        raise QueryError(f"query has more than {MAX_BINARY} ANDNOT/ANDMAYBE; group what to exclude: "
                         "a ANDNOT (b OR c OR d)")
    for i, word in enumerate(words):
        if word in OPERATORS:
            before = words[i - 1] if i else None
            after = words[i + 1] if i + 1 < len(words) else None
            if after is None or after in OPERATORS - {"NOT"} or after == ")":
                raise QueryError(f"{word} needs something after it in query {text!r}")
            if word != "NOT" and (before is None or before in OPERATORS or before == "("):
                raise QueryError(f"{word} needs something before it in query {text!r}")
        unknown = re.match(r"([^\W\d_]+):(?!/)\S", word)
        if unknown and unknown[1] not in FILTER_FIELDS:
            raise QueryError(f"unknown field {unknown[1]}: in query {text!r}; the fields are "
                             + " ".join(f + ":" for f in FILTER_FIELDS))
        m = re.fullmatch(r"(%s):" % "|".join(FILTER_FIELDS), word)
        if m:
            raise QueryError(f"{m[1]}: needs a value in query {text!r} (e.g. {m[1]}:WSJ or {m[1]}:\"Le Pen\")")


def _word_units(words: list[str]) -> list[Q.Query]:
    """Free words → one query per word, or per known name written over several words.

    A name (any form from the alias table, "Putin", "WSJ", "mer de Java") becomes the maximum over
    all its forms, so a claim scores for the name once however many of its forms it contains.
    """
    table = load_aliases()
    units: list[Q.Query] = []
    i = 0
    while i < len(words):
        for size in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            written = " ".join(words[i:i + size]).strip(".,;:!?'’")
            name = table.canonical(written) if written else None
            if name:
                alts = [q for q in (_text_query(f.split(), as_word=True) for f in _name_forms(written, name))
                        if q is not None]
                if alts:
                    unit = _Max(alts)
                    unit.name_terms = _name_words(written, name)  # what counts as the name being present
                    units.append(unit)
                i += size
                break
        else:
            units.extend(_token_units(words[i]))
            i += 1
    return units


@lru_cache(maxsize=4096)
def _name_forms(written: str, name: str) -> tuple[str, ...]:
    """The forms of a name worth searching: one per distinct list of terms, none containing a one-word form.

    "Donald J. Trump" and "Donald Trump" give the same terms; and every claim with the phrase
    "donald trump" also has the word "trump", which the maximum over forms already scores. Phrases
    read positions and stop Whoosh from skipping blocks that cannot reach the top hits, so the
    name "Trump" costs one word, not three phrases.
    """
    forms: dict[tuple[str, ...], str] = {}
    for form in [written, *alias_forms(name, load_aliases())]:
        forms.setdefault(tuple(terms(form)), form)
    words = {t[0] for t in forms if len(t) == 1}
    return tuple(f for t, f in forms.items() if t and (len(t) == 1 or not words & set(t)))


@lru_cache(maxsize=4096)
def _name_words(written: str, name: str) -> frozenset[tuple[str, str]]:
    """(field, term) of every word of every form of a name: a claim with any of them has the name for coordination."""
    forms = [written, *alias_forms(name, load_aliases())]
    return frozenset((TEXT, t) for form in forms for lang in LANGS for t in terms(form, lang))


def _stems(text: str) -> list[tuple[str, ...]]:
    """The distinct term lists of a text under each language's stemmer (one list when they agree)."""
    return list(dict.fromkeys(tuple(terms(text, lang)) for lang in LANGS))


def _token_units(word: str) -> list[Q.Query]:
    """One word (maybe several tokens: "Sainte-Sophie") → one query per token, under each stem.

    Both languages share tokenizer and stop list, so their terms line up one to one.
    """
    stems = _stems(word)
    return [_or([Q.Term(TEXT, t) for t in dict.fromkeys(s[k] for s in stems)]) for k in range(len(stems[0]))]


def _text_query(words: list[str], as_word: bool = False) -> Q.Query | None:
    """Words that must appear together, in order: a phrase under each language's stems.

    `as_word`: the phrase is one name ("Vladimir Putin") and should weigh about one word, not
    one per token, or claims with a full name would outrank claims with the other query words.
    """
    alts = [Q.Term(TEXT, toks[0]) if len(toks) == 1 else Q.Phrase(TEXT, list(toks), boost=1 / len(toks) if as_word else 1)
            for toks in _stems(" ".join(words)) if toks]
    return _or(alts)


class _Compiler:
    """Rewrites the parser's tree: free words into the real fields, field:value into filters."""

    def __init__(self, ix_searcher) -> None:
        self.searcher = ix_searcher
        self.filters: list[Q.Query] = []  # field:value terms met in an OR group: they restrict, not rank

    def compile(self, q: Q.Query, top: bool = True) -> Q.Query | None:
        if isinstance(q, (Q.Term, Q.Phrase)) and q.fieldname != DEFAULT:
            return self.field(q.fieldname, q.text if isinstance(q, Q.Term) else " ".join(q.words))
        if isinstance(q, Q.Term):
            return _or(_word_units([q.text]))
        if isinstance(q, Q.Phrase):
            return _text_query(q.words)
        if isinstance(q, Q.Not):
            inner = self.compile(q.query, top=False)
            return Q.Not(inner) if inner is not None else None
        if isinstance(q, Q.BinaryQuery):  # AndNot, AndMaybe
            a, b = self.compile(q.a, top=False), self.compile(q.b, top=False)
            if b is None:
                return a
            if a is None:  # only stop words before ANDNOT: everything but b
                return _AndNot(Q.Every(), b) if isinstance(q, Q.AndNot) else b
            return _AndNot(a, b) if isinstance(q, Q.AndNot) else q.__class__(a, b)
        if isinstance(q, (Q.And, Q.Or)):
            return self.group(q, top)
        if q is Q.NullQuery or isinstance(q, type(Q.NullQuery)):
            return None
        raise QueryError(f"unsupported query part {q}")

    def group(self, q: Q.CompoundQuery, top: bool) -> Q.Query | None:
        parts: list[Q.Query] = []
        excluded: list[Q.Query] = []
        run: list[str] = []
        is_or = isinstance(q, Q.Or)

        def flush():
            if run:
                units = _word_units(run)
                parts.extend(units)  # in an AND group each word (or name) is required
                run.clear()

        for sub in q.subqueries:
            if isinstance(sub, Q.Term) and sub.fieldname == DEFAULT:
                run.append(sub.text)
                continue
            flush()
            if is_or and isinstance(sub, Q.Not):  # "a b NOT c": exclude c, don't OR in everything else
                inner = self.compile(sub.query, top=False)
                if inner is not None:
                    excluded.append(inner)
            elif is_or and isinstance(sub, (Q.Term, Q.Phrase)) and sub.fieldname in FILTER_FIELDS:
                self.filters.append(self.compile(sub, top=False))
            else:
                compiled = self.compile(sub, top=False)
                if compiled is not None:
                    parts.append(compiled)
        flush()
        if top and is_or and len(parts) > 1:
            body = _Coordinated(parts)
        else:
            body = (_or(parts) if is_or else Q.And(parts)) if parts else None
        if excluded:
            body = _AndNot(body if body is not None else Q.Every(), _or(excluded))
        return body

    def field(self, field: str, value: str) -> Q.Query:
        if field in ("source", "speaker", "entity"):
            names = match_names(self.searcher, field, value)
            return _or([Q.Term("keys", key(field, n)) for n in names]) if names else Q.NullQuery
        if field == "article":
            return Q.Term("article_id", value)
        if field == "date":
            return Q.Prefix("date", value)
        return Q.Term("keys", key(field, value.lower()))


class _AndNot(Q.AndNot):
    """a ANDNOT b, with a matcher that survives `a` running out while it skips (see _AndNotMatcher)."""

    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


class _AndNotMatcher(matching.AndNotMatcher):
    """Whoosh's (3.54) AndNotMatcher asks an exhausted `a` for its id after a skip, and a finished
    matcher answers with IndexError or NotImplementedError: "said ANDNOT selon Musk" crashed."""

    def _find_next(self):
        if not self.a.is_active():
            return False
        return super()._find_next()


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
        doc = self.child.id()
        found, todo = set(), [self.child]
        while todo:
            m = todo.pop()
            if isinstance(m, _Unit):
                if m.is_active() and m.id() == doc:
                    found.add(m.i)
            elif m.is_active():
                todo.extend(m.children())
        for i, ps in enumerate(self.presence):
            if i not in found and any(_at(p, doc) for p in ps):
                found.add(i)
        return self.child.score() * self.boost * len(found) / len(self.presence)


def _at(m, doc: int) -> bool:
    """Whether a forward-only matcher has `doc` (moving it there if it is behind)."""
    if m.is_active() and m.id() < doc:
        m.skip_to(doc)
    return m.is_active() and m.id() == doc


def _or(parts: list[Q.Query]) -> Q.Query | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.Or(parts)


def match_names(searcher, field: str, wanted: str) -> list[str]:
    """Indexed source (or speaker) names that a user's short form or alias stands for.

    A name matches when every folded word of `wanted` appears in the name or one of its alias
    forms ("Le Pen" → Marine Le Pen and Jean-Marie Le Pen; "WSJ" → Wall Street Journal), or when
    both resolve to the same canonical entity.
    """
    table = load_aliases()
    want = set(fold(wanted).split())
    target = table.canonical(wanted)
    if not want:
        return []
    found = []
    prefix = key(field, "")
    for term in searcher.reader().expand_prefix("keys", prefix):
        name = (term.decode("utf-8") if isinstance(term, bytes) else term)[len(prefix):]
        if (target and table.canonical(name) == target) or any(
                want <= set(fold(form).split()) for form in [name, *alias_forms(name, table)]):
            found.append(name)
    return found


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
                 lang: str | None = None, article: str | None = None, scope: str | None = None,
                 attributed: bool | None = None, stance: str | None = None, kind: str | None = None,
                 since: datetime.date | str | None = None, until: datetime.date | str | None = None) -> list[Q.Query]:
        out = [compiler.field(f, v) for f, v in [("source", source), ("speaker", speaker), ("lang", lang),
                                                 ("article", article), ("scope", scope), ("stance", stance),
                                                 ("kind", kind)] if v]
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
                scored = _tiers(s, ranked, allowed, depth, self._position)
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
        """(score, doc): claims by cosine with the query ("meaning"), or fused with the word ranking."""
        docs = self._claim_docs(restrict)
        cosines = self.vectors.scores(embed_query(hybrid.free_text(query)))
        near = hybrid.nearest(cosines, docs, hybrid.DEPTH if mode == "hybrid" or limit is None else limit)
        if mode == "meaning":
            return near
        depth = None if limit is None else max(hybrid.DEPTH, limit)
        every, some = _tier_lists(self._searcher, ranked, allowed, depth, self._position)
        some_docs = [d for _, d in some]
        return hybrid.fuse([d for _, d in every], some_docs, self._coverage(ranked, some_docs),
                           [d for _, d in near], limit)

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

    def matching(self, query: str = "", **filters) -> list[int]:
        """Document numbers of every claim matching the query and filters, in no order: what a facet
        counter walks (`browsing.Browser`). The words' postings, checked against the filters' cached
        bit set; not an intersection with every claim of the index."""
        ranked, wanted, restrict = self._compile(query, **filters)
        if any(isinstance(w, type(Q.NullQuery)) for w in wanted.subqueries):
            return []
        if ranked is None or _needs_doctype(ranked):
            restrict = [CLAIMS, *restrict]
        allowed = self._allowed(restrict)
        if ranked is None:
            return list(allowed)
        if allowed is None:
            return list(ranked.docs(self._searcher))
        return [d for d in ranked.docs(self._searcher) if d in allowed]

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


def _tiers(searcher, ranked: Q.Query, allowed, limit: int | None, position) -> list[tuple[float, int]]:
    """(score, doc) of the best `limit` claims: those with every word of the query first.

    A claim that has all the words answers the question better than one that has a rarer word
    twice, and asking for them first is what keeps a query fast: the conjunction skips most of
    the documents that the ranked union would have to score. The union runs only when fewer than
    `limit` claims have every word, and then only over the others.
    """
    first, rest = _tier_lists(searcher, ranked, allowed, limit, position)
    return first + rest


def _tier_lists(searcher, ranked: Q.Query, allowed, limit: int | None, position):
    """`_tiers` as two lists: the claims with every word or name of the query, and the others."""
    every = _conjunction(ranked)
    if every is None:
        return _top(searcher, ranked, allowed, None, limit, position), []
    first = _top(searcher, every, allowed, None, limit, position)
    if limit is not None and len(first) >= limit:
        return first, []
    rest = _top(searcher, ranked, allowed, {d for _, d in first}, None if limit is None else limit - len(first), position)
    return first, rest


def _top(searcher, q: Q.Query, allowed, mask, limit: int | None, position) -> list[tuple[float, int]]:
    """(score, doc) of the best `limit` documents for `q`, equal scores in `position` order."""
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


def _unit_terms(q: Q.Query) -> list[set[str]]:
    """The text terms of each word or name of a ranked query (none: it is one unit, or has no words)."""
    if isinstance(q, Q.AndNot):
        return _unit_terms(q.a)
    if not isinstance(q, _Coordinated):
        return []
    return [{t for f, t in (*sub.iter_all_terms(phrases=True), *getattr(sub, "name_terms", ())) if f == TEXT}
            for sub in q.subqueries]


def _needs_doctype(q: Q.Query) -> bool:
    """Whether a ranking query can match documents without text (NOT x, Every): the input files' records."""
    return isinstance(q, (Q.Not, Q.Every)) or any(_needs_doctype(c) for c in q.children())


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
