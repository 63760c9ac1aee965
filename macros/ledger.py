"""Every number a chapter renders, written as HTML and recorded for ``site/data/numbers.json``.

The macros set the current page before each page renders; :func:`render` writes a
quantity as HTML and appends one row to the ledger. State lives for one build.

While a page's body renders (``Ledger.deferring``), a number is written into its Markdown as a
token (:func:`token`) and its HTML is kept in ``Ledger.snippets``; :func:`fill` puts the HTML in
place of the tokens once Markdown has made the page's HTML (``hooks/number_fill.py``). Markdown so
never reads a number's HTML, and a page whose numbers changed but whose words did not converts to
the same HTML as before: a data edit re-renders the page's macros, not its Markdown.
A quantity is read by its attributes only (value, kind, label, text, status, inputs, method,
expr, tooltip): :mod:`macros.quantity` imports this module, never the other way round.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from . import safe
from .records import STATUSES

METHODS_PAGE = "appendix/methods/"


@dataclass
class Ledger:
    sources: dict = field(default_factory=dict)
    page_src: str = ""
    page_url: str = ""
    rows: list[dict] = field(default_factory=list)
    shown: dict[str, int] = field(default_factory=dict)  # numbers rendered so far, per page
    snippets: dict[str, list[str]] = field(default_factory=dict)  # each page's numbers as HTML, by token
    deferring: bool = False  # a page's body is rendering: numbers become tokens

    def reset(self, sources: dict) -> None:
        self.sources = sources
        self.page_src = self.page_url = ""
        self.rows = []
        self.shown = {}
        self.snippets = {}
        self.deferring = False


LEDGER = Ledger()


def relative_url(from_page_url: str, target: str) -> str:
    """Link from a page at ``from_page_url`` (directory URL, e.g. 'chapters/x/') to ``target``."""
    # "" is the home page: a relpath from "/" would climb to the build's working directory.
    base = (from_page_url[:-1] if from_page_url.endswith("/") else posixpath.dirname(from_page_url)) or "."
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path or ".", base)
    rel = rel if rel != "." else ""
    if path.endswith("/") and rel and not rel.endswith("/"):
        rel += "/"
    return rel + (f"#{anchor}" if anchor else "")


# A flag is a word without a full stop: before the end of a sentence "est." would read "est..".
FLAGS = {"estimated": "est", "claimed": "claim", "rumored": "rumor"}
FLAGGED = tuple(FLAGS)


def to_html(q: Any, sources: dict | None, method_href: str | None, ident: str = "num") -> str:
    """The number as a button that shows its provenance (``ident`` is the provenance's page-unique id).

    Provenance is an element of its own, never a ``title``: Material's tooltips read a title as HTML
    (so data there would have to be escaped twice, and readers would get entity codes). The button is
    focusable; the provenance is its ``aria-describedby`` text, shown on hover, focus and tap
    (docs/assets/numbers.js), excluded from search. Uncertain numbers carry a visible flag, which
    ``macros.marks`` thins out where it would repeat.
    """
    status = q.status
    assert status in STATUSES
    # safe.text, not html.escape: Markdown extensions read "$" (arithmatex: "$61.7 million" and
    # "$2 per GPU-hour" became one garbled formula) and "|" (a table cell split the tag) even here.
    # Lines are joined by <br>: a newline would end a table row.
    prov = "<br>".join(safe.text(line) for line in q.tooltip(sources).split("\n"))
    if method_href:
        prov += f'<br><a class="num__method" href="{html.escape(method_href, quote=True)}">How it is computed</a>'
    flag = f'<sup class="num-flag num-flag--{status}">{FLAGS[status]}</sup>' if status in FLAGS else ""
    return (
        f'<span class="num num--{status}" data-status="{status}">'
        f'<button type="button" class="num__value" aria-describedby="{ident}">{safe.text(q.text)}</button>{flag}'
        f'<span class="num__prov" id="{ident}" hidden data-search-exclude>{prov}</span></span>'
    )


def render(q: Any) -> str:
    href = None
    if q.method and LEDGER.page_url is not None:
        href = relative_url(LEDGER.page_url, f"{METHODS_PAGE}#{q.method}")
    n = LEDGER.shown[LEDGER.page_src] = LEDGER.shown.get(LEDGER.page_src, 0) + 1
    # Unique in the whole site, not just the page: the PDF edition joins every page into one.
    page = re.sub(r"[^a-z0-9]+", "-", LEDGER.page_src.removesuffix(".md").lower()).strip("-")
    out = to_html(q, LEDGER.sources, href, f"num-{page}-{n}" if page else f"num-{n}")
    record(q)
    if not LEDGER.deferring:
        return out
    held = LEDGER.snippets.setdefault(LEDGER.page_src, [])
    held.append(out)
    return token(len(held) - 1)


# Private-use characters: Markdown leaves them alone, data text refuses them
# (macros.schema_types.Text) and so do pages (hooks/page_checks.py).
OPEN, CLOSE = "\ue000", "\ue001"
TOKEN = re.compile(f"{OPEN}([0-9]+){CLOSE}")
# A formula as pymdownx.arithmatex (generic mode) writes it, escaped: hooks/mathml.py converts these.
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)


def token(index: int) -> str:
    """What a page's Markdown holds in place of its ``index``-th number."""
    return f"{OPEN}{index}{CLOSE}"


class FillError(ValueError):
    """A page's HTML lost a number's token, or holds one twice or one it never rendered (``index``)."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


def fill(html_text: str, snippets: list[str]) -> str:
    """``html_text`` with each number's token replaced by its HTML (escaped as formula text inside math).

    Every number must come back exactly once: a token that Markdown dropped or copied is an error.
    """
    used = [0] * len(snippets)

    def put(m: re.Match, escape: bool = False) -> str:
        i = int(m.group(1))
        if not escape and html_text.rfind("<", 0, m.start()) > html_text.rfind(">", 0, m.start()):
            raise FillError(f"number {i + 1} of the page is inside an HTML tag (a link target, title or alt text)", i)
        if i >= len(snippets):
            raise FillError(f"holds a number token ({i}) that no macro wrote; remove the characters U+E000/U+E001", i)
        used[i] += 1
        return html.escape(snippets[i]) if escape else snippets[i]  # a formula's text is escaped

    if OPEN not in html_text:
        out = html_text
    else:
        if "arithmatex" in html_text:
            html_text = ARITHMATEX.sub(lambda m: TOKEN.sub(lambda t: put(t, escape=True), m.group(0)), html_text)
        out = TOKEN.sub(put, html_text)
    if any(n != 1 for n in used):
        i = next(i for i, n in enumerate(used) if n != 1)
        how = "lost" if used[i] == 0 else f"repeated {used[i]} times"
        raise FillError(
            f"number {i + 1} of the page was {how} by Markdown (a number inside a link target or an attribute?)", i
        )
    return out


def record(q: Any, figure: str | None = None) -> None:
    """Append ``q``'s row to the ledger; ``figure``: the chart whose alt text states it (no button shows it)."""
    row = {
        "page": LEDGER.page_src,
        "expression": q.expr,
        "label": q.label,
        "value": q.value,
        "kind": q.kind,
        "text": q.text,
        "status": q.status,
        "inputs": [{"symbol": i.symbol, "text": i.text, "status": i.status, "source": i.source} for i in q.inputs],
    }
    LEDGER.rows.append(row | ({"figure": figure} if figure else {}))
