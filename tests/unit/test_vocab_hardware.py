"""macros.vocab.hardware: ``hw(id)`` and the verbs of GPU time and money, by hand on the toy GPU."""

from __future__ import annotations

import math

import pytest

from macros.errors import MacroError
from tests.unit.vocabfix import q, words

PEAK = 989.5e12  # FLOP/s: the toy GPU's BF16 peak
DAY = 86_400  # seconds


def test_stated_values_in_the_units_authors_write():
    h = words().hw("gpu")
    assert (h.memory.text, h.bandwidth.text, h.peak("bf16").text) == ("80 GB", "3.35 TB/s", "990 TFLOP/s")
    assert h.peak("bf16").expr == "hw('gpu').peak('bf16')"
    with pytest.raises(MacroError, match="has no dense peak for 'fp4'; it has bf16, fp8"):
        h.peak("fp4")


def test_gpu_days_cost_and_mfu():
    w = words()
    assert w.gpu_days(q(2400, "gpu_hours"), q(100, "gpus")).value == 1.0  # 2,400 GPU-hours on 100 GPUs
    assert w.cost(q(1000, "gpu_hours"), q(2.0, "usd_per_hour")).value == 2000
    # ten GPU-hours of work at full peak, delivered in twenty GPU-hours: 50 %
    flops = q(PEAK * 3600 * 10, "flop")
    assert math.isclose(w.mfu(flops, q(20, "gpu_hours"), w.hw("gpu").peak("bf16")).value, 0.5, rel_tol=1e-12)


def test_days_at_and_implied_utilisation():
    w = words()
    flops, gpus, peak = q(PEAK * DAY * 4, "flop"), q(2, "gpus"), w.hw("gpu").peak("bf16")
    assert math.isclose(w.days_at(flops, gpus, peak).value, 2.0, rel_tol=1e-12)  # 4 GPU-days on 2 GPUs
    assert math.isclose(w.days_at(flops, gpus, peak, q(0.5)).value, 4.0, rel_tol=1e-12)
    assert math.isclose(w.implied_utilisation(flops, gpus, q(4, "days"), peak).value, 0.5, rel_tol=1e-12)
