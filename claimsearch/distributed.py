"""Extraction on Dask (dask.distributed): articles go out to worker processes, claim shards come back.

The client reads the input files (cheap next to spaCy's parse) and ships `Article` values, and it
writes the shards itself: so a worker needs neither the input files nor the output folder, only
claimsearch and its spaCy models installed. Each worker process loads spaCy once
(`sentences.nlp_for` is cached per process) and keeps it between tasks.

The output folder holds one JSON lines file per partition (`claims-00000.jsonl`, one
`ExtractedArticle.model_dump_json()` per line), `errors.jsonl` (one `{"path", "line", "problem"}`
per input that could not be read or extracted) and `manifest.json`, written last: a folder without
it is an interrupted run. The manifest records each file's content digest, so that
`index_claims` refuses a shard whose file changed after it was extracted.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import ArticleError, ClaimsearchError
from .models import Article, ExtractedArticle, Model

FORMAT = 1
MANIFEST = "manifest.json"
ERRORS = "errors.jsonl"
SHARD = "claims-{:05d}.jsonl"
SHARD_GLOB = "claims-*.jsonl"


class ShardReport(Model):
    """What one `extract_to_shards` run wrote."""

    out: str
    files: int = 0
    articles: int = 0
    claims: int = 0
    shards: int = 0
    workers: int = 0  # worker threads the scheduler had when the run started
    errors: tuple[str, ...] = ()
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------- workers

def extract_partition(articles: list[Article]) -> tuple[list[str], list[str]]:
    """Runs on a worker: the shard lines of a partition, and an error line for each article that failed.

    A bug met on one article must not lose the other articles of the partition, so any exception
    becomes that article's error line (reported, and the run exits non-zero in the CLI).
    """
    from .pipeline import extract_embedded  # spaCy (and the vector model) load here, once per worker process

    lines, errors = [], []
    for article in articles:
        result = extract_embedded(article)
        if isinstance(result, ArticleError):
            errors.append(_error_line(result))
        else:
            lines.append(result.model_dump_json())
    return lines, errors


def _error_line(error: ArticleError) -> str:
    return json.dumps({"path": error.path, "line": error.line, "problem": error.problem}, ensure_ascii=False)


def _error(line: str) -> ArticleError:
    record = json.loads(line)
    return ArticleError(record["path"], record["problem"], record["line"])


# ---------------------------------------------------------------------------------------- client

def _digest(path: Path, lang: str | None) -> str | None:
    from .indexing import file_digest

    try:
        return file_digest(path, lang)
    except ArticleError:
        return None  # reading it fails too, and says why


def _read(paths: Iterable[str | Path], lang: str | None, digests: dict[str, str]) -> Iterator[Article | ArticleError]:
    """Articles of every input file (absolute paths, so shards can be indexed from any folder)."""
    from .reading import find_inputs, read_file, read_stream
    import sys

    for path, id in find_inputs(p if str(p) == "-" else os.path.abspath(p) for p in paths):
        if str(path) == "-":
            yield from read_stream(sys.stdin.buffer, lang=lang)
            continue
        digest = _digest(path, lang)
        if digest:
            digests[str(path.resolve())] = digest
        yield from read_file(path, lang=lang, id=id)


def _partitions(items: Iterable[Article | ArticleError], size: int) -> Iterator[list[Article | ArticleError]]:
    part: list[Article | ArticleError] = []
    for item in items:
        part.append(item)
        if sum(isinstance(i, Article) for i in part) >= size:
            yield part
            part = []
    if part:
        yield part


def _write_atomic(path: Path, lines: Iterable[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
    tmp.replace(path)


def _clear(out: Path) -> None:
    """Remove the files of an earlier run (ours only), so old shards never mix with new ones."""
    for old in [out / MANIFEST, out / ERRORS, *out.glob(SHARD_GLOB)]:
        old.unlink(missing_ok=True)


def extract_to_shards(paths: Iterable[str | Path], out_dir: str | Path, *, scheduler: str | None = None,
                      workers: int | None = None, lang: str | None = None, partition_size: int = 4,
                      on_progress: Callable[[ExtractedArticle | ArticleError], None] | None = None,
                      ) -> ShardReport:
    """Extract every article under `paths` on Dask and write claim shards to `out_dir`.

    `scheduler` is a Dask scheduler address (`tcp://host:8786`); without it a LocalCluster of
    `workers` processes (default: one per core, one thread each) runs on loopback for this call.
    The claims are the same as `pipeline.extract_many` gives in one process: each article is
    extracted by the same pure function, and shards are numbered in reading order.
    """
    from distributed import Client, LocalCluster, as_completed

    started = time.monotonic()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    digests: dict[str, str] = {}
    errors: dict[int, list[str]] = {}
    counts = {"articles": 0, "claims": 0, "shards": 0}

    cluster = None
    if scheduler is None:
        # loopback only; the scheduler's HTTP status server too, on a free port (8787 may be taken)
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0")
    try:
        with Client(cluster or scheduler) as client:
            nthreads = sum(client.nthreads().values()) or 1
            window = 2 * nthreads + 1  # partitions in flight: every worker busy, the client's memory bounded
            parts = enumerate(_partitions(_read(paths, lang, digests), partition_size))
            pending = as_completed()
            held: dict = {}  # future → (partition number, its reading errors)

            def submit() -> bool:
                for number, part in parts:
                    articles = [a for a in part if isinstance(a, Article)]
                    failed = [_error_line(e) for e in part if isinstance(e, ArticleError)]
                    for e in part:
                        if isinstance(e, ArticleError) and on_progress:
                            on_progress(e)
                    future = client.submit(extract_partition, articles, pure=False)
                    held[future] = (number, failed)
                    pending.add(future)
                    return True
                return False

            for _ in range(window):
                if not submit():
                    break
            for future in pending:
                number, failed = held.pop(future)
                lines, more = future.result()
                failed += more
                _write_atomic(out / SHARD.format(number), lines)
                counts["shards"] += 1
                counts["articles"] += len(lines)
                for line in lines:
                    extracted = ExtractedArticle.model_validate_json(line)
                    counts["claims"] += len(extracted.claims)
                    if on_progress:
                        on_progress(extracted)
                for line in more:
                    if on_progress:
                        on_progress(_error(line))
                if failed:
                    errors[number] = failed
                submit()
    finally:
        if cluster is not None:
            cluster.close()

    error_lines = [line for n in sorted(errors) for line in errors[n]]
    _write_atomic(out / ERRORS, error_lines)
    messages = tuple(str(_error(line)) for line in error_lines)
    manifest = {"format": FORMAT, "lang": lang, "files": digests, **counts, "errors": len(messages)}
    _write_atomic(out / MANIFEST, [json.dumps(manifest, ensure_ascii=False, indent=1)])
    return ShardReport(out=str(out), files=len(digests), workers=nthreads, errors=messages,
                       seconds=round(time.monotonic() - started, 3), **counts)


# ---------------------------------------------------------------------------------------- reading shards

def read_manifest(claims_dir: str | Path) -> dict:
    """The manifest of a shard folder; a folder without one is an interrupted or foreign run."""
    path = Path(claims_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ClaimsearchError(f"{path}: no manifest: not a finished `claimsearch extract --out` folder; "
                               "run the extraction again") from exc
    except (OSError, ValueError) as exc:
        raise ClaimsearchError(f"{path}: unreadable manifest ({exc}); run the extraction again") from exc
    if manifest.get("format") != FORMAT:
        raise ClaimsearchError(f"{path}: shard format {manifest.get('format')!r}, this claimsearch reads "
                               f"{FORMAT}; run the extraction again")
    return manifest


def read_shards(claims_dir: str | Path) -> Iterator[ExtractedArticle | ArticleError]:
    """Every extracted article of a shard folder in reading order, then its errors."""
    claims_dir = Path(claims_dir)
    read_manifest(claims_dir)
    for shard in sorted(claims_dir.glob(SHARD_GLOB)):
        with shard.open(encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                try:
                    yield ExtractedArticle.model_validate_json(line)
                except ValueError as exc:
                    yield ArticleError(str(shard), f"not an extracted article: {exc}".splitlines()[0], line=number)
    errors = claims_dir / ERRORS
    if errors.exists():
        for line in errors.read_text(encoding="utf-8").splitlines():
            yield _error(line)


def index_claims(claims_dir: str | Path, index_dir: str | Path = "index", on_progress=None, **options):
    """Load a shard folder into the index, as `indexing.index_articles` would after extracting.

    The index keys articles by their file and its content digest, so the files must still be
    where the extraction read them; a file whose content changed since is reported, not indexed
    with stale claims. Extraction errors recorded in the folder are reported again.
    """
    from .indexing import file_digest, index_articles

    manifest = read_manifest(claims_dir)
    lang = manifest.get("lang")
    by_path: dict[str, list[ExtractedArticle | ArticleError]] = {}
    unplaced: list[ArticleError] = []
    for item in read_shards(claims_dir):
        path = item.article.path if isinstance(item, ExtractedArticle) else item.path
        key = str(Path(path).resolve()) if path and path != "stdin" else None
        (by_path.setdefault(key, []) if key in manifest["files"] else unplaced).append(item)

    def replay(paths: list[Path], _lang: str | None) -> Iterator[ExtractedArticle | ArticleError]:
        yield from unplaced
        for path in paths:
            key = str(path)
            try:
                current = file_digest(path, lang)
            except ArticleError as exc:
                yield exc
                continue
            if current != manifest["files"][key]:
                yield ArticleError(key, f"changed since it was extracted into {claims_dir}; extract it again")
                continue
            yield from by_path.get(key, [])

    return index_articles(list(manifest["files"]), index_dir, on_progress, lang=lang, extractor=replay, **options)
