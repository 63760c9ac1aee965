"""figures.training_cost: disclosed GPU-hours against 6·N·D, the implied utilisation, and rental cost."""

from __future__ import annotations

import math

from figures import training_cost as chart
from figures.training_cost import Row
from macros import format as fmt
from tests.unit.figures.toy_book import edit, v


def test_rows_are_the_models_with_gpu_hours_and_compute(book):
    models = [r for r in chart.plan(book).rows if r.kind == "model"]
    expected = {
        m.id
        for m in book.models.values()
        if m.gpu_hours is not None and (m.active_params or m.params).value and m.tokens.value
    }
    assert {r.id for r in models} == expected
    assert {r.gpu_hours for r in models} == {book.models[i].gpu_hours.value for i in expected}


def test_utilisation_of_llama_3_1_405b_by_hand(book):
    (r,) = [r for r in chart.plan(book).rows if r.id == "llama-3.1-405b"]
    # 6 × 405,853,388,800 (the exact count from its config) × 15.6e12 = 3.7988e25 FLOP over
    # 30.84e6 h × 3,600 s × 989.5e12 FLOP/s = 1.0986e26: 34.6 %
    assert math.isclose(r.mfu, 0.34579, rel_tol=1e-3)
    assert r.hardware == "H100 SXM"


def test_guides_at_the_reported_utilisations(book):
    guides = [r for r in chart.plan(book).rows if r.kind == "guide"]
    assert {r.id for r in guides} == set(chart.MFU_KEYS)
    for r in guides:  # hours = C / (3,600 s × H100 BF16 peak × utilisation)
        assert math.isclose(r.gpu_hours, r.flops / (3600 * 989.5e12 * r.mfu), rel_tol=1e-12)


def test_undisclosed_gpu_hours_are_not_plotted(book):
    fig = chart.plan(edit(book, "llama-3.2-1b", gpu_hours=v(None)))
    assert "llama-3.2-1b" not in {r.id for r in fig.rows if r.kind == "model"}
    assert "Llama 3.2 1B" not in fig.title + fig.alt


def test_caption_and_alt_by_hand():
    models = [
        Row("model", "a", "A", 1e23, "disclosed", 1e5, "disclosed", "GPU X", 0.05),
        Row("model", "b", "B", 1e25, "disclosed", 3e7, "disclosed", "GPU X", 0.35),
        Row("model", "c", "C", 1e24, "disclosed", 1e6, "disclosed", "", ""),
    ]
    assert chart.caption(models) == "GPU-hours follow compute; implied utilisation runs from 5.0% (A) to 35% (B)"
    assert chart.caption([models[2]]) == "Training GPU-hours grow with compute"
    alt = chart.alt_text(models, 2.0, 6e7, [0.38, 0.43])  # 3e7 GPU-hours × $2 = $60 million
    assert "for 3 models, from 100 K to 30 M GPU-hours (B)" in alt
    assert "so B corresponds to $60 million" in alt
    assert "A: 5.0% implied utilisation on GPU X. B: 35% implied utilisation on GPU X." in alt
    assert "C:" not in alt


def test_alt_costs_the_most_gpu_hours_at_the_book_price(book):
    fig = chart.plan(book)
    most = max((m for m in book.models.values() if m.gpu_hours is not None), key=lambda m: m.gpu_hours.value)
    price = book.constants["h100_price_per_gpu_hour"].value
    assert f"so {most.name} corresponds to {fmt.usd(most.gpu_hours.value * price)}" in fig.alt
