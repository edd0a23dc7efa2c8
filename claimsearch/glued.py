"""Words glued where a scraper dropped a link's markup ("Parisque", "Selonles", "Trumpand", "Muskl’homme").

The evidence comes from the language, not from one article: a token that is no word of the language
(wordfreq in both languages, the spaCy model's vocabulary, the article's own words, the alias table)
is glued when it cuts into a known left part and a frequent right part. Each cut is scored by how
sure both parts are, with a bar that rises as the right part gets shorter (names end in "-on", "-a",
"-les" far more often than a link ends before "on", "a", "les"). Words that must stay whole whatever
the scores say live in data/whole_words.json, each with its reason.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from wordfreq import zipf_frequency

from .models import Lang
from .normalise import load_aliases

DATA = Path(__file__).parent / "data"
OTHER = {"fr": "en", "en": "fr"}  # news borrows names and words from the other language
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# How sure a left part is a word, by its evidence (zipf-like, so it compares with word frequencies).
WRITTEN_HERE = 6.0  # written as a word of its own elsewhere in this article ('Poutine a demandé')
ALIAS_NAME = 5.5  # a one-word name of the alias table ('Crimée', 'Tesla')
ALIAS_WORD = 4.5  # a word of a longer name there ('Jinping' of 'Xi Jinping')
IN_VOCABULARY = 3.0  # a form the spaCy model has a vector for (names included), not in wordfreq
ACRONYM = 5.0  # 'USA', 'SNCF', 'CHSCT' before lowercase letters: the case pattern alone says two words
OTHER_LANGUAGE_CAP = 3.5  # a word of the other language is evidence of a name, not of a common word
ELIDED = 6.0  # an elided French word ("l’homme") whose tail is a word

# (shortest right part, least frequency of the right part, least evidence for the left part)
BARS = ((1, 6.0, 4.5), (2, 5.5, 3.4), (3, 5.0, 3.4), (4, 4.5, 3.0))
FUNCTION_ZIPF = 6.0  # 'le', 'de', 'si', 'in', 'on': the two-letter words that may open a glued pair
FREQUENT = 5.5  # a right part this frequent ('a', 'va', 'est', 'said') is as sure as a function word
CONTENT_BAR = 5.0  # a right part that is no function word ('Crimée|décision') needs a left part this sure
IN_NAME_BAR = 4.5  # beside another capitalised word, a compound name is as likely as a glued open-class word


class WholeWord(BaseModel):
    """A word that must never be cut, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    word: str
    reason: str
    lang: Lang | None = None  # None: in both languages


class GluedData(BaseModel):
    """The part of data/cleaning.json that glued-word repair reads."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    function_words: dict[Lang, list[str]]
    elisions: dict[Lang, list[str]]
    name_endings: dict[Lang, list[str]]


class WholeWords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    about: str
    words: list[WholeWord]


@cache
def glued_data() -> GluedData:
    return GluedData.model_validate_json((DATA / "cleaning.json").read_bytes())


@cache
def whole_words() -> tuple[WholeWord, ...]:
    return tuple(WholeWords.model_validate_json((DATA / "whole_words.json").read_bytes()).words)


@cache
def _whole(lang: str) -> frozenset[str]:
    return frozenset(w.word.lower().replace("’", "'") for w in whole_words() if w.lang in (None, lang))


@lru_cache(maxsize=1 << 16)
def zipf(word: str, lang: str) -> float:
    return zipf_frequency(word.lower().replace("’", "'"), lang)


@cache
def _vocabulary(lang: str):
    """The vectors' vocabulary of a spaCy model (fr_core_news_md: 500k forms, names of every country
    included), the language's own or else the other's (the small English model has no vectors, and
    names cross languages); None when no installed model has vectors."""
    from .sentences import ModelMissing, nlp_for

    for code in (lang, OTHER[lang]):
        try:
            vocab = nlp_for(code).vocab
        except (ImportError, ModelMissing):
            continue
        if vocab.vectors.size:
            return vocab
    return None


def in_vocabulary(word: str, lang: str) -> bool:
    """Whether the model has a vector for this exact form (by hash: the string store grows as spaCy
    parses, the vectors' keys do not, so the answer never depends on what was parsed before)."""
    from spacy.strings import hash_string

    vocab = _vocabulary(lang)
    return vocab is not None and hash_string(word) in vocab.vectors.key2row


def is_word(token: str, lang: str) -> bool:
    """Known to the language: wordfreq in either language, the spaCy vocabulary, or the whole-word list."""
    key = token.replace("’", "'")
    return (zipf(key, lang) > 0 or zipf(key, OTHER[lang]) > 0 or key.lower() in _whole(lang)
            or in_vocabulary(token, lang))


@dataclass(frozen=True)
class Evidence:
    """What an article says about its own words: how often each is written, and the alias table's names."""

    counts: Counter
    folded: Counter  # the same words without case: 'coronavirus' written elsewhere vouches for 'Coronavirus'
    alias_names: frozenset[str]
    alias_words: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Evidence:
        whole, words = _alias_names()
        counts = Counter(WORD.findall(text))
        folded: Counter = Counter()
        for word, n in counts.items():
            folded[word.casefold()] += n
        return cls(counts, folded, whole, words)


@cache
def _alias_names() -> tuple[frozenset[str], frozenset[str]]:
    """The alias table's one-word names ('Crimée', 'EspaceX'), and every capitalised word of its names."""
    whole: set[str] = set()
    words: set[str] = set()
    for forms in load_aliases().forms_of.values():
        for form in forms:
            found = [w for w in WORD.findall(form) if w[:1].isupper()]
            words.update(found)
            if found == [form]:
                whole.add(form)
    return frozenset(whole), frozenset(words)


def stays_whole(token: str, lang: str, evidence: Evidence) -> bool:
    """A token written twice, a form of the alias table (EspaceX), or a word of the language is no glued pair."""
    return (evidence.counts[token] > 1 or token in evidence.alias_words or token in evidence.alias_names
            or is_word(token, lang))


def split(token: str, lang: str, evidence: Evidence, in_name: bool = False) -> str | None:
    """The token cut in two ("Paris que"), or None when no cut is sure enough. `in_name`: the token
    stands beside another capitalised word ('Rayshard Brooks'), where a compound name is as likely."""
    if stays_whole(token, lang, evidence):
        return None
    elisions = glued_data().elisions[lang]
    head, apostrophe, tail = (re.split(r"(['’])", token, maxsplit=1) + ["", ""])[:3]
    if apostrophe and head.lower() in elisions:  # d’Elonqui: look at what follows the elision
        fixed = split(tail, lang, evidence, in_name) if len(tail) >= 4 else None
        return head + apostrophe + fixed if fixed else None
    best: tuple[float, int] | None = None
    for i in range(1, len(head)):
        score = _cut_score(head[:i], head[i:], tail if apostrophe else None, lang, evidence, in_name)
        if score is not None and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return None
    i = best[1]
    return f"{head[:i]} {head[i:]}{apostrophe}{tail}"


def left_evidence(left: str, lang: str, evidence: Evidence, short_right: bool = False) -> float:
    """How sure `left` is a word or a name, on the zipf scale. Before a right part of one or two letters
    only the language's frequency, the article and the case pattern count: names of other languages
    end in "-on", "-se" ('Libanon', 'Singaporese'), and the alias table knows those names."""
    found = [zipf(left, lang), min(zipf(left, OTHER[lang]), OTHER_LANGUAGE_CAP)]
    if evidence.folded[left.casefold()]:
        found.append(WRITTEN_HERE)
    if len(left) >= 2 and left.isupper():
        found.append(ACRONYM)
    if short_right:
        return max(found)
    if left in evidence.alias_names:  # the other language's form of a name is weaker ('Iraq' in French)
        found.append(ALIAS_NAME if zipf(left, lang) >= zipf(left, OTHER[lang]) else ALIAS_WORD)
    elif left in evidence.alias_words:
        found.append(ALIAS_WORD)
    if in_vocabulary(left, lang):
        found.append(IN_VOCABULARY)
    return max(found)


def _cut_score(left: str, right: str, elided_tail: str | None, lang: str, evidence: Evidence,
               in_name: bool) -> float | None:
    """How sure a cut between `left` and `right` is (the lesser of both parts' evidence), or None."""
    if not right.islower():
        return None  # a capital on the right is camel case (PlayStation, iPhone, DiCaprio): never cut there
    if left[1:] and not (left[1:].islower() or left.isupper()):
        return None  # 'McDonald', 'iPhone': a case pattern of its own
    data = glued_data()
    if elided_tail is not None:  # Muskl’homme: the right part is an elision, the tail must be a word
        if right.lower() not in data.elisions[lang] or not is_word(elided_tail, lang):
            return None
        right_freq, size = ELIDED, 3  # l’homme weighs as a word of its own
    else:
        right_freq, size = zipf(right, lang), len(right)
    if right in data.name_endings[lang]:
        return None  # Kellerman, Hamilton: endings of names more often than words after them
    closed = elided_tail is not None or right in data.function_words[lang]
    function = closed or right_freq >= FREQUENT
    _, least_freq, least_left = next(b for b in reversed(BARS) if size >= b[0])
    if right_freq < least_freq or right_freq <= zipf(right, OTHER[lang]) - 1:
        return None  # a rare right part, or one of the other language ('Parmet' is no 'Par met')
    if left.islower():  # no case cue: a frequent word before a function word only (gouvernementqui)
        if not (function and len(left) >= 4 and size >= 2 and zipf(left, lang) >= 3.0):
            return None
        return min(zipf(left, lang), right_freq)
    if len(left) == 1 or (len(left) == 2 and not left.isupper() and (
            zipf(left, lang) < FUNCTION_ZIPF or size < 3 and min(zipf(left, lang), right_freq) < FUNCTION_ZIPF + 0.5)):
        return None  # 'Le|nouveau', 'De|l’autre': a two-letter word opening a sentence, frequent as few are
    left_sure = left_evidence(left, lang, evidence, short_right=size <= 2)
    if not function:
        least_left = max(least_left, CONTENT_BAR)
    if in_name and not closed:  # 'Rayshard Brooks' is no 'Rays hard'; 'Oversightand Reform' is 'Oversight and'
        least_left = max(least_left, IN_NAME_BAR)
    return min(left_sure, right_freq) if left_sure >= least_left else None
