"""``figure(name)``: a chart in light and dark with its generated alt text and a link to its CSV.

The charts, their titles and alt texts are rendered by ``build_figures.py`` into
``.cache/figures/index.json``; a page embeds them from the site's ``figures/`` folder.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from .. import safe
from ..errors import MacroError
from ..ledger import LEDGER
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
    return (
        f'<figure class="book-figure" id="fig-{name}" markdown="span">\n'
        f"![{alt}]({up}/{name}.svg#only-light){{ loading=lazy }}\n"
        f"![{alt}]({up}/{name}-dark.svg#only-dark){{ loading=lazy }}\n"
        f'<figcaption markdown="span">{safe.text(fig["title"])}. '
        f"[Plotted data (CSV)]({up}/{name}.csv)</figcaption>\n</figure>"
    )
