"""Every number a chapter renders, written as HTML and recorded for ``site/data/numbers.json``.

The macros set the current page before each page renders; :func:`render` writes a
quantity as HTML and appends one row to the ledger. State lives for one build.
A quantity is read by its attributes only (value, kind, label, text, status, inputs, method,
expr, tooltip): :mod:`macros.quantity` imports this module, never the other way round.
"""

from __future__ import annotations

import html
import posixpath
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

    def reset(self, sources: dict) -> None:
        self.sources = sources
        self.page_src = self.page_url = ""
        self.rows = []


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


FLAGS = {"estimated": "est.", "claimed": "claim", "rumored": "rumor", "undisclosed": "n/a"}
FLAGGED = ("estimated", "claimed", "rumored")


def to_html(q: Any, sources: dict | None, method_href: str | None) -> str:
    """``<abbr>`` with the tooltip; estimated, claimed and rumored numbers get a visible flag."""
    status = q.status
    assert status in STATUSES
    # safe, not html.escape: Markdown extensions read "$" (arithmatex: "$61.7 million" and
    # "$2 per GPU-hour" became one garbled formula) and "|" (a table cell split the tag) even here;
    # and Material's tooltip renders the title as HTML (safe.attr escapes it for that too).
    title = safe.attr(q.tooltip(sources)).replace("\n", "&#10;")
    body = safe.text(q.text)
    out = f'<abbr class="num num--{status}" data-status="{status}" title="{title}">{body}</abbr>'
    if status in FLAGGED:
        out += f'<sup class="num-flag num-flag--{status}">{FLAGS[status]}</sup>'
    if method_href:
        out = f'<a class="num-link" href="{html.escape(method_href, quote=True)}">{out}</a>'
    return out


def render(q: Any) -> str:
    href = None
    if q.method and LEDGER.page_url is not None:
        href = relative_url(LEDGER.page_url, f"{METHODS_PAGE}#{q.method}")
    out = to_html(q, LEDGER.sources, href)
    LEDGER.rows.append(
        {
            "page": LEDGER.page_src,
            "expression": q.expr,
            "label": q.label,
            "value": q.value,
            "kind": q.kind,
            "text": q.text,
            "status": q.status,
            "inputs": [{"symbol": i.symbol, "text": i.text, "status": i.status, "source": i.source} for i in q.inputs],
        }
    )
    return out
