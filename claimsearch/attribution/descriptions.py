"""Definite descriptions that stand for a name written before: "the ship", "l'agence", "the president".

An article names a thing once with a common noun beside it, then calls it by that noun alone: "the
cargo ship MV Karina Blue" … "the ship"; "the PTA agreement" … "the agreement"; "Comic Days North, a
pop culture convention" … "the convention"; "le président Paul Durand" … "le président". A claim
written with the description is about the name too. A definite singular noun phrase (`definite_determiners`)
whose head is a noun that introduced a name earlier in the article stands for the last name it
introduced; a class noun of organisations (`org_class_nouns`: "le groupe", "the company") with no
such introduction stands for the last organisation introduced by a noun of organisations ("l'ONG
Fabrikam Watch", "the Press Agency"). Never an indefinite ("a ship" is a new
one), a plural, or a noun phrase that holds a name itself ("the company Fabrikam" introduces).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..folding import fold
from ..lang import Lexicon
from ..models import Entity, Sentence, Token
from ..normalise import load_aliases

NOUN_PHRASE = ("NOUN", "ADJ", "PROPN", "NUM", "X")  # X: "ONG" in "l'ONG X" may be tagged foreign
MODIFIER_DEPS = ("compound", "nmod", "flat")  # "the PTA agreement": the name modifies the noun after it
KEPT = 200  # introductions remembered per noun


@dataclass
class Introductions:
    """The nouns that introduced each name of the article so far, and the organisations named."""

    by_noun: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # folded lemma → (offset, name)
    orgs: list[tuple[int, str]] = field(default_factory=list)  # names introduced as organisations
    people: list[tuple[int, str]] = field(default_factory=list)  # persons named, for "ce dernier", "the latter"
    subject: tuple[int, str] | None = None  # paragraph and name of the last sentence's subject, if not a person

    def read(self, s: Sentence, lex: Lexicon) -> list[str]:
        """Remember the nouns beside each name of the sentence: before it ("l'agence Moody's", "President Ann
        Fowler"), the noun it modifies ("the PTA agreement"), and its apposition ("X, a convention"). Returns
        the names the recogniser missed that a noun of organisations introduces ("l'agence Moody's")."""
        toks, roles = s.tokens, lex.folded("person_nouns")
        org_nouns = lex.folded("org_descriptions") | lex.folded("org_class_nouns")
        missed = _named_after_org_noun(s, org_nouns)
        for e in [*s.entities, *missed]:
            inside = [t.i for t in toks if e.start <= t.start < e.end]
            if not inside or not any(ch.isupper() for ch in e.text):
                continue
            if e.label == "PER" and fold(e.text) not in roles:
                self.people.append((e.start, e.text))
            # "Pope Leo", "the Press Agency", "la Commission européenne": a role or an organisation's noun
            nouns = [t for t in toks if t.i in inside and fold(t.text) in roles | org_nouns]
            j = inside[0] - 1  # the nearest noun before: "cargo ship X" is a ship, "committee member X" a member
            while j >= 0 and toks[j].pos in NOUN_PHRASE and not _named(toks[j], s):
                if toks[j].pos == "NOUN" or fold(toks[j].text) in roles | org_nouns:  # "l'ONG X", tagged a name
                    nouns.append(toks[j])
                    break
                if toks[j].pos == "PROPN":
                    break
                j -= 1
            if not _place(e.text, e.label):  # "the Paris court" is in Paris, it is not Paris
                heads = {toks[i].head for i in inside if toks[i].dep in MODIFIER_DEPS} - set(inside)
                nouns.extend(toks[h] for h in heads if toks[h].pos == "NOUN" and 0 < h - inside[-1] <= 4)
            for t in toks:
                if t.dep == "appos" and t.head in inside and t.pos == "NOUN":
                    nouns.append(t)
                    nouns.extend(c for c in toks if c.dep == "conj" and c.head == t.i and c.pos == "NOUN")
            nouns = [t for t in nouns if not _plural(t)]  # "les systèmes X et Y" name a set
            if any(_key(t) in org_nouns for t in nouns):
                self.orgs.append((e.start, e.text))
            for t in nouns:
                seen = self.by_noun.setdefault(_key(t), [])
                seen.append((e.start, e.text))
                del seen[:-KEPT]
        del self.orgs[:-KEPT]
        del self.people[:-KEPT]
        return [e.text for e in missed]

    def about(self, s: Sentence, lex: Lexicon) -> list[str]:
        """The names the sentence's definite descriptions stand for."""
        toks, roles = s.tokens, lex.folded("person_nouns")
        definite, classes = lex.folded("definite_determiners"), lex.folded("org_class_nouns")
        alone = {e.start for e in s.entities if fold(e.text) in roles}  # "the Pope", tagged as a name by the recogniser
        found: list[str] = []
        stands: dict[int, str] = {}  # token → the name its description stands for
        for t in toks:
            if t.pos not in ("NOUN", "PROPN") or _plural(t) or _named(t, s) and t.start not in alone:
                continue
            kids = [c for c in toks if c.head == t.i and c.i != t.i]
            dets = [c for c in kids if c.dep.split(":")[0] in ("det", "case") and c.i < t.i and "Def" in c.morph
                    or c.dep.startswith("det")]
            if not dets or not all(fold(d.text) in definite for d in dets):
                continue
            if any(_named(c, s) or c.pos == "PROPN" or c.i > t.i and c.text[:1].isupper()
                   for c in kids if c.dep not in ("det", "punct", "case")):
                continue  # "the company Fabrikam", "l'agence Moody's": an introduction, not a description
            key = _key(t)
            earlier = [name for off, name in self.by_noun.get(key, []) if off < t.start]
            if not earlier and key in classes:
                earlier = [name for off, name in self.orgs if off < t.start]
            if earlier:
                stands[t.i] = earlier[-1]
                if earlier[-1] not in found:
                    found.append(earlier[-1])
        thing = self._thing_subject(s, lex, stands)
        if thing and thing not in found:
            found.append(thing)
        for m in _latter(lex).finditer(s.text):  # "ce dernier", "the latter": the person named last
            earlier = [name for off, name in self.people if off < s.start + m.start()]
            if earlier and earlier[-1] not in found:
                found.append(earlier[-1])
        return found

    def _thing_subject(self, s: Sentence, lex: Lexicon, stands: dict[int, str]) -> str | None:
        """"MV Karina Blue left Bergen. It was carrying salmon.": a subject pronoun that may stand for a thing
        (`thing_pronouns`) stands for the subject of the sentence before, in the same paragraph, when that
        subject is a name or a description of something that is not a person. Remembers this sentence's
        subject for the next one."""
        toks = s.tokens
        root = next((t for t in toks if t.dep == "ROOT"), None)
        subject = next((t for t in toks if root is not None and t.head == root.i and t.dep.startswith("nsubj")), None)
        before, self.subject = self.subject, None
        if subject is None:
            return None
        pronouns = lex.folded("thing_pronouns")
        owner = next((c for c in toks if c.head == subject.i and c.dep in ("poss", "nmod:poss")), None)
        pronoun = subject if fold(subject.text) in pronouns else owner if owner is not None and fold(owner.text) in pronouns else None
        if pronoun is not None:  # only a pronoun that opens the sentence goes on with the last one's subject
            opening = next((t for t in toks if t.pos != "PUNCT"), None)
            if before and before[0] == s.paragraph and pronoun is opening:
                self.subject = before
                return before[1]
            return None
        heads = [subject, *(c for c in toks if c.head == subject.i and c.dep in ("appos", "flat", "flat:name"))]
        named = next((e for t in heads for e in s.entities if e.start <= t.start < e.end), None)  # "the freighter X"
        if named is not None and named.label != "PER":
            self.subject = (s.paragraph, named.text)
        elif subject.i in stands and stands[subject.i] not in {n for _, n in self.people}:
            self.subject = (s.paragraph, stands[subject.i])
        return None


def _latter(lex: Lexicon) -> re.Pattern:
    return _alternatives(lex.latter_words)


@cache
def _alternatives(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def _named_after_org_noun(s: Sentence, org_nouns: frozenset[str]) -> list[Entity]:
    """"l'agence Moody's", "le constructeur Fabrikam": capitalised words right after a noun of organisations,
    which the recogniser left out, are the organisation's name."""
    toks, out = s.tokens, []
    for t in toks:
        if t.pos != "NOUN" or _key(t) not in org_nouns or _named(t, s) or _plural(t):
            continue
        run = []
        for u in toks[t.i + 1:]:
            if not (u.text[:1].isupper() and u.pos in ("PROPN", "NOUN", "X") and not _named(u, s)):
                break
            run.append(u)
        if run:
            start, end = run[0].start, run[-1].start + len(run[-1].text)
            out.append(Entity(text=s.text[start - s.start:end - s.start], label="ORG", start=start, end=end))
    return out


def _key(t: Token) -> str:
    return fold(t.lemma if t.pos == "NOUN" else t.text)


def _plural(t: Token) -> bool:
    """A plural the word shows ("systèmes", "companies"), not one the tagger guesses for an invariable "ONG"."""
    return "Number=Plur" in t.morph and fold(t.text) != fold(t.lemma)


def _named(t: Token, s: Sentence) -> bool:
    return any(e.start <= t.start < e.end for e in s.entities)


def _place(name: str, label: str) -> bool:
    """A place as the recogniser or the alias table (CLDR countries, known cities) knows it."""
    table = load_aliases()
    return label == "LOC" or table.type_of.get(table.canonical(name) or name) == "LOC"
