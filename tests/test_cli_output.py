"""The command line as a fact-checker meets it: provenance in every hit, typed dates, one output path,
one-line errors, no side effect on failure, readable at 80 columns. Real sample articles throughout."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimsearch.cli import app

from .index_fixtures import gold_index  # noqa: F401

SAMPLE = Path(__file__).parent.parent / "claimsearch" / "sample"
INPUTS = Path(__file__).parent / "cases" / "inputs"
FILES = ("fr/fr-wn-0008.txt", "en/en-wn-0002.txt", "en/en-wn-0024.txt")  # 2012-07-02, 2019-01-07, 2020-06-21
runner = CliRunner()


def run(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory) -> Path:
    """Three sample articles copied with the sample's manifest.tsv beside them, indexed through the CLI."""
    tmp = tmp_path_factory.mktemp("sample")
    for name in FILES:
        (tmp / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE / name, tmp / "docs" / name)
    shutil.copy(SAMPLE / "manifest.tsv", tmp / "docs")
    result = run("index", tmp / "docs", "--index", tmp / "index", "--quiet")
    assert result.exit_code == 0, result.output
    return tmp / "index"


def manifest() -> dict[str, dict]:
    with open(SAMPLE / "manifest.tsv", encoding="utf-8", newline="") as f:
        return {r["file"].removesuffix(".txt"): r for r in csv.DictReader(f, dialect="excel-tab")}


def test_every_hit_carries_the_manifest_provenance(sample_index):
    hits = json.loads(run("query", "", "--index", sample_index, "--json").stdout)
    rows = manifest()
    assert {h["article_id"] for h in hits} == {f.removesuffix(".txt") for f in FILES}  # paths in the folder indexed
    for h in hits:
        row = rows[h["article_id"]]
        assert (h["url"], h["date"], h["title"]) == (row["url"], row["date"], row["title"])
        assert h["source_name"] == row["url"].split("/")[2] and h["path"].endswith(row["file"])


def test_the_table_fits_80_columns_with_outlet_date_and_link(sample_index):
    out = run("query", "HP dividendes emplois", "--index", sample_index, "--limit", "3", env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert any("fr-wn-0008 · 2012-07-02 · fr.wikinews.org · France : Hewlett-Packard" in line for line in lines)
    assert any(line.strip().startswith("https://fr.wikinews.org/wiki/France_:_Hewlett") for line in lines)
    article_lines = [line for line in lines if "fr-wn-00" in line]
    assert article_lines and all(line.rstrip().endswith("…") for line in article_lines)  # title cut, never wrapped


def test_since_and_until_compare_dates(sample_index):
    def dates(*args):
        result = run("query", "", "--index", sample_index, "--json", *args)
        assert result.exit_code == 0, result.output
        return {h["date"] for h in json.loads(result.stdout)}

    assert dates("--since", "12/01/2019") == {"2020-06-21"}  # December 1st 2019, not the string "12/…"
    assert dates("--until", "2012") == {"2012-07-02"}  # the whole year
    assert dates("--since", "2019-01", "--until", "2019-01") == {"2019-01-07"}
    assert dates("--since", "yesterday") == set()


@pytest.mark.parametrize("args, says", [
    (["--since", "2019-13-45"], "'2019-13-45' is not a date"),
    (["--until", "someday"], "'someday' is not a date"),
    (["--lang", "de"], "'de' is not one of 'fr', 'en'"),
    (["--limit", "0"], "give 1 or more"),
    (["--json", "--jsonl"], "choose one output format"),
    (["--format", "xml"], "'xml' is not one of"),
])
def test_what_the_user_typed_wrong_is_one_line_and_exit_2(sample_index, args, says):
    result = run("query", "", "--index", sample_index, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1 and says in result.stderr
    assert "None" not in result.stderr and not result.stdout


def test_an_unknown_field_is_refused(sample_index):
    result = run("query", "auteur:Trump", "--index", sample_index)
    assert result.exit_code == 2 and "unknown field auteur:" in result.stderr and "source:" in result.stderr


def test_errors_are_one_line_however_long(tmp_path):
    deep = tmp_path / ("a-long-folder-name-" * 6) / "index"
    result = run("query", "Musk", "--index", deep)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) > 120  # not wrapped at 80 columns


def test_a_failing_command_has_no_side_effect(tmp_path):
    result = run("remove", "fr-03", "--index", tmp_path / "missing")
    assert result.exit_code == 1 and "no claimsearch index here" in result.stderr
    assert not (tmp_path / "missing").exists()
    (tmp_path / "article.pdf").write_bytes(b"%PDF-1.4")
    result = run("index", tmp_path / "article.pdf", "--index", tmp_path / "index")
    assert result.exit_code == 1 and "unknown file type '.pdf'" in result.stderr
    assert not (tmp_path / "index").exists()


def test_formats_of_query_and_sources(sample_index):
    rows = list(csv.DictReader(io.StringIO(run("query", "CGT", "--index", sample_index, "--format", "csv").stdout)))
    assert rows and all(r["article_id"] == "fr/fr-wn-0008" and r["url"].startswith("https://fr.wikinews.org/") for r in rows)
    lines = run("query", "CGT", "--index", sample_index, "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in rows]
    counts = list(csv.DictReader(io.StringIO(run("sources", "--index", sample_index, "--format", "csv").stdout)))
    assert {"role": "source", "name": "Confédération générale du travail"} .items() <= next(
        r for r in counts if r["name"] == "Confédération générale du travail").items()


def test_extract_of_many_records_is_one_json_document(tmp_path):
    two = tmp_path / "two.jsonl"
    two.write_text("".join(json.dumps({"id": Path(f).stem, "text": (SAMPLE / f).read_text(encoding="utf-8"),
                                       "url": manifest()[f.removesuffix(".txt")]["url"], "outlet": "Wikinews"}) + "\n"
                           for f in FILES[:2]), encoding="utf-8")
    result = run("extract", two, "--json")
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)  # one document, not two back to back
    assert [d["article"]["id"] for d in docs] == ["fr-wn-0008", "en-wn-0002"] and all(d["claims"] for d in docs)
    assert {c["source_name"] for d in docs for c in d["claims"]} == {"Wikinews"}
    lines = run("extract", two, "--jsonl").stdout.splitlines()
    assert [json.loads(line)["article"]["id"] for line in lines] == ["fr-wn-0008", "en-wn-0002"]
    broken = run("extract", INPUTS / "records.jsonl", "--json")  # two bad lines among good ones
    assert broken.exit_code == 1 and len(json.loads(broken.stdout)) == 3
    single = run("extract", SAMPLE / FILES[0], "--json")
    assert single.stderr == ""  # no warning, and no progress when stderr is not a terminal
    one = json.loads(single.stdout)  # one article: one object
    assert one["article"]["url"] == manifest()["fr/fr-wn-0008"]["url"]
    assert all(c["url"] == one["article"]["url"] and c["date"] == "2012-07-02" for c in one["claims"])


def test_standard_input_gets_an_id(tmp_path):
    text = (SAMPLE / FILES[0]).read_text(encoding="utf-8")
    result = run("extract", "-", "--id", "hp-2012", "--json", input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["id"] == "hp-2012"
    index_dir = tmp_path / "index"
    for name, path in (("hp", FILES[0]), ("trump", FILES[1])):
        result = run("index", "-", "--id", name, "--index", index_dir, "--quiet",
                     input=(SAMPLE / path).read_text(encoding="utf-8"))
        assert result.exit_code == 0, result.output
    hits = json.loads(run("query", "", "--index", index_dir, "--json").stdout)
    assert {h["article_id"] for h in hits} == {"hp", "trump"}  # the second did not replace the first
    for args in (["extract", SAMPLE / FILES[0], "--id", "x"], ["index", SAMPLE / FILES[0], "--id", "x", "--index", index_dir]):
        ignored = run(*args)  # an --id that names nothing is said, not dropped
        assert ignored.exit_code == 2 and "--id names standard input" in ignored.stderr


def test_help_version_and_completion():
    query_help = run("query", "--help", env={"COLUMNS": "200"}).stdout
    assert "[default: 10; all when listing]" in query_help
    index_help = run("index", "--help", env={"COLUMNS": "200"}).stdout
    for kind in (".txt", ".html", ".json", ".jsonl", "standard input", "manifest.tsv", "--meta"):
        assert kind in index_help
    assert "an interrupted run keeps what it committed and the next run completes it" in index_help  # reflowed
    assert run("--version").stdout.strip().startswith("claimsearch ")
    assert "--install-completion" in run("--help").stdout


def test_a_reader_that_stops_early_ends_the_command_quietly(gold_index):  # noqa: F811
    proc = subprocess.Popen([sys.executable, "-m", "claimsearch", "query", "", "--jsonl", "--index", str(gold_index)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    assert proc.wait(timeout=60) == 0 and json.loads(first)["id"]
    assert proc.stderr.read() == b""


def test_index_meta_gives_provenance_and_a_bad_one_is_refused(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLE / FILES[0], docs / "hp.txt")  # no manifest beside it
    meta = tmp_path / "meta.csv"
    meta.write_text("file,url,date,outlet\ndocs/hp.txt,https://www.example.org/hp,3 juillet 2012,Example News\n",
                    encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,link\nhp,x\n", encoding="utf-8")
    refused = run("index", docs, "--meta", bad, "--index", tmp_path / "index")
    assert refused.exit_code == 2 and "no 'file' (or 'id') column" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1 and not (tmp_path / "index").exists()
    result = run("index", docs, "--meta", meta, "--index", tmp_path / "index", "--quiet")
    assert result.exit_code == 0, result.output
    hits = json.loads(run("query", "", "--index", tmp_path / "index", "--json").stdout)
    assert hits and {(h["url"], h["date"], h["source_name"]) for h in hits} == {
        ("https://www.example.org/hp", "2012-07-03", "Example News")}


def test_extract_table_fits_80_columns():
    lines = run("extract", SAMPLE / FILES[0], env={"COLUMNS": "80"}).stdout.splitlines()
    assert lines[1].startswith("fr-wn-0008 · fr · 2012-07-02 · fr.wikinews.org")
    assert lines[2].startswith("https://fr.wikinews.org/wiki/France_:_Hewlett") and lines[2].endswith("…")
    assert max(len(line) for line in lines) <= 80


def test_extract_shows_progress_on_a_terminal_only(monkeypatch):
    from rich.console import Console

    import claimsearch.cli as cli

    terminal = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=terminal, force_terminal=True, width=80))
    result = run("extract", SAMPLE / FILES[0], "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["claims"]
    assert "loading spaCy's models and extracting claims" in terminal.getvalue()
    assert result.stderr == ""  # nothing of it in the output
