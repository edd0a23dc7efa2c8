"""The analyzer: the same terms for a word however it is typed, and a schema that pickles."""
from __future__ import annotations

import pickle

import pytest

from claimsearch.analysis import analyzer, stop_words, terms
from claimsearch.indexing import schema


@pytest.mark.parametrize("lang", ["fr", "en", None])
def test_accents_are_folded_before_stemming(lang):
    # fr-03's slug title is the accent-stripped copy of its title: both must give the same terms
    assert terms("régulièrement", lang) == terms("regulierement", lang)
    assert terms("Elon Musk et Vladimir Poutine se parlent régulièrement", lang) == \
        terms("Elon Musk et Vladimir Poutine se parlent regulierement", lang)


def test_folding_covers_what_charsetfilter_misses():
    assert terms("Taïwan") == ["taiwan"]
    assert terms("cœur") == ["coeur"]  # Whoosh's accent map leaves "œ"
    assert terms("Criméedécision") == ["crimeedecision"]


def test_stemmers_are_per_language():
    assert terms("supprimés", "fr") == terms("supprimer", "fr")
    assert terms("keeping", "en") == terms("keep", "en")
    assert terms("Rennes") == ["rennes"]  # names are never stemmed


def test_stop_words_are_folded_and_negations_kept():
    stops = stop_words()
    assert {"a", "ete", "the", "les"} <= stops  # "à", "été": folded like the tokens they meet
    assert terms("They are not above the law", "en") == terms("not above law", "en")
    assert len(terms("They are not above the law", "en")) == 3
    assert "pas" in terms("ne baissera pas les bras", "fr")


def test_punctuation_and_apostrophes_split_words():
    assert terms("L’assemblée nationale", "fr") == terms("l'assemblee nationale", "fr")
    assert terms("Aulnay-sous-Bois") == ["aulnay", "sous", "bois"]


def test_schema_and_analyzers_pickle():
    # Whoosh pickles the schema into the index: a lambda or a closure would break opening it
    s = schema()
    again = pickle.loads(pickle.dumps(s))
    assert again.names() == s.names()
    assert [t.text for t in again["text"].analyzer("Régulièrement")] == terms("regulierement")
    assert pickle.loads(pickle.dumps(analyzer("en")))


@pytest.mark.parametrize("lang", ["fr", "en", None])
def test_cached_terms_equal_the_whoosh_chain_on_the_corpus(lang):
    # `terms` is what indexes claims and expands queries; the chain is what the schema holds
    from .index_fixtures import FIXTURES

    chain = analyzer(lang)
    for path in sorted((FIXTURES / "corpus").rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert terms(text, lang) == [t.text for t in chain(text)], path.name
