"""Article → CleanArticle. (Being written: see tests/test_cleaning.py once it lands.)"""
from __future__ import annotations

from .models import Article, CleanArticle


def clean(article: Article) -> CleanArticle:
    return CleanArticle(article=article, text=article.text, repairs=())
