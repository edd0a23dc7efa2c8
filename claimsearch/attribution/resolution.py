"""The memory of who was named: it resolves "il", "he", "le ministre", "l'ONG", "the statement"."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from ..folding import fold
from ..lang import Lexicon, any_language
from ..models import Sentence
from ..normalise import canonical, find_aliases, load_aliases
from .cues import Found
from .quotations import Quote, own_person
from .sources import document_author
from .syntax import SUBJECT_DEPS, Parse, is_actor


NAMES_KEPT = 1_000  # the last names of each list remembered (the most any corpus article needs is 111): a
# 10 MB file's memory, and the time each pronoun takes to resolve, stay bounded


@dataclass
class Memory:
    """People and organisations mentioned so far, to resolve "il", "he", "le ministre", "l'ONG"."""

    mentions: list[tuple[int, str, str]] = field(default_factory=list)  # offset, name, words just before
    speakers: list[tuple[int, str]] = field(default_factory=list)
    orgs: list[tuple[int, str]] = field(default_factory=list)
    org_speakers: list[tuple[int, str]] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # name → PER, ORG, LOC… as the entity recogniser saw it
    actors: dict[int, str] = field(default_factory=dict)  # sentence → who its main clause is about
    genders: dict[str, str] = field(default_factory=dict)  # person → m or f, from the words that introduced them
    roles: dict[str, set[str]] = field(default_factory=dict)  # person → role nouns said of them ("Ann Lee, avocate,")
    in_full: dict[str, set[str]] = field(default_factory=dict)  # surname → the people named in full with it
    starts: list[int] = field(default_factory=list)  # where each sentence read so far starts
    documents: list[tuple[int, str, str]] = field(default_factory=list)  # offset, document noun, its author

    def kind(self, name: str) -> str | None:
        known = alias_types().get(name) or alias_types().get(canonical(name))  # "Ruiz": a person the alias table knows
        if known == "PER":  # stays one whatever the tagger said of one mention ("the Ruiz administration",
            return known  # tagged ORG)
        return known if known in ("LOC", "ORG") else self.kinds.get(name) or known

    def _person(self, name: str) -> bool:
        """A name that can be "il" or "she": a person, or a capitalised name of no known kind (not "Federal
        court", a headline's noun phrase)."""
        kind = self.kind(name)
        return kind == "PER" or (kind is None and all(w[:1].isupper() for w in name.split() if len(w) > 3))

    def _introduced(self, name: str, context: str, lex: Lexicon) -> None:
        """"Actress Denise Crosby", "la ministre Claire Petit": the gender of the words just before a name."""
        words = set(context.split()[-2:])
        for gender, marks in lex.gendered_words.items():
            if words & {fold(w) for w in marks}:
                self.genders.setdefault(name, gender)
                return

    def gender(self, name: str, lex: Lexicon) -> str | None:
        """m or f: from the words that introduced the person, else their given name ("Anne Roux"), else,
        for a surname alone ("Roux"), the one gender of the people named before in full with it."""
        if name in self.genders:
            return self.genders[name]
        given = first_name_gender(name, lex)
        if given or " " in name:
            return given
        fuller = {self.genders.get(n) or first_name_gender(n, lex) for n in self.in_full.get(name, ())} - {None}
        return fuller.pop() if len(fuller) == 1 else None

    def _content_of(self, offset: int, heard: set[int]) -> float:
        """Where a mention ranks: a person named in a sentence someone speaks in ("she denied any deal with
        the actress Mary Hale") is what they speak of, less salient than them: ranked just before the sentence."""
        start = self.starts[bisect_right(self.starts, offset) - 1] if self.starts and self.starts[0] <= offset else None
        return start - 0.5 if start is not None and start in heard else offset

    def resolve(self, written: str, before: int, lex: Lexicon) -> str | None:
        words = fold(written.split(",")[0]).split()[:4]  # the description's head, not what follows a comma
        if set(words) & lex.folded("document_nouns"):  # "the statement also said": who issued it, who spoke
            pool = sorted((off, n) for off, n in self.speakers + self.org_speakers if off < before) or sorted(
                (off, n) for off, n in self.orgs if off < before)  # or the organisation named ("le rapport du BEA")
            return pool[-1][1] if pool else None
        institution = set(words) & lex.folded("institution_nouns")
        if institution:  # "the police", "la cour": only an institution named so ("Chicago Police Department")
            pool = [n for off, n in sorted(self.org_speakers + self.orgs) if off < before
                    and institution & set(fold(n).split())]
            return pool[-1] if pool else None
        if set(words) & lex.folded("org_descriptions"):  # "l'ONG": the organisation that spoke
            pool = [n for off, n in sorted(self.org_speakers) if off < before] or [
                n for off, n in sorted(self.orgs) if off < before]
            return pool[-1] if pool else None
        bare = written.lower().replace("’", "'").lstrip("-t").lstrip("-")
        number = next((v for k, v in lex.pronouns.items() if k.lstrip("-t").lstrip("-") == bare), None)
        if len(words) == 1 and number:
            pool = [n for off, n in sorted(self.speakers) if off < before]
            if number == "p":  # "ils", "they": a group or an organisation before the last person alone
                pool = [n for n in pool if self.kind(n) != "PER"] or pool
            elif number == "n":  # "it said": the organisation that spoke or was named last
                pool = [n for off, n in sorted(self.org_speakers + self.orgs) if off < before]
            else:  # "il", "she": a person who agrees, never a place, an organisation or a thing
                # the last speaker who may agree, unless a person introduced as agreeing ("Actor Brendan
                # Fraser") was named after them: "He quipped" is that man, not an earlier speaker of unknown gender
                spoke = [(off, n) for off, n in sorted(self.speakers) if off < before and self._person(n)
                         and fold(n) not in lex.folded("indefinite_pronouns") | lex.folded("indefinite_determiners")
                         and self.gender(n, lex) in (None, number)]  # "Some said …": nobody "he" can be
                heard = {off for off, _ in self.speakers}
                named = [(self._content_of(off, heard), n) for off, n, _ in sorted(self.mentions) if off < before
                         and self.genders.get(n) == number]
                pool = [n for _, n in sorted(spoke + named)]
            if pool:
                if number in ("m", "f"):
                    self.genders.setdefault(pool[-1], number)
                return pool[-1]
            if number == "n":
                return None
        earlier = [(off, n, ctx) for off, n, ctx in sorted(self.mentions) if off < before]
        role_words = lex.folded("descriptions", last_word=True)
        generic = next((w for w in words if w in lex.folded("person_nouns") and w not in role_words), None)
        if generic and not set(words) & role_words:  # "the actress": only the person introduced as one
            introduced = [n for off, n, ctx in earlier if generic in ctx.split()[-2:] or generic in self.roles.get(n, ())]
            return introduced[-1] if introduced else None
        head = next((k for k, w in enumerate(words) if w in role_words), None)
        wanted = set(words[max(0, head - 1):head + 1]) - any_language("description_fillers") if head is not None else set()
        introduced = [n for off, n, ctx in earlier if wanted and wanted <= set(ctx.split()[-5:]) | self.roles.get(n, set())]
        if introduced:  # "le premier ministre" → the person first written as "le Premier ministre Paul Durand"
            return introduced[-1]
        qualifiers = written.split(",")[0].split()
        if head is not None and any(w[:1].isupper() for w in qualifiers[:head] + qualifiers[head + 1:]):
            return None  # "the Ohio senator", "le maire de New York": only the one introduced so, not the last named
        if earlier:
            return earlier[-1][1]
        # "pour Montebourg" in the title; a description of a person is never an organisation that spoke
        spoke = [n for off, n in sorted(self.speakers) if off < before and (head is None or self._person(n))]
        return spoke[-1] if spoke else None

    def sources_of(self, f: Found, s: Sentence, quotes: list[Quote], lex: Lexicon) -> list[str]:
        """The sources of a cue, its pronoun or description resolved to who was named before."""
        if not f.pronoun:
            return self._spoken_for(f.sources, f.cue_start, lex)
        opening = {t.start for t in s.tokens[:4]}  # "Néanmoins, Pastor …", however it is parsed
        here = [(e.start, e.text) for e in s.entities if e.label == "PER" and e.start < f.cue_start and any(
            e.start <= t.start < e.end and (is_actor(t, s.tokens, quotes) or t.start in opening)
            for t in s.tokens)]
        self.speakers.extend(here)  # "Pastor leur répondit … ; elle écrivit": the antecedent is here
        name = self.author_of(f.document, f.cue_start) if f.document else None  # "le rapport du BEA … le rapport"
        if name is None and not (f.document and f.as_written):  # "selon le rapport": only a report named before
            name = self.resolve(f.pronoun, f.cue_start, lex)
        kept = lex.folded("institution_nouns") | lex.folded("descriptions", last_word=True) | lex.folded("org_descriptions")  # "le maire a dit", "le syndicat a dénoncé"
        title = f.pronoun[:1].isupper() and fold(f.pronoun) in lex.folded("person_nouns")  # "Pope", written as a name
        is_pronoun = fold(f.pronoun) in lex.folded("pronouns") or len(f.pronoun.split()) == 1 and not (
            f.as_written or f.document or set(fold(f.pronoun).split()[-1:]) & kept or title)  # "porte-parole" folds to two words
        # "Pour le procureur fédéral", "Police say": a description nobody in the article answers stays as written
        return [name] if name else ([] if is_pronoun else self._spoken_for([f.pronoun], f.cue_start, lex))

    def _spoken_for(self, sources: list[str], before: int, lex: Lexicon) -> list[str]:
        """"la porte-parole de la fédération", "a spokesman for the company": a role whose complement is an
        organisation's description speaks for that organisation, resolved to the one named before."""
        out = list(sources)
        for src in sources:
            folded = fold(src).replace("'", "' ")
            words = folded.split()
            if src[:1].isupper() or len(words) < 3 or words[-1] not in lex.folded("org_descriptions") or not any(
                    folded.startswith(role + " ") for role in lex.folded("representative_nouns")):
                continue
            org = self.resolve(" ".join(words[-2:]), before, lex)
            if org and org not in out:
                out.append(org)
        return out

    def heard(self, s: Sentence, sources: list[str], speaker: str | None, kind: str) -> None:
        """Who spoke in an attributed sentence: the next "il" or "l'ONG" may be them."""
        for src in sources:
            if alias_types().get(src) == "ORG" or any(e.text == src and e.label == "ORG" for e in s.entities):
                self.org_speakers.append((s.start, src))
            elif not any(e.text == src for e in s.entities) and _plural_noun(s, src):
                self.kinds.setdefault(src, "GROUP")  # "Delegates said": a group, never a later "he"
        if speaker:
            self.speakers.append((s.start, speaker))
            tagged = self.kinds.get(speaker) or next((e.label for e in s.entities if e.text == speaker), None)
            if tagged == "LOC" and alias_types().get(speaker) is None:
                self.kinds[speaker] = "PER"  # "« … », ajoute Karim": a place never utters a quotation (a tagger's slip)
        elif kind == "verb":
            self.speakers.append((s.start, sources[0]))

    def read(self, p: Parse, quotes: list[Quote], text: str, lex: Lexicon, claim: bool) -> None:
        """The people and organisations a sentence names, and those who act in it."""
        s = p.s
        if not self.starts or self.starts[-1] < s.start:
            self.starts.append(s.start)
        known_people = [(a, b, name) for a, b, name in find_aliases(s.text) if alias_types().get(name) == "PER"]
        for a, b, name in find_aliases(s.text):
            if alias_types().get(name) == "ORG":
                self.orgs.append((s.start + a, name))
        for a, b, name in known_people:
            if not any(e.start <= s.start + a < e.end for e in s.entities):
                self.mentions.append((s.start + a, name, fold(text[max(0, s.start + a - 40):s.start + a])))
        opener = own_person(s, quotes) if claim else None
        if opener:
            self.speakers.append((s.start, opener))
        actor = opener or self._subject_actor(p, quotes, lex)
        if actor:
            self.actors[s.index] = actor
        for e in s.entities:
            self.kinds.setdefault(e.text, e.label)
            if e.label == "ORG":
                self.orgs.append((e.start, e.text))
            aside = s.text[:e.start - s.start].count("(") > s.text[:e.start - s.start].count(")")
            place = alias_types().get(e.text) in ("LOC", "ORG")  # "Togo", tagged as a person by the recogniser
            if e.label == "PER" and e.text[:1].isupper() and e.text.lower() not in lex.pronouns and not aside and not place:
                self.mentions.append((e.start, e.text, fold(text[max(0, e.start - 40):e.start])))
                if " " in e.text:
                    self.in_full.setdefault(e.text.split()[-1], set()).add(e.text)
                self._introduced(e.text, fold(text[max(0, e.start - 40):e.start]), lex)
                self._roles(p, e, lex)
                if any(e.start <= t.start < e.end and is_actor(t, s.tokens, quotes) for t in s.tokens):
                    self.speakers.append((e.start, e.text))  # a person who acts may be "il" next
        self._agreement(p, quotes, lex)
        for names in (self.mentions, self.speakers, self.orgs, self.org_speakers, self.starts, self.documents):
            if len(names) >= 2 * NAMES_KEPT:
                del names[:-NAMES_KEPT]


    def documents_in(self, p: Parse, lex: Lexicon) -> None:
        """"un rapport du BEA", "a report released by the GAO", "The GAO published its report": a document and
        who wrote it, whom "selon le rapport" names later (read before the sentence's cue is resolved, so that
        "X's database shows …; the website noted" is X's)."""
        for t in p.t:
            if t.pos == "NOUN" and fold(t.lemma) in lex.folded("document_nouns"):
                author = document_author(p, t.i, lex)
                if author:
                    self.documents.append((t.start, fold(t.lemma), author))

    def author_of(self, noun: str, before: int) -> str | None:
        """The author of the last document named before `before`, when it was named with this noun ("un
        rapport du BEA … selon le rapport"); another document named since may be the one meant."""
        k = bisect_right(self.documents, (before,)) - 1
        return self.documents[k][2] if k >= 0 and self.documents[k][1] == noun else None

    def _roles(self, p: Parse, e, lex: Lexicon) -> None:
        """"Ann Lee, a witness,", "Marie Curie, avocate,", "Pope Francis": the nouns in apposition to a person's
        name, or the title the recogniser kept inside it, which "the witness", "l'avocate", "the Pope" may be
        later (a noun before the name is read from `mentions`)."""
        inside = {k for k, t in enumerate(p.t) if e.start <= t.start < e.end}
        said = {fold(w) for w in e.text.split()[:-1]}  # "Pope Francis", "President Joe Biden": a title inside the name
        said |= {fold(w) for k, t in enumerate(p.t) if t.head in inside and t.pos == "NOUN" and (
                t.dep == "appos" or t.dep == "nmod" and k > 0 and p.t[k - 1].text == "," and not p.kids(k, "case"))
                for w in (t.lemma, t.text)}  # French parses the apposition as an nmod set off by a comma
        if said:
            self.roles.setdefault(e.text, set()).update(said)
        gender = _agreement_gender(p, inside, lex)
        if gender:
            self.genders.setdefault(e.text, gender)

    def _agreement(self, p: Parse, quotes: list[Quote], lex: Lexicon) -> None:
        """"Jane Holt defended herself", "Jane Holt and her husband": in a sentence that names one person, a
        reflexive bound to them, or a possessive in the phrase their name heads, says their gender (English
        only: French possessives agree with the thing owned). A pronoun elsewhere in the sentence is as often
        someone else ("Holt said she …")."""
        people = [e for e in p.s.entities if e.label == "PER" and self._person(e.text)]
        if len({e.text for e in people}) != 1 or people[0].text in self.genders:
            return
        name = people[0]
        heads = [t.i for t in p.t if name.start <= t.start < name.end and not (name.start <= p.t[t.head].start < name.end)]
        if not heads:
            return
        phrase = set(p.subtree(heads[0]))
        clause = set(p.subtree(p.t[heads[0]].head)) if p.t[heads[0]].dep in SUBJECT_DEPS else set()
        genders = {lex.possessives.get(p.lowered[k]) for k, t in enumerate(p.t)
                   if t.pos == "PRON" and not any(q.start <= t.start < q.end for q in quotes)
                   and ((k in phrase and t.dep == "poss") or (k in clause and p.lowered[k].endswith("self")))} & {"m", "f"}
        if len(genders) == 1:
            self.genders[name.text] = genders.pop()

    def _subject_actor(self, p: Parse, quotes: list[Quote], lex: Lexicon) -> str | None:
        """The organisation, or the person a pronoun names, that is the subject of the main verb."""
        root = next((t for t in p.t if t.dep == "ROOT"), None)
        for c in p.kids(root.i, "nsubj") if root is not None else []:
            if any(q.start <= p.t[c].start < q.end for q in quotes):
                continue
            names = [e for e in p.span_entities(p.core(c)) if e.label in ("PER", "ORG")]
            if names:
                return names[0].text
            if p.t[c].pos == "PRON" and p.lowered[c] in lex.pronouns:
                return self.resolve(p.t[c].text, p.t[c].start, lex)
        return None


def _agreement_gender(p: Parse, name: set[int], lex: Lexicon) -> str | None:
    """"Marie Dupont est arrivée", "Anne Roux, âgée de 40 ans,", "Paul Martin, élu en 2012,": a participle
    with "être" or an adjective that agrees with a person's name says their gender (French; English words
    carry no gender, so this reads nothing there). A participle with "avoir" does not agree."""
    heads = [k for k in name if p.t[k].head not in name]
    if not heads:
        return None
    k = heads[0]
    t = p.t[k]
    candidates = []
    if t.dep.split(":")[0] == "nsubj" and t.head != k:
        verb = p.t[t.head]
        if p.kids(t.head, "aux:pass", "cop") or any(fold(p.t[a].lemma) in lex.folded("agreeing_auxiliaries")
                                                     for a in p.kids(t.head, "aux", "aux:tense")):
            candidates.append(verb)
    candidates += [p.t[c] for c in p.children[k] if p.t[c].dep in ("acl", "amod") and c > k
                   and ("VerbForm=Part" in p.t[c].morph or p.t[c].pos == "ADJ")]
    genders = {g for c in candidates for g, mark in (("f", "Gender=Fem"), ("m", "Gender=Masc")) if mark in c.morph
               and "Number=Sing" in c.morph}
    return genders.pop() if len(genders) == 1 else None


def _plural_noun(s: Sentence, written: str) -> bool:
    """A source written as a plural common noun ("Delegates", "les experts"): a group, not a person."""
    last = written.split()[-1] if written.split() else ""
    return any(t.text == last and t.pos == "NOUN" and "Number=Plur" in t.morph for t in s.tokens)


_GIVEN: dict[int, dict[str, str]] = {}


def first_name_gender(name: str, lex: Lexicon) -> str | None:
    """The gender of a name's first word when it is a given name borne by one sex ("Anne Roux": f)."""
    if id(lex) not in _GIVEN:
        _GIVEN[id(lex)] = {fold(w): g for g, words in lex.first_names.items() for w in words}
    return _GIVEN[id(lex)].get(fold(name.split()[0])) if name.split() else None


def alias_types() -> dict[str, str]:
    """PER, ORG, LOC… of every canonical name the alias table knows."""
    return load_aliases().type_of

