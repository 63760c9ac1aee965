"""``mkdocs serve`` after an author's mistake: the error shows in the terminal as one line, the
last good site stays served, and fixing the mistake brings the new site.

MkDocs 1.6 alone would hold every request after a failed rebuild ("the server will appear stuck")
and, for an error in a page, leave a half-emptied output folder; the book's hook
(``hooks/serve.py``, ``on_serve``) snapshots each good build and puts it back after a failed
one, so readers keep getting the last good pages.

A real ``mkdocs serve --strict`` runs on 127.0.0.1 (a free port) in a copy of the book; the test
breaks the data, then a chapter, checks the log and that the last good pages are still served,
then repairs the file and checks that the same pages come back.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.build.test_malformed import copy_book

PAGES = ("", "chapters/differences/", "appendix/methods/")


@dataclass
class Serve:
    book: Path
    base: str
    log: Path
    proc: subprocess.Popen

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str, timeout: float = 60) -> tuple[int, bytes]:
        """(HTTP status, body); status 0 when the server held the request for ``timeout`` seconds."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, b""
        except (TimeoutError, urllib.error.URLError) as e:
            if isinstance(e, TimeoutError) or isinstance(getattr(e, "reason", None), TimeoutError):
                return 0, b""
            raise

    def wait_for(self, pattern: str, after: int, timeout: float = 60) -> str:
        """Wait until the log, past offset ``after``, matches ``pattern``; return that part of the log."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"mkdocs serve exited:\n{self.output()[-3000:]}")
            tail = self.output()[after:]
            if re.search(pattern, tail):
                return tail
            time.sleep(0.2)
        raise AssertionError(f"no {pattern!r} in the serve log after {timeout} s:\n{self.output()[after:][-3000:]}")

    def edit(self, rel: str, old: str, new: str) -> int:
        """Replace text in a file of the served book; return the log offset before the edit."""
        at = len(self.output())
        path = self.book / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        time.sleep(0.05)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return at

    def quiet(self, seconds: float, timeout: float) -> str:
        """Wait until the log has not grown for ``seconds`` (at most ``timeout``); return the log."""
        end, size, since = time.monotonic() + timeout, -1, time.monotonic()
        while time.monotonic() < end:
            now = len(self.output())
            if now != size:
                size, since = now, time.monotonic()
            elif time.monotonic() - since >= seconds:
                return self.output()
            time.sleep(0.1)
        raise AssertionError(f"the server kept rebuilding for {timeout} s:\n{self.output()[-2000:]}")

    def status(self) -> dict:
        code, body = self.get("serve-status.json")
        assert code == 200
        return json.loads(body)

    def children(self) -> dict[int, tuple[int, str]]:
        """Every process: pid -> (parent pid, state)."""
        out = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                head, rest = stat.read_text().rsplit(")", 1)
            except OSError:
                continue
            fields = rest.split()
            out[int(head.split(" (")[0])] = (int(fields[1]), fields[0])
        return out

    def descendants(self) -> list[int]:
        procs, found, todo = self.children(), [], [self.proc.pid]
        while todo:
            parent = todo.pop()
            kids = [pid for pid, (ppid, _) in procs.items() if ppid == parent]
            found += kids
            todo += kids
        return found

    def zombies(self) -> list[int]:
        procs = self.children()
        return [pid for pid in self.descendants() if procs.get(pid, (0, ""))[1] == "Z"]

    def snapshot(self) -> dict[str, bytes]:
        pages = {}
        for p in PAGES:
            status, body = self.get(p)
            assert status == 200, f"{p or '/'}: HTTP {status}"
            # The live-reload script carries the build epoch and a request id: not content.
            pages[p] = re.sub(rb"livereload\(\d+, \d+\)", b"livereload()", body)
        return pages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def serve(tmp_path_factory) -> Iterator[Serve]:
    book = copy_book(tmp_path_factory.mktemp("serve") / "book")
    port = free_port()
    log = book.parent / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=book,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    s = Serve(book, f"http://127.0.0.1:{port}/", log, proc)
    try:
        s.wait_for(r"Serving on http://127\.0\.0\.1", 0, timeout=120)
        yield s
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_data_error_is_shown_and_the_last_good_site_stays_served(serve: Serve):
    good = serve.snapshot()
    at = serve.edit(
        "data/models.toml",
        'params = { value = 8.03, unit = "B"',
        'params = { value = "8.03", unit = "B"',
    )
    tail = serve.wait_for(r"field 'params\.value': expected a number", at)
    assert "Traceback" not in tail
    serve.wait_for(r"Still serving the last good build", at)
    assert serve.snapshot() == good, "the last good build is not what is served"
    at = serve.edit(
        "data/models.toml",
        'params = { value = "8.03", unit = "B"',
        'params = { value = 8.03, unit = "B"',
    )
    serve.wait_for(r"Reloading browsers", at)
    assert serve.snapshot() == good


def test_a_chapter_error_is_shown_and_the_last_good_site_stays_served(serve: Serve):
    good = serve.snapshot()
    at = serve.edit(
        "docs/chapters/differences.md",
        "{% set l70 = model('llama-3-70b') %}",
        "{% set l70 = model('llama-3-70x') %}",
    )
    tail = serve.wait_for(r"docs/chapters/differences\.md:\d+: unknown model id 'llama-3-70x'", at)
    assert "Traceback" not in tail
    errors = [line for line in tail.splitlines() if line.startswith("ERROR") and "last good build" not in line]
    assert len(errors) == 1, errors
    # MkDocs emptied its output before rendering the pages; the last good site is served instead.
    serve.wait_for(r"Still serving the last good build", at)
    assert serve.snapshot() == good, "the half-written site was served"
    at = serve.edit(
        "docs/chapters/differences.md",
        "{% set l70 = model('llama-3-70x') %}",
        "{% set l70 = model('llama-3-70b') %}",
    )
    serve.wait_for(r"Reloading browsers", at)
    assert serve.snapshot() == good


def test_a_data_edit_rebuilds_the_pages_then_the_charts_once_and_the_server_goes_quiet(serve: Serve):
    """The server learns of the save from the OS, not by polling: reads of the watched files
    (every build reads them) must not count as changes, or each build would start the next."""
    # A data edit changes what chapters show: they become drafts, and the build accepts them.
    at = serve.edit(
        "data/models.toml",
        'params = { value = 8.03, unit = "B"',
        'params = { value = 8.05, unit = "B"',
    )
    serve.wait_for(r"Documentation built", at)
    status, body = serve.get("appendix/data/")
    assert status == 200 and b">8.05 B<" in body
    # The figure worker redraws the changed charts after that build; each chart drawn is copied
    # into the served site without a build, and the new chart index brings one more rebuild.
    serve.wait_for(r"figure\(s\) rendered", at, timeout=120)
    tail = serve.quiet(seconds=3, timeout=90)
    # Quiet, then count: the edit, the charts' index (and a burst), however slow the machine.
    assert serve.output()[at:].count("Building documentation") <= 3, tail[-2000:]
    assert "Traceback" not in serve.output()[at:]
    status, svg = serve.get("figures/params-over-time.svg")
    assert status == 200 and svg == (serve.book / ".cache/figures/params-over-time.svg").read_bytes()


def test_a_chart_that_fails_is_one_line_in_the_log_and_the_banner_and_the_server_recovers(serve: Serve):
    """A figure module that raises (a contributor's bug, not a data error the schema catches):
    the worker reports one line naming the chart and the place, the rebuild stops with it, no
    traceback, no zombie process; undoing the edit brings the charts back."""
    plan = "def plan(book: Book) -> Figure | None:\n"
    at = serve.edit("figures/params_over_time.py", plan, plan + "    1 / 0\n")
    tail = serve.wait_for(r"ZeroDivisionError: division by zero \(at figures/params_over_time\.py:\d+\)", at, 120)
    tail = serve.wait_for(r"Still serving the last good build", at)
    assert "Traceback" not in serve.output()[at:]
    errors = [line for line in tail.splitlines() if line.startswith("ERROR") and "last good build" not in line]
    assert len(set(errors)) == 1, errors
    status = serve.status()
    assert (
        not status["ok"] and "ZeroDivisionError: division by zero (at figures/params_over_time.py:" in status["error"]
    )
    serve.quiet(seconds=2, timeout=60)
    assert serve.zombies() == []
    at = serve.edit("figures/params_over_time.py", plan + "    1 / 0\n", plan)
    serve.wait_for(r"Reloading browsers", at, timeout=120)
    serve.quiet(seconds=2, timeout=90)
    assert serve.status() == {"ok": True}
    assert serve.zombies() == []


def test_an_exception_in_a_hook_is_one_line_and_the_server_recovers(serve: Serve):
    """An exception MkDocs does not report itself (not a BuildError: here a bug in the exports
    that hooks/publish.py calls) is not swallowed: one line, in the log and the banner, no traceback."""
    head = "def numbers_json(rows: list[dict], lines: Mapping[int, str] | None = None) -> str:\n"
    bug = head + "    raise RuntimeError('a broken exporter')\n"
    at = serve.edit("macros/exports.py", head, bug)
    tail = serve.wait_for(r"Still serving the last good build", at)
    assert re.search(r"ERROR +- +RuntimeError: a broken exporter \(at macros/exports\.py:\d+\)", tail), tail
    assert "Traceback" not in tail and "fix the error above" in tail
    assert serve.status()["error"].startswith("RuntimeError: a broken exporter (at macros/exports.py:")
    at = serve.edit("macros/exports.py", bug, head)
    serve.wait_for(r"Reloading browsers", at)
    serve.quiet(seconds=2, timeout=60)
    assert serve.status() == {"ok": True}


def test_stopping_the_server_stops_the_figure_worker(serve: Serve):
    """Also when the worker is paused, as a rebuild pauses it (SIGSTOP): a signal sent to a stopped
    process waits, so a worker left paused outlived the server for good."""
    workers = serve.descendants()
    assert workers, "no figure worker is running"
    os.killpg(workers[0], signal.SIGSTOP)  # the worker leads its own process group
    serve.proc.terminate()
    serve.proc.wait(timeout=20)
    end = time.monotonic() + 30
    while time.monotonic() < end and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)], "the figure worker outlived the server"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_figure_worker_draws_the_same_bytes_as_build_figures(tmp_path: Path):
    """A chart the resident worker redraws (its processes reused across requests) is byte for byte
    the chart ``build_figures.py`` drew; a redraw that newer data supersede stops after the chart
    it is drawing; a request with nothing changed draws nothing."""
    import importlib.util
    import shutil

    import build_figures
    from tests.conftest import ROOT

    build_figures.main([])  # the cache as `make serve` leaves it
    spec = importlib.util.spec_from_file_location("figure_worker_test", ROOT / "hooks" / "figure_worker.py")
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    out = tmp_path / "figures"
    shutil.copytree(build_figures.OUT, out)
    (out / "params-over-time-dark.svg").unlink()
    (out / "weight-memory.svg").unlink()
    index = (out / "index.json").read_bytes()
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    pool = worker._pool()
    try:
        # Newer data waiting: the redraw stops after the first chart, the rest is left for the next.
        assert worker.redraw(pool, out, superseded=lambda: True) == {"superseded": True}
        assert (out / "params-over-time-dark.svg").exists() and not (out / "weight-memory.svg").exists()
        assert (out / "index.json").read_bytes() == index
        assert worker.redraw(pool, out, superseded=lambda: False)["done"] == ["weight-memory"]
        assert worker.redraw(pool, out, superseded=lambda: False)["done"] == []
    finally:
        worker._shut_down(pool)  # (it ignores a second stop: pytest's handlers are put back)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    for name in ("params-over-time.svg", "params-over-time-dark.svg", "weight-memory.svg"):
        assert (out / name).read_bytes() == (build_figures.OUT / name).read_bytes(), name
    assert not list(out.glob("*.tmp")) and not (out / "failed.json").exists()


@pytest.mark.parametrize("stop", ["sigterm-while-warming-up", "stdin-closed", "sigterm-and-stdin-closed"])
def test_the_figure_worker_stops_and_leaves_no_process(stop: str):
    """However the server's end reaches the worker (SIGTERM from the parent's death, its stdin
    closing, or both at once), it stops within seconds and no process of its group remains."""
    from tests.conftest import ROOT

    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "hooks" / "figure_worker.py")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        if stop == "sigterm-while-warming-up":  # as soon as its drawing processes exist
            end = time.monotonic() + 60
            while time.monotonic() < end and len(_group(proc.pid)) < 2:
                time.sleep(0.02)
            proc.terminate()
        else:
            assert json.loads(proc.stdout.readline()) == {"ready": True}
            proc.stdin.close()
            if stop == "sigterm-and-stdin-closed":
                proc.terminate()
        code = proc.wait(timeout=30)
        err = proc.stderr.read().decode(errors="replace")
        assert code in (0, -15) and "Traceback" not in err, f"exit {code}:\n{err[-3000:]}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()
    end = time.monotonic() + 10
    while time.monotonic() < end and _group(proc.pid):
        time.sleep(0.2)
    assert _group(proc.pid) == [], [Path(f"/proc/{p}/status").read_text()[:300] for p in _group(proc.pid)]


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found
