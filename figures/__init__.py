"""The book's charts: one module per chart (plan, caption, alt text, drawing), listed here in build order.

Each chart module has ``NAME``, ``plan(book) -> Figure | None`` (no matplotlib; ``None`` when
the data hold nothing to plot) and ``draw(figure, theme)``. Shared: :mod:`figures.style`
(look), :mod:`figures.drawing` (drawing helpers), :mod:`figures.common` (planning helpers),
:mod:`figures.said` (captions and alt texts whose numbers are the chapter words' quantities),
:mod:`figures.figure` (the planned figure and its fingerprint).
"""

from __future__ import annotations

from typing import Any

from .figure import Figure


def __getattr__(name: str) -> Any:
    """``figures.CHARTS`` and ``figures.plan`` (:mod:`figures.charts`), imported when first asked for."""
    if name in ("CHARTS", "plan"):
        from . import charts

        return getattr(charts, name)
    raise AttributeError(f"module 'figures' has no attribute {name!r}")


__all__ = ["CHARTS", "Figure", "plan"]
