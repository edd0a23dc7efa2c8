"""The values that cross stage borders. Frozen, so a stage can never edit its input in place."""
from __future__ import annotations

import datetime
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["fr", "en"]
Scope = Literal["sentence", "context", "article", "none"]
SentenceKind = Literal["title", "body", "heading", "slug", "dateline", "caption", "question", "label", "id",
                       "signature"]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(Model):
    """An article as read from disk: decoded text, before any repair."""

    id: str
    title: str
    text: str  # title line, blank line, paragraphs separated by blank lines
    lang: Lang
    date: datetime.date | None = None  # when it was published, when known
    url: str | None = None
    source_name: str | None = None  # the outlet that published it, when known
    path: str | None = None
    warnings: tuple[str, ...] = ()  # guesses made while reading (encoding, language)


class Repair(Model):
    """One change made by cleaning; offsets point into the raw `Article.text`."""

    kind: str  # glued-words | broken-quote | slug-title | soft-hyphen | nbsp | zero-width | glued-sentence | line-break
    # | alias; lines a scraper left, removed: repeated-title | page-id | teaser | cookie-banner | photo-credit | share-buttons
    start: int
    end: int
    before: str
    after: str


class CleanArticle(Model):
    """The repaired text, with the repairs that lead back to the raw text."""

    article: Article
    text: str
    repairs: tuple[Repair, ...] = ()

    def raw_offset(self, offset: int) -> int:
        """Map an offset in the cleaned text back to the raw text (for highlighting in context)."""
        shift = 0
        for r in self.repairs:
            clean_start = r.start + shift
            if offset < clean_start:
                break
            if offset < clean_start + len(r.after):
                return r.start + min(offset - clean_start, len(r.before))
            shift += len(r.after) - len(r.before)
        return offset - shift


class Token(NamedTuple):
    """A parsed token; `head` is an index into the sentence's tokens, `start` an offset in the clean text.

    A named tuple rather than a model: an article has thousands, they are built from spaCy's already
    typed values, and a tuple is immutable too (a pydantic model here cost a third of the split stage)."""

    i: int
    text: str
    start: int
    lemma: str
    pos: str
    dep: str
    head: int
    morph: str = ""
    ent_type: str = ""
    space: bool = True


class Entity(Model):
    text: str
    label: str  # PER | ORG | LOC | MISC (spaCy's labels, English ones mapped onto these)
    start: int
    end: int


class Sentence(Model):
    index: int
    start: int  # offsets in the clean text
    end: int
    text: str
    paragraph: int
    kind: SentenceKind = "body"
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()


class Attribution(Model):
    """Who asserts a sentence and how. `sources == ()` is the newspaper's own voice."""

    kind: str = "none"  # selon | verb | quote | document | article | context | none
    sources: tuple[str, ...] = ()
    source_text: str | None = None  # the source as written
    cue: str | None = None
    scope: Scope = "none"
    speaker: str | None = None
    quote: str | None = None
    stance: str | None = None  # assert | confirm | deny | admit | allege | report | question
    conditional: bool = False  # the reported conditional: "aurait", "serait"


class Claim(Model):
    """One sentence that asserts something, with who asserts it and where it was read (its provenance:
    the article's title, date, URL, file and outlet, so that a fact-checker can cite it)."""

    id: str  # stable: hash of article id, offsets and text
    article_id: str
    title: str
    lang: Lang
    date: datetime.date | None = None  # the article's publication date
    url: str | None = None
    path: str | None = None
    source_name: str | None = None  # the outlet
    text: str
    start: int
    end: int
    sentence: int
    kind: str = "none"
    sources: tuple[str, ...] = ()
    source_text: str | None = None
    scope: Scope = "none"
    cue: str | None = None
    speaker: str | None = None
    quote: str | None = None
    stance: str | None = None
    conditional: bool = False
    entities: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # every other written form of the sources and entities


class ExtractedArticle(Model):
    """What `extract` returns: the article, its claims, and what cleaning repaired."""

    article: Article
    claims: tuple[Claim, ...]
    repairs: tuple[Repair, ...] = ()
    # the claims' vectors (`vectors.article_vectors`) when computed beside the parse (for indexing,
    # and in claim shards, as base64); the indexer computes them when they are missing
    vectors: bytes = Field(b"", repr=False)

    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")


class Hit(Claim):
    score: float
    highlight: str | None = None  # the claim text with matched words marked
    also_in: tuple[str, ...] = ()  # grouped search: the other articles that say the same (near-duplicates folded in)
