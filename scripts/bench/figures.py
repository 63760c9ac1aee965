"""[2] Figures: a build with no data change draws nothing and imports no matplotlib; 2 vs 1 processes."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from .common import ENV, PY, copy_book, ensure_figures, fmt_s, log, median_of, run_injected


def _render(book: Path, jobs: int) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        cmd = [PY, "build_figures.py", "--force", "--jobs", str(jobs)]
        subprocess.run(cmd, cwd=book, env=ENV, check=True, capture_output=True)
        return time.perf_counter() - start

    return run


def bench_figures(work: Path, runs: int) -> dict:
    book = copy_book(work / "book-fig")
    ensure_figures(book)  # the cache is fresh: nothing to redraw
    index = json.loads((book / ".cache/figures/index.json").read_text())
    stamp = {p.name: p.stat().st_mtime_ns for p in (book / ".cache/figures").glob("*.svg")}
    out = run_injected(book, "bench_no_change_probe.py", str(work / "site-fig"))
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    imported = out.stdout.strip().splitlines()[-1] == "True"
    redrawn = [n for n, t in stamp.items() if (book / ".cache/figures" / n).stat().st_mtime_ns != t]
    rendered_msgs = [line for line in out.stderr.splitlines() if "rendered" in line]

    res = median_of(runs, {"one_process": _render(book, 1), "two_processes": _render(book, 2)})
    ratio = res["two_processes"]["median"] / res["one_process"]["median"]
    log(
        f"[2] figures: no-change build imported matplotlib: {imported}, redrew {len(redrawn) + len(rendered_msgs)} "
        f"file(s); {len(index)} figure(s) in full: 1 process {fmt_s(res['one_process']['median'])}, "
        f"2 processes {fmt_s(res['two_processes']['median'])}: {ratio:.2f}x (target <= 0.6x)"
    )
    return {
        "figures": len(index),
        "no_change_imports_matplotlib": imported,
        "no_change_redrawn": len(redrawn) + len(rendered_msgs),
        **res,
        "ratio": ratio,
        "target": 0.6,
        "met": ratio <= 0.6 and not imported and not redrawn,
    }
