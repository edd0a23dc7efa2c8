"""Title Case headlines recased for the parser, from the article's own usage.

English outlets capitalise every word of a headline ("Mayor Says Bridge Will Reopen Soon"), and the
tagger then reads runs of capitals as names ("Mayor Says Bridge Will", "Will Reopen"). The body of the
same article writes each word as it is: a word it writes in lower case ("the mayor said the bridge …")
is a common word, one it capitalises inside sentences ("Ann Fowler") a name. The parser gets the
headline in sentence case; the text keeps its capitals (same length, so offsets hold)."""
from __future__ import annotations

import re
from functools import cache

WORD = re.compile(r"[^\W\d_][\w'’.-]*")
SENTENCE_START = re.compile(r"(?:^|[.!?»”\"]\s+|\n)$")


def sentence_cased(title: str, body: str, lang: str) -> str:
    """`title` with the capitalised words the body writes in lower case lowered, when the title is in
    Title Case (most of its longer words after the first capitalised); other titles come back as they are.
    A word the body never writes is lowered when it is common (`_common`)."""
    words = list(WORD.finditer(title))[1:]
    longer = [m.group() for m in words if len(m.group()) >= 4]
    capitals = [w for w in longer if w[0].isupper()]
    if len(capitals) < 2 or len(capitals) < 0.7 * len(longer):
        return title
    out = title
    for m in words:
        word = m.group()
        if not word[0].isupper() or any(c.isupper() or c == "." for c in word[1:]):
            continue  # lower case already, or an acronym / inner capital ("U.S.", "McDonald")
        lower = word.lower()
        if len(lower) != len(word):
            continue
        in_lower, in_capitals = _uses(body, word)
        if in_lower > in_capitals or (in_lower == in_capitals == 0 and _common(lower, body, lang)):
            out = out[:m.start()] + lower + out[m.end():]
    return out


def _uses(body: str, word: str) -> tuple[int, int]:
    """How often `body` writes `word` in lower case, and capitalised where no sentence starts."""
    lower = word.lower()
    pattern = re.compile(rf"(?<![\w'’-])(?:{re.escape(lower)}|{re.escape(word)})(?![\w'’-])")
    in_lower = in_capitals = 0
    for m in pattern.finditer(body):
        if m.group() == lower:
            in_lower += 1
        elif not SENTENCE_START.search(body[max(0, m.start() - 3):m.start()]):
            in_capitals += 1
    return in_lower, in_capitals


def _common(lower: str, body: str, lang: str) -> bool:
    """A word the body never writes is common when it is a function word, or its stem without a plural
    or third-person "-s" is one or is written in lower case ("Says": "say"; "Bridges": "the bridge")."""
    stems = {lower} | ({lower[:-1]} if lower.endswith("s") else set())
    return any(w in _function_words(lang) or (w != lower and _uses(body, w.capitalize())[0]) for w in stems)


@cache
def _function_words(lang: str) -> frozenset[str]:
    """spaCy's stop words of the language: articles, auxiliaries, prepositions, "say", "will", …"""
    if lang == "fr":
        from spacy.lang.fr.stop_words import STOP_WORDS
    else:
        from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)
