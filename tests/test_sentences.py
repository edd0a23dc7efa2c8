"""Sentence boundaries that survive « », "M.", "U.S." and "janv."; headings and captions flagged."""
from __future__ import annotations

from claimsearch.casing import sentence_cased
from claimsearch.cleaning import clean
from claimsearch.reading import parse_article, read_article
from claimsearch.sentences import split

from .conftest import CORPUS


def sentences(text: str, lang: str = "fr"):
    return split(clean(parse_article(text, id="t", lang=lang)))


def test_abbreviations_do_not_end_sentences():
    body = [s.text for s in sentences("Titre\n\nM. Biden a parlé le 3 janv. à Paris avec M. Dupont. Puis il est parti.")[1:]]
    assert body == ["M. Biden a parlé le 3 janv. à Paris avec M. Dupont.", "Puis il est parti."]


def test_english_abbreviations():
    body = [s.text for s in sentences("Title\n\nThe U.S. government said so. Mr. Smith left.", "en")[1:]]
    assert body == ["The U.S. government said so.", "Mr. Smith left."]


def test_a_hyphenated_word_is_never_cut():
    body = [s.text for s in sentences("Titre\n\nPaul Roux est venu. Le soi-disant expert a parlé.")[1:]]
    assert body == ["Paul Roux est venu.", "Le soi-disant expert a parlé."]


def test_two_quoted_sentences_stay_two():
    """spaCy cuts after the « that opens the second quotation: the mark goes with its words."""
    body = [s.text for s in sentences("Titre\n\n« Le pont est fermé », affirme Paul Roux. « Les travaux "
                                      "dureront un an », ajoute Ana Ruiz.")[1:]]
    assert body == ["« Le pont est fermé », affirme Paul Roux.", "« Les travaux dureront un an », ajoute Ana Ruiz."]


def test_lone_guillemets_stay_with_their_words():
    out = sentences("Titre\n\nIl décrit sa fille comme « petite-bourgeoise ». « Je suis un homme du peuple. Je viens d'une famille de paysans », explique-t-il.")
    texts = [s.text for s in out[1:]]
    assert texts[1].startswith("« Je suis un homme du peuple.")
    assert all(t.strip() not in ("«", "»") for t in texts)


def test_offsets_point_into_the_clean_text():
    article = clean(read_article(CORPUS / "fr" / "fr-wn-0040.txt"))
    for s in split(article):
        assert article.text[s.start:s.end] == s.text
        for t in s.tokens:
            assert article.text[t.start:t.start + len(t.text)] == t.text


def test_captions_and_datelines_are_flagged():
    out = split(clean(read_article(CORPUS / "en" / "en-wn-0027.txt")))
    kinds = {s.text: s.kind for s in out}
    assert kinds["File:Keisha Lance Bottoms (cropped).jpg"] == "caption"
    assert kinds["Susan Rice Image: White House."] == "caption"


def test_a_quotation_opening_in_lower_case_after_a_colon_goes_on_with_its_sentence():
    """fr-wn-0019: "… affirmant : « nous avons une sécurité financière importante … »" is one sentence, its
    cue and its quotation together (spaCy cut after the colon)."""
    article = clean(read_article(CORPUS / "fr" / "fr-wn-0019.txt"))
    texts = [s.text for s in split(article)]
    said = next(t for t in texts if "affirmant :" in t)
    assert "nous avons une sécurité financière importante" in said
    assert not any(t.startswith("« nous avons une sécurité financière") for t in texts)


def test_a_piece_emptied_by_a_closing_mark_is_no_crash():
    """A closing quotation mark alone between two sentences left an empty piece, and `_mend` read its first
    character (found by tests/test_properties.py from corpus sentences)."""
    said = ('"The agreement assumes that our islands, including our biggest island Crete, does not have an '
            'exclusive economic zone, which goes against everything we know in international law", he added.')
    text = "Todd Akin a perdu dans le Missouri face à Claire McCaskill.\n\n" + said + "\n\n" + said + "\n" + said
    for lang in ("fr", "en"):
        assert [s.text for s in sentences(text, lang)][-1].endswith("he added.")


def test_a_title_case_headline_is_parsed_in_the_case_its_body_writes():
    """"Mayor Says Bridge Will Reopen" is no name: the body writes "the mayor said", "the bridge would
    reopen"; a name the body capitalises keeps its capitals, and the sentence keeps the words as written."""
    body = "The mayor said on Monday that the bridge would reopen. Ann Fowler, the mayor, thanked Acme Builders."
    body += " The works will finish in May."
    assert sentence_cased("Mayor Says Bridge Will Reopen", body, "en") == "Mayor says bridge will reopen"
    assert sentence_cased("Ann Fowler Says Acme Builders Will Finish", body, "en") == \
        "Ann Fowler says Acme Builders will finish"
    assert sentence_cased("Mayor says the bridge will reopen", body, "en") == "Mayor says the bridge will reopen"
    title = split(clean(parse_article("Mayor Says Bridge Will Reopen\n\n" + body, id="t", lang="en")))[0]
    assert title.text == "Mayor Says Bridge Will Reopen" and not title.entities
    assert [t.text for t in title.tokens] == title.text.split()


def test_a_question_cut_short_by_an_elision_is_still_a_question():
    kinds = [s.kind for s in sentences("Title\n\nIs the road to the harbour still open? [...]\n\nThe road was closed.", "en")[1:]]
    assert kinds == ["question", "body"]


def test_a_dash_line_alone_is_a_signature_whatever_the_parser_cut():
    signed = [s for s in sentences("Titre\n\nLa juge a rejeté cet argument :\n\nL'immunité est sans limite.\n\n"
                                   "– Juge Marie Durand, jugement du 3 mai") if s.kind == "signature"]
    assert "".join(s.text for s in signed).startswith("–") and signed[-1].text.endswith("3 mai")


def test_mixed_quotation_marks_close_their_sentence():
    """"“Deals end here," she said, adding "a disgrace." The hearing …": the straight mark closes the curly one."""
    body = [s.text for s in sentences('Title\n\n“Deals end here," Ann Fowler said, calling the offers "a disgrace." '
                                      'The hearing resumes on Monday.', "en")[1:]]
    assert body == ['“Deals end here," Ann Fowler said, calling the offers "a disgrace."', "The hearing resumes on Monday."]
