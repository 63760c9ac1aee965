"""The chart modules in build order, and :func:`plan`: every figure the data support.

Kept apart from the package's ``__init__`` so that code needing only a figure's type or the
code fingerprint (``build_figures.up_to_date``, on every build) does not import every chart.
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


__all__ = ["CHARTS", "plan"]
