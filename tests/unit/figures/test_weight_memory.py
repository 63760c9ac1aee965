"""figures.weight_memory: each model's weight memory at four precisions, against one GPU's memory."""

from __future__ import annotations

import math

from figures import weight_memory as chart
from macros import format as fmt
from tests.unit.figures.toy_book import edit, toy_model, v, with_models

BYTES_PER_WEIGHT = {"fp32": 4, "bf16": 2, "fp8": 1, "int4": 0.5}  # by definition of each format


def test_gigabytes_are_params_times_bytes_per_weight(book):
    fig = chart.plan(book)
    models = [r for r in fig.rows if r.kind == "model"]
    known = {m.id for m in book.models.values() if m.params.value is not None}
    assert {r.id for r in models} == known and len(models) == 4 * len(known)
    for r in models:
        assert math.isclose(r.gigabytes, book.models[r.id].params.value * BYTES_PER_WEIGHT[r.precision] / 1e9)
    gpus = {r.id: r.gigabytes for r in fig.rows if r.kind == "gpu"}
    assert gpus == {h: book.hardware[h].memory_bytes.value / 1e9 for h in chart.MEMORY_GPUS}


def test_an_undisclosed_model_is_not_plotted(book):
    fig = chart.plan(edit(book, "palm", params=v(None)))
    assert "palm" not in {r.id for r in fig.rows}
    assert "PaLM" not in fig.alt


def test_caption_names_the_largest_model_that_fits_by_hand(book):
    """Which models fit, worked out from parameter counts and GPU memory without the formulas."""
    fig = chart.plan(book)
    gpus = [book.hardware[h] for h in chart.MEMORY_GPUS]
    small, big = min(gpus, key=lambda g: g.memory_bytes.value), max(gpus, key=lambda g: g.memory_bytes.value)
    known = [m for m in book.models.values() if m.params.value is not None]
    fit_small = max(
        (m for m in known if m.params.value * 0.5 <= small.memory_bytes.value), key=lambda m: m.params.value
    )
    fit_big = max((m for m in known if m.params.value * 4 <= big.memory_bytes.value), key=lambda m: m.params.value)
    assert fig.title == (
        f"At INT4, one {small.name} with {fmt.sig(small.memory_bytes.value / 1e9)} GB holds the weights of models "
        f"up to {fit_small.name} ({fmt.sig(fit_small.params.value * 0.5 / 1e9)} GB); at FP32, one {big.name} with "
        f"{fmt.sig(big.memory_bytes.value / 1e9)} GB holds the weights of models up to {fit_big.name} "
        f"({fmt.sig(fit_big.params.value * 4 / 1e9)} GB)"
    )


def test_caption_when_nothing_fits(book):
    toy = with_models(book, toy_model("huge", "2024-01-01", 1e15, None), only=True)  # 500 TB at INT4
    assert chart.plan(toy).title == (
        "At INT4, one GeForce RTX 4090 with 24 GB holds no model's weights; "
        "at FP32, one B200 (HGX, 1000 W) with 192 GB holds no model's weights"
    )


def test_alt_names_the_extremes_and_the_gpus(book):
    fig = chart.plan(book)
    known = [m for m in book.models.values() if m.params.value is not None]
    lo, hi = min(known, key=lambda m: m.params.value), max(known, key=lambda m: m.params.value)
    assert f"({lo.name} at INT4)" in fig.alt  # GPT-1: disclosed, no flag
    # The largest is GPT-4, whose size is a rumour: the alt text says so, as the chart's hollow marker does.
    assert hi.params.status == "rumored" and f"({hi.name} at FP32, size rumored)" in fig.alt
    for h in chart.MEMORY_GPUS:
        assert book.hardware[h].name in fig.alt
