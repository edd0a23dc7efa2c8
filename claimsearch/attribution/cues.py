"""Reporting verbs: a cue verb with a clause, a complement or a quotation, and its subject."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..folding import fold
from ..lang import Lexicon, any_language
from ..models import Token
from .quotations import CLOSERS, Quote, opens_quote
from .sources import dedupe, document_author, entourage, is_agent, owners, phrase_sources, sources_named, speaker_nouns
from .syntax import PASSIVE_SUBJECTS, SUBJECT_DEPS, Parse, trim

INCISE_GAP = re.compile(r"[\s«»“”\"',.;:!?…-]*(?:[\w’'-]+[\s,]+){0,3}")


@dataclass
class Found:
    """A cue found in one sentence, before pronouns are resolved."""

    kind: str
    cue: str
    cue_start: int  # offset in the clean text
    sources: list[str]
    stance: str | None = None
    pronoun: str | None = None  # the subject was a pronoun or a description: resolve it
    governs_quote: bool = False
    directive: bool = False  # only a demand reports it ("urged the board to resign"): a framed lead's content
    as_written: bool = False  # a description nobody answers is still the source ("selon l'agence": a marker names one)
    document: str | None = None  # "selon le rapport": the document noun (folded lemma) whose author speaks


def _negated(p: Parse, i: int) -> bool:
    return any(p.t[c].text.lower() in any_language("negations") for c in p.children[i] if p.t[c].dep.startswith(("advmod", "neg")))


def _has_clause(p: Parse, i: int) -> bool:
    """A complement clause with a finite verb ("a confirmé que …", "said he can …")."""
    for c in p.kids(i, "ccomp", "parataxis"):
        if p.t[c].dep == "parataxis" and (c < i or not any(p.t[k].text == ":" for k in range(i, c))):
            continue  # "X nie …, mais Y": a juxtaposed clause is not what X says
        if any(p.t[k].pos in ("VERB", "AUX") or p.t[k].dep in ("cop", "nsubj") for k in p.subtree(c)):
            return True
        if p.t[c].dep == "ccomp" and any(p.t[k].dep == "mark" and p.lowered[k] in any_language("complementizers")
                                         for k in p.children[c]):
            return True  # "said that peace matters", its verb tagged as a noun: "that" still opens a clause
    for c in p.kids(i, "obj", "dobj", "obl:arg"):
        if p.t[c].pos == "VERB" and any(p.t[k].text.lower() in any_language("complementizers") for k in p.children[c]):
            return True
    for k in (k for c in p.kids(i, "prep", "obl") for k in [c, *p.kids(c, "pobj")] if not p.kids(k, "poss")
              for k in p.kids(k, "relcl")):  # not "responded to Ann's claim that …": Ann's words
        that = p.subtree(k)[0]  # "reported at the time that the editor resigned": the parse hung the clause on "time"
        if p.lowered[that] in any_language("complementizers") and p.t[that].dep not in (*SUBJECT_DEPS, "dobj", "obj", "pobj") \
                and p.kids(k, *SUBJECT_DEPS):
            return True
    for c in p.kids(i, "advcl"):  # "said after the storm the town would rebuild": a clause with its own subject and
        marks = [k for k in p.children[c] if p.t[k].dep == "mark" or p.lowered[k] in any_language("non_reporting_marks")]
        if c > i and p.t[c].pos in ("VERB", "AUX") and p.kids(c, *SUBJECT_DEPS) and all(  # no subordinator ("when")
                p.lowered[k] in any_language("complementizers") for k in marks):
            return True
    return False


def _colon_quote(p: Parse, tok: Token, inside: list[tuple[int, int]]) -> bool:
    """A quotation opened by a colon is what the verb before it reports, however the parser hung it: right after
    the verb ("raconte : « … »"), or after the main verb's own complements, with no other verb between ("Ann
    Fowler described the station to a radio in 2015: "It was the heart of the town."" — not "Selon X, la grue va
    permettre de continuer les travaux : « … »", whose colon ends a subordinate verb's words)."""
    main = tok.dep == "ROOT" or any(a <= p.t[tok.head].start < b for a, b in inside)  # (or hung on the quotation)
    for a, _ in inside:
        gap = p.s.text[tok.start + len(tok.text) - p.s.start:a - p.s.start]
        if a > tok.start and (re.fullmatch(r"\s*:\s*[«“\"]?\s*", gap) or main and re.fullmatch(
                r"[^.!?;:«»“”\"]*:\s*[«“\"]?\s*", gap) and not any(
                t.pos in ("VERB", "AUX") and tok.start < t.start < a for t in p.t)):
            return True
    return False


def _stated_clause(p: Parse, i: int) -> bool:
    """A noun object that carries the clause: "expressed concern that …", "a exprimé sa crainte que …" (the
    French parse hangs the clause on the verb). A complementizer, not a relative ("the plan that he made")."""
    objects = p.kids(i, "obj", "dobj")
    holders = [k for o in objects for k in p.kids(o, "acl", "ccomp")] + (p.kids(i, "ccomp") if objects else [])
    return any(p.t[m].dep == "mark" and p.lowered[m] in any_language("complementizers")
               for k in holders if k > i for m in p.children[k])


def _topic_clause(p: Parse, i: int, lex: Lexicon) -> bool:
    """"talked of being cast in a film", "spoke about leaving the party": a topic preposition whose object is
    a verb (a gerund, an infinitive) gives the verb a clause of content, not only a subject."""
    for c in p.kids(i, "prep"):
        if p.lowered[c] in lex.folded("topic_prepositions") and any(
                p.t[k].pos in ("VERB", "AUX") and p.t[k].dep in ("pcomp", "xcomp") for k in p.children[c]):
            return True
    return False


def _as_clause(p: Parse, i: int, lex: Lexicon) -> bool:
    """"As the senator said on Monday, the bill is dead", "Comme l'a expliqué le ministre, …": a cue verb in
    a clause opened by "as" reports the sentence it hangs on."""
    head = p.t[i].head
    if p.t[i].dep not in ("advcl", "parataxis") or head == i or p.t[head].dep not in ("ROOT", "conj"):
        return False  # "free to do as he proposed": a manner, not a report
    first = p.subtree(i)[0]
    if not (first == 0 or p.t[first - 1].text in (",", ";", ":")) or not any(
            p.t[c].dep == "mark" and p.lowered[c] in lex.as_words for c in p.children[i]):
        return False
    # "as" stands for what was said: a verb with content of its own ("As she talked about jobs", "As he
    # read the verdict") says when, not who reports
    said = [c for c in p.kids(i, "obj", "dobj", "ccomp", "xcomp") if p.t[c].pos != "PRON"]
    about = [c for c in p.children[i] if p.lowered[c] in lex.topic_prepositions
             or any(p.lowered[k] in lex.topic_prepositions for k in p.kids(c, "case"))]
    return not said and not about and not _agentless_participle(p, i)


def _agentless_participle(p: Parse, i: int) -> bool:
    """"As revealed in court", "as expected": a bare participle with no agent, no subject, no auxiliary
    reports nobody (the sentence's own subject did not reveal it)."""
    t = p.t[i]
    return "VerbForm=Part" in t.morph and "Tense=Past" in t.morph and not p.kids(
        i, "aux", "aux:pass", "auxpass", "agent", "obl:agent", *SUBJECT_DEPS)


def _present_participle(tok: Token, lex: Lexicon) -> bool:
    """"déclarant", "saying": tagged so, or with the language's present-participle ending the tagger missed."""
    return ("VerbForm=Part" in tok.morph and "Tense=Pres" in tok.morph) or "VerbForm=Ger" in tok.morph or (
        bool(lex.gerund_endings) and tok.text.lower().endswith(tuple(lex.gerund_endings)))


def _subject(p: Parse, i: int, lex: Lexicon, inside: list[tuple[int, int]] = ()) -> list[int] | None:
    """The subject of verb i, climbing to the governing verb for participles and conjuncts (never one inside
    the quotations `inside`: "greeting the news with a joke -- "now she owes me lunch" -- and insisting, …")."""
    tok = p.t[i]
    if _present_participle(tok, lex) and ("Tense=Pres" in tok.morph or tok.dep in ("acl", "conj", "advcl")):
        # a gerund ("déclarant", "affirmant") speaks for the nearest subject before it; the parse of such
        # long sentences often hangs it on the wrong verb
        before = [t.i for t in p.t[:i] if t.dep in SUBJECT_DEPS and t.text.lower() not in any_language("relative_objects")
                  and not any(a <= t.start < b for a, b in inside)]
        if before:
            return [before[-1]]
    if "VerbForm=Part" in tok.morph and "Tense=Past" in tok.morph and not any(
            p.t[c].dep.startswith("aux") for c in p.children[i]):
        # "Le gouvernement, impuissant, a de son côté dénoncé …": an adverbial between the auxiliary and the
        # participle, and the parser took the auxiliary for the main verb: its subject is the participle's
        for k in range(i - 1, max(-1, i - 7), -1):
            if fold(p.t[k].lemma) in any_language("auxiliaries") and p.kids(k, *SUBJECT_DEPS):
                return p.kids(k, *SUBJECT_DEPS)
    seen = set()
    while i not in seen:
        seen.add(i)
        subjects = [c for c in p.kids(i, *SUBJECT_DEPS) if p.t[c].text.lower() not in any_language("euphonic_words")  # euphonic -t-
                    and p.t[c].dep not in PASSIVE_SUBJECTS]  # "est considéré comme le favori": what is said of, not who says
        euphonic = [c for c in p.kids(i, *SUBJECT_DEPS) if p.t[c].text.lower() in any_language("euphonic_words")]
        subjects += [c for c in p.children[i] + [g for e in euphonic for g in p.children[e]]
                     if c > i - 3 and p.t[c].text.lower().startswith("-")
                     and p.t[c].text.lower() not in any_language("hyphen_not_subjects") and c not in subjects]
        # "affirme-t-il", however parsed; "a-t-elle ajouté", its "-elle" hung on the euphonic "-t"
        relative = [c for c in subjects if p.t[c].text.lower() in any_language("relatives")]
        if relative and p.t[i].dep in ("acl:relcl", "relcl") and p.t[i].head != i:
            antecedent = p.t[i].head
            holder = p.t[antecedent].head  # "The union issued a statement which said": the union speaks
            if fold(p.t[antecedent].lemma) in lex.folded("document_nouns") and holder != antecedent and p.kids(holder, *SUBJECT_DEPS):
                return p.kids(holder, *SUBJECT_DEPS)
            return [antecedent]  # "Arnaud Montebourg, …, qui a déclaré": the antecedent speaks
        if subjects:
            # "lui avait dit Christian Jacob": prefer a name over a pronoun
            # "Chad's president Jean Malo said", parsed with two subjects: a name first, then a
            # description, then a pronoun
            subjects.sort(key=lambda c: (p.t[c].pos == "PRON", p.t[c].pos != "PROPN", c))
            return subjects
        tok = p.t[i]
        if tok.dep == "acl" and "VerbForm=Fin" in tok.morph and tok.head < i and p.t[tok.head].dep == "ROOT" or (
                _misread_verb(p, tok, verb_lemma(tok, lex), lex) and tok.dep != "ROOT"):
            return [tok.head]  # "Marie Dubois, témoin de l'accident, raconte que …", parsed as a noun phrase with
            # the verb hung on the name: a finite verb never modifies a noun without a relative pronoun
        if (tok.dep in ("xcomp", "conj", "advcl", "acl", "ccomp", "parataxis") or (
                tok.dep.startswith("aux") and p.t[tok.head].pos in ("ADJ", "NOUN"))) and tok.head != i:  # "se disent prêts"
            i = tok.head
            continue
        break
    return None


def _complement(p: Parse, i: int, lemma: str, lex: Lexicon) -> bool:
    """A nominal or infinitive complement ("dénonce les actes de torture", "questioned the power").
    Some verbs report nothing before an infinitive ("declined to comment")."""
    if lemma in lex.infinitive_not_cues and p.kids(i, "xcomp"):
        return False
    return bool(p.kids(i, "obj", "dobj", "xcomp", "obl:arg", "iobj", "attr", "oprd"))


def _infinitive(p: Parse, i: int) -> int | None:
    """The infinitive verb i governs, directly ("urged X to resign") or through its recipient, where the
    parser often hangs it ("a demandé aux habitants de rester")."""
    holders = [i] + p.kids(i, "obj", "dobj", "obl:arg", "iobj", "obl")
    for h in holders:
        for c in p.kids(h, "xcomp", "acl", "advcl", "ccomp"):
            if p.t[c].pos in ("VERB", "AUX") and "VerbForm=Inf" in p.t[c].morph and c > i:
                return c
    return None


def _asked(p: Parse, tok: Token, lex: Lexicon) -> bool:
    """The verb is the infinitive of a demand ("asked the court to dismiss the case") or made passive by a
    reflexive ("se verra demander"): what is asked, not a cue."""
    if "VerbForm=Inf" not in tok.morph or tok.dep not in ("xcomp", "acl", "advcl", "ccomp") or tok.head == tok.i:
        return False
    if fold(p.t[tok.head].lemma) in lex.folded("reflexive_passives") and any(
            p.t[c].dep.startswith("expl") or p.lowered[c] in ("se", "s'") for c in p.children[tok.head]):
        return True  # "X se verra demander de …": X is asked
    head = tok.head if p.t[tok.head].pos in ("VERB", "AUX") else p.t[tok.head].head
    return verb_lemma(p.t[head], lex) in lex.directive_verbs and _infinitive(p, head) == tok.i


def _predicate(p: Parse, i: int, lemma: str, lex: Lexicon) -> bool:
    """An object and what the verb makes of it: "called the plan a disaster", "characterized the vote as a
    betrayal", "a qualifié le projet de scandale"."""
    words = lex.predicative_verbs.get(lemma)
    objects = p.kids(i, "obj", "dobj")
    if words is None or not objects:
        return False
    if p.kids(i, "oprd") or any(p.t[c].pos in ("NOUN", "ADJ", "PROPN") for c in p.kids(i, "xcomp")):
        return True
    for c in p.children[i] + p.children[objects[0]]:
        if p.lowered[c] in words and p.t[c].dep in ("prep", "case"):
            return True  # "as" hung on the verb
        if c > objects[0] and any(p.lowered[k] in words for k in p.kids(c, "case")):
            return True  # "de menteur" hung on the object
    return False


def _inverted_subject(p: Parse, i: int, lex: Lexicon, after_speech: bool) -> list[int] | None:
    """« … », a déclaré Oumar Maïga: the parser often takes an inverted subject for an object.
    A common noun counts only after the speech it reports ("…, a annoncé le président du Sénat")."""
    for c in p.kids(i, "obj", "dobj", "appos", "nsubj", "dep"):
        if c <= i:
            continue
        ids = p.subtree(c, skip=("acl:relcl", "relcl", "acl"))
        if p.t[c].pos == "PROPN" or (after_speech and (
                any(e.label in ("PER", "ORG") for e in p.span_entities(ids)) or fold(p.t[c].lemma) in speaker_nouns(lex))):
            return [c]
    return None


def verb_lemma(tok: Token, lex: Lexicon) -> str:
    """The lemma, mended where the lemmatizer failed on a reporting verb ("indique" → "indique")."""
    lemma = tok.lemma.lower()
    lemma = lex.lemma_fixes.get(lemma, lemma)
    if lemma in lex.cue_verbs:
        return lemma
    forms = _forms(id(lex), lex)
    return forms.get(tok.text.lower()) or forms.get(fold(tok.text)) or lemma


_FORMS: dict[int, dict[str, str]] = {}


def _forms(key: int, lex: Lexicon) -> dict[str, str]:
    """Inflected forms of regular cue verbs (stem + the endings listed in the language data), built once."""
    if key not in _FORMS:
        table: dict[str, str] = {}
        for verb in lex.cue_verbs:
            for ending, suffixes in lex.verb_endings.items():
                if verb.endswith(ending) and " " not in verb:
                    stem = verb[: len(verb) - len(ending)]  # (verb[:-0] would be empty)
                    table.update({stem + suf: verb for suf in suffixes})
                    table.update({fold(stem + suf): verb for suf in suffixes})  # "reconnait" as written without ^
        _FORMS[key] = table
    return _FORMS[key]


def _misread_verb(p: Parse, tok: Token, lemma: str, lex: Lexicon) -> bool:
    """"Jeanne Roux, témoin de l'accident, raconte : « … »" with "raconte" tagged an adjective: a form of a
    cue verb that heads the sentence with its own subject, or that follows a comma and hangs on the name
    heading the sentence, is that verb, whatever the tagger said."""
    if tok.pos not in ("ADJ", "NOUN") or lemma not in lex.cue_verbs:
        return False
    if tok.dep == "ROOT":
        return bool(p.kids(tok.i, *SUBJECT_DEPS))
    head = p.t[tok.head]
    opens = all(t.pos in ("DET", "PUNCT") for t in p.t[:head.i])  # the name the sentence opens on, however parsed
    return tok.dep in ("acl", "amod") and head.pos == "PROPN" and opens and p.t[tok.i - 1].text == ","


def _particle(p: Parse, tok: Token, lemma: str, phrasal: dict) -> tuple[str, str] | None:
    """A cue made of a verb and the words after it: "appellent à", "revient sur", "met en cause"."""
    for phrase in phrasal:
        verb, _, rest = phrase.partition(" ")
        if verb != lemma:
            continue
        words = rest.split()
        following = [t.text.lower() for t in p.t[tok.i + 1:tok.i + 1 + len(words) + 2] if t.pos != "ADV"]
        if following[:len(words)] == words:
            return rest, " ".join(words)
    return None


def by_verb(p: Parse, lex: Lexicon, quotes: list[Quote], introduces: bool = False) -> Found | None:
    """A reporting verb with a clause, a complement or a quotation, and its subject.

    Verbs inside a quotation belong to the quoted speech; among several cues, the one that governs
    the quotation (or a clause) wins."""
    inside = [(q.start, q.end) for q in quotes]
    candidates = [c for tok in p.t if (c := _candidate(p, tok, lex, quotes, inside, introduces))]
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0], reverse=True)
    candidates = _outer_first(p, candidates, lex)
    best = _main_verb(p, candidates, lex)
    others = [src for rank, f in candidates[1:] if (rank[0] or rank[1] or rank[2]) and not f.pronoun
              for src in f.sources if src[:1].isupper()]  # "… told The Daily Star, which also reported …": both speak in the sentence
    if others:
        best.sources = dedupe(best.sources + others)
    return best


def _outer_first(p: Parse, candidates: list[tuple[tuple, Found]], lex: Lexicon) -> list[tuple[tuple, Found]]:
    """"Paul Martin affirme qu'il voulait qualifier sa rivale de « … »": a cue whose subject is a pronoun,
    inside what a named speaker's cue governs, is that speaker reporting his own words; the outer cue
    reports, and the quotation is his."""
    rank, best = candidates[0]
    if not best.pronoun or fold(best.pronoun) not in lex.folded("pronouns") or not rank[0] or rank[1]:
        return candidates  # only a quotation without a clause of its own: "qu'il dévoile que …" reports itself
    for k, (other_rank, other) in enumerate(candidates[1:], 1):
        if other.sources and not other.pronoun and -rank[3] in p.subtree(-other_rank[3]):
            other.governs_quote = other.governs_quote or best.governs_quote
            return [candidates[k], *candidates[:k], *candidates[k + 1:]]
    return candidates


def _main_verb(p: Parse, candidates: list[tuple[tuple, Found]], lex: Lexicon) -> Found:
    """"The minister emphasized the risks, saying that …", "He wrote to the board, asking …": a participle
    that goes on from a cue verb elaborates that verb's report; the verb it hangs on is the cue (unless
    that verb only issued the document the participle quotes: "posted a message, saying …")."""
    rank, best = candidates[0]
    i = -rank[3]
    tok = p.t[i]
    if not _present_participle(tok, lex) or tok.dep not in ("advcl", "conj", "xcomp") or tok.head == i:
        return best
    said = lex.folded("speech_nouns") | lex.folded("document_nouns")
    if any(fold(p.t[o].lemma) in said for o in p.kids(tok.head, "obj", "dobj")):
        return best  # "posted a message, saying …": the participle says what the message says
    for other_rank, other in candidates[1:]:
        if -other_rank[3] == tok.head and other.sources == best.sources and other.pronoun == best.pronoun:
            other.governs_quote = other.governs_quote or best.governs_quote
            return other
    return best


def _candidate(p: Parse, tok: Token, lex: Lexicon, quotes: list[Quote], inside: list[tuple[int, int]],
               introduces: bool) -> tuple[tuple, Found] | None:
    """One token as a cue, ranked: the verb, how it reports, who speaks, what names them."""
    cue = _cue_verb(p, tok, lex, quotes, introduces)
    if cue is None:
        return None
    lemma, particle = cue
    cue_text = tok.text + (" " + particle[1] if particle else "")
    if any(a <= tok.start < b for a, b in inside) or tok.dep in ("amod", "compound"):
        return None
    aside = _aside(p, tok.i, lex)
    reading = _reading(p, tok, lemma, particle, lex, inside, aside is not None)
    if reading is None:
        return None
    clause, governs_quote, nominal, incise, directive = reading
    agent = [g for a in p.kids(tok.i, "agent", "obl:agent") if is_agent(p, a)
             for g in ([a] if p.t[a].pos != "ADP" else p.kids(a, "pobj"))]
    subj = _speaker(p, tok, lex, inside, agent, incise, governs_quote)
    if aside and p.lowered[aside[0] + 1] in lex.as_words:  # "…, as two of her engineers noted, …"
        words = range(aside[0] + 2, tok.i)
        subj = [k for k in words if p.t[k].head not in words and p.t[k].pos in ("NOUN", "PROPN", "PRON", "NUM")][:1]
    elif subj and aside:  # "Ce plan, a-t-il dit, est mort": who speaks is inside the aside
        subj = [k for k in subj if aside[0] < k < aside[1]] or [  # the name the parser hung on the host's subject
            k for k in range(*aside) if p.t[k].dep == "appos" and p.t[k].head in subj][:1] or _inverted_subject(
            p, tok.i, lex, True)
    if not subj:
        return None
    head = subj[0]
    if p.t[head].text.lower() in any_language("relative_words") or (
            p.subtree(head)[0] < head and p.t[p.subtree(head)[0]].text.lower() in any_language("genitive_relatives")):
        return None  # "dont la majorité socialiste a …": a relative clause describes
    named = _subject_sources(p, tok, head, lex, agent)
    if named is None:
        return None
    sources, pron = named
    if lemma in lex.stance_verbs and not (clause or governs_quote) and not (
            pron or sources_named(sources, p) or _who(p.t[head], lex)):
        return None  # "the bridge supports heavy trucks": a stance needs someone to hold it
    rank = (governs_quote, clause, nominal, -tok.i)  # among equals, the first cue names the first speaker
    return rank, Found(kind="verb", cue=cue_text, cue_start=tok.start, sources=sources,
                       stance="assert" if directive else lex.cue_verbs.get(lemma) or lex.phrasal_cues.get(lemma) or "assert",
                       pronoun=pron, document=fold(p.t[head].lemma) if pron and fold(p.t[head].lemma) in lex.folded(
                           "document_nouns") else None,
                       governs_quote=governs_quote, directive=directive and not (clause or governs_quote))


def _cue_verb(p: Parse, tok: Token, lex: Lexicon, quotes: list[Quote],
              introduces: bool) -> tuple[str, tuple[str, str] | None] | None:
    """The cue's lemma (with its particle: "appeler à") when `tok` is a verb that may report, else None."""
    lemma = _reflexive(p, tok, verb_lemma(tok, lex), lex)
    particle = _particle(p, tok, lemma, lex.phrasal_cues)
    if particle:
        lemma = f"{lemma} {particle[0]}"
    participle = tok.pos == "ADJ" and any(p.t[c].dep.startswith("aux") for c in p.children[tok.i])  # "HRW a relevée"
    participle = participle or _misread_verb(p, tok, lemma, lex)
    if (tok.pos not in ("VERB", "AUX") and not participle) or _negated(p, tok.i) or _asked(p, tok, lex):
        return None
    if p.s.text[tok.start - p.s.start - 1:tok.start - p.s.start] == "-":
        return None  # "c'est-à-dire", "soi-disant", "ouï-dire": the end of a compound word, no verb
    modals = lex.folded("modal_verbs")
    if any(p.t[c].dep.startswith("aux") and fold(p.t[c].lemma) in modals for c in p.children[tok.i]) or (
            tok.dep == "xcomp" and fold(p.t[tok.head].lemma) in modals):
        return None  # "owners can contest the list": a possibility, nothing said
    if any(p.t[c].dep == "mark" and fold(p.t[c].text) in lex.non_reporting_marks for c in p.children[tok.i]):
        return None  # "pour qu'il expliquât", "if he says": a purpose or a condition reports nothing
    if lemma in lex.as_only_verbs and _as_clause(p, tok.i, lex):
        return lemma, None  # "as the senator put it"
    if lemma not in lex.cue_verbs and not particle and not (tok.dep == "ROOT" and opens_quote(p, tok.i, quotes, introduces)):
        return None  # any main verb that opens a quotation reports it: "a nuancé les chiffres : « … »"
    return lemma, particle


def by_incise(p: Parse, lex: Lexicon, quotes: list[Quote]) -> Found | None:
    """"« … », juge le ministère", "« … », répondit alors son collègue", "« Moi, dit-il, je reste »": right
    after a quotation (or inside it, with an inverted "-il"), a form of a cue verb followed by who speaks is an
    incise, whatever the tagger made of the verb ("juge" read as the noun) or of its subject (read as object);
    with or without quotation marks, any verb whose "-il" is inverted between commas is one ("Ce plan,
    appuie-t-il, est mort")."""
    inside = [(q.start, q.end) for q in quotes]
    for k, tok in enumerate(p.t[:-1]):
        aux = k >= 2 and p.t[k - 1].pos == "AUX"  # "» a indiqué X"
        before = k - 1 - aux
        after_quote = before >= 0 and p.t[before].text in (",", *CLOSERS) and any(
            p.t[j].text in CLOSERS for j in range(max(0, before - 1), before + 1))
        j = k + 1 + (k + 2 < len(p.t) and p.t[k + 1].text.lower() in any_language("euphonic_words"))  # "affirme-t-elle"
        clitic = p.t[j].text.lower() in lex.pronouns and p.t[j].text.startswith("-")
        if "VerbForm=Part" in tok.morph and not aux and not clitic:
            continue  # "« Les bâtisseurs » présentée au théâtre": a title and its participle
        lemma = verb_lemma(tok, lex)
        set_off = clitic and k > 0 and p.t[k - 1].text == "," and j + 1 < len(p.t) and p.t[j + 1].text in (",", ".", "!", "…")
        if not (after_quote or clitic) or lemma not in lex.cue_verbs and not (
                set_off and lemma not in lex.incise_not_cues):
            continue  # ", appuie-t-il, …": any verb so inverted between commas reports, but "semble-t-il" hedges
        if not clitic and any(a <= tok.start < b for a, b in inside):
            continue
        if clitic:  # "dit-il": the person the pronoun stands for
            return Found(kind="verb", cue=tok.text, cue_start=tok.start, sources=[], pronoun=p.t[j].text.lstrip("-t"),
                         stance=lex.cue_verbs.get(lemma, "assert"), governs_quote=True)
        words, recipient = [], False
        for j in range(k + 1, len(p.t)):
            if p.t[j].text in (",", ".", ";", ":", "!", "?", "(") or p.t[j].pos in ("VERB", "AUX"):
                break
            if p.t[j].pos == "ADP" and not words:
                recipient = True  # "a expliqué à l'AFP Paul Martin": whom it was said to comes first
            elif recipient and p.t[j].pos in ("NOUN", "PROPN") and (j + 1 == len(p.t) or p.t[j + 1].pos not in ("NOUN", "PROPN")):
                recipient = False  # the recipient's phrase ends here; who speaks may follow
                continue
            elif not recipient and (words or p.t[j].pos != "ADV"):  # "répondit alors son collègue"
                words.append(j)
        person = [e for e in p.s.entities if e.label == "PER" and e.start > tok.start]
        if person and (recipient or not words):  # "a expliqué à l'AFP Jean Dupont": the name after the recipient
            words = [t.i for t in p.t if person[0].start <= t.start < person[0].end]
        if not words:
            continue
        head = next((j for j in words if p.t[j].pos in ("NOUN", "PROPN", "PRON")), None)
        if head is None:
            continue
        sources = phrase_sources(words, p, lex, core=p.core(head, owners(lex)))
        named = [e for e in p.span_entities(words) if e.label in ("PER", "ORG")]
        if named:
            sources = [named[0].text]
        pron = None if named else p.text(trim(words, p))
        return Found(kind="verb", cue=tok.text, cue_start=tok.start, sources=[] if pron else sources, pronoun=pron,
                     stance=lex.cue_verbs[lemma], governs_quote=True)
    return None


def _represented(p: Parse, e, lex: Lexicon) -> list[str]:
    """"Paul Roux, le président de la Banque de France", "Ann Lee, the spokeswoman for Fabrikam": the organisation a
    person's apposed role speaks for, however the parser hung the apposition (a correspondent or a member
    speaks for themselves: only `representative_nouns`)."""
    k = next((t.i + 1 for t in reversed(p.t) if t.start < e.end), len(p.t))
    if k + 1 >= len(p.t) or p.t[k].text != ",":
        return []
    k += 2 if p.t[k + 1].pos == "DET" else 1
    if k >= len(p.t) or not {fold(p.t[k].lemma), fold(p.t[k].text)} & lex.folded("representative_nouns"):
        return []
    end = next((j for j in range(k + 1, len(p.t)) if p.t[j].text in (",", ".", ";", ":") or p.t[j].pos in ("VERB", "AUX")),
               len(p.t))
    return [o.text for o in p.span_entities(list(range(k, end))) if o.label in ("ORG", "MISC")]


def _who(tok: Token, lex: Lexicon) -> bool:
    """A noun that names people, a group or an organisation (not a thing): "senators", "the union"."""
    word, lemma = fold(tok.text), fold(tok.lemma)
    people = speaker_nouns(lex) | lex.folded("person_nouns")
    return word in people or lemma in people


def _reflexive(p: Parse, tok: Token, lemma: str, lex: Lexicon) -> str:
    """"s'est inquiété", "se félicite": a pronominal verb is its own cue ("s'inquiéter"), not its base verb."""
    if not any(p.t[c].dep.startswith("expl") or p.lowered[c] in ("se", "s'") for c in p.children[tok.i] if c < tok.i) and not (
            tok.i > 0 and p.lowered[tok.i - 1] in ("se", "s'")):  # "se disent prêts", the clitic hung elsewhere
        return lemma
    return next((form for form in (f"se {lemma}", f"s'{lemma}") if form in lex.cue_verbs), lemma)


def _act(p: Parse, i: int, lemma: str, lex: Lexicon) -> bool:
    """A noun object makes a cue verb an act, not speech, when the object is a person (the recipient:
    "a félicité les artistes") or, for verbs that also name deeds ("publier", "déclarer", "concéder",
    "release"), when the object is not something said."""
    objects = p.kids(i, "obj", "dobj")
    if not objects:
        return False
    head = objects[0]
    noun = fold(p.t[head].lemma)
    if lemma not in lex.person_object_verbs and lemma not in lex.counted_object_verbs and (
            p.t[head].pos == "PRON" or noun in lex.folded("anonymous_heads") or noun in lex.folded("person_nouns")
            or any(e.label == "PER" for e in p.span_entities(p.core(head)))):
        return True
    if lemma in lex.act_verbs and lemma in lex.publishing_verbs and noun in lex.folded("document_nouns"):
        return True  # "a publié son étude", "released a report": the document's content is not given
    return lemma in lex.act_verbs and noun not in lex.folded("speech_nouns") and noun not in lex.folded("document_nouns")


def _definite(p: Parse, noun: int, lex: Lexicon) -> bool:
    """"the report", "ce rapport", "its statement": a noun that stands for one named before."""
    return any(p.lowered[c] in lex.folded("definite_determiners") or "Poss=Yes" in p.t[c].morph
               for c in p.kids(noun, "det", "poss"))


def _self_described(p: Parse, tok: Token) -> bool:
    """"se dit confiant", "se disent prêts à …", "se déclare candidat": what the subject says it is, an adjective or a
    noun after the verb — however parsed (its complement, or the adjective the verb was hung on as an auxiliary)."""
    if tok.dep.startswith("aux"):
        return p.t[tok.head].pos in ("ADJ", "NOUN") and tok.head > tok.i
    return any(c > tok.i and p.t[c].dep in ("xcomp", "obj", "amod", "advmod") and p.t[c].pos in ("ADJ", "NOUN", "VERB")
               and p.lowered[c] not in ("se", "s'") for c in p.children[tok.i])


def _passive_content(p: Parse, i: int, lemma: str, lex: Lexicon) -> bool:
    """"The plan was criticised by the mayor": a passive cue with its agent reports its subject, as the active
    would its object; not an act ("the curfew was declared by the council") nor a verb that needs a clause."""
    bare = "VerbForm=Part" in p.t[i].morph and "Tense=Past" in p.t[i].morph and not any(
        p.t[c].dep.startswith("aux") for c in p.children[i])  # "with twelve reported by local media": no auxiliary
    subjects = [c for c in p.children[i] if p.t[c].dep in PASSIVE_SUBJECTS or (bare and p.t[c].dep in SUBJECT_DEPS)]
    if not subjects or not any(is_agent(p, a) for a in p.kids(i, "agent", "obl:agent")) or lemma in lex.clause_only_verbs \
            or lemma in lex.quote_only_verbs:
        return False
    noun = fold(p.t[subjects[0]].lemma)
    return not (lemma in lex.act_verbs and noun not in lex.folded("speech_nouns")
                and noun not in lex.folded("document_nouns"))


def _indefinite(p: Parse, head: int, lex: Lexicon) -> bool:
    """"un habitant", "a witness": a determiner that introduces someone new."""
    return any(p.lowered[c] in lex.indefinite_determiners for c in p.children[head]
               if c < head and p.t[c].dep in ("det", "nummod", "amod"))


def _aside(p: Parse, i: int, lex: Lexicon) -> tuple[int, int] | None:
    """"Ce plan, a-t-il dit, est mort", "The plan, the officials said, is dead", "La hausse, estiment les
    experts du FMI, va durer", "The bridge, as two of her engineers noted, …": a cue verb with its subject
    alone between two commas, inside the sentence it reports, however the parser hung it."""
    commas = [k for k, t in enumerate(p.t) if t.text == ","]
    left = max((k for k in commas if k < i), default=None)
    right = min((k for k in commas if k > i), default=None)
    if left is None or right is None or left == 0 or right >= len(p.t) - 2:
        return None
    opened_by_as = p.lowered[left + 1] in lex.as_words and left + 2 < i
    if right - left > (14 if opened_by_as else 7):
        return None
    between = range(left + 1, right)
    if opened_by_as and sum(p.t[k].pos == "VERB" for k in between) == 1:
        return left, right  # "…, as two of her engineers noted, …": who speaks stands between "as" and the verb
    subjects = p.kids(i, *SUBJECT_DEPS)
    apposed = [k for k in between if p.t[k].dep == "appos" and p.t[k].head in subjects]
    if subjects and all(c < left for c in subjects) and not apposed:
        return None  # "Ana Ruiz, also on the radio, defended her plan, …": its subject stands before: no aside
    if all(p.t[k].pos in ("AUX", "PRON", "DET", "NOUN", "PROPN", "ADV", "VERB", "ADJ", "ADP") for k in between) and \
            sum(p.t[k].pos == "VERB" for k in between) == 1 and any(
                p.t[k].dep in SUBJECT_DEPS or k in apposed or p.t[k].text.startswith("-") or (  # "a-t-il dit", "a dit Paul Durand"
                    k > i and p.t[k].head == i and p.t[k].pos in ("PROPN", "NOUN", "PRON")) for k in between):
        return left, right  # (with its subject: "…, said on TV, …" is not an aside)
    return None


def _reading(p: Parse, tok: Token, lemma: str, particle: tuple[str, str] | None, lex: Lexicon,
             inside: list[tuple[int, int]], aside: bool) -> tuple[bool, bool, bool, bool, bool] | None:
    """How the verb reports: (a clause, the quotation it governs, a nominal complement, an incise, a demand),
    or None; `aside`: the verb stands with its subject between two commas."""
    quote_only = lex.quote_only_verbs
    clause = _has_clause(p, tok.i) and lemma not in quote_only or _stated_clause(p, tok.i) or _as_clause(p, tok.i, lex) \
        or _topic_clause(p, tok.i, lex)
    governs_quote = bool(inside) and any(
        a <= p.t[k].start < b for k in p.subtree(tok.i) for a, b in inside) or (
        bool(inside) and tok.dep in ("parataxis", "ROOT") and any(
            b <= tok.start and INCISE_GAP.fullmatch(p.s.text[max(b - p.s.start, 0):tok.start - p.s.start])
            for a, b in inside)) or _colon_quote(p, tok, inside)  # « … », a-t-il dit — not "…"; TVN24 reported
    nominal = (_complement(p, tok.i, lemma, lex) and lemma not in quote_only) or bool(particle)
    if nominal and lemma in lex.person_object_verbs:
        nominal = any(p.t[c].pos == "PROPN" or p.span_entities(p.subtree(c))
                      for c in p.kids(tok.i, "obj", "dobj"))  # "accuse Rajoy de …", not "accuse une baisse"
    if nominal and not particle and _act(p, tok.i, lemma, lex):
        nominal = False  # "a publié ses comptes", "a félicité les artistes": an act, not a statement
    own = [c for c in p.children[tok.i] if c < tok.i and p.t[c].dep.split(":")[0] in ("aux", "expl", "nsubj", "dep")]
    leftmost = min([tok.i, *own])
    after_comma = any(t.text in (",", "»", "”", '"') for t in p.t[max(0, leftmost - 2):leftmost]) and not (
        leftmost > 0 and p.t[leftmost - 1].pos == "CCONJ")  # "…, and mentioned a route": a second verb, no incise
    incise = after_comma and (  # "…, a-t-il précisé."; "…, a annoncé à l'agence X Marie Durand."
        (tok.head < tok.i and tok.dep in ("conj", "parataxis", "ROOT", "advcl"))
        or (tok.dep == "ROOT" and not any(c < tok.i for c in p.kids(tok.i, *SUBJECT_DEPS))))
    incise = incise or aside
    clause = clause or (incise and lemma not in quote_only) or aside  # "The fire, police described, began …"
    if lemma in lex.clause_only_verbs and not any(
            fold(p.t[k].lemma) in lex.folded("document_nouns") for k in p.kids(tok.i, *SUBJECT_DEPS)):
        nominal = False  # "she found the keys", but "the study found a link", "l'enquête a montré des failles"
    directive = lemma in lex.directive_verbs and _infinitive(p, tok.i) is not None
    nominal = nominal or directive or _predicate(p, tok.i, lemma, lex) or _passive_content(p, tok.i, lemma, lex) or (
        lemma in lex.self_description_verbs and _self_described(p, tok))
    relative = tok.dep in ("acl:relcl", "relcl", "acl") or (
        tok.dep == "conj" and p.t[tok.head].dep in ("acl:relcl", "relcl"))  # "qui revendique … et a menacé de …"
    if relative and not (clause or governs_quote or lemma in lex.person_object_verbs):
        nominal = False  # "Xi Jinping, qui revendique la souveraineté": a relative clause describes, it does not report
    # a quotation of a few words (not a scare quote: « oui », "interesting") may be what the verb reports
    spoken = any(len(p.s.text[max(a - p.s.start, 0):b - p.s.start].split()) >= 3 for a, b in inside)
    if not (clause or governs_quote or nominal or (spoken and lemma not in quote_only)):
        return None
    return clause, governs_quote, nominal, incise, directive


def _speaker(p: Parse, tok: Token, lex: Lexicon, inside: list[tuple[int, int]], agent: list[int], incise: bool,
             governs_quote: bool) -> list[int] | None:
    """The tokens of who speaks: the passive's agent, the subject, or an inverted subject after the verb."""
    subj = agent or _subject(p, tok.i, lex, inside)  # "reported by industry sources": the agent speaks
    closed = [b for a, b in inside if b <= tok.start and not p.s.text[b - p.s.start:tok.start - p.s.start].strip(" »”\"',")]
    after = [e for e in p.s.entities if e.label in ("PER", "ORG") and e.start > tok.start]
    if closed and after and (not subj or subj[0] < tok.i):  # "les pluies « vont durer » a averti l'institut X"
        subj = [next(t.i for t in p.t if t.start >= after[0].start)]
    if incise and not p.kids(tok.i, *SUBJECT_DEPS) or (subj and subj[0] > tok.i and p.t[subj[0]].pos == "PRON"):
        subj = _inverted_subject(p, tok.i, lex, True) or subj  # "…, a annoncé le président du Sénat X"
        if incise and not inside and tok.dep == "ROOT" and (not subj or subj[0] < tok.i):
            named = [e for e in p.s.entities if e.label == "PER" and e.start > tok.start]
            if named:  # the name the parser hung inside "à l'agence Interfax Marie Durand"
                subj = [next(t.i for t in p.t if t.start >= named[0].start)]
    if not subj or (p.t[subj[0]].pos == "PRON" and p.t[subj[0]].text.lower() in any_language("object_pronouns")):
        subj = _inverted_subject(p, tok.i, lex, incise or governs_quote) or subj
    if subj and any(a <= p.t[subj[0]].start < b for a, b in inside):  # a speaker is never inside their own quotation
        outside = [k for k in subj if not any(a <= p.t[k].start < b for a, b in inside)]
        subj = outside or _inverted_subject(p, tok.i, lex, True)  # "“My reaction …,” the strategist said"
    return subj


APPOSED_END = re.compile(r"\s*,\s*(?:\S+\s+){0,2}")  # "…, Claire Petit, affirme", "…, Ann Lee, has said"


def _subject_sources(p: Parse, tok: Token, head: int, lex: Lexicon,
                     agent: list[int]) -> tuple[list[str], str | None] | None:
    """What the subject headed by `head` names: (sources, None), or ([], the pronoun or description to
    resolve), or None when it names nobody."""
    sub_ids = p.subtree(head, skip=("acl:relcl", "relcl", "acl", "obl:mod", "advmod", "parataxis"))
    for e in p.span_entities(sub_ids):  # "par le syndicat Force ouvrière", the name hung on the verb by the parser
        if any(e.start <= p.t[k].start < e.end for k in sub_ids):  # not a name inside a relative the span skipped
            sub_ids = sorted(set(sub_ids) | {t.i for t in p.t if e.start <= t.start < e.end})
    if p.t[head].pos in ("PRON", "DET", "ADJ", "NUM") and (p.lowered[head] in lex.indefinite_determiners or p.lowered[head] in lex.indefinite_pronouns) \
            and not any(e.label in ("PER", "ORG") for e in p.span_entities(sub_ids)):  # not "L'un d'eux, Paul Martin,"
        return [p.text(trim(sub_ids, p)) or p.t[head].text], None  # "Some believe", "Certains estiment": someone new, as written
    titles = lex.folded("person_nouns")
    if p.t[head].pos == "PROPN" and fold(p.t[head].text) in titles and not _indefinite(p, head, lex) and all(
            fold(e.text) in titles for e in p.span_entities(sub_ids)):
        return [], p.text(trim(sub_ids, p))  # "the Pope", tagged as a name: a title, standing for who bears it
    sources = phrase_sources(sub_ids, p, lex, core=p.core(head, owners(lex)))
    pron = None
    trimmed = trim(sub_ids, p)
    words = fold(p.text(trimmed)).split()
    roles = lex.folded("descriptions", last_word=True) | lex.folded("org_descriptions")
    if entourage(p.t[head], lex):
        roles = frozenset()  # "les proches du ministre": they speak, not the minister
    elif p.t[head].pos == "NOUN" and _indefinite(p, head, lex):
        roles = frozenset()  # "un habitant", "a witness", "an assembly of ministers in Rome": someone new
    elif p.t[head].pos == "NOUN" and not p.span_entities(trimmed):
        roles = roles | lex.folded("person_nouns")  # "the actress": the person introduced as one
    people_in = [e for e in p.span_entities(trimmed) if e.label == "PER"]
    last = [e for e in p.span_entities(sub_ids) if e.end <= tok.start and tok.start - e.end <= 12
            and p.t[sub_ids[-1]].start < e.end and not _after_preposition(p, e)]
    if set(words[:4]) & roles and last and not people_in:  # "Former US Ambassador to the UN Nikki Haley wrote"
        # (however the recogniser tagged the name); "le maire de New York" ends on a complement, not on who
        sources, words, people_in = [last[-1].text], [], [last[-1]]
    # for whom a role before the name speaks: "Le porte-parole de X, Ann Lee," speaks for X, a correspondent not
    spoken_for = [src for src in sources if not any(e.text == src and e.label == "PER" for e in p.s.entities)] if (
        {fold(p.t[head].lemma), fold(p.t[head].text)} & lex.folded("representative_nouns")) else []
    if not people_in and p.t[head].pos == "NOUN" and set(words[:3]) & roles and trimmed:
        before = [e for e in p.s.entities if e.label == "PER" and 0 <= p.t[trimmed[0]].start - e.end <= 6]
        if before:  # "Paul Durand, le candidat des Verts, avait appelé": the name speaks
            sources, words = [before[-1].text], []
    apposed = [e for e in people_in if p.s.text[:e.start - p.s.start].rstrip().endswith(",")
               and APPOSED_END.fullmatch(p.s.text[e.end - p.s.start:tok.start - p.s.start])]
    if p.t[head].pos == "NOUN" and apposed:  # "La correspondante de la radio X au Liban, Claire Petit, affirme",
        sources, words = [apposed[-1].text, *spoken_for], []  # however parsed: the name set off last speaks
    for e in [e for e in p.s.entities if e.label == "PER" and e.text in sources]:
        sources = dedupe(sources + _represented(p, e, lex))  # "a annoncé Paul Roux, le président de la Banque de France"
    bare_document = (fold(p.t[head].lemma) in lex.folded("document_nouns") and not sources_named(sources, p)
                     and len(trimmed) <= 3 and not agent)
    author = document_author(p, head, lex) if bare_document else None
    if author:  # "Port Watch's database shows", however the recogniser cut the name
        sources = [author]
    elif bare_document and p.kids(head, "poss", "nmod:poss"):  # "its website notes", "the agency's report says":
        owner = p.kids(head, "poss", "nmod:poss")[0]  # whose it is, resolved as a pronoun or a description
        pron, sources = p.text([k for k in p.subtree(owner) if p.t[k].dep != "case"]), []
    elif bare_document and (issuer := [k for k in p.kids(head, "compound")
                                       if fold(p.t[k].lemma) in speaker_nouns(lex) | lex.folded("institution_nouns")]):
        pron, sources = p.t[issuer[0]].text, []  # "the government statement", "a police report": theirs
    elif bare_document and not _definite(p, head, lex):  # "other studies have shown", "une étude montre": a new one
        sources = sources or [p.text(trimmed)]
    elif bare_document:  # "The statement also said": its issuer speaks
        pron, sources = p.text(trimmed), []
    elif p.t[head].pos == "PRON" or (set(words[:3]) & roles and not [  # "Le ministre du Redressement" (ORG)
            e for e in p.span_entities(trimmed) if e.label == "PER" or (not _place_word(p, e) and (
                fold(e.text).split()[0] not in roles or _institution_name(e)))]):  # "Oslo mayor"
        if p.t[head].text.lower() in any_language("impersonal_subjects"):
            return None
        people = [s for s in sources if any(e.text == s and e.label == "PER" for e in p.s.entities)]
        if people:
            sources = people
        else:
            pron, sources = p.text(trimmed) or p.t[head].text, []
    if not sources and not pron:
        return None
    return sources, pron


def _after_preposition(p: Parse, e) -> bool:
    """"de New York", "from Texas": a name that is the complement of a preposition (not of "par", "by":
    the agent speaks)."""
    before = [t for t in p.t if t.start < e.start][-2:]
    if before and before[-1].pos == "DET":
        before = before[:-1]
    return bool(before) and before[-1].pos == "ADP" and before[-1].text.lower() not in any_language("agent_words")


def _institution_name(e) -> bool:
    """"l'Association des leaders religieux du Mali", "le Conseil constitutionnel": an organisation's name that
    opens on a role noun, capitalised, with its complement, is that organisation, not a description to resolve
    ("the Commission" alone still is one)."""
    words = e.text.replace("’", "'").split("'")[-1].split() if e.text[:2].lower() in ("l'", "l’") else e.text.split()
    return e.label == "ORG" and len(words) >= 2 and words[0][:1].isupper()


def _place_word(p: Parse, e) -> bool:
    """A place or a nationality ("Hong Kong", "Chilean"): in "the Chilean president" it says which one, not who."""
    return e.label == "LOC" or all(t.pos == "ADJ" for t in p.t if e.start <= t.start < e.end)


def conditional(p: Parse, lex: Lexicon) -> bool:
    """A claim put in the conditional ("aurait", Mood=Cnd): reported, not asserted."""
    aux = set(lex.conditional_aux)
    return any(t.text.lower() in aux or "Mood=Cnd" in t.morph for t in p.t if t.dep in ("ROOT", "aux", "aux:tense", "cop") or t.head == t.i)

