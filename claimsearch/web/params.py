"""The parameters of a search URL, validated: what the page and the API accept, and nothing else.

A URL holds the whole search (so it can be shared); a parameter that is unknown, given twice, too
long or out of its range is refused with one line saying which and why (a 400, never a guess).
"""
from __future__ import annotations

import calendar
from functools import cached_property
from typing import Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..hybrid import Mode

Stance = Literal["assert", "confirm", "deny", "admit", "allege", "report", "question", "none"]  # none: the cue says nothing
DAY = r"^\d{4}-\d{2}(-\d{2})?$"
MONTH = r"^\d{4}-\d{2}$"
Name = Field(default=None, min_length=1, max_length=200)


class BadParameter(ValueError):
    """A request parameter the page cannot use; the message names it."""


class SearchParams(BaseModel):
    """A search and its filters, as the page's URL and the API's query string carry them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field(default="", max_length=500)
    source: str | None = Name
    speaker: str | None = Name
    outlet: str | None = Name
    article: str | None = Name
    stance: Stance | None = None
    attributed: Literal["yes", "no"] | None = None
    lang: Literal["fr", "en"] | None = None
    scope: Literal["sentence", "context", "article", "none"] | None = None
    since: str | None = Field(default=None, pattern=DAY)
    until: str | None = Field(default=None, pattern=DAY)
    month: str | None = Field(default=None, pattern=MONTH)
    mode: Mode = "hybrid"  # the ranking, as `claimsearch query --mode`; the counts are of the claims with the words
    page: int = Field(default=1, ge=1, le=1000)
    per: int = Field(default=10, ge=1, le=100)

    @model_validator(mode="after")
    def _dates(self) -> SearchParams:
        for name in ("since", "until", "month"):
            value = getattr(self, name)
            if value:
                y, m = int(value[:4]), int(value[5:7])
                d = int(value[8:10]) if len(value) > 7 else 1
                if not 1 <= m <= 12 or not 1 <= d <= calendar.monthrange(y, m)[1]:
                    raise ValueError(f"{name}={value} is not a date")
        return self

    def filters(self) -> dict:
        """The keyword filters of `ClaimIndex.search` (the outlet is the browser's own filter)."""
        since, until = self.since, self.until
        if self.month:  # a bar of the timeline: that month, within since/until if given
            y, m = int(self.month[:4]), int(self.month[5:7])
            first, last = f"{self.month}-01", f"{self.month}-{calendar.monthrange(y, m)[1]:02d}"
            since = max(first, _day(since, first))
            until = min(last, _day(until, last, end=True))
        return dict(source=self.source, speaker=self.speaker, lang=self.lang, article=self.article,
                    scope=self.scope, attributed=None if self.attributed is None else self.attributed == "yes",
                    stance=self.stance, since=_day(since, None),
                    until=_day(until, None, end=True))

    def given(self) -> dict[str, str]:
        """The parameters that differ from their defaults, as strings: what a link must carry."""
        return dict(self._given)

    @cached_property
    def _given(self) -> dict[str, str]:  # a page draws some eighty links from the same parameters
        return {k: str(v) for k, v in self.model_dump(exclude_defaults=True).items() if v not in (None, "")}

    def filters_given(self) -> dict[str, str]:
        """The given parameters that narrow the claims (not the query, the ranking or the page)."""
        return {k: v for k, v in self._given.items() if k not in ("q", "mode", "page", "per")}

    def url(self, path: str = "/", **changes) -> str:
        """A link to `path` with these parameters, some changed (None removes one); any change but
        the page goes back to page 1."""
        values = self.given()
        if set(changes) - {"page"}:
            values.pop("page", None)
        for k, v in changes.items():
            if v is None:
                values.pop(k, None)
            else:
                values[k] = str(v)
        query = urlencode(values)
        return f"{path}?{query}" if query else path


def _day(value: str | None, default: str | None, end: bool = False) -> str | None:
    """A YYYY-MM or YYYY-MM-DD bound as a day: the month's first day, or its last for an end bound."""
    if not value:
        return default
    if len(value) == 7:
        y, m = int(value[:4]), int(value[5:7])
        return f"{value}-{calendar.monthrange(y, m)[1]:02d}" if end else f"{value}-01"
    return value


def parse(items: list[tuple[str, str]], allowed: set[str] | None = None) -> SearchParams:
    """A query string's (name, value) pairs → SearchParams, or BadParameter naming what is wrong.

    An empty value counts as not given (a form sends its empty fields); `allowed` narrows the names.
    """
    values: dict[str, str] = {}
    for name, value in items:
        if name in values:
            raise BadParameter(f"parameter {name!r} is given twice")
        if allowed is not None and name not in allowed:
            raise BadParameter(f"unknown parameter {name!r}; this page takes {', '.join(sorted(allowed))}")
        if value.strip() or name == "q":
            values[name] = value.strip() if name != "q" else value
    try:
        return SearchParams(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "parameters"
        if first["type"] == "extra_forbidden":
            raise BadParameter(f"unknown parameter {where!r}; see /api for the parameters") from None
        message = first["msg"].removeprefix("Value error, ")
        raise BadParameter(f"{where}: {message}" if where != "parameters" else message) from None


__all__ = ["BadParameter", "SearchParams", "parse"]
