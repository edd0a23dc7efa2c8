"""The `claimsearch` command: each command parses its arguments, calls one library function, formats.

Data goes to stdout (a table, or JSON with --json/--jsonl); progress, warnings and errors go to
stderr. Heavy modules (spaCy, Whoosh) are imported inside the commands that need them, so
`claimsearch query` starts fast.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .errors import ClaimsearchError

app = typer.Typer(help="Search the claims in news articles: who claimed what, according to whom.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode="rich")
out = Console(soft_wrap=False)
err = Console(stderr=True)

@app.callback()
def main(
    aliases: Annotated[Optional[Path], typer.Option(
        "--aliases", help="A JSON file of your own aliases (the format of claimsearch/data/aliases.json); "
        "it wins over the bundled table. Same as setting CLAIMSEARCH_ALIASES.", exists=True, dir_okay=False)] = None,
) -> None:
    """Search the claims in news articles: who claimed what, according to whom."""
    if aliases is not None:
        import os

        from .normalise import ALIASES_ENV

        os.environ[ALIASES_ENV] = str(aliases)  # read by normalise.load_aliases, in this process and its workers


IndexDir = Annotated[Path, typer.Option("--index", "-i", help="Index folder.", show_default=True)]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class Stance(str, Enum):
    assert_ = "assert"
    confirm = "confirm"
    deny = "deny"
    admit = "admit"
    allege = "allege"
    report = "report"
    question = "question"


class Scope(str, Enum):
    sentence = "sentence"
    context = "context"
    article = "article"
    none = "none"


def fail(exc: ClaimsearchError) -> None:
    """One line on stderr and exit 1: the library's errors already say what went wrong and where."""
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


# ---------------------------------------------------------------------------------------- index

@app.command()
def index(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Article files or folders (searched recursively for .txt).")] = None,
    index_dir: IndexDir = Path("index"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary (errors are still printed).")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Also remove the articles whose file no longer exists.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start a new, empty index first (after a claimsearch upgrade).")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language of every article (fr or en) instead of detecting it.")] = None,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for another indexing run to finish.")] = 600.0,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1,
                                         help="Processes that parse articles in parallel (one per core; each loads spaCy).")] = 1,
    claims: Annotated[Optional[Path], typer.Option("--claims", help="Load the claim shards of `claimsearch extract --out DIR` instead of extracting.")] = None,
) -> None:
    """Extract the claims of articles and add them to an index.

    Unchanged files are skipped, changed ones replace their claims; an interrupted run keeps what it
    committed and the next run completes it. Unreadable files are reported one line each and the
    command exits 1 at the end.

    Example: [bold]claimsearch index articles/ --index index[/bold]
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .indexing import index_articles

    if paths and claims:
        err.print("error: give article paths or --claims DIR, not both")
        raise typer.Exit(2)
    if not paths and not prune and claims is None:
        err.print("error: give article files or folders to index (or --claims DIR, or --prune alone)")
        raise typer.Exit(2)
    progress = Progress(TextColumn("[bold]indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                        TextColumn("{task.fields[claims]} claims"), TextColumn("{task.fields[rate]}"),
                        TimeRemainingColumn(), console=err, disable=quiet, transient=False)
    task = progress.add_task("index", total=None, claims=0, rate="")

    def on_progress(p) -> None:
        if p.event == "wait":
            err.print(p.message, highlight=False)
        elif p.event == "error":
            progress.console.print(f"[red]{p.message}[/red]", highlight=False, soft_wrap=True)
        elapsed = progress.tasks[0].elapsed or 0
        rate = f"{p.files_done / elapsed:.1f} files/s" if elapsed > 1 and p.files_done else ""
        progress.update(task, total=p.files_total or None, completed=p.files_done, claims=p.claims, rate=rate)

    try:
        with progress:
            if claims is not None:
                from .distributed import index_claims
                report = index_claims(claims, index_dir, on_progress, prune=prune, rebuild=rebuild, lock_timeout=wait)
            else:
                report = index_articles(paths or [], index_dir=index_dir, on_progress=on_progress, lang=lang,
                                        prune=prune, rebuild=rebuild, lock_timeout=wait, workers=workers)
    except ClaimsearchError as exc:
        fail(exc)
    if not quiet:
        err.print(f"{report.files} files: {report.articles} indexed, {report.skipped} unchanged, "
                  f"{len(report.errors)} failed; claims +{report.claims_added} -{report.claims_removed} "
                  f"={report.claims_unchanged}" + (f"; {report.pruned} articles pruned" if report.pruned else "")
                  + f" in {report.seconds:.1f} s", highlight=False)
    if report.errors:
        raise typer.Exit(1)


# ---------------------------------------------------------------------------------------- query

QUERY_HELP = """Search the claims; the best first.

[bold]Query language[/bold]

  [cyan]words[/cyan]               claims with any of the words, ranked: those with every word first,
                      then those with most of them; rarer words weigh more.
                      Accents, case and word endings are ignored; known names match every form
                      ([cyan]Putin[/cyan] finds "Poutine", [cyan]WSJ[/cyan] finds "Wall Street Journal").

  [cyan]a AND b[/cyan], [cyan]a OR b[/cyan], [cyan]NOT a[/cyan], [cyan]( )[/cyan]   boolean structure (operators in capitals).

  [cyan]"exact phrase"[/cyan]      the words next to each other.

  [cyan]field:value[/cyan]         source: speaker: entity: lang: article: scope: stance: kind: date:
                      e.g. [cyan]source:WSJ[/cyan]  [cyan]speaker:"Le Pen"[/cyan]  [cyan]date:2012-05[/cyan]

An empty query with filters lists every matching claim, in article order.

Example: [bold]claimsearch query "Starlink Taïwan" --source WSJ --limit 5[/bold]
"""


def _attribution(hit) -> Text:
    """Who says it and how: "selon Wall Street Journal", « quote » — Donald Trump."""
    if hit.quote and hit.speaker:
        return Text(f"« {hit.quote} » — {hit.speaker}")
    if hit.sources:
        names = ", ".join(hit.sources)
        how = f"{hit.cue} {names}" if hit.cue else names
        if hit.scope in ("context", "article"):
            how += f" ({hit.scope})"
        return Text(how)
    return Text("—", style="dim")


def _highlighted(hit) -> Text:
    from .searching import MARK

    text = Text()
    for i, part in enumerate((hit.highlight or hit.text).split(MARK)):
        text.append(part, style="bold yellow" if i % 2 else None)
    return text


@app.command(help=QUERY_HELP)
def query(
    text: Annotated[str, typer.Argument(help="What to search for (see the query language above).")] = "",
    index_dir: IndexDir = Path("index"),
    source: Annotated[Optional[str], typer.Option("--source", "-s", help="Claims attributed to this source (a short form or alias works: Trump, WSJ, CGT).")] = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", "-p", help="Claims quoting this person.")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="fr or en.")] = None,
    article: Annotated[Optional[str], typer.Option("--article", help="Claims of one article (its id).")] = None,
    scope: Annotated[Optional[Scope], typer.Option("--scope", help="Where the attribution is written.")] = None,
    attributed: Annotated[Optional[bool], typer.Option("--attributed/--unattributed", help="Only claims with a source / only the newspaper's own.")] = None,
    stance: Annotated[Optional[Stance], typer.Option("--cue-stance", help="What the reporting cue says of the claim.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Articles dated on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Articles dated on or before YYYY-MM-DD.")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", help="Most hits to show [default: 10; all when listing].")] = None,
    as_json: AsJson = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON hit per line.")] = False,
) -> None:
    from .searching import ClaimIndex

    filters = dict(source=source, speaker=speaker, lang=lang, article=article, scope=scope and scope.value,
                   attributed=attributed, stance=stance and stance.value, since=since, until=until)
    if limit is None:
        limit = 10 if text.strip() else None
    try:
        with ClaimIndex(index_dir) as idx:
            hits = idx.search(text, limit=limit, **filters)
            hint = None if hits else _did_you_mean(idx, text, source, speaker)
    except ClaimsearchError as exc:
        fail(exc)
    if as_json:
        out.print_json(data=[h.model_dump(mode="json") for h in hits]) if sys.stdout.isatty() else \
            print(json.dumps([h.model_dump(mode="json") for h in hits], ensure_ascii=False))
        return
    if jsonl:
        for h in hits:
            print(h.model_dump_json())
        return
    if hint:
        err.print(hint, highlight=False)
    if not hits:
        err.print("no claim matches")
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("claim", ratio=6)
    table.add_column("who says it", ratio=2)
    table.add_column("article", ratio=2)
    for rank, h in enumerate(hits, 1):
        title = h.title if len(h.title) <= 60 else h.title[:59] + "…"
        table.add_row(str(rank), _highlighted(h), _attribution(h), Text(f"{title}\n", style="italic").append(
            f"{h.article_id}" + (f" · {h.date}" if h.date else ""), style="dim"))
    out.print(table)


def _did_you_mean(idx, text: str, source: str | None, speaker: str | None) -> str | None:
    fixes = []
    for label, value in (("", text), ("--source ", source), ("--speaker ", speaker)):
        if value:
            better = idx.suggest(value)
            if better:
                fixes.append(f'{label}"{better}"' if label else f'"{better}"')
    return f"Did you mean {' '.join(fixes)}?" if fixes else None


# ---------------------------------------------------------------------------------------- sources, stats, remove

@app.command()
def sources(
    text: Annotated[str, typer.Argument(help="Count only the claims matching this query.")] = "",
    index_dir: IndexDir = Path("index"),
    as_json: AsJson = False,
) -> None:
    """List the sources and speakers of the claims, with how many claims each.

    Example: [bold]claimsearch sources "Starlink"[/bold]
    """
    from .searching import ClaimIndex

    try:
        with ClaimIndex(index_dir) as idx:
            facets = idx.facets(text)
    except ClaimsearchError as exc:
        fail(exc)
    if as_json:
        print(facets.model_dump_json())
        return
    for title, rows in (("sources", facets.sources), ("speakers", facets.speakers)):
        table = Table(title=f"{title} ({len(rows)}) of {facets.claims} claims", title_justify="left")
        table.add_column(title[:-1])
        table.add_column("claims", justify="right")
        for row in rows:
            table.add_row(row.name, str(row.claims))
        out.print(table)


@app.command()
def stats(index_dir: IndexDir = Path("index"), as_json: AsJson = False) -> None:
    """Show what an index holds: articles, claims, sources, languages, size, schema version.

    Example: [bold]claimsearch stats --index index[/bold]
    """
    from .searching import ClaimIndex

    try:
        with ClaimIndex(index_dir) as idx:
            s = idx.stats()
    except ClaimsearchError as exc:
        fail(exc)
    if as_json:
        print(s.model_dump_json())
        return
    langs = ", ".join(f"{k} {v}" for k, v in s.languages.items()) or "none"
    out.print(f"index            {s.index}\nschema version   {s.schema_version}\narticles         {s.articles}\n"
              f"claims           {s.claims} ({s.attributed} attributed)\nlanguages        {langs}\n"
              f"sources          {s.sources}\nspeakers         {s.speakers}\nsize             {s.size_bytes / 1e6:.1f} MB",
              highlight=False)


@app.command()
def remove(
    ids: Annotated[list[str], typer.Argument(help="Article ids (the file name without .txt).")],
    index_dir: IndexDir = Path("index"),
) -> None:
    """Delete the claims of articles from an index.

    Example: [bold]claimsearch remove fr-wn-0008 fr-03[/bold]
    """
    from .indexing import remove_articles

    try:
        report = remove_articles(ids, index_dir=index_dir)
    except ClaimsearchError as exc:
        fail(exc)
    for line in report.errors:
        err.print(line, highlight=False)
    err.print(f"removed {report.claims_removed} claims of {report.pruned} article(s)", highlight=False)
    if report.errors:
        raise typer.Exit(1)


# -------------------------------------------------------------------------------------- extract

@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="An article file (.txt, .html, .json, .jsonl), or - for standard input; with --out, a folder too.")],
    as_json: AsJson = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also list the repairs made to the text.")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="fr or en (detected when not given).")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Extract on Dask and write claim shards (JSON lines) to this folder, for `claimsearch index --claims`.")] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="With --out: a Dask scheduler address (tcp://host:8786) [default: local worker processes].")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="With --out and no --scheduler: local worker processes [default: one per core].")] = None,
) -> None:
    """Extract the claims of one article, with who says them and how.

    Example: [bold]claimsearch extract claimsearch/sample/seed/fr-03.txt --json[/bold]
    On Dask: [bold]claimsearch extract claimsearch/sample --out claims/ --workers 2[/bold]
    """
    if out_dir is not None:
        _extract_to_shards(file, out_dir, scheduler, workers, lang)
        return
    if scheduler or workers:
        err.print("error: --scheduler and --workers go with --out DIR")
        raise typer.Exit(2)
    from .pipeline import extract_file

    try:
        results = extract_file(file, lang=lang)
    except ClaimsearchError as exc:
        fail(exc)
    failed = False
    for item in results:
        if isinstance(item, ClaimsearchError):
            err.print(str(item), highlight=False)
            failed = True
            continue
        for warning in item.article.warnings:
            err.print(f"warning: {warning}", highlight=False)
        if as_json:
            out.print_json(json.dumps(_extract_json(item, explain), ensure_ascii=False))
            continue
        _print_extracted(item, explain)
    if failed:
        raise typer.Exit(1)


def _extract_to_shards(path: str, out_dir: Path, scheduler: str | None, workers: int | None, lang: str | None) -> None:
    from .distributed import extract_to_shards

    def on_progress(item) -> None:
        if isinstance(item, ClaimsearchError):
            err.print(f"[red]{item}[/red]", highlight=False, soft_wrap=True)

    try:
        report = extract_to_shards([path], out_dir, scheduler=scheduler, workers=workers, lang=lang,
                                   on_progress=on_progress)
    except ClaimsearchError as exc:
        fail(exc)
    err.print(f"{report.articles} articles, {report.claims} claims in {report.shards} shards ({out_dir}), "
              f"{len(report.errors)} failed; {report.workers} workers, {report.seconds:.1f} s", highlight=False)
    if report.errors:
        raise typer.Exit(1)


def _extract_json(item, explain: bool) -> dict:
    data = item.model_dump(mode="json")
    data["article"].pop("text", None)
    if not explain:
        data.pop("repairs", None)
    return data


def _print_extracted(item, explain: bool) -> None:
    a = item.article
    out.print(f"[bold]{a.title}[/bold]  [dim]{a.id} · {a.lang}{' · ' + a.date if a.date else ''}[/dim]")
    table = Table(show_lines=True, expand=True)
    table.add_column("claim", ratio=3)
    table.add_column("who says it, and how", ratio=2)
    for c in item.claims:
        table.add_row(c.text, _attribution(c))
    out.print(table)
    if explain:
        for r in item.repairs:
            out.print(f"[dim]{r.kind:16}[/dim] {r.start}-{r.end}  {r.before!r} → {r.after!r}", highlight=False)


# ------------------------------------------------------------------------------------- evaluate

@app.command()
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold annotation files or folders (the format of GUIDELINES.md).")],
    lang: Annotated[Optional[str], typer.Option("--lang", help="Score only the articles in this language.")] = None,
    by_kind: Annotated[bool, typer.Option("--by-kind/--no-by-kind", help="Break scores down by attribution kind.")] = True,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss.")] = False,
    as_json: AsJson = False,
) -> None:
    """Score extraction against annotated articles: claims, attribution, cue, scope, speaker, quote, entities.

    Example: [bold]claimsearch evaluate tests/fixtures/gold --lang fr[/bold]
    """
    from .evaluation import evaluate as run

    try:
        scores = run(gold, lang=lang)
    except ClaimsearchError as exc:
        fail(exc)
    kinds = sorted(k for k in scores.total if k != "all") if by_kind else []
    if as_json:
        out.print_json(json.dumps({"scores": scores.table(), "by_kind": {k: scores.table(k) for k in kinds},
                                   "counts": scores.counts(), "misses": scores.misses}, ensure_ascii=False))
        return
    table = Table(title="claimsearch evaluate" + (f" ({lang})" if lang else ""))
    table.add_column("field")
    table.add_column("all", justify="right")
    for k in kinds:
        table.add_column(k, justify="right")
    counts = scores.counts()
    for field, value in scores.table().items():
        hit, total = counts.get(field, (None, None))
        cells = [f"{value:.3f}" + (f" ({hit}/{total})" if total else "")]
        cells += [f"{scores.table(k)[field]:.3f}" if field in scores.table(k) else "" for k in kinds]
        table.add_row(field, *cells)
    out.print(table)
    if verbose:
        for miss in scores.misses:
            out.print(f"  - {miss}", highlight=False, soft_wrap=True)
    elif scores.misses:
        err.print(f"{len(scores.misses)} miss(es); --verbose lists them")
