"""macros.vocab.serving: the decode model on the toy GPU (80 GB, 3.35 TB/s, FP8 1,979 TFLOP/s),
50 % utilisation, $2 per GPU-hour, the toy architecture's KV cache (32 bytes a token) at 1,000 tokens."""

from __future__ import annotations

import math

from tests.unit.vocabfix import q, words


def sv():
    return words().serving("gpu", "fp8", kv_model="toy-arch", price_key="toy_price")


def test_assumptions_and_grid():
    s = sv()
    assert s.kv_token.value == 32 and s.kv_sequence.value == 32_000
    assert [b.value for b in s.batches()] == [1, 2, 4] and [g.value for g in s.gpu_counts()] == [1, 2, 4, 8]


def test_one_point_by_hand():
    p = sv().point(q(1e9, "params"), q(1e9, "params"), q(1, "gpus"), q(1, "integer"))
    step = (1e9 + 32_000) / (3.35e12 * 0.5)  # bytes read ÷ (bandwidth × utilisation)
    assert p.bound == "memory" and math.isclose(p.step.value, step, rel_tol=1e-12)
    assert math.isclose(p.speed.value, 1 / step, rel_tol=1e-12)
    assert math.isclose(p.cost.value, 2 / 3600 * step * 1e6, rel_tol=1e-12)  # $ per million tokens
    assert p.gpus.inputs == () and p.speed.status == "disclosed"


def test_out_of_reach_and_too_big():
    s = sv()
    small = q(1e9, "params")
    assert str(s.cheapest_at(small, small, q(1e6, "tokens_per_s"))) == "out of reach"
    big = q(1e12, "params")  # 1 TB at FP8 > 8 × 80 GB
    assert str(s.fastest(big, big)) == "does not fit" and s.frontier(big, big) == []
    assert len(s.frontier(small, small)) >= 1
