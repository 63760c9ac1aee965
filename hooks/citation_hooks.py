"""MkDocs hooks for citable chapters: the "Cite this chapter" data, drafts, the lock, the changelog.

- ``on_page_markdown``: a page's ``version`` is x.y ("1.2"); once ``citations.lock.json`` exists
  every page written in ``docs/`` (but the changelog) has one, never below the lock's, so no
  chapter leaves the lock by losing it (one line naming page, line and what is valid). The
  changelog page's ``<!-- releases -->`` marker becomes the list of releases, generated from
  ``releases/*.lock.json``.
- ``on_page_content``: observe what the reader sees on each citable page (text with tooltips,
  embedded figures' bytes, the numbers from the ledger; see :mod:`macros.citelock`) and compare
  it with ``citations.lock.json``: a page that differs is a draft of its next version.
- ``on_page_context``: give the theme ``book_citation`` (plain text, BibTeX, CSL-JSON) for
  ``overrides/partials/book-cite.html``, and put a draft's note (what changed since its locked
  version) under its title. Both come after the observation, so neither feeds the fingerprint.
- ``on_post_build``: publish ``data/citations.json``. A local build (preview) never fails on a
  draft; a release build (under mike) fails unless every page has a version, no chapter is a
  draft, the lock records every version, and ``extra.book_base_url`` is a real address.

The release comes from ``MIKE_DOCS_VERSION`` (set by ``mike deploy``), else ``extra.book_release``;
permanent URLs start at ``extra.book_base_url``, never at the ``site_url`` that mike rewrites.
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
# .cache/pages, kind "cite"): ~0.1 s per build, the same each time unless the page changed.
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
    from macros import citelock
    from macros.store import DigestStore

    try:
        locked = citelock.read_lock(_root(config) / citelock.LOCK_FILE)
    except citelock.LockError as exc:
        raise PluginError(str(exc)) from None
    _state.clear()
    _state.update(
        pages={},
        skip=set(),
        unversioned=[],
        drafts={},
        locked=locked,
        cache=DigestStore(_root(config) / ".cache" / "pages", "cite"),
    )


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


def _authored(page, config) -> bool:
    """Whether the page is a file an author wrote in ``docs/`` (not one a plugin generated)."""
    src = page.file.abs_src_path
    return bool(src) and Path(src).resolve().is_relative_to(Path(config.docs_dir).resolve())


def _field_line(path: str | None, name: str) -> tuple[int, str]:
    """Line and written value of front matter field ``name`` in the page's source ((1, "") if absent)."""
    if not path:
        return 1, ""
    lines = Path(path).read_text(encoding="utf-8-sig").split("\n")
    if lines and lines[0].rstrip() == "---":
        for n, line in enumerate(lines[1:], start=2):
            if line.rstrip() in ("---", "..."):
                break
            if line.startswith(f"{name}:"):
                return n, line[len(name) + 1 :].strip()
    return 1, ""


def _check_version(markdown: str, page, config) -> None:
    """A page's ``version``: x.y when present; once the lock exists, present and never below the lock's."""
    from macros import citelock

    if not _authored(page, config):
        return
    locked = _state.get("locked")
    needed = locked is not None and MARKER not in markdown  # the changelog is generated, not cited
    src = page.file.src_uri
    previous = citelock.locked_version(locked, str(page.meta.get("slug") or src), src)
    line, written = _field_line(page.file.abs_src_path, "version")
    problem = citelock.version_problem(f"docs/{src}:{line}", page.meta, previous, needed, written)
    if problem:
        raise PluginError(problem)


def on_page_markdown(markdown: str, page, config, files) -> str:
    _check_version(markdown, page, config)
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
        if (
            "version" not in page.meta
            and page.file.src_uri not in _state.get("skip", set())
            and _authored(page, config)
        ):
            _state.setdefault("unversioned", []).append(page.file.src_uri)
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
    rows = _rows_of(ledger.LEDGER.rows, page.file.src_uri)
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
    record = _state["pages"][slug] = citelock.page_record(
        page.file.src_uri,
        page.url,
        str(page.meta.get("title") or page.title or slug),
        version,
        text,
        figures,
        citelock.numbers_by_expression(rows),
    )
    locked = _state.get("locked")
    if locked is not None:
        # The same comparison as `make what-changed`, for this page alone.
        changes = citelock.compare({slug: locked[slug]} if slug in locked else {}, {slug: record})
        if changes:
            _state["drafts"][page.file.src_uri] = changes[0]
    return html_text


def _rows_of(rows: list[dict], src: str) -> list[dict]:
    """The ledger's rows of one page (indexed as the ledger grows: pages render one after another)."""
    seen, by_page = _state.setdefault("rows_seen", [0]), _state.setdefault("rows_by_page", {})
    for row in rows[seen[0] :]:
        by_page.setdefault(row["page"], []).append(row)
    seen[0] = len(rows)
    return by_page.get(src, [])


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
    from macros import cite, citelock
    from macros.errors import MacroError

    base_url = config.extra.get("book_base_url") or config.site_url or ""
    change = _state.get("drafts", {}).get(page.file.src_uri)
    draft_of = citelock.draft_version(change) if change else None
    try:
        data = cite.chapter_citation(
            page.meta, page.url, config.site_name, base_url, release(config), page.file.src_uri, draft_of
        )
    except MacroError as exc:
        raise PluginError(str(exc)) from None
    data["locked_version"] = (change.old_version or "") if change else ""
    if change and draft_of:
        page.content = _with_note(page.content or "", _draft_note(change, draft_of))
    data["plain_html"] = _highlight(data["plain"], "text")
    data["bibtex_html"] = _highlight(data["bibtex"], "bibtex")
    data["csl_html"] = _highlight(data["csl_json"], "json")
    data["url_html"] = html.escape(data["url"], quote=True)
    context["book_citation"] = data
    return context


NOTE_ITEMS = 12  # a draft's note lists this many changes, then counts the rest


def _draft_note(change, draft_of: str) -> str:
    """The note under a draft's title: which version it drafts and what changed since the lock."""
    from macros import citelock

    esc = html.escape
    old = esc(change.old_version or "")
    if change.old_version is None:
        intro = f"This chapter is new: <code>{citelock.LOCK_FILE}</code> records no version of it yet."
    elif not change.content_changed:
        intro = f"It shows what version {old} showed; <code>{citelock.LOCK_FILE}</code> does not record {esc(draft_of)} yet."
    else:
        intro = f"This local preview differs from version {old}, the version <code>{citelock.LOCK_FILE}</code> records."
    items = []
    for line in citelock.change_lines(change):
        if line.kind == "number":
            arrow = f"{line.old or '(none)'} → {line.new or '(none)'}"
            items.append(f"<li><code>{esc(line.subject)}</code>: {esc(arrow)}</li>")
        else:
            items.append(f"<li>{esc(str(line))}</li>")
    if len(items) > NOTE_ITEMS:
        rest = len(items) - NOTE_ITEMS
        items = items[:NOTE_ITEMS] + [f"<li>… and {rest} more (<code>make what-changed</code> lists all)</li>"]
    listing = f"<p>Changed since version {old}:</p><ul>{''.join(items)}</ul>" if items else ""
    return (
        '<div class="admonition warning book-draft" role="note" aria-label="Draft">'
        f'<p class="admonition-title">Draft of version {esc(draft_of)}</p>'
        f"<p>{intro} A released version never changes; this draft becomes one at the next release.</p>"
        f"{listing}</div>"
    )


def _with_note(content: str, note: str) -> str:
    """The page's HTML with ``note`` right after its title (or first, when it has none)."""
    at = content.find("</h1>")
    return content[: at + 5] + note + content[at + 5 :] if at >= 0 else note + content


def on_post_build(config) -> None:
    from macros import cite, citelock

    if "cache" in _state:
        _state["cache"].prune()

    observed = _state.get("pages", {})
    unversioned = sorted(_state.get("unversioned", []))
    out = Path(config.site_dir) / "data" / "citations.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(citelock.lock_document(observed, release(config), unversioned), encoding="utf-8")

    locked = _state.get("locked")
    name = release(config)
    if os.environ.get("MIKE_DOCS_VERSION"):
        base_url = config.extra.get("book_base_url") or ""
        if cite.placeholder_url(base_url):
            raise PluginError(
                f"release {name}: extra.book_base_url in mkdocs.yml is {base_url!r}, a placeholder; "
                "set it to the address the book is published at"
            )
        if locked is None:
            raise PluginError(f"release {name}: no {citelock.LOCK_FILE}; run `make lock` before deploying")
        if refusal := citelock.release_refusal(name, locked, observed, unversioned):
            *first, last = refusal.splitlines()  # one self-contained line per problem
            for line in first:
                log.error(line)
            raise PluginError(last)
        return
    if locked is None:
        log.info(f"citation lock: no {citelock.LOCK_FILE}, every page is new (`make lock` records them)")
        return
    if drafts := _state.get("drafts"):
        names = ", ".join(sorted(c.slug for c in drafts.values()))
        log.info(f"citation lock: drafts of their next version: {names} (`make what-changed` lists the changes)")
