"""A query string → a Whoosh query: parse, check, expand names to all their forms, filters.

The query language (what `claimsearch query --help` documents):
  words            ranked: claims with every word first, then those with most of them (rarer words weigh more)
  a AND b, a OR b, NOT a, ( … )        boolean structure (operators in capitals)
  "exact phrase"   the words next to each other (accents and case still ignored)
  field:value      source: speaker: entity: lang: article: scope: stance: kind: date:
Known names are expanded to every written form from the alias table (Putin → Poutine, Vladimir
Putin…), so a query in one language finds claims written in the other.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from whoosh import qparser, query as Q
from whoosh.qparser import plugins as P

from .analysis import terms
from .errors import QueryError
from .normalise import alias_forms, fold, load_aliases
from .ranking import _AndNot, _Coordinated, _Max
from .schema import key

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
        if field == "stance" and value.lower() == "none":  # the cue says nothing of the claim: it has no stance key
            return Q.Not(Q.Prefix("keys", key("stance", "")))
        return Q.Term("keys", key(field, value.lower()))


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


def _unit_terms(q: Q.Query) -> list[set[str]]:
    """The text terms of each word or name of a ranked query (none: it is one unit, or has no words)."""
    if isinstance(q, Q.AndNot):
        return _unit_terms(q.a)
    if not isinstance(q, _Coordinated):
        return []
    return [{t for f, t in (*sub.iter_all_terms(phrases=True), *getattr(sub, "name_terms", ())) if f == TEXT}
            for sub in q.subqueries]
