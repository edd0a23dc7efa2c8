"""Claims, hits and extracted articles → the formats people take away: JSON, JSON lines, CSV, ClaimReview.

One module for every writer, so that `claimsearch query`, `extract`, `export` and the web page give
the same fields under the same names. Pure functions from models to text; the caller writes it.

- JSON: one document (an array of records, or one object), never several documents back to back.
- JSON lines: one record per line.
- CSV: one claim per row, list fields joined with "; ", for spreadsheets.
- ClaimReview: schema.org JSON-LD, one `ClaimReview` per claim, for a fact-checker to complete
  (its `reviewRating` is left empty: a rating is the fact-checker's judgement, not ours).
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel

from .models import Claim
from .normalise import fold, load_aliases, person_named

Format = Literal["table", "json", "jsonl", "csv"]
FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv")
EXPORT_FORMATS: tuple[str, ...] = ("csv", "jsonl", "claimreview")
CSV_COLUMNS = ("id", "text", "sources", "cue", "stance", "scope", "speaker", "quote", "kind", "conditional",
               "entities", "date", "source_name", "title", "url", "article_id", "path", "lang", "score")
LIST_SEP = "; "
SCHEMA_ORG = "https://schema.org"


def record(item: BaseModel | dict) -> dict:
    """A model as plain JSON values (dates as yyyy-mm-dd)."""
    return item.model_dump(mode="json") if isinstance(item, BaseModel) else item


def to_json(items: Iterable[BaseModel | dict], one: bool = False) -> str:
    """One JSON document: an array of records, or with `one` the single record itself."""
    data = [record(i) for i in items]
    if one:
        if len(data) != 1:
            raise ValueError(f"one record expected, got {len(data)}")
        data = data[0]
    return json.dumps(data, ensure_ascii=False)


def to_jsonl(items: Iterable[BaseModel | dict]) -> Iterator[str]:
    """One JSON record per line (without the line break)."""
    for item in items:
        yield json.dumps(record(item), ensure_ascii=False)


def csv_row(claim: Claim | dict, columns: tuple[str, ...] = CSV_COLUMNS) -> list[str]:
    """The CSV cells of one claim or hit (or any record), in `columns` order."""
    data = record(claim)
    cells = []
    for column in columns:
        value = data.get(column)
        if isinstance(value, (list, tuple)):
            value = LIST_SEP.join(map(str, value))
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        cells.append("" if value is None else str(value))
    return cells


def to_csv(claims: Iterable[Claim | dict], columns: tuple[str, ...] = CSV_COLUMNS) -> Iterator[str]:
    """CSV lines (a header, then one claim per row), each ending with its line break."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in ([*columns], *(csv_row(c, columns) for c in claims)):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


# ---------------------------------------------------------------------------------------- ClaimReview

def author(name: str) -> dict:
    """A claim's source as a schema.org Person or Organization: the alias table's type when it has the
    name, else `normalise.person_named` (a guess the fact-checker reviews)."""
    known = load_aliases().type_of.get(name)
    if known:
        return {"@type": "Person" if known == "PER" else "Organization", "name": name}
    return {"@type": "Person" if person_named(name) else "Organization", "name": name}


def appearance(claim: Claim) -> dict:
    """The article a claim was read in, as a schema.org CreativeWork that cites it."""
    work: dict = {"@type": "CreativeWork", "headline": claim.title}
    if claim.url:
        work["url"] = claim.url
    if claim.date:
        work["datePublished"] = claim.date.isoformat()
    if claim.source_name:
        work["publisher"] = {"@type": "Organization", "name": claim.source_name}
    if not claim.url and claim.path:
        work["identifier"] = claim.path
    return work


def claim_reviews(claims: Iterable[Claim], among: Iterable[Claim] | None = None) -> list[dict]:
    """One schema.org ClaimReview per claim, its `reviewRating` and `url` left for the fact-checker.

    `firstAppearance` is the earliest dated article holding the same claim (the same words, accents
    and case aside) among `among` (default: the claims themselves; give the whole index when the
    claims are a selection); `datePublished` of the Claim is that article's date.
    """
    claims = list(claims)
    first: dict[str, Claim] = {}
    for c in (claims if among is None else [*claims, *among]):
        k = _same(c)
        if c.date and (k not in first or c.date < first[k].date):
            first[k] = c
    reviews = []
    for c in claims:
        earliest = first.get(_same(c), c)
        names = list(c.sources) or ([c.speaker] if c.speaker else [])
        authors = [author(n) for n in names] or (
            [{"@type": "Organization", "name": c.source_name}] if c.source_name else [])
        item: dict = {"@type": "Claim", "appearance": appearance(c), "firstAppearance": appearance(earliest)}
        if authors:
            item["author"] = authors[0] if len(authors) == 1 else authors
        if earliest.date:
            item["datePublished"] = earliest.date.isoformat()
        reviews.append({
            "@context": SCHEMA_ORG,
            "@type": "ClaimReview",
            "identifier": c.id,
            "claimReviewed": c.text,
            "inLanguage": c.lang,
            "itemReviewed": item,
            "reviewRating": {"@type": "Rating", "alternateName": "", "ratingExplanation": ""},
            "url": "",
        })
    return reviews


def _same(claim: Claim) -> str:
    return " ".join(fold(claim.text).split())


def to_claimreview(claims: Iterable[Claim], among: Iterable[Claim] | None = None) -> str:
    """ClaimReview JSON-LD: one JSON array of ClaimReview objects."""
    return json.dumps(claim_reviews(claims, among), ensure_ascii=False, indent=1)
