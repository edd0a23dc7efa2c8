"""URL input: saved news pages and an RSS feed served on 127.0.0.1, read through the CLI as a user would."""
from __future__ import annotations

import functools
import html
import http.server
import json
import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimsearch.cli import app
from claimsearch.fetching import PRIVATE_ENV, url_id

SAMPLE = Path(__file__).parent.parent / "claimsearch" / "sample"
INPUTS = Path(__file__).parent / "cases" / "inputs"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def saved_page(path: Path, canonical: str) -> str:
    """A sample article as a news page: its title, a canonical link, a menu and a footer around its paragraphs."""
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n\n") if p.strip())
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<link rel="canonical" href="{canonical}"><meta property="og:site_name" content="Wikinews">'
            f'<meta property="article:published_time" content="2019-01-07"></head><body>'
            f'<nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>{html.escape(title)}</h1>'
            f'{paragraphs}</article><footer>© Wikinews, CC BY 2.5</footer></body></html>')


@pytest.fixture(autouse=True)
def no_private_urls_after():
    """`--private-urls` sets CLAIMSEARCH_PRIVATE_URLS for the process (its workers read it): not for the next test."""
    yield
    os.environ.pop(PRIVATE_ENV, None)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the test reads the command's stderr, not the server's log
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """http://127.0.0.1:PORT/ serving two saved pages and an RSS feed listing them."""
    root = tmp_path_factory.mktemp("site")
    (root / "hp.html").write_bytes((INPUTS / "fr-wn-0008.html").read_bytes())
    trump = "https://en.wikinews.org/wiki/President_Trump_says_he_%27can%27_and_%27may%27_put_US_into_state_of_emergency"
    (root / "trump.html").write_text(saved_page(SAMPLE / "en" / "en-wn-0002.txt", trump), encoding="utf-8")
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (root / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>'
        f"<link>{base}/</link><description>latest</description>"
        f"<item><title>HP</title><link>{base}/hp.html</link></item>"
        f"<item><title>Trump</title><link>{base}/trump.html</link></item></channel></rss>", encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_a_page_url_is_fetched_and_read(site):
    result = run("extract", f"{site}/trump.html", "--private-urls", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["article"]["id"] == "trump"
    assert data["article"]["url"].startswith("https://en.wikinews.org/wiki/President_Trump")  # the canonical link
    assert data["article"]["source_name"] == "Wikinews" and data["article"]["date"] == "2019-01-07"
    assert any("Donald Trump" in c["sources"] for c in data["claims"])
    assert not any("Home" in c["text"] or "CC BY" in c["text"] for c in data["claims"])  # menu and footer gone


def test_a_feed_indexes_every_page_it_lists(site, tmp_path):
    result = run("index", f"{site}/feed.xml", "--private-urls", "--index", tmp_path / "index", "--quiet")
    assert result.exit_code == 0, result.output
    hits = json.loads(run("query", "", "--index", tmp_path / "index", "--json").stdout)
    assert {h["article_id"] for h in hits} == {"hp", "trump"}
    assert {h["path"] for h in hits} == {f"{site}/hp.html", f"{site}/trump.html"}


def test_fetch_failures_are_one_line_each(site, tmp_path):
    result = run("index", f"{site}/gone.html", f"{site}/trump.html", "--private-urls", "--index", tmp_path / "index",
                 "--quiet")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.strip()] == [f"{site}/gone.html: cannot fetch: HTTP 404"]
    os.environ.pop(PRIVATE_ENV)  # what --private-urls set for this process
    refused = run("extract", f"{site}/trump.html")  # a private address, not allowed
    assert refused.exit_code == 1 and "--private-urls" in refused.stderr and len(refused.stderr.splitlines()) == 1


def test_ids_from_addresses():
    assert url_id("https://fr.wikinews.org/wiki/France_:_PSA_va_supprimer_8_000_emplois") == "France_-_PSA_va_supprimer_8_000_emplois"
    assert url_id("https://example.org/news/2012/07/hp.html") == "hp"
    assert url_id("https://example.org/") == "example.org"
