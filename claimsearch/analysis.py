"""The Whoosh analyzers: the one place where text becomes index terms, at index time and query time.

Chain: RegexTokenizer | LowercaseFilter | UnidecodeFilter | StopFilter(fr+en) | StemFilter(lang).

Fold before stemming: the French stemmer gives "régulièrement" the stem `reguli` but the accent-free
"regulierement" the stem `regulier`, so a query typed without accents would miss. Folding first
makes both one word before any suffix is cut.

Claims and queries mix French and English, and one Snowball stemmer cannot serve both (a light
plural-only stemmer would lose "keeping"→"keep" or "supprimés"→"supprim"). So a claim's words are
stemmed in the claim's own language and indexed as a list of terms in one field, and a query word
is looked up under both its French and its English stem. One field, not one per language: every
field a word is searched in is one more posting list to merge for every document.

`terms` is the chain's result computed per distinct word and cached: indexing and query expansion
call it for every claim and every alias form, and a word's terms never change. A test holds it
equal to the Whoosh chain on the whole corpus.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language, stopwords_for_language

from .folding import fold

TOKEN = r"\w+"
WORDS = re.compile(TOKEN)
# Stop words a claim search must keep: negations and comparisons change what a claim says
# ("not above the law", "no evidence", "ne … pas").
KEEP = frozenset("not no nor against above below over under more most few only ne pas contre".split())
MISSING = frozenset(["les"])  # Whoosh's (NLTK's) French list has "le" and "la" but not "les"


class UnidecodeFilter(Filter):
    """Folds each token to ASCII with unidecode ("Taïwan" → taiwan, "cœur" → coeur).

    Whoosh's CharsetFilter with its accent map leaves "œ" alone; unidecode does not. Module-level,
    so the schema that holds it pickles into the index.
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens):
        for t in tokens:
            t.text = _fold_token(t.text)
            yield t


@lru_cache(maxsize=100_000)
def _fold_token(text: str) -> str:
    """One token folded; cached, since a language has far fewer distinct words than an index has tokens.

    unidecode may give several words or punctuation ("½" → " 1/2"): keep one alphanumeric run."""
    return fold(text).replace(" ", "")


@cache
def stop_words() -> frozenset[str]:
    """French and English stop words, folded the way tokens are (so "à", "été" match "a", "ete")."""
    words = set(stopwords_for_language("fr")) | set(stopwords_for_language("en")) | MISSING
    return frozenset(_fold_token(w) for w in words) - KEEP


def analyzer(lang: str | None = None):
    """The chain for one field: stemmed for `lang` ("fr", "en"), unstemmed for names (None)."""
    chain = RegexTokenizer(TOKEN) | LowercaseFilter() | UnidecodeFilter() | StopFilter(stoplist=stop_words(), minsize=2)
    return chain | StemFilter(lang=lang) if lang else chain


def terms(text: str, lang: str | None = None) -> list[str]:
    """The index terms of a text: what `analyzer(lang)` gives, one cached lookup per word."""
    return [t for t in (_term(w, lang) for w in WORDS.findall(text)) if t]


@lru_cache(maxsize=200_000)
def _term(word: str, lang: str | None) -> str | None:
    """One word through the chain: lowercase, fold, drop stop words and single letters, stem."""
    folded = _fold_token(word.lower())
    if len(folded) < 2 or folded in stop_words():
        return None
    return _stemmer(lang)(folded) if lang else folded


@cache
def _stemmer(lang: str):
    return stemmer_for_language(lang)
