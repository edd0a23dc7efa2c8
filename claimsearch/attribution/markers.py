"""Markers: "selon X", "d'après X", "according to X", "comme le révèle X"."""
from __future__ import annotations

from ..folding import fold
from ..lang import Lexicon, Marker, any_language
from .cues import Found, verb_lemma
from .sources import owners, phrase_sources, speaker_nouns
from .syntax import Parse, trim


def _marker_tokens(p: Parse, marker: str) -> list[tuple[int, int]]:
    """Token ranges whose words spell `marker` (case-insensitive, spacing and apostrophes ignored)."""
    target = marker.lower().replace("’", "'").replace(" ", "")
    toks = p.lowered
    out = []
    for i, first in enumerate(toks):
        if not target.startswith(first):
            continue
        acc, j = "", i
        while j < len(toks) and len(acc) < len(target):
            acc += toks[j]
            j += 1
        if acc == target:
            out.append((i, j))
    return out


def by_marker(p: Parse, lex: Lexicon) -> Found | None:
    """"selon X", "d'après X", "according to X", "comme le révèle X": the source follows the marker."""
    hits = [(i, j, m) for m in lex.markers for i, j in _marker_tokens(p, m.text)]
    for i in range(len(p.t) - 2):  # "comme le rappelle X", "as X noted": any cue verb after "comme le"
        if p.lowered[i] in lex.as_words and p.lowered[i + 1] in lex.as_pronouns and \
                verb_lemma(p.t[i + 2], lex) in lex.cue_verbs:
            hits.append((i, i + 3, Marker(text=p.text([i, i + 1, i + 2]), kind="document")))
    hits.sort(key=lambda h: (h[0], -h[1]))
    for i, j, marker in hits:
        opening = i == 0 or p.t[i - 1].text == ":"  # "Pour Montebourg, …" or "France : pour Montebourg, …"
        if marker.needs_comma:
            comma = next((k for k in range(j, min(len(p.t), j + 15)) if p.t[k].text == ","), None)
            if not opening or comma is None or any(p.t[k].pos == "VERB" and p.t[k].dep not in ("acl", "amod")
                                                   for k in range(j, comma)):
                continue
        before = next((k for k in range(i - 1, -1, -1) if p.t[k].pos != "ADV"), None)  # "varie fortement selon"
        if before is not None and fold(p.t[before].lemma) in lex.folded("variation_words"):
            continue  # "le prix varie selon la saison": depending on, not according to
        rest = fold(p.text(list(range(i, min(len(p.t), j + 4)))))
        if any(rest.startswith(x) and not rest[len(x):len(x) + 1].isalnum() for x in map(fold, lex.marker_not_source)):
            continue  # whole words: "selon l'âge" is not "selon l'agence"
        end = j
        while end < len(p.t) and p.t[end].text not in (",", ";", ".", ":", "!", "?") and not (
                p.t[end].pos in ("VERB", "AUX") and p.t[end].dep not in ("acl", "amod")):
            end += 1
        if marker.kind == "document":  # "comme le révèle le livre signé par X": take the whole NP
            end = j
            while end < len(p.t) and p.t[end].text not in (",", ";", ".", ":", "!", "?"):
                end += 1
        cue_end = j

        def named(k: int) -> bool:
            return p.t[k].pos == "PROPN" or (p.t[k].pos == "NOUN" and p.t[k].text[:1].isupper())

        first = end + 1 + (end + 2 < len(p.t) and p.t[end + 1].pos == "DET")  # ", la FUB :", ", la CGT,"
        if end + 1 < len(p.t) and p.t[end].text == "," and first < len(p.t) and named(first):
            k = first
            while k < len(p.t) and named(k):
                k += 1
            if k == len(p.t) or p.t[k].text in (",", "«", "“", '"', ":", "."):
                j, end = first, k  # the name in apposition is the source
        ids = list(range(j, end))
        trimmed = trim(ids, p)
        if ids and p.lowered[ids[0]] in any_language("relatives") | any_language("marker_relatives"):
            # "an agreement, according to which …": the relative stands for the noun before the marker
            ante = _antecedent(p, ids[0], i)
            if ante is None:
                continue
            ids = trimmed = trim(p.core(ante, owners(lex)), p)
        possessive = bool(trimmed) and "Poss=Yes" in p.t[trimmed[0]].morph
        if possessive and p.lowered[trimmed[0]] in lex.folded("first_person"):
            continue  # "selon nos informations", "according to our reporting": the newspaper's own voice
        if (marker.needs_comma or possessive) and not _can_speak(p, trimmed, lex):
            continue  # "Pour la dernière fois, …", "selon son âge": a time, a purpose, a measure, nobody's view
        roles = lex.folded("org_descriptions") | lex.folded("descriptions", last_word=True)
        pron, sources, document = None, [], None
        if len(trimmed) == 1 and p.t[trimmed[0]].pos == "PRON":
            pron = p.t[trimmed[0]].text  # "Pour lui, …"
        elif set(fold(p.text(trimmed)).split()[:3]) & roles and not p.span_entities(trimmed) and not (
                trimmed[0] > 0 and p.lowered[trimmed[0] - 1] in lex.folded("indefinite_determiners")):
            pron = p.text(trimmed)  # "Pour l'organisation militant pour …", "selon son porte-parole"
        elif _definite_document(p, trimmed, lex):
            pron, document = p.text(trimmed), fold(p.t[trimmed[0]].lemma)  # "selon le rapport": its author, named before
        else:
            heads = [k for k in trimmed if p.t[k].head not in trimmed or p.t[k].head == k]
            core = p.core(heads[0], owners(lex)) if heads else None
            sources = phrase_sources(ids, p, lex, core=core)  # "according to Johnson's critics": the critics
            if not sources:
                continue
        cue = p.text(list(range(i, cue_end)))
        if marker.needs_comma:
            cue = p.text(list(range(i, end)))
        return Found(kind=marker.kind, cue=cue, cue_start=p.t[i].start, sources=sources, stance="report",
                     pronoun=pron, as_written=True, document=document)
    return None



def _antecedent(p: Parse, relative: int, marker: int) -> int | None:
    """The noun a relative after a marker stands for: the head of its relative clause, else the last common noun
    before the marker ("a report published on Monday, according to which": the report, not Monday)."""
    k, seen = relative, set()
    while k not in seen and p.t[k].head != k:
        seen.add(k)
        if p.t[k].dep in ("relcl", "acl:relcl") and p.t[p.t[k].head].pos in ("NOUN", "PROPN") and p.t[k].head < marker:
            return p.t[k].head
        k = p.t[k].head
    return next((k for k in range(marker - 1, -1, -1) if p.t[k].pos == "NOUN"), None)


def _definite_document(p: Parse, ids: list[int], lex: Lexicon) -> bool:
    """"le rapport", "this study", "son enquête": a document the article named before, with no name of its
    own here; "selon un rapport" is a new one, whose author nobody knows."""
    if not ids or ids[0] == 0 or p.span_entities(ids) or fold(p.t[ids[0]].lemma) not in lex.folded("document_nouns") \
            or p.kids(ids[0], "nmod", "prep", "acl"):  # "selon les informations de la préfecture": the prefecture
        return False
    det = p.t[ids[0] - 1]  # trimmed off the phrase
    return p.lowered[det.i] in lex.folded("definite_determiners") or "Poss=Yes" in det.morph


def _can_speak(p: Parse, ids: list[int], lex: Lexicon) -> bool:
    """A phrase that may hold a view: a name, a pronoun, or a noun of people, groups or documents."""
    if not ids:
        return False
    if any(e.label in ("PER", "ORG") for e in p.span_entities(ids)) or p.t[ids[0]].pos == "PRON":
        return True
    nouns = speaker_nouns(lex) | lex.folded("person_nouns")
    return any(p.t[k].pos == "PROPN" or (p.t[k].pos == "NOUN" and (fold(p.t[k].lemma) in nouns or p.t[k].text[:1].isupper()))
               for k in ids[:4])  # "la FUB", tagged as a common noun


def by_label(p: Parse, lex: Lexicon, title: bool = False) -> Found | None:
    """"PENCE: Gennifer Flowers will not …", "Jean Dupont : « … »": a line that opens with a speaker's name
    and a colon is what that speaker says (transcripts, interviews). Only a person or an organisation
    labels speech: "France : encore un suicide" names a place, which never speaks. A headline's label is
    often its topic ("Greenpeace : la police arrête trois militants"): there only a person ("Ann Fowler: …") or a
    document ("Poll: …", "Étude : …") speaks."""
    colon = next((k for k, t in enumerate(p.t[:6]) if t.text == ":"), None)
    if colon is None or colon == 0:
        return None  # (the parser often cuts "PENCE:" off as a sentence of its own: it labels what follows)
    label = p.t[:colon]
    if title and colon == 1 and fold(label[0].lemma) in lex.folded("document_nouns"):
        return Found(kind="selon", cue=":", cue_start=p.t[colon].start, sources=[label[0].text], stance="report")
    if not all(t.text[:1].isupper() or t.pos == "PUNCT" for t in label):
        return None
    names = [e for e in p.span_entities(list(range(colon))) if e.label in (("PER",) if title else ("PER", "ORG"))
             and e.end <= p.t[colon].start]
    shouted = not title and all(t.text.isupper() and len(t.text) > 1 for t in label if t.pos != "PUNCT")
    if not names and not shouted:
        return None
    if any(e.label == "LOC" for e in p.span_entities(list(range(colon)))):
        return None
    who = names[0].text if names else p.text(list(range(colon)))
    return Found(kind="quote", cue=":", cue_start=p.t[colon].start, sources=[who], stance="assert")
