"""MkDocs hook for ``mkdocs serve``: re-import the book's edited Python, keep serving the last good site.

- Each rebuild under serve runs in the same process, where ``macros/`` and ``build_figures.py``
  stay imported (and ``figures/``): the book's modules are dropped from ``sys.modules`` when their source changed,
  so an edit takes effect without a restart (an unchanged import is kept: re-importing costs
  ~0.2 s, most of a rebuild after a data edit).
- MkDocs 1.6 holds every request after a failed rebuild ("the server will appear stuck"), and a
  failure while rendering pages leaves a half-emptied output folder. Instead each good build is
  snapshotted with hard links, and a failed one puts the snapshot back: readers keep the last
  good site while the terminal shows the one-line error.
- The figure cache is watched: charts redrawn in the background (``hooks/publish.py``) trigger
  one more rebuild that publishes them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OWN_MODULES = ("macros", "figures", "build_figures")

# Under `mkdocs serve` each rebuild loads the hooks afresh, so what must outlive one build lives
# in the environment of the serving process (hooks/publish.py reads SERVING).
SERVING = "BOOK_SERVING"
SOURCES_STAMP = "BOOK_SOURCES_STAMP"


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
    server.builder = _keep_last_good(server.builder, Path(server.root))
    return server


def _keep_last_good(build, site: Path):
    import atexit
    import shutil

    snapshot = site.with_name(site.name + "-last-good")
    _copy_tree(site, snapshot)
    atexit.register(shutil.rmtree, snapshot, True)
    log = logging.getLogger("mkdocs.commands.serve")

    def builder() -> None:
        try:
            build()
        except (Exception, SystemExit):  # the build already logged its one-line error
            _copy_tree(snapshot, site)
            log.error("Still serving the last good build; fix the error above and save.")
            return
        _copy_tree(site, snapshot)

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
