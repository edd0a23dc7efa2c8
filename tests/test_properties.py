"""Properties of the whole pipeline on any text: it never crashes, and every offset points where it says.

Hypothesis feeds two kinds of text: any Unicode at all, and real corpus words and sentences mixed
with the marks that break news text (quotes of every kind, odd spaces, soft hyphens, glued words,
stray line breaks). Settings stay small so the file runs in seconds once spaCy is loaded
(`sentences.nlp_for` caches the pipelines for the whole test session).
"""
from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimsearch.cleaning import clean
from claimsearch.errors import ArticleError
from claimsearch.pipeline import extract
from claimsearch.models import Article
from claimsearch.reading import KINDS, parse_article, read_file, read_stream
from claimsearch.sentences import split

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*/*.txt"))[::6]]
SENTENCES = sorted({s for t in TEXTS for s in re.split(r"(?<=[.!?»])\s+", t) if 3 < len(s) < 300})
WORDS = sorted({w for t in TEXTS for w in t.split()})
MARKS = ["\n", "\n\n", "\n\n\n", " ", "«", "»", "« ", " »", "“", "”", "‘", "’", '"', "'", "\u00a0", "\u202f",
         "\u00ad", "\u200b", "\t", "\r\n", "\ufeff", "M.", "janv.", ".", ". -", "selon", "a déclaré", "said",
         "according to", ":", "—", "…", "(", ")", "[", "]"]
ALLOWED = {"empty: no title and no text", "only a title: no paragraphs after the first line"}



def one_of_list(items: list[str]) -> st.SearchStrategy[str]:
    """sampled_from, without Hypothesis writing out the whole list each time it describes the strategy."""
    def pick(i: int) -> str:
        return items[i]

    return st.integers(0, len(items) - 1).map(pick)


news_like = st.lists(
    st.one_of(one_of_list(SENTENCES), one_of_list(WORDS), st.sampled_from(MARKS),
              st.text(max_size=8)),
    min_size=1, max_size=40).map("".join)  # "".join glues words too: "Muskl’homme"
# Most random strings are one line, which reading rightly refuses: build articles on purpose too.
articles = st.builds(lambda title, body: title + "\n\n" + "\n\n".join(body),
                     st.one_of(one_of_list(SENTENCES), st.text(max_size=30)),
                     st.lists(st.one_of(news_like, st.text(max_size=200)), min_size=1, max_size=4))
any_text = st.one_of(st.text(max_size=300), news_like, articles)

# CLAIMSEARCH_PROPERTY_EXAMPLES=1000 for a deeper search than the everyday 40.
SETTINGS = settings(max_examples=int(os.environ.get("CLAIMSEARCH_PROPERTY_EXAMPLES", 40)), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def article_or_none(text: str):
    """The Article, or None after a clean error for empty or title-only text (anything else fails)."""
    try:
        return parse_article(text, id="h")
    except ArticleError as exc:
        assert exc.problem in ALLOWED, str(exc)
        return None


@SETTINGS
@given(any_text)
def test_reading_never_crashes_and_keeps_its_layout(text):
    article = article_or_none(text)
    if article is None:
        return
    head, blank, rest = article.text.partition("\n\n")
    assert head == article.title and blank and rest.strip()
    assert "\r" not in article.text and "\n\n\n" not in article.text
    assert article.lang in ("fr", "en")


@SETTINGS
@given(st.one_of(st.binary(max_size=400), any_text.map(str.encode),
                 any_text.map(lambda t: t.encode("cp1252", errors="replace"))),
       st.sampled_from(sorted(KINDS)))
def test_any_bytes_give_articles_or_one_line_errors(data, suffix):
    """Whatever a file or stdin holds, reading yields Articles or errors that name it, and never raises."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "input" + suffix)
        path.write_bytes(data)
        for name, results in ((str(path), list(read_file(path))), ("stdin", list(read_stream(io.BytesIO(data))))):
            assert results
            for r in results:
                assert isinstance(r, Article | ArticleError)
                if isinstance(r, ArticleError):
                    assert str(r).startswith(name + (":" if r.line is None else f":{r.line}:"))
                    assert "\n" not in str(r)
                else:
                    assert r.text.startswith(r.title + "\n\n") and r.lang in ("fr", "en")
                    assert all(w.startswith(name) for w in r.warnings)


@SETTINGS
@given(any_text)
def test_every_offset_points_into_its_text(text):
    article = article_or_none(text)
    if article is None:
        return
    cleaned = clean(article)
    for r in cleaned.repairs:
        assert article.text[r.start:r.end] == r.before, r
    for s in split(cleaned):
        assert cleaned.text[s.start:s.end] == s.text, s
        for t in s.tokens:
            assert cleaned.text[t.start:t.start + len(t.text)] == t.text, t
        for e in s.entities:
            assert cleaned.text[e.start:e.end] == e.text, e
    extracted = extract(article)
    assert extracted.repairs == cleaned.repairs  # the same article cleans the same way
    for c in extracted.claims:
        assert cleaned.text[c.start:c.end] == c.text, c


@SETTINGS
@given(st.one_of(news_like, articles))
def test_repairs_replay_onto_the_raw_text(text):
    """Applying the reported repairs to the raw text gives the cleaned text (ftfy's explain-and-replay)."""
    article = article_or_none(text)
    if article is None:
        return
    cleaned = clean(article)
    out, at = [], 0
    for r in sorted(cleaned.repairs, key=lambda r: (r.start, r.end)):
        assert r.start >= at, f"overlapping repairs at {r.start}"
        out += [article.text[at:r.start], r.after]
        at = r.end
    assert "".join(out) + article.text[at:] == cleaned.text
