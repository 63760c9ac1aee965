"""figures.training_cost: disclosed GPU-hours against 6·N·D, the implied utilisation, and rental cost."""

from __future__ import annotations

import math

from figures import training_cost as chart
from macros import format as fmt
from tests.unit.figures.toy_book import edit, toy_model, v, with_models


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


def test_caption_and_alt_by_hand(book):
    h100 = book.hardware["h100-sxm"].peak_flop_per_s["bf16"].value  # 989.5e12 FLOP/s
    # A: 6 × 1e9 × 1e12 = 6e21 FLOP in 10,000 GPU-hours: 6e21 / (1e4 × 3,600 × 989.5e12) = 16.8 %
    # B: 6 × 1e10 × 1e13 = 6e23 FLOP in 500,000 GPU-hours: 6e23 / (5e5 × 3,600 × 989.5e12) = 33.7 %
    # C: no training GPU stated, so no utilisation
    toy = with_models(
        book,
        toy_model("a", "2024-01-01", 1e9, 1e12, gpu_hours=v(1e4), train_hardware="h100-sxm"),
        toy_model("b", "2024-02-01", 1e10, 1e13, gpu_hours=v(5e5), train_hardware="h100-sxm"),
        toy_model("c", "2024-03-01", 1e9, 1e13, gpu_hours=v(2e5)),
        only=True,
    )
    assert math.isclose(6e21 / (1e4 * 3600 * h100), 0.168, abs_tol=5e-4)
    fig = chart.plan(toy)
    assert fig.title == "GPU-hours follow compute; implied utilisation runs from 17 % (A) to 34 % (B)"
    assert [q.expr for _, _, q in fig.title.numbers] == [
        "mfu(model('a').train_flops, model('a').gpu_hours, hw('h100-sxm').peak('bf16'))",
        "mfu(model('b').train_flops, model('b').gpu_hours, hw('h100-sxm').peak('bf16'))",
    ]
    # 500,000 GPU-hours × $2 = $1 million
    assert "from 10 K GPU-hours (A) to 500 K GPU-hours (B)" in fig.alt and "so B corresponds to $1 million" in fig.alt
    assert "A: 17 % implied utilisation on H100 SXM. B: 34 % implied utilisation on H100 SXM." in fig.alt
    assert "C:" not in fig.alt
    no_gpu = with_models(book, toy_model("c", "2024-03-01", 1e9, 1e13, gpu_hours=v(2e5)), only=True)
    assert chart.plan(no_gpu).title == "Training GPU-hours grow with compute"


def test_alt_costs_the_most_gpu_hours_at_the_book_price(book):
    fig = chart.plan(book)
    most = max((m for m in book.models.values() if m.gpu_hours is not None), key=lambda m: m.gpu_hours.value)
    price = book.constants["h100_price_per_gpu_hour"].value
    assert f"so {most.name} corresponds to {fmt.usd(most.gpu_hours.value * price)}" in fig.alt
