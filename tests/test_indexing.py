"""Index integrity on the real fixtures: idempotent re-runs, replaced and pruned articles, locks,
versions, and an index that survives being killed at any moment."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index as windex

from claimsearch.errors import IndexError_, IndexVersionError
from claimsearch.indexing import (VERSION_FILE, _RunLock, claim_count, file_records, index_articles, open_index,
                                  key, remove_articles)
from claimsearch.searching import ClaimIndex

from .index_fixtures import EN02, FIXTURES, FR08, build, extracted, gold_files, gold_index, two_articles  # noqa: F401



def stored_claims(index_dir) -> dict[str, str]:
    """claim id → article id of every live claim."""
    ix = open_index(index_dir)
    with ix.searcher() as s:
        return {f["id"]: f["article_id"] for f in s.documents(keys=key("doctype", "claim"))}


def test_index_holds_every_extracted_claim(gold_index):
    want = {c.id for e in extracted().values() for c in e.claims}
    assert set(stored_claims(gold_index)) == want
    assert ClaimIndex(gold_index).stats().articles == len(gold_files())


def test_reindexing_unchanged_files_adds_nothing_and_extracts_nothing(tmp_path):
    first = build(tmp_path)
    count = claim_count(tmp_path)

    def must_not_extract(paths, lang):
        assert not paths, f"unchanged files were extracted again: {paths}"
        return iter(())

    again = index_articles(gold_files(), index_dir=tmp_path, extractor=must_not_extract)
    assert claim_count(tmp_path) == count == first.claims_added
    assert (again.skipped, again.articles, again.claims_added, again.claims_removed) == (len(gold_files()), 0, 0, 0)
    assert again.claims_unchanged == count


def test_a_changed_file_replaces_its_claims(two_articles):
    docs, index_dir = two_articles
    before = stored_claims(index_dir)
    path = docs / FR08.name
    text = path.read_text(encoding="utf-8")
    added = "Selon la CGT, le site de Meudon fermera ses portes en décembre."
    path.write_text(text.rstrip("\n") + "\n\n" + added + "\n", encoding="utf-8")

    report = index_articles([docs], index_dir=index_dir)
    after = stored_claims(index_dir)
    assert (report.articles, report.skipped) == (1, 1)
    assert len(after) == len(set(after))
    assert {i for i, a in after.items() if a == "en-wn-0002"} == {i for i, a in before.items() if a == "en-wn-0002"}
    hits = ClaimIndex(index_dir).search("Meudon", article="fr-wn-0008")
    assert hits and "Meudon" in hits[0].text
    assert report.claims_added >= 1 and len(after) == len(before) + report.claims_added - report.claims_removed


def test_prune_removes_articles_whose_file_is_gone(two_articles):
    docs, index_dir = two_articles
    (docs / FR08.name).unlink()
    report = index_articles([docs], index_dir=index_dir, prune=True)
    assert report.pruned == 1
    assert set(stored_claims(index_dir).values()) == {"en-wn-0002"}
    assert ClaimIndex(index_dir).search("", article="fr-wn-0008") == []


def test_remove_deletes_an_articles_claims(tmp_path):
    build(tmp_path)
    count = claim_count(tmp_path)
    n08 = sum(1 for a in stored_claims(tmp_path).values() if a == "fr-wn-0008")
    report = remove_articles(["fr-wn-0008", "no-such-article"], index_dir=tmp_path)
    assert report.claims_removed == n08 > 0
    assert report.errors == (f"no-such-article: no such article in {tmp_path}",)
    assert claim_count(tmp_path) == count - n08
    assert "fr-wn-0008" not in stored_claims(tmp_path).values()
    again = build(tmp_path)  # its file is still there: the next run puts it back, once
    assert again.articles == 1 and claim_count(tmp_path) == count


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(EN02, docs / EN02.name)
    (docs / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (docs / "link.txt").symlink_to(tmp_path / "gone.txt")
    report = index_articles([docs, tmp_path / "missing.txt", tmp_path / "notes.pdf"], index_dir=tmp_path / "index")
    assert report.articles == 1 and claim_count(tmp_path / "index") == report.claims_added > 0
    assert len(report.errors) == 4
    for name, problem in [("empty.txt", "empty"), ("missing.txt", "no such file"), ("notes.pdf", "unknown file type"),
                          ("link.txt", "broken symbolic link")]:
        assert any(e.startswith(str(tmp_path)) and name in e and problem in e for e in report.errors), report.errors


def test_same_article_id_from_two_files_is_refused(tmp_path):
    build(tmp_path / "index", paths=[FR08])
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(FR08, other / FR08.name)
    report = build(tmp_path / "index", paths=[other / FR08.name])
    assert len(report.errors) == 1 and "already indexed from" in report.errors[0]


def test_an_index_of_another_version_asks_for_a_rebuild(tmp_path):
    build(tmp_path, paths=[FR08])
    (tmp_path / VERSION_FILE).write_text(json.dumps({"schema_version": 0}), encoding="utf-8")
    with pytest.raises(IndexVersionError, match="rebuild with `claimsearch index --rebuild`"):
        ClaimIndex(tmp_path)
    report = build(tmp_path, paths=[FR08], rebuild=True)
    assert report.articles == 1 and ClaimIndex(tmp_path).search("CGT")


def test_a_second_run_waits_for_the_first_then_gives_up_clearly(tmp_path):
    build(tmp_path, paths=[FR08])
    events = []
    with _RunLock(tmp_path, timeout=1, on_progress=None):
        with pytest.raises(IndexError_, match="another `claimsearch index` is writing this index"):
            build(tmp_path, paths=[FR08], lock_timeout=0.5, on_progress=events.append)
        assert ClaimIndex(tmp_path).search("CGT")  # queries go on meanwhile
    assert [e.event for e in events] == ["wait"]


KILL_SCRIPT = """
import sys
from pathlib import Path
from claimsearch.indexing import index_articles
from claimsearch.models import ExtractedArticle
cache = {}
for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines():
    e = ExtractedArticle.model_validate_json(line)
    cache[e.article.path] = e
def replay(paths, lang):
    for p in paths:
        yield cache[str(p)]
index_articles(sys.argv[3:], index_dir=sys.argv[2], extractor=replay, batch_size=2)
"""


def test_killed_runs_leave_a_consistent_index_that_the_next_run_completes(tmp_path):
    """SIGKILL an indexing run at random moments, 20 times; then finish it and compare with a clean build."""
    cache = tmp_path / "claims.jsonl"
    cache.write_text("\n".join(e.model_dump_json() for e in extracted().values()), encoding="utf-8")
    script = tmp_path / "run.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    files = [str(p) for p in gold_files()]
    clean = tmp_path / "clean"
    build(clean)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}

    def run(index_dir, kill_after=None):
        proc = subprocess.Popen([sys.executable, str(script), str(cache), str(index_dir), *files], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if kill_after is None:
            assert proc.wait(timeout=120) == 0, proc.stderr.read()
            return
        deadline = time.monotonic() + kill_after
        while time.monotonic() < deadline and proc.poll() is None:
            if (Path(index_dir) / VERSION_FILE).exists():
                try:  # queries keep working while another process writes
                    ClaimIndex(index_dir).search("CGT dividendes")
                except IndexError_:
                    pass  # killed before the first commit: no index yet
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    start = time.monotonic()
    run(tmp_path / "timing")
    full = time.monotonic() - start
    rng = random.Random(20240501)
    killed = tmp_path / "killed"
    for _ in range(20):
        shutil.rmtree(killed, ignore_errors=True) if rng.random() < 0.3 else None
        run(killed, kill_after=rng.uniform(0.0, full * 1.1))
        if killed.is_dir() and windex.exists_in(str(killed)):
            ix = open_index(killed)  # opens after any kill...
            with ix.searcher() as s:  # ...and holds only whole articles
                for record in file_records(s).values():
                    held = sum(len(list(s.documents(keys=key("doctype", "claim"), article_id=a))) for a in record["articles"])
                    assert held == record["claims"]
    report = build(killed)
    assert not report.errors
    assert stored_claims(killed) == stored_claims(clean)
    assert claim_count(killed) == claim_count(clean)
    for q in ("CGT dividendes inacceptable", "Putin Musk talks", "pompeo iran no evidence yemen"):
        # the same claims are found; ranks may differ until deleted documents are merged away, since
        # BM25 statistics still count them (issue note: rebuilding after a crash restores exact ranks)
        assert sorted(h.id for h in ClaimIndex(killed).search(q)) == sorted(h.id for h in ClaimIndex(clean).search(q))


def test_names_from_a_hard_wrapped_article_stay_one_name(tmp_path):
    # wrapped at 45 columns, en-wn-0002 gives spaCy names with a line break inside ("Mike\nPence")
    import re
    import textwrap

    text = (FIXTURES / "corpus" / "en" / "en-wn-0002.txt").read_text(encoding="utf-8")
    wrapped = tmp_path / "en-wn-0002-wrapped.txt"
    wrapped.write_text("\n\n".join(textwrap.fill(p, 45) for p in re.split(r"\n\s*\n", text)), encoding="utf-8")
    build(tmp_path / "index", [wrapped])
    with ClaimIndex(tmp_path / "index") as idx:
        every = idx.search("", limit=None)
        names = {n for h in every for n in (*h.sources, *h.entities, *([h.speaker] if h.speaker else []))}
        assert {"Mike Pence", "Nancy Pelosi"} <= names and not [n for n in names if "\n" in n]
        assert not [t for t in idx.searcher.lexicon("keys") if b"\n" in t]
        assert idx.search("", source="Pelosi", limit=None) and idx.search("entity:Pence", limit=None)
