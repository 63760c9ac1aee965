"""The book's charts: one module per chart (plan, caption, alt text, drawing), listed in build order
in :mod:`figures.charts` (with ``plan``, every figure the data support).

Each chart module has ``NAME``, ``plan(book) -> Figure | None`` (no matplotlib; ``None`` when
the data hold nothing to plot) and ``draw(figure, theme)``. Shared: :mod:`figures.style`
(look), :mod:`figures.drawing` (drawing helpers), :mod:`figures.common` (planning helpers),
:mod:`figures.said` (captions and alt texts whose numbers are the chapter words' quantities),
:mod:`figures.figure` (the planned figure and its fingerprint).
"""

from __future__ import annotations

from .figure import Figure

__all__ = ["Figure"]
