"""Provenance: the sample's manifest reaches every article; dates are parsed as dates; --meta by id."""
from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from claimsearch.provenance import DateError, date_bound, parse_date, read_manifest
from claimsearch.reading import read_article, read_articles

SAMPLE = Path(__file__).parent.parent / "claimsearch" / "sample"


def manifest_rows() -> list[dict]:
    with open(SAMPLE / "manifest.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, dialect="excel-tab"))


def test_every_sample_article_gets_its_url_date_and_outlet_from_the_manifest():
    rows = manifest_rows()
    assert len(rows) == 88
    for row in rows:
        article = read_article(SAMPLE / row["file"])
        assert article.url == row["url"], row["file"]
        if row["date"]:  # two rows of the shared manifest give no date: the article's own dateline may
            assert article.date == datetime.date.fromisoformat(row["date"]), row["file"]
        assert article.source_name == row["url"].split("/")[2]  # fr.wikinews.org: the URL's host
        assert article.title == row["title"]


def test_a_folder_read_gets_the_manifest_too_and_fr03_keeps_its_own():
    articles = {a.id: a for a in read_articles([SAMPLE])}
    assert len(articles) == 89
    assert sum(1 for a in articles.values() if a.url) == 88
    assert articles["seed/fr-03"].url is None and articles["seed/fr-03"].date is None  # not in the manifest


def test_meta_file_by_id_and_by_file(tmp_path):
    meta = tmp_path / "meta.csv"
    meta.write_text("id,url,date,outlet\nfr-wn-0008,https://example.org/hp,2 juillet 2012,Example News\n"
                    "other,https://example.org/x,2012-13-45,\n", encoding="utf-8")
    entries = read_manifest(meta)
    assert entries["id:fr-wn-0008"].url == "https://example.org/hp"
    assert entries["id:fr-wn-0008"].date == datetime.date(2012, 7, 2)
    assert entries["id:fr-wn-0008"].source_name == "Example News"
    assert entries["id:other"].date is None and entries["id:other"].warnings == (
        f"{meta}:3: date '2012-13-45' is not a date, ignored",)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,link\nx,y\n", encoding="utf-8")
    with pytest.raises(Exception, match="no 'file'"):
        read_manifest(bad)


def test_a_sidecar_manifest_beside_copied_files(tmp_path):
    (tmp_path / "a.txt").write_text((SAMPLE / "fr" / "fr-wn-0008.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,url,date\na.txt,https://www.lemonde.fr/a,2012-07-03\n", encoding="utf-8")
    article = read_article(tmp_path / "a.txt")
    assert (article.url, article.date, article.source_name) == ("https://www.lemonde.fr/a", datetime.date(2012, 7, 3), "lemonde.fr")


@pytest.mark.parametrize("text, lang, expected", [
    ("2012-07-02T09:30:00+02:00", None, datetime.date(2012, 7, 2)),
    ("2 juillet 2012", "fr", datetime.date(2012, 7, 2)),
    ("02/07/2012", "fr", datetime.date(2012, 7, 2)),
    ("Mon, 02 Jul 2012 09:30:00 GMT", "en", datetime.date(2012, 7, 2)),
    ("2012-13-45", None, None),
    ("hier", "fr", None),  # relative to when? not an article's date
    ("juillet 2012", "fr", None),  # names no day
])
def test_article_dates_are_parsed_by_a_library(text, lang, expected):
    assert parse_date(text, lang) == expected


def test_filter_dates_typed_by_a_user():
    assert date_bound("2019") == datetime.date(2019, 1, 1)
    assert date_bound("2019", end=True) == datetime.date(2019, 12, 31)
    assert date_bound("2019-02", end=True) == datetime.date(2019, 2, 28)
    assert date_bound("12/01/2019") == datetime.date(2019, 12, 1)  # month first, never the year 2012
    assert date_bound("15 janvier 2019") == datetime.date(2019, 1, 15)
    assert date_bound("yesterday") == datetime.date.today() - datetime.timedelta(days=1)
    for bad in ("2019-13-45", "nonsense", ""):
        with pytest.raises(DateError, match="is not a date"):
            date_bound(bad)
