"""What every measurement shares: the throwaway copies of the book, timed builds, medians."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
INJECTED = Path(__file__).resolve().parent / "injected"
PY = sys.executable
# Bytecode is written, as on an author's machine (the copies are throwaway): a process that
# compiles the book's ~7,000 lines of Python on every build measures the compiler, not the book.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_MKDOCS_2_WARNING": "1"}
BOOK_PARTS = ("data", "docs", "macros", "figures", "hooks", "includes", "overrides")
BOOK_FILES = ("mkdocs.yml", "build_figures.py")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fmt_s(x: float) -> str:
    return f"{x:.2f} s"


def copy_book(dest: Path, with_figures: bool = True) -> Path:
    """A copy of the book's sources (and, optionally, the rendered figure cache)."""
    ignore = shutil.ignore_patterns("__pycache__")
    for name in BOOK_PARTS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in BOOK_FILES:
        shutil.copy2(ROOT / name, dest / name)
    if with_figures:
        ensure_figures(ROOT)
        shutil.copytree(ROOT / ".cache" / "figures", dest / ".cache" / "figures")
    return dest


def inject(book: Path, name: str) -> Path:
    """Copy ``injected/NAME`` to the top of a throwaway book; a script run there imports that book's code."""
    dest = book / name
    shutil.copy2(INJECTED / name, dest)
    return dest


def run_injected(book: Path, name: str, *args: str) -> subprocess.CompletedProcess:
    """Run the program ``injected/NAME`` inside ``book`` (copied there first), output captured."""
    script = inject(book, name)
    return subprocess.run([PY, script.name, *args], cwd=book, env=ENV, capture_output=True, text=True)


def ensure_figures(book: Path) -> None:
    subprocess.run([PY, "build_figures.py"], cwd=book, env=ENV, check=True, capture_output=True)


@dataclass(frozen=True)
class Timed:
    """One measured run: wall-clock seconds, and the CPU seconds (user + system) its processes used.

    On a shared machine the wall time of a build grows with whatever else runs; the CPU time it
    spends is much steadier, so a ratio of CPU medians shows a change in the book's own work even
    when the wall-clock ratio is blurred by load.
    """

    wall: float
    cpu: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(book: Path, site: Path, config: str = "mkdocs.yml") -> Timed:
    """One cold, strict ``mkdocs build`` (a fresh process): its wall and CPU time."""
    shutil.rmtree(site, ignore_errors=True)
    cmd = [PY, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site)]
    cpu = _children_cpu()  # every child so far has been waited for: the difference is this build's
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=book, env=ENV, capture_output=True, text=True)
    timed = Timed(wall=time.perf_counter() - start, cpu=_children_cpu() - cpu)
    if result.returncode:
        raise SystemExit(f"build failed in {book}:\n{result.stderr[-3000:]}")
    return timed


def median_of(runs: int, fns: dict[str, Callable[[], float | Timed]]) -> dict[str, dict]:
    """Run each function ``runs`` times, interleaved so that drift hits all of them alike.

    ``median`` is the wall-clock median; a function that returns :class:`Timed` also gets
    ``cpu_median`` (its processes' CPU seconds).
    """
    times: dict[str, list[float]] = {k: [] for k in fns}
    cpus: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            got = fn()
            times[name].append(got.wall if isinstance(got, Timed) else got)
            if isinstance(got, Timed):
                cpus[name].append(got.cpu)
    out: dict[str, dict] = {}
    for k, v in times.items():
        out[k] = {"median": statistics.median(v), "runs": [round(t, 3) for t in v]}
        if cpus[k]:
            out[k] |= {"cpu_median": statistics.median(cpus[k]), "cpu_runs": [round(t, 3) for t in cpus[k]]}
    return out


def load_config(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump_config(cfg: dict, path: Path) -> None:
    path.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
