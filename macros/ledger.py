"""Every number a chapter renders, written as HTML and recorded for ``site/data/numbers.json``.

The macros set the current page before each page renders; :func:`render` writes a
quantity as HTML and appends one row to the ledger. State lives for one build.
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

    def reset(self, sources: dict) -> None:
        self.sources = sources
        self.page_src = self.page_url = ""
        self.rows = []
        self.shown = {}


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
