"""Text from data is never markup, and names are printed escaped on one line (issue 13).

The stress test found `[/…]` in a file name, a title, a JSON field, a query or a `remove` id raising
Rich's MarkupError (and `index` then lost its uncommitted work), a folder named `x[` aborting a
whole run, a newline in a file name splitting its error line and an ESC byte reaching the terminal.
"""
from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from claimsearch.cli import app
from claimsearch.errors import ArticleError, printable
from claimsearch.searching import ClaimIndex

from .index_fixtures import FIXTURES, gold_index  # noqa: F401

FR08 = FIXTURES / "corpus" / "fr" / "fr-wn-0008.txt"
runner = CliRunner()


def run(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def test_printable_escapes_what_a_terminal_would_act_on():
    assert printable("a\nb\x1b[2J\u202ec\udcff.txt") == "a\\nb\\x1b[2J\\u202ec\\udcff.txt"
    assert printable("[/bold] Taïwan « ok »") == "[/bold] Taïwan « ok »"  # brackets and accents stay as they are
    assert str(ArticleError("dir/bad\nname.txt", "empty")) == "dir/bad\\nname.txt: empty"


def test_index_with_brackets_newlines_and_esc_in_names_reports_each_on_one_line(tmp_path):
    docs = tmp_path / "x["  # its files' paths hold "x[/…": a closing tag for Rich
    docs.mkdir()
    shutil.copy(FR08, docs / "bold]good.txt")
    (docs / "bad\nname\x1b[2J.txt").write_text("", encoding="utf-8")
    record = {"title": "[/i] Le titre [bold]", "text": FR08.read_text(encoding="utf-8").split("\n", 1)[1]}
    (docs / "feed[x].jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    index = tmp_path / "index"
    result = run("index", docs, "--index", index)
    assert result.exit_code == 1  # one bad file
    errors = [line for line in result.stderr.splitlines() if "empty" in line]
    assert errors == [f"{docs}/bad\\nname\\x1b[2J.txt: empty: no title and no text"]
    assert "\x1b[2J" not in result.stderr
    held = {h.article_id: h.title for h in ClaimIndex(index).search("", limit=None)}
    assert held.keys() == {"bold]good", "feed[x]-1"}  # nothing lost
    assert held["feed[x]-1"] == "[/i] Le titre [bold]"

    table = run("query", "CGT", "--index", index)
    assert table.exit_code == 0 and "bold]good" in table.stdout
    extract = run("extract", docs / "feed[x].jsonl")
    assert extract.exit_code == 0 and "[/i] Le titre [bold]" in extract.stdout


def test_queries_and_ids_with_markup_are_text(gold_index):  # noqa: F811
    query = run("query", "[/x] CGT", "--index", gold_index)
    assert query.exit_code == 0 and "CGT" in query.stdout
    bad = run("query", '"[/x]', "--index", gold_index)
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "[/x]" in bad.stderr
    removed = run("remove", "[/x]", "--index", gold_index)
    assert removed.exit_code == 1 and f"[/x]: no such article in {gold_index}" in removed.stderr
