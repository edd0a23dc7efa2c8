"""Score extracted claims against gold annotations (the format of GUIDELINES.md).

Per-field precision/recall, broken down by attribution kind, so a user can check the tool on their
own annotated articles. Matching ignores case, accents and punctuation, as the guidelines say.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import GoldFileError
from .folding import fold
from .models import Claim


class Gold(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class GoldClaim(Gold):
    match: str
    sources: list[str] = []
    none_ok: bool = False
    scope: str | None = None
    cue: str | None = None
    speaker: str | None = None
    quote: str | None = None
    entities: list[str] = []
    optional: bool = False


class GoldRepair(Gold):
    glued: str
    fixed: str


class GoldAlias(Gold):
    written: str
    means: str


class GoldArticleMeta(Gold):
    id: str
    lang: str
    title: str = ""


class GoldArticle(Gold):
    file: str
    exhaustive: bool = False
    article: GoldArticleMeta
    not_claims: list[str] = []
    repairs: list[GoldRepair] = []
    aliases: list[GoldAlias] = []
    claims: list[GoldClaim]
    queries: list[dict] = []
    filters: list[dict] = []
    path: Path | None = None

    @property
    def text_path(self) -> Path:
        return (self.path.parent / self.file).resolve() if self.path else Path(self.file)


def load_gold(path: str | Path) -> GoldArticle:
    path = Path(path)
    try:
        return GoldArticle.model_validate_json(path.read_bytes()).model_copy(update={"path": path})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise GoldFileError(str(path), f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from exc
    except OSError as exc:
        raise GoldFileError(str(path), f"cannot read: {exc.strerror or exc}") from exc


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(f for f in p.glob("*.json") if "claims" in json.loads(f.read_text("utf-8"))) if p.is_dir() else [p])
    return out


def norm(text: object) -> str:
    return fold(str(text or ""))


def contains(haystack: object, needle: object) -> bool:
    n = norm(needle)
    return bool(n) and f" {n} " in f" {norm(haystack)} "


TITLES = {"mr", "mrs", "ms", "dr", "m", "mme", "president", "senator", "minister", "ministre", "the", "le", "la", "l"}


def same_name(system: str, gold: str) -> bool:
    """'Trump' ~ 'Donald Trump'; a gold name may list spellings: 'Vladimir Poutine|Vladimir Putin'."""
    if "|" in gold:
        return any(same_name(system, g) for g in gold.split("|"))
    a, b = _untitled(system), _untitled(gold)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return any(long_[i:i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _untitled(name: str) -> list[str]:
    toks = norm(name).split()
    while len(toks) > 1 and toks[0] in TITLES:
        toks = toks[1:]
    return toks


class Scores:
    """Hits and totals per field, overall and per attribution kind."""

    def __init__(self) -> None:
        self.hit: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.misses: list[str] = []

    def add(self, field: str, ok: bool, kind: str = "all", why: str = "") -> None:
        for k in {"all", kind}:
            self.total[k][field] += 1
            self.hit[k][field] += int(ok)
        if not ok and why:
            self.misses.append(f"{field}: {why}")

    def table(self, kind: str = "all") -> dict[str, float]:
        out = {f: round(self.hit[kind][f] / n, 3) for f, n in sorted(self.total[kind].items()) if n}
        p, r = out.get("claim precision"), out.get("claim recall")
        if p is not None and r is not None and p + r:
            out["claim F1"] = round(2 * p * r / (p + r), 3)
        return out

    def counts(self, kind: str = "all") -> dict[str, tuple[int, int]]:
        return {f: (self.hit[kind][f], n) for f, n in sorted(self.total[kind].items())}


def _gold_kind(g: GoldClaim) -> str:
    if not g.sources:
        return "none"
    if g.scope in ("context", "article"):
        return g.scope
    if g.speaker:
        return "quote"
    cue = norm(g.cue)
    if cue in ("selon", "d apres", "according to", "pour") or cue.startswith(("pour ", "selon")):
        return "selon"
    if cue.startswith("comme"):
        return "document"
    return "verb"


def _sources_ok(g: GoldClaim, sources: list[str]) -> bool:
    if not g.sources:
        return not sources
    if not sources and g.none_ok:
        return True
    return any(same_name(s, w) for s in sources for w in g.sources)


def score_article(gold: GoldArticle, claims: list[Claim], scores: Scores) -> None:
    """Compare one article's claims with its gold, adding to `scores`."""
    aid = gold.article.id
    used: set[int] = set()
    for g in gold.claims:
        kind = _gold_kind(g)
        cands = sorted((i for i, c in enumerate(claims) if contains(c.text, g.match)),
                       key=lambda i: (i in used, len(claims[i].text)))
        c = claims[cands[0]] if cands else None
        if cands:
            used.add(cands[0])
        label = f"{aid}: «{g.match[:60]}»"
        if not g.optional:
            scores.add("claim recall", c is not None, kind, label + " not extracted")
        if c is None:
            if g.sources:
                scores.add("attribution recall", False, kind, label + " (attributed claim missed)")
            continue
        ok = _sources_ok(g, list(c.sources))
        scores.add("attribution accuracy", ok, kind, f"{label} sources={list(c.sources)} want={g.sources}")
        if g.sources:
            scores.add("attribution recall", ok and (bool(c.sources) or g.none_ok), kind, f"{label} sources={list(c.sources)}")
        if g.scope:
            scores.add("scope", c.scope in [g.scope] + (["none"] if g.none_ok else []), kind,
                       f"{label} scope={c.scope} want={g.scope}")
        if g.cue:
            scores.add("cue", contains(c.cue, g.cue), kind, f"{label} cue={c.cue!r} want={g.cue!r}")
        if g.speaker:
            scores.add("speaker", same_name(c.speaker or "", g.speaker), kind,
                       f"{label} speaker={c.speaker!r} want={g.speaker!r}")
        if g.quote:
            scores.add("quote", contains(c.quote, g.quote), kind, f"{label} quote={c.quote!r}")
        for e in g.entities:
            scores.add("entity recall", any(same_name(x, e) for x in c.entities), kind,
                       f"{label} entity {e!r} not in {list(c.entities)}")
    for c in claims:
        real = next((g for g in gold.claims if contains(c.text, g.match)), None)
        bad = any(contains(n, c.text) or (contains(c.text, n) and real is None) for n in gold.not_claims)
        if bad:
            scores.add("claim precision", False, c.kind, f"{aid}: not a claim: «{c.text[:60]}»")
        elif gold.exhaustive:
            scores.add("claim precision", real is not None, c.kind, f"{aid}: extra claim «{c.text[:60]}»")
        if c.sources and gold.exhaustive:
            scores.add("attribution precision", real is not None and _sources_ok(real, list(c.sources)), c.kind,
                       f"{aid}: «{c.text[:60]}» attributed to {list(c.sources)}")
    text = " ".join(c.text for c in claims)
    for r in gold.repairs:
        if r.glued in text or contains(text, r.fixed):
            scores.add("repairs", r.glued not in text and contains(text, r.fixed), "none",
                       f"{aid}: {r.glued!r} should read {r.fixed!r}")
    for a in gold.aliases:
        holders = [c for c in claims if contains(c.text, a.written)]
        scores.add("aliases", any(same_name(x, a.means) for c in holders for x in c.entities), "none",
                   f"{aid}: a claim that writes {a.written!r} should carry entity {a.means!r}")


def evaluate(paths: Iterable[str | Path], lang: str | None = None) -> Scores:
    """Extract each gold file's article and score it; `lang` keeps one language."""
    from .pipeline import extract
    from .reading import read_article

    scores = Scores()
    for path in gold_files(paths):
        gold = load_gold(path)
        if lang and gold.article.lang != lang:
            continue
        article = read_article(gold.text_path, lang=gold.article.lang)
        score_article(gold, list(extract(article).claims), scores)
    return scores
