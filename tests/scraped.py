"""Scraped-looking copies of real articles: what a scraper does to news text, at random places.

`scrape(article, rng)` returns the copy and what was done to it; `copies()` is the Hypothesis
strategy over the sample corpus (both languages). Used by tests/test_scraped.py (properties) and
benchmarks/bench_scraped.py (repair rate and extraction quality on copies of the dev gold).

The defects: a capitalised word (a name, or an ordinary word opening a sentence) glued to the
frequent word after it, the way a link's last word meets the next one ("Parisque", "Selonles",
"Trumpand", "Muskl’homme"); a closing guillemet written as an opening one; the title again as an
accent-stripped slug under it; the title repeated further down; "Lire aussi : …"/"Read more: …"
teasers; share-button and cookie-banner lines; photo credits; the page id at the end.

A glued word is made only where the glued token is no word of either language (wordfreq, the
spaCy vocabulary): "Par" + "is" makes a word no reader could see as glued. The right word is
frequent (zipf >= 5.5: "que", "les", "the", "said", "a", or an elided "l’homme"). With
`readable=True` (the property tests), a reader could also tell where to cut: the left word is a
name the article writes elsewhere or a common word of either language (zipf >= 4.5: "Selon",
"Paris", "Trump"), and no other cut makes two such words ("Ellesont": "Elles ont" or "Elle sont"?).
With `readable=False` (the benchmark, as the issue measured), any known left word will do.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hypothesis import strategies as st
from unidecode import unidecode
from wordfreq import zipf_frequency

from claimsearch.glued import in_vocabulary
from claimsearch.models import Article
from claimsearch.reading import find_files, read_article

SAMPLE = Path(__file__).resolve().parent.parent / "claimsearch" / "sample"
FREQUENT = 5.5  # the right word of a gluing: the most frequent words of the language
COMMON = 4.5  # a left word a reader knows without the article
TWO_LETTER_COMMON = 6.0  # 'Le', 'De', 'Si', 'In', 'As', not 'Eh': two letters are a word only if very common
ELISIONS = {"l", "d", "qu", "s", "n", "c", "j", "m", "t", "jusqu", "lorsqu", "puisqu"}
PAIR = re.compile(r"(?<![\w’'\-./@&])([A-ZÀ-ÖØ-Ý][^\W\d_]*) ([^\W\d_]+(?:[’'][^\W\d_]+)?)(?![\w’'\-@]|\.\w)")

TEASERS = {"fr": ["Lire aussi : {}", "À lire aussi : {}", "LIRE AUSSI. {}", "A lire aussi - {}", "Lire aussi >> {}",
                  "Voir aussi : {}", "Sur le même sujet : {}", "À LIRE ÉGALEMENT : {}"],
           "en": ["Read more: {}", "READ MORE: {}", "Read more - {}", "Also read: {}", "See also: {}", "Related: {}",
                  "Read next: {}"]}
SHARE = ["Partager : Facebook Twitter E-mail", "Partager sur Facebook", "Partager sur X", "Facebook Twitter LinkedIn",
         "Partager cet article", "Copier le lien", "Share on Facebook | Share on Twitter | Email", "Share this article",
         "Tweet", "Share", "Facebook · Twitter · WhatsApp · Email", "Partagez : Facebook, X, LinkedIn, WhatsApp"]
COOKIES = ["Nous utilisons des cookies pour vous offrir la meilleure expérience sur notre site.",
           "En poursuivant votre navigation, vous acceptez l'utilisation de cookies.",
           "Ce site utilise des cookies. Accepter | Refuser | Paramétrer", "Tout accepter", "Continuer sans accepter",
           "We use cookies to improve your experience on our website.", "This website uses cookies. Accept all",
           "By continuing to browse this site, you agree to our use of cookies.", "Accept all cookies",
           "Manage cookies", "Gérer mes préférences"]
CREDITS = ["Photo : {name} / AFP", "Photo: {name}/Reuters", "© {agency}", "© {name} / {agency}", "Crédit photo : {name}",
           "(Photo by {name}/Getty Images)", "Photo credit: {agency}", "PHOTO : {agency}", "Crédits : {name} / {agency}",
           "Photograph: {name}/{agency}"]
AGENCIES = ["AFP", "Reuters", "AP", "Getty Images", "EPA", "Sipa", "Maxppp", "Hans Lucas"]


@dataclass(frozen=True)
class Copy:
    """A scraped-looking copy of `original`, and what the scraper did to it."""

    original: Article
    article: Article
    glued: tuple[tuple[str, str], ...]  # (as glued, as written in the original): ("Parisque", "Paris que")
    leftovers: tuple[str, ...]  # the lines added, as written


@cache
def sample_articles() -> tuple[Article, ...]:
    return tuple(read_article(p) for p in find_files([SAMPLE]))


def _word(token: str, lang: str) -> bool:
    key = token.lower().replace("’", "'")
    return zipf_frequency(key, lang) > 0 or zipf_frequency(key, "en" if lang == "fr" else "fr") > 0 or in_vocabulary(token, lang)


def _frequent(word: str, lang: str) -> bool:
    head, _, tail = word.replace("’", "'").partition("'")
    if tail:  # an elided article or pronoun: l'homme, d'importantes, qu'il
        return head.lower() in ELISIONS and lang == "fr" and _word(tail, lang)
    return word.islower() and zipf_frequency(word, lang) >= FREQUENT


def glue_candidates(text: str, lang: str, start: int, readable: bool = True) -> list[re.Match]:
    """Pairs that a scraper could glue (see the module's docstring)."""
    counts = Counter(w.casefold() for w in re.findall(r"[^\W\d_]+(?:[’'][^\W\d_]+)*", text))
    out = []
    for m in PAIR.finditer(text, start):
        left, right = m.group(1), m.group(2)
        glued = left + right
        if len(left) < 2 or not (left[1:].islower() or left.isupper()) or not _frequent(right, lang):
            continue
        if _word(glued, lang) or glued in text or not (_word(left, lang) or counts[left.casefold()] > 1):
            continue
        if readable and not (_known(left, lang, counts) and _one_reading(glued, len(left), lang, counts)):
            continue
        out.append(m)
    return out


def _known(left: str, lang: str, counts: Counter) -> bool:
    """A left word a reader knows: written elsewhere, an acronym, or common (two-letter ones: very common)."""
    other = "en" if lang == "fr" else "fr"
    common = COMMON if len(left) > 2 else TWO_LETTER_COMMON
    return counts[left.casefold()] > 1 or left.isupper() or max(
        zipf_frequency(left.lower(), lang), zipf_frequency(left.lower(), other)) >= common


def _one_reading(glued: str, cut: int, lang: str, counts: Counter) -> bool:
    """No other cut gives a known left word and a frequent right one."""
    head = re.split(r"[’']", glued)[0]
    return not any(_known(head[:i], lang, counts) and _frequent(glued[i:], lang)
                   for i in range(2, len(head)) if i != cut)


def scrape(article: Article, rng: random.Random, glue: int = 6, readable: bool = True) -> Copy:
    """A copy of `article` as a scraper leaves it: `glue` glued pairs, then every other defect once or more."""
    text, lang = article.text, article.lang
    body = len(article.title) + 2
    picked = _spread(glue_candidates(text, lang, body, readable), glue, rng)
    glued = tuple((m.group(1) + m.group(2), m.group(0)) for m in picked)
    for m in sorted(picked, key=lambda m: -m.start()):
        text = text[:m.start()] + m.group(1) + m.group(2) + text[m.end():]
    if lang == "fr":
        text = _break_a_guillemet(text, rng)
    titles = [a.title for a in sample_articles() if a.id != article.id and a.lang == lang]
    names = sorted({w for a in sample_articles() for w in re.findall(r"\b[A-Z][a-z]{3,}\b", a.title)})
    leftovers = [article.title] * rng.randint(0, 1) + [
        rng.choice(TEASERS[lang]).format(rng.choice(titles)) for _ in range(rng.randint(1, 2))] + [
        rng.choice(SHARE), rng.choice(COOKIES)] + [
        rng.choice(CREDITS).format(name=" ".join(rng.sample(names, 2)), agency=rng.choice(AGENCIES))
        for _ in range(rng.randint(1, 2))]
    rng.shuffle(leftovers)
    paragraphs = text.split("\n\n")
    last = len(paragraphs) - (paragraphs[-1] == article.id)  # an id already at the end stays there
    for line in leftovers:  # each at a random boundary after the title, the end included
        paragraphs.insert(rng.randint(1, last), line)
        last += 1
    slug = _slug(article.title, rng)
    if len(slug.split()) >= 3 and rng.random() < 0.7:
        paragraphs.insert(1, slug)
    if paragraphs[-1] != article.id:
        paragraphs.append(article.id)
    copy = article.model_copy(update={"text": "\n\n".join(paragraphs)})
    return Copy(original=article, article=copy, glued=glued, leftovers=tuple(leftovers))


def _spread(candidates: list[re.Match], n: int, rng: random.Random) -> list[re.Match]:
    """Up to n pairs at random places, no two touching and no left word twice (a name the article writes
    elsewhere stays written there once at least)."""
    picked: list[re.Match] = []
    for m in rng.sample(candidates, len(candidates)):
        if len(picked) == n:
            break
        if all(m.end() < p.start() or p.end() < m.start() for p in picked) and all(
                m.group(1).casefold() != p.group(1).casefold() for p in picked):
            picked.append(m)
    return picked


def _break_a_guillemet(text: str, rng: random.Random) -> str:
    """A closing « … » written as an opening mark glued to the quote's last word: `guerre« .`"""
    closers = [m for m in re.finditer(r"(?<=[^\W\d_])[ \u00a0\u202f]»", text)
               if text.rfind("«", text.rfind("\n", 0, m.start()) + 1, m.start()) != -1
               and text[m.end():m.end() + 1] in ("", " ", ".", ",", "\n")]
    if not closers:
        return text
    m = rng.choice(closers)
    return text[:m.start()] + "«" + text[m.end():]


def _slug(title: str, rng: random.Random) -> str:
    """The title as a URL slug reads: no accents, no punctuation, cut after at least half its words."""
    words = re.sub(r"[^\w\s]", " ", unidecode(title.replace("’", "'"))).split()
    return " ".join(words[:rng.randint(min(len(words), max(3, (len(words) + 1) // 2)), len(words))])


def copies(lang: str | None = None) -> st.SearchStrategy[Copy]:
    """Scraped-looking copies of the sample corpus's articles, in one language or both."""
    articles = [a for a in sample_articles() if lang in (None, a.lang) and a.id != "fr-03"]
    for code in ("fr", "en"):  # load the spaCy vocabularies now: loading a model inside a strategy touches `random`
        in_vocabulary("a", code)
    return st.builds(scrape, st.sampled_from(articles), st.randoms(use_true_random=False),
                     st.integers(min_value=1, max_value=8))
