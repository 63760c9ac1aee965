"""[3] The author loop under ``mkdocs serve``: a saved data edit until the new number is served."""

from __future__ import annotations

import html
import math
import os
import re
import socket
import statistics
import subprocess
import time
import tomllib
import urllib.request
from pathlib import Path

from macros import format as fmt

from .common import ENV, PY, copy_book, fmt_s, log

EDIT_MODEL, EDIT_PAGE, EDIT_FIGURE = "llama-3-8b", "chapters/differences/", "figures/params-over-time.svg"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback only
            return r.read()
    except OSError:
        return None


def _flops_text(book: Path, params_b: float) -> str:
    """What the page must show for 6·N·D after the edit, computed independently of the build."""
    raw = {m["id"]: m for m in tomllib.loads((book / "data/models.toml").read_text())["models"]}
    tok = raw[EDIT_MODEL]["tokens"]
    scale = {"1": 1, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
    return fmt.text(6 * params_b * 1e9 * tok["value"] * scale[tok.get("unit", "1")], "flop")


def _wait_until_served(proc: subprocess.Popen, url: str, serve_log: Path) -> None:
    deadline = time.time() + 120
    while _get(url) is None:
        if proc.poll() is not None or time.time() > deadline:
            raise SystemExit(f"mkdocs serve did not start:\n{serve_log.read_text()[-2000:]}")
        time.sleep(0.1)
    time.sleep(1.0)


def _tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root`` and every process under it (the figure worker and its pool)."""
    procs = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        procs[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += procs.get(pid, (0, 0))[1]
        todo += [child for child, (parent, _) in procs.items() if parent == pid]
    return total / os.sysconf("SC_CLK_TCK")


def _wait_idle(proc: subprocess.Popen, seconds: float = 1.0, timeout: float = 60.0) -> None:
    """Wait until the server and its figure worker have been idle for ``seconds`` (almost no CPU
    time used): the last edit's charts drawn and its rebuilds done, so that the next edit is timed
    from an idle server, not behind the previous one."""
    end = time.monotonic() + timeout
    last, since = _tree_cpu(proc.pid), time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.1)
        now = _tree_cpu(proc.pid)
        if now - last > 0.02:  # busy (an idle server uses a tick now and then)
            since = time.monotonic()
        elif time.monotonic() - since >= seconds:
            return
        last = now


def _time_one_edit(url: str, models: Path, text: str, expected: str) -> tuple[float, float]:
    """Seconds from saving ``text`` until the page shows ``expected``, and until the chart changes."""
    old_page = html.unescape((_get(url + EDIT_PAGE) or b"").decode())
    if expected in old_page:
        raise SystemExit(f"bench: {expected!r} is already on the page; pick another edit")
    old_svg = _get(url + EDIT_FIGURE)
    start = time.perf_counter()
    models.write_text(text)
    page_t = fig_t = None
    while time.perf_counter() - start < 60 and (page_t is None or fig_t is None):
        if page_t is None:
            body = _get(url + EDIT_PAGE)
            if body and expected in html.unescape(body.decode()):
                page_t = time.perf_counter() - start
        if fig_t is None:
            svg = _get(url + EDIT_FIGURE)
            if svg and svg != old_svg:
                fig_t = time.perf_counter() - start
        time.sleep(0.02)
    if page_t is None:
        raise SystemExit(f"bench: the page never showed {expected!r}")
    return page_t, fig_t if fig_t is not None else float("nan")


def bench_serve(work: Path, runs: int) -> dict:
    book = copy_book(work / "book-serve")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = work / "serve.log"
    serve_log = log_path.open("w")
    proc = subprocess.Popen(
        [PY, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=book,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=serve_log,
    )
    models = book / "data/models.toml"
    original = models.read_text()
    pattern = re.compile(r'(id = "llama-3-8b"\n(?:.*\n)*?params = \{ value = )([0-9.]+)(, unit = "B")')
    m = pattern.search(original)
    if not m:
        raise SystemExit("bench: could not find the params of llama-3-8b in data/models.toml")
    base_value = float(m.group(2))
    page_times, fig_times = [], []
    try:
        _wait_until_served(proc, url + EDIT_PAGE, log_path)
        for i in range(runs):
            value = round(base_value + 0.01 * (i + 1) * (1 if i % 2 == 0 else -1), 2)
            text = original[: m.start(2)] + f"{value}" + original[m.end(2) :]
            _wait_idle(proc)
            page_t, fig_t = _time_one_edit(url, models, text, _flops_text(book, value))
            page_times.append(page_t)
            fig_times.append(fig_t)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        serve_log.close()
    builds = [float(x) for x in re.findall(r"Documentation built in ([0-9.]+) seconds", log_path.read_text())]
    page_med, fig_med = statistics.median(page_times), statistics.median(fig_times)
    log(
        f"[3] author loop: data edit to new number served {fmt_s(page_med)} (target <= 1.0 s), "
        f"to new chart {fmt_s(fig_med)}; runs {[round(t, 2) for t in page_times]}; "
        f"rebuilds took {fmt_s(statistics.median(builds[1:] or [math.nan]))} (median, as mkdocs reports them)"
    )
    return {
        "page": {"median": page_med, "runs": [round(t, 3) for t in page_times]},
        "figure": {"median": fig_med, "runs": [round(t, 3) for t in fig_times]},
        "rebuild": {"median": statistics.median(builds[1:] or [math.nan]), "runs": builds[1:]},
        "target": 1.0,
        "met": page_med <= 1.0,
    }
