"""Killing `index --workers 2` leaves no worker alive and no lock held (issue 13).

Forked workers inherited the run lock's descriptor and outlived a killed parent, so every later run
waited for them and failed. Workers are now started fresh (spawn: no descriptor of the parent) and
die with their parent.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from claimsearch.indexing import _RunLock

FIXTURES = Path(__file__).parent / "fixtures"


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, seconds: float = 120.0) -> bool:
    """Poll `condition` until it holds (a liveness wait, not a speed check)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_a_killed_run_with_workers_leaves_no_worker_and_no_lock(tmp_path):
    index = tmp_path / "index"
    files = sorted(str(p) for p in (FIXTURES / "corpus" / "fr").glob("*.txt"))[:12]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    run = subprocess.Popen([sys.executable, "-m", "claimsearch", "index", *files, "--index", str(index),
                            "--workers", "2", "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        assert wait_for(lambda: len(children(run.pid)) >= 2), "the workers never started"
        workers = children(run.pid)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        assert wait_for(lambda: not any(alive(w) for w in workers)), "workers outlived their parent"
        with _RunLock(index, timeout=5, on_progress=None):  # the lock is free: a next run starts at once
            pass
    finally:
        if run.poll() is None:
            run.kill()
        for w in workers:  # never leave one behind, even when the test fails
            if alive(w):
                os.kill(w, signal.SIGKILL)


def test_an_article_error_crosses_a_process_boundary_whole():
    """A worker's error about one file comes back as that error, not as a TypeError that stops the run."""
    import pickle

    from claimsearch.errors import ArticleError
    err = pickle.loads(pickle.dumps(ArticleError("a/b.txt", "not UTF-8 text", 3)))
    assert (err.path, err.problem, err.line) == ("a/b.txt", "not UTF-8 text", 3)
    assert str(err) == "a/b.txt:3: not UTF-8 text"
