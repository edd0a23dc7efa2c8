"""Interview transcripts: a paragraph that opens on a speaker's label, "((Ana Ruiz))  I started in 2010."

What follows a label is that speaker's own words, so each sentence of the turn is theirs (the first
in scope `sentence`, the label being on its line; the rest `context`). The interviewer asks: a label
whose turns are mostly questions is the publication's own voice, never a source. A label right
before "<Language> language:" glosses a phrase in another language ("((es))Spanish language: …"): no
turn.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from .cleaning import PARAGRAPH

LABEL = re.compile(r"\(\(\s*([^()\n]{1,60}?)\s*\)\)\s*:?")
GLOSS = re.compile(r"\s*\w+ language\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Turn:
    start: int
    end: int
    speaker: str
    words: str  # what the speaker says, after the label


def is_label(text: str) -> bool:
    """A line that is only a speaker's label: no claim."""
    return LABEL.fullmatch(text.strip()) is not None


def answers(text: str) -> list[Turn]:
    """The turns of the interviewees, in text order; the interviewer's turns (mostly questions) left out."""
    turns: list[Turn] = []
    for par in PARAGRAPH.finditer(text):
        m = LABEL.match(par.group())
        if m and not GLOSS.match(par.group(), m.end()):
            turns.append(Turn(par.start(), par.end(), m.group(1), par.group()[m.end():]))
    asks = Counter(t.speaker for t in turns if "?" in t.words)
    said = Counter(t.speaker for t in turns)
    return [t for t in turns if 2 * asks[t.speaker] < said[t.speaker]]


class Turns:
    """Which answer a sentence lies in, and whether it is the first sentence of that answer."""

    def __init__(self, text: str):
        self.turns = answers(text)
        self.starts = [t.start for t in self.turns]
        self.opened: set[int] = set()

    def speaker(self, start: int) -> tuple[str, bool] | None:
        """(speaker, first sentence of the turn) for a sentence starting at `start`, or None."""
        k = bisect.bisect_right(self.starts, start) - 1
        if k < 0 or start >= self.turns[k].end:
            return None
        first = k not in self.opened
        self.opened.add(k)
        return self.turns[k].speaker, first
