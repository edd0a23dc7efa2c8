"""Output formats and the export: real claims of the sample articles, with the sample manifest's provenance."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from claimsearch import output
from claimsearch.cli import app
from claimsearch.provenance import read_manifest
from claimsearch.searching import search

from .index_fixtures import FIXTURES, build

SAMPLE = Path(__file__).parent.parent / "claimsearch" / "sample"
SCHEMA = json.loads((FIXTURES / "claimreview.schema.json").read_text(encoding="utf-8"))
runner = CliRunner()


@pytest.fixture(scope="module")
def cited_index(tmp_path_factory) -> Path:
    """The gold articles (the sample's own, fr-03 aside) indexed with the sample manifest's provenance, by id."""
    tmp = tmp_path_factory.mktemp("cited")
    meta = tmp / "meta.tsv"
    rows = (SAMPLE / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    meta.write_text("\n".join(["id\t" + rows[0]] + [Path(r.split("\t")[0]).stem + "\t" + r for r in rows[1:]]),
                    encoding="utf-8")
    report = build(tmp / "index", meta=read_manifest(meta))
    assert not report.errors, report.errors
    return tmp / "index"


def export(*args) -> str:
    result = runner.invoke(app, ["export", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_hits_carry_their_provenance(cited_index):
    hits = search("", index_dir=cited_index, article="fr-wn-0008", limit=None)
    assert hits and all(h.url == "https://fr.wikinews.org/wiki/France_:_Hewlett-Packard_va_supprimer_520_postes_d'ici_à_2014"
                        and str(h.date) == "2012-07-02" and h.source_name == "fr.wikinews.org"
                        and h.path.endswith("fr-wn-0008.txt") for h in hits)


def test_claimreview_export_passes_the_schema(cited_index):
    reviews = json.loads(export("", "--index", cited_index, "--format", "claimreview"))
    jsonschema.validate(reviews, SCHEMA, format_checker=jsonschema.FormatChecker())
    claims = search("", index_dir=cited_index, limit=None)
    assert len(reviews) == len(claims)  # one ClaimReview per claim
    by_id = {r["identifier"]: r for r in reviews}
    wsj = next(c for c in claims if "Wall Street Journal" in c.sources)
    assert by_id[wsj.id]["itemReviewed"]["author"] == {"@type": "Organization", "name": "Wall Street Journal"}
    quoted = next(c for c in claims if c.speaker == "Jean-Marie Le Pen" and c.quote)
    review = by_id[quoted.id]
    assert review["claimReviewed"] == quoted.text
    assert review["itemReviewed"]["author"]["@type"] == "Person"
    assert review["itemReviewed"]["appearance"]["url"] == quoted.url
    assert review["itemReviewed"]["datePublished"] == str(quoted.date)
    assert review["reviewRating"]["alternateName"] == ""  # for the fact-checker to fill


def test_first_appearance_is_the_earliest_dated_article():
    from claimsearch.models import Claim

    base = dict(article_id="a", title="T", lang="fr", text="Le chômage a baissé.", start=0, end=20, sentence=1)
    late = Claim(id="1", date="2012-07-05", url="https://x.org/late", **base)
    early = Claim(id="2", date="2012-07-01", url="https://x.org/early", **{**base, "text": "le chomage a baisse."})
    undated = Claim(id="3", url="https://x.org/undated", **base)
    reviews = output.claim_reviews([late, early, undated])
    assert [r["itemReviewed"]["firstAppearance"]["url"] for r in reviews] == ["https://x.org/early"] * 3
    assert [r["itemReviewed"]["appearance"]["url"] for r in reviews] == [
        "https://x.org/late", "https://x.org/early", "https://x.org/undated"]
    (selected,) = output.claim_reviews([late], among=[late, early, undated])  # an export of a selection
    assert selected["itemReviewed"]["firstAppearance"]["url"] == "https://x.org/early"
    assert selected["itemReviewed"]["datePublished"] == "2012-07-01"
    (alone,) = output.claim_reviews([late])
    assert alone["itemReviewed"]["firstAppearance"]["url"] == "https://x.org/late"


def test_csv_and_jsonl_exports_hold_every_matching_claim(cited_index):
    claims = search("", index_dir=cited_index, source="WSJ", limit=None)
    rows = list(csv.DictReader(io.StringIO(export("", "--index", cited_index, "--source", "WSJ"))))
    assert [r["id"] for r in rows] == [c.id for c in claims]
    assert all("Wall Street Journal" in r["sources"].split("; ") for r in rows)
    lines = export("", "--index", cited_index, "--format", "jsonl", "--since", "2019").splitlines()
    dated = [json.loads(line) for line in lines]
    assert dated and all(d["date"] >= "2019-01-01" for d in dated)
    assert len(dated) == len(search("", index_dir=cited_index, since="2019-01-01", limit=None))


def test_export_to_a_file(cited_index, tmp_path):
    target = tmp_path / "out.csv"
    result = runner.invoke(app, ["export", "CGT", "--index", str(cited_index), "--out", str(target)])
    assert result.exit_code == 0 and "claims written to" in result.stderr
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert rows and rows[0]["url"].startswith("https://fr.wikinews.org/")


@pytest.mark.parametrize("name, kind", [
    ("Donald Trump", "Person"), ("Recep Tayyip Erdoğan", "Person"), ("Jean-Marie Le Pen", "Person"),
    ("Human Rights Watch", "Organization"), ("Northwestern University", "Organization"), ("police", "Organization"),
    ("World Health Organization (WHO", "Organization"), ("Le Figaro", "Organization"), ("FSB", "Organization"),
    ("Union pour un mouvement populaire", "Organization"), ("Metropolitan Police Counter Terrorism Command", "Organization"),
])
def test_authors_are_people_or_organisations(name, kind):  # names as the sample's claims give them
    assert output.author(name) == {"@type": kind, "name": name}
