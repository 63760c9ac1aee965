"""MkDocs hook: publish the charts and the data downloads into the site.

- ``on_pre_build``: redraw the charts whose inputs changed (``build_figures``) into the
  git-ignored ``.cache/figures`` (never ``docs/``: a hook that writes into ``docs/`` makes serve
  rebuild forever). Under ``mkdocs serve`` the redraw runs in a background process so that a
  data edit reaches the page first; the charts follow from the figure worker that
  ``hooks/serve.py`` runs (it watches the figure cache).
- ``on_files``: add every chart (light and dark SVG, CSV) under ``figures/``, and
  ``data/models.json``, ``data/models.csv`` and ``data/numbers.json`` (the last is filled in by
  :mod:`macros` after the pages rendered, when the ledger of numbers is complete). The first two
  are kept in the page cache (kind ``exports``) for the digest of the data and the book's Python.
A constant the charts or the exports need but ``data/`` lacks stops the build with one line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SERVING = "BOOK_SERVING"  # set by hooks/serve.py under `mkdocs serve`


def _exports(book, exports) -> dict[str, str]:
    """``models.json`` and ``models.csv``: files of the site, kept in the page cache for the book's digest.

    They depend only on the data and the book's Python (``book.digest``); at tens of thousands of
    models writing them takes seconds, and most builds do not change the data.
    """
    from macros.store import PAGES, DigestStore

    store = DigestStore(ROOT / PAGES, "exports")
    hit = store.get(book.digest) if book.digest else None
    if isinstance(hit, dict) and set(hit) == {"models.json", "models.csv"}:
        out = hit
    else:
        out = {"models.json": exports.models_json(book), "models.csv": exports.models_csv(book)}
        if book.digest:
            store.put(book.digest, out)
    store.prune()
    return out


def on_pre_build(config):
    import build_figures
    from macros.data import DataError

    book = config.plugins["macros"].variables["book"]
    if build_figures.up_to_date(book):  # same data, code and matplotlib as the last render
        return
    if os.environ.get(SERVING) and (build_figures.OUT / "index.json").exists():
        # Pages are built with the charts as they are; the figure worker of hooks/serve.py
        # re-plans and redraws what changed in the background (at tens of thousands of models
        # planning alone takes seconds).
        return
    try:
        build_figures.render_changed(book, jobs=None, quiet=False)
    except DataError as exc:  # e.g. a constant a figure needs is missing
        raise PluginError(str(exc)) from None
    except Exception as exc:  # anything else (a chart that fails, a full disk): one line, no traceback
        raise PluginError(build_figures.one_line(exc)) from None


def on_files(files: Files, config) -> Files:
    import build_figures
    from macros import exports
    from macros.data import DataError
    from macros.errors import MacroError

    for path in build_figures.published_files():
        files.append(File.generated(config, f"figures/{path.name}", abs_src_path=str(path)))
    book = config.plugins["macros"].variables["book"]
    try:
        published = _exports(book, exports)
    except (DataError, MacroError) as exc:  # e.g. a constant the exports need is missing
        raise PluginError(f"data/models.json: {exc}") from None
    for name, text in published.items():
        files.append(File.generated(config, f"data/{name}", content=text))
    files.append(File.generated(config, "data/numbers.json", content=exports.numbers_json([])))
    return files
