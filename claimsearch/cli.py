"""The `claimsearch` command: each command parses its arguments, calls one library function, formats.

Data goes to stdout (a table, or JSON with --json/--jsonl); progress, warnings and errors go to
stderr. Heavy modules (spaCy, Whoosh) are imported inside the commands that need them, so
`claimsearch query` starts fast.
"""
from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable, Iterable
from enum import Enum
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console, Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from .errors import ClaimsearchError, QueryError, printable


class _OneLineErrors(TyperGroup):
    """Usage errors as one line on stderr (exit 2), not a framed panel: scripts and logs read them."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as exc:  # typer's (vendored click's) usage errors
            if type(exc).__name__ == "NoArgsIsHelpError":
                exc.show()
            else:
                ctx = getattr(exc, "ctx", None)
                where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
                message = exc.format_message().replace("Value error, ", "")  # pydantic's prefix on a bad choice
                say(f"error: {message}{where}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            err.print("aborted", highlight=False)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(help="Search the claims in news articles: who claimed what, according to whom.",
                  no_args_is_help=True, add_completion=True, rich_markup_mode="rich", cls=_OneLineErrors)
# No markup: a file name, a title or a query holding "[/x]" is text, never a style (nor a MarkupError);
# what is styled on purpose is built as Text.
out = Console(soft_wrap=False, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)  # one line per message, never wrapped at 80 columns in a log


def say(message: str, style: str | None = None) -> None:
    """One message on stderr, on one line whatever names it holds (a newline or ESC in a file name is escaped)."""
    err.print(Text(printable(message), style=style or ""), highlight=False)


def _reflow(doc: str | None) -> str:
    """A docstring's paragraphs as single lines, for Rich to wrap at the terminal's width; indented lines
    (the query language's table) stay as written."""
    import inspect

    lines, out_lines = inspect.cleandoc(doc or "").split("\n"), []
    for line in lines:
        if out_lines and line and not line[0].isspace() and out_lines[-1] and not out_lines[-1][0].isspace() \
                and not line.startswith(("Example", "On Dask")):
            out_lines[-1] += " " + line
        else:
            out_lines.append(line)
    return "\n".join(out_lines)


def command(**kwargs) -> Callable:
    """`app.command` with the docstring reflowed."""
    def register(fn: Callable) -> Callable:
        return app.command(help=_reflow(kwargs.pop("help", None) or fn.__doc__), **kwargs)(fn)
    return register


def _version(value: bool) -> None:
    if value:
        try:
            found = package_version("claimsearch")
        except PackageNotFoundError:
            found = "unknown"
        out.print(f"claimsearch {found}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    aliases: Annotated[Optional[Path], typer.Option(
        "--aliases", help="A JSON file of your own aliases (the format of claimsearch/data/aliases.json); "
        "it wins over the bundled table. Same as setting CLAIMSEARCH_ALIASES.", exists=True, dir_okay=False)] = None,
    show_version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print claimsearch's version and exit.")] = False,
) -> None:
    """Search the claims in news articles: who claimed what, according to whom."""
    if aliases is not None:
        from .normalise import ALIASES_ENV

        os.environ[ALIASES_ENV] = str(aliases)  # read by normalise.load_aliases, in this process and its workers


IndexDir = Annotated[Path, typer.Option("--index", "-i", show_default=True, help=(
    "Index folder. Opening an index can run code stored in it (Whoosh unpickles its table of contents): "
    "an index of another user is refused unless CLAIMSEARCH_TRUST_INDEX=1."))]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (one document) instead of a table; same as --format json.")]
AsJsonl = Annotated[bool, typer.Option("--jsonl", help="Print one JSON record per line; same as --format jsonl.")]


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    claimreview = "claimreview"


class Lang(str, Enum):
    fr = "fr"
    en = "en"


FormatOpt = Annotated[Optional[OutFormat], typer.Option("--format", "-f", help="table (the default), json (one document), jsonl (one record per line) or csv (one claim per row).")]


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
    """One line on stderr; exit 2 for what the user typed (a query, a date), 1 for everything else."""
    err.print(Text.assemble(("error:", "red"), " ", printable(str(exc))), highlight=False)
    raise typer.Exit(2 if isinstance(exc, QueryError) else 1)


def usage(message: str) -> None:
    say(f"error: {message}")
    raise typer.Exit(2)


def _chosen_format(fmt: OutFormat | None, as_json: bool, jsonl: bool) -> str:
    chosen = {f for f, on in ((fmt and fmt.value, fmt is not None), ("json", as_json), ("jsonl", jsonl)) if on}
    if len(chosen) > 1:
        usage(f"choose one output format, not {' and '.join(sorted(chosen))}")
    return chosen.pop() if chosen else "table"


def emit(items: list, fmt: str, table: Callable[[list], None] | None, one: bool = False,
         columns: tuple[str, ...] | None = None) -> None:
    """Write items in the chosen format: the one output path of every command.

    json is one document (an array, or the object itself with `one`), jsonl one record per line,
    csv one claim per row (`output.to_csv`); table calls the command's own renderer.
    """
    from . import output

    if fmt == "table":
        table(items)
    elif fmt == "json" and out.is_terminal:
        out.print_json(output.to_json(items, one=one))
    elif fmt == "json":
        write([output.to_json(items, one=one) + "\n"])
    elif fmt == "jsonl":
        write(line + "\n" for line in output.to_jsonl(items))
    else:
        write(output.to_csv(items, columns or output.CSV_COLUMNS))


def write(chunks: Iterable[str], target: Path | None = None) -> None:
    """Text to a file or to stdout; a reader that stops early (`| head -1`) ends the command quietly, exit 0."""
    try:
        if target is None:
            sys.stdout.writelines(chunks)
            sys.stdout.flush()
        else:
            with target.open("w", encoding="utf-8", newline="") as f:
                f.writelines(chunks)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        raise typer.Exit(0) from None
    except OSError as exc:
        fail(ClaimsearchError(f"{target or 'stdout'}: cannot write ({exc.strerror or exc})"))


def _date(end: bool) -> Callable[[str], datetime.date]:
    def parse(text: str) -> datetime.date:
        from .provenance import DateError, date_bound

        try:
            return date_bound(text, end=end)
        except DateError as exc:
            raise typer.BadParameter(str(exc)) from None
    return parse


def _limit(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise typer.BadParameter(f"{value} shows nothing: give 1 or more, or leave --limit out "
                                 "(10 hits, or every claim when the query is empty)")
    return value


PrivateUrls = Annotated[bool, typer.Option("--private-urls", help="Also fetch URLs of private addresses "
                                           "(localhost, your intranet), which are refused by default.")]


def _allow_private(allow: bool) -> None:
    if allow:
        from .fetching import PRIVATE_ENV

        os.environ[PRIVATE_ENV] = "1"  # read where pages are fetched, in this process and its workers


def _progress(message: str):
    """A spinner on stderr while slow work runs (loading spaCy's models, parsing), on a terminal only."""
    from contextlib import nullcontext

    return err.status(message) if err.is_terminal else nullcontext()


# ---------------------------------------------------------------------------------------- index

@command()
def index(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="Article files or folders (searched recursively for .txt, .html/.htm, .json and .jsonl), "
        "web pages or RSS/Atom feeds (http:// or https://), or - for standard input.", show_default=False)] = None,
    index_dir: IndexDir = Path("index"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary (errors are still printed).")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Also remove the articles whose file no longer exists.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start a new, empty index first (after a claimsearch upgrade).")] = False,
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="Language of every article instead of detecting it.")] = None,
    meta: Annotated[Optional[Path], typer.Option("--meta", help="A manifest (.tsv or .csv, with a header) giving articles their url, "
                                                 "date, title and source_name (the outlet), by file (relative to the manifest) or id. "
                                                 "A manifest.tsv beside the files is read without it.", exists=True, dir_okay=False)] = None,
    stdin_id: Annotated[Optional[str], typer.Option("--id", help="The article id of standard input (-) \\[default: stdin- and the start of the text's SHA-256, so that two texts never share an id].")] = None,
    private_urls: PrivateUrls = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for another indexing run to finish.")] = 600.0,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1,
                                         help="Processes that parse articles in parallel (one per core; each loads spaCy).")] = 1,
    claims: Annotated[Optional[Path], typer.Option("--claims", help="Load the claim shards of `claimsearch extract --out DIR` instead of extracting.")] = None,
) -> None:
    """Extract the claims of articles and add them to an index.

    Reads plain text (.txt: the title on the first line, then paragraphs), news pages (.html, .htm:
    the main text, title, date, URL and site name), JSON records (.json: one record or a list;
    .jsonl: one per line; fields text, and id, title, lang, date, url, outlet), web pages and the
    pages an RSS or Atom feed lists (a URL: fetched and read as a page is; read again on every run),
    and standard input (-). A manifest.tsv or manifest.csv beside text files (columns file, url, date, title) gives
    each article its provenance, as `--meta FILE` does.

    Unchanged files are skipped, changed ones replace their claims; an interrupted run keeps what it
    committed and the next run completes it. Unreadable files are reported one line each and the
    command exits 1 at the end.

    Example: [bold]claimsearch index articles/ --index index[/bold]
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .indexing import index_articles

    _allow_private(private_urls)
    if paths and claims:
        usage("give article paths or --claims DIR, not both")
    if meta is not None and claims is not None:
        usage("--meta goes with article paths, not with --claims (shards keep the provenance read with them)")
    if stdin_id is not None and "-" not in (paths or []):
        usage("--id names standard input: give - among the paths")
    if not paths and not prune and claims is None:
        usage("give article files or folders to index (or --claims DIR, or --prune alone)")
    entries = None
    if meta is not None:
        from .provenance import read_manifest

        try:
            entries = read_manifest(meta)
        except ClaimsearchError as exc:
            usage(str(exc))
    progress = Progress(TextColumn("[bold]indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                        TextColumn("{task.fields[claims]} claims"), TextColumn("{task.fields[rate]}"),
                        TimeRemainingColumn(), console=err, disable=quiet, transient=False)
    task = progress.add_task("index", total=None, claims=0, rate="")

    def on_progress(p) -> None:
        if p.event == "wait":
            say(p.message)
        elif p.event == "error":
            progress.console.print(Text(printable(p.message), style="red"), highlight=False, soft_wrap=True)
        elapsed = progress.tasks[0].elapsed or 0
        rate = f"{p.files_done / elapsed:.1f} files/s" if elapsed > 1 and p.files_done else ""
        progress.update(task, total=p.files_total or None, completed=p.files_done, claims=p.claims, rate=rate)

    try:
        with progress:
            if claims is not None:
                from .distributed import index_claims
                report = index_claims(claims, index_dir, on_progress, prune=prune, rebuild=rebuild, lock_timeout=wait)
            else:
                report = index_articles(paths or [], index_dir=index_dir, on_progress=on_progress,
                                        lang=lang and lang.value, prune=prune, rebuild=rebuild, lock_timeout=wait,
                                        workers=workers, meta=entries, stdin_id=stdin_id)
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

[bold]Modes[/bold] ([cyan]--mode[/cyan])

  [cyan]hybrid[/cyan] (default)    the word ranking fused with the meaning ranking: a claim with your
                      words comes first, a paraphrase or a translation is found too.
  [cyan]words[/cyan]               only the words (also what a query with operators or "phrases" does).
  [cyan]meaning[/cyan]             only the meaning: claims closest to the query's sense, in French or English.

[cyan]--group[/cyan] folds a claim that says the same as a better one in another article into it
("also in N articles"); [cyan]claimsearch similar ID[/cyan] lists them all, earliest first.

An empty query with filters lists every matching claim, in article order. Each hit carries its
article's title, date, outlet, URL and file (all of them in --json; the table shows a short form).

Example: [bold]claimsearch query "Starlink Taïwan" --source WSJ --limit 5[/bold]
         [bold]claimsearch query "putin asked musk to withhold starlink" --group[/bold]
"""

Source = Annotated[Optional[str], typer.Option("--source", "-s", help="Claims attributed to this source (a short form or alias works: Trump, WSJ, CGT).")]
Speaker = Annotated[Optional[str], typer.Option("--speaker", "-p", help="Claims quoting this person.")]
QLang = Annotated[Optional[Lang], typer.Option("--lang", help="Claims in this language.")]
ArticleOpt = Annotated[Optional[str], typer.Option("--article", help="Claims of one article (its id).")]
ScopeOpt = Annotated[Optional[Scope], typer.Option("--scope", help="Where the attribution is written.")]
Attributed = Annotated[Optional[bool], typer.Option("--attributed/--unattributed", help="Only claims with a source / only the newspaper's own.", show_default=False)]
StanceOpt = Annotated[Optional[Stance], typer.Option("--cue-stance", help="What the reporting cue says of the claim.")]
DATE_HELP = "yyyy-mm-dd; also yyyy-mm, yyyy, '15 janvier 2019', 'yesterday' (12/01/2019 reads month first)"
Since = Annotated[Optional[datetime.date], typer.Option("--since", parser=_date(False), metavar="DATE", help=f"Articles published on or after this date: {DATE_HELP}.")]
Until = Annotated[Optional[datetime.date], typer.Option("--until", parser=_date(True), metavar="DATE", help=f"Articles published on or before this date (a month or year: its end): {DATE_HELP}.")]


def _filters(source, speaker, lang, article, scope, attributed, stance, since, until) -> dict:
    return dict(source=source, speaker=speaker, lang=lang and lang.value, article=article, scope=scope and scope.value,
                attributed=attributed, stance=stance and stance.value, since=since, until=until)


class Mode(str, Enum):
    hybrid = "hybrid"
    words = "words"
    meaning = "meaning"


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
    return Text("— the article's own voice", style="dim")


def _highlighted(hit) -> Text:
    from .searching import MARK

    text = Text()
    for i, part in enumerate((hit.highlight or hit.text).split(MARK)):
        text.append(part, style="bold yellow" if i % 2 else None)
    return text


def _line(text: Text) -> Text:
    """One line, cut with an ellipsis at the cell's width: an id or a link is never broken over lines."""
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def _where(claim) -> Group:
    """Where a claim was read, one line per field: the article (id · date · outlet · title), its link."""
    article = Text(claim.article_id, style="bold")
    for part in (claim.date and claim.date.isoformat(), claim.source_name):
        if part:
            article.append(f" · {part}")
    article.append(f" · {claim.title}", style="italic")
    lines = [_line(article)]
    if claim.url:
        lines.append(_line(Text(claim.url, style=Style(dim=True, link=claim.url))))
    return Group(*lines)


def _claims_table(claims: list, ranked: bool, marked: str | None = None) -> None:
    """Hits or claims at any width: the claim wraps; who says it, the article and its link take one line each.
    A grouped hit says which other articles say the same; `marked` is a claim id to show in bold."""
    table = Table(show_header=False, show_lines=True, expand=True, box=None, padding=(0, 1, 1, 0))
    if ranked:
        table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(ratio=1)
    for rank, c in enumerate(claims, 1):
        claim = _highlighted(c) if ranked else Text(c.text)
        if c.id == marked:
            claim.stylize("bold")
        also = getattr(c, "also_in", ())
        if also:
            claim.append(f"\nalso in {len(also)} article{'s' if len(also) > 1 else ''}: {', '.join(also)}", style="dim")
        body = Group(claim, _line(_attribution(c)), _where(c))
        table.add_row(*([str(rank)] if ranked else []), body)
    out.print(table)


@command(help=QUERY_HELP)
def query(
    text: Annotated[str, typer.Argument(help="What to search for (see the query language above).")] = "",
    index_dir: IndexDir = Path("index"),
    source: Source = None,
    speaker: Speaker = None,
    lang: QLang = None,
    article: ArticleOpt = None,
    scope: ScopeOpt = None,
    attributed: Attributed = None,
    stance: StanceOpt = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", callback=_limit,
                                                 help="Most hits to show \\[default: 10; all when listing].")] = None,
    fmt: FormatOpt = None,
    as_json: AsJson = False,
    jsonl: AsJsonl = False,
    mode: Annotated[Mode, typer.Option("--mode", "-m", help="Rank by words, by meaning, or both fused.")] = Mode.hybrid,
    group: Annotated[bool, typer.Option("--group", "-g", help="Fold claims that say the same in other articles into one hit.")] = False,
) -> None:
    from .searching import ClaimIndex

    chosen = _chosen_format(fmt, as_json, jsonl)
    filters = _filters(source, speaker, lang, article, scope, attributed, stance, since, until)
    if limit is None:
        limit = 10 if text.strip() else None
    try:
        with ClaimIndex(index_dir) as idx:
            hits = idx.search(text, limit=limit, mode=mode.value, group=group, **filters)
            # a hint when no claim has the words, even if some are close in meaning (--mode meaning)
            from .searching import MARK
            worded = any(MARK in (h.highlight or "") for h in hits) or not text.strip()
            hint = None if (hits and worded) or chosen != "table" else _did_you_mean(idx, text, source, speaker)
    except ClaimsearchError as exc:
        fail(exc)
    if chosen == "table":
        if hint:
            say(hint)
        if not hits:
            err.print("no claim matches")
            return
    emit(hits, chosen, lambda items: _claims_table(items, ranked=True))


@command()
def similar(
    claim_id: Annotated[str, typer.Argument(help="The id of a claim (`claimsearch query --json` shows them).")],
    index_dir: IndexDir = Path("index"),
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most claims to show, the closest kept.")] = 20,
    fmt: FormatOpt = None,
    as_json: AsJson = False,
    jsonl: AsJsonl = False,
) -> None:
    """The claims that say the same thing in other articles and languages, earliest first.

    The claim itself is listed too (in bold), so the list reads as the statement's history: its
    first appearance, then its relays. [cyan]score[/cyan] is how close in meaning (a centred cosine, 0.55 and up).

    Example: [bold]claimsearch similar 3f2a9c0d1e4b5a67[/bold]
    """
    from .searching import ClaimIndex

    chosen = _chosen_format(fmt, as_json, jsonl)
    try:
        with ClaimIndex(index_dir) as idx:
            hits = idx.similar(claim_id, limit=limit)
    except ClaimsearchError as exc:
        fail(exc)
    emit(hits, chosen, lambda items: _claims_table(items, ranked=True, marked=claim_id))


def _did_you_mean(idx, text: str, source: str | None, speaker: str | None) -> str | None:
    fixes = []
    for label, value in (("", text), ("--source ", source), ("--speaker ", speaker)):
        if value:
            better = idx.suggest(value)
            if better:
                fixes.append(f'{label}"{better}"' if label else f'"{better}"')
    return f"Did you mean {' '.join(fixes)}?" if fixes else None


# ---------------------------------------------------------------------------------------- export

@command()
def export(
    text: Annotated[str, typer.Argument(help="Export only the claims matching this query (the language of `claimsearch query`); every claim when empty.")] = "",
    index_dir: IndexDir = Path("index"),
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv (spreadsheets), jsonl (scripts) or claimreview (schema.org ClaimReview JSON-LD, to complete and publish).")] = ExportFormat.csv,
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file \\[default: standard output].", dir_okay=False)] = None,
    source: Source = None,
    speaker: Speaker = None,
    lang: QLang = None,
    article: ArticleOpt = None,
    scope: ScopeOpt = None,
    attributed: Attributed = None,
    stance: StanceOpt = None,
    since: Since = None,
    until: Until = None,
) -> None:
    """Write every claim matching a query and filters, with its provenance, for a spreadsheet, a script
    or a fact-check.

    ClaimReview gives one schema.org ClaimReview per claim: the claim, who made it (a Person or an
    Organization), the article it appeared in and the earliest dated article holding it; the rating
    is left empty for the fact-checker.

    Example: [bold]claimsearch export "" --source WSJ --format claimreview --out wsj.jsonld[/bold]
    """
    from . import output
    from .searching import ClaimIndex

    filters = _filters(source, speaker, lang, article, scope, attributed, stance, since, until)
    everything = None
    try:
        with ClaimIndex(index_dir) as idx:
            claims = idx.search(text, limit=None, **filters)
            if fmt is ExportFormat.claimreview and (text.strip() or any(v is not None for v in filters.values())):
                everything = idx.search("", limit=None)  # a claim's first appearance may lie outside the selection
    except ClaimsearchError as exc:
        fail(exc)
    if fmt is ExportFormat.claimreview:
        chunks: Iterable[str] = [output.to_claimreview(claims, everything) + "\n"]
    elif fmt is ExportFormat.jsonl:
        chunks = (line + "\n" for line in output.to_jsonl(claims))
    else:
        chunks = output.to_csv(claims)
    write(chunks, out_file)
    if out_file is not None:
        err.print(f"{len(claims)} claims written to {out_file} ({fmt.value})", highlight=False)


# ---------------------------------------------------------------------------------------- sources, stats, remove

@command()
def sources(
    text: Annotated[str, typer.Argument(help="Count only the claims matching this query.")] = "",
    index_dir: IndexDir = Path("index"),
    fmt: FormatOpt = None,
    as_json: AsJson = False,
    jsonl: AsJsonl = False,
) -> None:
    """List the sources and speakers of the claims, with how many claims each.

    Example: [bold]claimsearch sources "Starlink"[/bold]
    """
    from .searching import ClaimIndex

    chosen = _chosen_format(fmt, as_json, jsonl)
    try:
        with ClaimIndex(index_dir) as idx:
            facets = idx.facets(text)
    except ClaimsearchError as exc:
        fail(exc)
    if chosen == "json":
        emit([facets], "json", None, one=True)
        return
    rows = [{"role": role, "name": r.name, "claims": r.claims}
            for role, found in (("source", facets.sources), ("speaker", facets.speakers)) for r in found]

    def table(_) -> None:
        for title, found in (("sources", facets.sources), ("speakers", facets.speakers)):
            t = Table(title=f"{title} ({len(found)}) of {facets.claims} claims", title_justify="left")
            t.add_column(title[:-1])
            t.add_column("claims", justify="right")
            for row in found:
                t.add_row(row.name, str(row.claims))
            out.print(t)
    emit(rows, chosen, table, columns=("role", "name", "claims"))


@command()
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


@command()
def remove(
    ids: Annotated[list[str], typer.Argument(help="Article ids: the path of the file in the folder indexed, without its extension (fr/fr-wn-0008; a file indexed alone: its name).")],
    index_dir: IndexDir = Path("index"),
) -> None:
    """Delete the claims of articles from an index.

    Example: [bold]claimsearch remove fr/fr-wn-0008 seed/fr-03[/bold]
    """
    from .indexing import remove_articles

    try:
        report = remove_articles(ids, index_dir=index_dir)
    except ClaimsearchError as exc:
        fail(exc)
    for line in report.errors:
        say(line)
    err.print(f"removed {report.claims_removed} claims of {report.pruned} article(s)", highlight=False)
    if report.errors:
        raise typer.Exit(1)


# -------------------------------------------------------------------------------------- extract

@command()
def extract(
    file: Annotated[str, typer.Argument(help="An article file (.txt, .html, .htm, .json, .jsonl), a web page's or a feed's URL, or - for standard input; with --out, a folder too.")],
    fmt: FormatOpt = None,
    as_json: AsJson = False,
    jsonl: AsJsonl = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also list the repairs made to the text.")] = False,
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="The article's language \\[default: detected].")] = None,
    stdin_id: Annotated[Optional[str], typer.Option("--id", help="The article id of standard input (-) \\[default: stdin- and the start of the text's SHA-256, so that two texts never share an id].")] = None,
    private_urls: PrivateUrls = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Extract on Dask and write claim shards (JSON lines) to this folder, for `claimsearch index --claims`.")] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="With --out: a Dask scheduler address (tcp://host:8786) \\[default: local worker processes].")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="With --out and no --scheduler: local worker processes \\[default: one per core].")] = None,
) -> None:
    """Extract the claims of one article, with who says them and how.

    With --json, an article gives one JSON object (the article, its claims and their provenance); a
    file of several articles (.jsonl, a .json list) gives one JSON array of them. --jsonl gives one
    article per line, --format csv one claim per row.

    Example: [bold]claimsearch extract claimsearch/sample/seed/fr-03.txt --json[/bold]
    On Dask: [bold]claimsearch extract claimsearch/sample --out claims/ --workers 2[/bold]
    """
    chosen = _chosen_format(fmt, as_json, jsonl)
    _allow_private(private_urls)
    code = lang and lang.value
    if out_dir is not None:
        _extract_to_shards(file, out_dir, scheduler, workers, code)
        return
    if scheduler or workers:
        usage("--scheduler and --workers go with --out DIR")
    if stdin_id is not None and file != "-":
        usage("--id names standard input: give - as the file")
    from .models import ExtractedArticle

    with _progress("loading spaCy's models and extracting claims…"):
        from .pipeline import extract_file

        try:
            results = extract_file(file, lang=code, id=stdin_id)
        except ClaimsearchError as exc:
            fail(exc)
    done = [r for r in results if isinstance(r, ExtractedArticle)]
    for item in results:
        if isinstance(item, ClaimsearchError):
            say(str(item))
        else:
            for warning in item.article.warnings:
                say(f"warning: {warning}")
    if chosen == "csv":
        emit([c for item in done for c in item.claims], "csv", None)
    else:
        one = len(done) == 1 and len(results) == 1 and not file.lower().endswith(".jsonl")
        emit([_extract_json(item, explain) for item in done], chosen,
             lambda _: [_print_extracted(item, explain) for item in done], one=one)
    if len(done) < len(results):
        raise typer.Exit(1)


def _extract_to_shards(path: str, out_dir: Path, scheduler: str | None, workers: int | None, lang: str | None) -> None:
    from .distributed import extract_to_shards

    def on_progress(item) -> None:
        if isinstance(item, ClaimsearchError):
            say(str(item), "red")

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
    data = item.model_dump(mode="json", exclude={"vectors"})
    data["article"].pop("text", None)
    if not explain:
        data.pop("repairs", None)
    return data


def _print_extracted(item, explain: bool) -> None:
    a = item.article
    head = Text(a.title, style="bold")
    head.append(f"\n{a.id} · {a.lang}" + "".join(f" · {p}" for p in (a.date and a.date.isoformat(), a.source_name) if p),
                style="dim")
    out.print(head)
    if a.url:
        out.print(Text(a.url, style=Style(dim=True, link=a.url)), no_wrap=True, overflow="ellipsis", crop=True)
    table = Table(show_header=False, show_lines=True, expand=True, box=None, padding=(0, 1, 1, 0))
    table.add_column(ratio=1)
    for c in item.claims:
        table.add_row(Group(Text(c.text), _line(_attribution(c))))
    out.print(table)
    if explain:
        for r in item.repairs:
            out.print(Text.assemble((f"{r.kind:16}", "dim"), f" {r.start}-{r.end}  {r.before!r} → {r.after!r}"), highlight=False)


# ------------------------------------------------------------------------------------- evaluate

@command()
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold annotation files or folders (the format of GUIDELINES.md).")],
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="Score only the articles in this language.")] = None,
    by_kind: Annotated[bool, typer.Option("--by-kind/--no-by-kind", help="Break scores down by attribution kind.")] = True,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss.")] = False,
    as_json: AsJson = False,
) -> None:
    """Score extraction against annotated articles: claims, attribution, cue, scope, speaker, quote, entities.

    The same fields as the project's scorer (score.py, kept with the shared annotations, outside
    this repository), by attribution kind.

    Example: [bold]claimsearch evaluate tests/fixtures/gold --lang fr[/bold]
    """

    with _progress("loading spaCy's models and extracting the gold articles…"):
        from .evaluation import evaluate as run

        try:
            scores = run(gold, lang=lang and lang.value)
        except ClaimsearchError as exc:
            fail(exc)
    kinds = sorted(k for k in scores.total if k != "all") if by_kind else []
    if as_json:
        emit([{"scores": scores.table(), "by_kind": {k: scores.table(k) for k in kinds},
               "counts": scores.counts(), "misses": scores.misses}], "json", None, one=True)
        return
    table = Table(title="claimsearch evaluate" + (f" ({lang.value})" if lang else ""))
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


# -------------------------------------------------------------------------------------- serve

@app.command()
def serve(
    index_dir: IndexDir = Path("index"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but 127.0.0.1 lets other machines read the index.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Search and browse the index in a web page (and a JSON API under /api/), read-only.

    Example: [bold]claimsearch serve --index index --port 8000[/bold], then open http://127.0.0.1:8000/
    """
    import uvicorn

    from .web import create_app

    try:
        web = create_app(index_dir, hosts=["*"] if host in ("0.0.0.0", "::") else [host])
    except ClaimsearchError as exc:
        fail(exc)
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(f"warning: listening on {host}, not only on this machine: anyone who reaches it can read the index")
    shown = f"[{host}]" if ":" in host else host
    say(f"claimsearch: serving {index_dir} at http://{shown}:{port}/ (Ctrl+C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning")
