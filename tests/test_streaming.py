"""Extraction streams: sentences go from spaCy to attribution a batch at a time, and their tokens are
dropped once read, so memory follows the batch, not the article (issue 13). The claims must be the
ones whole-article attribution gives: these tests attribute real articles both ways and compare."""
from __future__ import annotations

import gc
import re

import pytest

from claimsearch import attribution
from claimsearch.attribution import _batches, attribute, find_quotes
from claimsearch.cleaning import clean
from claimsearch.models import Token
from claimsearch.reading import parse_article, read_article
from claimsearch.sentences import parse, split

from .conftest import CORPUS, GOLD

GOLD_ARTICLES = sorted(CORPUS / p.stem.split("-")[0] / f"{p.stem}.txt" for p in GOLD.glob("*.json"))
WHOLE = 10 ** 9  # one batch: the whole article


def paragraphs(lang: str, count: int, unquoted: bool = False) -> list[str]:
    return [p.strip() for f in sorted((CORPUS / lang).glob("*.txt"))
            for p in re.split(r"\n\s*\n", f.read_text(encoding="utf-8"))[1:]
            if len(p.strip()) > 200 and not (unquoted and re.search("[«»“”\"]", p))][:count]


def dumps(claims) -> list[str]:
    return [c.model_dump_json() for c in claims]


@pytest.mark.parametrize("path", GOLD_ARTICLES, ids=lambda p: p.stem)
def test_streamed_claims_are_the_whole_article_claims(path):
    """Cut at every paragraph where no quotation runs on (batch_chars=1), the claims are byte-identical."""
    cleaned = clean(read_article(path))
    sentences = split(cleaned)
    batches = list(_batches(iter(sentences), find_quotes(cleaned.text), 1))
    assert len(batches) > 1 and [s for b, _, _ in batches for s in b] == sentences
    assert dumps(attribute(iter(sentences), cleaned, batch_chars=1)) == dumps(attribute(sentences, cleaned, WHOLE))


def test_a_quotation_over_two_paragraphs_is_never_cut():
    """A long quotation may run over a paragraph break: « opens in one paragraph, » closes in the next."""
    first, second, third = paragraphs("fr", 3, unquoted=True)
    text = f"Une citation longue\n\n{first}\n\n« {second}\n\n{third} »\n\nFin de l'article, a-t-il dit."
    cleaned = clean(parse_article(text, id="quote", lang="fr"))
    quote = next(q for q in find_quotes(cleaned.text) if second[:40] in q.text)
    assert third[:40] in quote.text  # the quotation spans the second and third paragraphs
    batches = list(_batches(parse(cleaned), find_quotes(cleaned.text), 1))
    for batch, _, _ in batches:
        assert not (batch[0].start < quote.start < batch[-1].end < quote.end)  # a cut never falls inside it
    assert any(b[0].paragraph < b[-1].paragraph for b, _, _ in batches)  # so one batch holds both paragraphs
    sentences = split(cleaned)
    assert dumps(attribute(iter(sentences), cleaned, batch_chars=1)) == dumps(attribute(sentences, cleaned, WHOLE))


def test_a_paragraph_longer_than_the_window_is_cut_and_keeps_its_claims(monkeypatch):
    """A file without blank lines is one paragraph: it is attributed in windows, with the same claims
    as whole (these paragraphs sign nothing, the one rule a window changes)."""
    body = " ".join(paragraphs("en", 20))
    cleaned = clean(parse_article("One paragraph\n\n" + body, id="long", lang="en"))
    sentences = split(cleaned)
    monkeypatch.setattr(attribution, "WINDOW", 1000)
    batches = list(_batches(iter(sentences), find_quotes(cleaned.text), 500))
    assert sum(b[0].paragraph == 1 for b, _, _ in batches) > 3  # cut inside the paragraph
    streamed = attribute(iter(sentences), cleaned, batch_chars=500)
    assert len(streamed) > 20 and dumps(streamed) == dumps(attribute(sentences, cleaned, WHOLE))


def test_tokens_of_attributed_batches_are_dropped():
    """While an article streams through, only about one batch of sentences holds its tokens alive."""
    body = "\n\n".join(paragraphs("en", 60))
    cleaned = clean(parse_article("A long article\n\n" + body, id="big", lang="en"))
    alive: list[int] = []
    total = 0

    def watched():
        nonlocal total
        for n, s in enumerate(parse(cleaned)):
            total += len(s.tokens)
            if n % 20 == 19:
                gc.collect()
                alive.append(sum(isinstance(o, Token) for o in gc.get_objects()))
            yield s

    claims = attribute(watched(), cleaned, batch_chars=2000)
    assert len(claims) > 100 and len(alive) > 5
    assert total > 4000 and max(alive) < total / 4  # never the article's tokens, only a batch's
