"""`claimsearch serve` in a real browser: Debian's chromium driven by Playwright (the pip package,
never its own browser download), against the command started on 127.0.0.1 over the web tests' index.

Skipped, with the reason, only when chromium is not installed (`apt-get install -y chromium`;
`.ci/run` installs it). Screenshots go to $CLAIMSEARCH_SCREENSHOTS, or to the session's tmp folder.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from .index_fixtures import gold_index  # noqa: F401
from .web_fixtures import web_index  # noqa: F401

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(web_index):  # noqa: F811
    """`claimsearch serve` as a user starts it, on a free port; its address as it prints it."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "claimsearch", "serve", "--index", str(web_index), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                pytest.fail(f"claimsearch serve exited: {proc.stderr.read()}")
            try:
                urllib.request.urlopen(base + "/api/stats", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        _, errors = proc.communicate(timeout=10)
    assert f"at {base}/" in errors  # it said where it listens


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records what the console says (a CSP violation would show there)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = context.new_page()
    p.console_messages = []
    p.on("console", lambda m: p.console_messages.append(m.text))
    p.on("dialog", lambda d: (p.console_messages.append(f"DIALOG {d.message}"), d.dismiss()))
    yield p
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("CLAIMSEARCH_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_search_facet_article_and_export_as_a_user_would(page, server, shots):
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.fill("#q", "Starlink Taïwan")
    page.press("#q", "Enter")
    first = page.locator("li.card").first
    expect(first).to_contain_text("Wall Street Journal")
    expect(first).to_contain_text("Poutine a demandé au milliardaire")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Starlink Taïwan"]  # the URL holds the search: it can be shared
    page.screenshot(path=str(shots / "search.png"), caret="initial")  # hiding the caret injects a style the CSP refuses

    page.fill("#q", "Trump")
    page.press("#q", "Enter")
    expect(page).to_have_url(re.compile(r"q=Trump"))
    expect(page.locator("li.card").first).to_contain_text("Trump")
    before = int(page.locator("#total").inner_text())
    link = page.locator('[data-facet="source"] a.value').nth(1)
    name = link.get_attribute("title")
    link.click()
    expect(page.locator(".chips")).to_contain_text(f"source: {name}")
    after = int(page.locator("#total").inner_text())
    assert 0 < after < before
    assert page.locator("li.card").count() == min(after, 10)
    for card in page.locator("li.card .who").all():
        assert name in card.inner_text()

    with page.expect_download() as download:
        page.locator("a.export", has_text="csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == after and all(name in r["sources"] for r in rows)

    card = page.locator("li.card").first
    claim_id = card.get_attribute("id")
    card.locator("a.article").click()
    page.wait_for_url(re.compile(r"/article/"))
    marked = page.locator(f"mark#{claim_id}")
    expect(marked).to_be_visible()
    assert "attributed" in marked.get_attribute("class") and name in marked.get_attribute("title")
    page.screenshot(path=str(shots / "article.png"), caret="initial")
    assert not [m for m in page.console_messages if "Content Security Policy" in m], page.console_messages


def test_the_ranking_is_chosen_on_the_form_and_kept_in_the_url(page, server):
    from playwright.sync_api import expect

    page.goto(server + "/")
    expect(page.locator("#mode")).to_have_value("hybrid")  # as `claimsearch query` ranks by default
    page.fill("#q", "Putin asked the billionaire to keep satellite internet away from Taiwan")  # the WSJ claim, in English
    page.select_option("#mode", "meaning")
    page.press("#q", "Enter")
    expect(page).to_have_url(re.compile(r"mode=meaning"))
    expect(page.locator("#by-meaning")).to_contain_text("claims close in meaning come too")
    expect(page.locator("li.card").first).to_contain_text("Poutine a demandé au milliardaire")
    expect(page.locator("#mode")).to_have_value("meaning")
    page.locator('a[rel="next"]').click()
    expect(page).to_have_url(re.compile(r"mode=meaning.*page=2|page=2.*mode=meaning"))


def test_a_hostile_article_s_script_never_runs(page, server):
    from playwright.sync_api import expect

    for path in ["/article/xss-01", "/?q=publierons", "/?q=maire", "/who?q=maire"]:
        page.goto(server + path)
        expect(page.locator("main")).to_contain_text("pwned")  # shown, as text
        assert page.evaluate("window.pwned") is None, path
        assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    page.goto(server + "/article/xss-01")
    expect(page.locator(".article-text")).to_contain_text('"><img src=x onerror="window.pwned=2">')
    expect(page.locator("h1")).to_contain_text("<script>window.pwned = 1</script>")
    assert not [m for m in page.console_messages if "DIALOG" in m or "Content Security Policy" in m], page.console_messages
