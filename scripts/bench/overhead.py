"""[1] Macro overhead: the book's build against the same site with every number typed in."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from .common import ENV, Timed, build, copy_book, dump_config, fmt_s, inject, load_config, log, median_of


def make_baseline(book: Path, work: Path) -> Path:
    """The same site with every number typed in: rendered Markdown, no macros plugin."""
    capture = work / "captured"
    site = work / "capture-site"
    inject(book, "bench_capture_hook.py")
    cfg = load_config(book / "mkdocs.yml")
    cfg["hooks"] = [*cfg.get("hooks", []), "bench_capture_hook.py"]
    dump_config(cfg, book / "bench-capture.yml")
    os.environ["BENCH_CAPTURE"] = str(capture)
    ENV["BENCH_CAPTURE"] = str(capture)
    build(book, site, "bench-capture.yml")

    base = work / "baseline"
    shutil.copytree(book / "includes", base / "includes")
    shutil.copytree(book / "overrides", base / "overrides")
    shutil.copytree(book / "hooks", base / "hooks")
    shutil.copytree(book / "macros", base / "macros")  # hooks/speedups.py uses macros.store
    shutil.copytree(book / "docs", base / "docs", ignore=shutil.ignore_patterns("*.md"))
    for md in capture.rglob("*.md"):
        rel = md.relative_to(capture)
        meta = json.loads((capture / (str(rel) + ".meta.json")).read_text())
        front = f"---\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)}---\n\n" if meta else ""
        dest = base / "docs" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(front + md.read_text(encoding="utf-8"), encoding="utf-8")
    # Figures and data files as plain static files: the baseline publishes the same site.
    for sub in ("figures", "data"):
        shutil.copytree(site / sub, base / "docs" / sub)
    cfg = load_config(book / "mkdocs.yml")
    cfg["plugins"] = [p for p in cfg["plugins"] if not (isinstance(p, dict) and "macros" in p) and p != "macros"]
    # The book's hooks that are not about computed numbers (a page's source checks, TeX to MathML)
    # and its speed-ups (HTML cache, collector threshold): the baseline keeps them too.
    cfg["hooks"] = ["hooks/speedups.py", "hooks/page_checks.py", "hooks/mathml.py"]  # in the book's order
    cfg["watch"] = []
    dump_config(cfg, base / "mkdocs.yml")
    return base


def _no_cache(root: Path, site: Path) -> Callable[[], Timed]:
    """A build as on a fresh clone: every cache gone but the rendered figures (measured in [2])."""

    def run() -> Timed:
        for entry in (root / ".cache").iterdir():
            if entry.name != "figures":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        return build(root, site)

    return run


def bench_overhead(work: Path, runs: int) -> dict:
    book = copy_book(work / "book")
    base = make_baseline(book, work)
    # Warm: .cache as any earlier build of the same sources leaves it (data, pages, templates).
    # Cold: as on a fresh clone (figures kept).
    res = median_of(
        runs,
        {
            "book": lambda: build(book, work / "site-book"),
            "baseline": lambda: build(base, work / "site-base"),
            "book_no_cache": _no_cache(book, work / "site-book"),
            "baseline_no_cache": _no_cache(base, work / "site-base"),
        },
    )
    # Issue 11's targets: warm <= 1.3x, fresh clone <= 1.5x the typed-numbers build (wall-clock
    # medians, as the issue states them); the CPU ratios are printed beside them because they
    # move far less with the machine's load.
    warm, cold = 1.3, 1.5

    def ratio(key: str, base: str, of: str = "median") -> float:
        return res[key][of] / res[base][of]

    r, r_cold = ratio("book", "baseline"), ratio("book_no_cache", "baseline_no_cache")
    c, c_cold = ratio("book", "baseline", "cpu_median"), ratio("book_no_cache", "baseline_no_cache", "cpu_median")
    log(
        f"[1] macro overhead: book {fmt_s(res['book']['median'])}, numbers typed in "
        f"{fmt_s(res['baseline']['median'])}: {r:.2f}x wall, {c:.2f}x CPU (target <= {warm}x); "
        f"fresh clone (no .cache but figures): {fmt_s(res['book_no_cache']['median'])} vs "
        f"{fmt_s(res['baseline_no_cache']['median'])}: {r_cold:.2f}x wall, {c_cold:.2f}x CPU (target <= {cold}x)"
    )
    return {
        **res,
        "ratio": r,
        "cpu_ratio": c,
        "ratio_no_cache": r_cold,
        "cpu_ratio_no_cache": c_cold,
        "target": warm,
        "target_no_cache": cold,
        "met": r <= warm,
        "met_no_cache": r_cold <= cold,
    }
