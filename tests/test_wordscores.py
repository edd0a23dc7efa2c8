"""The word ranking computed with numpy (wordscores.py) gives the lists Whoosh's matchers give
(ranking.py): the same claims, the same rounded scores, the same order of equal scores, with
filters, a claim list to leave out, several segments and deleted claims."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimsearch.errors import QueryError
from claimsearch.indexing import remove_articles
from claimsearch.query import TEXT
from claimsearch.ranking import _tier_lists
from claimsearch.searching import ClaimIndex
from claimsearch.wordscores import WordScores

from .index_fixtures import build, gold_index  # noqa: F401
from .test_query_robustness import SETTINGS, queries

QUERIES = ["Trump", "Donald Trump", "Poutine Musk", "Putin asked Musk about Starlink over Taiwan",
           "Erdogan Syrie kurdes", "le gouvernement grec veut ouvrir le gazoduc", "the president may declare a national emergency",
           "Schumer federal workers hostage", "Pelosi keeping border safe", "CGT dividendes grève", "said", "a déclaré que",
           "Starlink", 'Trump "New York"', "Wall Street Journal", "New York Times"]  # phrases: a name's forms, or typed
FILTERS = [{}, {"lang": "en"}, {"lang": "fr", "attributed": True}, {"source": "WSJ"}]


@pytest.fixture(scope="module")
def idx(gold_index):  # noqa: F811
    with ClaimIndex(gold_index) as index:
        yield index


def both(idx: ClaimIndex, query: str, limit: int, **filters):
    """(Whoosh's tier lists, numpy's, whether numpy computed them) for a query and filters."""
    ranked, _, restrict = idx._compile(query, **filters)
    allowed = idx._allowed(restrict)
    words = WordScores(idx.searcher, TEXT)
    whoosh = _tier_lists(idx.searcher, ranked, allowed, limit, idx._position)
    return whoosh, _tier_lists(idx.searcher, ranked, allowed, limit, idx._position, words), words.supports(ranked)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("filters", FILTERS)
def test_the_same_ranking_as_the_matchers(idx, query, filters):
    for limit in (1, 3, 10, 20, 50):
        whoosh, numpy, computed = both(idx, query, limit, **filters)
        assert computed
        assert numpy == whoosh


def test_the_queries_above_find_claims_and_some_have_every_word(idx):
    lists = [both(idx, q, 10)[0] for q in QUERIES]
    assert all(first or rest for first, rest in lists)
    assert any(first for first, _ in lists) and any(rest for _, rest in lists)


def test_ties_are_kept_in_article_order(idx):
    """"said": many claims score the same; the limit cuts inside a run of equal scores."""
    whoosh, numpy, _ = both(idx, "said", 5)
    scores = [s for s, _ in whoosh[0] + whoosh[1]]
    assert len(set(scores)) < len(scores) and numpy == whoosh


@pytest.mark.parametrize("query", ["Trump NOT Bolton", "Musk ANDNOT Trump", "(Musk OR Trump) AND said"])
def test_what_numpy_does_not_compute_is_left_to_the_matchers(idx, query):
    """A negation, a boolean structure."""
    whoosh, numpy, _ = both(idx, query, 10)
    assert numpy == whoosh and (whoosh[0] or whoosh[1])


@settings(SETTINGS, max_examples=300)
@given(query=queries, limit=st.sampled_from([1, 5, 20]))
def test_the_same_ranking_for_any_query(idx, query, limit):
    try:
        ranked, _, _ = idx._compile(query)
    except QueryError:
        return
    if ranked is not None:
        whoosh, numpy, _ = both(idx, query, limit)
        assert numpy == whoosh


def test_deleted_claims_are_not_ranked(tmp_path):
    build(tmp_path)
    with ClaimIndex(tmp_path) as idx:
        gone = min(idx.searcher.stored_fields(d)["article_id"] for _, d in both(idx, "Trump said", 20)[0][0])
    remove_articles([gone], index_dir=tmp_path)
    with ClaimIndex(tmp_path) as idx:
        assert idx.searcher.reader().has_deletions() and len(idx.searcher.reader().leaf_readers()) > 1
        for query in ("Trump said", "Trump", "White House officials"):
            whoosh, numpy, computed = both(idx, query, 20)
            assert computed and numpy == whoosh
            assert gone not in {idx.searcher.stored_fields(d)["article_id"] for _, d in numpy[0] + numpy[1]}
