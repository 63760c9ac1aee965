#!/usr/bin/env python3
"""Render the book's charts (the :mod:`figures` package) into ``.cache/figures/``, redrawing only what changed.

Run it alone (``python build_figures.py``) or let the MkDocs hook call :func:`render_changed`
before each build. Each chart is planned first, without matplotlib: its plotted points,
caption and alt text are computed and hashed with the fingerprint of the code that draws it
(its own module, the shared ones it imports, matplotlib). A chart whose hash is unchanged is
not redrawn, and when nothing changed matplotlib is never imported. Changed charts render in
parallel, one process per core.

Outputs go to ``.cache/figures/`` (git-ignored), never into ``docs/``: for each chart a light
and a dark SVG, a CSV of exactly the plotted points, and ``index.json`` with the title and
generated alt text that the ``figure()`` macro embeds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures.figure import Figure, package_fingerprint  # noqa: E402
from figures.style import THEMES  # noqa: E402
from macros.data import Book, DataError, load  # noqa: E402

OUT = ROOT / ".cache" / "figures"
INPUTS_FILE = "inputs.key"
NAMES_FILE = "names.json"  # the charts of index.json, which holds their alt texts (megabytes at 30,000 models)


# --- cache and parallel rendering ------------------------------------------------------------------
def _render_one(task: tuple[Figure, str]) -> tuple[str, str, bytes, float]:
    from figures.drawing import svg_bytes  # in the worker: drawing imports matplotlib

    fig, theme = task
    start = time.perf_counter()
    data = svg_bytes(fig, theme)
    return fig.name, theme, data, time.perf_counter() - start


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        # A name of its own per process: two builds sharing the cache must not trip over one file.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(path)
        except BaseException as exc:  # a full disk, an interrupt: no half-written file stays behind
            tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError) and exc.errno and not exc.filename:  # say which file
                raise OSError(exc.errno, exc.strerror, str(path)) from exc
            raise


def _files(name: str, out: Path) -> dict[str, Path]:
    return {"light": out / f"{name}.svg", "dark": out / f"{name}-dark.svg", "csv": out / f"{name}.csv"}


def render_changed(
    book: Book,
    jobs: int | None = None,
    quiet: bool = False,
    force: bool = False,
    out: Path | None = None,
    together: bool = False,
    pool=None,
    superseded: Callable[[], bool] | None = None,
) -> list[str]:
    """Render the figures whose inputs changed into ``out`` (default ``.cache/figures``); return their names.

    Planning needs no matplotlib; it is imported (in the worker processes) only when a figure
    must be drawn. Each (figure, theme) pair is one task, so two cores share the work evenly.
    ``pool``: an executor whose processes stay (the serve worker, ``hooks/figure_worker.py``);
    ``superseded``: asked after each chart is written; when it says yes (newer data wait), the
    charts not yet drawn are cancelled and :class:`Superseded` raised (the index is not updated).
    """
    out = Path(out) if out is not None else OUT
    out.mkdir(parents=True, exist_ok=True)
    if not force and up_to_date(book, out):
        return []
    index_file = out / "index.json"
    from figures.charts import plan  # every chart module: only when something is planned

    figures = plan(book)
    try:
        old = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else {}
    except json.JSONDecodeError:
        old = {}

    def fresh(fig: Figure) -> bool:
        return old.get(fig.name, {}).get("hash") == fig.digest() and all(
            p.exists() for p in _files(fig.name, out).values()
        )

    todo = [fig for fig in figures if force or not fresh(fig)]
    if todo:
        tasks = [(fig, theme) for fig in todo for theme in THEMES]
        workers = max(1, min(jobs or _cores(), len(tasks)))
        if pool is not None:
            results = pool.map(_render_one, tasks)
            try:
                _collect(results, out, quiet, together, superseded)
            finally:
                results.close()  # cancels what is not drawn yet (Executor.map)
        elif workers > 1:
            from concurrent.futures import ProcessPoolExecutor  # only when drawing: ~3 ms per build

            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = pool.map(_render_one, tasks)
                _collect(results, out, quiet, together)
        else:
            _collect(map(_render_one, tasks), out, quiet, together)
    index = {}
    for fig in figures:
        _write_if_changed(_files(fig.name, out)["csv"], fig.csv_text().encode())
        index[fig.name] = fig.index_entry()
    _write_if_changed(index_file, (json.dumps(index, indent=1, ensure_ascii=False) + "\n").encode())
    _write_if_changed(out / NAMES_FILE, (json.dumps(sorted(index)) + "\n").encode())
    if book.digest:
        _write_if_changed(out / INPUTS_FILE, _inputs_key(book).encode())
    return [fig.name for fig in todo]


@cache
def _code_key() -> str:
    return package_fingerprint(Path(__file__).resolve())


def _inputs_key(book: Book) -> str:
    """What every figure depends on: the book's data and code (its digest), this script, figures/, matplotlib."""
    return f"{book.digest}:{_code_key()}\n"


def up_to_date(book: Book, out: Path | None = None) -> bool:
    """Whether the last render used the same data, code and matplotlib, and its files are all there.

    Planning every figure digests every plotted point (a second at 30,000 models); a book loaded
    from the data cache carries a digest of its inputs, and equal inputs plan equal figures.
    """
    out = Path(out) if out is not None else OUT
    if not book.digest:
        return False
    try:
        if (out / INPUTS_FILE).read_text(encoding="utf-8") != _inputs_key(book):
            return False
        names = json.loads((out / NAMES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(p.exists() for n in names for p in _files(n, out).values())


def _cores() -> int:
    """Cores this process may use (the affinity mask, which containers narrow), else all."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Superseded(Exception):
    """A redraw stopped between two charts because newer inputs wait (``render_changed(superseded=...)``)."""


def _collect(
    results: Iterable[tuple[str, str, bytes, float]],
    out: Path,
    quiet: bool,
    together: bool = False,
    superseded: Callable[[], bool] | None = None,
) -> None:
    """Write each figure's SVGs as soon as both variants are drawn (or, ``together``, all once the
    last is drawn); print one line per figure."""
    seconds: dict[str, float] = {}
    held: list[tuple[Path, bytes]] = []
    for name, theme, data, took in results:
        held.append((_files(name, out)[theme], data))
        seconds[name] = seconds.get(name, 0.0) + took
        if theme != THEMES[-1]:
            continue
        if not together:
            for path, svg in held:
                _write_if_changed(path, svg)
            held.clear()
        if not quiet:
            print(f"figure {name}: rendered light+dark in {seconds[name]:.2f} s", file=sys.stderr, flush=True)
        if superseded is not None and not together and superseded():
            raise Superseded(name)
    for path, data in held:
        _write_if_changed(path, data)


def published_files(out: Path | None = None) -> list[Path]:
    """The files the site publishes under ``figures/`` (from the last render)."""
    out = Path(out) if out is not None else OUT
    for listing in (out / NAMES_FILE, out / "index.json"):  # (a cache from before names.json: its index)
        if listing.exists():
            names = json.loads(listing.read_text(encoding="utf-8"))
            return [p for n in sorted(names) for p in _files(n, out).values() if p.exists()]
    return []


def one_line(exc: BaseException) -> str:
    """A failure as one line: an author's mistake as its own message, anything else as its type,
    message and the place in the book's code where it happened (no traceback)."""
    from macros.errors import MacroError

    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, (DataError, MacroError)) and message:
        return message
    if isinstance(exc, OSError) and exc.strerror:
        name = Path(os.fsdecode(exc.filename)) if exc.filename else None
        where = f" ({name.relative_to(ROOT) if name.is_relative_to(ROOT) else name})" if name else ""
        return f"{exc.strerror}{where}"
    frames, tb = [], exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            frames.append(f"{path.relative_to(ROOT).as_posix()}:{tb.tb_lineno}")
        tb = tb.tb_next
    chart = next((f for f in reversed(frames) if f.startswith("figures/")), None)
    where = [f for f in (chart, frames[-1] if frames else None) if f]
    at = f" (at {' via '.join(dict.fromkeys(where))})" if where else ""
    return f"{type(exc).__name__}: {message or 'no message'}{at}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data"), help="data directory (default: data/)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: one per core)")
    parser.add_argument("--force", action="store_true", help="re-render every figure")
    parser.add_argument(
        "--together",
        action="store_true",
        help="write the figures only once all are drawn (default: each as soon as it is drawn)",
    )
    parser.add_argument("--out", default=str(OUT), help="output directory (default: .cache/figures)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        book = load(args.data, cache_dir=ROOT / ".cache" / "data")
        done = render_changed(book, jobs=args.jobs, force=args.force, out=Path(args.out), together=args.together)
    except Exception as exc:  # one line, whatever failed (BOOK_DEBUG=1: the traceback)
        if os.environ.get("BOOK_DEBUG"):
            raise
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 1
    total = len(json.loads((Path(args.out) / "index.json").read_text(encoding="utf-8")))
    took = time.perf_counter() - start
    print(f"{len(done)} figure(s) rendered, {total - len(done)} unchanged, {took:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
