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
import re
from collections.abc import Iterable
from dataclasses import dataclass, field


from .lang import load_lang
from .models import Attribution, Claim, CleanArticle, Sentence, Token
from .normalise import find_aliases, fold, load_aliases

NOT_CLAIMS = {"slug", "heading", "dateline", "caption", "question", "label", "id"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "expl:subj", "csubj"}
NEGATIONS = {"ne", "n'", "n’", "pas", "jamais", "not", "n't", "never", "plus", "guère"}
DETERMINERS = {"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "de", "d'", "d’", "the", "a", "an",
               "ce", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "its", "their", "his", "her", "«", "»",
               "“", "”", '"', ",", "both", "all", "tous", "toutes"}
LOOSE_DEPS = {"poss", "nmod:poss", "acl", "acl:relcl", "relcl", "advmod", "advcl", "parataxis", "punct"}
OF_WORDS = {"de", "du", "des", "d'", "of", "from"}
INCISE_GAP = re.compile(r"[\s«»“”\"',.;:!?…-]*(?:[\w’'-]+[\s,]+){0,3}")
RELATIVES = {"qui", "who", "that", "which"}
QUOTE_PAIRS = [("«", "»"), ("“", "”"), ('"', '"'), ("‘", "’")]


@dataclass(frozen=True)
class Quote:
    start: int  # offsets of the quoted words, marks excluded, in the clean text
    end: int
    text: str


def find_quotes(text: str) -> list[Quote]:
    """Quoted passages of the whole text, which may run over several sentences.

    A short all-capitalised passage (« Wall Street Journal ») names something; it is not a quotation.
    """
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


class Parse:
    """Navigation over a sentence's tokens (children, subtrees) without spaCy objects."""

    def __init__(self, sentence: Sentence) -> None:
        self.s = sentence
        self.t = sentence.tokens
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
        "Marine Traffic's database": a document speaks for its owner), relative clauses, and prepositional
        phrases other than "de"/"of" ("à une question de la RTBF")."""
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
                    if case.lower().replace("’", "'") not in OF_WORDS and not (owner_speaks and case.lower() in ("by", "par")):
                        continue
                stack.append(c)
        return sorted(out)

    def kids(self, i: int, *deps: str) -> list[int]:
        return [c for c in self.children[i] if self.t[c].dep.split(":")[0] in deps or self.t[c].dep in deps]

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


def _trim(ids: list[int], p: Parse) -> list[int]:
    """Drop leading determiners and trailing punctuation from a phrase."""
    while ids and (p.t[ids[0]].text.lower() in DETERMINERS or p.t[ids[0]].pos in ("PUNCT", "CCONJ", "SCONJ", "ADP")):
        ids = ids[1:]
    while ids and p.t[ids[-1]].pos in ("PUNCT", "ADP", "DET", "CCONJ"):
        ids = ids[:-1]
    return ids


def phrase_sources(ids: list[int], p: Parse, data: dict, core: list[int] | None = None,
                   follow_author: bool = True) -> list[str]:
    """Who a noun phrase names: its people (and the organisation they speak for), else the phrase itself.

    With `core` (the phrase's syntactic core), a name counts when it heads the phrase or stands in
    apposition or after "de"/"of" ("Gérald Karsenti, PDG de HP France"); a name that only modifies a
    common noun does not ("Saudi officials", "Johnson's critics") — except for documents, which speak
    for their owner or author ("Marine Traffic's database", "the decree signed by the Pope")."""
    ids = _trim(ids, p)
    if not ids:
        return []
    ents = p.span_entities(ids)
    span = core or ids
    heads = [i for i in span if p.t[i].head not in span or p.t[i].head == i]
    head = heads[0] if heads else ids[0]
    if core is not None:
        document = fold(p.t[head].lemma) in folded(data, "document_nouns")
        agents = [k for k in core if p.t[k].dep in ("agent", "obl:agent") or (
            p.t[k].head in core and p.t[k].text.lower() in ("by", "par") and p.t[k].dep in ("prep", "case"))]
        agents = [p.t[k].head if p.t[k].dep == "case" else k for k in agents]  # French "par X": X heads
        reported = [g for c in p.children[head] if p.t[c].dep == "acl" for a in p.children[c]
                    if p.t[a].dep in ("agent", "obl:agent") for g in (p.kids(a, "pobj") or [a])]
        if reported and follow_author and reported[0] != head:  # "numbers reported by The Associated Press"
            return phrase_sources(p.subtree(reported[0]), p, data, core=p.core(reported[0]), follow_author=False)
        if document and agents and follow_author:
            by = [c for c in p.children[agents[0]] if p.t[c].dep == "pobj"] or [agents[0]]  # "a report by The Atlantic"
            if by[0] != head:
                return phrase_sources(p.subtree(by[0]), p, data, core=p.core(by[0]), follow_author=False)
        ents = [e for e in ents if _counts(e, head, set(core), p, document)]
    people = [e.text for e in ents if e.label == "PER"]
    orgs = [e.text for e in ents if e.label in ("ORG", "MISC")]
    if not people and not orgs and (core is None or p.t[head].pos == "PROPN"):
        lo = p.t[ids[0]].start
        hi = p.t[ids[-1]].start + len(p.t[ids[-1]].text)
        at = p.t[head].start - lo
        orgs = [name for a, b, name in find_aliases(p.s.text[lo - p.s.start:hi - p.s.start])
                if core is None or a <= at < b]  # a known name counts when it is the phrase's head
    if people or orgs:
        return _dedupe(people + orgs)
    if p.t[head].pos not in ("PROPN",) and not _can_speak(p.t[head], data):
        return []  # "la suppression de ces postes est due à …": things do not speak
    if core:
        ids = _trim(list(range(min(core), max(core) + 1)), p)  # "la porte-parole de la fédération", not "… à une question"
    phrase = p.text(ids)
    return [phrase] if phrase and len(phrase) < 120 else []


def _counts(entity, head: int, core: set[int], p: Parse, document: bool) -> bool:
    inside = [k for k in core if entity.start <= p.t[k].start < entity.end]
    if not inside:
        return False
    root = next((k for k in inside if p.t[k].head not in inside), inside[0])
    if any(p.t[c].dep == "case" and p.t[c].pos == "ADP" and p.lowered[c] not in OF_WORDS for c in p.children[root]):
        return False  # "Sur Twitter, Philippe Gosselin …": a place of speech, however it is parsed
    if head in inside or document:
        return True
    return p.t[root].dep not in ("amod", "compound", "nummod", "nmod:poss", "poss", "det")


def sources_named(sources: list[str], p: Parse) -> bool:
    return any(any(e.text == src for e in p.s.entities) or src[:1].isupper() for src in sources)


def _can_speak(tok: Token, data: dict) -> bool:
    """A name, a noun known to speak (roles, groups, documents), or any noun that does not name an event,
    a quantity or an abstraction (the suffixes in the language data: "suppression", "chute", "-ité")."""
    if tok.pos == "PROPN":
        return True
    word, lemma = fold(tok.text), fold(tok.lemma)
    if word in speaker_nouns(data) or lemma in speaker_nouns(data):
        return True
    if lemma in folded(data, "mute_nouns"):
        return False
    return not lemma.endswith(tuple(data["mute_suffixes"]))


_FOLDED: dict[tuple[int, str, bool], frozenset[str]] = {}


def folded(data: dict, key: str, last_word: bool = False) -> frozenset[str]:
    """A word list of the language data, folded once (these sets are consulted for every token)."""
    cache_key = (id(data), key, last_word)
    if cache_key not in _FOLDED:
        words = (fold(w) for w in data[key])
        _FOLDED[cache_key] = frozenset(w.split()[-1] if last_word else w for w in words if w)
    return _FOLDED[cache_key]


def speaker_nouns(data: dict) -> frozenset[str]:
    """Folded nouns that can head a source without a name: roles, groups, organisations, documents."""
    key = id(data)
    if key not in _SPEAKER_NOUNS:
        words = [*data["anonymous_heads"], *data["org_descriptions"], *data["document_nouns"],
                 *(d.split()[-1] for d in data["descriptions"])]
        forms = {fold(w) for w in words}
        forms |= {f + "s" for f in forms} | {f + "x" for f in forms}
        _SPEAKER_NOUNS[key] = frozenset(forms)
    return _SPEAKER_NOUNS[key]


_SPEAKER_NOUNS: dict[int, frozenset[str]] = {}


def _dedupe(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        n = n.strip(" ,«»“”\"'")
        if n and fold(n) not in {fold(o) for o in out}:
            out.append(n)
    return out


@dataclass
class Found:
    """A cue found in one sentence, before pronouns are resolved."""

    kind: str
    cue: str
    cue_start: int  # offset in the clean text
    sources: list[str]
    stance: str | None = None
    pronoun: str | None = None  # the subject was a pronoun or a description: resolve it
    governs_quote: bool = False


def _marker_tokens(p: Parse, marker: str) -> list[tuple[int, int]]:
    """Token ranges whose words spell `marker` (case-insensitive, spacing and apostrophes ignored)."""
    target = marker.lower().replace("’", "'").replace(" ", "")
    toks = p.lowered
    out = []
    for i, first in enumerate(toks):
        if not target.startswith(first):
            continue
        acc, j = "", i
        while j < len(toks) and len(acc) < len(target):
            acc += toks[j]
            j += 1
        if acc == target:
            out.append((i, j))
    return out


def by_marker(p: Parse, data: dict) -> Found | None:
    """"selon X", "d'après X", "according to X", "comme le révèle X": the source follows the marker."""
    hits = [(i, j, m) for m in data["markers"] for i, j in _marker_tokens(p, m["text"])]
    for i in range(len(p.t) - 2):  # "comme le rappelle X", "as X noted": any cue verb after "comme le"
        if p.lowered[i] in data["as_words"] and p.lowered[i + 1] in data["as_pronouns"] and \
                verb_lemma(p.t[i + 2], data) in data["cue_verbs"]:
            hits.append((i, i + 3, {"text": p.text([i, i + 1, i + 2]), "kind": "document"}))
    hits.sort(key=lambda h: (h[0], -h[1]))
    for i, j, marker in hits:
        opening = i == 0 or p.t[i - 1].text == ":"  # "Pour Montebourg, …" or "France : pour Montebourg, …"
        if marker.get("needs_comma"):
            comma = next((k for k in range(j, min(len(p.t), j + 15)) if p.t[k].text == ","), None)
            if not opening or comma is None or any(p.t[k].pos == "VERB" and p.t[k].dep not in ("acl", "amod")
                                                   for k in range(j, comma)):
                continue
        rest = fold(p.text(list(range(i, min(len(p.t), j + 4)))))
        if any(rest.startswith(fold(x)) for x in data["marker_not_source"]):
            continue
        end = j
        while end < len(p.t) and p.t[end].text not in (",", ";", ".", ":", "!", "?") and not (
                p.t[end].pos in ("VERB", "AUX") and p.t[end].dep not in ("acl", "amod")):
            end += 1
        if marker["kind"] == "document":  # "comme le révèle la biographie signée par X": take the whole NP
            end = j
            while end < len(p.t) and p.t[end].text not in (",", ";", ".", ":", "!", "?"):
                end += 1
        cue_end = j

        def named(k: int) -> bool:
            return p.t[k].pos == "PROPN" or (p.t[k].pos == "NOUN" and p.t[k].text[:1].isupper())

        if end + 1 < len(p.t) and p.t[end].text == "," and named(end + 1):
            k = end + 1
            while k < len(p.t) and named(k):
                k += 1
            if k == len(p.t) or p.t[k].text in (",", "«", "“", '"', ":", "."):
                j, end = end + 1, k  # the name in apposition is the source
        ids = list(range(j, end))
        trimmed = _trim(ids, p)
        roles = folded(data, "org_descriptions") | folded(data, "descriptions", last_word=True)
        pron, sources = None, []
        if len(trimmed) == 1 and p.t[trimmed[0]].pos == "PRON":
            pron = p.t[trimmed[0]].text  # "Pour lui, …"
        elif set(fold(p.text(trimmed)).split()[:2]) & roles and not p.span_entities(trimmed):
            pron = p.text(trimmed)  # "Pour l'organisation militant pour …"
        else:
            heads = [k for k in trimmed if p.t[k].head not in trimmed or p.t[k].head == k]
            core = p.core(heads[0], folded(data, "document_nouns")) if heads else None
            sources = phrase_sources(ids, p, data, core=core)  # "according to Johnson's critics": the critics
            if not sources:
                continue
        cue = p.text(list(range(i, cue_end)))
        if marker.get("needs_comma"):
            cue = p.text(list(range(i, end)))
        return Found(kind=marker["kind"], cue=cue, cue_start=p.t[i].start, sources=sources, stance="report",
                     pronoun=pron)
    return None


def _negated(p: Parse, i: int) -> bool:
    return any(p.t[c].text.lower() in NEGATIONS for c in p.children[i] if p.t[c].dep.startswith(("advmod", "neg")))


def _has_clause(p: Parse, i: int) -> bool:
    """A complement clause with a finite verb ("a confirmé que …", "said he can …")."""
    for c in p.kids(i, "ccomp", "parataxis"):
        if p.t[c].dep == "parataxis" and (c < i or not any(p.t[k].text == ":" for k in range(i, c))):
            continue  # "X nie …, mais Y": a juxtaposed clause is not what X says
        if any(p.t[k].pos in ("VERB", "AUX") or p.t[k].dep in ("cop", "nsubj") for k in p.subtree(c)):
            return True
    for c in p.kids(i, "obj", "dobj", "obl:arg"):
        if p.t[c].pos == "VERB" and any(p.t[k].text.lower() in ("que", "qu'", "qu’", "that") for k in p.children[c]):
            return True
    return False


def _subject(p: Parse, i: int, documents: frozenset[str] = frozenset()) -> list[int] | None:
    """The subject of verb i, climbing to the governing verb for participles and conjuncts."""
    tok = p.t[i]
    if "VerbForm=Part" in tok.morph and "Tense=Pres" in tok.morph or tok.text.lower().endswith("ant") and tok.dep in ("acl", "conj", "advcl"):
        # a gerund ("déclarant", "affirmant") speaks for the nearest subject before it; the parse of such
        # long sentences often hangs it on the wrong verb
        before = [t.i for t in p.t[:i] if t.dep in SUBJECT_DEPS and t.text.lower() not in ("qui", "qu'", "qu’", "que")]
        if before:
            return [before[-1]]
    seen = set()
    while i not in seen:
        seen.add(i)
        subjects = [c for c in p.kids(i, *SUBJECT_DEPS) if p.t[c].text.lower() not in ("-t", "t")]  # euphonic -t-
        subjects += [c for c in p.children[i] if c > i and p.t[c].text.lower().startswith("-")
                     and p.t[c].text.lower() not in ("-t", "-on") and c not in subjects]  # "affirme-t-il", however parsed
        relative = [c for c in subjects if p.t[c].text.lower() in RELATIVES]
        if relative and p.t[i].dep in ("acl:relcl", "relcl") and p.t[i].head != i:
            antecedent = p.t[i].head
            holder = p.t[antecedent].head  # "They released a statement which said": they speak
            if fold(p.t[antecedent].lemma) in documents and holder != antecedent and p.kids(holder, *SUBJECT_DEPS):
                return p.kids(holder, *SUBJECT_DEPS)
            return [antecedent]  # "Arnaud Montebourg, …, qui a déclaré": the antecedent speaks
        if subjects:
            # "lui avait dit Christian Jacob": prefer a name over a pronoun
            subjects.sort(key=lambda c: (p.t[c].pos == "PRON", c))
            return subjects
        tok = p.t[i]
        if tok.dep in ("xcomp", "conj", "advcl", "acl", "ccomp", "parataxis") and tok.head != i:
            i = tok.head
            continue
        break
    return None


def _complement(p: Parse, i: int, lemma: str, data: dict) -> bool:
    """A nominal or infinitive complement ("dénonce les actes de torture", "questioned the power").
    Directives followed by an infinitive ("a demandé au milliardaire de ne pas activer") report an act,
    not a statement."""
    if lemma in data["directive_verbs"] and p.kids(i, "xcomp"):
        return False
    return bool(p.kids(i, "obj", "dobj", "xcomp", "obl:arg", "iobj", "attr", "oprd"))


def _inverted_subject(p: Parse, i: int, data: dict, after_speech: bool) -> list[int] | None:
    """« … », a déclaré Oumar Maïga: the parser often takes an inverted subject for an object.
    A common noun counts only after the speech it reports ("…, a annoncé le président de l'Assemblée")."""
    for c in p.kids(i, "obj", "dobj", "appos", "nsubj", "dep"):
        if c <= i:
            continue
        ids = p.subtree(c, skip=("acl:relcl", "relcl", "acl"))
        if p.t[c].pos == "PROPN" or (after_speech and (
                any(e.label in ("PER", "ORG") for e in p.span_entities(ids)) or fold(p.t[c].lemma) in speaker_nouns(data))):
            return [c]
    return None


def verb_lemma(tok: Token, data: dict) -> str:
    """The lemma, mended where the lemmatizer failed on a reporting verb ("indique" → "indique")."""
    lemma = tok.lemma.lower()
    lemma = data["lemma_fixes"].get(lemma, lemma)
    if lemma in data["cue_verbs"]:
        return lemma
    forms = _forms(id(data), data)
    return forms.get(tok.text.lower()) or forms.get(fold(tok.text)) or lemma


_FORMS: dict[int, dict[str, str]] = {}


def _forms(key: int, data: dict) -> dict[str, str]:
    """Inflected forms of regular cue verbs (stem + the endings listed in the language data), built once."""
    if key not in _FORMS:
        table: dict[str, str] = {}
        for verb in data["cue_verbs"]:
            for ending, suffixes in data.get("verb_endings", {}).items():
                if verb.endswith(ending) and " " not in verb:
                    stem = verb[: -len(ending)]
                    table.update({stem + suf: verb for suf in suffixes})
                    table.update({fold(stem + suf): verb for suf in suffixes})  # "reconnait" as written without ^
        _FORMS[key] = table
    return _FORMS[key]


def _particle(p: Parse, tok: Token, lemma: str, phrasal: dict) -> tuple[str, str] | None:
    """A cue made of a verb and the words after it: "appellent à", "revient sur", "met en cause"."""
    for phrase in phrasal:
        verb, _, rest = phrase.partition(" ")
        if verb != lemma:
            continue
        words = rest.split()
        following = [t.text.lower() for t in p.t[tok.i + 1:tok.i + 1 + len(words) + 2] if t.pos != "ADV"]
        if following[:len(words)] == words:
            return rest, " ".join(words)
    return None


def _opens_quote(p: Parse, i: int, quotes: list[Quote], introduces: bool) -> bool:
    """The verb is followed by ":" (or a comma) and a quotation, here or at the start of the next sentence."""
    after = p.t[i].start
    for q in quotes:
        if q.start > after:
            between = p.s.text[after - p.s.start:q.start - p.s.start]
            if re.search(r"[:,]\s*[«“\"]\s*$", between):
                return True
    return introduces


def by_verb(p: Parse, data: dict, quotes: list[Quote], introduces: bool = False) -> Found | None:
    """A reporting verb with a clause, a complement or a quotation, and its subject.

    Verbs inside a quotation belong to the quoted speech; among several cues, the one that governs
    the quotation (or a clause) wins."""
    verbs = data["cue_verbs"]
    quote_only = set(data["quote_only_verbs"])
    inside = [(q.start, q.end) for q in quotes]
    candidates: list[tuple[tuple, Found]] = []
    phrasal = data["phrasal_cues"]
    for tok in p.t:
        lemma = verb_lemma(tok, data)
        particle = _particle(p, tok, lemma, phrasal)
        if particle:
            lemma = f"{lemma} {particle[0]}"
        participle = tok.pos == "ADJ" and any(p.t[c].dep.startswith("aux") for c in p.children[tok.i])  # "HRW a relevée"
        if (tok.pos not in ("VERB", "AUX") and not participle) or _negated(p, tok.i):
            continue
        if any(p.t[c].dep == "mark" and fold(p.t[c].text) in data["non_reporting_marks"] for c in p.children[tok.i]):
            continue  # "pour qu'il expliquât", "if he says": a purpose or a condition reports nothing
        if lemma not in verbs and not particle and not (tok.dep == "ROOT" and _opens_quote(p, tok.i, quotes, introduces)):
            continue  # any main verb that opens a quotation reports it: "a nuancé les chiffres : « … »"
        cue_text = tok.text + (" " + particle[1] if particle else "")
        if any(a <= tok.start < b for a, b in inside) or tok.dep in ("amod", "compound"):
            continue
        clause = _has_clause(p, tok.i) and lemma not in quote_only
        governs_quote = bool(inside) and any(
            a <= p.t[k].start < b for k in p.subtree(tok.i) for a, b in inside) or (
            bool(inside) and tok.dep in ("parataxis", "ROOT") and any(
                b <= tok.start and INCISE_GAP.fullmatch(p.s.text[max(b - p.s.start, 0):tok.start - p.s.start])
                for a, b in inside))  # « … », a-t-il dit — not "…"; TVN24 reported
        nominal = (_complement(p, tok.i, lemma, data) and lemma not in quote_only) or bool(particle)
        if nominal and lemma in data["person_object_verbs"]:
            nominal = any(p.t[c].pos == "PROPN" or p.span_entities(p.subtree(c))
                          for c in p.kids(tok.i, "obj", "dobj"))  # "accuse Rajoy de …", not "accuse une baisse"
        own = [c for c in p.children[tok.i] if c < tok.i and p.t[c].dep.split(":")[0] in ("aux", "expl", "nsubj", "dep")]
        leftmost = min([tok.i, *own])
        after_comma = any(t.text in (",", "»", "”", '"') for t in p.t[max(0, leftmost - 2):leftmost])
        incise = after_comma and (  # "…, a-t-il précisé."; "…, a annoncé à l'agence X Valentine Sapounov."
            (tok.head < tok.i and tok.dep in ("conj", "parataxis", "ROOT", "advcl"))
            or (tok.dep == "ROOT" and not any(c < tok.i for c in p.kids(tok.i, *SUBJECT_DEPS))))
        clause = clause or (incise and lemma not in quote_only)
        if lemma in data["clause_only_verbs"]:
            nominal = False
        if tok.dep in ("acl:relcl", "relcl", "acl") and not (clause or governs_quote or lemma in data["person_object_verbs"]):
            nominal = False  # "Xi Jinping, qui revendique la souveraineté": a relative clause describes, it does not report
        if not (clause or governs_quote or nominal or (inside and lemma not in quote_only)):
            continue
        agent = [g for a in p.kids(tok.i, "agent", "obl:agent") for g in ([a] if p.t[a].pos != "ADP" else p.kids(a, "pobj"))]
        subj = agent or _subject(p, tok.i, folded(data, "document_nouns"))  # "reported by industry sources": the agent speaks
        if incise and not p.kids(tok.i, *SUBJECT_DEPS) or (subj and subj[0] > tok.i and p.t[subj[0]].pos == "PRON"):
            subj = _inverted_subject(p, tok.i, data, True) or subj  # "…, a annoncé le président de l'Assemblée X"
            if incise and not inside and tok.dep == "ROOT" and (not subj or subj[0] < tok.i):
                named = [e for e in p.s.entities if e.label == "PER" and e.start > tok.start]
                if named:  # the name the parser hung inside "à l'agence RIA Novosti Valentine Sapounov"
                    subj = [next(t.i for t in p.t if t.start >= named[0].start)]
        if not subj or (p.t[subj[0]].pos == "PRON" and p.t[subj[0]].text.lower() in ("lui", "leur")):
            subj = _inverted_subject(p, tok.i, data, incise or governs_quote) or subj
        if subj and any(a <= p.t[subj[0]].start < b for a, b in inside):
            subj = _inverted_subject(p, tok.i, data, True)  # a speaker is never inside their own quotation
        if not subj:
            continue
        head = subj[0]
        if p.t[head].text.lower() in ("dont", "qui", "que", "qu'", "qu’", "who", "which", "that", "whose") or (
                p.subtree(head)[0] < head and p.t[p.subtree(head)[0]].text.lower() in ("dont", "whose")):
            continue  # "dont la majorité socialiste a …": a relative clause describes
        sub_ids = p.subtree(head, skip=("acl:relcl", "relcl", "acl", "obl:mod", "advmod", "parataxis"))
        sources = phrase_sources(sub_ids, p, data, core=p.core(head, folded(data, "document_nouns")))
        pron = None
        trimmed = _trim(sub_ids, p)
        words = fold(p.text(trimmed)).split()
        roles = folded(data, "descriptions", last_word=True) | folded(data, "org_descriptions")
        people_in = [e for e in p.span_entities(trimmed) if e.label == "PER"]
        last = [e for e in p.span_entities(sub_ids) if e.end <= tok.start and tok.start - e.end <= 12
                and p.t[sub_ids[-1]].start < e.end]
        if set(words[:4]) & roles and last and not people_in:  # "Former US Ambassador to the UN Nikki Haley wrote"
            sources, words, people_in = [last[-1].text], [], [last[-1]]
        if not people_in and p.t[head].pos == "NOUN" and set(words[:3]) & roles and trimmed:
            before = [e for e in p.s.entities if e.label == "PER" and 0 <= p.t[trimmed[0]].start - e.end <= 6]
            if before:  # "Jean-Luc Mélenchon, le candidat du Front de gauche, avait appelé": the name speaks
                sources, words = [before[-1].text], []
        bare_document = (fold(p.t[head].lemma) in folded(data, "document_nouns") and not sources_named(sources, p)
                         and len(trimmed) <= 3 and not agent)
        if bare_document:  # "The statement also said": its issuer speaks
            pron, sources = p.text(trimmed), []
        elif p.t[head].pos == "PRON" or (set(words[:3]) & roles and not [  # "Le ministre du Redressement" (ORG)
                e for e in p.span_entities(trimmed) if e.label == "PER" or fold(e.text).split()[0] not in roles]):
            if p.t[head].text.lower() in ("ce", "c'", "c’", "it", "this", "cela", "ça", "on", "qui", "which", "that", "what"):
                continue
            people = [s for s in sources if any(e.text == s and e.label == "PER" for e in p.s.entities)]
            if people:
                sources = people
            else:
                pron, sources = p.text(trimmed) or p.t[head].text, []
        if not sources and not pron:
            continue
        rank = (governs_quote, clause, nominal, -tok.i)  # among equals, the first cue names the first speaker
        candidates.append((rank, Found(kind="verb", cue=cue_text, cue_start=tok.start, sources=sources,
                                       stance=verbs.get(lemma) or phrasal.get(lemma) or "assert", pronoun=pron,
                                       governs_quote=governs_quote)))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0], reverse=True)
    best = candidates[0][1]
    others = [src for rank, f in candidates[1:] if (rank[0] or rank[1] or rank[2]) and not f.pronoun
              for src in f.sources if src[:1].isupper()]  # "… told The Jakarta Post, which also reported …": both speak in the sentence
    if others:
        best.sources = _dedupe(best.sources + others)
    return best


def _conditional(p: Parse, data: dict) -> bool:
    aux = set(data["conditional_aux"])
    return any(t.text.lower() in aux or "Mood=Cnd" in t.morph for t in p.t if t.dep in ("ROOT", "aux", "aux:tense", "cop") or t.head == t.i)


@dataclass
class Memory:
    """People and organisations mentioned so far, to resolve "il", "he", "le ministre", "l'ONG"."""

    mentions: list[tuple[int, str, str]] = field(default_factory=list)  # offset, name, words just before
    speakers: list[tuple[int, str]] = field(default_factory=list)
    orgs: list[tuple[int, str]] = field(default_factory=list)
    org_speakers: list[tuple[int, str]] = field(default_factory=list)

    def resolve(self, written: str, before: int, data: dict) -> str | None:
        words = fold(written.split(",")[0]).split()[:4]  # the description's head, not what follows a comma
        if set(words) & folded(data, "document_nouns"):
            pool = sorted((off, n) for off, n in self.speakers + self.org_speakers if off < before)
            return pool[-1][1] if pool else None
        if set(words) & folded(data, "org_descriptions"):  # "l'ONG": the organisation that spoke
            pool = [n for off, n in sorted(self.org_speakers) if off < before] or [
                n for off, n in sorted(self.orgs) if off < before]
            return pool[-1] if pool else None
        pronoun = len(words) == 1 and written.lower().lstrip("-t") in {k.lstrip("-t") for k in data["pronouns"]}
        if pronoun:
            pool = [n for off, n in sorted(self.speakers) if off < before]
            if pool:
                return pool[-1]
        earlier = [(off, n, ctx) for off, n, ctx in sorted(self.mentions) if off < before]
        role_words = folded(data, "descriptions", last_word=True)
        head = next((k for k, w in enumerate(words) if w in role_words), None)
        wanted = set(words[max(0, head - 1):head + 1]) - {"le", "la", "l", "the", "de", "d"} if head is not None else set()
        introduced = [n for off, n, ctx in earlier if wanted and wanted <= set(ctx.split()[-5:])]
        if introduced:  # "le premier ministre" → the person first written as "le Premier ministre Jean-Marc Ayrault"
            return introduced[-1]
        if earlier:
            return earlier[-1][1]
        spoke = [n for off, n in sorted(self.speakers) if off < before]  # "pour Montebourg" in the title
        return spoke[-1] if spoke else None


def _actor(t: Token, tokens: tuple[Token, ...], quotes: list[Quote]) -> bool:
    """The subject of a main clause, or the agent of a passive ("… par Christian Jacob"), outside quotes."""
    if any(q.start <= t.start < q.end for q in quotes):
        return False
    head = tokens[t.head]
    if t.dep in SUBJECT_DEPS:
        return head.dep in ("ROOT", "conj", "advcl", "parataxis")
    if t.dep in ("obl:agent", "agent", "pobj") and (head.dep in ("agent", "obl:agent") or head.text.lower() in ("par", "by")):
        return True
    return t.dep in ("obl:agent",) or (head.text.lower() in ("par", "by") and head.dep == "case")


def alias_types() -> dict[str, str]:
    """PER, ORG, LOC… of every canonical name the alias table knows."""
    return load_aliases().type_of


def claim_id(article_id: str, start: int, end: int, text: str) -> str:
    return hashlib.sha1(f"{article_id}\x1f{start}\x1f{end}\x1f{text}".encode()).hexdigest()[:16]


def _quote_parts(sentence: Sentence, quotes: list[Quote]) -> list[Quote]:
    return [q for q in quotes if q.start < sentence.end and q.end > sentence.start]


def attribute(sentences: list[Sentence], article: CleanArticle) -> list[Claim]:
    """Claims of an article with their attribution (names as written; `normalise` canonicalises them)."""
    meta = article.article
    data = load_lang(meta.lang)
    quotes = find_quotes(article.text)
    memory = Memory()
    found: dict[int, Attribution] = {}
    quoted: dict[int, list[Quote]] = {}
    claims_at: list[Sentence] = []

    parses: dict[int, Parse] = {}
    for s in sentences:
        p = parses[s.index] = Parse(s)
        parts = _quote_parts(s, quotes)
        if s.kind not in NOT_CLAIMS:
            claims_at.append(s)
            quoted[s.index] = parts
            f = by_marker(p, data)
            following = sentences[s.index + 1].text if s.index + 1 < len(sentences) else ""
            introduces = s.text.rstrip().endswith(":") and following.lstrip()[:1] in "«“\""
            v = by_verb(p, data, parts, introduces)
            if v and (f is None or v.governs_quote):
                f = v
            if f:
                sources = f.sources
                if f.pronoun:
                    opening = {t.start for t in s.tokens[:4]}  # "Néanmoins, Pastor …", however it is parsed
                    here = [(e.start, e.text) for e in s.entities if e.label == "PER" and e.start < f.cue_start and any(
                        e.start <= t.start < e.end and (_actor(t, s.tokens, parts) or t.start in opening)
                        for t in s.tokens)]
                    memory.speakers.extend(here)  # "Pastor leur répondit … ; elle écrivit": the antecedent is here
                    name = memory.resolve(f.pronoun, f.cue_start, data)
                    is_pronoun = fold(f.pronoun) in folded(data, "pronouns") or len(f.pronoun.split()) == 1
                    # "Pour le procureur fédéral": a description nobody in the article answers stays as written
                    sources = [name] if name else ([] if is_pronoun else [f.pronoun])
                if sources:
                    speaker = sources[0] if parts and f.kind in ("verb", "selon") else None
                    found[s.index] = Attribution(
                        kind="quote" if speaker else f.kind, sources=tuple(sources), source_text=f.pronoun or ", ".join(f.sources),
                        cue=f.cue, scope="sentence", speaker=speaker,
                        quote=" […] ".join(q.text for q in parts) if speaker else None, stance=f.stance,
                        conditional=_conditional(p, data))
                    for src in sources:
                        if alias_types().get(src) == "ORG" or any(e.text == src and e.label == "ORG" for e in s.entities):
                            memory.org_speakers.append((s.start, src))
                    if speaker:
                        memory.speakers.append((s.start, speaker))
                    elif f.kind == "verb":
                        memory.speakers.append((s.start, sources[0]))
        known_people = [(a, b, name) for a, b, name in find_aliases(s.text) if alias_types().get(name) == "PER"]
        for a, b, name in find_aliases(s.text):
            if alias_types().get(name) == "ORG":
                memory.orgs.append((s.start + a, name))
        for a, b, name in known_people:
            if not any(e.start <= s.start + a < e.end for e in s.entities):
                memory.mentions.append((s.start + a, name, fold(article.text[max(0, s.start + a - 40):s.start + a])))
        opener = _own_person(s, parts) if s.kind not in NOT_CLAIMS else None
        if opener:
            memory.speakers.append((s.start, opener))
        for e in s.entities:
            if e.label == "ORG":
                memory.orgs.append((e.start, e.text))
            aside = s.text[:e.start - s.start].count("(") > s.text[:e.start - s.start].count(")")
            if e.label == "PER" and e.text[:1].isupper() and e.text.lower() not in data["pronouns"] and not aside:
                memory.mentions.append((e.start, e.text, fold(article.text[max(0, e.start - 40):e.start])))
                if any(e.start <= t.start < e.end and _actor(t, s.tokens, parts) for t in s.tokens):
                    memory.speakers.append((e.start, e.text))  # a person who acts may be "il" next

    _spread_quotes(claims_at, found, quoted, article.text)
    _frame_article(claims_at, found, sentences, data)

    claims = []
    for s in claims_at:
        att = found.get(s.index) or Attribution()
        if _is_question_or_fragment(s):
            continue
        entities = _dedupe([e.text for e in s.entities] + [name for _, _, name in find_aliases(s.text)])
        claims.append(Claim(
            id=claim_id(meta.id, s.start, s.end, s.text), article_id=meta.id, title=meta.title, lang=meta.lang,
            date=meta.date, text=s.text, start=s.start, end=s.end, sentence=s.index, kind=att.kind,
            sources=att.sources, source_text=att.source_text, scope=att.scope, cue=att.cue, speaker=att.speaker,
            quote=att.quote, stance=att.stance, conditional=att.conditional or _conditional(parses[s.index], data),
            entities=tuple(entities)))
    return claims


def _is_question_or_fragment(s: Sentence) -> bool:
    """A verbless piece that is short, or that does not even end like a sentence, asserts nothing."""
    words = [t for t in s.tokens if t.pos not in ("PUNCT", "SPACE")]
    if len(words) < 3:
        return True
    if s.kind == "title" or any(t.pos in ("VERB", "AUX") for t in s.tokens):
        return False
    return len(words) < 6 or not s.text.rstrip().endswith((".", "!", "»", "”", '"'))


def _spread_quotes(claims_at: list[Sentence], found: dict[int, Attribution], quoted: dict[int, list[Quote]],
                   text: str) -> None:
    """A quotation that runs over several sentences gives its speaker to the sentences without a cue
    (scope `context`); so does a quoted sentence that follows another quote of the same speaker."""
    by_quote: dict[Quote, Attribution] = {}
    for s in claims_at:
        att = found.get(s.index)
        if att and att.speaker:
            for q in quoted.get(s.index, []):
                by_quote.setdefault(q, att)
    previous: Sentence | None = None
    for s in claims_at:
        att = found.get(s.index)
        parts = quoted.get(s.index, [])
        if att is None and parts:
            owner = next((by_quote[q] for q in parts if q in by_quote), None)
            mostly_quoted = sum(min(q.end, s.end) - max(q.start, s.start) for q in parts) > 0.6 * (s.end - s.start)
            own = _own_person(s, parts)
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
            if owner is not None:
                found[s.index] = owner.model_copy(update={
                    "kind": "context", "scope": "context", "cue": None,
                    "quote": " […] ".join(text[max(q.start, s.start):min(q.end, s.end)].strip(" «»“”\"") for q in parts)})
        previous = s


def _own_person(s: Sentence, quotes: list[Quote]) -> str | None:
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


def _frame_article(claims_at: list[Sentence], found: dict[int, Attribution], sentences: list[Sentence],
                   data: dict) -> None:
    """A title "…, selon le WSJ" frames the lead: its unattributed sentences carry the report's content,
    from the first paragraph up to the last one (before any section heading) that names the report again."""
    title = next((s for s in claims_at if s.kind == "title"), None)
    frame = found.get(title.index) if title else None
    if not frame or frame.kind not in ("selon", "document") or not frame.sources:
        return
    names = {fold(n) for n in frame.sources}
    for n in frame.sources:
        for _, _, canon in find_aliases(n):
            names.add(fold(canon))
    first_heading = min((s.paragraph for s in sentences if s.kind == "heading"), default=10 ** 6)
    last = 1
    for s in sentences:
        if 0 < s.paragraph < first_heading and s.kind == "body":
            mentioned = {fold(c) for _, _, c in find_aliases(s.text)} | {fold(e.text) for e in s.entities}
            if names & mentioned or any(n in fold(s.text) for n in names):
                last = max(last, s.paragraph)
    for s in claims_at:
        if s.kind == "body" and 0 < s.paragraph <= last and s.index not in found:
            found[s.index] = frame.model_copy(update={"kind": "article", "scope": "article", "speaker": None,
                                                      "quote": None})
