"""Where and when an article was published: dates parsed, sidecar manifests, `--meta` files.

A fact-checker cites a claim by its article's URL, outlet and date. They come from the page itself
(HTML metadata, JSON record fields), or from a manifest: a `manifest.tsv` or `manifest.csv` beside
text files (in their folder or a parent folder) or a file given with `index --meta`, with a header
row and the columns `file` (relative to the manifest's folder) or `id`, and any of `url`, `date`,
`title`, `source_name` (also `outlet`, `publisher`, `source`). A manifest's values win over what the
article's text suggests (a dateline's date); the outlet defaults to the URL's host name.

Dates are parsed by dateparser (ISO first, then written dates in French or English) and kept as
`datetime.date`; an article date must name a day, and relative dates ("hier") are refused there.
"""
from __future__ import annotations

import csv
import datetime
import io
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ArticleError, QueryError
from .models import Article, ExtractedArticle, Model

MANIFESTS = ("manifest.tsv", "manifest.csv")
COLUMNS = {  # a manifest's or a JSON record's column → the Provenance field it fills
    "url": "url", "link": "url",
    "date": "date", "published": "date", "published_at": "date", "datepublished": "date",
    "title": "title", "headline": "title",
    "source_name": "source_name", "outlet": "source_name", "publisher": "source_name", "source": "source_name",
    "sitename": "source_name",
}
PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2}))?")  # a year or a month, which dateparser would date today's day


class DateError(QueryError):
    """A date given by the user (`--since`, `--until`) that is not one."""


class Provenance(Model):
    """What a manifest row or a --meta entry says of one article."""

    url: str | None = None
    date: datetime.date | None = None
    title: str | None = None
    source_name: str | None = None
    warnings: tuple[str, ...] = ()

    def apply(self, article: Article) -> Article:
        """The article with this provenance; a value given here wins over the one read from the text."""
        update = {k: v for k in ("url", "date", "title", "source_name") if (v := getattr(self, k))}
        if update.get("url") and not (update.get("source_name") or article.source_name):
            update["source_name"] = outlet(update["url"])
        if self.warnings:
            update["warnings"] = (*article.warnings, *self.warnings)
        return article.model_copy(update=update) if update else article


def cite(extracted: ExtractedArticle, article: Article | None = None) -> ExtractedArticle:
    """Every claim with its article's provenance (title, date, URL, file, outlet), so a hit can be cited
    alone; with `article`, that article's provenance replaces the extracted one (`index --meta`)."""
    article = article or extracted.article
    where = {"title": article.title, "date": article.date, "url": article.url, "path": article.path,
             "source_name": article.source_name}
    claims = tuple(c.model_copy(update=where) for c in extracted.claims)
    return extracted.model_copy(update={"article": article, "claims": claims})


# ---------------------------------------------------------------------------------------- dates

def parse_date(text: str | None, lang: str | None = None) -> datetime.date | None:
    """An article's date as written in a record or a manifest ("2012-07-02T09:30:00+02:00",
    "2 juillet 2012", "Mon, 02 Jul 2012 09:30:00 GMT"); None when it names no day."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}([T ].*)?", text):  # ISO-shaped but impossible: 2012-13-45
        return None
    import dateparser

    found = dateparser.parse(text, languages=[lang] if lang in ("fr", "en") else ["fr", "en"], settings={
        "PARSERS": ["timestamp", "absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"],
        "DATE_ORDER": "DMY" if lang == "fr" else "MDY"})
    return found.date() if found else None


def date_bound(text: str, end: bool = False, option: str = "") -> datetime.date:
    """A date a user typed for a filter: 2019-01-15, 2019-01 or 2019 (a period: its first day, or its
    last with `end`), "15 janvier 2019", "12/01/2019" (month first), "yesterday", "3 days ago".

    Raises DateError with one line that says what to type.
    """
    text = text.strip()
    try:
        m = PERIOD.fullmatch(text)
        if m:
            year, month = int(m[1]), int(m[2] or (12 if end else 1))
            first = datetime.date(year, month, 1)
            if not end:
                return first
            following = datetime.date(year + (month == 12), month % 12 + 1, 1)
            return (following - datetime.timedelta(days=1)) if m[2] else datetime.date(year, 12, 31)
        return datetime.date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d+(-\d+)?", text):
            raise DateError(f"{option and option + ' '}{text!r} is not a date: the month or the day is out of range") from None
    import dateparser

    side = "last" if end else "first"
    found = dateparser.parse(text, languages=["en", "fr"], settings={
        "PREFER_DAY_OF_MONTH": side, "PREFER_MONTH_OF_YEAR": side, "PREFER_DATES_FROM": "past"})
    if found is None:
        raise DateError(f"{option and option + ' '}{text!r} is not a date: type it as yyyy-mm-dd (2019-01-15), yyyy-mm or yyyy")
    return found.date()


# ---------------------------------------------------------------------------------------- manifests

def outlet(url: str | None) -> str | None:
    """The host name of a URL ("fr.wikinews.org"): the outlet when nothing names it."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def read_manifest(path: str | Path) -> dict[str, Provenance]:
    """A manifest → {absolute file path or "id:<article id>": Provenance}.

    Raises ArticleError naming the manifest when it cannot be read or has no `file` or `id` column;
    a bad value in a row becomes a warning on that row's articles.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleError(str(path), f"cannot read the manifest ({getattr(exc, 'strerror', None) or exc})") from exc
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" or "\t" in text.partition("\n")[0] else "excel"
    rows = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = {(h or "").strip().lower(): h for h in rows.fieldnames or ()}
    if "file" not in header and "path" not in header and "id" not in header:
        raise ArticleError(str(path), "not a manifest: its header has no 'file' (or 'id') column")
    folder = os.path.abspath(path.parent)
    found: dict[str, Provenance] = {}
    for row in rows:
        line = rows.line_num
        values: dict[str, str] = {}
        for name, original in header.items():
            field = COLUMNS.get(name)
            value = (row.get(original) or "").strip()
            if field and value and field not in values:
                values[field] = value
        warnings = []
        date = parse_date(values.get("date"))
        if values.get("date") and date is None:
            warnings.append(f"{path}:{line}: date {values['date']!r} is not a date, ignored")
        entry = Provenance(url=values.get("url"), date=date, title=values.get("title"),
                           source_name=values.get("source_name"), warnings=tuple(warnings))
        file = (row.get(header.get("file") or header.get("path") or "") or "").strip()
        if file:
            found[os.path.normpath(os.path.join(folder, file))] = entry
        ident = (row.get(header.get("id", "")) or "").strip()
        if ident:
            found[f"id:{ident}"] = entry
    return found


@lru_cache(maxsize=256)
def _cached_manifest(path: str, mtime_ns: int) -> dict[str, Provenance] | ArticleError:
    try:
        return read_manifest(path)
    except ArticleError as exc:
        return exc


def _manifest_in(folder: str) -> str | None:
    return next((str(p) for name in MANIFESTS if (p := Path(folder, name)).is_file()), None)


def sidecar(path: str | Path, article_id: str | None = None) -> Provenance | None:
    """The provenance a manifest beside the file (in its folder or a parent's) gives it, if any.

    A manifest that cannot be read gives a Provenance holding only the warning that says so.
    """
    target = os.path.abspath(path)
    folder = os.path.dirname(target)
    while True:
        manifest = _manifest_in(folder)
        if manifest is not None:
            entries = _cached_manifest(manifest, os.stat(manifest).st_mtime_ns)
            if isinstance(entries, ArticleError):
                return Provenance(warnings=(f"{entries}; ignored",))
            entry = entries.get(target) or (entries.get(f"id:{article_id}") if article_id else None)
            if entry is not None:
                return entry
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def lookup(entries: dict[str, Provenance], article: Article) -> Provenance | None:
    """The entry of a --meta manifest for an article: by its file, else by its id."""
    return (entries.get(os.path.abspath(article.path)) if article.path else None) or entries.get(f"id:{article.id}")
