"""Formulas against values worked out independently: by hand, from papers and published configs."""

from __future__ import annotations

import dataclasses
import math

import pytest

from macros import formulas as f
from macros.records import Arch


def test_gpt3_training_compute_by_hand():
    # Brown et al. 2020: 175e9 parameters, 300e9 tokens; 6 * 175 * 300 = 315000 -> 3.15e23.
    assert f.train_flops(175e9, 300e9) == pytest.approx(3.15e23, rel=1e-12)


def test_inference_is_two_flop_per_active_parameter():
    assert f.inference_flops_per_token(37e9) == pytest.approx(7.4e10)


def test_tokens_per_parameter_and_overtraining():
    assert f.tokens_per_param(300e9, 175e9) == pytest.approx(1.7142857, rel=1e-6)
    # 15e12 / (20 * 8e9) = 93.75
    assert f.overtrain_factor(15e12, 8e9, 20) == pytest.approx(93.75)
    assert f.chinchilla_tokens(70e9, 20) == pytest.approx(1.4e12)


LLAMA3_8B = Arch(layers=32, d_model=4096, heads=32, kv_heads=8, ffn=14336, vocab=128256, tied_embeddings=False)


def test_llama3_8b_count_matches_published_checkpoint():
    # The released safetensors hold 8,030,261,248 parameters (config: 32 layers, d=4096,
    # 32 heads, 8 KV heads, FFN 14336, vocab 128256, untied head).
    parts = f.param_breakdown(LLAMA3_8B)
    assert parts["total"] == 8_030_261_248
    assert parts["embedding"] == parts["head"] == 525_336_576  # 128256 * 4096
    assert parts["attention"] == 32 * 41_943_040  # 2*4096^2 + 2*4096*1024 per block
    assert parts["ffn"] == 32 * 176_160_768  # 3 * 4096 * 14336 per block
    assert parts["norms"] == 65 * 4096


def test_mixtral_total_and_active_match_published_counts():
    mixtral = Arch(
        layers=32, d_model=4096, heads=32, kv_heads=8, ffn=14336, vocab=32000,
        tied_embeddings=False, experts=8, experts_per_token=2,
    )  # fmt: skip
    parts = f.param_breakdown(mixtral)
    assert parts["total"] == 46_702_792_704  # Hugging Face checkpoint size
    assert parts["active"] == pytest.approx(12.9e9, rel=0.01)  # Mistral AI: 12.9B active


def test_router_bias_adds_one_value_per_expert_per_moe_layer():
    # By hand, 2 layers, d=8, 2 heads, FFN 16, vocab 10, untied, 4 experts, top-2:
    # embedding 80 + head 80 + attention 2*(4*8*8) = 512 + norms 2*2*8 + 8 = 40;
    # per layer: 4 experts * (3*8*16 = 384) + router 8*4 = 32 + bias 4 = 1572, so ffn 3144.
    # Active per layer: 2 * 384 + 32 + 4 = 804, so 1608.
    tiny = Arch(
        layers=2, d_model=8, heads=2, kv_heads=2, ffn=16, vocab=10, tied_embeddings=False,
        experts=4, experts_per_token=2, router_bias=True,
    )  # fmt: skip
    parts = f.param_breakdown(tiny)
    assert parts["total"] == 80 + 80 + 512 + 40 + 3144
    assert parts["active"] == 80 + 80 + 512 + 40 + 1608
    without = f.param_breakdown(dataclasses.replace(tiny, router_bias=False))
    assert parts["total"] - without["total"] == parts["active"] - without["active"] == 2 * 4


def test_gpt2_xl_with_learned_positions_biases_and_layernorm():
    gpt2xl = Arch(
        layers=48, d_model=1600, heads=25, kv_heads=25, ffn=6400, vocab=50257, tied_embeddings=True,
        ffn_kind="mlp", norm="layernorm", linear_bias=True, position="learned", context=1024,
    )  # fmt: skip
    assert f.param_breakdown(gpt2xl)["total"] == 1_557_611_200  # Hugging Face gpt2-xl


def test_weight_memory_of_a_70b_model():
    assert f.weight_bytes(70e9, "fp32") == 280e9
    assert f.weight_bytes(70e9, "bf16") == 140e9
    assert f.weight_bytes(70e9, "fp8") == 70e9
    assert f.weight_bytes(70e9, "int4") == 35e9
    assert [f.devices_needed(f.weight_bytes(70e9, p), 80e9) for p in ("fp32", "bf16", "int4")] == [4, 2, 1]
    with pytest.raises(ValueError):
        f.weight_bytes(1e9, "fp12")


def test_gpu_days_cost_and_mfu_of_llama_31_405b_by_hand():
    # 30.84M GPU-hours over 16,384 GPUs: 30.84e6 / 16384 / 24 = 78.43 days.
    assert f.gpu_days(30.84e6, 16384) == pytest.approx(78.43, abs=0.01)
    assert f.gpu_cost(30.84e6, 2.0) == pytest.approx(61.68e6)
    # 3.8e25 FLOP in 30.84e6 h at 989e12 FLOP/s: 3.8e25 / 1.0980e26 = 0.3461
    assert f.mfu(3.8e25, 30.84e6, 989e12) == pytest.approx(0.3461, abs=1e-4)
    # DeepSeek-V3's paper: 2.788M H800 GPU-hours at $2 -> $5.576M.
    assert f.gpu_cost(2.788e6, 2) == pytest.approx(5.576e6)


def test_budgets_back_to_machine_time_and_tokens_by_hand():
    # $1M at $2 per GPU-hour rents 500,000 GPU-hours.
    assert f.gpu_hours_for_cost(1e6, 2.0) == 500_000
    # One GPU-hour at 1e15 FLOP/s and half of it used: 3,600 s x 1e15 x 0.5 = 1.8e18 FLOP.
    assert f.flops_in_gpu_hours(1, 1e15, 0.5) == pytest.approx(1.8e18)
    # 6e21 FLOP for a 1B-parameter model: 6e21 / (6 x 1e9) = 1e12 tokens.
    assert f.tokens_for_flops(6e21, 1e9) == pytest.approx(1e12)
    # Each undoes its forward formula (Llama 3.1 405B's 30.84M GPU-hours at 38 % of 989.5 TFLOP/s).
    hours = 30.84e6
    flops = f.flops_in_gpu_hours(hours, 989.5e12, 0.38)
    assert f.gpu_hours_for(flops, 989.5e12, 0.38) == pytest.approx(hours, rel=1e-12)
    assert f.train_flops(405e9, f.tokens_for_flops(flops, 405e9)) == pytest.approx(flops, rel=1e-12)
    assert f.gpu_hours_for_cost(f.gpu_cost(hours, 2.0), 2.0) == pytest.approx(hours, rel=1e-12)


def test_kaplan_ten_times_parameters_is_a_fixed_factor():
    # 10^-0.076 = 0.8395: a 16 % lower loss per decade, whatever the starting size.
    assert f.kaplan_loss_factor(10, 0.076) == pytest.approx(0.8395, abs=1e-4)
    a = f.kaplan_loss(1e9, 8.8e13, 0.076) / f.kaplan_loss(1e10, 8.8e13, 0.076)
    b = f.kaplan_loss(1e11, 8.8e13, 0.076) / f.kaplan_loss(1e12, 8.8e13, 0.076)
    assert a == pytest.approx(b)


def test_kaplan_drop_and_its_inverse_by_hand():
    # 1 - 10^-0.076 = 1 - 0.83946 = 0.16054; at L = 2.0 nats that is 0.32108 nats.
    assert f.kaplan_loss_cut(10, 0.076) == pytest.approx(0.16054, abs=1e-5)
    assert f.kaplan_drop(2.0, 10, 0.076) == pytest.approx(0.32108, abs=1e-4)
    # A 0.5-nat drop per decade needs a loss of 0.5 / 0.16054 = 3.1145 nats before the step.
    assert f.kaplan_loss_for_drop(0.5, 10, 0.076) == pytest.approx(3.1145, abs=1e-3)


HOFFMANN = f.LossFit(e=1.69, a=406.4, b=410.7, alpha=0.34, beta=0.28)
BESIROGLU = f.LossFit(e=1.8172, a=482.01, b=2085.43, alpha=0.3478, beta=0.3658)


@pytest.mark.parametrize("fit", [HOFFMANN, BESIROGLU])
def test_compute_optimal_is_on_budget_and_a_minimum(fit):
    c = 5.76e23
    n, d = f.compute_optimal(c, fit)
    assert 6 * n * d == pytest.approx(c, rel=1e-9)
    best = f.chinchilla_loss(n, d, fit)
    for k in (0.9, 0.99, 1.01, 1.1):
        assert f.chinchilla_loss(n * k, c / (6 * n * k), fit) > best


def test_compute_optimal_scaling_exponent():
    # N_opt grows as C^(beta/(alpha+beta)) = C^(0.28/0.62).
    n1, _ = f.compute_optimal(1e22, HOFFMANN)
    n2, _ = f.compute_optimal(1e23, HOFFMANN)
    assert n2 / n1 == pytest.approx(10 ** (0.28 / 0.62))


def test_replication_fit_implies_about_twenty_tokens_per_parameter():
    # Besiroglu et al. 2024 report their corrected fit is consistent with ~20 tokens/parameter.
    n, d = f.compute_optimal(1e24, BESIROGLU)
    assert 15 < d / n < 30


def test_loss_floor_by_hand():
    # 1.69 + 406.4 / (70e9)^0.34: 70e9^0.34 = e^(0.34 * 24.972) = e^8.4905 = 4864.6 -> 1.69 + 0.08354
    assert f.loss_floor(70e9, HOFFMANN) == pytest.approx(1.7735, abs=1e-3)


def test_tokens_for_loss_inverts_the_fit():
    target = f.chinchilla_loss(8e9, 15e12, HOFFMANN)
    assert f.tokens_for_loss(8e9, target, HOFFMANN) == pytest.approx(15e12, rel=1e-9)
    assert f.tokens_for_loss(8e9, HOFFMANN.e, HOFFMANN) == math.inf


def test_breakeven_by_hand():
    # Small: 1e9 params, 1e12 tokens (6e21); big: 2e9 params, 2.5e11 tokens (3e21).
    # Extra training 3e21 FLOP; saving 2*(2e9-1e9) = 2e9 FLOP per token -> 1.5e12 tokens.
    assert f.breakeven_served_tokens(1e9, 1e12, 2e9, 2.5e11) == pytest.approx(1.5e12)
    assert f.breakeven_served_tokens(1e9, 1e11, 2e9, 2.5e11) == 0.0


def test_decode_point_memory_and_compute_bound():
    common = dict(
        total_params=70e9, active_params=70e9, bytes_per_param=1.0, kv_bytes_per_sequence=0.0,
        gpus=1, gpu_memory_bytes=141e9, gpu_bandwidth_bytes_per_s=4.8e12, gpu_peak_flop_per_s=989e12,
        usd_per_gpu_hour=3.0,
    )  # fmt: skip
    p1 = f.decode_point(batch=1, **common)
    # Reading 70 GB at 4.8 TB/s takes 14.58 ms -> 68.6 tokens/s.
    assert p1.bound == "memory"
    assert p1.tokens_per_second_per_user == pytest.approx(4.8e12 / 70e9)
    # $3/h for 14.58 ms per token: 3/3600*0.014583 = $1.215e-5 per token = $12.15 per million.
    assert p1.usd_per_million_tokens == pytest.approx(3 / 3600 * (70e9 / 4.8e12) * 1e6)
    big = f.decode_point(batch=4096, **common)
    assert big.bound == "compute"
    assert f.decode_point(batch=1, **{**common, "total_params": 200e9}) is None  # 200 GB > 141 GB


def test_pareto_frontier_drops_dominated_points():
    mk = lambda s, c: f.DecodePoint(1, 1, 1.0, s, c, "memory")  # noqa: E731
    pts = [mk(10, 5), mk(20, 10), mk(15, 20), mk(5, 1)]
    front = f.pareto_frontier(pts)
    assert [(p.tokens_per_second_per_user, p.usd_per_million_tokens) for p in front] == [(5, 1), (10, 5), (20, 10)]
