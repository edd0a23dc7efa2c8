"""Per-language data (cue verbs, markers, word lists, abbreviations, months): one typed `Lexicon` per
language, validated from the JSON beside this file, so that a misspelt or missing key fails at load."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..folding import fold

HERE = Path(__file__).parent

Stance = Literal["assert", "report", "allege", "confirm", "admit", "deny", "question"]
Words = tuple[str, ...]


class Marker(BaseModel):
    """A phrase before a source: "selon X", "according to X", "comme le révèle X"."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str = Field(description="the marker as written; case, spacing and apostrophes are ignored when matching")
    kind: Literal["selon", "document"] = Field(description="the attribution kind it gives")
    needs_comma: bool = Field(False, description="counts only at the start of the sentence and before a comma, "
                                                 "with no verb between (\"Pour Montebourg, …\", \"Per the AP, …\")")


class Lexicon(BaseModel):
    """The words one language gives attribution, sentence splitting and date reading.

    Some lists are read for both languages at once (`any_language`): articles quote each other's
    language ("Le Monde" in an English text)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    months: dict[str, int] = Field(description="month names and abbreviations → month number, for datelines")
    abbreviations: Words = Field(description="abbreviations whose final period does not end a sentence")
    cue_verbs: dict[str, Stance] = Field(description="reporting verbs (lemmas) → the stance they give the claim")
    quote_only_verbs: Words = Field(description="verbs that report only when they govern a quotation, never "
                                                "through a clause or an object (\"appeler\", \"call\")")
    markers: tuple[Marker, ...] = Field(description="phrases whose following noun phrase is the source")
    marker_not_source: Words = Field(description="phrases that start like a marker but name no source "
                                                 "(\"selon les cas\", \"according to plan\")")
    variation_words: Words = Field(default=(), description="verbs and adjectives of variation after which a "
                                   "marker means \"depending on\" (\"le prix varie selon la saison\", \"rates differ "
                                   "according to age\"): no source")
    pronouns: dict[str, Literal["m", "f", "p", "n"]] = Field(
        description="subject pronouns (and possessives: \"its website\") resolved to an earlier speaker → "
                    "masculine or feminine (m, f: a person), "
                    "plural (p: a group or an organisation first), or neuter (n, \"it said\": an organisation)")
    conditional_aux: Words = Field(description="auxiliaries that put a claim in the conditional (\"aurait\")")
    descriptions: Words = Field(description="role descriptions that stand for a person named before "
                                            "(\"le ministre\", \"the spokesman\"); the last word is the role")
    anonymous_heads: Words = Field(description="nouns that can head a source without a name "
                                               "(\"un diplomate\", \"officials\")")
    lemma_fixes: dict[str, str] = Field(description="wrong lemmas of the tagger → the reporting verb meant")
    infinitive_not_cues: Words = Field(description="cue verbs that report nothing before an infinitive: the "
                                                   "infinitive is an act (\"declined to comment\", \"a ordonné de\")")
    directive_verbs: Words = Field(description="verbs of asking, urging and promising: with an infinitive they report "
                                               "the subject's demand (\"a demandé au Conseil d'adopter\", \"urged the "
                                               "board to resign\"), and the infinitive's own verbs are what is asked, "
                                               "not a cue")
    reflexive_passives: Words = Field(description="reflexive verbs that make the infinitive after them passive: its "
                                                  "subject is who is asked, not who asks (\"se verra demander de\")")
    modal_verbs: Words = Field(description="modals of possibility: a cue under one tells what may be said, not what "
                                           "was (\"owners can contest the list\", \"pourront contester\")")
    predicative_verbs: dict[str, Words] = Field(
        description="verbs that characterise their object → the words that introduce the predicate (none: a bare "
                    "noun or adjective): \"called the plan a disaster\", \"a qualifié le projet de scandale\" "
                    "report a judgement even without a quotation")
    clause_only_verbs: Words = Field(description="cue verbs that report only through a clause or a quotation, "
                                                 "never through a noun object")
    institution_nouns: Words = Field(default=(), description="institutions a country or a city has one of (\"the police\", "
                                     "\"la cour\"): they stand only for a name that holds the word, else for themselves")
    indefinite_pronouns: Words = Field(default=(), description="one-word pronouns of people not named (\"others\", \"d'autres\"): "
                                       "like the indefinite determiners standing alone (\"some\", \"certains\"), a new, anonymous source")
    agreeing_auxiliaries: Words = Field(default=(), description="auxiliaries whose participle agrees with its subject "
                                        "(\"elle est arrivée\"; not \"elle a parlé\"): the participle then says the "
                                        "subject's gender")
    auxiliaries: Words = Field(default=(), description="auxiliaries of compound tenses (\"a dénoncé\", \"has said\"), found again "
                               "when an adverbial between them and the participle misled the parser")
    org_descriptions: Words = Field(description="nouns that stand for an organisation named before (\"l'ONG\")")
    document_nouns: Words = Field(description="documents and entourages that speak for their owner or author "
                                              "(\"le rapport\", \"the statement\")")
    entourage_nouns: Words = Field(default=(), description="groups around a person that speak as themselves, not "
                                              "as that person (\"the Baker campaign\", \"l'entourage du ministre\"): "
                                              "the phrase, with its name, is the source")
    verb_endings: dict[str, Words] = Field(description="infinitive ending → inflected endings, to recognise forms "
                                                       "of regular cue verbs the lemmatizer misses")
    phrasal_cues: dict[str, Stance] = Field(description="cues made of a verb and the words after it "
                                                        "(\"faire état\", \"call for\") → stance")
    representative_nouns: Words = Field(default=(), description="roles that speak for the organisation they are of "
                                        "(\"le président de la Banque de France\", \"the spokesman for the ministry\"): the "
                                        "organisation is a source beside the person; a correspondent or a member is not")
    stance_verbs: Words = Field(default=(), description="verbs of support or opposition (\"opposed the deal\", "
                                "\"soutient la réforme\"): a position only someone who can hold one takes; without a "
                                "clause or a quotation they report only with a person, a group or a name as subject "
                                "(\"the bridge supports heavy trucks\" is no stance)")
    person_object_verbs: Words = Field(description="verbs that report only with a person as object "
                                                   "(\"accuser X de\", \"blame X\")")
    self_description_verbs: Words = Field(default=(), description="pronominal cues whose adjective or noun complement "
                                                    "is what the subject says of itself (\"se dit confiant\", \"se "
                                                    "disent prêts à\", \"se déclare candidat\")")
    counted_object_verbs: Words = Field(default=(), description="cue verbs whose person object is what they report, "
                                                   "not whom they address (\"reports two dead\", \"a signalé trois blessés\")")
    recap_openers: Words = Field(default=(), description="openings of a sentence that hands what came before to "
                                              "someone (\"c'est ce qu'a déclaré X\", \"tel est le constat de X\", "
                                              "\"that is what X said\"), apostrophes written straight")
    incise_not_cues: Words = Field(default=(), description="verbs whose inverted subject pronoun set off by commas "
                                                "is a hedge, not reported speech (\"semble-t-il\", \"paraît-il\"); "
                                                "any other verb so inverted reports (\"appuie-t-il\", \"tranche-t-elle\")")
    publishing_verbs: Words = Field(default=(), description="verbs whose subject is the author of the document "
                                                "they take as object (\"X a publié son rapport\", \"X released a "
                                                "study\"): \"selon le rapport\" names X later")
    mute_suffixes: Words = Field(description="suffixes of nouns that name events, quantities or abstractions, "
                                             "which never speak")
    mute_nouns: Words = Field(description="nouns that never speak, whatever their suffix")
    non_reporting_marks: Words = Field(description="subordinators of purpose or condition: a verb under them "
                                                   "reports nothing (\"pour qu'il explique\", \"if he says\")")
    as_words: Words = Field(description="the \"as\" of \"as X noted\" / \"comme le rappelle X\"")
    as_only_verbs: Words = Field(default=(), description="verbs that report only in an \"as\" clause (\"as the senator put it\")")
    topic_prepositions: Words = Field(default=(), description="prepositions of what speech is about (\"talked about\", \"a parlé de\"): "
                                      "with one, an \"as\" clause says when, not who reports")
    possessives: dict[str, str] = Field(default_factory=dict, description="possessives that agree with their owner, "
                                        "with the owner's gender (\"his\": m); none in French, whose possessives agree with the thing owned")
    as_pronouns: Words = Field(description="the words between \"as\" and the cue verb (\"comme le\", \"as he\")")
    negations: Words = Field(description="negation words: a negated verb reports nothing")
    determiners: Words = Field(description="words (and marks) trimmed from the start of a source phrase")
    of_words: Words = Field(description="prepositions of a noun phrase's complement that stays in the source "
                                        "(\"porte-parole de la fédération\")")
    representative_prepositions: Words = Field(default=(), description="prepositions of the organisation a "
                                               "representative speaks for, besides `of_words` (\"a spokesman for the "
                                               "company\"): kept in the source after a `representative_nouns` role")
    agent_words: Words = Field(description="the preposition of a passive agent (\"par\", \"by\")")
    relatives: Words = Field(description="relative pronouns as subjects: the antecedent speaks")
    marker_relatives: Words = Field(default=(), description="relative pronouns after a marker (\"selon lequel\"): "
                                                   "the source is the noun before the marker")
    relative_words: Words = Field(description="relative pronouns: a cue whose subject is one describes, "
                                              "it does not report")
    genitive_relatives: Words = Field(description="relatives that open a subject (\"dont la majorité\", "
                                                  "\"whose lawyer\")")
    relative_objects: Words = Field(description="relatives never taken for the subject of a gerund")
    complementizers: Words = Field(description="words that open a reported clause (\"que\", \"that\")")
    impersonal_subjects: Words = Field(description="subject pronouns that never name a speaker (\"ce\", \"it\")")
    object_pronouns: Words = Field(description="pronouns the parser takes for a subject that are objects "
                                               "(\"lui avait dit X\")")
    euphonic_words: Words = Field(description="the euphonic -t- of an inverted subject (\"affirme-t-il\"): "
                                              "not a subject")
    hyphen_not_subjects: Words = Field(description="hyphenated words after a verb that are not its inverted subject")
    description_fillers: Words = Field(description="folded articles and prepositions of a description that do "
                                                   "not identify the role")
    gerund_endings: Words = Field(description="endings of a present participle (\"déclarant\"), which speaks "
                                              "for the subject before it")

    act_verbs: Words = Field(description="cue verbs that also name deeds: with a noun object that is not something "
                                         "said (`speech_nouns`), they report nothing (\"a publié ses comptes\", "
                                         "\"declared a curfew\", \"a concédé un but\")")
    speech_nouns: Words = Field(description="nouns of things said: as the object of an act verb they keep it a cue "
                                            "(\"a publié un communiqué\", \"issued a warning\")")
    person_nouns: Words = Field(description="nouns of people's roles and trades: \"the actress\" as a subject is "
                                            "resolved to the person introduced as one, never to anybody else")
    indefinite_determiners: Words = Field(description="determiners that introduce someone new (\"un habitant\", "
                                                      "\"a witness\"): never resolved to a person named before")
    definite_determiners: Words = Field(description="determiners of a definite singular noun phrase (\"le\", \"du\", "
                                                   "\"the\", \"this\"): \"the ship\" may stand for a name written before")
    latter_words: Words = Field(description="words that stand for the person named last (\"ce dernier\", "
                                            "\"the latter\")")
    thing_pronouns: Words = Field(description="subject pronouns and possessives that may stand for a thing or an "
                                              "organisation (\"il\", \"elle\", \"it\", \"its\"): after a sentence "
                                              "whose subject is no person, they stand for that subject")
    org_class_nouns: Words = Field(description="nouns of the class of organisations (\"le groupe\", \"the company\"): "
                                               "definite, they stand for the organisation last named, unlike an "
                                               "institution (\"le gouvernement\") which names its country's own")
    first_person: Words = Field(description="first-person words: in a quotation nobody introduces, they mark "
                                            "direct speech rather than a phrase quoted")

    gendered_words: dict[Literal["m", "f"], Words] = Field(
        description="words just before a person's name that tell their gender (\"Mme\", \"la ministre\", "
                    "\"actress\"), so that \"il\"/\"she\" resolve only to a person who agrees")
    first_names: dict[Literal["m", "f"], Words] = Field(
        description="given names nearly always borne by one sex as this language's readers meet them (\"Jean\" is a "
                    "man in French, a woman in English); a name borne by both (Camille, Leslie) is in neither list")

    def folded(self, key: str, last_word: bool = False) -> frozenset[str]:
        """A word list, folded once (these sets are consulted for every token)."""
        return _folded(id(self), self, key, last_word)


_FOLDED: dict[tuple[int, str, bool], frozenset[str]] = {}


def _folded(ident: int, lex: Lexicon, key: str, last_word: bool) -> frozenset[str]:
    cache_key = (ident, key, last_word)
    if cache_key not in _FOLDED:
        words = (fold(w) for w in getattr(lex, key))
        _FOLDED[cache_key] = frozenset(w.split()[-1] if last_word else w for w in words if w)
    return _FOLDED[cache_key]


@cache
def load_lang(lang: str) -> Lexicon:
    path = HERE / f"{lang}.json"
    if not path.exists():
        raise ValueError(f"no language data for {lang!r}: claimsearch knows fr and en")
    return Lexicon.model_validate_json(path.read_text(encoding="utf-8"))


@cache
def any_language(key: str) -> frozenset[str]:
    """A word list of every language at once, for the checks that read a word whatever the article's language."""
    return frozenset(w for path in sorted(HERE.glob("*.json")) for w in getattr(load_lang(path.stem), key))
