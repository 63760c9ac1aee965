"""figures.weight_memory: each model's weight memory at four precisions, against one GPU's memory."""

from __future__ import annotations

import math

from figures import weight_memory as chart
from tests.unit.figures.toy_book import edit, v

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


def test_caption_counts_by_hand(book):
    """Which models fit, worked out from parameter counts and GPU memory without the formulas."""
    fig = chart.plan(book)
    gpus = [book.hardware[h] for h in chart.MEMORY_GPUS]
    small, big = min(gpus, key=lambda g: g.memory_bytes.value), max(gpus, key=lambda g: g.memory_bytes.value)
    known = [m for m in book.models.values() if m.params.value is not None]
    fit_small = sum(m.params.value * 0.5 <= small.memory_bytes.value for m in known)  # INT4
    exceed_big = sum(m.params.value * 4 > big.memory_bytes.value for m in known)  # FP32
    assert fig.title == (
        f"{fit_small} of {len(known)} models fit one {small.name} even at INT4; "
        f"{exceed_big} exceed one {big.name} at FP32"
    )


def test_caption_by_hand():
    assert chart.caption(10, (3, "Small GPU", "int4"), (4, "Big GPU", "fp32")) == (
        "3 of 10 models fit one Small GPU even at INT4; 6 exceed one Big GPU at FP32"
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
