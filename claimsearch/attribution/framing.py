"""The article's framing: a title "…, selon le WSJ" attributes the lead's unattributed sentences."""
from __future__ import annotations

from ..folding import fold
from ..models import Attribution, Sentence
from ..normalise import find_aliases


def frame_article(claims_at: list[Sentence], found: dict[int, Attribution], sentences: list[Sentence],
                  demands: set[int] = frozenset(), openers: set[int] = frozenset()) -> None:
    """A title "…, selon le WSJ" frames the lead: its unattributed sentences carry the report's content,
    from the first paragraph up to the last one (before any section heading) that names the report again.
    A demand the lead reports ("Poutine a demandé à X de …") is an event of that report, so the frame wins."""
    title = next((s for s in claims_at if s.kind == "title"), None)
    frame = found.get(title.index) if title else None
    if not frame or frame.kind not in ("selon", "document") or not frame.sources:
        frame_lead(claims_at, found, openers)
        return
    names = {fold(n) for n in frame.sources}
    for n in frame.sources:
        for _, _, canon in find_aliases(n):
            names.add(fold(canon))
    first_heading = min((s.paragraph for s in sentences if s.kind == "heading"), default=10 ** 6)
    last = 1
    for s in sentences:
        if 0 < s.paragraph < first_heading and s.kind == "body":
            mentioned = {fold(c) for _, _, c in find_aliases(s.text)} | {fold(e.text) for e in s.entities}
            if names & mentioned or any(n in fold(s.text) for n in names):
                last = max(last, s.paragraph)
    for s in claims_at:
        if s.kind == "body" and 0 < s.paragraph <= last and (s.index not in found or s.index in demands):
            found[s.index] = frame.model_copy(update={"kind": "article", "scope": "article", "speaker": None,
                                                      "quote": None})


def frame_lead(claims_at: list[Sentence], found: dict[int, Attribution], openers: set[int]) -> None:
    """A lead that opens on its source ("Selon une étude de l'Insee publiée mardi, le chômage a reculé.") frames
    the rest of its paragraph: the sentences after it that name no source of their own carry the study's content.
    `openers` are the sentences whose marker comes before their main verb (`opens_on`)."""
    body = [s for s in claims_at if s.kind == "body"]
    lead = found.get(body[0].index) if body else None
    if not lead or lead.kind not in ("selon", "document") or not lead.sources:
        return
    if lead.kind == "selon" and body[0].index not in openers:
        return
    for s in body[1:]:
        if s.paragraph != body[0].paragraph:
            return
        if s.index not in found:
            found[s.index] = lead.model_copy(update={"kind": "article", "scope": "article", "speaker": None, "quote": None})


def opens_on(sentence: Sentence, cue: str | None) -> bool:
    """A marker before the main verb frames what follows ("Selon le décompte, X. Y."); one after it ("La crue a
    fait 12 morts selon le décompte.") qualifies its own clause only."""
    root = next((t.i for t in sentence.tokens if t.dep.lower() == "root"), None)
    first = fold(cue or "").split()[:1]
    at = next((t.i for t in sentence.tokens if [fold(t.text)] == first), None)
    return root is None or at is None or at < root


def name_title_speaker(claims_at: list[Sentence], found: dict[int, Attribution], described: bool) -> None:
    """"Oslo mayor announces closure of zoo", then "Ingrid Vik, the mayor of Oslo, announced that …": a headline
    describes who the lead names, so a description nobody before it answers is the first source of the lead
    who reports with the same verb. `described`: the title's source is such a description."""
    title = next((s for s in claims_at if s.kind == "title"), None)
    att = found.get(title.index) if title else None
    if not described or not att or att.kind not in ("verb", "quote") or not att.cue:
        return
    stem = fold(att.cue)[:5]
    for s in claims_at:
        lead = found.get(s.index)
        if s.kind == "body" and lead and lead.kind in ("verb", "quote") and lead.cue and fold(lead.cue)[:5] == stem \
                and lead.sources and lead.sources[0][:1].isupper():
            found[title.index] = att.model_copy(update={"sources": lead.sources[:1]})
            return

