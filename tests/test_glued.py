"""Glued-word repair from the language: the issue's examples in both languages, the words that must stay
whole (data/whole_words.json), and not one split over the whole sample corpus."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimsearch.cleaning import clean
from claimsearch.glued import whole_words
from claimsearch.reading import find_files, parse_article, read_article

SAMPLE = Path(__file__).resolve().parent.parent / "claimsearch" / "sample"
SEED_GOLD = Path(__file__).parent / "fixtures" / "seed" / "fr-03.expected.json"


def glued_repairs(text: str, lang: str) -> list[tuple[str, str]]:
    title = {"fr": "Un article de test", "en": "A test article"}[lang]
    article = parse_article(f"{title}\n\n{text}", id="t", lang=lang)
    return [(r.before, r.after) for r in clean(article).repairs if r.kind == "glued-words"]


@pytest.mark.parametrize("lang,text,fixed", [
    # a known name glued to a function word, the name written nowhere else
    ("fr", "Le maire de Parisque nous avons rencontré hier a parlé longuement.", ("Parisque", "Paris que")),
    ("fr", "Les élus du Sénatdes finances ont voté le texte mardi.", ("Sénatdes", "Sénat des")),
    # an ordinary word opening a sentence, glued to the article after it
    ("fr", "Le texte est passé. Selonles experts, la loi entrera en vigueur en mars.", ("Selonles", "Selon les")),
    ("fr", "Le vote est prévu. Avantdes élections, le maire a parlé.", ("Avantdes", "Avant des")),
    ("fr", "Le texte est adopté. Ensuiteles députés ont voté le budget.", ("Ensuiteles", "Ensuite les")),
    ("fr", "Le groupe a publié ses comptes. Lenouveau directeur a parlé.", ("Lenouveau", "Le nouveau")),
    ("fr", "Un accord a été signé à Bruxelles entre Damaset Ankara lundi.", ("Damaset", "Damas et")),
    ("en", "The president Trumpand his staff left the White House on Monday.", ("Trumpand", "Trump and")),
    ("en", "A spokesman for Boeingsaid the plane was safe to fly.", ("Boeingsaid", "Boeing said")),
    ("en", "In Londonthe mayor spoke to reporters about the strike.", ("Londonthe", "London the")),
    ("en", "The Committee on Oversightand Reform met on Tuesday.", ("Oversightand", "Oversight and")),
    ("en", "The firm left the SNCFand joined a rival.", ("SNCFand", "SNCF and")),
])
def test_glued_words_of_the_language_are_cut(lang, text, fixed):
    assert glued_repairs(text, lang) == [fixed]


@pytest.mark.parametrize("entry", whole_words(), ids=lambda e: e.word)
def test_words_that_must_stay_whole(entry):
    """Each word of data/whole_words.json, written once, in a sentence of every language it belongs to."""
    assert entry.reason.strip()
    for lang in [entry.lang] if entry.lang else ["fr", "en"]:
        text = {"fr": f"Le rapport cite {entry.word} et les autres, selon le journal.",
                "en": f"The report mentions {entry.word} and the others, the paper said."}[lang]
        assert glued_repairs(text, lang) == [], (lang, entry.word)
        opening = {"fr": f"Le marché recule. {entry.word} a publié ses chiffres.",
                   "en": f"Markets fell. {entry.word} said it would publish its figures."}[lang]
        assert glued_repairs(opening, lang) == [], (lang, entry.word)


def test_whole_words_file_is_typed_and_covers_the_issue_cases():
    words = {w.word for w in whole_words()}
    assert {"SpaceX", "iPhone", "McDonald", "LinkedIn", "PayPal", "YouTube", "aujourd'hui", "quelqu'un",
            "jusqu'à", "presqu'île", "Wikipédia"} <= words
    assert len(words) == len(whole_words())  # no entry twice


def test_no_false_split_over_the_whole_sample_corpus():
    """Every article of claimsearch/sample, both languages: the only glued words cut are fr-03's real ones."""
    articles = [read_article(p) for p in find_files([SAMPLE])]
    assert {a.lang for a in articles} == {"fr", "en"} and len(articles) >= 60
    splits = {(a.id, r.before, r.after) for a in articles for r in clean(a).repairs if r.kind == "glued-words"}
    seed = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["repairs"]
    assert splits == {("fr-03", g["glued"], g["fixed"]) for g in seed}


def test_no_leftover_removed_from_the_sample_corpus_but_fr03_page_id():
    articles = [read_article(p) for p in find_files([SAMPLE])]
    removed = [(a.id, r.kind) for a in articles for r in clean(a).repairs if r.after == "" and r.kind not in (
        "soft-hyphen", "zero-width")]
    assert sorted(removed) == [("fr-03", "page-id"), ("fr-03", "slug-title")]


def test_the_page_id_is_found_whatever_the_article_id_says():
    """Indexing a folder names fr-03 'seed/fr-03': its page id line 'fr-03' is still the scraper's leftover."""
    article = read_article(SAMPLE / "seed" / "fr-03.txt")
    for id in ("fr-03", "seed/fr-03", "sample/seed/fr-03"):
        repairs = clean(article.model_copy(update={"id": id})).repairs
        assert [r.before for r in repairs if r.kind == "page-id"] == ["\n\nfr-03"], id
