"""The page's exports of a result set: the CLI's writers (`claimsearch.output`), behind one function.

SEAM: `claimsearch.output` is issue 14's module (JSON, JSON lines, CSV, ClaimReview for
`claimsearch export`). Until it is on main, JSON, JSON lines and CSV are written here with the
standard library and ClaimReview is refused; once it lands, the `_output is None` branches go.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from ..models import Hit

try:
    from .. import output as _output
except ImportError:  # issue 14 not merged yet
    _output = None

FORMATS = ("csv", "json", "jsonl", "claimreview")
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "jsonl": "application/x-ndjson",
         "claimreview": "application/ld+json"}
SUFFIX = {"csv": "csv", "json": "json", "jsonl": "jsonl", "claimreview": "claimreview.jsonld"}


class ExportUnavailable(ValueError):
    """A format this build cannot write."""


def export(hits: Iterable[Hit], fmt: str) -> tuple[str, str, str]:
    """(body, media type, file suffix) of the hits in `fmt`, one of FORMATS."""
    hits = list(hits)
    if _output is not None:
        body = {"json": lambda: _output.to_json(hits), "jsonl": lambda: "".join(line + "\n" for line in _output.to_jsonl(hits)),
                "csv": lambda: "".join(_output.to_csv(hits)), "claimreview": lambda: _output.to_claimreview(hits)}[fmt]()
        return body, MEDIA[fmt], SUFFIX[fmt]
    records = [h.model_dump(mode="json") for h in hits]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False), MEDIA[fmt], SUFFIX[fmt]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), MEDIA[fmt], SUFFIX[fmt]
    if fmt == "csv":
        columns = ["id", "text", "sources", "cue", "stance", "scope", "speaker", "quote", "conditional", "date",
                   "title", "article_id", "lang", "score"]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for r in records:
            writer.writerow(["; ".join(v) if isinstance(v := r.get(c), list) else "" if v is None else v for c in columns])
        return buffer.getvalue(), MEDIA[fmt], SUFFIX[fmt]
    raise ExportUnavailable(f"format={fmt}: ClaimReview export comes with `claimsearch export` (not in this build yet)")
