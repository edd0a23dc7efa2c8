"""Headlines: they drop articles and verbs' subjects, and the tagger reads their words as names.

`by_headline` finds the cue of a title that has no verb the tagger saw ("Union denounces pay deal") or
that ends on who said it ("Mayor Cut School Budget By Half, City Auditor Says")."""
from __future__ import annotations

from ..folding import fold
from ..lang import Lexicon
from ..models import Token
from .cues import Found, verb_lemma
from .sources import phrase_sources
from .syntax import Parse


def by_headline(p: Parse, lex: Lexicon) -> Found | None:
    """Headlines drop articles and the tagger then reads the whole line as one noun phrase ("Union denounces
    pay deal"). In a title with no verb, a word after the first one that is the present of a cue verb
    ("denounces", "urges") is the verb: the words before it say who, the words after it what."""
    if p.s.kind != "title":
        return None
    said_by = _headline_end(p, lex)
    if said_by or any(t.pos in ("VERB", "AUX") for t in p.t):
        return said_by
    for tok in p.t[1:-1]:
        lemma = _present_cue(tok, lex)
        if lemma is None or fold(lemma) in lex.folded("speech_nouns"):
            continue  # "claims", "reports", "calls": as likely the plural of a noun ("Fraud claims rise")
        who = list(range(tok.i))
        named = p.span_entities(who)
        if not named and not any(p.t[k].pos == "PROPN" for k in who):
            return Found(kind="verb", cue=tok.text, cue_start=tok.start, sources=[], stance=lex.cue_verbs[lemma],
                         pronoun=p.text(who))  # "Chilean president denounces …": whom the lead names
        sources = phrase_sources(who, p, lex)
        return Found(kind="verb", cue=tok.text, cue_start=tok.start, sources=sources,
                     stance=lex.cue_verbs[lemma]) if sources else None
    return None


def _present_cue(tok: Token, lex: Lexicon) -> str | None:
    """The cue verb whose present ("denounces", "urges") a headline word is, however tagged."""
    form = fold(tok.text)
    if tok.pos not in ("NOUN", "PROPN", "VERB") or not form.endswith("s"):
        return None
    return next((lemma for stem in (form[:-1], form[:-2])
                 if (lemma := verb_lemma(tok._replace(text=stem, lemma=stem), lex)) in lex.cue_verbs), None)


def _headline_end(p: Parse, lex: Lexicon) -> Found | None:
    """"Mayor Cut School Budget By Half, City Auditor Says": a title that ends on a comma, who speaks and the
    present of a cue verb reports what stands before the comma, whatever the tagger made of the words."""
    words = [t for t in p.t if t.pos != "PUNCT" or t.text == ","]
    commas = [k for k, t in enumerate(words) if t.text == ","]
    if not commas or len(words) - commas[-1] < 3 or len(words) - commas[-1] > 8:
        return None
    tok = words[-1]
    lemma = _present_cue(tok, lex)
    if lemma is None:
        return None
    who = [t.i for t in words[commas[-1] + 1:-1]]
    sources = phrase_sources(who, p, lex)
    return Found(kind="verb", cue=tok.text, cue_start=tok.start, sources=sources,
                 stance=lex.cue_verbs[lemma], pronoun=None if sources else p.text(who))
