"""Attribution on real sentences: each construction, French and English."""
from __future__ import annotations

import pytest

from claimsearch.pipeline import extract, extract_claims
from claimsearch.reading import parse_article, read_article

from .conftest import CORPUS, claim_with


def test_selon_in_title_attributes_to_the_newspaper(fr03):
    c = claim_with(fr03, "Elon Musk et Vladimir Poutine se parlent")
    assert c.sources == ("Wall Street Journal",) and c.scope == "sentence" and "selon" in c.cue.lower()


def test_reporting_verb_with_anonymous_source(fr03):
    c = claim_with(fr03, "ont confirmé au WSJ que ces conversations")
    assert c.sources == ("responsables américains, russes et européens",)
    assert c.cue == "confirmé" and c.stance == "confirm"


def test_document_marker_names_the_author(fr03):
    c = claim_with(fr03, "Musk a ordonné à son entreprise")
    assert c.sources == ("Walter Isaacson",) and c.kind == "document"


def test_title_framing_reaches_the_lead_not_the_background(fr03):
    assert claim_with(fr03, "Poutine a demandé au milliardaire").scope == "article"
    assert claim_with(fr03, "Washington a externalisé").sources == ()


def test_description_resolves_to_the_person_named_before(fr03):
    c = claim_with(fr03, "le candidat à la présidentielle a fait l’éloge")
    assert c.quote and "dur, intelligent et impitoyable" in c.quote


def test_gerund_cue_takes_the_subject_of_the_sentence(fr03):
    c = claim_with(fr03, "Musk a rejeté à plusieurs reprises")
    assert c.speaker == "Elon Musk" and "complice" in c.quote


@pytest.fixture(scope="module")
def le_pen():
    return extract(read_article(CORPUS / "fr" / "fr-wn-0018.txt"))


def test_quote_over_several_sentences_gives_context_scope(le_pen):
    c = claim_with(le_pen, "Je viens d'une famille de paysans")
    assert c.scope == "context" and c.speaker == "Jean-Marie Le Pen"


def test_inverted_cue_with_pronoun(le_pen):
    c = claim_with(le_pen, "Ma réputation d'antisémite a été créée")
    assert c.speaker == "Jean-Marie Le Pen" and c.scope in ("sentence", "context")


def test_the_named_speakers_verb_reports_his_own_quoted_words(le_pen):
    """"Le Pen affirme … qu'il voulait qualifier sa fille de « … »": the quotation sits under "qualifier",
    whose subject is "il"; the cue is the named speaker's "affirme" (cues._outer_first)."""
    c = claim_with(le_pen, "affirme dans son blog vidéo hebdomadaire")
    assert c.cue == "affirme" and c.speaker == "Jean-Marie Le Pen"


def test_a_role_that_speaks_for_its_organisation_names_both():
    """fr-wn-0048: "…, a annoncé Mario Draghi, le président de la Banque centrale européenne": the president
    speaks for the bank (lang representative_nouns; "BCE" is its alias); fr-wn-0052: a correspondent does not
    speak for her channel."""
    draghi = claim_with(extract(read_article(CORPUS / "fr" / "fr-wn-0048.txt")), "une nouvelle version des billets")
    assert set(draghi.sources) == {"Mario Draghi", "European Central Bank"}
    dridi = claim_with(extract(read_article(CORPUS / "fr" / "fr-wn-0052.txt")), "Sonia Dridi, affirme")
    assert dridi.sources == ("Sonia Dridi",)


def test_negated_verb_is_not_a_cue():
    text = "Titre\n\nLe ministre n'a pas déclaré que la réforme était terminée."
    claims = extract(parse_article(text, id="t", lang="fr")).claims
    assert all(c.sources == () for c in claims)


def test_selon_meaning_depending_on_is_not_a_source():
    text = "Titre\n\nSelon les différentes académies, les résultats sont publiés entre 8 h et 19 h."
    claim = extract(parse_article(text, id="t", lang="fr")).claims[-1]
    assert claim.sources == ()


def test_english_said_with_quote_and_context():
    article = read_article(CORPUS / "en" / "en-wn-0002.txt")
    out = extract(article)
    pelosi = claim_with(out, "Nancy Pelosi, the Speaker of the House, said")
    assert pelosi.speaker == "Nancy Pelosi" and "committed to keeping our border safe" in pelosi.quote
    follow = claim_with(out, "We made that clear to the president")
    assert follow.scope == "context" and follow.speaker == "Nancy Pelosi"


def test_headings_datelines_and_ids_are_not_claims(fr03):
    texts = [c.text for c in fr03.claims]
    assert "Liens commerciaux avec le gouvernement" not in texts
    assert "fr-03" not in texts
    assert not any(t.startswith("Elon Musk et Vladimir Poutine se parlent regulierement") for t in texts)


def test_a_bug_on_one_article_becomes_its_error_line(monkeypatch, tmp_path):
    """Extraction must not stop a run over many files: the failing file is named, the others go on."""
    import claimsearch.pipeline as pipeline
    from claimsearch.errors import ArticleError

    real = pipeline.extract

    def flaky(article):
        if article.id == "fr-wn-0008":
            raise RuntimeError("boom")
        return real(article)

    monkeypatch.setattr(pipeline, "extract", flaky)
    results = list(pipeline.extract_many([CORPUS / "fr" / "fr-wn-0008.txt", CORPUS / "fr" / "fr-wn-0013.txt"]))
    assert isinstance(results[0], ArticleError)
    assert str(results[0]).endswith("fr-wn-0008.txt: extraction failed (RuntimeError: boom); please report it with this file")
    assert results[1].article.id == "fr-wn-0013" and results[1].claims


def test_every_corpus_article_extracts_without_error():
    """The whole sample corpus goes through: a rule that crashes on one real article is caught here."""
    from claimsearch.errors import ArticleError
    from claimsearch.pipeline import extract_many

    results = list(extract_many([CORPUS]))
    errors = [str(r) for r in results if isinstance(r, ArticleError)]
    assert not errors
    assert len(results) == 88 and all(r.claims for r in results)


def test_two_worker_processes_extract_the_same_claims():
    from claimsearch.pipeline import extract_many

    files = sorted((CORPUS / "fr").glob("*.txt"))[:4]
    one = [r.model_dump() for r in extract_many(files)]
    two = [r.model_dump() for r in extract_many(files, workers=2)]
    assert one == two and len(one) == 4


@pytest.mark.parametrize("text, lang, want", [
    ("Ana Ruiz, the mayor, said the plan was fine.", "en", ("Ana Ruiz",)),  # a name the recogniser did not tag
    ("Ana Ruiz, la maire, a dit que le plan était bon.", "fr", ("Ana Ruiz",)),
    # the parser hung the aside's name on the host clause's subject, as its apposition
    ("To know the young Ana Ruiz, Professor Paul Roux said, one must read her early letters.", "en", ("Paul Roux",)),
])
def test_an_apposed_role_is_no_part_of_the_speakers_name(text, lang, want):
    """The source is the name, exactly: "Ana Ruiz, the mayor" would be a name no filter finds."""
    claim = next(c for c in extract_claims("Titre\n\n" + text, lang=lang) if c.text == text)
    assert claim.sources == want
