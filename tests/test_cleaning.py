"""Cleaning on real text: the cases in cases/repairs.json, the real fr-03 and Wikinews files, and offsets
that hold for any text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimsearch.cleaning import PARAGRAPH, SENTENCE_END, clean
from claimsearch.models import Article
from claimsearch.reading import find_files, parse_article, read_article

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
CASES = json.loads((HERE / "cases" / "repairs.json").read_text(encoding="utf-8"))["cases"]
NEUTRAL_TITLE = {"fr": "Article de test", "en": "Test article"}


def replay(raw: str, repairs) -> str:
    """The repairs applied in order to the raw text, independently of the module's own replay."""
    out, pos = "", 0
    for r in repairs:
        out += raw[pos:r.start] + r.after
        pos = r.end
    return out + raw[pos:]


def _param(case: dict):
    marks = [pytest.mark.xfail(strict=True, reason=case["known_failure"])] if "known_failure" in case else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case):
    title = case.get("title") or NEUTRAL_TITLE[case["lang"]]
    article = parse_article(f"{title}\n\n{case['text']}", id=case["id"], lang=case["lang"])
    got = [[r.kind, r.before, r.after] for r in clean(article).repairs]
    assert got == case["repairs"]


def test_fr03_repairs_match_gold():
    article = read_article(FIXTURES / "seed" / "fr-03.txt")
    gold = json.loads((FIXTURES / "seed" / "fr-03.expected.json").read_text(encoding="utf-8"))
    cleaned = clean(article)
    glued = {(r.before, r.after) for r in cleaned.repairs if r.kind == "glued-words"}
    assert glued == {(g["glued"], g["fixed"]) for g in gold["repairs"]}
    assert "« complice d’un acte important de guerre »." in cleaned.text
    assert "regulierement selon le" not in cleaned.text  # the slug line is gone, the title stays
    assert cleaned.text.startswith(gold["article"]["title"] + "\n\nElon Musk l’homme le plus riche")
    for claim in gold["claims"]:  # gold phrases are written as the cleaned text should read
        assert claim["match"] in cleaned.text


def test_fr03_raw_offsets_point_at_the_same_words():
    cleaned = clean(read_article(FIXTURES / "seed" / "fr-03.txt"))
    raw = cleaned.article.text
    for phrase, written in [("Elon Musk l’homme", "Elon Muskl’homme"), ("Walter Isaacson", "Walter Isaacson"),
                            ("de guerre ».", "de guerre«\u00a0."), ("comme Starlink.", "comme Starlink.")]:
        start = cleaned.text.index(phrase)
        assert raw[cleaned.raw_offset(start):cleaned.raw_offset(start + len(phrase))] == written
    page_id = [r for r in cleaned.repairs if r.kind == "page-id"]  # the id the scraper left at the end
    assert [r.before for r in page_id] == ["\n\nfr-03"] and raw.endswith("fr-03") and cleaned.text.endswith("« une bonne chose ».")


def test_wn0040_soft_hyphens_removed():
    cleaned = clean(read_article(FIXTURES / "corpus" / "fr" / "fr-wn-0040.txt"))
    assert "du premier étage du lanceur." in cleaned.text
    assert "\u00ad" not in cleaned.text
    assert [r.kind for r in cleaned.repairs] == ["soft-hyphen", "soft-hyphen"]


def test_wn0027_glued_sentences_split():
    cleaned = clean(read_article(FIXTURES / "corpus" / "en" / "en-wn-0027.txt"))
    assert "for vice president. In the Green Party" in cleaned.text
    assert "in Afghanistan. Trump described" in cleaned.text
    assert "Washington, D.C. near the White House" in cleaned.text
    assert {r.kind for r in cleaned.repairs} == {"glued-sentence", "nbsp"}


def test_no_word_split_on_the_wikinews_corpus():
    """88 real articles, none with glued words: every split there would be a false one."""
    articles = [read_article(p) for p in find_files([FIXTURES / "corpus"])]
    assert len(articles) == 88
    splits = [(a.id, r.before) for a in articles for r in clean(a).repairs if r.kind == "glued-words"]
    assert splits == []


@pytest.mark.parametrize("name,width", [("corpus/en/en-wn-0002.txt", 45), ("corpus/fr/fr-wn-0001.txt", 40),
                                        ("corpus/fr/fr-wn-0008.txt", 72)])
def test_a_hard_wrapped_article_cleans_to_its_paragraphs(name, width):
    # the same real article wrapped at a fixed width: every break inside a sentence becomes a space again
    import re
    import textwrap

    article = read_article(FIXTURES / name)
    paragraphs = re.split(r"\n\s*\n", article.text)
    wrapped = article.model_copy(update={"text": "\n\n".join(textwrap.fill(p, width) for p in paragraphs)})
    cleaned = clean(wrapped)
    # no line of a wrapped paragraph ends inside a sentence any more (a block of two lines may be
    # a title and its first line: it is joined only where the second line goes on in lowercase)
    wrapped_blocks = [b for b in PARAGRAPH.findall(wrapped.text) if b.count("\n") >= 2]
    cut = [line for block in PARAGRAPH.findall(cleaned.text) if any(block[:30] in w for w in wrapped_blocks)
           for line in block.split("\n")[:-1] if line.rstrip()[-1] not in SENTENCE_END]
    assert wrapped_blocks and cut == [], cut[:3]
    assert " ".join(cleaned.text.split()) == " ".join(clean(article).text.split())
    assert any(r.kind == "line-break" for r in cleaned.repairs)


def test_line_breaks_of_one_paragraph_per_line_are_kept():
    # the corpus's own single line breaks follow sentence ends or start a new item: none is joined
    articles = [read_article(p) for p in find_files([FIXTURES / "corpus"])]
    assert [(a.id, r.before) for a in articles for r in clean(a).repairs if r.kind == "line-break"] == []


def test_cleaning_twice_changes_nothing_more():
    paths = [FIXTURES / "seed" / "fr-03.txt", *find_files([FIXTURES / "corpus"])]
    for path in paths:
        article = read_article(path)
        again = clean(article.model_copy(update={"text": clean(article).text}))
        assert again.repairs == (), path.name


def _check_repairs(article: Article) -> None:
    cleaned = clean(article)
    raw, end = article.text, 0
    for r in cleaned.repairs:
        assert end <= r.start < r.end <= len(raw)
        assert raw[r.start:r.end] == r.before
        end = r.end
    assert replay(raw, cleaned.repairs) == cleaned.text
    assert all(0 <= cleaned.raw_offset(i) <= len(raw) for i in range(len(cleaned.text) + 1))


# Characters the fixers look at, mixed with any others, so that random text reaches every fixer.
TRICKY = st.sampled_from(list("aàeéiu ZAUS.’'«»-@/\n\u00a0\u202f\u00ad\u200b\u200dक्") + [
    "Musk", "Poutine", "USAmais", "Poutineà", "Muskl’homme", "président.In", "www.", "guerre« .", "» "])


SLUG = "Le président a parlé, selon « Le Monde »\n\nLe president a parle selon\n\n"


@settings(max_examples=300, deadline=None)
@given(text=st.tuples(st.sampled_from(["", SLUG]), st.lists(st.one_of(st.text(min_size=1, max_size=3), TRICKY),
                                                           max_size=60).map("".join)).map("".join),
       lang=st.sampled_from(["fr", "en"]))
def test_repairs_replay_to_the_clean_text_for_any_text(text, lang):
    title = text.split("\n", 1)[0]
    _check_repairs(Article(id="any", title=title, text=text, lang=lang))


@settings(max_examples=200, deadline=None)
@given(text=st.text(), lang=st.sampled_from(["fr", "en"]))
def test_any_unicode_text_is_cleaned_without_error(text, lang):
    _check_repairs(Article(id="any", title="", text=text, lang=lang))
