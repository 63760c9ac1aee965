"""MkDocs hook, opt-in: every patch of another project's internals the book uses for speed, and nothing else.

Without this file's line in ``mkdocs.yml`` the site builds to the same bytes, only slower;
``tests/build/test_speedups.py`` checks that, and that each patched internal keeps the shape it
was written for (versions as pinned in ``constraints.txt``). Restart ``mkdocs serve`` after
removing it: patches stay in a running process.

1. mkdocs-macros 1.5.0 ``context.get_git_info`` is not run (13 git processes a build); the book
   withdraws the ``git`` variable anyway (:mod:`macros.bridge`).
2. MkDocs 1.6.1 ``Page.render``: a page whose Markdown, place, file list and Markdown settings are
   unchanged reuses its HTML, toc, title and anchors (~0.4 s). Links to anchors are still checked
   every build; a render that warned is never stored (a strict build fails the same every time).
3. Material 9.8.1 ``SearchIndex.add_entry_from_context``: search entries by digest of what they
   are made of (~0.1 s).
4. Jinja 3.1.6 ``env.from_string`` of mkdocs-macros 1.5.0's environment: a page's template is
   compiled once; the theme's templates too (public ``on_env``, ``BytecodeCache``).
5. MkDocs 1.6.1 ``LiveReloadServer._watched_paths``/``_watch_refs``/``observer`` with watchdog
   7.1.0: under serve the OS reports a save (inotify) instead of a poll every 0.5 s (a third of
   the author loop); ``BOOK_SERVE_POLLING=1`` keeps polling (network file systems).
6. The cyclic garbage collector runs less often (~10 % of a build at the default threshold).
7. MkDocs 1.6.1 ``Files.add_files_from_theme``: the theme's static files, listed by walking
   every theme folder (Material's thousands of icons) and filtering each name, are listed once
   per process and again only when a theme folder outside the installed packages (``overrides/``)
   changes (~0.1 s of every rebuild under serve).

Entries go to the page cache (``.cache/pages``, :class:`macros.store.DigestStore`), kinds
``html``, ``search`` and ``jinja``.
"""

from __future__ import annotations

import gc

GC_THRESHOLD = (100_000, 50, 1000)
# 6. First thing, as this hook loads (it is the first listed in mkdocs.yml): a full collection
# falling due while the other hooks load cost ~30 ms of a warm build.
gc.set_threshold(*GC_THRESHOLD)

import base64  # noqa: E402
import hashlib  # noqa: E402
import importlib.metadata as md  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from jinja2.bccache import BytecodeCache  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.structure.toc import get_toc  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros.store import PAGES, DigestStore, digest  # noqa: E402

PACKAGES = ("mkdocs", "Markdown", "pymdown-extensions", "mkdocs-material", "Jinja2")
# Under serve this module is loaded afresh for each build; the wrappers installed by the first
# build read the state of the current one from here.
STATE: dict = sys.modules.setdefault("book_speedups_state", type(sys)("book_speedups_state")).__dict__


class StoreBytecode(BytecodeCache):
    """Jinja's compiled templates in the page cache (public ``BytecodeCache`` API of Jinja 3.1)."""

    def __init__(self, store: DigestStore) -> None:
        self.store = store

    def load_bytecode(self, bucket) -> None:
        if (code := self.store.get(digest(bucket.key, bucket.checksum))) is not None:
            bucket.bytecode_from_string(base64.b64decode(code))

    def dump_bytecode(self, bucket) -> None:
        self.store.put(digest(bucket.key, bucket.checksum), base64.b64encode(bucket.bytecode_to_string()).decode())


# --- 2. Page.render (MkDocs 1.6.1) ---------------------------------------------------------------
def _tokens(items) -> list[dict]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _tokens(a.children)} for a in items]


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _cached_render(self: Page, config, files) -> None:
    if not STATE.get("context") or self.markdown is None:
        return _cached_render.original(self, config, files)  # type: ignore[attr-defined]
    store: DigestStore = STATE["html"]
    key = digest(STATE["context"], STATE["files"], self.file.src_uri, self.url, self.markdown)
    hit, links = store.get(key), {}
    for src_uri, anchors in ((hit or {}).get("links") or {}).items():
        if (target := files.get_file_from_path(src_uri)) is None:  # a linked page is gone: convert, warn
            hit = None
            break
        links[target] = anchors
    if hit is not None:
        self.content, self.toc = hit["content"], get_toc(hit["toc"])
        self._title_from_render = hit["title"]
        self.present_anchor_ids = set(hit["anchors"])
        if hit["links"] is not None:
            self.links_to_anchors = links
        return None
    warnings, loggers = _Warnings(), (logging.getLogger(), logging.getLogger("mkdocs"))  # mkdocs does not propagate
    for logger in loggers:
        logger.addHandler(warnings)
    try:
        _cached_render.original(self, config, files)  # type: ignore[attr-defined]
    finally:
        for logger in loggers:
            logger.removeHandler(warnings)
    if not warnings.count:
        found = getattr(self, "links_to_anchors", None)
        store.put(
            key,
            {
                "content": self.content,
                "toc": _tokens(list(self.toc)),
                "title": self._title_from_render,
                "anchors": sorted(self.present_anchor_ids or ()),
                "links": None if found is None else {f.src_uri: dict(a) for f, a in found.items()},
            },
        )
    return None


# --- 3. SearchIndex.add_entry_from_context (Material 9.8.1) --------------------------------------
def _cached_search_entry(self, page) -> None:
    if not STATE.get("context"):
        return _cached_search_entry.original(self, page)  # type: ignore[attr-defined]
    store: DigestStore = STATE["search"]
    meta = json.dumps(page.meta, sort_keys=True, default=str)
    toc = json.dumps(_tokens(list(page.toc)), sort_keys=True)
    key = digest(STATE["context"], page.url, str(page.title), meta, toc, page.content or "")
    if isinstance(entries := store.get(key), list):
        self.entries.extend(entries)
        return None
    first = len(self.entries)
    _cached_search_entry.original(self, page)  # type: ignore[attr-defined]
    store.put(key, self.entries[first:])
    return None


# --- 7. Files.add_files_from_theme (MkDocs 1.6.1) -------------------------------------------------
def _theme_key(config) -> str:
    """The theme's folders and static templates, and every file and folder of the theme folders
    that are not installed packages, with their mtimes (an installed theme changes only with a restart)."""
    installed = Path(sys.prefix).resolve()
    parts = [repr(list(config.theme.dirs)), repr(sorted(config.theme.static_templates))]
    for top in config.theme.dirs:
        if Path(top).resolve().is_relative_to(installed):
            continue
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            parts += [f"{folder}/{n}:{os.stat(os.path.join(folder, n)).st_mtime_ns}" for n in sorted(files)]
            parts.append(f"{folder}:{os.stat(folder).st_mtime_ns}")
    return digest(*parts)


def _cached_theme_files(self, env, config) -> None:
    listed: dict = STATE.setdefault("theme_files", {})
    key, listing = _theme_key(config), env.list_templates

    def list_templates(extensions=None, filter_func=None):  # what MkDocs asks: the filtered list
        if key not in listed:
            listed.clear()
            listed[key] = listing(extensions=extensions, filter_func=filter_func)
        return list(listed[key])

    env.list_templates = list_templates
    try:
        return _cached_theme_files.original(self, env, config)  # type: ignore[attr-defined]
    finally:
        del env.list_templates


def _install(owner: type, name: str, wrapper) -> None:
    if getattr(getattr(owner, name), "__name__", "") != wrapper.__name__:
        wrapper.original = getattr(owner, name)
        setattr(owner, name, wrapper)


def _context(config) -> str:
    # Reading package metadata costs ~10 ms; the versions cannot change within one process.
    versions = STATE.setdefault("versions", ";".join(f"{n}={md.version(n)}" for n in PACKAGES))
    parts = [versions, os.environ.get("MIKE_DOCS_VERSION", "")]
    paths = [Path(config.config_file_path)] + sorted(p for p in (ROOT / "includes").rglob("*") if p.is_file())
    for path in paths:
        parts += [path.as_posix(), path.read_text(encoding="utf-8", errors="replace")]
    return digest(*parts)


@event_priority(100)  # before mkdocs-macros' on_config collects the git information
def on_config(config):
    from mkdocs_macros import context  # 1. mkdocs-macros 1.5.0

    context.get_git_info = lambda: {}
    _install(Page, "render", _cached_render)
    _install(Files, "add_files_from_theme", _cached_theme_files)
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:  # another theme: nothing to cache
        SearchIndex = None
    if SearchIndex is not None:
        _install(SearchIndex, "add_entry_from_context", _cached_search_entry)
    STATE.update(
        context=_context(config),
        files="",
        **{kind: DigestStore(ROOT / PAGES, kind) for kind in ("html", "search", "jinja")},
    )
    return config


# --- 4. Jinja: page templates (mkdocs-macros 1.5.0's env.from_string) and theme templates ---------
def _page_template_key(source: str) -> str:
    return hashlib.sha256(f"{STATE['settings']}\0{source}".encode()).hexdigest()


def _settings(env) -> str:
    """Everything in the environment the compiler reads (names, not reprs: those hold addresses)."""

    def name(x: object) -> str:
        return getattr(x, "__qualname__", None) or repr(x)

    strings = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string")
    strings += ("comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix")
    strings += ("trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline")
    compiler = [env.optimized, name(env.autoescape), name(env.undefined), name(env.finalize), sorted(env.extensions)]
    return repr(([getattr(env, a) for a in strings], compiler, sorted(env.filters), sorted(env.tests)))


def on_pre_build(config):
    if "macros" not in config.plugins:  # a site without mkdocs-macros (the benchmark's baseline)
        return
    env = config.plugins["macros"].env
    bcc, STATE["settings"] = StoreBytecode(STATE["jinja"]), _settings(env)
    env.bytecode_cache = bcc  # the partials pages include (includes/)

    def from_string(source, globals=None, template_class=None):
        bucket = bcc.get_bucket(env, _page_template_key(source), None, source)
        if bucket.code is None:
            bucket.code = env.compile(source)  # a page that does not compile raises here: never stored
            bcc.set_bucket(bucket)
        cls = template_class or env.template_class
        return cls.from_code(env, bucket.code, env.make_globals(globals), None)

    env.from_string = from_string


@event_priority(50)  # before mkdocs-macros renders the page: its compiled template stays in the cache
def on_page_markdown(markdown, page, config, files):
    if "settings" in STATE:
        store: DigestStore = STATE["jinja"]
        bcc = StoreBytecode(store)
        name = _page_template_key(markdown)
        store.used.add(digest(bcc.get_cache_key(name), bcc.get_source_checksum(markdown)))
    return markdown


def on_env(env, config, files):
    env.bytecode_cache = StoreBytecode(STATE["jinja"])
    return env


@event_priority(-100)  # after every hook that adds files: the list the converted pages' links were checked against
def on_files(files, config):
    STATE["files"] = "\n".join(sorted(f"{f.src_uri}\t{f.dest_uri}" for f in files))
    return files


def on_post_build(config):
    for kind in ("html", "search", "jinja"):
        STATE[kind].prune()


# --- 5. the live-reload server (MkDocs 1.6.1) -------------------------------------------------------
@event_priority(-100)  # after hooks/serve.py has added what it watches
def on_serve(server, config, builder):
    if os.environ.get("BOOK_SERVE_POLLING") == "1":
        return server
    from watchdog import events
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    # Changes only: the OS also reports every read, and each build reads the watched files.
    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent]
    changes += [events.FileMovedEvent, events.FileClosedEvent]

    class ChangesObserver(Observer):
        def schedule(self, handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            kw = {"recursive": recursive, "event_filter": event_filter or changes, "follow_symlink": follow_symlink}
            return super().schedule(handler, path, **kw)

    paths, polling = dict(server._watched_paths), server.observer

    def watch_all(observer) -> None:
        server._watched_paths.clear()
        server._watch_refs.clear()
        server.observer = observer
        for path, count in paths.items():
            for _ in range(count):
                server.watch(path)

    for ref in list(server._watch_refs.values()):
        polling.unschedule(ref)
    try:
        watch_all(ChangesObserver())
    except OSError:  # e.g. the inotify watch limit: poll as MkDocs does
        watch_all(PollingObserver(timeout=polling.timeout))
        return server
    server.build_delay = 0.05  # events arrive at once; only bursts (a save as several writes) need it
    return server
