"""Claims → Whoosh index: the only module that writes an index.

One Whoosh document per claim (keyed by the claim's stable id) and one per input file (its path,
content hash and the ids of the articles it held), committed together a batch of articles at a time. A Whoosh commit is
atomic (the table of contents is renamed into place last), so a crash or a kill at any moment
leaves an index that opens and holds only whole articles; the next run skips what was committed
(same hash) and finishes the rest. spaCy is imported only when a file actually needs extracting.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Literal

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from . import vectors
from .analysis import terms
from .errors import ArticleError, IndexError_
from .fetching import is_url
from .models import Claim, ExtractedArticle, Model
from .schema import (KEY_SEP, REBUILD_HINT, SCHEMA_VERSION, TRUST_ENV, VERSION_FILE, _create,  # noqa: F401
                     check_owner, file_records, key, open_index, schema)

RUN_LOCK = "CLAIMSEARCH_RUN"
# Commit at most this often: each Whoosh commit writes (and may merge) a segment, which costs more than
# adding a few hundred claims. Extraction takes seconds per article, so this only changes fast runs
# (replayed or sharded claims); a crash still loses at most this much work, never part of an article.
COMMIT_SECONDS = 2.0

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


# ---------------------------------------------------------------------------------------- opening


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

def claim_document(claim: Claim, vector: bytes | None = None) -> dict:
    """The Whoosh fields of one claim (`vector`: its row of `vectors.article_vectors`)."""
    keys = [key("doctype", "claim"), key("lang", claim.lang), key("scope", claim.scope), key("kind", claim.kind),
            key("attributed", bool(claim.sources)), *(key("stance", v) for v in [claim.stance] if v),
            *(key("source", n) for n in claim.sources), *(key("speaker", n) for n in [claim.speaker] if n),
            *(key("entity", n) for n in claim.entities)]
    doc = {
        "id": claim.id, "keys": KEY_SEP.join(keys), "article_id": claim.article_id, "data": claim.model_dump_json(),
        "text": terms(claim.text, claim.lang), "sentence": claim.sentence,
    }
    if claim.date:
        doc["date"] = claim.date.isoformat()  # ISO: ranges of dates are ranges of these strings
    if vector:
        doc["vector"] = vector
    return doc


def article_document(extracted: ExtractedArticle) -> dict:
    """The record of one article: its raw text, provenance and repairs, so that a reader can see the
    claims in context (`browsing.article_view`) without the input file, which may be gone or changed."""
    article = extracted.article
    data = {"article": article.model_dump(mode="json", exclude={"warnings"}),
            "repairs": [r.model_dump(mode="json") for r in extracted.repairs]}
    return {"id": f"article:{article.id}", "keys": key("doctype", "article"), "article_id": article.id,
            "data": json.dumps(data, ensure_ascii=False)}


def file_document(path: str, digest: str, article_ids: list[str], claims: int) -> dict:
    """The record of one input file: what it held when last indexed (a .jsonl file holds many articles)."""
    record = {"articles": article_ids, "claims": claims}
    return {"id": f"file:{path}", "keys": key("doctype", "file"), "path": path, "digest": digest,
            "data": json.dumps(record, ensure_ascii=False)}


def file_digest(path: str | Path, lang: str | None, provenance: str = "") -> str:
    """What decides that a file must be extracted again: its bytes, the language forced on it, and what a
    manifest says of it (a URL or a date corrected there reaches the index on the next run).

    Raises ArticleError for a file that reading would refuse (checked by type and size before any
    byte is read, then hashed a chunk at a time)."""
    from .reading import hash_file

    extra = hashlib.sha256(provenance.encode()).hexdigest()[:16] if provenance else ""
    return f"{hash_file(path)}:{lang or ''}:{extra}"


# ---------------------------------------------------------------------------------------- indexing

def _default_extractor(paths: list[Path], lang: str | None, workers: int = 1, stdin_id: str | None = None,
                       ids: dict[str, str] | None = None) -> Iterator[ExtractedArticle | ArticleError]:
    from .pipeline import extract_many  # spaCy loads here, and only when a file changed

    return extract_many(paths, lang=lang, workers=workers, stdin_id=stdin_id, ids=ids, embed=True)


def _provenance_key(path: Path, meta: dict | None) -> str:
    """What the manifests say of a file, as text for its digest."""
    from .provenance import sidecar

    found = [p.model_dump_json() for p in (sidecar(path), (meta or {}).get(os.path.abspath(path))) if p]
    return "|".join(found)


def _claim_ids(searcher, article_id: str) -> set[str]:
    return {f["id"] for f in searcher.documents(keys=key("doctype", "claim"), article_id=article_id)}


class _File:
    """An input file being extracted: its articles arrive one by one, maybe over several batches."""

    def __init__(self, path: str, digest: str) -> None:
        self.path, self.digest = path, digest
        self.article_ids: list[str] = []
        self.claims = 0
        self.failed = False


def index_articles(paths: Iterable[str | Path], index_dir: str | Path = "index",
                   on_progress: Callable[[IndexProgress], None] | None = None, *,
                   lang: str | None = None, prune: bool = False, rebuild: bool = False,
                   batch_size: int = 8, lock_timeout: float = 600.0,
                   extractor: Extractor | None = None, workers: int = 1,
                   meta: dict | None = None, stdin_id: str | None = None) -> IndexReport:
    """Index the claims of every article file under `paths` into `index_dir`.

    Unchanged files (same content hash) are skipped without extraction; a changed file's claims
    replace its old ones; with `prune`, the articles of files that are gone are removed. Claims
    are committed every `batch_size` articles (and at most every COMMIT_SECONDS), so an interrupted run
    keeps whole articles and the next run completes it. A file that cannot be read is reported in `errors` (and tried again on
    the next run); the rest goes on. `extractor` replaces the spaCy pipeline (tests replay cached
    claims with it). `meta` (from `provenance.read_manifest`) gives articles their URL, date, title
    and outlet, by file or by id; `stdin_id` names the article read from standard input ("-").
    """
    from .provenance import cite, lookup
    from .reading import find_inputs, read_file

    started = time.monotonic()
    index_dir = Path(index_dir)
    # absolute, but links not followed: a broken link is reported under its own name
    inputs = [(p if str(p) == "-" or is_url(p) else Path(os.path.abspath(p)), id) for p, id in find_inputs(paths)]
    files = [p for p, _ in inputs]
    ids = {str(p): id for p, id in inputs if id}  # a file found in a folder: its path in that folder
    extractor = extractor or partial(_default_extractor, workers=workers, stdin_id=stdin_id, ids=ids)
    counts = dict(files=len(files), articles=0, skipped=0, claims_added=0, claims_removed=0,
                  claims_unchanged=0, pruned=0)
    errors: list[str] = []
    done = 0

    def tell(event: str, path: str | None = None, message: str | None = None) -> None:
        if on_progress:
            on_progress(IndexProgress(event=event, files_total=len(files), files_done=done,
                                      claims=counts["claims_added"], path=path, message=message))

    def fail(message: str, path: str | None = None) -> None:
        errors.append(message)
        tell("error", path, message)

    if not prune and not _index_exists(index_dir) and files and not any(map(_may_hold_articles, files)):
        for path in files:  # nothing to index: say why, and leave no empty index behind
            fail(str(next(e for e in read_file(path) if isinstance(e, ArticleError))), str(path))
        counts["seconds"] = round(time.monotonic() - started, 3)
        return IndexReport(**counts, errors=tuple(errors))

    with _RunLock(index_dir, lock_timeout, on_progress):
        if rebuild and _index_exists(index_dir):
            ix = _create(index_dir)
        else:
            ix = open_index(index_dir, create=True)
        with ix.searcher() as s:
            records = file_records(s)
        holder = {aid: p for p, r in records.items() for aid in r["articles"]}  # article id → its file
        this_run: dict[str, _File] = {}  # files read in this run: what they hold now
        taken: dict[str, tuple[str, str]] = {}  # article id → (file that held it, file gone from disk that takes it)

        def holds(path: str, aid: str) -> bool:
            """Whether `path` still holds article `aid`: read in this run, or indexed and still there."""
            if path in this_run and not this_run[path].failed:
                return aid in this_run[path].article_ids
            return (is_url(path) or os.path.lexists(path)) and aid in records.get(path, {}).get("articles", ())
        tell("start")

        todo: list[Path] = []
        digests: dict[str, str] = {}
        for path in files:
            key = str(path)
            if key == "-" or is_url(key):  # standard input, a web page or feed: always read again
                todo.append(path)
                digests[key] = ""
                continue
            try:
                digest = file_digest(path, lang, _provenance_key(path, meta))
            except ArticleError:  # the reader says it again, with the rest of the file's errors
                todo.append(path)
                digests[key] = ""
                continue
            old = records.get(key)
            if old is not None and old["digest"] == digest:
                counts["skipped"] += 1
                counts["claims_unchanged"] += old["claims"]
                done += 1
                tell("skip", key)
            else:
                digests[key] = digest
                todo.append(path)

        pending: list[ExtractedArticle] = []  # articles extracted, not yet committed
        finished: list[_File] = []  # files whose every article is in `pending` or committed
        current: _File | None = None
        last_commit = [time.monotonic()]

        def commit() -> None:
            if not pending and not finished:
                return
            with ix.searcher() as s:
                old_ids = {e.article.id: _claim_ids(s, e.article.id) for e in pending}
                # articles a file no longer holds; a file that failed keeps those it did not replace
                left = {f.path: [aid for aid in records.get(f.path, {}).get("articles", ())
                                 if aid not in f.article_ids and holder.get(aid, f.path) == f.path] for f in finished}
                gone = {aid: _claim_ids(s, aid) for f in finished if not f.failed for aid in left[f.path]}
                kept = {f.path: sum(len(_claim_ids(s, aid)) for aid in left[f.path]) for f in finished if f.failed}
                moved = {aid: (old, new) for aid, (old, new) in taken.items() if aid in old_ids}
            writer = ix.writer(timeout=lock_timeout)
            try:
                for extracted in pending:
                    aid = extracted.article.id
                    writer.delete_by_term("article_id", aid)
                    rows = _claim_vectors(extracted)
                    claims = {c.id: (c, v) for c, v in zip(extracted.claims, rows)}  # one document per claim id
                    for claim, vector in claims.values():
                        writer.add_document(**claim_document(claim, vector))
                    writer.add_document(**article_document(extracted))
                    counts["claims_added"] += len(claims.keys() - old_ids[aid])
                    counts["claims_removed"] += len(old_ids[aid] - claims.keys())
                    counts["claims_unchanged"] += len(old_ids[aid] & claims.keys())
                    counts["articles"] += 1
                for aid, ids in gone.items():  # articles a changed file no longer holds
                    writer.delete_by_term("article_id", aid)
                    counts["claims_removed"] += len(ids)
                for aid, (old, new) in moved.items():  # a file gone from disk gives up its id: pruning it
                    record = records.get(old)          # must not delete the claims of the file that took it
                    if record is not None and old not in this_run:
                        rest = [a for a in record["articles"] if a != aid]
                        record.update(articles=rest, claims=max(0, record["claims"] - len(old_ids[aid])))
                        writer.delete_by_term("id", f"file:{old}")
                        writer.add_document(**file_document(old, "", rest, record["claims"]))
                    taken.pop(aid)
                for f in finished:  # a failed file keeps no digest: it is tried again next run
                    if f.failed:
                        f.article_ids, f.claims = [*f.article_ids, *left[f.path]], f.claims + kept[f.path]
                    writer.delete_by_term("id", f"file:{f.path}")
                    if f.path != "-":
                        writer.add_document(**file_document(f.path, "" if f.failed else f.digest,
                                                            f.article_ids, f.claims))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            vectors.drop_stale(index_dir, ix)  # a commit may merge segments away
            for f in finished:
                records[f.path] = {"digest": f.digest, "articles": f.article_ids, "claims": f.claims}
            pending.clear()
            finished.clear()
            last_commit[0] = time.monotonic()
            tell("commit")

        for result in extractor(todo, lang):
            raw = result.path if isinstance(result, ArticleError) else result.article.path
            key = "-" if raw in (None, "-", "stdin") else raw if is_url(raw) else os.path.abspath(raw)
            if current is None or key != current.path:
                if current is not None:
                    finished.append(current)
                    done += 1
                current = this_run[key] = _File(key, digests.get(key, ""))
            if isinstance(result, ArticleError):
                current.failed = True
                fail(str(result), key)
                continue
            if meta and (entry := lookup(meta, result.article)) is not None:
                result = cite(result, entry.apply(result.article))
            aid = result.article.id
            other = holder.get(aid)
            if aid in current.article_ids or (other not in (None, key) and holds(other, aid)):
                current.failed = True
                fail(f"{key}: article id {aid!r} is already indexed from {other or key}; ids are paths in the "
                     "folder indexed: index the folder that holds both files, rename one, or give it an id", key)
                continue
            if other not in (None, key, "-"):
                taken[aid] = (other, key)
            holder[aid] = key
            current.article_ids.append(aid)
            current.claims += len(result.claims)
            pending.append(result)
            tell("article", key)
            if len(pending) >= batch_size and time.monotonic() - last_commit[0] >= COMMIT_SECONDS:
                commit()
        if current is not None:
            finished.append(current)
            done += 1
        commit()

        if prune:
            pruned, removed = _prune(ix, lock_timeout)
            counts["pruned"] += pruned
            counts["claims_removed"] += removed
            tell("prune")
        vectors.drop_stale(index_dir, ix)
        vectors.warm(index_dir, ix)  # the first query then reads numpy files, not columns
    counts["seconds"] = round(time.monotonic() - started, 3)
    return IndexReport(**counts, errors=tuple(errors))


def _index_exists(index_dir: Path) -> bool:
    check_owner(index_dir)
    return index_dir.is_dir() and windex.exists_in(str(index_dir))


def _may_hold_articles(path: Path) -> bool:
    """Standard input, or an existing file of a type claimsearch reads."""
    from .reading import KINDS

    return str(path) == "-" or is_url(path) or (path.is_file() and path.suffix.lower() in KINDS)


def _claim_vectors(extracted: ExtractedArticle) -> list[bytes]:
    """One column value per claim: computed beside the parse when the extractor did, here otherwise
    (claims replayed from shards or by a custom extractor)."""
    n = len(extracted.claims)
    rows = vectors.split_rows(extracted.vectors, n) if extracted.vectors else None
    return rows or vectors.split_rows(vectors.article_vectors(extracted.claims), n) or []


def _prune(ix, lock_timeout: float) -> tuple[int, int]:
    """Remove the articles of files no longer on disk: (articles, claims) removed."""
    with ix.searcher() as s:
        gone = {p: r for p, r in file_records(s).items() if p != "-" and not is_url(p) and not Path(p).exists()}
        claims = sum(len(_claim_ids(s, aid)) for r in gone.values() for aid in r["articles"])
    if not gone:
        return 0, 0
    writer = ix.writer(timeout=lock_timeout)
    for path, record in gone.items():
        for aid in record["articles"]:
            writer.delete_by_term("article_id", aid)
        writer.delete_by_term("id", f"file:{path}")
    writer.commit()
    return sum(len(r["articles"]) for r in gone.values()), claims


def remove_articles(article_ids: Iterable[str], index_dir: str | Path = "index",
                    lock_timeout: float = 600.0) -> IndexReport:
    """Delete the claims of articles by id; unknown ids are reported in `errors`.

    The file that held an article forgets its hash, so indexing that file again brings it back.
    """
    started = time.monotonic()
    index_dir = Path(index_dir)
    ids = list(dict.fromkeys(article_ids))
    removed, errors = 0, []
    open_index(index_dir)  # no index here: say so before the lock creates the folder
    with _RunLock(index_dir, lock_timeout, None):
        ix = open_index(index_dir)
        with ix.searcher() as s:
            records = file_records(s)
            counts = {aid: len(_claim_ids(s, aid)) for aid in ids}
        known = {aid for r in records.values() for aid in r["articles"]} | {a for a, n in counts.items() if n}
        known &= set(ids)
        writer = ix.writer(timeout=lock_timeout)
        for aid in ids:
            if aid not in known:
                errors.append(f"{aid}: no such article in {index_dir}")
                continue
            writer.delete_by_term("article_id", aid)
            removed += counts[aid]
        for path, record in records.items():
            if set(record["articles"]) & known:
                left = [a for a in record["articles"] if a not in known]
                writer.delete_by_term("id", f"file:{path}")
                writer.add_document(**file_document(path, "", left, record["claims"]))
        writer.commit()
        vectors.drop_stale(index_dir, ix)
    found = [aid for aid in ids if aid in known]
    return IndexReport(pruned=len(found), claims_removed=removed, errors=tuple(errors),
                       seconds=round(time.monotonic() - started, 3))


def claim_count(index_dir: str | Path) -> int:
    """Live claim documents in an index (what a test compares between runs)."""
    ix = open_index(index_dir)
    with ix.searcher() as s:
        return sum(1 for _ in s.document_numbers(keys=key("doctype", "claim")))
