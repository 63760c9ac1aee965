"""``figure(name)``: a chart in light and dark with its generated alt text and a link to its CSV.

The charts, their titles and alt texts are rendered by ``build_figures.py`` into
``.cache/figures/index.json``; a page embeds them from the site's ``figures/`` folder. The
numbers of a caption and an alt text are the chapters' quantities (``figures/said.py``), stored
with the text: the caption shows each as a chapter number (with its provenance), and every one,
the alt text's too, is a row of the page's ledger (``numbers.json``; an alt text's rows name
the figure, since no button shows them).
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from .. import ledger, safe
from ..errors import MacroError
from ..ledger import LEDGER
from ..quantity import Q
from .base import Vocabulary, word

INDEX = Path(__file__).resolve().parents[2] / ".cache" / "figures" / "index.json"


@word
def figure(v: Vocabulary, name: str) -> str:
    """Light and dark SVG of a rendered figure, its alt text and a link to its CSV."""
    index = json.loads(INDEX.read_text(encoding="utf-8")) if INDEX.exists() else {}
    if name not in index:
        raise MacroError(f"unknown figure {name!r} (build_figures.py defines {', '.join(sorted(index)) or 'none'})")
    fig = index[name]
    up = posixpath.relpath("figures", posixpath.dirname(LEDGER.page_src) or ".")
    alt = safe.text(fig["alt"])
    numbers = fig.get("numbers", {})
    for n in numbers.get("alt", []):
        ledger.record(Q.from_record(n["q"]), figure=name)
    return (
        f'<figure class="book-figure" id="fig-{name}" markdown="span">\n'
        f"![{alt}]({up}/{name}.svg#only-light){{ loading=lazy }}\n"
        f"![{alt}]({up}/{name}-dark.svg#only-dark){{ loading=lazy }}\n"
        f'<figcaption markdown="span">{caption(fig["title"], numbers.get("title", []), fig.get("flags", []))}. '
        f"[Plotted data (CSV)]({up}/{name}.csv)</figcaption>\n</figure>"
    )


def caption(title: str, numbers: list[dict], flags: list[list] | None = None) -> str:
    """The caption as HTML: its text escaped, each of its numbers rendered as a chapter's number.

    ``flags``: the caption's status words (start, end, status), which the chart's title needs; here
    a number of that status carries its mark already, and the words are left out.
    """
    quantities = [(*n["at"], Q.from_record(n["q"])) for n in numbers]
    marked = {q.status for _, _, q in quantities}
    cuts = sorted(
        [*quantities, *((a, b, None) for a, b, status in flags or () if status in marked)], key=lambda c: c[0]
    )
    out, pos = [], 0
    for start, end, q in cuts:
        out.append(safe.text(title[pos:start]))
        if q is not None:
            if title[start:end] != q.text:
                raise MacroError(f"figure caption {title!r}: {title[start:end]!r} is not {q.expr} ({q.text!r})")
            out.append(ledger.render(q))
        pos = end
    return "".join(out) + safe.text(title[pos:])
