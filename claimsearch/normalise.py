"""Canonical names: one spelling for each source and entity, so a search finds them however written.

Three layers, most specific first: the article itself (a surname resolves to the full name written
earlier, an acronym to the name it follows in parentheses), the alias table (data/aliases.json plus
a user's file), and Babel's CLDR country names in French and English.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, lru_cache
from pathlib import Path

from .folding import fold
from .lang import load_lang

DATA = Path(__file__).parent / "data"
ALIASES_ENV = "CLAIMSEARCH_ALIASES"


def is_acronym(form: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", form)
    return 1 < len(letters) <= 5 and letters.isupper()


@dataclass
class AliasTable:
    canonical_of: dict[str, str] = field(default_factory=dict)  # folded form -> canonical
    forms_of: dict[str, list[str]] = field(default_factory=dict)  # canonical -> every written form
    type_of: dict[str, str] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)  # case-sensitive short forms -> canonical

    def add(self, name: str, aliases: list[str], type_: str = "MISC", override: bool = False) -> None:
        forms = self.forms_of.setdefault(name, [name])
        self.type_of.setdefault(name, type_)
        for form in [name, *aliases]:
            if form not in forms:
                forms.append(form)
            if is_acronym(form):
                self.acronyms[form.replace(".", "")] = name
                continue
            key = fold(form)
            if key and (override or key not in self.canonical_of):
                self.canonical_of[key] = name

    def starts(self) -> dict[str, int]:
        """First folded word of every known form → the longest form (in words) it starts."""
        if getattr(self, "_starts", None) is None or self._starts_size != len(self.canonical_of):
            starts: dict[str, int] = {}
            for key in self.canonical_of:
                words = key.split()
                starts[words[0]] = max(starts.get(words[0], 0), len(words))
            self._starts, self._starts_size = starts, len(self.canonical_of)
        return self._starts

    def canonical(self, name: str) -> str | None:
        """The canonical name for a written form, or None when the table does not know it."""
        stripped = name.strip()
        if is_acronym(stripped):
            return self.acronyms.get(stripped.replace(".", ""))
        return self.canonical_of.get(fold(stripped))

    def forms(self, name: str) -> list[str]:
        canonical = self.canonical(name) or name
        return self.forms_of.get(canonical, [canonical])


def _territories(table: AliasTable) -> None:
    """Country and territory names in both languages, from CLDR (Chine/China, Taïwan/Taiwan)."""
    from babel import Locale

    fr, en = Locale("fr").territories, Locale("en").territories
    for code, english in en.items():
        if code.isdigit() or code in ("ZZ", "EU", "EZ", "UN", "QO"):
            continue  # regions like "World", and codes that clash with acronyms in the table
        french = fr.get(code)
        table.add(english, [french] if french and french != english else [], "LOC")


def _load_file(table: AliasTable, path: Path, override: bool) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data.get("entities", []):
        table.add(entry["name"], list(entry.get("aliases", [])), entry.get("type", "MISC"), override=override)


@cache
def load_aliases(extra: str | None = None) -> AliasTable:
    """The alias table: bundled data, CLDR places, then the user's file (which wins on conflicts)."""
    table = AliasTable()
    _load_file(table, DATA / "aliases.json", override=False)
    _territories(table)
    extra = extra or os.environ.get(ALIASES_ENV)
    if extra:
        _load_file(table, Path(extra), override=True)
    return table


def canonical(name: str, table: AliasTable | None = None) -> str:
    table = table or load_aliases()
    return table.canonical(name) or name.strip()


def alias_forms(name: str, table: AliasTable | None = None) -> list[str]:
    """Every written form of a name's canonical entity, canonical first: Putin → Vladimir Putin, Poutine, …"""
    return (table or load_aliases()).forms(name)


@cache
def _fold_word(word: str) -> str:
    return fold(word)


def find_aliases(text: str, table: AliasTable | None = None) -> list[tuple[int, int, str]]:
    """Known names written in `text` (any form), as (start, end, canonical), longest first, no overlaps.

    Each word is folded once (cached) and n-grams are looked up by their folded key: this runs on
    every sentence of every article, several times, so it must cost little next to the parse."""
    if table is None:
        return list(_find_default_aliases(text))
    return _find_aliases(text, table)


@lru_cache(maxsize=4096)
def _find_default_aliases(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(_find_aliases(text, load_aliases()))


def _find_aliases(text: str, table: AliasTable) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    spans = [(m.start(), m.end()) for m in re.finditer(r"[\w’'.-]+", text)]
    folded = [_fold_word(text[a:b]) for a, b in spans]
    taken = [False] * len(spans)
    starts = table.starts()
    for size in range(6, 0, -1):
        for i in range(len(spans) - size + 1):
            if starts.get(folded[i].split(" ", 1)[0] if folded[i] else "", 0) < size and not (
                    size == 1 and text[spans[i][0]:spans[i][1]].isupper()):
                continue  # no known name starts with this word, or none that long
            if any(taken[i:i + size]):
                continue
            start, end = spans[i][0], spans[i + size - 1][1]
            form = text[start:end].rstrip(".'’-")
            if not form:
                continue
            if size == 1 and is_acronym(form):
                name = table.acronyms.get(form.replace(".", ""))
            elif form[:1].isupper() or size > 1:
                name = table.canonical_of.get(" ".join(w for w in folded[i:i + size] if w))
            else:
                name = None
            if name:
                found.append((start, start + len(form), name))
                taken[i:i + size] = [True] * size
    return sorted(found)


TITLES = re.compile(r"^(?:(?:M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|President|Président|Présidente|Senator|Sen\.|"
                    r"Rep\.|Representative|Governor|Gov\.|Minister|Ministre|Prime Minister|Premier ministre|Speaker|"
                    r"House Speaker|Chancellor|Secretary|Mayor|Judge|Pope|Pape|King|Queen|Roi|Reine|US|U\.S\.|UK|"
                    r"the|The|le|la|l['’])\s+)+")  # "US Senator Smith" is Smith


def without_titles(name: str, roles: frozenset[str] = frozenset()) -> str:
    """"US Senator Ann Fowler" is Ann Fowler, and so is "Astronomer Ann Fowler" (a headline's or a
    sentence's capitalised role noun the entity recogniser took into the name), when what is left is
    shaped as a person's name."""
    bare = TITLES.sub("", name).strip()
    words = bare.split()
    k = 0
    while k < len(words) - 2 and fold(words[k]) in roles:
        k += 1
    rest = " ".join(words[k:])
    return rest if k and person_named(rest) else bare


@dataclass
class ArticleNames:
    """Names as one article writes them: full names, and acronyms it spells out in parentheses."""

    full: list[str] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)
    text: str = ""
    speakers: frozenset[str] = frozenset()  # names that speak: only these are completed from the text
    roles: frozenset[str] = frozenset()  # the language's role nouns, folded ("astronomer", "avocate")
    _short: dict[str, str] | None = None  # surname or acronym → full name, built on first use
    _pattern: re.Pattern | None = None

    @classmethod
    def of(cls, text: str, people: list[str], roles: frozenset[str] = frozenset()) -> ArticleNames:
        # longest first, equal lengths in order of first mention: never a set's order, which changes with
        # PYTHONHASHSEED ("Saudi" must not become "Saudi Arabia" in one run and "Saudi Aramco" in the next)
        shaped = dict.fromkeys(bare for p in people if _person_shaped(bare := without_titles(p, roles)))
        names = cls(full=sorted(shaped, key=len, reverse=True), text=text, roles=roles)
        for m in re.finditer(r"\s*\(([A-Z][A-Za-z]{1,7})\)", text):  # find "(CGT)" first, then look back
            words, short = re.findall(r"[\w’'-]+", text[max(0, m.start() - 120):m.start()])[-9:], m.group(1)
            words = [re.sub(r"^[dlDL]['’](?=\w)", "", w) for w in words]  # "l'Agence": the name starts at "Agence"
            for i in range(len(words) - 1):  # the longest tail of words whose initials spell the acronym
                tail = words[i:]
                initials = "".join(w[0].upper() for w in tail if fold(w) not in CONNECTIVES)
                if tail[0][:1].upper() == short[0] and _spells(short.upper(), initials):
                    long_ = " ".join(tail)
                    # the name the article uses most is kept; either way the acronym is a name wherever written
                    names.acronyms[short] = long_ if text.count(short) <= text.count(long_) + 1 else short
                    break
        return names

    def named_in(self, text: str) -> list[str]:
        """Who a sentence names in a short form the entity recogniser often misses: a surname alone ("Ternon
        wept") that only one full name of the article ends with, or an acronym the article spelt out."""
        if self._short is None:
            owners: dict[str, list[str]] = {}
            for full in self.full:
                words = full.split()
                if len(words) >= 2 and len(words[-1]) > 2 and words[-1][:1].isupper():
                    owners.setdefault(words[-1], []).append(full)
            self._short = {word: found[0] for word, found in owners.items() if len(found) == 1} | self.acronyms
            self._pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(self._short, key=len, reverse=True)))
                                       + r")(?![\w-])") if self._short else None
        if self._pattern is None:
            return []
        return list(dict.fromkeys(self._short[m.group(1)] for m in self._pattern.finditer(text)))

    def resolve(self, name: str) -> str:
        """A surname or first-name-less form → the full name written elsewhere in the article."""
        if name in self.acronyms:
            return self.acronyms[name]
        key = fold(name)
        words = key.split()
        for full in self.full:
            f = fold(full)
            if f != key and (f.endswith(" " + key) or f.startswith(key + " ")) and len(key) > 2:
                return full
            parts = f.split()
            if len(words) >= 2 and len(words[0]) == 1 and parts[-1] == words[-1] and parts[0].startswith(words[0]):
                return full  # "M. Durand" → "Marie Durand"
        if len(words) == 1 and name[:1].isupper() and key in TITLE_WORDS | self.roles:
            # "the Chancellor", "la Présidente": the one person the article names with that title ("Chancellor Ana Ruiz")
            body = self.text[self.text.find("\n\n") + 2:]  # not a Title Case headline's next words ("Mayor Says …")
            named = {m.group(1) for m in re.finditer(
                rf"\b{re.escape(name)}\s+((?:[A-ZÀ-Ý][\w’'-]+)(?:\s+[A-ZÀ-Ý][\w’'-]+){{0,2}})", body)}
            if len(named) == 1:
                return f"{name} {named.pop()}"
        if len(words) >= 2:
            bare = [w for w in words if len(w) > 1]  # "John F. Kennedy" is "John Kennedy"
            for full in self.full:
                parts = fold(full).split()
                if fold(full) == key or len(parts) < 2:
                    continue
                if bare != words or len(bare) != len(parts):
                    if [w for w in parts if len(w) > 1] == bare:
                        return full if len(parts) > len(words) else name
                elif parts[0] == words[0] and _near(parts[-1], words[-1]) and (
                        self.text.count(full) > self.text.count(name)):
                    return full  # "Paul Durant" written once for "Paul Durand" written twice: a slip
        if len(words) == 1 and len(key) >= 5:  # "Saree" written once for "Yahya Sarea": a misspelt surname
            close = [full for full in self.full if _near(fold(full).split()[-1], key)]
            if len(close) == 1:
                return close[0]
        if len(words) == 1 and name[:1].isupper() and name in self.speakers:  # a surname the NER missed in full: "Representative Adam Schiff"
            for m in re.finditer(r"(?<![\w-])([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?) " + re.escape(name) + r"\b", self.text):
                first = m.group(1)
                if fold(first) not in TITLE_WORDS and not table_knows(first):
                    return f"{first} {name}"
        return name


TITLE_WORDS = {"president", "senator", "representative", "represenative", "governor", "minister", "ministre",
               "the", "le", "la", "les", "mr", "mrs", "ms", "dr", "m", "mme", "sen", "rep", "gov", "general", "king",
               "queen", "pope", "judge", "mayor", "speaker", "secretary", "chancellor", "leader", "chairman", "chair",
               "et", "and", "de", "du", "des", "selon", "pour", "with", "by", "when", "but", "as", "so", "if"}


def table_knows(word: str) -> bool:
    """A capitalised word that names a place or organisation (CLDR, aliases) is not a first name."""
    return load_aliases().canonical(word) is not None


CONNECTIVES = {"de", "du", "des", "d", "la", "le", "l", "les", "et", "pour", "of", "the", "and", "for", "in", "on"}


def _spells(short: str, initials: str) -> bool:
    """CGT ~ C(onfédération) G(énérale du) T(ravail): the acronym's letters appear in order."""
    it = iter(initials)
    return all(ch in it for ch in short) and len(initials) <= len(short) + 2


PARTICLES = {"de", "du", "des", "van", "von", "der", "den", "le", "la", "bin", "ibn", "al", "el", "da", "di", "dos", "del", "y"}


def _person_shaped(name: str) -> bool:
    """"Paul Durand", "Ana Ruiz García", "Ahmet Kemal Yıldız" — not "the Economy of Turkey" or
    "Johnson's critics": only such names complete a surname written alone."""
    words = name.split()
    return 2 <= len(words) <= 5 and "'s" not in name and "’s" not in name and all(
        w[:1].isupper() or w.lower() in PARTICLES for w in words) and words[0].lower() not in PARTICLES | {"the"}


def person_named(name: str) -> bool:
    """A person's name, not an organisation's: two to five capitalised words with no acronym, no
    parenthesis and no word that names an organisation ("agence", "committee", "Magazine": the
    languages' org_descriptions and data/organisation_words.json)."""
    return _person_shaped(name) and "(" not in name and not any(
        is_acronym(w) or fold(w) in _org_words() for w in name.split())


@cache
def _org_words() -> frozenset[str]:
    from .lang import any_language

    extra = json.loads((Path(__file__).parent / "data" / "organisation_words.json").read_text(encoding="utf-8"))
    return frozenset(fold(w) for w in [*extra["words"], *any_language("org_descriptions")])


def _near(a: str, b: str) -> bool:
    """One slip of the keyboard apart (cheap tests first: this runs for every name of every claim)."""
    return a[0] == b[0] and abs(len(a) - len(b)) <= 1 and a != b and SequenceMatcher(None, a, b).ratio() >= 0.8


def canonical_name(name: str, names: ArticleNames, table: AliasTable) -> str:
    name = " ".join(name.split())  # a hard-wrapped paragraph gives spaCy names such as "Janet\nYellen"
    bare = without_titles(name.strip(" ,.«»“”\"'"), names.roles)
    bare = re.sub(r"^(?:[\w.-]+\s+){0,3}[\w.-]+['’]s\s+(?=[A-Z])", "", bare)  # "the United Kingdom's Queen Elizabeth II"
    bare = _trim_name(bare, table)
    if not bare:
        return name.strip()
    known = table.canonical(bare)
    if known:
        return known
    resolved = names.resolve(bare)
    return table.canonical(resolved) or resolved


def _trim_name(name: str, table: AliasTable) -> str:
    """What the entity recogniser takes in with a name: an elided article before a name the table knows
    ("l'Italie", but "L'Oréal" keeps it), a possessive after a name of several words ("Ann Fowler's", but
    not "Moody's"), an unclosed parenthesis ("Pacific Trade Area (PTA"), a preposition left at the end
    ("Ann Fowler of")."""
    if table.canonical(name):
        return name
    elided = re.sub(r"^[dlDL]['’](?=[A-ZÀ-Ý])", "", name)
    if elided != name and table.canonical(elided):
        return elided
    if " " in name:
        name = re.sub(r"['’]s$", "", name)
    if name.count("(") > name.count(")"):
        name = name[:name.rindex("(")]
    name = re.sub(r"\s+(?:of|de|du|des|and|et)$", "", name.strip())
    return name.strip() or name


def normalise(claims, article, table: AliasTable | None = None):
    """Claims with canonical sources, speaker and entities, and every alias form for search. An adjective
    of nationality names its country ("le gouvernement malien" is about Mali: `demonyms`)."""
    from .demonyms import countries_in, is_demonym  # it reads this module's alias table

    table = table or load_aliases()
    people = [e for c in claims for e in c.entities] + [s for c in claims for s in c.sources]
    names = ArticleNames.of(article.text, people, load_lang(article.article.lang).folded("person_nouns"))
    names.speakers = frozenset([s for c in claims for s in c.sources] + [c.speaker for c in claims if c.speaker])
    out = []
    done: dict[str, str] = {}  # a name comes back in many claims: resolved once (each resolution scans the article)

    def resolved(name: str) -> str:
        if name not in done:
            done[name] = canonical_name(name, names, table)
        return done[name]

    for c in claims:
        sources = _unique(resolved(s) for s in c.sources)
        speaker = resolved(c.speaker) if c.speaker else None
        named = [s for s in sources if s[:1].isupper()]  # who speaks is part of what the claim is about
        entities = _unique([*(resolved(e) for e in c.entities if _plausible(e) and not is_demonym(e, c.lang)), *named,
                            *(resolved(n) for n in names.named_in(c.text)), *countries_in(c.text, c.lang, c.entities)])
        aliases = _unique(form for n in [*sources, *entities] for form in table.forms(n) if form != n)
        out.append(c.model_copy(update={"sources": tuple(sources), "entities": tuple(entities),
                                        "speaker": speaker, "aliases": tuple(aliases)}))
    return out


def _plausible(entity: str) -> bool:
    """spaCy's NER sometimes tags a lowercase word or a lone initial as a name."""
    return len(entity) > 1 and entity[:1].isupper() or any(ch.isupper() for ch in entity[1:])


def _unique(names) -> list[str]:
    out, seen = [], set()
    for n in names:
        if n and fold(n) not in seen:
            seen.add(fold(n))
            out.append(n)
    return out
