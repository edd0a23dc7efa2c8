"""Every query gets results or one QueryError line: never a crash (issue 13).

A stress test found word + phrase queries raising TypeError, "said ANDNOT selon Musk" raising inside
Whoosh's matcher, and 500 parentheses raising RecursionError. Hypothesis generates queries over the
whole query language (words of the gold articles, names, phrases, field:value, the five operators,
NOT, nested groups) and, apart, raw strings made of the language's marks, and runs them all.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimsearch.errors import QueryError
from claimsearch.query import FILTER_FIELDS, MAX_BINARY, MAX_DEPTH
from claimsearch.searching import ClaimIndex

from .index_fixtures import gold_files, gold_index  # noqa: F401

WORDS = sorted({w for p in gold_files()[::3] for w in re.findall(r"\S+", p.read_text(encoding="utf-8"))[:150]})
NAMES = ["Musk", "Trump", "Poutine", "Putin", "WSJ", "Wall Street Journal", "New York", "Le Pen", "CGT", "Taïwan",
         "Starlink", "mer de Java", "said", "selon", "a déclaré", "the", "le", "l'", "-", "*", "?", "2012", "[/x]"]
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"]
SETTINGS = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


@pytest.fixture(scope="module")
def idx(gold_index):  # noqa: F811
    with ClaimIndex(gold_index) as index:
        yield index


word = st.sampled_from(WORDS) | st.sampled_from(NAMES)
phrase = st.lists(word, max_size=4).map(lambda ws: '"' + " ".join(ws).replace('"', "") + '"')
field = st.tuples(st.sampled_from(FILTER_FIELDS), word | phrase).map(lambda fv: f"{fv[0]}:{fv[1]}")
atom = word | phrase | field | st.sampled_from(OPERATORS)


def _join(parts_ops: tuple[list[str], list[str]]) -> str:
    parts, ops = parts_ops
    out = [parts[0]]
    for part, op in zip(parts[1:], ops + [""] * len(parts)):
        out += [op, part] if op else [part]
    return " ".join(out)


def _expressions(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    group = inner.map(lambda e: f"({e})")
    negated = inner.map(lambda e: f"NOT {e}")
    seq = st.tuples(st.lists(inner | group | negated, min_size=1, max_size=5),
                    st.lists(st.sampled_from(["", *OPERATORS]), max_size=4))
    return seq.map(_join)


queries = st.recursive(atom, _expressions, max_leaves=30)
MARKS = [*'()":- *?[]/\\\'«»', *OPERATORS, *NAMES[:6], *(f + ":" for f in FILTER_FIELDS)]
raw = st.lists(st.sampled_from(MARKS), max_size=25).map("".join)


def answer(idx, query: str, limit) -> None:
    try:
        hits = idx.search(query, limit=limit)
    except QueryError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    assert isinstance(hits, list)
    if limit:
        assert len(hits) <= limit


@SETTINGS
@given(query=queries, limit=st.sampled_from([1, 5, 10, None]))
def test_any_query_of_the_language_gets_results_or_a_query_error(idx, query, limit):
    answer(idx, query, limit)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=raw, limit=st.sampled_from([1, 10, None]))
def test_any_string_of_the_language_marks_gets_results_or_a_query_error(idx, query, limit):
    answer(idx, query, limit)


@pytest.mark.parametrize("query", ['Trump "New York"', 'Musk "Wall Street Journal" Trump', 'CGT "dividendes"'])
def test_words_with_a_phrase_find_claims(idx, query):
    hits = idx.search(query, limit=None)
    assert hits, query


@pytest.mark.parametrize("query", ["said ANDNOT selon Musk", "(Starlink ANDNOT 2012) OR Sainte-Sophie",
                                   "Musk ANDNOT Trump ANDNOT Poutine", "Musk ANDMAYBE Trump ANDNOT CGT"])
def test_andnot_where_the_first_side_runs_out_while_skipping(idx, query):
    for limit in (1, 5, None):
        assert isinstance(idx.search(query, limit=limit), list)


def test_andnot_matcher_survives_its_first_side_running_out_in_a_skip():
    from whoosh import matching

    from claimsearch.ranking import _AndNotMatcher

    with pytest.raises(IndexError):  # Whoosh's own, as the stress test met it
        matching.AndNotMatcher(matching.ListMatcher([1, 2]), matching.ListMatcher([2, 5])).skip_to(3)
    m = _AndNotMatcher(matching.ListMatcher([1, 2, 4, 7]), matching.ListMatcher([2, 4]))
    assert list(m.all_ids()) == [1, 7]
    m = _AndNotMatcher(matching.ListMatcher([1, 2]), matching.ListMatcher([2, 5]))
    m.skip_to(3)
    assert not m.is_active()


def test_andnot_keeps_its_meaning(idx):
    musk = {h.id for h in idx.search("Musk", limit=None)}
    trump = {h.id for h in idx.search("Trump", limit=None)}
    assert musk & trump  # the gold articles have claims naming both
    assert {h.id for h in idx.search("Musk ANDNOT Trump", limit=None)} == musk - trump


def test_deep_nesting_and_long_chains_are_refused_in_one_line(idx):
    assert idx.search("(" * MAX_DEPTH + "Musk" + ")" * MAX_DEPTH, limit=3)
    for query, says in [("(" * 500 + "Musk" + ")" * 500, "parentheses deep"),
                        (" ANDNOT ".join(["Musk"] + ["said"] * (MAX_BINARY + 1)), "ANDNOT (b OR c OR d)")]:
        with pytest.raises(QueryError, match=re.escape(says)) as info:
            idx.search(query)
        assert "\n" not in str(info.value)
