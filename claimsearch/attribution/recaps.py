"""Sentences that hand what came before to someone: "C'est ce qu'a déclaré Paul Roux", "Tel est le constat de
l'ONG", "That is what the mayor said".

Such a sentence is attributed itself, and so is the claim just before it when nothing else attributes that
one (scope `context`): its content is the "ce", "tel", "that" the sentence opens on.
"""
from __future__ import annotations

from ..folding import fold
from ..lang import Lexicon
from .cues import Found, verb_lemma
from .sources import phrase_sources
from .syntax import SUBJECT_DEPS, Parse, trim


def by_recap(p: Parse, lex: Lexicon) -> Found | None:
    """The attribution of a sentence that opens on a recap ("c'est ce que", "that is what", "tel est") and
    names who said it: the subject of a reporting verb, or the "de"/"of" complement of a noun of speech."""
    opening = fold(p.s.text.strip()).replace("’", "'")
    if not any(opening.startswith(o) for o in lex.folded("recap_openers")):
        return None
    nouns = lex.folded("speech_nouns") | lex.folded("document_nouns")
    for tok in p.t:
        if tok.pos in ("VERB", "AUX") and verb_lemma(tok, lex) in lex.cue_verbs:
            subj = p.kids(tok.i, *SUBJECT_DEPS)
            if subj and p.t[subj[0]].pos in ("PROPN", "NOUN", "PRON") and fold(p.t[subj[0]].text) not in lex.folded(
                    "relative_words") | lex.folded("impersonal_subjects"):
                return _found(p, subj[0], tok.text, tok.start, lex, lex.cue_verbs[verb_lemma(tok, lex)])
        if tok.pos == "NOUN" and fold(tok.lemma) in nouns:
            whose = p.complements(tok.i, lex.folded("of_words"))
            if whose:
                return _found(p, whose[0], tok.text, tok.start, lex, "assert")
    return None


def _found(p: Parse, head: int, cue: str, start: int, lex: Lexicon, stance: str) -> Found | None:
    if p.t[head].pos == "PRON":
        return Found(kind="verb", cue=cue, cue_start=start, sources=[], pronoun=p.t[head].text, stance=stance)
    ids = trim(p.subtree(head, skip=("acl:relcl", "relcl", "acl", "obl:mod", "advmod")), p)
    sources = phrase_sources(ids, p, lex, core=p.core(head))
    if not sources:
        return None
    named = [e for e in p.span_entities(ids) if e.label in ("PER", "ORG")]
    if named or p.t[head].pos == "PROPN":
        return Found(kind="verb", cue=cue, cue_start=start, sources=sources, stance=stance)
    return Found(kind="verb", cue=cue, cue_start=start, sources=[], pronoun=p.text(ids), stance=stance)
