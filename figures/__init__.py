"""The book's charts: one module per chart (plan, caption, alt text, drawing), listed here in build order.

Each chart module has ``NAME``, ``plan(book) -> Figure | None`` (no matplotlib; ``None`` when
the data hold nothing to plot) and ``draw(figure, theme)``. Shared: :mod:`figures.style`
(look), :mod:`figures.drawing` (drawing helpers), :mod:`figures.common` (planning helpers),
:mod:`figures.said` (captions and alt texts whose numbers are the chapter words' quantities),
:mod:`figures.figure` (the planned figure and its fingerprint).
"""

from __future__ import annotations

from macros.data import Book

from . import (
    compute_over_time,
    inference_economics,
    isoflop,
    loss_curves,
    moe_total_active,
    param_breakdown,
    params_over_time,
    tokens_per_param,
    tokens_vs_params,
    training_cost,
    weight_memory,
)
from .figure import Figure

CHARTS = (
    params_over_time,
    compute_over_time,
    tokens_vs_params,
    tokens_per_param,
    weight_memory,
    param_breakdown,
    moe_total_active,
    loss_curves,
    isoflop,
    training_cost,
    inference_economics,
)


def plan(book: Book) -> list[Figure]:
    """Every figure the data support (a chart with nothing to plot is left out)."""
    return [fig for chart in CHARTS if (fig := chart.plan(book)) is not None]


__all__ = ["CHARTS", "Figure", "plan"]
