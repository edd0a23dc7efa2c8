"""reading → cleaning → sentences → attribution → normalise, composed.

The spaCy pipelines load once per process, on first use, so importing claimsearch stays cheap
(`claimsearch query` never loads them).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .attribution import attribute
from .cleaning import clean
from .errors import ArticleError
from .models import Article, Claim, ExtractedArticle
from .normalise import normalise
from .provenance import cite
from .reading import parse_article, read_article, read_articles
from .sentences import parse


def extract(article: Article) -> ExtractedArticle:
    """One article's claims, with what cleaning repaired. The sentences stream from the parser to
    attribution, which drops their tokens batch by batch: memory follows the claims, not the parses."""
    cleaned = clean(article)
    claims = normalise(attribute(parse(cleaned), cleaned), cleaned)
    return cite(ExtractedArticle(article=article, claims=tuple(claims), repairs=cleaned.repairs))


def extract_claims(source: str | Path, lang: str | None = None) -> list[Claim]:
    """Claims of a file (a path) or of a text given directly (title on its first line)."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and Path(source).is_file()):
        article = read_article(source, lang=lang)
    else:
        article = parse_article(str(source), id="text", lang=lang)
    return list(extract(article).claims)


def extract_or_error(article: Article) -> ExtractedArticle | ArticleError:
    """A bug met on one article must not stop a run over thousands: it becomes that file's error line."""
    try:
        return extract(article)
    except Exception as exc:  # noqa: BLE001 - reported with the file, the run goes on
        return ArticleError(article.path or article.id, f"extraction failed ({type(exc).__name__}: {exc}); "
                            "please report it with this file")


def extract_embedded(article: Article) -> ExtractedArticle | ArticleError:
    """`extract_or_error` with the claims' vectors, computed in the same (worker) process as the parse."""
    from .vectors import article_vectors

    result = extract_or_error(article)
    if isinstance(result, ArticleError):
        return result
    return result.model_copy(update={"vectors": article_vectors(result.claims)})


def extract_file(source: str | Path, lang: str | None = None, id: str | None = None) -> list[ExtractedArticle | ArticleError]:
    """Every article of one input (a .jsonl file or a feed's URL holds many; "-" is standard input, its article
    named `id`; a URL is fetched), extracted."""
    import sys

    from .reading import read_file, read_stream

    from .fetching import is_url, read_url

    if is_url(source):
        items = read_url(source, lang=lang)
    else:
        items = read_stream(sys.stdin.buffer, lang=lang, id=id) if str(source) == "-" else read_file(source, lang=lang)
    return [item if isinstance(item, ArticleError) else extract_or_error(item) for item in items]


def extract_many(paths: Iterable[str | Path], lang: str | None = None,
                 on_progress: Callable[[ExtractedArticle | ArticleError], None] | None = None,
                 workers: int = 1, stdin_id: str | None = None,
                 ids: dict[str, str] | None = None, embed: bool = False) -> Iterator[ExtractedArticle | ArticleError]:
    """Every article under `paths`, extracted, in reading order; an unreadable one yields its error and
    the rest goes on. With `workers` > 1, articles are parsed in that many processes (each loads spaCy
    once); reading stays here, and only a few articles per worker are in flight at a time. `ids`:
    the article id of files by absolute path (see `reading.read_articles`). With `embed`, the
    claims' vectors are computed beside the parse (for indexing)."""
    items = read_articles(paths, lang=lang, stdin_id=stdin_id, ids=ids)
    work = extract_embedded if embed else extract_or_error
    results = _in_processes(items, workers, work) if workers > 1 else (
        item if isinstance(item, ArticleError) else work(item) for item in items)
    for result in results:
        if on_progress:
            on_progress(result)
        yield result


def _in_processes(items: Iterable[Article | ArticleError], workers: int,
                  work: Callable[[Article], ExtractedArticle | ArticleError]) -> Iterator[ExtractedArticle | ArticleError]:
    """Extraction in `workers` processes, started fresh ("spawn"): a forked worker would inherit the
    descriptor of the index's run lock and hold it after a killed parent. They die with it too."""
    import multiprocessing
    import os
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    window: deque = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_die_with, initargs=(os.getpid(),)) as pool:
        for item in items:
            window.append(item if isinstance(item, ArticleError) else pool.submit(work, item))
            while len(window) > 2 * workers:
                yield _done(window.popleft())
        while window:
            yield _done(window.popleft())


def _die_with(parent: int) -> None:
    """In a worker: end when the parent process ends, even by SIGKILL (Linux; elsewhere, when its queue closes)."""
    import ctypes
    import os
    import signal
    import sys

    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _done(entry):
    return entry if isinstance(entry, ArticleError) else entry.result()
