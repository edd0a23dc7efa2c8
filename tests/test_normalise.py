"""Canonical names from the alias table, CLDR places and in-article resolution."""
from __future__ import annotations

from claimsearch.normalise import ArticleNames, alias_forms, canonical, find_aliases, load_aliases


def test_aliases_both_ways():
    assert canonical("WSJ") == canonical("Wall Street Journal") == "Wall Street Journal"
    assert canonical("Poutine") == canonical("Putin") == "Vladimir Putin"
    assert "Vladimir Poutine" in alias_forms("Putin")


def test_places_from_cldr_in_both_languages():
    assert canonical("Chine") == canonical("China")
    assert canonical("Taïwan") == canonical("Taiwan") == canonical("taiwan")


def test_literal_translations_found_in_text(fr03):
    names = {name for _, _, name in find_aliases("les services de lien étoile et EspaceX, sur Gazouillement")}
    assert {"Starlink", "SpaceX", "Twitter"} <= names


def test_short_acronyms_are_case_sensitive():
    assert find_aliases("nous sommes us et them") == []


def test_acronym_spelled_out_in_the_article():
    names = ArticleNames.of("La Confédération paysanne (CP) a dit non. La CP refuse.", [])
    assert names.resolve("CP").endswith("paysanne")


def test_surname_resolves_to_the_full_name():
    names = ArticleNames.of("", ["Gérald Karsenti"])
    assert names.resolve("Karsenti") == "Gérald Karsenti"


def test_user_alias_file_wins(tmp_path, monkeypatch):
    extra = tmp_path / "mine.json"
    extra.write_text('{"entities": [{"name": "Elon R. Musk", "aliases": ["Musk"]}]}', encoding="utf-8")
    assert load_aliases(str(extra)).canonical("Musk") == "Elon R. Musk"
    assert load_aliases().canonical("Musk") == "Elon Musk"


def test_entities_of_fr03_are_canonical(fr03):
    entities = {e for c in fr03.claims for e in c.entities}
    assert {"Starlink", "SpaceX", "Twitter", "Vladimir Putin", "Wall Street Journal"} <= entities
    assert "Poutineà" not in entities


def test_a_surname_alone_or_a_spelt_out_acronym_is_an_entity():
    names = ArticleNames.of("L'Agence spatiale européenne (ASE) a lancé la sonde.", ["Marie Curval", "Paul Ternon"])
    assert set(names.named_in("Curval a salué le travail de l'ASE.")) == {"Marie Curval", "Agence spatiale européenne"}
    # a surname two people of the article share names neither of them
    names = ArticleNames.of("", ["Jean-Marie Le Pen", "Marine Le Pen"])
    assert names.named_in("Le Pen a répondu.") == []


def test_a_claim_is_about_the_person_its_pronoun_subject_names():
    from claimsearch.pipeline import extract_claims
    text = ("Titre\n\nL'actrice Nadia Ferrand a tourné son dernier film à Lyon. "
            "Elle a ensuite quitté la France pour le Canada.")
    claim = next(c for c in extract_claims(text, lang="fr") if c.text.startswith("Elle"))
    assert "Nadia Ferrand" in claim.entities


def test_a_role_noun_before_a_name_is_no_part_of_it():
    """A headline's capitalised role noun ("Astronomer …") taken into the name by the recogniser."""
    from claimsearch.pipeline import extract_claims

    claims = extract_claims("Astronomer Lea Varga discusses a young planet\n\nAstronomer Lea Varga said the "
                            "planet was young. Varga added that it was still forming.", lang="en")
    assert {s for c in claims for s in c.sources} == {"Lea Varga"}
    claims = extract_claims("Titre\n\nLa Gazette Médicale a indiqué que l'étude était close.", lang="fr")
    assert claims[0].sources == ("Gazette Médicale",)  # no person's name: a role word stays where it is


def test_organisation_words_keep_a_name_whole():
    from claimsearch.output import author
    from claimsearch.normalise import without_titles

    assert without_titles("Doctor Who Magazine", frozenset({"doctor"})) == "Doctor Who Magazine"
    assert without_titles("US Senator Ann Fowler") == "Ann Fowler"
    assert author("Ann Fowler")["@type"] == "Person" and author("Fowler Institute")["@type"] == "Organization"
