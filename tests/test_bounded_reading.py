"""Reading is bounded: type and size are checked before any byte is read, hashing reads chunks (issue 13).

The stress test found a 3 GB file read whole and hashed before the size limit applied (3.1 GB RSS),
a link to /dev/zero ending in MemoryError, and a FIFO hanging the run forever. Each is now one
error line naming the file, the rest of the run goes on, and nothing is read to find out.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claimsearch.errors import ArticleError
from claimsearch.reading import MAX_BYTES, hash_file, read_articles

from .index_fixtures import FIXTURES

FR08 = FIXTURES / "corpus" / "fr" / "fr-wn-0008.txt"


@pytest.fixture
def docs(tmp_path):
    """A folder with one good article and the three inputs that hurt: a 3 GB (sparse) file, a link to
    /dev/zero and a FIFO, all named like articles."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(FR08, folder / "good.txt")
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(3 * 1024 ** 3)  # sparse: no disk used, and reading it would take 3 GB
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.txt")
    return folder


def test_huge_files_devices_and_fifos_are_refused_before_reading(docs):
    problems = {Path(e.path).name: e.problem for e in read_articles([docs]) if isinstance(e, ArticleError)}
    assert problems == {"huge.txt": f"too large: 3072.0 MB, over the {MAX_BYTES // 1024 // 1024}.0 MB limit "
                                    "(raise max_bytes to read it)",
                        "zero.txt": "cannot read: a device, not a file (pipe it to `-` to read a stream)",
                        "pipe.txt": "cannot read: a named pipe (FIFO), not a file (pipe it to `-` to read a stream)"}
    for name in problems:
        with pytest.raises(ArticleError):
            hash_file(docs / name)


def test_hashing_reads_chunks_and_matches_the_whole(tmp_path):
    import hashlib

    big = tmp_path / "big.txt"
    big.write_bytes(FR08.read_bytes() * 1000)  # 2.6 MB: three chunks
    assert hash_file(big) == hashlib.sha256(big.read_bytes()).hexdigest()


def test_an_index_run_over_them_reports_each_and_indexes_the_rest(docs, tmp_path):
    """In a process of its own: before the fix the FIFO hung the run and /dev/zero raised MemoryError."""
    script = ("import sys; from claimsearch.indexing import index_articles\n"
              "r = index_articles([sys.argv[1]], index_dir=sys.argv[2])\n"
              "print(r.articles); print(*r.errors, sep='\\n')")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", script, str(docs), str(tmp_path / "index")], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    articles, *errors = done.stdout.splitlines()
    assert articles == "1" and len(errors) == 3
    assert all(e.startswith(str(docs)) for e in errors)
