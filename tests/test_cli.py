"""The command line as a user (and ../shared/tools/score.py) drives it: index, query, sources, stats, remove."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from claimsearch.cli import app

from .index_fixtures import FIXTURES, gold_index  # noqa: F401

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("command", ["index", "query", "sources", "stats", "remove"])
def test_every_command_explains_itself_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "claimsearch " + command in result.output


def test_query_help_documents_the_query_language():
    out = run("query", "--help").output
    for part in ("AND", "OR", "NOT", "exact phrase", "field:value", "source:"):
        assert part in out


@pytest.fixture
def small_index(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(FIXTURES / "seed" / "fr-03.txt", docs)
    shutil.copy(FIXTURES / "corpus" / "fr" / "fr-wn-0008.txt", docs)
    result = run("index", docs, "--index", tmp_path / "index", "--quiet")
    assert result.exit_code == 0, result.output
    return docs, tmp_path / "index"


def test_index_then_query_as_json(small_index):
    docs, index_dir = small_index
    result = run("query", "Putin Musk talks", "--index", index_dir, "--json", "--limit", "3")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3 and {"text", "sources", "score", "highlight"} <= hits[0].keys()
    assert any("entretient des contacts" in h["text"] for h in hits)
    listed = json.loads(run("query", "", "--index", index_dir, "--source", "WSJ", "--json").stdout)
    assert listed and all("Wall Street Journal" in h["sources"] for h in listed)
    lines = run("query", "CGT", "--index", index_dir, "--jsonl").stdout.splitlines()
    assert lines and all(json.loads(line)["article_id"] == "fr-wn-0008" for line in lines)


def test_the_table_shows_who_says_it_and_where(small_index):
    _, index_dir = small_index
    out = run("query", "Starlink Taïwan", "--index", index_dir, "--limit", "1").stdout
    assert all(word in out for word in ("selon", "Wall", "Journal", "fr-03"))  # columns wrap at 80


def test_reindexing_reports_unchanged_files(small_index):
    docs, index_dir = small_index
    result = run("index", docs, "--index", index_dir)
    assert result.exit_code == 0
    assert "0 indexed, 2 unchanged" in result.stderr


def test_bad_files_are_reported_one_line_each_and_exit_1(small_index, tmp_path):
    docs, index_dir = small_index
    (docs / "empty.txt").write_text("", encoding="utf-8")
    result = run("index", docs, "--index", index_dir, "--quiet")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if "empty.txt" in line] == [
        line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.parametrize("query", ['"Wall Street', "Musk AND", "Musk\x07"])
def test_a_malformed_query_gets_one_line_and_no_traceback(small_index, query):
    _, index_dir = small_index
    result = run("query", query, "--index", index_dir)
    assert result.exit_code == 2  # what the user typed: a usage error
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_missing_index_says_how_to_build_one(tmp_path):
    result = run("query", "Musk", "--index", tmp_path / "none")
    assert result.exit_code == 1 and "claimsearch index PATH" in result.stderr


def test_did_you_mean(small_index):
    _, index_dir = small_index
    result = run("query", "Isacson", "--index", index_dir)
    assert "Did you mean" in result.stderr and "isaacson" in result.stderr


def test_sources_stats_and_remove(small_index):
    _, index_dir = small_index
    facets = json.loads(run("sources", "--index", index_dir, "--json").stdout)
    assert {"Wall Street Journal", "Confédération générale du travail"} <= {s["name"] for s in facets["sources"]}
    stats = json.loads(run("stats", "--index", index_dir, "--json").stdout)
    assert stats["articles"] == 2 and stats["claims"] == facets["claims"] and stats["schema_version"] >= 1
    result = run("remove", "fr-03", "--index", index_dir)
    assert result.exit_code == 0 and "fr-03" not in {
        h["article_id"] for h in json.loads(run("query", "", "--index", index_dir, "--json").stdout)}
    assert run("remove", "fr-03", "--index", index_dir).exit_code == 1


def test_query_does_not_load_spacy(small_index):
    _, index_dir = small_index
    code = ("import sys\nfrom claimsearch.cli import app\n"
            f"try:\n    app(['query', 'Musk', '--index', {str(index_dir)!r}, '--json'])\n"
            "except SystemExit:\n    pass\n"
            "assert 'spacy' not in sys.modules, 'spaCy was imported'\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)
