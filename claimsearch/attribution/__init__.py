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

import hashlib

from ..lang import Lexicon, load_lang
from ..models import Article, Attribution, Claim, CleanArticle, Sentence
from ..normalise import find_aliases
from .cues import Found, by_verb, conditional, verb_lemma
from .framing import frame_article
from .markers import by_label, by_marker
from .quotations import signed_quotes
from .quotations import Quote, find_quotes, own_person, quote_parts, spread_quotes
from .resolution import Memory, alias_types
from .sources import dedupe, phrase_sources, sources_named, speaker_nouns
from .syntax import SUBJECT_DEPS, Parse, is_actor, trim

__all__ = ["NOT_CLAIMS", "SUBJECT_DEPS", "Found", "Memory", "Parse", "Quote", "alias_types", "attribute", "by_marker",
           "by_verb", "claim_id", "conditional", "find_quotes", "is_actor", "own_person", "phrase_sources",
           "sources_named", "speaker_nouns", "trim", "verb_lemma"]

NOT_CLAIMS = {"slug", "heading", "dateline", "caption", "question", "label", "id"}


def attribute(sentences: list[Sentence], article: CleanArticle) -> list[Claim]:
    """Claims of an article with their attribution (names as written; `normalise` canonicalises them)."""
    meta = article.article
    lex = load_lang(meta.lang)
    quotes = find_quotes(article.text)
    memory = Memory()
    found: dict[int, Attribution] = {}
    quoted: dict[int, list[Quote]] = {}
    claims_at: list[Sentence] = []
    parses: dict[int, Parse] = {}
    label: tuple[int, Attribution] | None = None  # "PENCE:" alone labels the rest of its paragraph
    for s in sentences:
        p = parses[s.index] = Parse(s)
        parts = quote_parts(s, quotes)
        if s.kind not in NOT_CLAIMS:
            claims_at.append(s)
            quoted[s.index] = parts
            following = sentences[s.index + 1].text if s.index + 1 < len(sentences) else ""
            att = _attribution(p, parts, following, lex, memory)
            if att and att.cue == ":" and s.text.rstrip().endswith(":"):
                label, att = (s.paragraph, att), None
            elif label and label[0] != s.paragraph:
                label = None
            if att is None and label:
                att = label[1].model_copy(update={"quote": s.text})
            if att:
                found[s.index] = att
        memory.read(p, parts, article.text, lex, claim=s.kind not in NOT_CLAIMS)
    signed_quotes(claims_at, found)
    spread_quotes(claims_at, found, quoted, article.text, memory.actors, lex.folded("first_person"))
    frame_article(claims_at, found, sentences)
    return [_claim(s, found.get(s.index) or Attribution(), meta, parses[s.index], lex)
            for s in claims_at if not _is_question_or_fragment(s)]


def _attribution(p: Parse, parts: list[Quote], following: str, lex: Lexicon, memory: Memory) -> Attribution | None:
    """The sentence's own attribution: a marker, or a reporting verb that governs the quotation."""
    s = p.s
    f = by_marker(p, lex)
    introduces = s.text.rstrip().endswith(":") and following.lstrip()[:1] in "«“\""
    v = by_verb(p, lex, parts, introduces)
    if v and (f is None or v.governs_quote):
        f = v
    if not f and s.kind == "body":
        f = by_label(p)
    if not f:
        return None
    sources = memory.sources_of(f, s, parts, lex)
    if not sources:
        return None
    speaker = sources[0] if (parts and f.kind in ("verb", "selon")) or f.kind == "quote" else None
    said = [q.text for q in parts] or [s.text[f.cue_start - s.start + 1:].strip()]  # "NAME: what they say"
    memory.heard(s, sources, speaker, f.kind)
    return Attribution(
        kind="quote" if speaker else f.kind, sources=tuple(sources), source_text=f.pronoun or ", ".join(f.sources),
        cue=f.cue, scope="sentence", speaker=speaker,
        quote=" […] ".join(said) if speaker else None, stance=f.stance,
        conditional=conditional(p, lex))


def _claim(s: Sentence, att: Attribution, meta: Article, p: Parse, lex: Lexicon) -> Claim:
    entities = dedupe([e.text for e in s.entities] + [name for _, _, name in find_aliases(s.text)])
    return Claim(
        id=claim_id(meta.id, s.start, s.end, s.text), article_id=meta.id, title=meta.title, lang=meta.lang,
        date=meta.date, text=s.text, start=s.start, end=s.end, sentence=s.index, kind=att.kind,
        sources=att.sources, source_text=att.source_text, scope=att.scope, cue=att.cue, speaker=att.speaker,
        quote=att.quote, stance=att.stance, conditional=att.conditional or conditional(p, lex),
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
