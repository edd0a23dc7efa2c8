"""What the benchmark scripts share: the corpus, timing, memory, and where results go."""
from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "claimsearch" / "sample"
RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child started by a process that
    holds the spaCy models would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child_peak(code: str) -> tuple[float, str]:
    """Run `code` in a fresh Python; its peak resident memory in MB and what it printed."""
    wrapper = code + "\nimport sys; sys.path.insert(0, 'benchmarks'); from common import peak_mb; print('PEAK_MB', peak_mb())\n"
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return float(out.strip().splitlines()[-1].split()[1]), out


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def median(xs) -> float:
    return statistics.median(xs)


def percentile(xs, p: float) -> float:
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))  # nearest rank
    return xs[k]


def save(name: str, data: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    path.write_text(json.dumps({"machine": machine(), "commit": commit or None, **data}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    ok = value >= target if higher_is_better else value <= target
    return f"{'met' if ok else 'NOT MET'} (target {'≥' if higher_is_better else '≤'} {target})"
