"""Indexes built from the real fixtures through the real pipeline, extracted once per test session.

spaCy's extraction of the 14 gold articles is the slow part (~20 s), so it runs once and every
index a test builds afterwards replays those same ExtractedArticles through `index_articles`
(its `extractor` argument): the index code under test is the real one, and so are the claims.
"""
from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pytest

from claimsearch.errors import ArticleError

FIXTURES = Path(__file__).parent / "fixtures"
FR08 = FIXTURES / "corpus" / "fr" / "fr-wn-0008.txt"
EN02 = FIXTURES / "corpus" / "en" / "en-wn-0002.txt"
GOLD_DIR = FIXTURES / "gold"
SEED = FIXTURES / "seed" / "fr-03.txt"


def gold_files() -> list[Path]:
    """The gold articles and fr-03, as absolute paths."""
    files = [(GOLD_DIR / json.loads(p.read_text(encoding="utf-8"))["file"]).resolve()
             for p in sorted(GOLD_DIR.glob("*.json"))]
    return files + [SEED.resolve()]


def gold_specs() -> list[dict]:
    specs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD_DIR.glob("*.json"))]
    return specs + [json.loads((FIXTURES / "seed" / "fr-03.expected.json").read_text(encoding="utf-8"))]


@cache
def _extracted(paths: tuple[Path, ...]) -> dict[str, object]:
    from claimsearch.pipeline import extract_many

    out = {}
    for result in extract_many(list(paths), embed=True):  # with vectors, as an indexing run computes them
        key = result.path if isinstance(result, ArticleError) else result.article.path
        out[str(Path(key).resolve())] = result
    return out


def extracted() -> dict[str, object]:
    """resolved path → ExtractedArticle of every gold file."""
    return _extracted(tuple(gold_files()))


def replay(paths, lang=None):
    """An extractor for `index_articles`: cached results for gold files, the real pipeline for others."""
    from claimsearch.pipeline import extract_many

    cached = extracted()
    fresh = [p for p in paths if str(Path(p).resolve()) not in cached]
    fresh_results = iter(extract_many(fresh, lang=lang)) if fresh else iter(())
    for p in paths:
        yield cached.get(str(Path(p).resolve())) or next(fresh_results)


def build(index_dir, paths=None, **kwargs):
    from claimsearch.indexing import index_articles

    return index_articles(paths if paths is not None else gold_files(), index_dir=index_dir, extractor=replay, **kwargs)


@pytest.fixture(scope="session")
def gold_index(tmp_path_factory) -> Path:
    """An index of the gold articles and fr-03, built once per session; tests only read it."""
    path = tmp_path_factory.mktemp("gold_index")
    report = build(path)
    assert not report.errors, report.errors
    return path


@pytest.fixture
def two_articles(tmp_path):
    """Copies of two fixture articles in a folder of their own, indexed by the real pipeline."""
    from claimsearch.indexing import index_articles

    docs = tmp_path / "docs"
    docs.mkdir()
    for src in (FR08, EN02):
        shutil.copy(src, docs / src.name)
    index_dir = tmp_path / "index"
    report = index_articles([docs], index_dir=index_dir)
    assert report.articles == 2 and not report.errors
    return docs, index_dir

