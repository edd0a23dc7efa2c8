"""Article → CleanArticle: undo what scraping and machine translation broke, and say what changed.

Each fixer proposes `Repair(kind, start, end, before, after)` on the raw text; `clean` keeps them
sorted and non-overlapping, so the clean text can be rebuilt from the raw one and every clean
offset mapped back (`CleanArticle.raw_offset`). A fixer acts only on strong evidence: a false
split damages good text, while a missed one only leaves bad text as it was.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wordfreq import zipf_frequency

from .lang import load_lang
from .models import Article, CleanArticle, Repair
from .normalise import fold, load_aliases

DATA = Path(__file__).parent / "data" / "cleaning.json"
OTHER = {"fr": "en", "en": "fr"}  # news borrows names and words from the other language

SPACES = "\u00a0\u202f\u2007\u2009\u200a"  # no-break and thin spaces: French typography's, read as plain spaces
INVISIBLE = "\u200b\u2060\ufeff"
JOINERS = "\u200c\u200d"  # meaningful between two letters of Indic or Arabic script, and inside emoji
CHAR = re.compile(f"[\u00ad{SPACES}{INVISIBLE}{JOINERS}]")

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
LETTERS = re.compile(r"[^\W\d_]+")
LAST_LETTERS = re.compile(r"[^\W\d_]+$")
URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                 r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|info|io|fr|uk|de|be|ch|ca|eu)\b", re.I)
NOT_A_WORD_EDGE = frozenset("-‐‑/@_\\#.&+=~" + CHAR.pattern[1:-1])  # a word touching these is part of something else
NOT_A_WORD_END = NOT_A_WORD_EDGE - {"."}
CLOSERS_AFTER = set(".,;:!?)]…")

PARAGRAPH = re.compile(r"\S(?:.*\S)?(?:\n(?!\s*\n).*\S)*")  # a block of text between blank lines
SENTENCE_END = set(".!?…:;»”\"')]")
WRAP_MAX = 100  # a hard-wrapped paragraph: lines of one width, at most this long (e-mail, plain-text feeds)

MIN_ZIPF = 3.0  # "frequent": fr "crimée" 3.7, "décision" 5.0; rare words and typos sit below 2


@dataclass(frozen=True)
class Names:
    """Capitalised words known as names, from the strongest evidence to the weakest."""

    here: frozenset[str]  # written as a word of their own elsewhere in this article ('Musk', 'Poutine')
    alone: frozenset[str]  # ... or a one-word name in the alias table ('Crimée', 'Tesla')
    known: frozenset[str]  # ... or any word of a name in the table ('Jinping' of 'Xi Jinping')


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def _alias_names() -> tuple[frozenset[str], frozenset[str]]:
    """Names from the alias table: the one-word forms ('Crimée', 'EspaceX'), and every capitalised word of
    every form ('Jinping' of 'Xi Jinping', but also 'Nord' of 'Corée du Nord', hence weaker evidence)."""
    whole: set[str] = set()
    words: set[str] = set()
    for forms in load_aliases().forms_of.values():
        for form in forms:
            found = [w for w in WORD.findall(form) if w[:1].isupper()]
            words.update(found)
            if found == [form]:
                whole.add(form)
    return frozenset(whole), frozenset(words)


@cache
def _abbreviations(lang: str) -> frozenset[str]:
    return frozenset(a.lower() for a in load_lang(lang)["abbreviations"])


def _zipf(word: str, lang: str) -> float:
    return zipf_frequency(word.lower().replace("’", "'"), lang)


def _known(word: str, lang: str) -> bool:
    return _zipf(word, lang) > 0 or _zipf(word, OTHER[lang]) > 0


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
                end = i + 2 if nxt.isspace() and s[i + 2:i + 3] in CLOSERS_AFTER else i + 1  # `guerre« .`
                yield Repair(kind="broken-quote", start=base + i, end=base + end, before=s[i:end], after=" »")
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


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _word_repairs(text: str, lang: str, urls: list[tuple[int, int]]) -> Iterator[Repair]:
    """Words glued by machine translation (`Poutineà`, `USAmais`), split on word-frequency evidence."""
    counts = Counter(m.group() for m in WORD.finditer(text))
    whole, words = _alias_names()
    here = frozenset(w for w in counts if w[:1].isupper())
    names = Names(here=here, alone=here | whole, known=here | words)
    for m in WORD.finditer(text):
        token, start, end = m.group(), m.start(), m.end()
        if len(token) < 4 or counts[token] > 1 or token in words or _known(token, lang) or not (
                _standalone(text, start, end)) or _inside(urls, start, end):
            continue  # known words, names seen twice, alias forms (EspaceX), addresses stay whole
        fixed = _split(token, lang, names, _case_means_name(text, start, end))
        if fixed:
            yield Repair(kind="glued-words", start=start, end=end, before=token, after=fixed)


def _standalone(text: str, start: int, end: int) -> bool:
    before, after = text[start - 1:start], text[end:end + 1]
    return not (before in NOT_A_WORD_EDGE or before.isdigit() or after in NOT_A_WORD_END
                or after.isdigit() or (after == "." and text[end + 1:end + 2].isalnum()))


def _case_means_name(text: str, start: int, end: int) -> bool:
    """Whether a capital here marks a lone name: not a sentence's first word, nor one word of a longer name
    (`Milltech Marine`, `Rayshard Brooks`), where a capitalised compound is as likely as a glued pair."""
    before = text[max(0, start - 40):start].rstrip(" ")
    if not before or before[-1] in ".!?:;\n«\"“(—–-":
        return False
    previous, following = LAST_LETTERS.search(before), re.match(r" +([^\W\d_]+)", text[end:end + 40])
    return not ((previous and previous.group()[0].isupper()) or (following and following.group(1)[0].isupper()))


def _split(token: str, lang: str, names: Names, lone_name: bool) -> str | None:
    """The token cut in two, or None. The whole token is unknown; the cut needs a case cue or a function word."""
    elisions = set(_data()["elisions"][lang])
    head, apostrophe, tail = (re.split(r"(['’])", token, maxsplit=1) + ["", ""])[:3]
    if apostrophe and head.lower() in elisions:  # d’Elonqui: look at what follows the elision
        fixed = _split(tail, lang, names, lone_name) if len(tail) >= 4 and not _known(tail, lang) else None
        return head + apostrophe + fixed if fixed else None
    if apostrophe and _known(head, lang):
        return None  # Bottoms's, aujourd'hui: the word before the apostrophe is whole
    best: tuple[tuple, int] | None = None
    for i in range(2, len(head)):
        left, right = head[:i], head[i:]
        elided = bool(apostrophe) and right.lower() in elisions and _zipf(tail, lang) > 0
        score = _cut_score(left, right, lang, names, elided, lone_name)
        if score and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return None
    i = best[1]
    return f"{head[:i]} {head[i:]}{apostrophe}{tail}"


def _cut_score(left: str, right: str, lang: str, names: Names, elided: bool, lone_name: bool) -> tuple | None:
    """How sure a cut between `left` and `right` is (higher is surer), or None when nothing supports it."""
    if not right.islower():
        return None  # a capital on the right is camel case (PlayStation, iPhone, DiCaprio): never cut there
    data = _data()
    function = elided or right in data["function_words"][lang]
    if len(right) == 1 and not elided and right not in data["short_ok"][lang]:
        return None
    left_freq = max(_zipf(left, lang), _zipf(left, OTHER[lang]))
    right_freq = 5.0 if elided else _zipf(right, lang)
    acronym = len(left) >= 2 and left.isupper()
    if acronym or (len(left) >= 3 and left[0].isupper() and left[1:].islower()):  # case cue: USA|mais, Crimée|décision
        if function and (elided or len(right) >= 4):
            ok = left in names.known or left_freq >= MIN_ZIPF or (acronym and left_freq > 1)
        elif function and len(right) == 3:  # qui, ils, que, les also end foreign names (Seiche|les): know the name
            ok = left in names.known or (acronym and left_freq >= MIN_ZIPF)
        elif function:  # à, en, se end many names (Liban|on, India|se): the name must be written alone here
            ok = left in names.here
        else:  # a content word: only after a name standing alone mid-sentence, and clearly of this language
            ok = (lone_name and left in names.alone and len(right) >= 4 and right_freq >= MIN_ZIPF + 1
                  and right_freq > _zipf(right, OTHER[lang]))
    elif left.islower():  # no case cue: only a frequent word followed by a function word (gouvernementqui)
        ok = function and len(left) >= 4 and len(right) >= 3 and _zipf(left, lang) >= MIN_ZIPF
    else:
        return None
    if not ok:
        return None
    return (function, min(5.0 if left in names.known else left_freq, right_freq))


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
        list(_quote_repairs(text)),
        list(_sentence_repairs(text, lang, urls)),
        list(_word_repairs(text, lang, urls)),
        list(_char_repairs(text)),
        list(_wrap_repairs(text)),
    ])
    return CleanArticle(article=article, text=apply_repairs(text, repairs), repairs=repairs)
