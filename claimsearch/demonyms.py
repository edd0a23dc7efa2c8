"""Adjectives of nationality name their country: "le gouvernement malien", "Syrian forces" → Mali, Syria.

English demonyms come from the countryinfo package (one per country: when several countries share
one, "French", the most populous), with the other forms of data/demonyms.json ("Saudi", "Briton");
French ones from that file alone, no maintained package having them. The country is written as the
alias table writes it (Babel's CLDR English name, or the table's canonical name).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from .folding import fold
from .normalise import DATA, canonical

Forms = dict[str, tuple[str, ...]]


class DemonymData(BaseModel):
    """data/demonyms.json."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    about: str
    language_markers: dict[str, tuple[str, ...]] = Field(
        description="words before an adjective of nationality that make it a language (\"en russe\", \"in Russian\"), "
                    "unless a noun follows")
    not_countries: dict[str, tuple[str, ...]] = Field(
        description="adjectives made with one of a country that name a region (\"Latin American\"): no country")
    fr: Forms = Field(description="ISO 3166 code → French adjectives (masculine singular, and irregular feminines)")
    en: Forms = Field(description="ISO 3166 code → English demonyms besides countryinfo's")


@cache
def _data() -> DemonymData:
    return DemonymData.model_validate_json((DATA / "demonyms.json").read_text(encoding="utf-8"))


def _french_forms(masculine: str) -> list[str]:
    """malien → malienne, maliens, maliennes; belge → belges; français → française(s)."""
    if masculine.endswith("e"):
        feminine = masculine
    elif masculine.endswith(("ien", "éen")):
        feminine = masculine + "ne"
    else:
        feminine = masculine + "e"
    plural = masculine if masculine.endswith(("s", "x")) else masculine + "s"
    return [masculine, feminine, plural, feminine + "s"]


def _english_forms(demonym: str) -> list[str]:
    """Syrian → Syrians; Swiss, French and Chinese stay as they are."""
    return [demonym] if demonym.endswith(("s", "sh", "ch", "ese")) else [demonym, demonym + "s"]


@cache
def demonyms(lang: str) -> dict[str, str]:
    """Folded adjective (or plural noun) of nationality → the country's name, for one language."""
    from babel import Locale

    names = Locale("en").territories
    codes: dict[str, str] = {}
    if lang == "en":
        from countryinfo import all_countries

        people: dict[str, tuple[int, str]] = {}
        for country in all_countries():
            demonym, code = country.demonym(), country.iso(2)
            population = country.info().get("population") or 0
            if demonym and code and (demonym not in people or population > people[demonym][0]):
                people[demonym] = (population, code)
        codes = {form: code for demonym, (_, code) in people.items() for form in _english_forms(demonym)}
        codes |= {form: code for code, words in _data().en.items() for w in words for form in _english_forms(w)}
    elif lang == "fr":
        codes = {form: code for code, words in _data().fr.items() for w in words for form in _french_forms(w)}
    regions = {fold(form): "" for w in _data().not_countries.get(lang, ()) for form in
               (_french_forms(w) if lang == "fr" else _english_forms(w))}
    return {fold(form): canonical(names[code]) for form, code in codes.items() if code in names} | regions


WORD = re.compile(r"[^\W\d_]+(?:[ -][^\W\d_]+)?")


@cache
def regions() -> frozenset[str]:
    """The regions among the places adjectives name (Africa, Latin America): CLDR's numeric codes."""
    from babel import Locale

    names = Locale("en").territories
    return frozenset(canonical(names[code]) for forms in (_data().fr, _data().en) for code in forms
                     if code.isdigit() and code in names)


def countries_in(text: str, lang: str, names: Iterable[str] = ()) -> list[str]:
    """The countries (and regions) a text names by an adjective of nationality, in order, once each; a language
    ("traduit en russe", "in Russian.") is not its country. Compounds count for each part: "Franco-Italian",
    "Turkish Cypriot". A region's adjective inside one of `names` (the names the text holds) is part of that
    name, not a claim about the region ("l'Union africaine", "the European Commission")."""
    table = demonyms(lang)
    if not table:
        return []
    markers = {fold(w) for w in _data().language_markers.get(lang, ())}
    inside = [(m.start(), m.end()) for n in names if n.strip() and not is_demonym(n, lang)
              for m in re.finditer(re.escape(n.strip()), text)]
    words = list(re.finditer(r"[^\W\d_]+", text))
    found: list[str] = []
    i = 0
    while i < len(words):
        two = fold(text[words[i].start():words[i + 1].end()]) if i + 1 < len(words) else ""
        size = 2 if two in table else 1
        key = two if size == 2 else fold(words[i].group())
        if key in table and (lang != "en" or words[i].group()[:1].isupper()):
            after = words[i + size] if i + size < len(words) else None
            # "en russe" is always the language; "in Russian" only before no noun ("in Russian hands")
            language = i > 0 and fold(words[i - 1].group()) in markers and (lang == "fr" or (
                after is None or not after.group()[:1].islower() or text[words[i + size - 1].end():after.start()].strip()))
            place = table[key]
            if place in regions() and any(a <= words[i].start() < b for a, b in inside):
                place = ""
            if not language and place and place not in found:
                found.append(place)
        i += size
    return found


def is_demonym(name: str, lang: str) -> bool:
    """A name made only of adjectives of nationality ("Libyan", "Turkish Cypriot"): its countries replace it."""
    words = re.findall(r"[^\W\d_]+", name)
    table = demonyms(lang)
    if fold(name) in table:
        return bool(table[fold(name)])  # a region ("Latin American") stays a name
    return bool(words) and all(table.get(fold(w)) for w in words)
