"""reading: every input kind, every encoding guess reported, every bad input one line and the run goes on.

Inputs are real corpus articles (tests/fixtures/corpus) in the shapes of tests/cases/inputs/
(rebuilt by its make_inputs.py); bad files are made in tmp_path.
"""
from __future__ import annotations

import hashlib
import io
import os
import pathlib
import shutil
from pathlib import Path

import pytest

from claimsearch.errors import ArticleError
from claimsearch.models import Article
from claimsearch.reading import (MAX_BYTES, decode, detect_lang, find_date, find_files, parse_article,
                                 read_article, read_articles, read_file)

ROOT = Path(__file__).parent
INPUTS = ROOT / "cases" / "inputs"
CORPUS = ROOT / "fixtures" / "corpus"


def corpus(name: str, paragraphs: int | None = None) -> str:
    """A corpus article as Article.text has it: title, blank line, paragraphs."""
    blocks = (CORPUS / name[:2] / f"{name}.txt").read_text(encoding="utf-8").strip().split("\n\n")
    return "\n\n".join(blocks if paragraphs is None else blocks[: paragraphs + 1])


def split(results):
    return ([r for r in results if isinstance(r, Article)], [str(r) for r in results if isinstance(r, ArticleError)])


# ---------------------------------------------------------------- bad inputs: one line each, the run goes on

@pytest.fixture
def run_dir(tmp_path):
    """A good article first and last, so each test can check the run went on around the bad one."""
    shutil.copy(CORPUS / "fr" / "fr-wn-0008.txt", tmp_path / "a-good.txt")
    shutil.copy(CORPUS / "en" / "en-wn-0002.txt", tmp_path / "z-good.txt")
    return tmp_path


def run_with(run_dir, bad, **kwargs):
    articles, errors = split(list(read_articles([run_dir / "a-good.txt", bad, run_dir / "z-good.txt"], **kwargs)))
    assert [a.id for a in articles] == ["a-good", "z-good"]
    assert articles[0].text == corpus("fr-wn-0008")
    return errors


def test_binary_file(run_dir):
    png = run_dir / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert run_with(run_dir, png) == [f"{png}: binary data, not text (NUL byte at offset 8)"]


def test_binary_file_without_nul_bytes(run_dir):
    noise = run_dir / "noise.txt"
    noise.write_bytes(bytes(range(1, 256)) * 20)
    assert run_with(run_dir, noise) == [f"{noise}: binary data, not text (no text encoding fits its bytes)"]


def test_empty_file(run_dir):
    empty = run_dir / "empty.txt"
    empty.write_bytes(b"")
    blank = run_dir / "blank.txt"
    blank.write_text(" \n\n\t\n", encoding="utf-8")
    assert run_with(run_dir, empty) == [f"{empty}: empty: no title and no text"]
    assert run_with(run_dir, blank) == [f"{blank}: empty: no title and no text"]


def test_title_only(run_dir):
    title = run_dir / "title.txt"
    title.write_text(corpus("fr-wn-0008").split("\n")[0] + "\n\n  \n", encoding="utf-8")
    assert run_with(run_dir, title) == [f"{title}: only a title: no paragraphs after the first line"]


def test_too_large(run_dir):
    big = run_dir / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing written
    assert run_with(run_dir, big) == [f"{big}: too large: 50.0 MB, over the 10.0 MB limit (raise max_bytes to read it)"]


def test_size_limit_is_configurable(run_dir):
    good = run_dir / "a-good.txt"
    size = good.stat().st_size
    with pytest.raises(ArticleError) as exc:
        read_article(good, max_bytes=1024)
    assert str(exc.value) == f"{good}: too large: {size / 1024 / 1024:.1f} MB, over the 0.0 MB limit (raise max_bytes to read it)"
    assert read_article(good, max_bytes=size).id == "a-good"
    assert MAX_BYTES == 10 * 1024 * 1024


def test_unreadable_file(run_dir, monkeypatch):
    locked = run_dir / "locked.txt"
    shutil.copy(CORPUS / "fr" / "fr-wn-0009.txt", locked)
    real_open = os.open

    def deny(path, *args, **kwargs):  # tests run as root, where chmod 000 does not stop reading
        if pathlib.Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    assert run_with(run_dir, locked) == [f"{locked}: cannot read: permission denied"]


def test_folder_named_like_a_file(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert [str(e) for e in read_file(folder)] == [f"{folder}: cannot read: it is a folder, not a file"]


def test_missing_file(run_dir):
    missing = run_dir / "missing.txt"
    assert run_with(run_dir, missing) == [f"{missing}: no such file or folder"]


def test_broken_symlink(run_dir):
    link = run_dir / "link.txt"
    os.symlink("gone.txt", link)
    assert run_with(run_dir, link) == [f"{link}: broken symbolic link: its target gone.txt does not exist"]
    # inside a folder too: it is an article file that cannot be read
    articles, errors = split(list(read_articles([run_dir])))
    assert errors == [f"{link}: broken symbolic link: its target gone.txt does not exist"]
    assert [a.id for a in articles] == ["a-good", "z-good"]


def test_unknown_extension_named_explicitly(run_dir):
    pdf = run_dir / "notes.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    bare = run_dir / "README"
    bare.write_text("A title\n\nSome text.\n", encoding="utf-8")
    known = ".htm, .html, .json, .jsonl, .txt"
    assert run_with(run_dir, pdf) == [f"{pdf}: unknown file type '.pdf': claimsearch reads {known}"]
    assert run_with(run_dir, bare) == [f"{bare}: unknown file type (no extension): claimsearch reads {known}"]


def test_folders_skip_unknown_hidden_and_junk_files(run_dir):
    (run_dir / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (run_dir / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (run_dir / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (run_dir / "~$draft.txt").write_bytes(b"\x00lock")
    (run_dir / "a-good.txt~").write_text("backup", encoding="utf-8")
    (run_dir / ".hidden.txt").write_text("Hidden\n\nNot read.\n", encoding="utf-8")
    (run_dir / ".git").mkdir()
    (run_dir / ".git" / "COMMIT_EDITMSG.txt").write_text("Message\n\nNot read.\n", encoding="utf-8")
    (run_dir / "sub").mkdir()
    shutil.copy(CORPUS / "fr" / "fr-wn-0009.txt", run_dir / "sub" / "m-nested.txt")
    assert [p.relative_to(run_dir).as_posix() for p in find_files([run_dir])] == [
        "a-good.txt", "sub/m-nested.txt", "z-good.txt"]
    articles, errors = split(list(read_articles([run_dir])))
    assert errors == [] and [a.id for a in articles] == ["a-good", "sub/m-nested", "z-good"]  # paths in the folder


def test_find_files_keeps_the_order_given_and_reads_each_file_once(run_dir):
    good = run_dir / "z-good.txt"
    assert list(find_files([good, run_dir, "-"])) == [good, run_dir / "a-good.txt", Path("-")]


def test_invalid_jsonl_line_and_missing_text():
    path = INPUTS / "records.jsonl"
    articles, errors = split(list(read_articles([path])))
    assert errors == [f"{path}:3: invalid JSON: Unterminated string starting at (column 46)",
                      f"{path}:4: no 'text' field"]
    assert [a.id for a in articles] == ["hp-fr", "records-2", "7"]  # the lines after the bad ones still read
    err = next(r for r in read_file(path) if isinstance(r, ArticleError))
    assert (err.path, err.line) == (str(path), 3)


def test_json_record_missing_text():
    path = INPUTS / "records.json"
    articles, errors = split(list(read_file(path)))
    assert errors == [f"{path}: record 2: no 'text' field"]
    assert [a.id for a in articles] == ["records-1"]


def test_bad_record_fields(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text('[1, 2]\n{"id": "x", "text": ["a"]}\n{"id": "y", "text": "T\\n\\nBody.", "lang": "de"}\n',
                    encoding="utf-8")
    assert [str(e) for e in read_file(path)] == [
        f"{path}:1: not an article record: expected a JSON object, got list",
        f"{path}:2: field 'text' should be a string, not list",
        f"{path}:3: unsupported language 'de': claimsearch reads fr and en"]


def test_json_files_without_records(tmp_path):
    empty_list, blank_lines = tmp_path / "none.json", tmp_path / "none.jsonl"
    empty_list.write_text("[]\n", encoding="utf-8")
    blank_lines.write_text("\n \n", encoding="utf-8")
    assert [str(e) for e in read_articles([empty_list, blank_lines])] == [
        f"{empty_list}: empty: no article records", f"{blank_lines}: empty: no article records"]


def test_json_list_errors_name_the_record(tmp_path):
    path = tmp_path / "list.json"
    path.write_text('[{"id": "a", "text": "Only a title"}, {"id": "b", "text": "T\\n\\nBody.", "lang": "xx"}]',
                    encoding="utf-8")
    assert [str(e) for e in read_file(path)] == [
        f"{path}: record 1: only a title: no paragraphs after the first line",
        f"{path}: record 2: unsupported language 'xx': claimsearch reads fr and en"]


def test_a_whole_json_file_that_does_not_parse(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"id": "a",\n "text": ', encoding="utf-8")
    assert [str(e) for e in read_file(path)] == [f"{path}:2: invalid JSON: Expecting value (column 10)"]


def test_read_article_refuses_a_file_of_many_records():
    path = INPUTS / "records.jsonl"
    with pytest.raises(ArticleError) as exc:
        read_article(path)
    assert str(exc.value) == f"{path}: holds 5 records (3 readable): read it with read_articles()"


# ---------------------------------------------------------------- good inputs

def test_txt_reads_as_written():
    for path in sorted(CORPUS.glob("*/*.txt")):
        article = read_article(path)
        assert article.id == path.stem
        assert article.text == path.read_text(encoding="utf-8").strip()
        assert article.title == article.text.split("\n")[0]
        assert article.lang == path.parent.name
        assert article.warnings == ()


def test_html_page_main_text_title_date():
    article = read_article(INPUTS / "fr-wn-0008.html")
    assert article.text == corpus("fr-wn-0008")  # menus, cookie banner, ads, share links and footer gone
    assert article.title == "France : Hewlett-Packard va supprimer 520 postes d'ici à 2014"
    assert (article.id, article.lang, str(article.date)) == ("fr-wn-0008", "fr", "2012-07-02")
    assert article.source_name == "Wikinews"
    assert article.url.startswith("https://fr.wikinews.org/wiki/France_:_Hewlett-Packard")
    for boilerplate in ("Se connecter", "cookies", "Publicité", "Partager", "À lire aussi", "Mentions légales"):
        assert boilerplate not in article.text


def test_html_declared_charset_is_used(tmp_path):
    page = (INPUTS / "fr-wn-0008.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="windows-1252"')
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1252"))
    article = read_article(path)
    assert article.text == corpus("fr-wn-0008") and article.warnings == ()


def test_html_without_article_text(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text("<html><head><title>Accueil</title></head><body><script>x = 1</script></body></html>",
                    encoding="utf-8")
    assert [str(e) for e in read_file(path)] == [f"{path}: no article text found in the HTML page"]


def test_jsonl_records():
    articles = [a for a in read_file(INPUTS / "records.jsonl") if isinstance(a, Article)]
    hp, trump, mali = articles
    assert hp.text == corpus("fr-wn-0009", 2)
    assert (hp.lang, str(hp.date), hp.url, hp.source_name) == ("fr", "2012-07-05", "https://fr.wikinews.org/", "Wikinews")
    assert trump.text == corpus("en-wn-0002", 2)
    assert (trump.id, trump.lang, str(trump.date)) == ("records-2", "en", "2019-01-07")  # detected, from the dateline
    assert mali.text == corpus("fr-wn-0013", 1)  # no title field: the text's first line
    assert mali.title == "Mali : des citoyens appellent à libérer le nord du pays"
    assert all(a.path == str(INPUTS / "records.jsonl") for a in articles)


def test_json_one_record_and_a_list():
    one = read_article(INPUTS / "record.json")
    assert (one.id, one.text) == ("one", corpus("en-wn-0002", 2))
    first = next(read_file(INPUTS / "records.json"))
    assert (first.id, first.text) == ("records-1", corpus("fr-wn-0009", 2))


def test_record_date_relative_is_a_warning(tmp_path):
    path = tmp_path / "dated.jsonl"
    path.write_text('{"id": "d", "text": "Titre\\n\\n2 juillet 2012. - Le texte.", "lang": "fr", "date": "hier"}\n',
                    encoding="utf-8")
    article = read_article(path)
    assert str(article.date) == "2012-07-02"  # "hier" names no day: the dateline's date is kept
    assert article.warnings == (f"{path}:1: date 'hier' is not a date, ignored",)


def test_record_timestamp_keeps_its_day_and_bad_dates_are_refused(tmp_path):
    path = tmp_path / "dates.jsonl"
    path.write_text('{"text": "T\\n\\nBody.", "lang": "en", "date": "2012-07-02T09:30:00+02:00"}\n'
                    '{"text": "T\\n\\nBody.", "lang": "en", "date": "2012-13-45"}\n', encoding="utf-8")
    stamped, impossible = read_file(path)
    assert (str(stamped.date), stamped.warnings) == ("2012-07-02", ())
    assert (impossible.date, impossible.warnings) == (None, (f"{path}:2: date '2012-13-45' is not a date, ignored",))


def test_stdin_text_and_records():
    text = corpus("fr-wn-0008").encode()
    (article,) = read_articles(["-"], stdin=io.BytesIO(text))
    sha = hashlib.sha256(text).hexdigest()[:12]  # two texts piped in never share an id
    assert (article.id, article.path, article.text) == (f"stdin-{sha}", "stdin", corpus("fr-wn-0008"))
    records = (INPUTS / "records.jsonl").read_bytes()
    articles, errors = split(list(read_articles(["-"], stdin=io.BytesIO(records))))
    assert [a.id for a in articles] == ["hp-fr", f"stdin-{hashlib.sha256(records).hexdigest()[:12]}-2", "7"]
    assert errors == ["stdin:3: invalid JSON: Unterminated string starting at (column 46)", "stdin:4: no 'text' field"]
    (page,) = read_articles(["-"], stdin=io.BytesIO((INPUTS / "fr-wn-0008.html").read_bytes()))
    assert page.id.startswith("stdin-") and page.text == corpus("fr-wn-0008")
    assert [str(e) for e in read_articles(["-"], stdin=io.BytesIO(b""))] == ["stdin: empty: no title and no text"]


def test_utf8_with_bom_and_crlf():
    article = read_article(INPUTS / "fr-wn-0010-bom.txt")
    assert article.text == corpus("fr-wn-0010", 2)
    assert article.warnings == ()


def test_cp1252_detected_and_reported():
    path = INPUTS / "fr-wn-0004-cp1252.txt"
    article = read_article(path)
    assert article.text == corpus("fr-wn-0004", 3)  # É, é, ’ all right
    assert article.warnings == (f"{path}: decoded as cp1252 (not UTF-8)",)


def test_latin1_short_text_not_taken_for_central_european(tmp_path):
    # charset-normalizer alone names cp1250 for this one; claimsearch reads fr and en, so cp1252 wins
    path = tmp_path / "court.txt"
    path.write_bytes("Café\n\nÀ bientôt, déjà l'été à Noël.\n".encode("latin-1"))
    article = read_article(path, lang="fr")
    assert article.text == "Café\n\nÀ bientôt, déjà l'été à Noël."
    assert article.warnings == (f"{path}: decoded as cp1252 (not UTF-8)",)


def test_utf8_with_a_stray_cp1252_byte(tmp_path):
    # a UTF-8 file with one cp1252 apostrophe pasted in: read as cp1252, then ftfy mends the UTF-8 parts
    path = tmp_path / "mixed.txt"
    path.write_bytes("Titre élevé\n\nL".encode() + b"\x92" + "été à Noël, déjà très coûteux.".encode())
    article = read_article(path, lang="fr")
    assert article.text == "Titre élevé\n\nL’été à Noël, déjà très coûteux."
    assert article.warnings == (f"{path}: decoded as cp1252 (not UTF-8)",
                                f"{path}: repaired mojibake on 2 lines (ftfy: encode latin-1, decode utf-8, "
                                "apply decode_inconsistent_utf8)")


def test_mojibake_repaired_quotes_stay_curly():
    path = INPUTS / "fr-wn-0001-mojibake.txt"
    article = read_article(path)
    assert article.text == corpus("fr-wn-0001", 6)
    assert "“sa vie au travail”" in article.text
    (warning,) = article.warnings
    assert warning.startswith(f"{path}: repaired mojibake on 5 lines (ftfy: ")


def test_clean_text_is_left_alone():
    text = "Titre « cité »\n\nL’“exemple” ﬁnal\u00a0: ｘ — c’est tout.\n"
    article = parse_article(text, id="t", lang="fr")
    assert article.text == text.strip() and article.warnings == ()


def test_decode_utf16_with_bom():
    assert decode("Titre\n\nTexte élevé.".encode("utf-16"), "x.txt") == ("Titre\n\nTexte élevé.", ())


# ---------------------------------------------------------------- layout, language, date

def test_paragraphs_one_per_line_when_no_blank_lines():
    article = parse_article("Titre\r\nPremier paragraphe.\r\n  Second paragraphe.  \r\n", id="t", lang="fr")
    assert article.text == "Titre\n\nPremier paragraphe.\n\nSecond paragraphe."


def test_title_given_is_not_repeated():
    body = corpus("fr-wn-0008")
    title = body.split("\n")[0]
    assert parse_article(body, id="t", title=title).text == body
    assert parse_article(body.split("\n\n", 1)[1], id="t", title=title).text == body


def test_language_detected_on_corpus():
    for path in sorted(CORPUS.glob("*/*.txt")):
        assert detect_lang(path.read_text(encoding="utf-8")) == path.parent.name, path


def test_unsure_language_is_a_warning():
    article = parse_article("Barack Obama\n\nMitt Romney", id="names")
    (warning,) = article.warnings
    assert warning.startswith(f"names: language unsure, read as {article.lang} (detector's best guess: ")


def test_dates_from_the_dateline():
    dated = {path.stem: read_article(path).date for path in sorted(CORPUS.glob("*/*.txt"))}
    dated = {k: v and v.isoformat() for k, v in dated.items()}
    assert dated["fr-wn-0008"] == "2012-07-02"
    assert dated["en-wn-0002"] == "2019-01-07"
    assert dated["fr-wn-0013"] == "2012-07-04"
    # "On Tuesday, …" has no dateline, and the "December 22" further on is an event's date, not the article's
    assert dated["en-wn-0019"] is None
    assert find_date("1er novembre 2012. - Trois jeunes femmes", "fr") == "2012-11-01"
    assert find_date("30 février 2012. - Rien.", "fr") is None
    assert find_date("Le texte. " * 30 + "Le 2 juillet 2012, rien.", "fr") is None


def test_cli_extract_reads_standard_input():
    from typer.testing import CliRunner

    from claimsearch.cli import app

    result = CliRunner().invoke(app, ["extract", "-", "--json"], input=corpus("fr-wn-0008").encode())
    assert result.exit_code == 0, result.output
    assert '"id": "stdin-' in result.stdout and '"path": "stdin"' in result.stdout
