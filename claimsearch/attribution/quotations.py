"""Quotations: found over the whole text, given to the sentences they span, and carried over the sentences
that continue them (scope `context`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..folding import fold
from ..models import Attribution, Sentence
from .syntax import SUBJECT_DEPS, Parse

QUOTE_PAIRS = [("«", "»"), ("“", "”"), ('"', '"'), ("‘", "’")]
CLOSERS = (*(close for _, close in QUOTE_PAIRS[:3]), "''")  # (not "’", which is also the apostrophe)
DOUBLED = re.compile(r"(?:''|``)(?=\S)((?:(?!'')[^\n]){1,1500}?)''")  # wire and archive text: ''Yes,'' he said
MIXED_CLOSE = re.compile(r'“([^“”"\n]{1,3000}?)"(?!\w)')
MIXED_OPEN = re.compile(r'(?<!\w)"([^“”"\n]{1,3000}?)”')


@dataclass(frozen=True)
class Quote:
    start: int  # offsets of the quoted words, marks excluded, in the clean text
    end: int
    text: str


def find_quotes(text: str) -> list[Quote]:
    """Quoted passages of the whole text, which may run over several sentences.

    A short all-capitalised passage (« Wall Street Journal ») names something; it is not a quotation.
    Scraped text mixes its marks ("“Deals end here," he said): a curly mark and a straight one pair up first,
    so the straight one is not left to open a quotation over the words that follow.
    """
    text = MIXED_CLOSE.sub(lambda m: f"“{m.group(1)}”", text)  # same length: offsets hold
    text = MIXED_OPEN.sub(lambda m: f"“{m.group(1)}”", text)
    found: list[Quote] = []
    for opener, closer in QUOTE_PAIRS:
        if opener == closer:
            pattern = re.compile(r'"([^"\n]{1,1500}?)"')
        elif opener == "‘":
            pattern = re.compile(r"(?<!\w)‘([^‘’\n]{1,300}?)’(?!\w)")
        else:
            pattern = re.compile(re.escape(opener) + r"([^" + opener + closer + r"]{1,3000}?)" + re.escape(closer))
        for m in pattern.finditer(text):
            found.append(Quote(m.start(1), m.end(1), m.group(1)))
    for m in DOUBLED.finditer(text):
        found.append(Quote(m.start(1), m.end(1), m.group(1)))
    for m in re.finditer(r"(?<![\w'’])'(\w[^'\n]{0,80}?\w?)'(?![\w])", text):  # 'can' and 'may'
        found.append(Quote(m.start(1), m.end(1), m.group(1)))
    quotes = []
    for q in sorted(found, key=lambda q: q.start):
        words = q.text.strip(" ,.").split()
        if not words or (len(words) <= 4 and all(w[:1].isupper() for w in words)):
            continue
        if quotes and q.start < quotes[-1].end:
            continue
        lead = len(q.text) - len(q.text.lstrip())
        stripped = q.text.strip()
        quotes.append(Quote(q.start + lead, q.start + lead + len(stripped), stripped))
    return quotes


def quote_parts(sentence: Sentence, quotes: list[Quote]) -> list[Quote]:
    """The quotations that overlap a sentence."""
    return [q for q in quotes if q.start < sentence.end and q.end > sentence.start]


def opens_quote(p: Parse, i: int, quotes: list[Quote], introduces: bool) -> bool:
    """The verb is followed by ":" (or a comma) and a quotation, here or at the start of the next sentence."""
    after = p.t[i].start
    for q in quotes:
        if q.start > after:
            between = p.s.text[after - p.s.start:q.start - p.s.start]
            if re.search(r"[:,]\s*[«“\"]\s*$", between):
                return True
    return introduces


def spread_quotes(claims_at: list[Sentence], found: dict[int, Attribution], quoted: dict[int, list[Quote]],
                  text: str, actors: dict[int, str], first_person: frozenset[str], done: int = 0) -> None:
    """A quotation that runs over several sentences gives its speaker to the sentences without a cue
    (scope `context`); so does a quoted sentence that follows another quote of the same speaker, and
    direct speech that no cue introduces takes the speaker of its paragraph. `claims_at[:done]` were
    spread before (an earlier batch): only looked back at."""
    by_quote: dict[Quote, Attribution] = {}
    for s in claims_at[done:]:
        att = found.get(s.index)
        if att and att.speaker:
            for q in quoted.get(s.index, []):
                by_quote.setdefault(q, att)
    previous: Sentence | None = claims_at[done - 1] if done else None
    for s in claims_at[done:]:
        att = found.get(s.index)
        parts = quoted.get(s.index, [])
        if att is None and parts:
            owner = next((by_quote[q] for q in parts if q in by_quote), None)
            mostly_quoted = sum(min(q.end, s.end) - max(q.start, s.start) for q in parts) > 0.6 * (s.end - s.start)
            own = own_person(s, parts)
            if own:  # "Bruno Le Roux … est intervenu, trouvant le « procédé … »"
                owner = Attribution(kind="quote", sources=(own,), source_text=own, scope="sentence", speaker=own,
                                    stance="assert")
                found[s.index] = owner.model_copy(update={"quote": " […] ".join(q.text for q in parts)})
                previous = s
                continue
            if owner is None and mostly_quoted and previous is not None:
                prev = found.get(previous.index)
                ends = previous.text.rstrip()
                same_run = previous.paragraph == s.paragraph or ends.endswith(("»", "”", '"', "».", "”.", '".', ":"))
                if prev and same_run and prev.speaker:
                    owner = prev
                elif prev and prev.sources and (ends.endswith(":") or (
                        prev.kind == "verb" and previous.paragraph == s.paragraph and s.text[:1] in "«“\"")):
                    owner = prev.model_copy(update={"speaker": prev.sources[0]})  # "… a nuancé les chiffres. « … »"
            opens = parts[0].start - s.start <= 3
            told = mostly_quoted and not _own_clause(s, parts)  # not "il renvoya « toute la rédaction … »": a phrase quoted
            speech = any(len(q.text.split()) >= 4 and (told or opens or set(
                fold(q.text).replace("'", "' ").split()) & first_person) for q in parts)
            if owner is None and speech:  # direct speech, not a phrase quoted inside the newspaper's sentence
                owner = paragraph_speaker(s, claims_at, found, actors)
            if owner is not None:
                found[s.index] = owner.model_copy(update={
                    "kind": "context", "scope": "context", "cue": None,
                    "quote": " […] ".join(text[max(q.start, s.start):min(q.end, s.end)].strip(" «»“”\"") for q in parts)})
        previous = s


def _own_clause(s: Sentence, quotes: list[Quote]) -> bool:
    """The sentence's main verb and its subject stand outside the quotations: the newspaper's own clause."""
    def out(t) -> bool:
        return not any(q.start <= t.start < q.end for q in quotes)
    root = next((t for t in s.tokens if t.dep == "ROOT"), None)
    return root is not None and root.pos in ("VERB", "AUX") and out(root) and any(
        t.head == root.i and t.dep in SUBJECT_DEPS and out(t) for t in s.tokens)


def paragraph_speaker(s: Sentence, claims_at: list[Sentence], found: dict[int, Attribution],
                      actors: dict[int, str]) -> Attribution | None:
    """Who utters a quotation that no cue introduces: the last source of its paragraph, else whom the
    paragraph is about so far ("She left the band in 2010. « I never wanted to be famous … »")."""
    for prev in reversed(claims_at):  # back from s to its paragraph's start, not over the whole article
        if prev.index >= s.index:
            continue
        if prev.paragraph != s.paragraph:
            break
        att = found.get(prev.index)
        if att and att.sources:
            return att.model_copy(update={"speaker": att.speaker or att.sources[0]})
        if prev.index in actors:
            who = actors[prev.index]
            return Attribution(kind="context", sources=(who,), source_text=who, scope="context", speaker=who,
                               stance="assert")
    return None


def own_person(s: Sentence, quotes: list[Quote]) -> str | None:
    """The person who is the subject of the sentence's main verb, outside any quotation (or, when the
    parse finds no subject, a person who opens the sentence: "Bruno Le Roux, président …, est intervenu")."""
    root = next((t for t in s.tokens if t.dep == "ROOT"), None)
    first = s.entities[0] if s.entities else None
    if root is not None and not any(t.head == root.i and t.dep in SUBJECT_DEPS for t in s.tokens) and first \
            and first.label == "PER" and first.start == s.start and not any(q.start <= first.start < q.end for q in quotes):
        return first.text
    for t in s.tokens:
        if t.dep in SUBJECT_DEPS and s.tokens[t.head].dep == "ROOT" and not any(q.start <= t.start < q.end for q in quotes):
            for e in s.entities:
                if e.label == "PER" and e.start <= t.start < e.end:
                    return e.text
    return None


SIGNATURE = re.compile(r"\s[—–]\s?([A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){0,3})\s*(?:,\s*[^.!?,]{1,60})?\s*$")


def signed_quotes(claims_at: list[Sentence], found: dict[int, Attribution], done: int = 0) -> None:
    """A paragraph signed at its end ("… nous avons tenu bon —Marie Durand, infirmière") is the signer's
    words: the signed sentence is theirs (scope `sentence`), the unattributed ones before it continue it.
    `claims_at[:done]` were read before (an earlier batch): only the ones a signature may continue."""
    for s in claims_at[done:]:
        m = SIGNATURE.search(s.text)
        if not m or found.get(s.index) or s.text.rstrip().endswith((".", "!", "?")):
            continue  # a signature closes the paragraph without a full stop: "… —Marie Durand, infirmière"
        if not any(e.label == "PER" and e.text in m.group(1) for e in s.entities):
            continue
        who = m.group(1)
        found[s.index] = Attribution(kind="quote", sources=(who,), source_text=who, scope="sentence", speaker=who,
                                     quote=s.text[:m.start()].strip(), stance="assert")
        for prev in claims_at:
            if prev.paragraph == s.paragraph and prev.index < s.index and prev.index not in found:
                found[prev.index] = Attribution(kind="context", sources=(who,), source_text=who, scope="context",
                                                speaker=who, quote=prev.text, stance="assert")


def signed_blocks(sentences: list[Sentence], claims_at: list[Sentence], found: dict[int, Attribution]) -> None:
    """A block quotation has no marks: a paragraph after "Ann Fowler dismissed the appeal:" is signed on its
    own line below it ("– Judge Ann Fowler, ruling of 3 May", a sentence of kind `signature`). The paragraphs
    from that colon to the signature (at most three) are the signer's; without a colon, the signature captions
    a pull quote the page did not keep, and the text above it is the newspaper's."""
    claims_by_paragraph: dict[int, list[Sentence]] = {}
    for s in claims_at:
        claims_by_paragraph.setdefault(s.paragraph, []).append(s)
    ends = {s.paragraph: s.text for s in sentences}  # each paragraph's last sentence
    signatures: dict[int, list[Sentence]] = {}
    for s in sentences:
        if s.kind == "signature":
            signatures.setdefault(s.paragraph, []).append(s)
    for paragraph, signed in signatures.items():
        name = " ".join(s.text for s in signed).lstrip("–— ").split(",")[0].strip()
        who = next((e.text for s in signed for e in s.entities if e.label == "PER" and e.text in name), name)
        block, p = [], paragraph - 1
        while p in claims_by_paragraph and len(block) < 3:
            block.append(p)
            if ends.get(p - 1, "").rstrip().endswith(":"):
                break
            p -= 1
        else:
            continue  # no colon announced it: the caption of a pull quote the page left out, not of the text above
        for s in (s for p in block for s in claims_by_paragraph[p] if s.index not in found):
            found[s.index] = Attribution(kind="context", sources=(who,), source_text=who, scope="context",
                                         speaker=who, quote=s.text, stance="assert")
