"""What a claimsearch index holds and how it is opened: the Whoosh schema, its version, the
`field:value` keys of exact-match properties, and the records of input files. Read by both
indexing.py (the writer) and searching.py (the reader), so that searching needs nothing of the writer.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import RegexTokenizer
from whoosh.columns import FixedBytesColumn, NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from . import vectors
from .analysis import analyzer
from .errors import IndexError_, IndexVersionError

SCHEMA_VERSION = 6  # 3: one text field stemmed in the claim's language, one keys field, no alias forms;
# 4: claims carry their provenance (url, path, outlet) and a typed date; 5: claim vectors;
# 6: a claim's vector is that of its speaker or source and its text (vectors.passage)
VERSION_FILE = "claimsearch.json"
REBUILD_HINT = "rebuild with `claimsearch index --rebuild`"
KEY_SEP = "\n"  # names have spaces: keys are one per line
TRUST_ENV = "CLAIMSEARCH_TRUST_INDEX"  # "1": open index folders of other users too


def check_owner(index_dir: Path) -> None:
    """Refuse an index folder that another user owns (or holds files of), unless CLAIMSEARCH_TRUST_INDEX=1.

    Whoosh unpickles an index's table of contents when it opens it, so an index folder can run code:
    one from someone else is a program from someone else. Checked before Whoosh reads anything."""
    if os.environ.get(TRUST_ENV) == "1" or not hasattr(os, "getuid") or not index_dir.is_dir():
        return
    me = os.getuid()
    stranger = next((p for p in [index_dir, *index_dir.iterdir()] if _owner(p) not in (me, None)), None)
    if stranger is not None:
        raise IndexError_(f"{index_dir}: {stranger.name} belongs to another user, and opening an index can run "
                          f"code stored in it (Whoosh unpickles its table of contents); if you trust it, set {TRUST_ENV}=1")


def _owner(path: Path) -> int | None:
    """The file's owner, or None when a writer replaced it between listing and looking (reads go on
    while `claimsearch index` commits)."""
    try:
        return path.lstat().st_uid
    except FileNotFoundError:
        return None


def schema() -> Schema:
    """The index schema. Change a field, bump SCHEMA_VERSION: old indexes then ask to be rebuilt.

    Few fields, on purpose: every indexed field costs each claim a posting at build time, and each
    field a query word is searched in costs a posting list at query time. Alias forms are not
    indexed: queries expand names (Putin → Poutine…), so an edited alias file needs no re-index.
    """
    return Schema(
        id=ID(unique=True, stored=True),
        # every exact-match property as one term "field:value" (see `key`): "lang:fr", "source:Wall
        # Street Journal". One field, because each field costs a claim more at build time than a term.
        keys=KEYWORD(analyzer=RegexTokenizer(r"[^\n]+")),
        article_id=ID(stored=True, sortable=True),
        path=ID(stored=True),
        digest=STORED,
        data=STORED,  # the Claim as JSON, or the article's record
        # the claim's words as terms stemmed in its language, given as a list (the analyzer only serves
        # text given as a string). Who said it is not in here: a source's name would outweigh the words
        # of claims that name it; `source:`/`speaker:` search by who.
        text=TEXT(analyzer=analyzer(None)),
        date=ID,
        sentence=COLUMN(NumericColumn("i")),  # only to order claims: a column, not an indexed number
        # the claim's meaning (vectors.py): in the claim's own document, so it is added, replaced and
        # deleted in the same atomic commit as the claim
        vector=COLUMN(FixedBytesColumn(vectors.VECTOR_BYTES)),
    )


def _read_version(index_dir: Path) -> int | None:
    try:
        return int(json.loads((index_dir / VERSION_FILE).read_text(encoding="utf-8"))["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_index(index_dir: str | Path, create: bool = False):
    """The Whoosh index in `index_dir`; with `create`, a new one when there is none yet. See `check_owner`."""
    index_dir = Path(index_dir)
    check_owner(index_dir)
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


def key(field: str, value: str | bool) -> str:
    """The term of an exact-match property in the `keys` field: "lang:fr", "attributed:yes", "source:WSJ"."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    return f"{field}:{' '.join(value.split())}"  # one line, one key, whatever spaces a name came with


def file_records(searcher) -> dict[str, dict]:
    """path → {"digest", "articles", "claims"} of every indexed input file."""
    return {f["path"]: {"digest": f["digest"], **json.loads(f["data"])} for f in searcher.documents(keys=key("doctype", "file"))}
