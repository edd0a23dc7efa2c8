"""list[Sentence] → list[Claim]: which sentences assert something, and according to whom.

One function per construction, each returning an `Attribution` tagged with its `kind`:
`by_marker` ("selon X", "according to X", "comme le révèle X"), `by_verb` (a reporting verb with its
subject: "X a confirmé au WSJ que", "explique-t-il", "said Smith"), and the quotations found over
the whole text (`find_quotes`), which give a speaker to the sentences they span. Then two passes
over the article: quotes that run over several sentences (scope `context`), and the article's
framing (a title "selon le WSJ" attributes the lead's unattributed sentences, scope `article`).
Names stay as written here; `normalise` makes them canonical.
"""
from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator

from ..folding import fold
from ..interviews import Turns
from ..lang import Lexicon, load_lang
from ..models import Article, Attribution, Claim, CleanArticle, Sentence
from ..normalise import find_aliases
from .cues import Found, by_incise, by_verb, conditional, verb_lemma
from .descriptions import Introductions
from .framing import frame_article, name_title_speaker, opens_on
from .headlines import by_headline
from .markers import by_label, by_marker
from .quotations import Quote, find_quotes, own_person, quote_parts, signed_blocks, signed_quotes, spread_quotes
from .recaps import by_recap
from .resolution import Memory, alias_types
from .sources import dedupe, phrase_sources, sources_named, speaker_nouns
from .syntax import SUBJECT_DEPS, Parse, is_actor, trim

__all__ = ["NOT_CLAIMS", "SUBJECT_DEPS", "Found", "Memory", "Parse", "Quote", "alias_types", "attribute", "by_marker",
           "by_verb", "claim_id", "conditional", "find_quotes", "is_actor", "own_person", "phrase_sources",
           "sources_named", "speaker_nouns", "trim", "verb_lemma"]

NOT_CLAIMS = {"slug", "heading", "dateline", "caption", "question", "label", "id", "signature"}


BATCH_CHARS = 32_000  # characters of sentences attributed together before their parses are dropped
WINDOW = 128_000  # a paragraph longer than this (a file without blank lines) is attributed in windows


def attribute(sentences: Iterable[Sentence], article: CleanArticle, batch_chars: int = BATCH_CHARS) -> list[Claim]:
    """Claims of an article with their attribution (names as written; `normalise` canonicalises them).

    The sentences may come one at a time (`sentences.parse`): they are attributed in batches of whole
    paragraphs, about `batch_chars` characters, cut only where no quotation runs on, and each batch's
    tokens and parses are dropped once read; what crosses batches is the memory of who was named, each
    sentence's attribution, and the sentences without their tokens (for the passes that look back over
    a paragraph or the lead). The claims are the same whatever `batch_chars` (tests/test_streaming.py),
    except in a paragraph longer than WINDOW characters, which no article has but a file without blank
    lines does: it is cut too, and a signature at its end ("… —Marie Durand") claims only its window."""
    meta = article.article
    lex = load_lang(meta.lang)
    quotes = find_quotes(article.text)
    memory = Memory()
    introductions = Introductions()
    described_names: dict[int, list[str]] = {}  # sentence → the names its definite descriptions stand for
    found: dict[int, Attribution] = {}
    seen: list[Sentence] = []  # every sentence so far, without its tokens
    claims_at: list[Sentence] = []  # the claim sentences so far, without their tokens
    conditionals: dict[int, bool] = {}
    kept: set[int] = set()  # claim sentences that are no question or fragment
    actors: dict[int, str] = {}  # who a claim's main clause is about, its pronoun resolved
    demands: set[int] = set()  # sentences reported only by a demand ("a demandé à X de …")
    described: set[int] = set()  # sentences whose source is a description nobody named before answers
    recaps: set[int] = set()  # "C'est ce qu'a déclaré X": the claim before is X's too
    openers: set[int] = set()  # "Selon X, …" before the main verb: a lead that frames its paragraph
    label: tuple[int, Attribution] | None = None  # "PENCE:" alone labels the rest of its paragraph
    turns = Turns(article.text)  # "((Ana Ruiz))  I started in 2010.": an interview's answers
    for batch, following, near in _batches(sentences, quotes, batch_chars):
        quoted: dict[int, list[Quote]] = {}
        done = len(claims_at)
        for n, s in enumerate(batch):
            p = Parse(s)
            parts = quote_parts(s, near)
            memory.documents_in(p, lex)
            if s.kind not in NOT_CLAIMS:
                claims_at.append(s)
                quoted[s.index] = parts
                att = _attribution(p, parts, batch[n + 1].text if n + 1 < len(batch) else following, lex, memory,
                                   demands, described, recaps)
                if att and att.cue == ":" and s.text.rstrip().endswith(":"):
                    label, att = (s.paragraph, att), None
                elif label and label[0] != s.paragraph:
                    label = None
                if att is None and label:
                    att = label[1].model_copy(update={"quote": s.text})
                turn = turns.speaker(s.start)
                if turn and (att is None or fold(att.source_text or "") in lex.folded("first_person")):
                    att = _answer(s, *turn, att)
                    memory.heard(s, list(att.sources), att.speaker, att.kind)
                if att:
                    found[s.index] = att
                if att and att.kind == "selon" and opens_on(s, att.cue):
                    openers.add(s.index)
                if att and s.index in recaps and len(claims_at) > 1 and claims_at[-2].index not in found:
                    found[claims_at[-2].index] = att.model_copy(update={"kind": "context", "scope": "context", "cue": None})
                conditionals[s.index] = conditional(p, lex)
                if not _is_question_or_fragment(s):
                    kept.add(s.index)
            described_names[s.index] = introductions.about(s, lex) + introductions.read(s, lex)
            memory.read(p, parts, article.text, lex, claim=s.kind not in NOT_CLAIMS)
            if s.index in memory.actors:
                actors[s.index] = memory.actors[s.index]
        # the passes look back over the batch's first paragraph and at the claim before the batch
        first = done
        while first > 0 and (first == done or claims_at[first - 1].paragraph == batch[0].paragraph):
            first -= 1
        signed_quotes(claims_at[first:], found, done - first)
        spread_quotes(claims_at[first:], found, quoted, article.text, memory.actors, lex.folded("first_person"),
                      done - first)
        light = {s.index: s.model_copy(update={"tokens": ()}) for s in batch}
        seen.extend(light.values())
        claims_at[done:] = [light[s.index] for s in claims_at[done:]]
    signed_blocks(seen, claims_at, found)
    frame_article(claims_at, found, seen, demands, openers)
    name_title_speaker(claims_at, found, any(s.kind == "title" and s.index in described for s in claims_at))
    return [_claim(s, found.get(s.index) or Attribution(), meta, conditionals[s.index], actors.get(s.index),
                   described_names.get(s.index, ()))
            for s in claims_at if s.index in kept]


def _batches(sentences: Iterable[Sentence], quotes: list[Quote],
             limit: int) -> Iterator[tuple[list[Sentence], str, list[Quote]]]:
    """Runs of whole paragraphs of about `limit` characters (a paragraph over WINDOW characters is cut
    at a sentence), each with the text of the sentence after it and the quotations that overlap it; a
    run ends where no quotation goes on into the next sentence."""
    starts = [q.start for q in quotes]
    ends = [q.end for q in quotes]
    batch: list[Sentence] = []
    size = 0

    def near() -> list[Quote]:
        return quotes[bisect.bisect_right(ends, batch[0].start):bisect.bisect_left(starts, batch[-1].end)]

    for s in sentences:
        if batch and size >= limit and (s.paragraph != batch[-1].paragraph or size >= WINDOW):
            last = bisect.bisect_left(starts, batch[-1].end) - 1  # the last quotation that opens in the run
            if last < 0 or ends[last] <= s.start:
                yield batch, s.text, near()
                batch, size = [], 0
        batch.append(s)
        size += len(s.text)
    if batch:
        yield batch, "", near()


def _attribution(p: Parse, parts: list[Quote], following: str, lex: Lexicon, memory: Memory,
                 demands: set[int], described: set[int], recaps: set[int]) -> Attribution | None:
    """The sentence's own attribution: a marker, or a reporting verb that governs the quotation.
    Sentences reported only by a demand are added to `demands`, those whose source is a description
    nobody answers to `described`, those that hand the claim before to their source to `recaps`."""
    s = p.s
    f = by_marker(p, lex)
    introduces = s.text.rstrip().endswith(":") and following.lstrip()[:1] in "«“\""
    v = by_verb(p, lex, parts, introduces) or by_incise(p, lex, parts) or by_headline(p, lex)
    if v and (f is None or v.governs_quote):
        f = v
    if not f and s.kind in ("body", "title"):
        f = by_label(p, lex, title=s.kind == "title")
    if not f and s.kind == "body":
        f = by_recap(p, lex)
        if f:
            recaps.add(s.index)
    if not f:
        return None
    sources = memory.sources_of(f, s, parts, lex)
    if not sources:
        return None
    speaker = sources[0] if (parts and f.kind in ("verb", "selon")) or f.kind == "quote" else None
    said = [q.text for q in parts] or [s.text[f.cue_start - s.start + 1:].strip()]  # "NAME: what they say"
    memory.heard(s, sources, speaker, f.kind)
    if f.directive:
        demands.add(s.index)
    if f.pronoun and sources == [f.pronoun]:
        described.add(s.index)
    return Attribution(
        kind="quote" if speaker else f.kind, sources=tuple(sources), source_text=f.pronoun or ", ".join(f.sources),
        cue=f.cue, scope="sentence", speaker=speaker,
        quote=" […] ".join(said) if speaker else None, stance=f.stance,
        conditional=conditional(p, lex))


def _answer(s: Sentence, speaker: str, first: bool, own: Attribution | None) -> Attribution:
    """A sentence of an interviewee's answer: their own words, the label on the turn's first line; "I
    think", "we expect" keep their cue and stance, the first person being the interviewee."""
    if own:
        return own.model_copy(update={"sources": (speaker,), "source_text": speaker, "speaker": speaker,
                                      "kind": "quote", "quote": s.text})
    return Attribution(kind="quote" if first else "context", sources=(speaker,), source_text=speaker,
                       scope="sentence" if first else "context", speaker=speaker, quote=s.text, stance="assert")


def _claim(s: Sentence, att: Attribution, meta: Article, conditional_: bool, actor: str | None = None,
           described: Iterable[str] = ()) -> Claim:
    """`actor`: who the main clause is about, a pronoun or description resolved ("She left the country"):
    the claim is about them too, as about the names its descriptions stand for ("the ship")."""
    entities = dedupe([e.text for e in s.entities] + [name for _, _, name in find_aliases(s.text)]
                      + ([actor] if actor else []) + list(described))
    return Claim(
        id=claim_id(meta.id, s.start, s.end, s.text), article_id=meta.id, title=meta.title, lang=meta.lang,
        date=meta.date, text=s.text, start=s.start, end=s.end, sentence=s.index, kind=att.kind,
        sources=att.sources, source_text=att.source_text, scope=att.scope, cue=att.cue, speaker=att.speaker,
        quote=att.quote, stance=att.stance, conditional=att.conditional or conditional_,
        entities=tuple(entities))


def claim_id(article_id: str, start: int, end: int, text: str) -> str:
    return hashlib.sha1(f"{article_id}\x1f{start}\x1f{end}\x1f{text}".encode()).hexdigest()[:16]


def _is_question_or_fragment(s: Sentence) -> bool:
    """A verbless piece that is short, or that does not even end like a sentence, asserts nothing."""
    words = [t for t in s.tokens if t.pos not in ("PUNCT", "SPACE")]
    if len(words) < 3:
        return True
    if s.kind == "title" or any(t.pos in ("VERB", "AUX") for t in s.tokens):
        return False
    return len(words) < 6 or not s.text.rstrip().endswith((".", "!", "»", "”", '"'))
