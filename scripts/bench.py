#!/usr/bin/env python3
"""Benchmark the book: macro overhead, figures, the author loop, scale and page weight.

Every measurement runs in a throwaway copy of the book under a temporary directory, as a
separate process, several times; the script prints medians and ratios against a baseline
measured in the same invocation (timings on a shared machine drift between invocations,
ratios much less). ``--json FILE`` also writes the results (``bench/results.json`` by
default with ``--save``). ``make bench`` runs the whole thing; ``--quick`` is a smoke test.

1. overhead  a cold ``mkdocs build`` of the book vs the same pages with every number already
             substituted (the rendered Markdown, macros plugin removed, same theme/extensions)
2. figures   a build with no data change imports no matplotlib; all figures with 2 vs 1 processes
3. serve     ``mkdocs serve``: save a data edit, poll the page until the new number is served
4. scale     synthetic data sets (real entries replicated and perturbed, unique ids)
5. weight    bytes a browser fetches for each chapter page; no reference leaves the site
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# Bytecode is written, as on an author's machine (the copies are throwaway): a process that
# compiles the book's ~7,000 lines of Python on every build measures the compiler, not the book.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_MKDOCS_2_WARNING": "1"}
BOOK_PARTS = ("data", "docs", "macros", "figures", "hooks", "includes", "overrides")
BOOK_FILES = ("mkdocs.yml", "build_figures.py")


# --- helpers -----------------------------------------------------------------------------------
def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


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


def ensure_figures(book: Path) -> None:
    subprocess.run([PY, "build_figures.py"], cwd=book, env=ENV, check=True, capture_output=True)


def build(book: Path, site: Path, config: str = "mkdocs.yml") -> float:
    """Wall time of one cold, strict ``mkdocs build`` (a fresh process)."""
    shutil.rmtree(site, ignore_errors=True)
    cmd = [PY, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site)]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=book, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"build failed in {book}:\n{result.stderr[-3000:]}")
    return seconds


def median_of(runs: int, fns: dict[str, Callable[[], float]]) -> dict[str, dict]:
    """Run each function ``runs`` times, interleaved so that drift hits all of them alike."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            times[name].append(fn())
    return {k: {"median": statistics.median(v), "runs": [round(t, 3) for t in v]} for k, v in times.items()}


def fmt_s(x: float) -> str:
    return f"{x:.2f} s"


# --- 1. macro overhead ---------------------------------------------------------------------------
CAPTURE_HOOK = '''
"""Benchmark only: save each page's Markdown after the macros rendered it."""
import json, os
from pathlib import Path
from mkdocs.plugins import event_priority

OUT = Path(os.environ["BENCH_CAPTURE"])

@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    dest = OUT / page.file.src_uri
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(markdown, encoding="utf-8")
    (OUT / (page.file.src_uri + ".meta.json")).write_text(json.dumps(page.meta, default=str), encoding="utf-8")
    return markdown
'''

# The baseline keeps the book's hook steps that are not about computed numbers (the checks
# of a page's source, TeX to MathML, the collector threshold), taken from the book's own hook.
BASELINE_HOOK = """
\"\"\"Benchmark only: the book's hook minus figures, exports and module reloading.\"\"\"
import gc, importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("book_hooks_for_baseline", Path(__file__).parent / "hooks/book_hooks.py")
_book = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_book)
for _name in ("on_page_read_source", "on_page_content", "on_env"):
    if hasattr(_book, _name):
        globals()[_name] = getattr(_book, _name)


def on_config(config):
    if hasattr(_book, "GC_THRESHOLD"):
        gc.set_threshold(*_book.GC_THRESHOLD)
    return config
"""


def _load_config(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def make_baseline(book: Path, work: Path) -> Path:
    """The same site with every number typed in: rendered Markdown, no macros plugin."""
    capture = work / "captured"
    site = work / "capture-site"
    (book / "bench_capture_hook.py").write_text(CAPTURE_HOOK)
    cfg = _load_config(book / "mkdocs.yml")
    cfg["hooks"] = [*cfg.get("hooks", []), "bench_capture_hook.py"]
    (book / "bench-capture.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    os.environ["BENCH_CAPTURE"] = str(capture)
    ENV["BENCH_CAPTURE"] = str(capture)
    build(book, site, "bench-capture.yml")

    base = work / "baseline"
    shutil.copytree(book / "includes", base / "includes")
    shutil.copytree(book / "overrides", base / "overrides")
    shutil.copytree(book / "hooks", base / "hooks")
    shutil.copytree(book / "macros", base / "macros")  # hooks/page_cache.py uses macros.store
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
    (base / "baseline_hook.py").write_text(BASELINE_HOOK)
    cfg = _load_config(book / "mkdocs.yml")
    cfg["plugins"] = [p for p in cfg["plugins"] if not (isinstance(p, dict) and "macros" in p) and p != "macros"]
    # The HTML cache is not about computed numbers: the baseline keeps it too.
    cfg["hooks"] = ["baseline_hook.py", "hooks/page_cache.py"]
    cfg["watch"] = []
    (base / "mkdocs.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    return base


def bench_overhead(work: Path, runs: int) -> dict:
    book = copy_book(work / "book")
    base = make_baseline(book, work)

    def no_cache(root: Path, site: Path) -> Callable[[], float]:
        """A build as on a fresh clone: every cache gone but the rendered figures (measured in [2])."""

        def run() -> float:
            for entry in (root / ".cache").iterdir():
                if entry.name != "figures":
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            return build(root, site)

        return run

    # Warm: .cache as any earlier build of the same sources leaves it (data, pages, templates).
    # Cold: as on a fresh clone (figures kept).
    res = median_of(
        runs,
        {
            "book": lambda: build(book, work / "site-book"),
            "baseline": lambda: build(base, work / "site-base"),
            "book_no_cache": no_cache(book, work / "site-book"),
            "baseline_no_cache": no_cache(base, work / "site-base"),
        },
    )
    ratio = res["book"]["median"] / res["baseline"]["median"]
    ratio_cold = res["book_no_cache"]["median"] / res["baseline_no_cache"]["median"]
    log(
        f"[1] macro overhead: book {fmt_s(res['book']['median'])}, numbers typed in "
        f"{fmt_s(res['baseline']['median'])}: {ratio:.2f}x (target <= 1.2x); fresh clone (no .cache but figures): "
        f"{fmt_s(res['book_no_cache']['median'])} vs {fmt_s(res['baseline_no_cache']['median'])}: {ratio_cold:.2f}x"
    )
    return {**res, "ratio": ratio, "ratio_no_cache": ratio_cold, "target": 1.2, "met": ratio <= 1.2}


# --- 2. figures ------------------------------------------------------------------------------------
NO_CHANGE_PROBE = """
import sys, os
from mkdocs.config import load_config
from mkdocs.commands.build import build
cfg = load_config("mkdocs.yml", site_dir=sys.argv[1])
cfg.plugins.on_startup(command="build", dirty=False)
build(cfg)
cfg.plugins.on_shutdown()
print("matplotlib" in sys.modules)
"""


def bench_figures(work: Path, runs: int) -> dict:
    book = copy_book(work / "book-fig")
    ensure_figures(book)  # the cache is fresh: nothing to redraw
    index = json.loads((book / ".cache/figures/index.json").read_text())
    stamp = {p.name: p.stat().st_mtime_ns for p in (book / ".cache/figures").glob("*.svg")}
    out = subprocess.run(
        [PY, "-c", NO_CHANGE_PROBE, str(work / "site-fig")], cwd=book, env=ENV, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    imported = out.stdout.strip().splitlines()[-1] == "True"
    redrawn = [n for n, t in stamp.items() if (book / ".cache/figures" / n).stat().st_mtime_ns != t]
    rendered_msgs = [line for line in out.stderr.splitlines() if "rendered" in line]

    def render(jobs: int) -> Callable[[], float]:
        def run() -> float:
            start = time.perf_counter()
            subprocess.run(
                [PY, "build_figures.py", "--force", "--jobs", str(jobs)],
                cwd=book,
                env=ENV,
                check=True,
                capture_output=True,
            )
            return time.perf_counter() - start

        return run

    res = median_of(runs, {"one_process": render(1), "two_processes": render(2)})
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


# --- 3. author loop under mkdocs serve -------------------------------------------------------------
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
    sys.path.insert(0, str(ROOT))
    from macros import format as fmt

    raw = {m["id"]: m for m in tomllib.loads((book / "data/models.toml").read_text())["models"]}
    tok = raw[EDIT_MODEL]["tokens"]
    scale = {"1": 1, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
    return fmt.text(6 * params_b * 1e9 * tok["value"] * scale[tok.get("unit", "1")], "flop")


def bench_serve(work: Path, runs: int) -> dict:
    book = copy_book(work / "book-serve")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    serve_log = (work / "serve.log").open("w")
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
        deadline = time.time() + 120
        while _get(url + EDIT_PAGE) is None:
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"mkdocs serve did not start:\n{(work / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.1)
        time.sleep(1.0)
        for i in range(runs):
            value = round(base_value + 0.01 * (i + 1) * (1 if i % 2 == 0 else -1), 2)
            expected = _flops_text(book, value)
            old_page = html.unescape((_get(url + EDIT_PAGE) or b"").decode())
            if expected in old_page:
                raise SystemExit(f"bench: {expected!r} is already on the page; pick another edit")
            old_svg = _get(url + EDIT_FIGURE)
            text = original[: m.start(2)] + f"{value}" + original[m.end(2) :]
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
            page_times.append(page_t)
            fig_times.append(fig_t if fig_t is not None else float("nan"))
            time.sleep(3.0)  # let the rebuild that follows the new chart finish before the next edit
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        serve_log.close()
    builds = [
        float(x) for x in re.findall(r"Documentation built in ([0-9.]+) seconds", (work / "serve.log").read_text())
    ]
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


# --- 4. scale ------------------------------------------------------------------------------------------
def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def models_toml(models: list[dict]) -> str:
    out = []
    for m in models:
        out.append("[[models]]")
        out += [f"{k} = {_toml_value(v)}" for k, v in m.items() if k != "arch"]
        if "arch" in m:
            out.append("[models.arch]")
            out += [f"{k} = {_toml_value(v)}" for k, v in m["arch"].items()]
        out.append("")
    return "\n".join(out)


def synthetic_models(n: int) -> list[dict]:
    """``n`` models: the real ones first, then copies with unique ids and perturbed tokens and dates."""
    real = tomllib.loads((ROOT / "data/models.toml").read_text())["models"]
    out = []
    for k in range(n):
        base = real[k % len(real)]
        rep = k // len(real)
        if rep == 0:
            out.append(base)
            continue
        m = json.loads(json.dumps(base, default=str))  # deep copy; dates come back as text
        m["id"] = f"{base['id']}-x{rep}"
        m["name"] = f"{base['name']} x{rep}"
        m["released"] = base["released"] + dt.timedelta(days=rep % 300)
        tok = m["tokens"]
        if "value" in tok:
            tok["value"] = round(tok["value"] * (1 + ((k * 7919) % 201 - 100) / 1000), 6)
        out.append(m)
    return out


# Mark the charts as drawn for the synthetic data (real SVGs reused, the planner's hashes in the
# index), so that a build redraws nothing; build_figures itself then writes CSVs and index.
STUB_FIGURES = """
import json, shutil, sys
from pathlib import Path
import build_figures as b
from macros.data import load
src, out = Path(sys.argv[1]), b.OUT
out.mkdir(parents=True, exist_ok=True)
book = load("data")
index = {}
for f in b.plan(book):
    for name in (f"{f.name}.svg", f"{f.name}-dark.svg"):
        if (src / name).exists():
            shutil.copy2(src / name, out / name)
    index[f.name] = {"hash": f.digest()}
(out / "index.json").write_text(json.dumps(index))
drawn = b.render_changed(book, jobs=1, quiet=True)
print(drawn)
"""


def bench_scale(work: Path, runs: int, sizes: list[int]) -> dict:
    real_n = len(tomllib.loads((ROOT / "data/models.toml").read_text())["models"])
    results = {}
    books = {}
    for n in [real_n, *sizes]:
        book = copy_book(work / f"book-{n}")
        if n != real_n:
            (book / "data/models.toml").write_text(models_toml(synthetic_models(n)))
            # Charts are not redrawn for synthetic data (their cost is measured in [2]); the planner still runs.
            out = subprocess.run(
                [PY, "-c", STUB_FIGURES, str(ROOT / ".cache/figures")],
                cwd=book,
                env=ENV,
                capture_output=True,
                text=True,
            )
            if out.returncode:
                raise SystemExit(out.stderr[-3000:])
        books[n] = book
    first = {}
    for n, book in books.items():
        first[n] = build(book, work / f"site-{n}")  # the first build after the data changed
        res = median_of(runs, {"build": lambda book=book, n=n: build(book, work / f"site-{n}")})
        results[n] = {**res["build"], "first": round(first[n], 3)}
        log(
            f"[4] scale: {n} models: first build {fmt_s(first[n])}, then {fmt_s(res['build']['median'])} {res['build']['runs']}"
        )
    largest = max(results)
    heavy = sorted(
        (
            (p.stat().st_size, p.relative_to(work / f"site-{largest}").as_posix())
            for p in (work / f"site-{largest}").rglob("*.html")
        ),
        reverse=True,
    )[:3]
    log(f"[4] scale: heaviest pages at {largest} models: " + ", ".join(f"{name} {size:,} B" for size, name in heavy))
    xs = [math.log(n) for n in results]
    ys = [math.log(r["median"]) for r in results.values()]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    ratio = results[largest]["median"] / results[real_n]["median"]
    log(
        f"[4] scale: {largest} models / {real_n} models = {ratio:.2f}x (target <= 3x at 30,000); "
        f"growth exponent {slope:.3f}"
    )
    return {
        "models": {str(n): r for n, r in results.items()},
        "heaviest_pages": {name: size for size, name in heavy},
        "base_models": real_n,
        "largest": largest,
        "ratio": ratio,
        "exponent": slope,
        "target": 3.0,
        "met": ratio <= 3.0 if largest >= 30000 else None,
    }


# --- 5. page weight ------------------------------------------------------------------------------------
class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (
            tag == "link"
            and a.get("href")
            and {"stylesheet", "icon", "preload", "modulepreload"} & set((a.get("rel") or "").split())
        ):
            self.refs.append(("asset", a["href"]))
        elif tag == "script" and a.get("src"):
            self.refs.append(("asset", a["src"]))
        elif tag in ("img", "source", "video", "audio", "iframe", "embed") and a.get("src"):
            src = a["src"].split("#")[0]
            self.refs.append(("figure" if src.endswith(".svg") and "figures/" in src else "asset", a["src"]))


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")


def page_weight(site: Path, page: str) -> dict:
    """Bytes a first visit fetches: the HTML, its CSS (with what the CSS pulls in), scripts, images.

    Only one of each light/dark figure pair is fetched (the other is hidden and lazy).
    Any reference with a scheme or host, other than in-page links, is an external request.
    """
    html_file = site / page
    parser = _Refs()
    parser.feed(html_file.read_text(encoding="utf-8"))
    base_url = "http://site.invalid/" + page
    seen: set[Path] = set()
    external: list[str] = []
    sizes = {"html": html_file.stat().st_size, "asset": 0, "figure": 0}

    def add(kind: str, ref: str, from_url: str) -> None:
        absolute = urljoin(from_url, ref)
        parts = urlsplit(absolute)
        if parts.scheme == "data":
            return
        if parts.netloc != "site.invalid":
            external.append(ref)
            return
        path = site / parts.path.lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path in seen or not path.exists():
            return
        seen.add(path)
        sizes[kind] += path.stat().st_size
        if path.suffix == ".css":
            for m in _CSS_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
                add(kind, m.group(1) or m.group(2), absolute)

    for kind, ref in parser.refs:
        if kind == "figure" and "-dark.svg" in ref:
            continue
        add(kind, ref, base_url)
    return {
        **sizes,
        "without_figures": sizes["html"] + sizes["asset"],
        "total": sum(sizes.values()),
        "external": external,
    }


def bench_weight(work: Path) -> dict:
    book = copy_book(work / "book-weight")
    site = work / "site-weight"
    build(book, site)
    nav = _load_config(book / "mkdocs.yml")["nav"]
    pages = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, str):
                pages.append(item)
            elif isinstance(item, dict):
                for v in item.values():
                    walk(v) if isinstance(v, list) else pages.append(v)

    walk(nav)
    out = {}
    for src in pages:
        rel = "index.html" if src == "index.md" else src.removesuffix(".md") + "/index.html"
        out[src] = page_weight(site, rel)
    external = sorted({e for w in out.values() for e in w["external"]})
    # Material's search fetches its worker and the index once per visit to the site.
    search = {
        p.relative_to(site).as_posix(): p.stat().st_size
        for p in [site / "search/search_index.json", *sorted((site / "assets/javascripts/workers").glob("search*.js"))]
        if p.exists()
    }
    log("[5] page weight (first visit, bytes): page | without figures | with figures")
    for src, w in out.items():
        log(f"    {src:40} {w['without_figures']:>10,} {w['total']:>10,}")
    log(f"[5] plus, once per visit, search: {sum(search.values()):,} bytes ({', '.join(search)})")
    log(f"[5] requests leaving the site: {external or 'none'}")
    return {"pages": out, "search_once": search, "external": external, "met": not external}


# --- main ------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the book (see the module docstring).")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--only", default="overhead,figures,serve,scale,weight", help="comma-separated parts")
    parser.add_argument("--sizes", default="300,3000,30000", help="synthetic data set sizes")
    parser.add_argument("--quick", action="store_true", help="smoke test: 300 models, one run, no serve")
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument("--save", action="store_true", help="write the results to bench/results.json")
    args = parser.parse_args(argv)
    parts = args.only.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        args.runs, sizes = 1, [300]
        parts = [p for p in parts if p in ("scale", "weight", "overhead")]
    results: dict = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
        "runs": args.runs,
    }
    with tempfile.TemporaryDirectory(prefix="perf-bench-") as tmp:
        work = Path(tmp)
        steps = {
            "overhead": lambda: bench_overhead(work, args.runs),
            "figures": lambda: bench_figures(work, max(3, args.runs // 2) if not args.quick else 1),
            "serve": lambda: bench_serve(work, args.runs),
            "scale": lambda: bench_scale(work, max(3, args.runs // 2) if not args.quick else 1, sizes),
            "weight": lambda: bench_weight(work),
        }
        for name in parts:
            results[name] = steps[name]()
    dest = args.json or (str(ROOT / "bench/results.json") if args.save else None)
    if dest:
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        Path(dest).write_text(json.dumps(results, indent=1, default=str) + "\n")
        log(f"results written to {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
