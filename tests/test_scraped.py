"""Properties of cleaning on scraped-looking copies of the sample corpus (tests/scraped.py), both languages:
every glued word comes back, nothing else changes, every offset still points into the raw text, and each
scraper leftover is removed and listed. CLAIMSEARCH_PROPERTY_EXAMPLES=1000 searches deeper."""
from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, given, settings

from claimsearch.cleaning import LEFTOVER_KINDS, clean
from tests.scraped import Copy, copies, sample_articles, scrape

SETTINGS = settings(max_examples=int(os.environ.get("CLAIMSEARCH_PROPERTY_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(copies())
def test_every_glued_word_comes_back(copy: Copy):
    repaired = {(r.before, r.after) for r in clean(copy.article).repairs if r.kind == "glued-words"}
    assert set(copy.glued) <= repaired


@SETTINGS
@given(copies())
def test_nothing_else_changes(copy: Copy):
    """The copy cleans to exactly the text the original cleans to: defects gone, nothing else touched."""
    assert clean(copy.article).text == clean(copy.original).text


@SETTINGS
@given(copies())
def test_every_offset_points_into_the_raw_text(copy: Copy):
    cleaned, raw = clean(copy.article), copy.article.text
    end = 0
    for r in cleaned.repairs:
        assert end <= r.start <= r.end <= len(raw) and raw[r.start:r.end] == r.before
        end = r.end
    assert all(0 <= cleaned.raw_offset(i) <= len(raw) for i in range(0, len(cleaned.text) + 1, 7))
    for glued, fixed in copy.glued:  # the repaired words lead back to the glued token as written
        at = cleaned.text.find(fixed)
        while at != -1 and raw[cleaned.raw_offset(at):cleaned.raw_offset(at + len(fixed))] != glued:
            at = cleaned.text.find(fixed, at + 1)
        assert at != -1, (glued, fixed)


@SETTINGS
@given(copies())
def test_every_leftover_is_removed_and_listed(copy: Copy):
    """What `extract --explain` prints: each line the scraper added is one repair of a leftover kind."""
    listed = [r.before.strip() for r in clean(copy.article).repairs if r.kind in LEFTOVER_KINDS]
    for line in copy.leftovers:
        assert line in listed, line
    assert copy.original.id in listed or copy.original.text.endswith(copy.original.id)


def test_copies_cover_both_languages_and_every_defect():
    """The generator itself: glued words in both languages, a broken guillemet, a slug, leftovers of each kind."""
    rng = random.Random(12)
    made = [scrape(a, rng) for a in sample_articles() if a.id != "fr-03"]
    assert {c.article.lang for c in made if c.glued} == {"fr", "en"}
    assert sum(len(c.glued) for c in made) >= 4 * len(made)  # up to 6 an article, fewer in short ones
    kinds = {r.kind for c in made for r in clean(c.article).repairs}
    assert {"glued-words", "broken-quote", "slug-title", "teaser", "share-buttons", "cookie-banner",
            "photo-credit", "page-id"} <= kinds
    assert any("repeated-title" == r.kind for c in made for r in clean(c.article).repairs)


def test_extract_explain_lists_every_leftover_and_no_claim_holds_one(tmp_path):
    """Through the command line: `extract --explain --json` lists each leftover line as a repair, and no
    claim but the title (sentence 0, which a repeated title repeats) contains one."""
    import json

    from typer.testing import CliRunner

    from claimsearch.cli import app

    original = next(a for a in sample_articles() if a.id == "fr-wn-0019")
    copy = scrape(original, random.Random(3))
    path = tmp_path / f"{original.id}.txt"
    path.write_text(copy.article.text, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--explain", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    listed = {r["before"].strip(): r["kind"] for r in data["repairs"]}
    assert all(listed.get(line) in LEFTOVER_KINDS for line in copy.leftovers)
    assert listed.get(original.id) == "page-id" and {g for g, _ in copy.glued} <= set(listed)
    assert not [c["text"] for c in data["claims"] for line in copy.leftovers if line in c["text"] and c["sentence"]]
    text = CliRunner().invoke(app, ["extract", str(path), "--explain"]).stdout  # the table, then the repairs
    assert all(kind in text for kind in {listed[line] for line in copy.leftovers})
