"""The figure worker under ``mkdocs serve``: one resident process that redraws the changed charts (not a hook).

``hooks/serve.py`` starts it with the server through :class:`Worker` (the parent side, in the
server's process; the worker runs this file as a script in its own session). It imports
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
- While the server rebuilds, the worker's process group is paused (SIGSTOP, then SIGCONT): the
  rebuild that shows new numbers never shares the processor with charts still being drawn.
- It stops when stdin closes (the server stopped or was sent SIGTERM: ``hooks/serve.py``
  continues it first) or on SIGTERM, stopping and reaping its drawing processes first; should
  it die before that, they die with it (``PR_SET_PDEATHSIG`` on Linux). Should the server die
  without stopping it (SIGKILL), it is killed too: SIGKILL, since a paused worker would keep
  any other signal pending for ever.
"""

from __future__ import annotations

import contextlib
import json
import logging
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

    return ProcessPoolExecutor(max_workers=bf._cores(), initializer=_warm)


def _warm_up(pool) -> None:
    n = bf._cores()
    list(pool.map(abs, range(n)))  # start every process now, not at the first edit
    try:  # and draw one chart in each, thrown away: a process's first drawing loads fonts and caches
        from figures.charts import plan
        from figures.style import THEMES

        first = plan(load(ROOT / "data", cache_dir=ROOT / ".cache" / "data"))[:1]
        list(pool.map(bf._render_one, [(fig, theme) for fig in first for theme in THEMES] * n))
    except Exception:  # bad data now: the first request reports it
        pass


def _request_waiting() -> bool:
    import select

    return bool(select.select([0], [], [], 0)[0])


def redraw(pool, out: Path = bf.OUT, superseded=_request_waiting) -> dict:
    """Re-plan every chart and draw the changed ones; the reply for the server."""
    start, key = time.perf_counter(), ""
    try:
        book = load(ROOT / "data", cache_dir=ROOT / ".cache" / "data")
        key = bf._inputs_key(book)
        done = bf.render_changed(book, out=out, quiet=True, pool=pool, superseded=superseded)
    except bf.Superseded:  # newer data wait on stdin: the next redraw takes them
        return {"superseded": True}
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


# --- the parent side ------------------------------------------------------------------------------
class Worker:
    """The parent side (hooks/serve.py): this script as a child process, requests on its stdin,
    replies read (and its exit reaped) on a thread, paused while the server rebuilds."""

    def __init__(self, stamp: str | None, log: logging.Logger) -> None:
        import subprocess
        import threading

        self.stamp, self.log, self.stopping = stamp, log, False
        self.stderr: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, __file__],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # the terminal's Ctrl-C stops the server, which stops the worker
        )
        threading.Thread(target=self._replies, daemon=True, name="figure-worker").start()
        threading.Thread(target=self._errors, daemon=True, name="figure-worker-stderr").start()

    def request(self) -> None:
        """Ask for a redraw (requests that queue while one runs are taken as one)."""
        try:
            self.proc.stdin.write(b"\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):  # it died: the next build starts another
            pass

    def _replies(self) -> None:
        for raw in self.proc.stdout:
            try:
                reply = json.loads(raw)
            except ValueError:
                continue
            if reply.get("done"):
                self.log.info(f"{len(reply['done'])} figure(s) rendered in {reply.get('seconds', 0):.2f} s")
            elif reply.get("error") and not reply.get("recorded"):
                self.log.error(str(reply["error"]))
        code = self.proc.wait()  # reaped: no zombie, however it ended
        if code and not self.stopping:
            last = next((line for line in reversed(self.stderr) if line.strip()), "")
            self.log.error(
                f"the figure worker stopped (exit {code}){': ' + last if last else ''}; the next rebuild restarts it"
            )

    def _errors(self) -> None:
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            self.stderr = [*self.stderr[-20:], line]
            self.log.debug(f"figure worker: {line}")

    def pause(self, paused: bool) -> None:
        """Stop (or continue) the worker and its drawing processes: a rebuild has the processor to itself."""
        if self.proc.poll() is None and hasattr(signal, "SIGSTOP"):
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGSTOP if paused else signal.SIGCONT)

    def stop(self) -> None:
        import subprocess

        self.stopping = True
        self.pause(False)
        try:
            self.proc.stdin.close()
            self.proc.terminate()
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        except OSError:
            pass


# --- the worker ---------------------------------------------------------------------------------------
def main() -> int:
    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)  # the server died while this group was paused (orphaned, continued)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is the server's
    _die_with_parent(signal.SIGKILL)  # the server died without stopping this one (it may be paused)
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool()
    try:  # from here on, however it stops (even while warming up), the pool is shut down and reaped
        _warm_up(pool)
        _say(ready=True)
        while os.read(0, 65536):  # one read takes every queued request: one redraw
            reply = redraw(pool)
            if "error" in reply and _broken(pool, BrokenProcessPool):  # a drawing process died
                _shut_down(pool, stopping=False)
                pool = _pool()
                _warm_up(pool)
            _say(**reply)
    finally:
        _shut_down(pool)
    return 0


def _shut_down(pool, stopping: bool = True) -> None:
    """Stop the drawing processes and reap them, whichever stop came first (stdin closed, SIGTERM, or both)."""
    import multiprocessing

    if stopping:
        for sig in (signal.SIGTERM, signal.SIGHUP):  # a second stop must not interrupt this one
            signal.signal(sig, signal.SIG_IGN)
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
