"""`ClaimIndex.matching` (the claims a facet counter counts, from postings.py's arrays) finds exactly
the claims Whoosh's own search finds, for any query of the language and with filters, and leaves
out deleted claims."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from whoosh import query as Q

from claimsearch.errors import QueryError
from claimsearch.indexing import remove_articles
from claimsearch.searching import ClaimIndex

from .index_fixtures import build, gold_index  # noqa: F401
from .test_query_robustness import SETTINGS, queries


@pytest.fixture(scope="module")
def idx(gold_index):  # noqa: F811
    with ClaimIndex(gold_index) as index:
        yield index


def whoosh_matches(idx: ClaimIndex, query: str, **filters) -> list[int]:
    """Every claim Whoosh's searcher finds for the query and filters, by its own matchers."""
    ranked, wanted = idx.compile(query, **filters)
    if any(isinstance(w, type(Q.NullQuery)) for w in wanted.subqueries):
        return []
    return sorted(r.docnum for r in idx.searcher.search(Q.And([ranked, wanted]) if ranked else wanted, limit=None))


QUERIES = ["Trump", "Donald Trump", "Poutine Musk", '"Donald Trump"', "White House", "Trump NOT Bolton", "Trump ANDNOT (Bolton OR Pompeo)",
           "NOT Trump", "source:WSJ", "Starlink AND lang:fr", "(Musk OR Trump) AND said", "Musk ANDMAYBE Taïwan",
           "date:2019 Trump", "NOT New York", "a déclaré", "the", ""]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("filters", [{}, {"lang": "en"}, {"source": "WSJ"}, {"attributed": True, "stance": "assert"}])
def test_matching_finds_the_claims_whoosh_finds(idx, q, filters):
    found = idx.matching(q, **filters)
    assert list(found) == whoosh_matches(idx, q, **filters)


def test_a_word_excluded_is_excluded_from_the_first_claim_too(idx):
    """Whoosh's AndNot kept the first claim with "york" though it also has "new" (ranking._AndNotMatcher)."""
    hits = idx.search("York ANDNOT New", limit=None, mode="words")
    assert idx.search("York", limit=None, mode="words") and not any("new" in h.text.lower().split() for h in hits)
    assert len(hits) == len(idx.matching("NOT New York")) == len(idx.matching("York ANDNOT New"))


def test_the_queries_above_are_not_all_empty(idx):
    assert [q for q in QUERIES if not len(idx.matching(q))] == ["NOT New York"]


@settings(SETTINGS, max_examples=400)
@given(q=queries)
def test_matching_agrees_with_whoosh_on_any_query(idx, q):
    try:
        expected = whoosh_matches(idx, q)
    except QueryError:
        with pytest.raises(QueryError):
            idx.matching(q)
        return
    assert list(idx.matching(q)) == expected


def test_removed_claims_are_not_matched(tmp_path):
    build(tmp_path)
    with ClaimIndex(tmp_path) as idx:
        before = idx.matching("Trump")
        gone = {idx.searcher.stored_fields(d)["article_id"] for d in before}
        article = min(gone)
    remove_articles([article], index_dir=tmp_path)
    with ClaimIndex(tmp_path) as idx:
        assert idx.searcher.reader().has_deletions()  # the claims are marked deleted, still in the postings
        after = idx.matching("Trump")
        assert list(after) == whoosh_matches(idx, "Trump")
        assert 0 < len(after) < len(before)
        assert article not in {idx.searcher.stored_fields(d)["article_id"] for d in after}
        assert len(idx.matching("NOT Trump")) == len(whoosh_matches(idx, "NOT Trump"))
