"""An article id is unique in an index, and a re-index never leaves fewer claims than it reports (issue 13).

The stress test found `a/report.txt` and `b/report.txt` sharing one id (their claims mixed, then 0
claims of either after one changed, while the run reported "=49"), a .jsonl record given twice
indexed twice under one id, and every article piped on stdin named `stdin`. These tests run the
real pipeline on real articles copied under the names of those cases.
"""
from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from claimsearch.cli import app
from claimsearch.indexing import claim_count, file_records, index_articles, open_index
from claimsearch.reading import find_inputs, read_file
from claimsearch.searching import ClaimIndex

from .index_fixtures import FIXTURES

CORPUS = FIXTURES / "corpus"
FR08, FR09, EN02 = CORPUS / "fr" / "fr-wn-0008.txt", CORPUS / "fr" / "fr-wn-0009.txt", CORPUS / "en" / "en-wn-0002.txt"


def articles_in(index_dir) -> dict[str, int]:
    """article id → live claims, read from the claims themselves."""
    counts: dict[str, int] = {}
    for hit in ClaimIndex(index_dir).search("", limit=None):
        counts[hit.article_id] = counts.get(hit.article_id, 0) + 1
    return counts


def recorded(index_dir) -> int:
    """The claims the index's file records say they hold."""
    with open_index(index_dir).searcher() as s:
        return sum(r["claims"] for r in file_records(s).values())


def test_same_file_name_in_two_folders_gives_two_articles(tmp_path):
    docs = tmp_path / "docs"
    for folder, source in (("a", FR08), ("b", EN02)):
        (docs / folder).mkdir(parents=True)
        shutil.copy(source, docs / folder / "report.txt")
    assert [id for _, id in find_inputs([docs])] == ["a/report", "b/report"]
    index = tmp_path / "index"
    first = index_articles([docs], index_dir=index)
    held = articles_in(index)
    assert not first.errors and set(held) == {"a/report", "b/report"}
    assert claim_count(index) == first.claims_added == recorded(index) == sum(held.values())

    shutil.copy(FR09, docs / "a" / "report.txt")  # one of them changes
    second = index_articles([docs], index_dir=index)
    now = articles_in(index)
    assert not second.errors and second.articles == 1 and second.skipped == 1
    assert now["b/report"] == held["b/report"]  # the other one keeps every claim
    assert claim_count(index) == second.claims_added + second.claims_unchanged == recorded(index) == sum(now.values())


def test_a_real_clash_is_refused_in_one_run_and_across_runs(tmp_path):
    for folder, source in (("a", FR08), ("b", EN02), ("c", FR09)):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / "report.txt")
    index = tmp_path / "index"
    report = index_articles([tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"], index_dir=index)
    assert len(report.errors) == 1 and report.errors[0].startswith(str(tmp_path / "b" / "report.txt"))
    assert "article id 'report' is already indexed from" in report.errors[0] and "\n" not in report.errors[0]
    kept = articles_in(index)
    assert list(kept) == ["report"] and claim_count(index) == report.claims_added == recorded(index)
    again = index_articles([tmp_path / "c" / "report.txt"], index_dir=index)  # a later run, another file
    assert len(again.errors) == 1 and "already indexed from" in again.errors[0]
    assert articles_in(index) == kept


def test_a_file_gone_from_disk_gives_its_id_up_and_pruning_it_keeps_the_new_holder(tmp_path):
    for folder, source in (("a", FR08), ("b", EN02)):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / "report.txt")
    index = tmp_path / "index"
    index_articles([tmp_path / "a" / "report.txt"], index_dir=index)
    (tmp_path / "a" / "report.txt").unlink()
    taken = index_articles([tmp_path / "b" / "report.txt"], index_dir=index)
    assert not taken.errors
    claims = claim_count(index)
    pruned = index_articles([], index_dir=index, prune=True)
    assert pruned.pruned == 0 and claim_count(index) == claims == taken.claims_added + taken.claims_unchanged
    assert {h.title for h in ClaimIndex(index).search("", limit=None)} == {read_file(EN02).__next__().title}


def test_a_record_given_twice_in_a_jsonl_file_is_reported_and_indexed_once(tmp_path):
    record = json.dumps({"id": "hp-2012", "text": FR08.read_text(encoding="utf-8")}, ensure_ascii=False)
    other = json.dumps({"text": EN02.read_text(encoding="utf-8")}, ensure_ascii=False)
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([record, other, record]) + "\n", encoding="utf-8")
    results = list(read_file(path))
    assert [getattr(r, "id", None) for r in results[:2]] == ["hp-2012", "feed-2"]
    assert str(results[2]) == f"{path}:3: article id 'hp-2012' repeats the id of line 1: give each record its own id (or none)"
    index = tmp_path / "index"
    report = index_articles([path], index_dir=index)
    assert len(report.errors) == 1 and set(articles_in(index)) == {"hp-2012", "feed-2"}
    ix = open_index(index)
    with ix.searcher() as s:
        ids = [f["id"] for f in s.documents(article_id="hp-2012") if not f["id"].startswith("article:")]
    assert ids and len(ids) == len(set(ids))  # one document per claim
    assert claim_count(index) == report.claims_added == recorded(index)


def test_two_texts_piped_on_stdin_are_two_articles(tmp_path):
    runner = CliRunner()
    index = tmp_path / "index"
    for source in (FR08, EN02, FR08):  # the same text twice replaces itself
        result = runner.invoke(app, ["index", "-", "--index", str(index), "--quiet"],
                               input=source.read_text(encoding="utf-8"))
        assert result.exit_code == 0, result.output
    held = articles_in(index)
    assert len(held) == 2 and all(aid.startswith("stdin-") for aid in held)
