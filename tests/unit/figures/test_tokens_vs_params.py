"""figures.tokens_vs_params: tokens against parameters, with diagonals at the Chinchilla ratio and its multiples."""

from __future__ import annotations

import math

from figures import tokens_vs_params as chart
from figures.tokens_vs_params import Row
from tests.unit.figures.toy_book import edit, v


def test_models_and_guides(book):
    fig = chart.plan(book)
    c = book.constants
    ratio = c["chinchilla_tokens_per_param"].value
    models = [r for r in fig.rows if r.kind == "model"]
    assert {r.id for r in models} == {
        m.id for m in book.models.values() if (m.active_params or m.params).value and m.tokens.value
    }
    for r in models:
        assert math.isclose(r.overtrain_factor, r.tokens / (ratio * r.params), rel_tol=1e-12)
    guides = [r for r in fig.rows if r.kind == "guide"]
    factors = {r.overtrain_factor for r in guides}
    assert factors == {1.0, c["overtrain_guide_low"].value, c["overtrain_guide_high"].value}
    for r in guides:  # each guide is the ratio times its factor, at both ends
        assert math.isclose(r.tokens, r.overtrain_factor * ratio * r.params, rel_tol=1e-12)


def test_an_undisclosed_model_is_not_plotted(book):
    fig = chart.plan(edit(book, "phi-3-mini", tokens=v(None)))
    assert "phi-3-mini" not in {r.id for r in fig.rows}
    assert "Phi-3 Mini" not in fig.alt


def test_caption_by_hand():
    models = [
        Row("model", "a", "A", 1e9, 20e9, "disclosed", 1.0),
        Row("model", "b", "B", 1e9, 2e12, "disclosed", 100.0),
        Row("model", "c", "C", 1e10, 1e11, "disclosed", 0.5),
    ]
    assert (
        chart.caption(models, 20.0) == "1 of 3 models were trained past Chinchilla's 20 tokens per parameter; B by 100×"
    )


def test_alt_names_the_undertrained_and_the_most_overtrained(book):
    fig = chart.plan(book)
    models = [r for r in fig.rows if r.kind == "model"]
    for r in models:
        if r.overtrain_factor < 1:
            assert r.name in fig.alt
    top = max(models, key=lambda r: r.overtrain_factor)
    assert f"Most overtrained: {top.name} at {chart.times(top.overtrain_factor)}." in fig.alt
