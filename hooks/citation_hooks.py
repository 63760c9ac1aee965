"""MkDocs hooks for citable chapters: the "Cite this chapter" data, the citation lock, the changelog.

- ``on_page_markdown``: the changelog page's ``<!-- releases -->`` marker becomes the list of
  releases, generated from ``releases/*.lock.json``.
- ``on_page_content``: observe what the reader sees on each citable page (text with tooltips,
  embedded figures' bytes, the numbers from the ledger); see :mod:`macros.citelock`.
- ``on_page_context``: give the theme ``book_citation`` (plain text, BibTeX, CSL-JSON) for
  ``overrides/partials/book-cite.html``.
- ``on_post_build``: publish ``data/citations.json`` and compare with ``citations.lock.json``;
  a chapter that changed but kept its version fails the build. A release build (under mike)
  also needs the lock to be up to date.

The release comes from ``MIKE_DOCS_VERSION`` (set by ``mike deploy``), else ``extra.book_release``;
permanent URLs start at ``extra.book_base_url``, never at the ``site_url`` that mike rewrites.
``BOOK_CITATIONS=report`` observes without failing (used by ``scripts/citations.py``).
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.citations")
MARKER = "<!-- releases -->"

_state: dict = {}


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def release(config) -> str | None:
    return os.environ.get("MIKE_DOCS_VERSION") or config.extra.get("book_release") or None


# What the slow steps computed for a page's HTML (visible text, images) and for a citation's
# code blocks (Pygments), by digest of their input (a macros.store.DigestStore in
# .cache/citations): ~0.1 s per build, the same each time unless the page changed.
def _cached(kind: str, parts: tuple[str, ...], compute):
    from macros.store import digest

    store = _state["cache"]
    key = f"{kind}-{digest(*parts)}"
    value = store.get(key)
    if value is None:
        value = compute()
        store.put(key, value)
    return value


def on_pre_build(config) -> None:
    from macros.store import DigestStore

    _state.clear()
    _state.update(pages={}, skip=set(), cache=DigestStore(_root(config) / ".cache" / "citations"))


class _Visible(HTMLParser):
    """Visible text plus ``title`` tooltips, whitespace collapsed, scripts and styles dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if a.get("title"):
            self.parts.append(f"[{a['title']}]")
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _citable(page) -> bool:
    return "version" in page.meta and page.file.src_uri not in _state.get("skip", set())


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    from macros import citelock

    _state.setdefault("skip", set()).add(page.file.src_uri)
    here = posixpath.dirname(page.file.src_uri)

    def link(src: str) -> str | None:
        return posixpath.relpath(src, here or ".") if files.get_file_from_path(src) else None

    try:
        releases = citelock.read_releases(_root(config) / citelock.RELEASES_DIR)
    except citelock.LockError as exc:
        raise PluginError(f"{citelock.RELEASES_DIR}/{exc}") from None
    return markdown.replace(MARKER, citelock.changelog_markdown(releases, link))


def on_page_content(html_text: str, page, config, files) -> str:
    if not _citable(page):
        return html_text
    from macros import citelock, ledger

    def visible() -> list:
        parser = _Visible()
        parser.feed(html_text)
        return [parser.text(), parser.images]

    text, images = _cached("page", (html_text,), visible)
    figures = {}
    base = posixpath.dirname(page.url.rstrip("/") + "/x") if page.url else ""
    for src in images:
        if "://" in src or src.startswith("data:"):
            continue
        path = posixpath.normpath(posixpath.join(base, src.split("#")[0].split("?")[0]))
        f = files.get_file_from_path(path)
        if f is not None:
            figures[path] = citelock.sha256(f.content_bytes)
    rows = [r for r in ledger.LEDGER.rows if r["page"] == page.file.src_uri]
    version = page.meta["version"]
    if not isinstance(version, str):
        raise PluginError(
            f"docs/{page.file.src_uri}: front matter field 'version' must be a quoted string, e.g. \"1.2\""
        )
    slug = str(page.meta.get("slug") or page.file.src_uri)
    if slug in _state["pages"]:
        raise PluginError(
            f"docs/{page.file.src_uri}: slug {slug!r} is also used by docs/{_state['pages'][slug]['src']}"
        )
    _state["pages"][slug] = citelock.page_record(
        page.file.src_uri,
        page.url,
        str(page.meta.get("title") or page.title or slug),
        version,
        text,
        figures,
        citelock.numbers_by_expression(rows),
    )
    return html_text


def _highlight(code: str, lexer_name: str) -> str:
    return _cached("code", (lexer_name, code), lambda: _pygments(code, lexer_name))


def _pygments(code: str, lexer_name: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    body = highlight(code, get_lexer_by_name(lexer_name), HtmlFormatter(nowrap=True))
    return f'<div class="highlight"><pre><span></span><code>{body}</code></pre></div>'


def on_page_context(context, page, config, nav):
    if not _citable(page):
        return context
    from macros import cite
    from macros.quantity import MacroError

    base_url = config.extra.get("book_base_url") or config.site_url or ""
    try:
        data = cite.chapter_citation(
            page.meta, page.url, config.site_name, base_url, release(config), page.file.src_uri
        )
    except MacroError as exc:
        raise PluginError(str(exc)) from None
    data["plain_html"] = _highlight(data["plain"], "text")
    data["bibtex_html"] = _highlight(data["bibtex"], "bibtex")
    data["csl_html"] = _highlight(data["csl_json"], "json")
    data["url_html"] = html.escape(data["url"], quote=True)
    context["book_citation"] = data
    return context


def on_post_build(config) -> None:
    from macros import citelock

    if "cache" in _state:
        _state["cache"].prune()

    observed = _state.get("pages", {})
    out = Path(config.site_dir) / "data" / "citations.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(citelock.lock_document(observed, release(config)), encoding="utf-8")

    lock_path = _root(config) / citelock.LOCK_FILE
    under_release = bool(os.environ.get("MIKE_DOCS_VERSION"))
    try:
        locked = citelock.read_lock(lock_path)
    except citelock.LockError as exc:
        raise PluginError(str(exc)) from None
    if locked is None:
        if under_release:
            raise PluginError(f"release {release(config)}: no {citelock.LOCK_FILE}; run `make lock` before deploying")
        log.info(f"citation lock: no {citelock.LOCK_FILE}, check skipped (`make lock` creates it)")
        return
    if os.environ.get("BOOK_CITATIONS") == "report":
        return
    changes = citelock.compare(locked, observed)
    unbumped = [c for c in changes if c.unbumped]
    if unbumped:
        raise PluginError("citation lock:\n" + "\n".join(citelock.unbumped_message(c) for c in unbumped))
    if changes:
        stale = ", ".join(f"{c.slug} {c.old_version or '(new)'} → {c.new_version or '(removed)'}" for c in changes)
        if under_release:
            raise PluginError(
                f"release {release(config)}: {citelock.LOCK_FILE} is out of date ({stale}); run `make lock`"
            )
        log.info(f"citation lock: versions bumped since the lock ({stale}); run `make lock` to record them")
