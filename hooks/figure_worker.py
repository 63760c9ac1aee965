"""The figure worker under ``mkdocs serve``: one resident process that redraws the changed charts (not a hook).

``hooks/serve.py`` starts it with the server (``python hooks/figure_worker.py``). It imports
matplotlib once, keeps a pool of drawing processes, and for each request re-plans every chart
(``build_figures.render_changed``) and draws only those whose points or code changed, writing
each chart into ``.cache/figures`` as soon as it is drawn (the server watches that folder).

- Requests: any bytes on stdin; requests that queued while a redraw ran count as one.
- Replies: one JSON line on stdout per redraw: ``{"done": [names], "seconds": s}`` or
  ``{"error": "one line", "recorded": bool}``; ``{"ready": true}`` once warm.
- A failure is one line (``build_figures.one_line``), never a traceback, and is recorded in
  ``.cache/figures/failed.json`` with the inputs it failed for: the write makes the server
  rebuild, and that build stops with the same line until the inputs change. A good redraw
  removes the record.
- It stops when stdin closes (the server stopped, however it stopped) or on SIGTERM, stopping
  and reaping its drawing processes first; should it die before that, they die with it
  (``PR_SET_PDEATHSIG`` on Linux), as it dies with the server.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import build_figures as bf  # noqa: E402
from macros.data import load  # noqa: E402

FAILED = "failed.json"  # read by hooks/serve.py


def _die_with_parent(sig: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, sig)  # PR_SET_PDEATHSIG: this signal when the parent dies
    except (OSError, AttributeError):  # not Linux: the pool still stops with the worker's shutdown
        pass


def _warm() -> None:
    """In each drawing process: die with the worker, ignore the terminal's Ctrl-C, import matplotlib."""
    _die_with_parent(signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import figures.drawing  # noqa: F401


def _pool():
    from concurrent.futures import ProcessPoolExecutor

    n = bf._cores()
    pool = ProcessPoolExecutor(max_workers=n, initializer=_warm)
    list(pool.map(abs, range(n)))  # start every process now, not at the first edit
    return pool


def redraw(pool, out: Path = bf.OUT) -> dict:
    """Re-plan every chart and draw the changed ones; the reply for the server."""
    start, key = time.perf_counter(), ""
    try:
        book = load(ROOT / "data", cache_dir=ROOT / ".cache" / "data")
        key = bf._inputs_key(book)
        done = bf.render_changed(book, out=out, quiet=True, pool=pool)
    except Exception as exc:  # whatever failed: one line, recorded for the server's next build
        message = bf.one_line(exc)
        try:
            bf._write_if_changed(out / FAILED, json.dumps({"inputs": key, "error": message}).encode())
            recorded = True
        except OSError:
            recorded = False
        return {"error": message, "recorded": recorded}
    (out / FAILED).unlink(missing_ok=True)
    return {"done": done, "seconds": round(time.perf_counter() - start, 2)}


def _say(**reply) -> None:
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()


def main() -> int:
    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is the server's
    _die_with_parent(signal.SIGTERM)  # the server died: shut down as on a closed stdin
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool()
    try:
        _say(ready=True)
        while os.read(0, 65536):  # one read takes every queued request: one redraw
            reply = redraw(pool)
            if "error" in reply and _broken(pool, BrokenProcessPool):  # a drawing process died
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool()
            _say(**reply)
    finally:
        _shut_down(pool)
    return 0


def _shut_down(pool) -> None:
    """Stop the drawing processes and reap them, whichever stop came first (stdin closed, SIGTERM, or both)."""
    import multiprocessing

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second stop must not interrupt this one
    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()


def _broken(pool, error: type) -> bool:
    try:
        pool.submit(abs, 0).result()
    except error:
        return True
    return False


if __name__ == "__main__":
    sys.exit(main())
