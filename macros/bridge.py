"""The bridge from chapters to the book's data and formulas (mkdocs-macros calls it via ``macros``).

``define_env`` loads ``data/`` once per build; the vocabulary of :mod:`macros.vocab` is given
to Jinja when the first page that is not in the render cache renders (a build of unchanged pages
never imports it). A chapter's mistake (an unknown id, a misspelt name) stops the build with one
line naming the page and line; no traceback.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from . import ledger, safe
from .data import DataError, load
from .errors import MacroError
from .store import PAGES, DigestStore, digest

if TYPE_CHECKING:
    from .guard import PageEnvironment

BOOK_ROOT = Path(__file__).resolve().parent.parent


def _template_line(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return getattr(exc, "lineno", None) or line


def _front_matter_lines(path: str | None) -> int:
    """Lines MkDocs strips from the top of a page before the macros see it."""
    if not path:
        return 0
    with open(path, encoding="utf-8-sig") as fh:
        text = fh.read()
    import re

    m = re.match(r"\A-{3}[ \t]*\n.*?\n(?:-{3}|\.{3})[ \t]*\n", text, re.S)
    if not m:
        return 0
    rest = text[m.end() :]
    # MkDocs also drops the blank lines between the front matter and the text.
    return m.group(0).count("\n") + len(rest) - len(rest.lstrip("\n"))


def render_page(env: Any) -> None:
    """Render the current page's Jinja into ``env.markdown``; on any error raise one line naming page and line.

    Called from ``on_pre_page_macros``, mkdocs-macros' public hook before a page is rendered;
    ``render_by_default: false`` in ``mkdocs.yml`` then leaves the page as this returns it. (With
    the plugin's own rendering, a mistake would print a multi-line report and exit with code 100.)
    A title holding Jinja is rendered too, as the plugin would.
    """
    page = env.page
    meta = getattr(env.variables.get("page"), "meta", {}) or {}
    if meta.get("render_macros") is False:
        return
    if isinstance(page.title, str) and env.has_j2(page.title):
        page.title = _render(env, page, page.title, meta)
    markdown = env.markdown
    key = _RENDERS.key(page, markdown, meta)
    hit = _RENDERS.get(key)
    src = page.file.src_uri
    if hit is not None:  # (an entry's shape is this code's: the key holds the macros' code digest)
        _KEPT.append(markdown)
        ledger.LEDGER.rows.extend(hit["rows"])
        _LINES.update(zip(map(id, hit["rows"]), hit["lines"], strict=True))
        ledger.LEDGER.snippets[src] = list(hit["numbers"])
        env.markdown = hit["markdown"]
        return
    first_row = len(ledger.LEDGER.rows)
    ledger.LEDGER.snippets[src] = []
    ledger.LEDGER.deferring = True  # the body's numbers become tokens (macros.ledger.fill)
    try:
        out = _render(env, page, markdown, meta)
    finally:
        ledger.LEDGER.deferring = False
    from .exports import number_line

    rows = ledger.LEDGER.rows[first_row:]
    lines = [number_line(r) for r in rows]
    _LINES.update(zip(map(id, rows), lines, strict=True))
    _RENDERS.put(key, {"markdown": out, "rows": rows, "lines": lines, "numbers": ledger.LEDGER.snippets[src]})
    env.markdown = out


_PAGE_ENV: list[Any] = [None, None]  # (mkdocs-macros' environment, the page environment made from it)
_KEPT: list[str] = []  # pages served from the render cache this build: their compiled templates stay
_LINES: dict[int, str] = {}  # this build's ledger rows already written as lines of numbers.json, by id of the row


def _page_env(env: Any) -> PageEnvironment:
    """The environment pages render in (:mod:`macros.guard`), made once per environment of the plugin.

    The first page that is not in the render cache makes it, and binds the vocabulary: a build
    whose pages all come from the cache never imports the words, the formulas or the sandbox.
    """
    if _PAGE_ENV[0] is not env.env:
        from . import guard
        from .vocab import Vocabulary, bind

        # mkdocs-macros' public registration; the plugin copied its macros into its Jinja
        # environment's globals at on_config, so words bound later go there too.
        for name, fn in bind(Vocabulary(env.variables["book"])).items():  # every word of macros/vocab/
            env.macro(fn, name)
            env.env.globals[name] = fn
        _PAGE_ENV[:] = [env.env, guard.page_environment(env.env, DigestStore(BOOK_ROOT / PAGES, "tpl"))]
    return _PAGE_ENV[1]


def _render(env: Any, page: Any, text: str, meta: dict) -> str:
    try:
        return _page_env(env).page_template(text).render(**{**env.variables, **meta})
    except Exception as exc:  # any failure in a chapter's macros is the author's to fix
        line = _template_line(exc)
        if line:
            line += _front_matter_lines(page.file.abs_src_path)
        where = f"docs/{page.file.src_uri}" + (f":{line}" if line else "")
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if not isinstance(exc, MacroError | DataError):
            message = f"{type(exc).__name__}: {message}"
        raise PluginError(f"{where}: {message}") from None


@functools.cache
def _versions() -> str:
    """Versions of the packages that render a page (package metadata is slow to read: once per process)."""
    import importlib.metadata as md

    return ";".join(f"{name}={md.version(name)}" for name in ("mkdocs", "mkdocs-macros-plugin", "Jinja2"))


class _RenderCache:
    """Rendered pages of the last build, reused when nothing a page's rendering reads has changed.

    Rendering a page runs its macros (~0.1 s for the book). The result is a pure function of
    the page's text and front matter, its URL, the data and the macros' code (``book.digest``),
    the files a page can include (``includes/``, ``docs/``), the figure index (alt texts),
    ``mkdocs.yml`` and the release being deployed; the key is a digest of all of them. A hit
    also restores the page's rows of the number ledger (and their lines of ``numbers.json``) and
    its numbers' HTML (the Markdown holds tokens in their place, :func:`macros.ledger.fill`).
    A page that fails is never stored.
    Pages must not read anything else (no ``git`` or ``navigation`` variables, no dates).
    """

    def __init__(self, book_digest: str = "") -> None:
        self.store = DigestStore(BOOK_ROOT / PAGES, "md")
        self.context = self._context(book_digest) if book_digest else ""

    @staticmethod
    def _context(book_digest: str) -> str:
        parts = [book_digest, _versions(), os.environ.get("MIKE_DOCS_VERSION", "")]
        files = [BOOK_ROOT / "mkdocs.yml", BOOK_ROOT / ".cache" / "figures" / "index.json"]
        for folder in ("includes", "docs"):
            files += sorted(p for p in (BOOK_ROOT / folder).rglob("*") if p.is_file() and p.suffix in (".md", ".html"))
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else "\0missing"
            parts += [path.relative_to(BOOK_ROOT).as_posix(), text]
        return digest(*parts)

    def key(self, page: Any, markdown: str, meta: dict) -> str | None:
        if not self.context or page is None:
            return None
        meta_text = json.dumps(meta, sort_keys=True, default=str)
        return digest(self.context, page.file.src_uri, page.url, meta_text, markdown)

    def get(self, key: str | None) -> dict | None:
        return self.store.get(key) if key else None

    def put(self, key: str | None, entry: dict) -> None:
        if key:
            self.store.put(key, entry)

    def save(self) -> None:
        if self.context:
            self.store.prune()


_RENDERS = _RenderCache()


def define_env(env: Any) -> None:
    data_dir = BOOK_ROOT / "data"
    try:
        book = load(data_dir, cache_dir=BOOK_ROOT / ".cache" / "data")
    except DataError as exc:
        raise PluginError(str(exc).replace(BOOK_ROOT.as_posix() + "/", "")) from None
    global _RENDERS
    _RENDERS = _RenderCache(book.digest)
    _PAGE_ENV[:] = [None, None]  # the words are bound to this build's book when a page first needs them
    _KEPT.clear()
    _LINES.clear()
    ledger.LEDGER.reset(dict(book.sources))
    # What a chapter shows may depend only on its sources and data/ (reproducible builds, and a
    # chapter's citation version covers what it shows), never on the state of the checkout: the
    # plugin's `git` variable is withdrawn, so a page that reads it stops the build.
    env.variables.pop("git", None)
    env.variables["book"] = book
    env.filter(safe.text, "md")


def on_pre_page_macros(env: Any) -> None:
    ledger.LEDGER.page_src = env.page.file.src_uri
    ledger.LEDGER.page_url = env.page.url
    render_page(env)


def on_post_build(env: Any) -> None:
    from . import exports

    exports.write_numbers(Path(env.conf["site_dir"]), ledger.LEDGER.rows, _LINES)
    _RENDERS.save()
    page_env = _PAGE_ENV[1]
    if page_env is not None and page_env.templates is not None:  # else no template was compiled or dropped
        for markdown in _KEPT:
            page_env.keep(markdown)
        page_env.templates.prune()
