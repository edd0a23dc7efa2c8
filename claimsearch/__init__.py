"""claimsearch: search the claims in news articles — who claimed what, according to whom.

    >>> import claimsearch
    >>> claims = claimsearch.extract_claims("article.txt")
    >>> claimsearch.index_articles(["articles/"], index_dir="index")
    >>> hits = claimsearch.search("Starlink Taïwan", index_dir="index")
    >>> same = claimsearch.similar(hits[0].id, index_dir="index")  # the same claim in other articles
"""
from __future__ import annotations

from .errors import ArticleError, ClaimsearchError, GoldFileError, IndexError_, IndexVersionError, QueryError
from .models import Article, Attribution, Claim, CleanArticle, ExtractedArticle, Hit, Repair, Sentence

__all__ = [
    "Article", "ArticleError", "Attribution", "Claim", "ClaimsearchError", "CleanArticle", "ExtractedArticle",
    "GoldFileError", "Hit", "IndexError_", "IndexVersionError", "QueryError", "Repair", "Sentence",
    "extract", "extract_claims", "extract_many", "index_articles", "search", "similar", "ClaimIndex",
]


def __getattr__(name: str):
    """Load the heavy stages (spaCy, Whoosh) only when first used, so `import claimsearch` stays fast."""
    if name in ("extract", "extract_claims", "extract_many"):
        from . import pipeline
        return getattr(pipeline, name)
    if name == "index_articles":
        from .indexing import index_articles
        return index_articles
    if name in ("search", "similar", "ClaimIndex"):
        from . import searching
        return getattr(searching, name)
    raise AttributeError(f"module 'claimsearch' has no attribute {name!r}")
