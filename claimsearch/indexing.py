"""Claims → Whoosh index: the only module that writes an index.

One Whoosh document per claim (keyed by the claim's stable id) and one per article file (its path,
content hash and article id), committed together a batch of articles at a time. A Whoosh commit is
atomic (the table of contents is renamed into place last), so a crash or a kill at any moment
leaves an index that opens and holds only whole articles; the next run skips what was committed
(same hash) and finishes the rest. spaCy is imported only when a file actually needs extracting.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Literal

from whoosh import index as windex
from whoosh.analysis import RegexTokenizer
from whoosh.fields import BOOLEAN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from .analysis import analyzer
from .errors import ArticleError, IndexError_, IndexVersionError
from .models import Claim, ExtractedArticle, Model

SCHEMA_VERSION = 1
VERSION_FILE = "claimsearch.json"
RUN_LOCK = "CLAIMSEARCH_RUN"
REBUILD_HINT = "rebuild with `claimsearch index --rebuild`"
NAME_SEP = "\n"

Extractor = Callable[[list[Path], str | None], Iterable[ExtractedArticle | ArticleError]]


class IndexReport(Model):
    """What one indexing run did. `errors` holds one line per file that could not be indexed."""

    files: int = 0  # article files seen
    articles: int = 0  # files extracted and (re)indexed in this run
    skipped: int = 0  # files unchanged since the last run: not extracted again
    claims_added: int = 0
    claims_removed: int = 0
    claims_unchanged: int = 0
    pruned: int = 0  # articles removed because their file is gone (or by `remove`)
    errors: tuple[str, ...] = ()
    seconds: float = 0.0


class IndexProgress(Model):
    """A progress event for a caller that shows progress; the library itself never draws anything."""

    event: Literal["start", "wait", "skip", "article", "error", "commit", "prune"]
    files_total: int = 0
    files_done: int = 0
    claims: int = 0  # claims added so far
    path: str | None = None
    message: str | None = None


def schema() -> Schema:
    """The index schema. Change a field, bump SCHEMA_VERSION: old indexes then ask to be rebuilt."""
    names = RegexTokenizer(r"[^\n]+")  # one term per whole name: exact filters and facets
    return Schema(
        id=ID(unique=True, stored=True),
        doctype=ID,  # "claim" or "article"
        article_id=ID(stored=True, sortable=True),
        path=ID(stored=True),
        digest=STORED,
        data=STORED,  # the Claim as JSON, or the article's record
        text_fr=TEXT(analyzer=analyzer("fr")),  # a claim's text goes into the field of its language
        text_en=TEXT(analyzer=analyzer("en")),
        names=TEXT(analyzer=analyzer(None)),  # sources, speaker, entities and all their alias forms
        source=TEXT(analyzer=names, phrase=False),
        speaker=TEXT(analyzer=names, phrase=False),
        lang=ID, scope=ID, stance=ID, kind=ID,
        date=ID(sortable=True),
        attributed=BOOLEAN,
        sentence=NUMERIC(sortable=True),
    )


# ---------------------------------------------------------------------------------------- opening

def _read_version(index_dir: Path) -> int | None:
    try:
        return int(json.loads((index_dir / VERSION_FILE).read_text(encoding="utf-8"))["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_index(index_dir: str | Path, create: bool = False):
    """The Whoosh index in `index_dir`; with `create`, a new one when there is none yet."""
    index_dir = Path(index_dir)
    exists = index_dir.is_dir() and windex.exists_in(str(index_dir))
    if not exists:
        if not create:
            raise IndexError_(f"{index_dir}: no claimsearch index here; build one with "
                              f"`claimsearch index PATH --index {index_dir}`")
        return _create(index_dir)
    version = _read_version(index_dir)
    if version != SCHEMA_VERSION:
        found = "an unknown version" if version is None else f"version {version}"
        raise IndexVersionError(f"{index_dir}: index of {found}, this claimsearch reads version "
                                f"{SCHEMA_VERSION}; {REBUILD_HINT}")
    try:
        return windex.open_dir(str(index_dir))
    except Exception as exc:  # a damaged table of contents, a foreign index
        raise IndexVersionError(f"{index_dir}: cannot open the index ({exc}); {REBUILD_HINT}") from exc


def _create(index_dir: Path):
    """Version file first, then the index: a kill in between leaves no index, so the next run creates it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / (VERSION_FILE + ".tmp")
    tmp.write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
    tmp.replace(index_dir / VERSION_FILE)
    return windex.create_in(str(index_dir), schema())


class _RunLock:
    """One indexing run (or `remove`) at a time per index, across the whole run, not just one commit.

    An fcntl lock (Whoosh's own FileLock): the kernel releases it when a killed process dies.
    """

    def __init__(self, index_dir: Path, timeout: float, on_progress) -> None:
        self.index_dir, self.timeout, self.on_progress = index_dir, timeout, on_progress

    def __enter__(self):
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.lock = FileStorage(str(self.index_dir)).lock(RUN_LOCK)
        start = time.monotonic()
        told = False
        while not self.lock.acquire(blocking=False):
            waited = time.monotonic() - start
            if waited >= self.timeout:
                raise IndexError_(f"{self.index_dir}: another `claimsearch index` is writing this index "
                                  f"(waited {waited:.0f} s); try again when it has finished")
            if not told and self.on_progress:
                self.on_progress(IndexProgress(event="wait", message=f"{self.index_dir}: waiting for another "
                                               "`claimsearch index` writing this index to finish"))
                told = True
            time.sleep(0.2)
        return self

    def __exit__(self, *exc) -> None:
        self.lock.release()


# ---------------------------------------------------------------------------------------- documents

def claim_document(claim: Claim) -> dict:
    """The Whoosh fields of one claim."""
    names = [*claim.sources, *([claim.speaker] if claim.speaker else []), *claim.entities, *claim.aliases]
    doc = {
        "id": claim.id, "doctype": "claim", "article_id": claim.article_id, "data": claim.model_dump_json(),
        f"text_{claim.lang}": claim.text, "names": NAME_SEP.join(names),
        "lang": claim.lang, "scope": claim.scope, "kind": claim.kind,
        "attributed": bool(claim.sources), "sentence": claim.sentence,
    }
    if claim.sources:
        doc["source"] = NAME_SEP.join(claim.sources)
    if claim.speaker:
        doc["speaker"] = claim.speaker
    if claim.stance:
        doc["stance"] = claim.stance
    if claim.date:
        doc["date"] = claim.date
    return doc


def article_document(path: str, digest: str, extracted: ExtractedArticle) -> dict:
    a = extracted.article
    record = {"title": a.title, "lang": a.lang, "date": a.date, "claims": len(extracted.claims)}
    return {"id": f"article:{path}", "doctype": "article", "article_id": a.id, "path": path,
            "digest": digest, "lang": a.lang, "data": json.dumps(record, ensure_ascii=False)}


def file_digest(data: bytes, lang: str | None) -> str:
    """What decides that a file must be extracted again: its bytes and the language forced on it."""
    return f"{hashlib.sha256(data).hexdigest()}:{lang or ''}"


# ---------------------------------------------------------------------------------------- indexing

def _default_extractor(paths: list[Path], lang: str | None) -> Iterator[ExtractedArticle | ArticleError]:
    from .pipeline import extract_many  # spaCy loads here, and only when a file changed

    return extract_many(paths, lang=lang)


def _articles_on_record(ix) -> dict[str, dict]:
    """path → stored record of every indexed article file."""
    with ix.searcher() as s:
        return {f["path"]: f for f in s.documents(doctype="article")}


def _claim_ids(searcher, article_id: str) -> set[str]:
    return {f["id"] for f in searcher.documents(doctype="claim", article_id=article_id)}


def index_articles(paths: Iterable[str | Path], index_dir: str | Path = "index",
                   on_progress: Callable[[IndexProgress], None] | None = None, *,
                   lang: str | None = None, prune: bool = False, rebuild: bool = False,
                   batch_size: int = 8, lock_timeout: float = 600.0,
                   extractor: Extractor | None = None) -> IndexReport:
    """Index the claims of every article file under `paths` into `index_dir`.

    Unchanged files (same content hash) are skipped without extraction; a changed file's claims
    replace its old ones; with `prune`, articles whose file is gone are removed. Claims are
    committed every `batch_size` articles, so an interrupted run keeps whole articles and the
    next run completes it. A file that cannot be read is reported in `errors`; the rest goes on.
    `extractor` replaces the spaCy pipeline (tests use it to replay cached claims).
    """
    from .reading import find_files

    started = time.monotonic()
    index_dir = Path(index_dir)
    extractor = extractor or _default_extractor
    files = [p.resolve() for p in find_files(paths)]
    report = {"files": len(files), "articles": 0, "skipped": 0, "claims_added": 0, "claims_removed": 0,
              "claims_unchanged": 0, "pruned": 0}
    errors: list[str] = []
    done = 0

    def tell(event: str, path: str | None = None, message: str | None = None) -> None:
        if on_progress:
            on_progress(IndexProgress(event=event, files_total=len(files), files_done=done,
                                      claims=report["claims_added"], path=path, message=message))

    with _RunLock(index_dir, lock_timeout, on_progress):
        if rebuild and index_dir.is_dir() and windex.exists_in(str(index_dir)):
            ix = _create(index_dir)
        else:
            ix = open_index(index_dir, create=True)
        on_record = _articles_on_record(ix)
        by_id = {r["article_id"]: p for p, r in on_record.items()}
        tell("start")

        todo: list[Path] = []
        digests: dict[str, str] = {}
        for path in files:
            key = str(path)
            try:
                digest = file_digest(path.read_bytes(), lang)
            except OSError as exc:
                errors.append(str(ArticleError(key, f"cannot read: {exc.strerror or exc}")))
                done += 1
                tell("error", key, errors[-1])
                continue
            old = on_record.get(key)
            if old is not None and old["digest"] == digest:
                report["skipped"] += 1
                report["claims_unchanged"] += json.loads(old["data"]).get("claims", 0)
                done += 1
                tell("skip", key)
            else:
                digests[key] = digest
                todo.append(path)

        batch: list[tuple[str, ExtractedArticle]] = []

        def commit() -> None:
            if not batch:
                return
            with ix.searcher() as s:
                old_ids = {e.article.id: _claim_ids(s, e.article.id) for _, e in batch}
            writer = ix.writer(timeout=lock_timeout)
            try:
                for key, extracted in batch:
                    aid = extracted.article.id
                    writer.delete_by_term("article_id", aid)  # its claims and its file record
                    writer.delete_by_term("id", f"article:{key}")
                    claims = {c.id: c for c in extracted.claims}  # one document per claim id
                    for claim in claims.values():
                        writer.add_document(**claim_document(claim))
                    writer.add_document(**article_document(key, digests[key], extracted))
                    report["claims_added"] += len(claims.keys() - old_ids[aid])
                    report["claims_removed"] += len(old_ids[aid] - claims.keys())
                    report["claims_unchanged"] += len(old_ids[aid] & claims.keys())
                    report["articles"] += 1
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            batch.clear()
            tell("commit")

        for result in extractor(todo, lang):
            done += 1
            if isinstance(result, ArticleError):
                errors.append(str(result))
                tell("error", result.path, errors[-1])
                continue
            key = str(Path(result.article.path).resolve()) if result.article.path else None
            aid = result.article.id
            holder = by_id.get(aid)
            if key not in digests:
                errors.append(f"{key or aid}: the extractor returned an article that was not asked for")
                tell("error", key, errors[-1])
                continue
            if holder is not None and holder != key and Path(holder).exists():
                errors.append(f"{key}: article id {aid!r} is already indexed from {holder}; "
                              "rename one of the files (the id is the file name)")
                tell("error", key, errors[-1])
                continue
            by_id[aid] = key
            batch.append((key, result))
            tell("article", key)
            if len(batch) >= batch_size:
                commit()
        commit()

        if prune:
            report["pruned"] += _prune(ix, lock_timeout)
            tell("prune")
    report["seconds"] = round(time.monotonic() - started, 3)
    return IndexReport(**report, errors=tuple(errors))


def _prune(ix, lock_timeout: float) -> int:
    """Remove the articles whose file is no longer on disk; how many."""
    gone = [r for p, r in _articles_on_record(ix).items() if not Path(p).exists()]
    if not gone:
        return 0
    writer = ix.writer(timeout=lock_timeout)
    for record in gone:
        writer.delete_by_term("article_id", record["article_id"])
        writer.delete_by_term("id", f"article:{record['path']}")
    writer.commit()
    return len(gone)


def remove_articles(article_ids: Iterable[str], index_dir: str | Path = "index",
                    lock_timeout: float = 600.0) -> IndexReport:
    """Delete the claims (and file records) of articles by id; unknown ids are reported in `errors`."""
    started = time.monotonic()
    index_dir = Path(index_dir)
    ids = list(dict.fromkeys(article_ids))
    removed, errors = 0, []
    with _RunLock(index_dir, lock_timeout, None):
        ix = open_index(index_dir)
        with ix.searcher() as s:
            counts = {aid: len(_claim_ids(s, aid)) for aid in ids}
            known = {aid for aid in ids if s.document(article_id=aid) is not None}
        writer = ix.writer(timeout=lock_timeout)
        for aid in ids:
            if aid not in known:
                errors.append(f"{aid}: no such article in {index_dir}")
                continue
            writer.delete_by_term("article_id", aid)
            removed += counts[aid]
        writer.commit()
    return IndexReport(pruned=len(known), claims_removed=removed, errors=tuple(errors),
                       seconds=round(time.monotonic() - started, 3))


def claim_count(index_dir: str | Path) -> int:
    """Live claim documents in an index (what a test compares between runs)."""
    ix = open_index(index_dir)
    with ix.searcher() as s:
        return sum(1 for _ in s.document_numbers(doctype="claim"))
