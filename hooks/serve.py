"""MkDocs hook for ``mkdocs serve``: re-import the book's edited Python, redraw charts in a resident worker, keep serving the last good site.

- Each rebuild under serve runs in the same process, where ``macros/`` and ``build_figures.py``
  stay imported (and ``figures/``): the book's modules are dropped from ``sys.modules`` when their
  source changed, so an edit takes effect without a restart (an unchanged import is kept:
  re-importing costs ~0.2 s, most of a rebuild after a data edit).
- Charts: a figure worker (``hooks/figure_worker.py``) starts with the server, imports matplotlib
  once and redraws the charts whose inputs changed, asked once the rebuild that shows the new
  numbers is done; while a rebuild runs, the worker's processes are paused (SIGSTOP/SIGCONT of
  its process group), so a rebuild never waits for the charts nor shares the processor with them. It writes each chart as soon as it is drawn into the watched figure cache; a rebuild that
  finds nothing changed but chart files (same sources, same chart index) copies them into the
  served site instead of building, and the browsers reload. The worker is restarted when the
  book's Python changes, stopped with the server, and always reaped.
- MkDocs 1.6 holds every request after a failed rebuild ("the server will appear stuck"), and a
  failure while rendering pages leaves a half-emptied output folder. Instead each good build is
  snapshotted with hard links, and a failed one puts the snapshot back: readers keep the last
  good site while the terminal shows the one-line error (an exception MkDocs does not report
  itself is reported here, as one line; ``BOOK_DEBUG=1`` prints its traceback).
- A chart that fails to draw is one line (recorded by the worker): the next rebuild stops with it
  until the data or code it failed for changes.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import sys
from pathlib import Path
from types import ModuleType

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OWN_MODULES = ("macros", "figures", "build_figures")

# MkDocs 1.6 loads each hook file once per process (an edited hook needs a restart of serve); what
# must outlive one build still lives in a module of its own, so that it never depends on that
# (and, for hooks/publish.py, in the environment: SERVING).
SERVING = "BOOK_SERVING"
SOURCES_STAMP = "BOOK_SOURCES_STAMP"
BUILD_STATUS = "BOOK_SERVE_BUILD"  # hooks/serve_errors.py: "pending" while a rebuild runs
FAILED = "failed.json"  # the figure worker's record of a failure (hooks/figure_worker.py)
STATE: dict = sys.modules.setdefault("book_serve_state", ModuleType("book_serve_state")).__dict__
SOURCES = ("docs", "data", "macros", "figures", "includes", "overrides", "hooks", "mkdocs.yml", "build_figures.py")
log = logging.getLogger("mkdocs.commands.serve")


def _sources_stamp() -> str:
    """Sizes and mtimes of the book's own Python: a change means its modules must be re-imported."""
    paths = sorted((ROOT / "macros").rglob("*.py")) + sorted((ROOT / "figures").glob("*.py"))
    paths.append(ROOT / "build_figures.py")
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in paths if p.exists())


@event_priority(100)  # before mkdocs-macros imports the macros package
def on_config(config):
    stamp = _sources_stamp()
    if os.environ.get(SOURCES_STAMP) != stamp:
        for name in list(sys.modules):
            if name.split(".")[0] in OWN_MODULES:
                del sys.modules[name]
        os.environ[SOURCES_STAMP] = stamp
    return config


def on_serve(server, config, builder):
    import build_figures

    os.environ[SERVING] = "1"
    server.watch(str(build_figures.OUT))
    _worker()
    atexit.register(_stop_worker)
    _stop_worker_on(signal.SIGTERM)
    watched = [ROOT / p for p in SOURCES] + [Path(p) for p in config.watch]
    server.builder = _keep_last_good(server.builder, Path(server.root), sorted(set(watched)))
    return server


def on_pre_build(config):
    """Under serve: ask the worker for the charts the data or code now need; stop on a recorded failure."""
    if not os.environ.get(SERVING) or "worker" not in STATE:
        return
    import build_figures

    book = config.plugins["macros"].variables["book"]
    if build_figures.up_to_date(book):
        return
    _worker()  # restarted now if the book's Python changed
    STATE["charts_wanted"] = True  # asked for once this build is served: the charts never slow it down
    failed = _failure(build_figures.OUT)
    if failed.get("error") and failed.get("inputs") == build_figures._inputs_key(book):
        raise PluginError(str(failed["error"]))


def _failure(out: Path) -> dict:
    try:
        doc = json.loads((out / FAILED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


# --- the figure worker ------------------------------------------------------------------------------
def _worker():
    """The running worker; a new one when there is none, it died, or the book's Python changed."""
    worker = STATE.get("worker")
    if worker is not None and (worker.proc.poll() is not None or worker.stamp != os.environ.get(SOURCES_STAMP)):
        worker.stop()
        worker = None
    if worker is None:
        worker = STATE["worker"] = _worker_module().Worker(os.environ.get(SOURCES_STAMP), log)
    return worker


def _worker_module() -> ModuleType:
    """``hooks/figure_worker.py``, loaded once per process (its parent side: class ``Worker``)."""
    if (module := sys.modules.get("book_figure_worker")) is None:
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "book_figure_worker", Path(__file__).with_name("figure_worker.py")
        )
        module = sys.modules["book_figure_worker"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def _stop_worker() -> None:
    if (worker := STATE.pop("worker", None)) is not None:
        worker.stop()


def _stop_worker_on(signum: int) -> None:
    """Stop the worker before ``signum`` ends the server as it would have (no ``atexit`` runs then).

    The worker may be paused by a rebuild (SIGSTOP): a signal from its parent's death would wait
    in a stopped process for ever. Stopping it here continues it first.
    """
    previous = signal.getsignal(signum)

    def stop(sig: int, frame: object) -> None:
        _stop_worker()
        signal.signal(sig, previous if callable(previous) else signal.SIG_DFL)
        os.kill(os.getpid(), sig)

    signal.signal(signum, stop)


# --- the builder: last good site, charts without a build ------------------------------------------
def _stamp(paths: list[Path]) -> tuple:
    """Every watched source file (chart cache aside) with its size and mtime."""
    out = []
    for top in paths:
        if top.is_file():
            st = top.stat()
            out.append((str(top), st.st_size, st.st_mtime_ns))
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                out.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _charts_state() -> tuple[bytes, ...]:
    """What the pages read of the chart cache (index: titles, alt text, hashes) and the worker's failure record."""
    import build_figures

    return tuple(
        (build_figures.OUT / n).read_bytes() if (build_figures.OUT / n).exists() else b""
        for n in ("index.json", FAILED)
    )


def _publish_charts(site: Path, snapshot: Path) -> bool:
    """Copy the chart files that changed into the served site (and its snapshot); False if a build is needed."""
    import build_figures

    changed = []
    for path in build_figures.published_files():
        served = site / "figures" / path.name
        if not served.is_file():
            return False
        data = path.read_bytes()
        if served.read_bytes() != data:
            changed.append((path.name, data))
    for name, data in changed:
        for folder in (site, snapshot):
            tmp = folder / "figures" / f".{name}.tmp"
            tmp.write_bytes(data)
            tmp.replace(folder / "figures" / name)
    return True


def _keep_last_good(build, site: Path, watched: list[Path]):
    import shutil

    snapshot = site.with_name(site.name + "-last-good")
    _copy_tree(site, snapshot)
    atexit.register(shutil.rmtree, snapshot, True)

    def builder() -> None:
        inputs = (_stamp(watched), _charts_state())
        if STATE.get("last_good") == inputs and _publish_charts(site, snapshot):
            if os.environ.get(BUILD_STATUS) == "pending":  # nothing but charts changed: the last build stands
                os.environ[BUILD_STATUS] = "built"
            return
        STATE["last_good"] = None
        worker = STATE.get("worker")
        if worker is not None:  # charts still drawing wait for the new numbers
            worker.pause(True)
        try:
            build()
        except (Exception, SystemExit) as exc:
            if not isinstance(exc, Abort | SystemExit):  # MkDocs logs its own errors, not an exception's
                if os.environ.get("BOOK_DEBUG"):
                    log.exception("the rebuild failed")
                import build_figures

                log.error(build_figures.one_line(exc))
            _copy_tree(snapshot, site)
            log.error("Still serving the last good build; fix the error above and save.")
        else:
            STATE["last_good"] = inputs
            _copy_tree(site, snapshot)
        finally:
            if worker is not None:
                worker.pause(False)
            if STATE.pop("charts_wanted", False):
                _worker().request()

    return builder


def _copy_tree(src: Path, dest: Path) -> None:
    """Make ``dest`` a hard-linked copy of ``src`` (``dest`` itself is kept: it may be a server root)."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for child in dest.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    for child in src.iterdir():
        target = dest / child.name
        if child.is_dir():
            shutil.copytree(child, target, copy_function=os.link)
        else:
            os.link(child, target)
