"""figures.loss_curves: Kaplan's L(N) and the published Chinchilla fit, along the book's range of sizes."""

from __future__ import annotations

import math

from figures import loss_curves as chart
from figures.common import CURVE_POINTS
from macros import format as fmt

# Typed from the papers (not read from data/).
KAPLAN_NC, KAPLAN_ALPHA = 8.8e13, 0.076
HOFFMANN = dict(e=1.69, a=406.4, b=410.7, alpha=0.34, beta=0.28)


def test_curves_by_hand(book):
    rows = chart.plan(book).rows
    h = HOFFMANN
    for r in rows:
        if r.curve == chart.KAPLAN:
            assert math.isclose(r.loss, (KAPLAN_NC / r.params) ** KAPLAN_ALPHA)
        elif r.curve == chart.FLOOR:
            assert math.isclose(r.loss, h["e"] + h["a"] / r.params ** h["alpha"])
        else:  # 20 tokens per parameter
            assert math.isclose(r.tokens, 20 * r.params)
            assert math.isclose(r.loss, h["e"] + h["a"] / r.params ** h["alpha"] + h["b"] / r.tokens ** h["beta"])


def test_the_grid_spans_the_models_sizes(book):
    rows = chart.plan(book).rows
    sizes = [m.params.value for m in book.models.values() if m.params.value is not None]
    grid = [r.params for r in rows if r.curve == chart.KAPLAN]
    assert len(grid) == CURVE_POINTS
    assert math.isclose(grid[0], min(sizes)) and math.isclose(grid[-1], max(sizes))
    assert {r.curve for r in rows} == {chart.KAPLAN, chart.FLOOR, chart.AT_RATIO}


def test_caption_and_alt(book):
    fig = chart.plan(book)
    assert fig.title.endswith("towards its floor E = 1.69 nats")  # Hoffmann et al.'s E
    assert [q.expr for _, _, q in fig.title.numbers] == ["const('chinchilla_e')"]
    known = [m for m in book.models.values() if m.params.value is not None]
    lo, hi = min(known, key=lambda m: m.params.value), max(known, key=lambda m: m.params.value)
    kaplan = [r for r in fig.rows if r.curve == chart.KAPLAN]
    assert math.isclose(kaplan[0].params, lo.params.value) and math.isclose(kaplan[-1].params, hi.params.value)
    assert hi.params.status == "rumored"  # GPT-4: the alt text says so
    assert (
        f"from {lo.name}'s {fmt.count(lo.params.value)} to {hi.name}'s rumored {fmt.count(hi.params.value)})" in fig.alt
    )
    assert "Chinchilla's fit at 20 tokens per parameter" in fig.alt
