"""Publish a reproduce bundle beside each citable chapter: ``<page>/reproduce-<slug>-<version>.zip``.

Bundles are published by ``make build`` and ``make deploy`` (``BOOK_BUNDLES=1``, set by
``scripts/build_site.py`` and ``scripts/citations.py``), not by every ``mkdocs build`` or ``serve``:
writing them costs about half a second, more than the rest of a warm build.

The bundle (``macros/reproduce.py``) holds the chapter's numbers, the data rows they read, the
book's code and a runner that recomputes every number and checks it against the page. The cite
block links it (``book_reproduce`` in the page context, read by ``overrides/partials/book-cite.html``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

_pages: dict[str, dict] = {}
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Constants the loader itself reads (macros/schema.py), whatever the chapter asks for.
LOADER_CONSTANTS = ("arch_tolerance",)


def _name(meta: dict) -> str | None:
    slug, version = str(meta.get("slug", "")), str(meta.get("version", ""))
    if not (SAFE_NAME.fullmatch(slug) and SAFE_NAME.fullmatch(version)):
        return None
    return f"reproduce-{slug}-{version}.zip"


def on_pre_build(config) -> None:
    _pages.clear()


def enabled() -> bool:
    return os.environ.get("BOOK_BUNDLES") == "1"


def _with_numbers() -> set[str]:
    """Pages that rendered at least one number (the ledger is complete once pages are rendered)."""
    from macros.ledger import LEDGER

    return {row["page"] for row in LEDGER.rows}


def on_page_context(context, page, config, nav):
    name = _name(page.meta) if "version" in page.meta and enabled() else None
    if name and page.file.src_uri in _with_numbers():
        context["book_reproduce"] = name
    if name:
        _pages[page.file.src_uri] = {
            "name": name,
            "url": page.url,
            "meta": {k: str(page.meta.get(k, "")) for k in ("title", "slug", "version")} | {"page": page.file.src_uri},
        }
    return context


def on_post_build(config) -> None:
    root = Path(config.config_file_path).resolve().parent
    site = Path(config.site_dir)
    numbers = site / "data" / "numbers.json"
    if not enabled() or not numbers.exists() or not _pages:
        return
    from macros import reproduce  # the vocabulary: only when bundles are made
    from macros.data import DataError, load

    rows = json.loads(numbers.read_text(encoding="utf-8"))["numbers"]
    try:
        book = load(root / "data", cache_dir=root / ".cache" / "data")
    except DataError as exc:
        raise PluginError(str(exc)) from None
    code = reproduce.code_files(root)
    data = reproduce.read_data(root / "data")
    for src, page in sorted(_pages.items()):
        page_rows = [r for r in rows if r["page"] == src]
        if not page_rows:  # a page without numbers has nothing to reproduce
            continue
        files = reproduce.bundle(book, data, page_rows, page["meta"], code, LOADER_CONSTANTS)
        out = site / page["url"] / page["name"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(reproduce.zip_bytes(files))
