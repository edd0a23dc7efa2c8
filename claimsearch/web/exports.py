"""The page's exports of a result set, written by the CLI's own writers (`claimsearch.output`), so a
file downloaded from the page and one from `claimsearch export` hold the same fields."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import output
from ..models import Hit

FORMATS = ("csv", "json", "jsonl", "claimreview")
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "jsonl": "application/x-ndjson",
         "claimreview": "application/ld+json"}
SUFFIX = {"csv": "csv", "json": "json", "jsonl": "jsonl", "claimreview": "jsonld"}


def export(hits: Iterable[Hit], fmt: str, among: Iterable[Hit] | None = None) -> tuple[Iterator[str], str, str]:
    """(body in chunks, media type, file suffix) of the hits in `fmt`, one of FORMATS. `among`: every
    claim of the index when the hits are a selection (ClaimReview's firstAppearance may lie outside it)."""
    hits = list(hits)
    if fmt == "csv":
        body = output.to_csv(hits)
    elif fmt == "jsonl":
        body = (line + "\n" for line in output.to_jsonl(hits))
    elif fmt == "json":
        body = iter([output.to_json(hits)])
    else:
        body = iter([output.to_claimreview(hits, among) + "\n"])
    return body, MEDIA[fmt], SUFFIX[fmt]
