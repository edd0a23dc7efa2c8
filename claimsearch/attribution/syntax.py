"""Navigation over a parsed sentence: children, subtrees, noun-phrase cores, trimmed phrases, actors."""
from __future__ import annotations

from collections.abc import Iterable

from ..folding import fold
from ..lang import any_language
from ..models import Sentence, Token

SUBJECT_DEPS = {"nsubj", "nsubj:pass", "expl:subj", "csubj"}
PASSIVE_SUBJECTS = {"nsubj:pass", "nsubjpass"}  # the subject of a passive verb is what is said of, never who says it
LOOSE_DEPS = {"poss", "nmod:poss", "acl", "acl:relcl", "relcl", "advmod", "advcl", "parataxis", "punct"}


def _mend_hyphens(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """"Another co-author, …": a word the parser cut at its hyphen into siblings ("co", "-", "author", each a
    subject of the verb) is one word again, headed by its last part."""
    out = list(tokens)
    for i in range(1, len(out) - 1):
        left, dash, right = out[i - 1], out[i], out[i + 1]
        if dash.text == "-" and not left.space and not dash.space and left.head == dash.head == right.head \
                and left.dep == right.dep and right.head not in (i - 1, i, i + 1):
            out[i - 1] = left._replace(head=i + 1, dep="compound")
            out[i] = dash._replace(head=i + 1, dep="punct")
    return tuple(out)


class Parse:
    """Navigation over a sentence's tokens (children, subtrees) without spaCy objects."""

    def __init__(self, sentence: Sentence) -> None:
        self.s = sentence
        self.t = _mend_hyphens(sentence.tokens)
        self.children: list[list[int]] = [[] for _ in self.t]
        self.lowered = [t.text.lower().replace("’", "'") for t in self.t]
        for tok in self.t:
            if tok.head != tok.i:
                self.children[tok.head].append(tok.i)

    def subtree(self, i: int, skip: Iterable[str] = ()) -> list[int]:
        skip = set(skip)
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(c for c in self.children[j] if self.t[c].dep not in skip)
        return sorted(out)

    def core(self, i: int, documents: frozenset[str] = frozenset()) -> list[int]:
        """The noun phrase of i without what only hangs on it: possessors ("Johnson's critics", but not
        "Ship Finder's database": a document speaks for its owner), relative clauses, and prepositional
        phrases other than "de"/"of" ("à une question de la RTBF")."""
        of_words, agent_words = any_language("of_words"), any_language("agent_words")
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            owner_speaks = fold(self.t[j].lemma) in documents
            for c in self.children[j]:
                dep = self.t[c].dep
                if (dep in LOOSE_DEPS and not (owner_speaks and dep in ("poss", "nmod:poss", "acl"))) or (
                        dep.startswith("obl") and not (dep == "obl:agent" or self.t[j].dep == "acl" and owner_speaks)):
                    continue
                if dep in ("nmod", "prep"):
                    case = self.t[c].text if dep == "prep" else next(
                        (self.t[k].text for k in self.children[c] if self.t[k].dep == "case"), "de")
                    if case.lower().replace("’", "'") not in of_words and not (owner_speaks and case.lower() in agent_words) \
                            and not (case.lower() in any_language("representative_prepositions")
                                     and fold(self.t[j].lemma) in any_language("representative_nouns")):
                        continue  # not "critics for the plan"; "a spokesman for the company" speaks for it
                stack.append(c)
        return sorted(out)

    def kids(self, i: int, *deps: str) -> list[int]:
        return [c for c in self.children[i] if self.t[c].dep.split(":")[0] in deps or self.t[c].dep in deps]

    def noun_of(self, k: int) -> int:
        """The noun of a phrase attached at k: English hangs "by the GAO" on the preposition, French
        "par le GAO" on the noun."""
        return next(iter(self.kids(k, "pobj")), k) if self.t[k].pos == "ADP" else k

    def complements(self, i: int, prepositions: frozenset[str]) -> list[int]:
        """The nouns hung on i by one of these prepositions ("le rapport du BEA", "a report by the GAO")."""
        return [self.noun_of(k) for k in self.kids(i, "nmod", "prep") if self.lowered[k] in prepositions
                or any(self.lowered[c] in prepositions for c in self.kids(k, "case"))]

    def text(self, ids: list[int]) -> str:
        if not ids:
            return ""
        first, last = self.t[ids[0]], self.t[ids[-1]]
        start = first.start - self.s.start
        return self.s.text[start:last.start - self.s.start + len(last.text)]

    def span_entities(self, ids: list[int]):
        if not ids:
            return []
        lo = self.t[ids[0]].start
        hi = self.t[ids[-1]].start + len(self.t[ids[-1]].text)
        return [e for e in self.s.entities if e.start < hi and e.end > lo]  # overlapping: "the" may open a name


def trim(ids: list[int], p: Parse) -> list[int]:
    """Drop leading determiners and trailing punctuation from a phrase."""
    determiners = any_language("determiners")
    while ids and (p.t[ids[0]].text.lower() in determiners or p.t[ids[0]].pos in ("PUNCT", "CCONJ", "SCONJ", "ADP")):
        if _title_article(ids, p):
            break  # "selon Le Monde", "told The Guardian": the article is part of the name
        ids = ids[1:]
    detached = [n for n, k in enumerate(ids[:-1]) if p.t[k].text == "," and (
        p.t[ids[n + 1]].dep == "amod" and (n + 2 >= len(ids) or p.t[ids[n + 2]].text == ",")  # not a list: "américains,
        or p.t[ids[n + 1]].dep == "acl" and "VerbForm=Part" in p.t[ids[n + 1]].morph)]  # russes et européens"
    if detached:  # "le gouvernement, impuissant, a dénoncé", "le rapport, publié lundi, …": set off by commas, it describes
        ids = ids[:detached[0]]
    while ids and p.t[ids[-1]].pos in ("PUNCT", "ADP", "DET", "CCONJ"):
        ids = ids[:-1]
    return ids


def _title_article(ids: list[int], p: Parse) -> bool:
    """A capitalised article inside a sentence, before a name: it belongs to the name."""
    first = p.t[ids[0]]
    return (first.i > 0 and first.pos == "DET" and first.text[:1].isupper() and len(ids) > 1
            and p.t[ids[1]].pos == "PROPN")


def is_actor(t: Token, tokens: tuple[Token, ...], quotes) -> bool:
    """The subject of a main clause, or the agent of a passive ("… par Christian Jacob"), outside quotes."""
    if any(q.start <= t.start < q.end for q in quotes):
        return False
    head = tokens[t.head]
    agent_words = any_language("agent_words")
    if t.dep in SUBJECT_DEPS:
        return head.dep in ("ROOT", "conj", "advcl", "parataxis")
    if t.dep in ("obl:agent", "agent", "pobj") and (head.dep in ("agent", "obl:agent") or head.text.lower() in agent_words):
        return True
    return t.dep in ("obl:agent",) or (head.text.lower() in agent_words and head.dep == "case")
