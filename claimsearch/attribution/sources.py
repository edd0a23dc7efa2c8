"""Who a noun phrase names: people and organisations, or a description that can speak."""
from __future__ import annotations

from ..folding import fold
from ..lang import Lexicon, any_language
from ..models import Token
from ..normalise import find_aliases
from .syntax import SUBJECT_DEPS, Parse, trim


def phrase_sources(ids: list[int], p: Parse, lex: Lexicon, core: list[int] | None = None,
                   follow_author: bool = True) -> list[str]:
    """Who a noun phrase names: its people (and the organisation they speak for), else the phrase itself.

    With `core` (the phrase's syntactic core), a name counts when it heads the phrase or stands in
    apposition or after "de"/"of" ("Paul Durand, PDG de Nordis France"); a name that only modifies a
    common noun does not ("Saudi officials", "Johnson's critics") — except for documents, which speak
    for their owner or author ("Ship Finder's database", "the report signed by the minister")."""
    ids = trim(ids, p)
    if not ids:
        return []
    ents = p.span_entities(ids)
    span = core or ids
    heads = [i for i in span if p.t[i].head not in span or p.t[i].head == i]
    head = heads[0] if heads else ids[0]
    if core is not None and entourage(p.t[head], lex) and len(trim(core, p)) > 1:
        return [p.text(trim(list(range(min(core), max(core) + 1)), p))]  # "the Baker campaign": not Baker herself
    if core is not None:
        document = fold(p.t[head].lemma) in lex.folded("document_nouns")
        agents = [k for k in core if is_agent(p, k) or (
            p.t[k].head in core and p.t[k].text.lower() in any_language("agent_words") and p.t[k].dep in ("prep", "case"))]
        agents = [p.t[k].head if p.t[k].dep == "case" else k for k in agents]  # French "par X": X heads
        reported = [g for c in p.children[head] if p.t[c].dep == "acl" for a in p.children[c]
                    if is_agent(p, a) for g in (p.kids(a, "pobj") or [a])]
        if reported and follow_author and reported[0] != head:  # "numbers reported by Reuters"
            return phrase_sources(p.subtree(reported[0]), p, lex, core=p.core(reported[0]), follow_author=False)
        if document and agents and follow_author:
            by = [c for c in p.children[agents[0]] if p.t[c].dep == "pobj"] or [agents[0]]  # "a report by The Atlantic"
            author = phrase_sources(p.subtree(by[0]), p, lex, core=p.core(by[0]), follow_author=False) if by[0] != head else []
            if author:
                return author
        whose = [k for k in p.complements(head, lex.folded("of_words")) if k in core]
        if document and follow_author and not ents and whose and whose[0] != head and _can_speak(p.t[whose[0]], lex) \
                and fold(p.t[whose[0]].lemma) not in lex.folded("document_nouns"):
            # "selon les informations de la préfecture", "the figures of the ministry": who gave them
            return phrase_sources(p.subtree(whose[0]), p, lex, core=p.core(whose[0]), follow_author=False)
        ents = [e for e in ents if _counts(e, head, set(core), p, document)]
    people = [e.text for e in ents if e.label == "PER"]
    orgs = [_with_article(e, p) for e in ents if e.label in ("ORG", "MISC")]
    if not people and not orgs and (core is None or p.t[head].pos == "PROPN"):
        lo = p.t[ids[0]].start
        hi = p.t[ids[-1]].start + len(p.t[ids[-1]].text)
        at = p.t[head].start - lo
        orgs = [name for a, b, name in find_aliases(p.s.text[lo - p.s.start:hi - p.s.start])
                if core is None or a <= at < b]  # a known name counts when it is the phrase's head
    if people or orgs:
        return dedupe(people + orgs)
    if p.t[head].pos not in ("PROPN",) and not _can_speak(p.t[head], lex):
        return []  # "la suppression de ces postes est due à …": things do not speak
    if core and p.t[head].pos == "PROPN":  # "Ana Ruiz, the mayor, said", the name untagged: the name, not its role
        role = {k for a in p.kids(head, "appos") if p.t[a].pos == "NOUN" for k in p.subtree(a)}
        core = [k for k in core if k not in role]
    if core:
        ids = trim(list(range(min(core), max(core) + 1)), p)  # "la porte-parole de la fédération", not "… à une question"
    phrase = p.text(ids)
    return [phrase] if phrase and len(phrase) < 120 else []


def is_agent(p: Parse, k: int) -> bool:
    """The agent of a passive, "by X", "par X" — not "tourné pendant un an", which the parser may label so,
    nor a bare singular noun of means ("par téléphone", "by email"): an agent has a determiner, a name, or
    is a plural ("by residents")."""
    noun = p.noun_of(k)
    bare = p.t[noun].pos == "NOUN" and "Number=Plur" not in p.t[noun].morph and not p.kids(
        noun, "det", "poss", "nummod", "compound", "amod")  # "by residents" is people
    return p.t[k].dep in ("agent", "obl:agent") and not bare and not any(
        p.t[c].dep == "case" and p.t[c].text.lower() not in any_language("agent_words") for c in p.children[k])


def owners(lex: Lexicon) -> frozenset[str]:
    """Nouns whose possessor belongs to the phrase: documents speak for it ("Ship Finder's database"), an
    entourage is named by it ("Baker's team")."""
    return lex.folded("document_nouns") | lex.folded("entourage_nouns")


def entourage(tok: Token, lex: Lexicon) -> bool:
    return bool({fold(tok.lemma), fold(tok.text)} & lex.folded("entourage_nouns"))


def _counts(entity, head: int, core: set[int], p: Parse, document: bool) -> bool:
    inside = [k for k in core if entity.start <= p.t[k].start < entity.end]
    if not inside:
        return False
    root = next((k for k in inside if p.t[k].head not in inside), inside[0])
    if any(p.t[c].dep == "case" and p.t[c].pos == "ADP" and p.lowered[c] not in any_language("of_words") for c in p.children[root]):
        return False  # "Sur Twitter, Philippe Gosselin …": a place of speech, however it is parsed
    if head in inside or document:
        return True
    return p.t[root].dep not in ("amod", "compound", "nummod", "nmod:poss", "poss", "det")


def sources_named(sources: list[str], p: Parse) -> bool:
    return any(any(e.text == src for e in p.s.entities) or src[:1].isupper() for src in sources)


def _can_speak(tok: Token, lex: Lexicon) -> bool:
    """A name, a noun known to speak (roles, groups, documents), or any noun that does not name an event,
    a quantity or an abstraction (the suffixes in the language data: "suppression", "chute", "-ité")."""
    if tok.pos == "PROPN":
        return True
    word, lemma = fold(tok.text), fold(tok.lemma)
    if word in speaker_nouns(lex) or lemma in speaker_nouns(lex):
        return True
    if lemma in lex.folded("mute_nouns"):
        return False
    return not lemma.endswith(tuple(lex.mute_suffixes))


def speaker_nouns(lex: Lexicon) -> frozenset[str]:
    """Folded nouns that can head a source without a name: roles, groups, organisations, documents."""
    key = id(lex)
    if key not in _SPEAKER_NOUNS:
        words = [*lex.anonymous_heads, *lex.org_descriptions, *lex.document_nouns,
                 *(d.split()[-1] for d in lex.descriptions)]
        forms = {fold(w) for w in words}
        forms |= {f + "s" for f in forms} | {f + "x" for f in forms}
        _SPEAKER_NOUNS[key] = frozenset(forms)
    return _SPEAKER_NOUNS[key]


_SPEAKER_NOUNS: dict[int, frozenset[str]] = {}


def dedupe(names: list[str]) -> list[str]:
    """Names without their quotes, each once however written."""
    out: list[str] = []
    for n in names:
        n = n.strip(" ,«»“”\"'")
        if n and fold(n) not in {fold(o) for o in out}:
            out.append(n)
    return out


def _with_article(entity, p: Parse) -> str:
    """"selon Le Monde", "told The Guardian": a capitalised article inside a sentence belongs to the title
    of the newspaper (or the organisation) it opens, which the entity recogniser often leaves out."""
    before = [t for t in p.t if t.start < entity.start and t.start + len(t.text) >= entity.start - 1]
    if before and before[-1].i > 0 and before[-1].pos == "DET" and before[-1].text[:1].isupper():
        art = before[-1]
        return p.s.text[art.start - p.s.start:entity.end - p.s.start]
    return entity.text


def document_author(p: Parse, doc: int, lex: Lexicon) -> str | None:
    """Who wrote a document: the person or organisation of its "de"/"of"/"by" complement, or of the agent of
    a participle on it ("diffusé par X"), or the named subject of the publishing verb it is the object of ("X
    a publié son rapport", not "X a critiqué le rapport"); a "report on the crash" is about the crash, no author,
    and one "signed by the leader of X" is not X's."""
    heads = p.complements(doc, lex.folded("of_words") | lex.folded("agent_words")) + p.kids(doc, "poss")
    for k in p.kids(doc, "acl"):  # "diffusé par X"
        heads += [p.noun_of(a) for a in p.subtree(k) if a != k and any(
            p.lowered[c] in lex.folded("agent_words") for c in p.kids(a, "case", "prep") + [a])]
    verb = p.t[doc].head
    if p.t[doc].dep in ("obj", "dobj") and verb != doc and fold(p.t[verb].lemma) in lex.folded("publishing_verbs"):
        heads += p.kids(verb, *SUBJECT_DEPS)
    for h in heads:
        if fold(p.t[h].lemma) in lex.folded("person_nouns"):
            continue  # "signed by the leader of the Church": a person, who is not the Church
        named = [e for e in p.span_entities(p.subtree(h)) if e.label in ("PER", "ORG")]
        if named:
            return named[0].text
    return None
