"""URL → Articles: a news page, or every page an RSS, Atom or JSON feed lists, fetched and read by trafilatura.

The network half of reading: what comes back is read as an HTML page is (main text, title, date,
canonical URL, site name), and every failure is one ArticleError naming the URL; the rest goes on.
trafilatura refuses private addresses (SSRF protection) unless asked: the CLI asks, since the
user typed the address, by `--private-urls` or CLAIMSEARCH_PRIVATE_URLS=1.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import unquote, urljoin, urlsplit

from .errors import ArticleError
from .models import Article
from .provenance import outlet
from .reading import MAX_BYTES, _declared_charset, decode, from_html

PRIVATE_ENV = "CLAIMSEARCH_PRIVATE_URLS"
MAX_FEED_ITEMS = 200


def is_url(path: object) -> bool:
    return isinstance(path, str) and path.lower().startswith(("http://", "https://"))


def url_id(url: str) -> str:
    """An article id from its address: the last part of its path without extension, else its host."""
    parts = urlsplit(url)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.I)
    return re.sub(r"[^\w.-]+", "-", last).strip("-.") or parts.hostname or "page"


def _fetch(url: str, max_bytes: int) -> tuple[bytes, str]:
    """(body, final URL) or an ArticleError that says what went wrong."""
    from trafilatura.downloads import fetch_response
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max_bytes))
    if os.environ.get(PRIVATE_ENV) == "1":
        config.set("DEFAULT", "SSRF_PROTECTION", "off")
    response = fetch_response(url, config=config)
    if response is None:
        raise ArticleError(url, "cannot fetch: no answer (a wrong address, no network, or a private address: "
                                "allow those with --private-urls)")
    if response.status >= 400:
        raise ArticleError(url, f"cannot fetch: HTTP {response.status}")
    if not response.data:
        raise ArticleError(url, "cannot fetch: an empty answer")
    return bytes(response.data), response.url or url


def _page(data: bytes, url: str, lang: str | None) -> Article:
    text, warnings = decode(data, url, _declared_charset(data))
    article = from_html(text, url_id(url), url, lang, warnings)
    found = article.url or url
    return article.model_copy(update={"url": found, "source_name": article.source_name or outlet(found)})


def read_url(url: str, lang: str | None = None, max_bytes: int = MAX_BYTES) -> Iterator[Article | ArticleError]:
    """The article of a page, or the articles of every page a feed lists (each fetched in turn)."""
    from trafilatura.feeds import FeedParameters, find_links, is_potential_feed

    try:
        data, final = _fetch(url, max_bytes)
        text, _ = decode(data, url)
    except ArticleError as exc:
        yield exc
        return
    start = text.lstrip("\ufeff \t\r\n")
    if not (is_potential_feed(start) or start.startswith("{")):
        try:
            yield _page(data, final, lang)
        except ArticleError as exc:
            yield exc
        return
    links = find_links(start, FeedParameters(final, urlsplit(final).hostname or "", final, external=True))
    links = list(dict.fromkeys(u for u in (urljoin(final, link) for link in links)  # not the site's home page
                               if is_url(u) and u != final and urlsplit(u).path.strip("/")))
    if not links:
        yield ArticleError(url, "a feed that lists no article")
        return
    for link in links[:MAX_FEED_ITEMS]:
        try:
            page, where = _fetch(link, max_bytes)
            yield _page(page, where, lang)
        except ArticleError as exc:
            yield exc
