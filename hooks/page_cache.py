"""MkDocs hook: reuse a page's HTML (and search entries) when its Markdown did not change.

Converting Markdown to HTML is the largest part of a rebuild (~0.4 s of ~1 s for the book).
After a data edit under ``mkdocs serve`` most pages render to the same Markdown as before
(an edit to one model changes the numbers of a few chapters), so the conversion is repeated
for nothing. This hook wraps MkDocs' ``Page.render`` with a cache in ``.cache/html``
(and Material's search entries, ``.cache/search``), both :class:`macros.store.DigestStore`.

What ``Page.render`` produces (HTML, table of contents, title, anchors, links to other pages'
anchors) is a pure function of the page's Markdown, its place in the site, the names of the
site's files (links are resolved against them), the Markdown configuration (``mkdocs.yml``),
the snippets it may append (``includes/``) and the versions of the packages. The cache key is
a digest of all of these. Links to anchors are still checked on every build, against every
page's anchors, cached or not. A render that logged a warning is never stored, so a strict
build fails the same way every time. MkDocs is pinned at 1.6.1 (frozen upstream): the fields
of ``Page`` that ``render`` sets are stable.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import logging
import os
import sys
from pathlib import Path

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros.store import DigestStore, digest  # noqa: E402

PACKAGES = ("mkdocs", "Markdown", "pymdown-extensions", "mkdocs-material")


def _tokens(items: list[AnchorLink]) -> list[dict]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _tokens(a.children)} for a in items]


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _state() -> dict:
    """What the wrappers share within one build (set by on_config; it outlives this module under serve)."""
    return Page.render.state  # type: ignore[attr-defined]


def _cached_render(self: Page, config, files) -> None:
    state = _state()
    original = _cached_render.original  # type: ignore[attr-defined]
    if not state.get("context") or self.markdown is None:
        return original(self, config, files)
    store: DigestStore = state["html"]
    key = digest(state["context"], state["files"], self.file.src_uri, self.url, self.markdown)
    hit = store.get(key)
    links = {}
    for src_uri, anchors in ((hit or {}).get("links") or {}).items():
        target = files.get_file_from_path(src_uri)
        if target is None:  # a page it links to is gone: convert again, and warn as MkDocs does
            hit = None
            break
        links[target] = anchors
    if hit is not None:
        self.content = hit["content"]
        self.toc = get_toc(hit["toc"])
        self._title_from_render = hit["title"]
        self.present_anchor_ids = set(hit["anchors"])
        if hit["links"] is not None:
            self.links_to_anchors = links
        return None
    # MkDocs' own loggers do not propagate to the root: listen on both.
    warnings = _Warnings()
    loggers = (logging.getLogger(), logging.getLogger("mkdocs"))
    for logger in loggers:
        logger.addHandler(warnings)
    try:
        original(self, config, files)
    finally:
        for logger in loggers:
            logger.removeHandler(warnings)
    if warnings.count:
        return None
    found = getattr(self, "links_to_anchors", None)
    entry = {
        "content": self.content,
        "toc": _tokens(list(self.toc)),
        "title": self._title_from_render,
        "anchors": sorted(self.present_anchor_ids or ()),
        "links": None if found is None else {f.src_uri: dict(a) for f, a in found.items()},
    }
    store.put(key, entry)
    return None


def _cached_search_entry(self, page) -> None:
    """Material's search index entries for a page, kept by digest of what they are made of.

    The search plugin parses every page's HTML on every build (~0.1 s for the book); its
    entries depend only on the page's HTML, table of contents, URL, title and front matter.
    """
    state = _state()
    original = _cached_search_entry.original  # type: ignore[attr-defined]
    if not state.get("context"):
        return original(self, page)
    store: DigestStore = state["search"]
    key = digest(
        state["context"],
        page.url,
        str(page.title),
        json.dumps(page.meta, sort_keys=True, default=str),
        json.dumps(_tokens(list(page.toc)), sort_keys=True),
        page.content or "",
    )
    entries = store.get(key)
    if isinstance(entries, list):
        self.entries.extend(entries)
        return None
    first = len(self.entries)
    original(self, page)
    store.put(key, self.entries[first:])
    return None


def _context(config, state: dict) -> str:
    # Reading package metadata costs ~10 ms; the versions cannot change within one process.
    versions = state.setdefault("versions", ";".join(f"{name}={md.version(name)}" for name in PACKAGES))
    parts = [versions, os.environ.get("MIKE_DOCS_VERSION", "")]
    paths = [Path(config.config_file_path)] + sorted(p for p in (ROOT / "includes").rglob("*") if p.is_file())
    for path in paths:
        parts += [path.as_posix(), path.read_text(encoding="utf-8", errors="replace")]
    return digest(*parts)


def on_config(config):
    if getattr(Page.render, "__name__", "") != "_cached_render":
        _cached_render.original = Page.render  # type: ignore[attr-defined]
        _cached_render.state = {}  # type: ignore[attr-defined]
        Page.render = _cached_render  # type: ignore[method-assign]
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:  # another theme: nothing to cache
        SearchIndex = None
    if SearchIndex is not None and SearchIndex.add_entry_from_context.__name__ != "_cached_search_entry":
        _cached_search_entry.original = SearchIndex.add_entry_from_context  # type: ignore[attr-defined]
        SearchIndex.add_entry_from_context = _cached_search_entry
    # Under serve this module is loaded afresh for each build; the wrapper installed by the
    # first build keeps its state, which each build resets here.
    state = _state()
    state.update(
        context=_context(config, state),
        files="",
        html=DigestStore(ROOT / ".cache" / "html"),
        search=DigestStore(ROOT / ".cache" / "search"),
    )
    return config


def on_files(files, config):
    _state()["files"] = "\n".join(sorted(f"{f.src_uri}\t{f.dest_uri}" for f in files))
    return files


def on_post_build(config):
    state = _state()
    for name in ("html", "search"):
        if name in state:
            state[name].prune()
