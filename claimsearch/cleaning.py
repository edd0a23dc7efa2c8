"""Article → CleanArticle: undo what scraping and machine translation broke, and say what changed.

Each fixer proposes `Repair(kind, start, end, before, after)` on the raw text; `clean` keeps them
sorted and non-overlapping, so the clean text can be rebuilt from the raw one and every clean
offset mapped back (`CleanArticle.raw_offset`). A fixer acts only on strong evidence: a false
split damages good text, while a missed one only leaves bad text as it was. Lines the scraper kept
from the page around the article (teasers, share buttons, cookie banners, photo credits, the title
again, the page id) are repairs too, whose `after` is empty: they never reach the claims, and
`extract --explain` lists them.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from . import glued
from .lang import load_lang
from .models import Article, CleanArticle, Repair
from .folding import fold

DATA = Path(__file__).parent / "data" / "cleaning.json"

SPACES = "\u00a0\u202f\u2007\u2009\u200a"  # no-break and thin spaces: French typography's, read as plain spaces
INVISIBLE = "\u200b\u2060\ufeff"
JOINERS = "\u200c\u200d"  # meaningful between two letters of Indic or Arabic script, and inside emoji
CHAR = re.compile(f"[\u00ad{SPACES}{INVISIBLE}{JOINERS}]")

LETTERS = re.compile(r"[^\W\d_]+")
LAST_LETTERS = re.compile(r"[^\W\d_]+$")
URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                 r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|info|io|fr|uk|de|be|ch|ca|eu)\b", re.IGNORECASE)
NOT_A_WORD_EDGE = frozenset("-‐‑/@_\\#.&+=~" + CHAR.pattern[1:-1])  # a word touching these is part of something else
NOT_A_WORD_END = NOT_A_WORD_EDGE - {"."}
CLOSERS_AFTER = set(".,;:!?)]…")
NO_SPACE_BEFORE = set(".,)]…")  # French typography spaces before ; : ! ? but not before these

PARAGRAPH = re.compile(r"\S(?:.*\S)?(?:\n(?!\s*\n).*\S)*")  # a block of text between blank lines
SENTENCE_END = set(".!?…:;»”\"')]")
WRAP_MAX = 100  # a hard-wrapped paragraph: lines of one width, at most this long (e-mail, plain-text feeds)
LEFTOVER_KINDS = ("slug-title", "repeated-title", "page-id", "teaser", "cookie-banner", "photo-credit", "share-buttons")
LEFTOVER_MAX = 250  # a leftover line is short; a longer one is the article's own text
WORD = glued.WORD


class Leftovers(BaseModel):
    """The "leftovers" of data/cleaning.json: what the lines a scraper keeps from the page look like."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    teaser: list[str]
    cookie: list[str]
    credit: list[str]
    share_words: list[str]
    share_verbs: list[str]
    networks: list[str]


@cache
def _leftovers() -> tuple[Leftovers, dict[str, re.Pattern]]:
    data = Leftovers.model_validate(json.loads(DATA.read_text(encoding="utf-8"))["leftovers"])
    starts = {kind: re.compile(r"^[\W_]{0,3}(?:" + "|".join(getattr(data, kind)) + ")", re.IGNORECASE)
              for kind in ("teaser", "cookie", "credit")}
    return data, starts


@cache
def _abbreviations(lang: str) -> frozenset[str]:
    return frozenset(a.lower() for a in load_lang(lang).abbreviations)


def _char_repairs(text: str) -> Iterator[Repair]:
    for m in CHAR.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "\u00ad":
            yield Repair(kind="soft-hyphen", start=i, end=i + 1, before=ch, after="")
        elif ch in SPACES:
            yield Repair(kind="nbsp", start=i, end=i + 1, before=ch, after=" ")
        elif ch in JOINERS and _joins(text, i):
            continue
        else:
            yield Repair(kind="zero-width", start=i, end=i + 1, before=ch, after="")


def _wrap_repairs(text: str) -> Iterator[Repair]:
    """A line break inside a paragraph that cuts a sentence: "Mike\nPence" was one name before the
    text was wrapped, and spaCy reads a line break as a boundary.

    Only where the line ends mid-sentence and the paragraph is hard-wrapped (3 lines or more of
    one width) or the next line goes on in lowercase: one paragraph per line with a title on the
    first, a common layout, keeps its breaks.
    """
    for m in PARAGRAPH.finditer(text):
        lines = m.group().split("\n")
        if len(lines) < 2:
            continue
        widths = [len(line.rstrip()) for line in lines[:-1]]
        wrapped = len(lines) >= 3 and max(widths) <= WRAP_MAX and min(widths) >= 0.6 * max(widths)
        pos = m.start()
        for line, following in zip(lines, lines[1:]):
            brk, pos = pos + len(line), pos + len(line) + 1
            tail = line.rstrip()
            if tail[-1:] in SENTENCE_END or not (wrapped or following.lstrip()[:1].islower()):
                continue
            yield Repair(kind="line-break", start=brk, end=brk + 1, before="\n", after="" if tail.endswith("-") else " ")


def _joins(text: str, i: int) -> bool:
    """A joiner between two non-ASCII, non-space characters shapes them (Devanagari, emoji): keep it."""
    left, right = text[i - 1:i], text[i + 1:i + 2]
    return all(c and not c.isspace() and not c.isascii() for c in (left, right))


def _slug_repairs(text: str) -> Iterator[Repair]:
    """The line after the title that repeats it stripped of accents and punctuation (a URL slug)."""
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    if len(lines) < 2:
        return
    (_, title), (start, line) = lines[0], lines[1]
    title_words, line_words = fold(title).split(), fold(line).split()
    if len(line_words) < 3 or len(line_words) < len(title_words) / 2 or title_words[:len(line_words)] != line_words:
        return
    end = start + len(line)
    if len(lines) > 2:
        end = lines[2][0]  # the slug and the blank line after it
    else:
        start = lines[0][0] + len(title)
    yield Repair(kind="slug-title", start=start, end=end, before=text[start:end], after="")


def _quote_repairs(text: str) -> Iterator[Repair]:
    """Guillemets written the wrong way round, where the pairing leaves no doubt (fr-03's `guerre« .`)."""
    for line in re.finditer(r"[^\n]+", text):
        s, base = line.group(), line.start()
        marks = [m.start() for m in re.finditer("[«»]", s)]
        depth = 0
        for n, i in enumerate(marks):
            prev, nxt, next_mark = s[i - 1:i], s[i + 1:i + 2], s[marks[n + 1]] if n + 1 < len(marks) else ""
            if s[i] == "«" and depth and prev and not prev.isspace() and prev not in "([«“\"'" and (
                    not nxt or nxt.isspace() or nxt in CLOSERS_AFTER):
                # a closing mark: a quote is open, and this one is glued to its last word
                end = i + 2 if nxt.isspace() and s[i + 2:i + 3] in NO_SPACE_BEFORE else i + 1  # `guerre« .`
                glued = GLUED_AFTER_BROKEN.match(s, i)  # `mal-formé«.Pour`: the sentence after it glued on too
                after = " »" + (s[end:glued.end()] + " " if glued and glued.end() > end else "")
                end = max(end, glued.end()) if glued else end
                yield Repair(kind="broken-quote", start=base + i, end=base + end, before=s[i:end], after=after)
                depth -= 1
            elif s[i] == "«":
                depth += 1
            elif depth:
                depth -= 1
            elif (not prev or prev.isspace() or prev in "([") and next_mark == "»" and (
                    nxt.isalnum() or (nxt.isspace() and s[i + 2:i + 3].isalnum())):
                # an opening mark: nothing is open, it starts a word and the next mark closes
                end = i + 2 if nxt.isspace() else i + 1
                yield Repair(kind="broken-quote", start=base + i, end=base + end, before=s[i:end], after="« ")
                depth += 1


def _sentence_repairs(text: str, lang: str, urls: list[tuple[int, int]]) -> Iterator[Repair]:
    """`president.In the Green Party`: a sentence glued to the next where markup was dropped."""
    for m in re.finditer(r"(?<=[^\W\d_])\.(?=[^\W\d_])", text):
        dot = m.start()
        left = LAST_LETTERS.search(text, max(0, dot - 60), dot)
        right = LETTERS.match(text, dot + 1)
        start, end = left.start(), right.end()
        lw, rw = left.group(), right.group()
        if not (len(lw) >= 2 and lw[-1].islower() and len(rw) >= 2 and rw[0].isupper() and rw[1].islower()):
            continue
        before, after = text[start - 1:start], text[end:end + 1]
        if before in NOT_A_WORD_EDGE or before.isdigit() or after in NOT_A_WORD_END or (
                after == "." and text[end + 1:end + 2].isalnum()) or _inside(urls, start, end):
            continue  # initials (J.R.), paths, domains (example.Com.au), addresses
        if f"{lw}.".lower() in _abbreviations(lang):
            continue  # Mr.Smith is a title, not a sentence end
        yield Repair(kind="glued-sentence", start=start, end=end, before=text[start:end], after=f"{lw}. {rw}")


GLUED_AFTER_QUOTE = re.compile(r"(?:[»”]\s?[.!?…]|[.!?…]\s?[»”])(?=[A-ZÀ-Ý][a-zà-ÿ])")
GLUED_AFTER_BROKEN = re.compile(r"«\s?[.!?…](?=[A-ZÀ-Ý][a-zà-ÿ])")  # the same after a closing mark written «


def _quote_end_repairs(text: str) -> Iterator[Repair]:
    """`interdire ».Pour le collectif`: a quotation's end glued to the next sentence where markup was dropped."""
    for m in GLUED_AFTER_QUOTE.finditer(text):
        yield Repair(kind="glued-sentence", start=m.start(), end=m.end(), before=m.group(), after=m.group() + " ")


def _leftover_repairs(article: Article) -> Iterator[Repair]:
    """Lines a scraper kept from the page around the article, each removed with one line break run: the
    one after it, or the one before it for the lines that end the text."""
    text = article.text
    lines = [m.span() for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    kinds = [None] + [_leftover_kind(text[a:b].strip(), article, last=n == len(lines) - 1)
                      for n, (a, b) in enumerate(lines[1:], 1)]
    tail = len(lines)
    while tail > 1 and kinds[tail - 1]:
        tail -= 1  # lines[tail:] are all leftovers: each takes the break before it
    for n, ((start, end), kind) in enumerate(zip(lines, kinds)):
        if kind:
            start, end = (len(text[:start].rstrip()), end) if n >= tail else _line_and_break(text, start, end)
            yield Repair(kind=kind, start=start, end=end, before=text[start:end], after="")


def _leftover_kind(line: str, article: Article, last: bool) -> str | None:
    if len(line) > LEFTOVER_MAX:
        return None
    data, starts = _leftovers()
    words, title = fold(line).split(), fold(article.title).split()
    if len(words) >= 3 and 2 * len(words) >= len(title) and words == title[:len(words)]:
        return "repeated-title"  # the title again, whole or cut as a slug
    if last and line in _page_ids(article) and any(ch.isdigit() for ch in line):
        return "page-id"
    if starts["teaser"].match(line):
        return "teaser"
    if starts["cookie"].match(line):
        return "cookie-banner"
    if starts["credit"].match(line) and len(words) <= 15:
        return "photo-credit"
    if words and set(words) <= _folded(tuple(data.share_words)) and (
            set(words) & _folded(tuple(data.share_verbs)) or len(set(words) & _folded(tuple(data.networks))) >= 2):
        return "share-buttons"
    return None


def _page_ids(article: Article) -> set[str]:
    """The names a page id goes by: the article's id, its last part ('seed/fr-03' → 'fr-03'), the file's stem."""
    return {article.id, article.id.rsplit("/", 1)[-1], *([Path(article.path).stem] if article.path else [])}


@cache
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(part for w in words for part in fold(w).split())


def _line_and_break(text: str, start: int, end: int) -> tuple[int, int]:
    gap = re.compile(r"(?:[ \t]*\n)+").match(text, end)
    return start, gap.end() if gap else end


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _word_repairs(text: str, lang: str, urls: list[tuple[int, int]]) -> Iterator[Repair]:
    """Words glued where markup was dropped (`Poutineà`, `Parisque`, `Trumpand`): see glued.py."""
    evidence = glued.Evidence.of(text)
    for m in WORD.finditer(text):
        token, start, end = m.group(), m.start(), m.end()
        if len(token) < 4 or not _standalone(text, start, end) or _inside(urls, start, end) or (
                glued.stays_whole(token, lang, evidence)):
            continue  # words, parts of addresses, hyphenated words, numbers with units stay whole
        fixed = glued.split(token, lang, evidence, _beside_a_name(text, start, end))
        if fixed:
            yield Repair(kind="glued-words", start=start, end=end, before=token, after=fixed)


def _beside_a_name(text: str, start: int, end: int) -> bool:
    """A capitalised word next to this one, not at a sentence's start: `Rayshard Brooks`, `Milltech Marine`."""
    before = text[max(0, start - 40):start]
    previous = re.search(r"([^\W\d_]+)[ ]+$", before)
    following = re.match(r"[ ]+([^\W\d_]+)", text[end:end + 40])
    mid_sentence = previous is not None and not re.search(r"[.!?:;\n«\"“(—–-]\s*$", before[:previous.start(1)] or "\n")
    return bool((previous and mid_sentence and previous.group(1)[0].isupper()) or (following and following.group(1)[0].isupper()))


def _standalone(text: str, start: int, end: int) -> bool:
    before, after = text[start - 1:start], text[end:end + 1]
    return not (before in NOT_A_WORD_EDGE or before.isdigit() or after in NOT_A_WORD_END
                or after.isdigit() or (after == "." and text[end + 1:end + 2].isalnum()))


def _resolve(candidates: list[list[Repair]]) -> tuple[Repair, ...]:
    """Keep the repairs that overlap none already kept, most structural first; sort by position."""
    kept: list[Repair] = []
    taken: set[int] = set()
    for group in candidates:
        for r in group:
            span = range(r.start, r.end)
            if r.start < r.end and not any(p in taken for p in span):
                kept.append(r)
                taken.update(span)
    return tuple(sorted(kept, key=lambda r: r.start))


def apply_repairs(text: str, repairs: tuple[Repair, ...]) -> str:
    """Replay sorted, non-overlapping repairs on the raw text (what `clean` did, step by step)."""
    parts, pos = [], 0
    for r in repairs:
        parts += [text[pos:r.start], r.after]
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)


def clean(article: Article) -> CleanArticle:
    """The article with its text repaired, and the list of repairs that leads back to the raw text."""
    text, lang = article.text, article.lang
    urls = [m.span() for m in URL.finditer(text)]
    repairs = _resolve([
        list(_slug_repairs(text)),
        list(_leftover_repairs(article)),
        list(_quote_repairs(text)),
        list(_sentence_repairs(text, lang, urls)),
        list(_quote_end_repairs(text)),
        list(_word_repairs(text, lang, urls)),
        list(_char_repairs(text)),
        list(_wrap_repairs(text)),
    ])
    return CleanArticle(article=article, text=apply_repairs(text, repairs), repairs=repairs)
