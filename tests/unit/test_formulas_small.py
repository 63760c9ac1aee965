"""The small formulas that moved out of the vocabulary, against values worked out by hand."""

from __future__ import annotations

import math

from macros import formulas as f


def test_ratios_and_counts():
    assert f.nonembedding_params(1352, 80, 0, 80) == 1192
    assert f.inverse(4) == 0.25
    assert f.expert_sparsity(256, 8) == 32  # DeepSeek-V3: 256 routed experts, 8 per token
    assert f.gpu_hours_in(16_384, 54) == 16_384 * 54 * 24  # 21,233,664 GPU-hours
    assert f.kv_cache_bytes_per_sequence(516_096, 8_192) == 4_227_858_432  # ~4.2 GB a sequence
    assert [f.halving(k) for k in range(4)] == [1, 0.5, 0.25, 0.125]


def test_speed_generations_and_orders():
    assert f.speed_with_reasoning(50, 3) == 200
    assert math.isclose(f.generations(1000, 10), 3)
    assert math.isclose(f.generations(10, 100), 0.5)  # a 10× gap is half of a 100× jump
    assert f.orders_of_magnitude(1e6) == 6


def test_inference_saving_per_token():
    # serving a 70B model instead of a 405B one saves 2·(405 − 70)·1e9 FLOP per token
    assert f.inference_saving_per_token(405e9, 70e9) == 6.7e11


def test_decode_cost_is_per_million_tokens():
    p = f.decode_point(
        total_params=1e9,
        active_params=1e9,
        bytes_per_param=1,
        kv_bytes_per_sequence=0,
        batch=1,
        gpus=1,
        gpu_memory_bytes=1e10,
        gpu_bandwidth_bytes_per_s=1e12,
        gpu_peak_flop_per_s=1e15,
        usd_per_gpu_hour=3.6,
    )
    # a step reads 1 GB at 1 TB/s: 1 ms; 3.6 $/h is 0.001 $/s, so 1e-6 $ per token, $1 per million
    assert math.isclose(p.step_seconds, 1e-3) and math.isclose(p.usd_per_million_tokens, 1.0)
