"""`claimsearch serve` through Starlette's TestClient: every route of the page and of the API, on a
real index (the gold articles and a hostile one), read-only, escaped, and strict about parameters."""
from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from claimsearch.browsing import TOP, Browser, blocks
from claimsearch.searching import ClaimIndex
from claimsearch.web.app import CSP, create_app

from .index_fixtures import gold_files, gold_index  # noqa: F401
from .web_fixtures import HOSTILE, web_index  # noqa: F401


@pytest.fixture(scope="module")
def client(web_index):  # noqa: F811
    return TestClient(create_app(web_index), base_url="http://127.0.0.1")


def cards(html: str) -> list[str]:
    """The claim cards of a page, as their HTML."""
    return re.findall(r'<li class="card[^"]*" id="c-[^"]+">.*?</li>', html, re.S)


def text_of(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def total(html: str) -> int:
    return int(re.search(r'<strong id="total">(\d+)</strong>', html)[1])


def facet_links(html: str, facet: str) -> list[tuple[str, str]]:
    """(href, label) of a facet's values on the page."""
    section = re.search(rf'<section class="facet" data-facet="{facet}">(.*?)</section>', html, re.S)
    assert section, f"no {facet} facet"
    return [(unescape(h), text_of(t)) for h, t in re.findall(r'<a class="value" href="([^"]+)"[^>]*>(.*?)</a>', section[1], re.S)]


# ---------------------------------------------------------------------------------------- search page

def test_search_puts_the_wsj_claim_first_with_its_words_marked(client):
    r = client.get("/", params={"q": "Starlink Taïwan"})
    assert r.status_code == 200
    first = cards(r.text)[0]
    assert "Wall Street Journal" in text_of(first)
    assert "Poutine a demandé au milliardaire" in text_of(first)
    marked = re.findall(r"<mark>(.*?)</mark>", first)
    assert "Taïwan" in marked and {"lien", "étoile"} <= set(marked)  # « lien étoile » is Starlink's alias
    assert 'value="Starlink Taïwan"' in r.text  # the box keeps the query, and the URL holds it


def test_cards_say_who_and_how(client):
    hits = client.get("/api/search", params={"q": "Trump", "per": 50}).json()["hits"]
    page = cards(client.get("/", params={"q": "Trump", "per": 50}).text)
    assert len(page) == len(hits) > 5
    for hit, card in zip(hits, page):
        text = text_of(card)
        assert hit["title"] in text and (hit["date"] or "") in text
        assert all(s in text for s in hit["sources"]) if hit["sources"] else "the article's own voice" in text
        if hit["cue"]:
            assert f"« {hit['cue']} »" in text
        if hit["stance"]:
            assert hit["stance"] in text
        if hit["quote"]:
            assert f"« {hit['quote']} »" in text and (hit["speaker"] or "") in text
    assert any(h["quote"] and h["speaker"] for h in hits) and any(h["stance"] == "allege" for h in hits)


def test_a_source_facet_link_narrows_the_results_to_that_source(client):
    page = client.get("/", params={"q": "Trump"}).text
    links = facet_links(page, "source")
    href, label = next((h, lbl) for h, lbl in links if lbl != "Donald Trump")
    narrowed = client.get(href)
    assert narrowed.status_code == 200
    assert parse_qs(urlsplit(href).query)["source"] == [label] and parse_qs(urlsplit(href).query)["q"] == ["Trump"]
    assert 0 < total(narrowed.text) < total(page)
    assert all(label in text_of(c) for c in cards(narrowed.text))
    assert f"source: {label}" in text_of(narrowed.text)  # the filter shows as a chip that removes it


@pytest.mark.parametrize("facet", ["speaker", "stance", "attributed", "lang", "article"])
def test_every_facet_link_filters_to_fewer_or_as_many_claims(client, facet):
    page = client.get("/", params={"q": "Trump"}).text
    href, label = facet_links(page, facet)[0]
    count = int(re.search(rf'<section class="facet" data-facet="{facet}">.*?<span class="count">(\d+)</span>', page, re.S)[1])
    assert total(client.get(href).text) == count


def test_the_timeline_is_an_svg_whose_bars_filter_by_month(client):
    page = client.get("/", params={"q": "Trump"}).text
    svg = re.search(r'<svg class="timeline".*?</svg>', page, re.S)[0]
    bars = re.findall(r'<a href="([^"]+)" class="bar[^"]*"><title>(\d{4}-\d{2}): (\d+) claims?</title>', svg)
    busiest = max(bars, key=lambda b: int(b[2]))
    assert int(busiest[2]) > 0
    filtered = client.get(unescape(busiest[0])).text
    assert total(filtered) == int(busiest[2])
    assert all(busiest[1] in text_of(c) for c in cards(filtered))  # each card shows its date


def test_paging_moves_through_the_results(client):
    one = client.get("/", params={"q": "Trump", "per": 5}).text
    two = client.get("/", params={"q": "Trump", "per": 5, "page": 2}).text
    assert len(cards(one)) == 5 and cards(two) and not set(cards(one)) & set(cards(two))
    assert 'rel="next"' in one and 'rel="prev"' in two


def test_a_query_with_a_typo_suggests_a_name(client):
    r = client.get("/", params={"q": "Pelossi"})
    assert r.status_code == 200 and "Did you mean" in r.text


# ---------------------------------------------------------------------------------------- who, article

def test_who_says_what_ranks_sources_with_their_claims_and_stances(client, web_index):  # noqa: F811
    r = client.get("/who", params={"q": "Trump"})
    assert r.status_code == 200
    names = [text_of(n) for n in re.findall(r'<h2><a class="source"[^>]*>(.*?)</a>', r.text)]
    with ClaimIndex(web_index) as idx:
        counts = Browser(idx).counts("Trump").facets["source"]
    assert names == [c.value for c in counts][:20]
    assert names[0] == "Donald Trump"
    first = r.text.split('<li class="who-source">')[1]
    assert all("Donald Trump" in text_of(c) for c in cards(first))
    assert re.search(r'class="stance stance-assert">assert \d+', first)


def test_the_article_view_marks_every_claim_and_shows_the_repairs(client, web_index):  # noqa: F811
    r = client.get("/article/fr-03")
    assert r.status_code == 200
    with ClaimIndex(web_index) as idx:
        claims = idx.search("", article="fr-03", limit=None)
    marks = re.findall(r'<mark class="claim ([^"]+)" id="c-([^"]+)" title="([^"]*)">', r.text)
    assert {m[1] for m in marks} == {c.id for c in claims}
    wsj = next(c for c in claims if "lien étoile" in c.text)
    mark = next(m for m in marks if m[1] == wsj.id)
    assert "attributed" in mark[0] and "Wall Street Journal" in unescape(mark[2])
    assert "the text said « Muskl’homme »" in unescape(r.text)  # the glued words, shown on hover
    assert "fr-03.txt" in r.text  # provenance: the file it was read from


@pytest.mark.parametrize("q,filters", [("Trump", {}), ("", {"lang": "fr"}), ("Trump NOT Bolton", {}), ("", {}),
                                       ("Starlink Taïwan", {"source": "WSJ"}), ("source:WSJ", {}), ("Syrie", {"stance": "assert"})])
def test_facet_counts_count_exactly_the_claims_the_search_finds(web_index, q, filters):  # noqa: F811
    from collections import Counter

    with ClaimIndex(web_index) as idx:
        browser = Browser(idx)
        counts = browser.counts(q, **filters)
        hits = idx.search(q, limit=None, **filters)
        who = browser.who(q, **filters)
    assert counts.claims == len(hits) > 0
    expect = {"source": Counter(s for h in hits for s in h.sources), "lang": Counter(h.lang for h in hits),
              "speaker": Counter(h.speaker for h in hits if h.speaker), "article": Counter(h.article_id for h in hits),
              "stance": Counter(h.stance or "none" for h in hits), "attributed": Counter("yes" if h.sources else "no" for h in hits)}
    for facet, counter in expect.items():
        top = dict(sorted(counter.items(), key=lambda x: (-x[1], x[0]))[:TOP])
        assert {c.value: c.count for c in counts.facets[facet]} == top, facet
        assert counts.distinct[facet] == len(counter), facet
    months = Counter(str(h.date)[:7] for h in hits if h.date)
    assert {m.value: m.count for m in counts.months if m.count} == dict(months)
    assert counts.undated == sum(1 for h in hits if not h.date)
    assert [(w.source, w.claims) for w in who] == [(c.value, c.count) for c in counts.facets["source"]][:20]
    for w in who:
        assert w.stances == dict(Counter(h.stance or "none" for h in hits if w.source in h.sources))
        assert len(w.hits) == min(3, w.claims) and all(w.source in h.sources for h in w.hits)


def test_blocks_rebuild_the_clean_text_and_each_claim(web_index):  # noqa: F811
    with ClaimIndex(web_index) as idx:
        view = Browser(idx).article("fr-03")
    from claimsearch.cleaning import apply_repairs

    assert "".join(s.text for b in view.blocks for s in b.segments) == apply_repairs(view.article.text, view.repairs)
    for b in view.blocks:
        if b.claim:
            assert "".join(s.text for s in b.segments) == b.claim.text
    removed = [s for b in view.blocks for s in b.segments if s.repair and not s.text]
    assert any(s.repair.kind == "slug-title" for s in removed)  # the slug line, removed: still shown


def test_blocks_of_a_text_without_claims_or_repairs_is_one_block():
    assert [b.segments[0].text for b in blocks("Titre\n\nTexte.", (), ())] == ["Titre\n\nTexte."]


def test_an_index_built_before_articles_were_kept_still_lists_an_articles_claims(tmp_path, web_index):  # noqa: F811
    import shutil

    from whoosh import index as windex

    copy = tmp_path / "old"
    shutil.copytree(web_index, copy)
    ix = windex.open_dir(str(copy))
    with ix.writer() as w:
        w.delete_by_term("id", "article:fr-03")
    r = TestClient(create_app(copy), base_url="http://127.0.0.1").get("/article/fr-03")
    assert r.status_code == 200 and "rebuild it" in r.text and len(cards(r.text)) == 14


# ---------------------------------------------------------------------------------------- API

def test_api_search_gives_the_page_s_hits_as_json(client):
    page = client.get("/", params={"q": "Starlink Taïwan"}).text
    r = client.get("/api/search", params={"q": "Starlink Taïwan"})
    data = r.json()
    assert r.headers["content-type"] == "application/json"
    assert data["total"] == total(page) and data["query"] == {"q": "Starlink Taïwan"}
    assert data["hits"][0]["sources"] == ["Wall Street Journal"] and "**Taïwan**" in data["hits"][0]["highlight"]


def test_api_facets_who_article_and_stats(client):
    facets = client.get("/api/facets", params={"q": "Trump"}).json()
    assert facets["claims"] == client.get("/api/search", params={"q": "Trump"}).json()["total"]
    assert facets["facets"]["source"][0] == {"value": "Donald Trump", "count": facets["facets"]["source"][0]["count"], "label": None}
    assert sum(m["count"] for m in facets["months"]) + facets["undated"] == facets["claims"]
    who = client.get("/api/who", params={"q": "Trump"}).json()
    assert who[0]["source"] == "Donald Trump" and sum(who[0]["stances"].values()) == who[0]["claims"]
    article = client.get("/api/article/fr-03").json()
    assert article["article"]["id"] == "fr-03" and len(article["claims"]) == 14 and article["repairs"]
    stats = client.get("/api/stats").json()
    assert stats["articles"] == len(gold_files()) + 1 and stats["claims"] > 200  # the gold and the hostile article


def test_api_page_documents_every_endpoint_and_parameter(client):
    doc = client.get("/api").text
    for route in client.app.routes:
        path = getattr(route, "path", "")
        if path.startswith("/api/"):
            assert path.split("{")[0].rstrip("/") in doc, path
    from claimsearch.web.params import SearchParams

    for name in SearchParams.model_fields:
        assert f"<code>{name}</code>" in doc, name


def test_export_csv_and_json_hold_every_matching_claim(client):
    n = client.get("/api/search", params={"q": "Trump"}).json()["total"]
    r = client.get("/api/export", params={"q": "Trump", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == n and "Trump" in rows[0]["text"]
    data = client.get("/api/export", params={"q": "Trump", "format": "json"}).json()
    assert len(data) == n and {d["id"] for d in data} == {row["id"] for row in rows}
    lines = client.get("/api/export", params={"q": "Trump", "format": "jsonl", "source": "Donald Trump"}).text.splitlines()
    assert lines and all("Donald Trump" in json.loads(line)["sources"] for line in lines)


def test_export_claimreview_is_the_cli_s(client, web_index):  # noqa: F811
    from typer.testing import CliRunner

    from claimsearch.cli import app

    r = client.get("/api/export", params={"q": "Starlink Taïwan", "format": "claimreview"})
    assert r.headers["content-type"].startswith("application/ld+json")
    reviews = r.json()
    assert [x["@type"] for x in reviews] == ["ClaimReview"] * client.get("/api/search", params={"q": "Starlink Taïwan"}).json()["total"]
    assert reviews[0]["itemReviewed"]["author"] == {"@type": "Organization", "name": "Wall Street Journal"}
    cli = CliRunner().invoke(app, ["export", "Starlink Taïwan", "--index", str(web_index), "--format", "claimreview"])
    assert json.loads(cli.stdout) == reviews


# ---------------------------------------------------------------------------------------- bad requests

@pytest.mark.parametrize("path,params,says", [
    ("/", {"page": "0"}, "page"),
    ("/", {"per": "1000"}, "per"),
    ("/", {"colour": "red"}, "colour"),
    ("/", {"month": "2019-13"}, "month"),
    ("/", {"since": "2019-02-30"}, "since"),
    ("/", {"stance": "shout"}, "stance"),
    ("/", {"q": '"Le Pen'}, "unbalanced"),
    ("/who", {"q": "AND"}, "AND"),
    ("/api/search", {"q": "a" * 501}, "q"),
    ("/api/export", {"format": "xls"}, "format"),
    ("/api/article/fr-03", {"x": "1"}, "x"),
])
def test_bad_parameters_get_a_400_that_names_them(client, path, params, says):
    r = client.get(path, params=params)
    assert r.status_code == 400
    message = r.json()["error"] if path.startswith("/api/") else text_of(re.search(r'class="error"[^>]*>(.*?)</p>', r.text, re.S)[1])
    assert says in message
    assert "Traceback" not in r.text


def test_a_parameter_given_twice_is_refused(client):
    r = client.get("/?q=a&q=b")
    assert r.status_code == 400 and "twice" in r.text


def test_unknown_article_route_method_and_host(client, web_index):  # noqa: F811
    assert client.get("/article/nope").status_code == 404
    assert client.get("/api/article/nope").json() == {"error": "no article 'nope' in this index"}
    assert client.get("/nowhere").status_code == 404
    assert client.post("/", data={"q": "x"}).status_code == 405
    assert client.get("/static/../app.py").status_code == 404
    assert TestClient(create_app(web_index), base_url="http://evil.example").get("/").status_code == 400


def test_an_unexpected_error_is_a_500_page_without_traceback_and_with_the_csp(web_index, monkeypatch):  # noqa: F811
    app = create_app(web_index)
    monkeypatch.setattr(app.state.browser, "counts", lambda *a, **k: 1 / 0)
    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    for path in ("/?q=Trump", "/api/facets"):
        r = client.get(path)
        assert r.status_code == 500 and "ZeroDivision" not in r.text and "Traceback" not in r.text
        assert "the server met an error" in r.text and r.headers["content-security-policy"] == CSP


def test_a_missing_index_fails_at_start_with_the_library_s_message(tmp_path):
    from claimsearch.errors import IndexError_

    with pytest.raises(IndexError_, match="no claimsearch index"):
        create_app(tmp_path / "none")


# ---------------------------------------------------------------------------------------- safety

ROUTES = ["/", "/?q=Starlink", "/who?q=Trump", "/article/fr-03", "/api", "/api/search?q=x", "/api/stats",
          "/static/style.css", "/static/htmx/htmx.min.js", "/nowhere", "/?page=0"]


@pytest.mark.parametrize("path", ROUTES)
def test_every_response_carries_a_strict_content_security_policy(client, path):
    r = client.get(path)
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe" not in CSP and "default-src 'none'" in CSP
    assert r.headers["x-content-type-options"] == "nosniff"


def test_the_page_loads_htmx_from_its_package_and_nothing_from_elsewhere(client):
    import js_lib_htmx

    html = client.get("/").text
    assert re.findall(r'<script[^>]*src="([^"]+)"', html) == ["/static/htmx/htmx.min.js"]
    assert not re.search(r'(src|href)="(https?:)?//', html)
    vendored = Path(js_lib_htmx.__file__).parent / "static" / "htmx" / "htmx.min.js"
    assert client.get("/static/htmx/htmx.min.js").content == vendored.read_bytes()
    assert not re.search(r"<[a-z][^>]* style=|<style", html)  # the CSP forbids inline styles: there are none


HOSTILE_PAGES = ["/?q=maire", "/?q=publierons", "/who?q=maire", "/article/xss-01", "/?article=xss-01"]


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_an_article_holding_html_shows_it_as_text(client, path):
    r = client.get(path)
    assert r.status_code == 200
    html = r.text
    assert "pwned" in html  # the hostile article is on the page …
    assert html.count("<script") == 1  # … and the only script is htmx's
    assert "<img" not in html and not re.search(r"<[^>]+\sonerror=", html)
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in html or "&lt;script&gt;window.pwned = 3" in html \
        or "&#34;&gt;&lt;img src=x onerror=" in html


def test_the_api_returns_hostile_text_as_json_strings(client):
    hits = client.get("/api/search", params={"q": "publierons"}).json()["hits"]
    assert hits[0]["quote"] == "Nous ne publierons jamais <script>window.pwned = 3</script> sur le site"


def test_no_route_writes_to_the_index(client, web_index):  # noqa: F811
    before = {p.name: p.stat().st_mtime_ns for p in Path(web_index).iterdir()}
    for path in ROUTES + HOSTILE_PAGES + ["/api/export?format=csv", "/api/who", "/api/facets", "/api/article/fr-03"]:
        client.get(path)
    assert {p.name: p.stat().st_mtime_ns for p in Path(web_index).iterdir()} == before


def test_serve_help_says_it_listens_on_this_machine_only():
    from typer.testing import CliRunner

    from claimsearch.cli import app

    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0 and "127.0.0.1" in r.output and "--port" in r.output


# ---------------------------------------------------------------------------------------- ranking mode, no stance, outlet

PARAPHRASE = "Putin asked the billionaire to keep satellite internet away from Taiwan"  # the WSJ claim, in English


def test_the_page_ranks_as_the_cli_does_by_default():
    import inspect

    from claimsearch.cli import query
    from claimsearch.web.params import SearchParams

    cli_default = inspect.signature(query).parameters["mode"].default
    assert SearchParams().mode == getattr(cli_default, "value", cli_default)
    assert SearchParams().mode == inspect.signature(ClaimIndex.search).parameters["mode"].default


@pytest.mark.parametrize("mode", ["hybrid", "words", "meaning"])
def test_each_mode_gives_the_library_s_ranking_and_the_counts_of_the_claims_with_the_words(client, web_index, mode):  # noqa: F811
    params = {"q": PARAPHRASE} if mode == "hybrid" else {"q": PARAPHRASE, "mode": mode}
    api = client.get("/api/search", params=params).json()
    with ClaimIndex(web_index) as idx:
        expected = idx.search(PARAPHRASE, limit=10, mode=mode)
        with_words = {h.id for h in idx.search(PARAPHRASE, limit=None, mode="words")}
    assert [h["id"] for h in api["hits"]] == [h.id for h in expected]
    assert api["total"] == len(with_words) and api["mode"] == mode
    assert api["by_meaning"] == (mode != "words")
    if mode != "words":  # claims close in meaning come in, and the page says the count is of the others
        assert any(h["id"] not in with_words for h in api["hits"])
        page = client.get("/", params=params).text
        assert "claims close in meaning come too" in page and total(page) == len(with_words)
        assert [re.search(r'id="c-([^"]+)"', c)[1] for c in cards(page)] == [h.id for h in expected]
        assert re.search(rf'<option value="{mode}" selected>', page)


def test_paging_by_meaning_looks_one_hit_ahead(client):
    one = client.get("/api/search", params={"q": PARAPHRASE, "mode": "meaning", "per": 4}).json()
    two = client.get("/api/search", params={"q": PARAPHRASE, "mode": "meaning", "per": 4, "page": 2}).json()
    assert one["more"] and len(one["hits"]) == len(two["hits"]) == 4
    assert not {h["id"] for h in one["hits"]} & {h["id"] for h in two["hits"]}
    page = client.get("/", params={"q": PARAPHRASE, "mode": "meaning", "per": 4, "page": 2}).text
    assert 'rel="next"' in page and 'rel="prev"' in page
    assert 'name="mode"' in page and '<input type="hidden" name="mode"' not in page  # one mode field, the select


def test_a_bad_mode_is_a_400(client):
    r = client.get("/", params={"q": "Trump", "mode": "vibes"})
    assert r.status_code == 400 and "mode" in r.text


def test_the_no_stance_facet_filters_to_the_claims_whose_cue_says_nothing(client, web_index):  # noqa: F811
    page = client.get("/", params={"q": "Trump"}).text
    href = next(h for h, lbl in facet_links(page, "stance") if lbl == "no stance")
    assert parse_qs(urlsplit(href).query)["stance"] == ["none"]
    narrowed = client.get(href).text
    with ClaimIndex(web_index) as idx:
        expected = [h for h in idx.search("Trump", limit=None, mode="words") if not h.stance]
    assert 0 < total(narrowed) == len(expected) < total(page)
    assert all('class="stance stance-' not in c for c in cards(narrowed))
    assert "stance: no stance" in text_of(narrowed)  # the chip that removes the filter


@pytest.fixture(scope="module")
def outlet_index(tmp_path_factory):
    """The gold articles, half of them published by "Le Monde" and half by "BBC" (a --meta manifest)."""
    from claimsearch.provenance import read_manifest

    from .index_fixtures import build

    folder = tmp_path_factory.mktemp("outlets")
    files = gold_files()
    manifest = folder / "manifest.tsv"
    manifest.write_text("file\toutlet\n" + "".join(f"{f}\t{'Le Monde' if i % 2 else 'BBC'}\n" for i, f in enumerate(files)),
                        encoding="utf-8")
    build(folder / "index", files, meta=read_manifest(manifest))
    return folder / "index"


@pytest.mark.parametrize("mode", ["words", "hybrid"])
def test_the_outlet_filter_keeps_exactly_that_outlet_s_claims(outlet_index, mode):
    with ClaimIndex(outlet_index) as idx:
        browser = Browser(idx)
        everything = idx.search("", limit=None)
        bbc = {h.article_id for h in everything if h.source_name == "BBC"}
        assert bbc and len(bbc) < len({h.article_id for h in everything})
        for q in ("Trump", PARAPHRASE, ""):
            counts = browser.counts(q, outlet="BBC")
            words = [h for h in idx.search(q, limit=None, mode="words") if h.article_id in bbc]
            assert counts.claims == len(words) and {c.value for c in counts.facets["outlet"]} <= {"BBC"}
            hits = browser.search(q, limit=10, mode=mode, outlet="BBC")
            assert hits and all(h.article_id in bbc for h in hits)
            assert [h.id for h in browser.search(q, limit=None, outlet="BBC")] == [h.id for h in words]
        one = min(bbc)
        assert browser.search("", limit=None, outlet="BBC", article=one) == idx.search("", limit=None, article=one)
        assert browser.search("", outlet="Le Monde", article=one) == []
        assert browser.counts("", outlet="Nobody").claims == 0 and browser.search("Trump", outlet="Nobody") == []
