"""figures.tokens_vs_params: tokens against parameters, with diagonals at the Chinchilla ratio and its multiples."""

from __future__ import annotations

import math

from figures import tokens_vs_params as chart
from macros import format as fmt
from tests.unit.figures.toy_book import edit, toy_model, v, with_models


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


def test_caption_by_hand(book):
    toy = with_models(
        book,
        toy_model("a", "2020-01-01", 1e9, 20e9),  # 20e9 / (20 × 1e9) = 1×: not past the ratio
        toy_model("b", "2021-01-01", 1e9, 2e12),  # 100×
        toy_model("c", "2022-01-01", 1e10, 1e11),  # 0.5×
        only=True,
    )
    assert chart.plan(toy).title == "Some models were trained past Chinchilla's 20 tokens per parameter; B by 100×"
    # a mixture of experts counts by its active parameters: 4e12 / (20 × 1e10) = 20× (2× by its total)
    moe = toy_model("m", "2023-01-01", 1e11, 4e12, active_params=v(1e10))
    fig = chart.plan(with_models(toy, moe, toy_model("d", "2023-01-01", 1e9, 1e11)))  # D: 5×
    assert fig.title.startswith("Most models were trained past")
    assert "Most overtrained: B at 100×." in fig.alt
    assert "parameters from 1 B (A) to 10 B (C), tokens from 20 B (A) to 4 T (M)" in fig.alt
    texts = {q.expr: fig.alt[a:b] for a, b, q in fig.alt.numbers}
    assert texts["model('m').tokens"] == "4 T" and texts["const('overtrain_guide_high').as_('ratio')"] == "100×"


def test_alt_names_the_undertrained_and_the_most_overtrained(book):
    fig = chart.plan(book)
    models = [r for r in fig.rows if r.kind == "model"]
    for r in models:
        if r.overtrain_factor < 1:
            assert r.name in fig.alt
    top = max(models, key=lambda r: r.overtrain_factor)
    assert f"Most overtrained: {top.name} at {fmt.text(top.overtrain_factor, 'ratio')}." in fig.alt
