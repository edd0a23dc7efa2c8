"""spaCy is never given more than MAX_PIECE characters at once, whatever the layout (issue 13).

A 1 MB paragraph without breaks took 251 s and 3.8 GB, since each paragraph went to spaCy whole.
`sentences.pieces` cuts long paragraphs after a sentence end (else at a space); these tests check
the cuts on real text and that the sentences of a long paragraph are the ones its text holds.
"""
from __future__ import annotations

import re

from claimsearch.cleaning import clean
from claimsearch.reading import parse_article
from claimsearch.sentences import MAX_PIECE, pieces, split

from .conftest import CORPUS

PARAGRAPHS = [p.strip() for f in sorted((CORPUS / "en").glob("*.txt"))[:8]
              for p in re.split(r"\n\s*\n", f.read_text(encoding="utf-8"))[1:] if len(p.strip()) > 200]


def check(text: str, spans: list[tuple[int, int]], start: int, end: int, limit: int) -> None:
    assert spans[0][0] == start and spans[-1][1] == end
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))  # contiguous: nothing lost, nothing twice
    assert all(0 < e - s <= limit for s, e in spans)


def test_a_paragraph_under_the_limit_stays_whole():
    text = PARAGRAPHS[0]
    assert len(text) < MAX_PIECE and pieces(text, 0, len(text)) == [(0, len(text))]


def test_a_long_paragraph_is_cut_after_sentence_ends():
    text = " ".join(PARAGRAPHS)
    assert len(text) > 3 * MAX_PIECE
    spans = pieces(text, 0, len(text))
    check(text, spans, 0, len(text), MAX_PIECE)
    assert len(spans) > 3 and all(re.search(r"[.!?…»”\"]\s+$", text[s:e]) for s, e in spans[:-1])


def test_without_sentence_ends_it_is_cut_at_spaces_and_without_spaces_anywhere():
    words = re.sub(r"[^\w ]", "", " ".join(PARAGRAPHS))
    spans = pieces(words, 0, len(words), limit=500)
    check(words, spans, 0, len(words), 500)
    assert all(words[e - 1] == " " for _, e in spans[:-1])
    blob = "x" * 1234
    assert pieces(blob, 0, len(blob), limit=500) == [(0, 500), (500, 1000), (1000, 1234)]


def test_the_sentences_of_a_long_paragraph_are_those_of_its_text():
    body = " ".join(PARAGRAPHS[:30])
    assert len(body) > 2 * MAX_PIECE
    cleaned = clean(parse_article("A long paragraph\n\n" + body + "\n\nThe end of it all, said nobody.", id="long",
                                  lang="en"))
    found = split(cleaned)
    middle = [s for s in found if s.paragraph == 1]
    assert len(middle) > 20 and all(len(s.text) <= MAX_PIECE for s in middle)
    assert all(cleaned.text[s.start:s.end] == s.text for s in found)
    assert {s.kind for s in middle} <= {"body", "question"}  # a piece is no heading, nor the page id
    assert found[-1].paragraph == 2
