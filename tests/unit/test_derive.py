"""macros.derive against values worked out by hand on the toy book (tests/unit/toybook.py)."""

from __future__ import annotations

import math

import pytest

from macros import derive
from macros.errors import DataError, MacroError
from tests.unit.toybook import MODELS, TOY_ARCH, book


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12)


def test_dense_model_values():
    v = derive.model_values(book(), MODELS["dense"])
    assert close(v.train_flops, 7.68e23)  # 6 · 8e9 · 16e12
    assert close(v.tokens_per_param, 2000)  # 16e12 / 8e9
    assert close(v.chinchilla_tokens, 1.6e11)  # 20 · 8e9
    assert close(v.overtrain_factor, 100)  # 16e12 / 1.6e11
    assert close(v.inference_flops_per_token, 1.6e10)  # 2 · 8e9
    assert dict(v.weight_bytes) == {"fp32": 3.2e10, "bf16": 1.6e10, "fp8": 8e9, "int4": 4e9}
    assert v.breakdown is None and v.params_from_arch is None
    assert v.derived_status == "estimated"  # the tokens are estimated


def test_moe_uses_active_parameters_for_compute_and_total_for_memory():
    v = derive.model_values(book(), MODELS["moe"])
    assert close(v.train_flops, 6.24e23)  # 6 · 13e9 · 8e12
    assert close(v.inference_flops_per_token, 2.6e10)  # 2 · 13e9
    assert v.weight_bytes["bf16"] == 9.4e10  # 2 bytes · 47e9
    assert close(v.tokens_per_param, 8e12 / 47e9)
    assert v.derived_status == "rumored"


def test_undisclosed_tokens_leave_the_figures_that_need_them_empty():
    v = derive.model_values(book(), MODELS["secret"])
    assert v.train_flops is v.tokens_per_param is v.overtrain_factor is None
    assert v.chinchilla_tokens == 2e13  # 20 · 1e12 needs only N
    assert v.derived_status == "undisclosed"


def test_architecture_breakdown_and_non_embedding_count():
    v = derive.model_values(book(), MODELS["toy-arch"])
    assert v.params_from_arch == 1352 and v.active_params_from_arch == 1352
    assert (v.breakdown["attention"], v.breakdown["ffn"], v.breakdown["norms"]) == (384, 768, 40)
    assert derive.nonembedding_params(MODELS["toy-arch"]) == 1352 - 80 - 80
    assert derive.nonembedding_params(MODELS["dense"]) == 8e9  # no architecture: the total
    # 2 layers · (K and V) · 1 KV head · 4 values · 2 bytes
    assert derive.kv_bytes_per_token(MODELS["toy-arch"], "bf16") == 32


def test_eras_by_release_year():
    b = book()
    assert derive.era(b, MODELS["dense"]).slug == "bigger"  # 2020
    assert derive.era(b, MODELS["moe"]).slug == "balance"  # 2022
    assert derive.era(b, MODELS["secret"]).slug == "overtrain"  # 2024
    assert derive.era_index(b, 2010) == 0  # before the first era: the first


def test_loss_fit_and_fitted_loss():
    b = book()
    fit = derive.loss_fit(b, "hoffmann")
    assert (fit.e, fit.a, fit.b, fit.alpha, fit.beta) == (1.0, 100.0, 1000.0, 0.5, 0.5)
    # 1 + 100/√1352 + 1000/√1e6
    assert close(derive.fit_loss(b, MODELS["toy-arch"]), 1 + 100 / math.sqrt(1352) + 1.0)
    assert derive.fit_loss(b, MODELS["secret"]) is None
    with pytest.raises(MacroError, match="unknown loss fit 'kaplan'"):
        derive.loss_fit(b, "kaplan")


def test_hardware_in_si_units_and_devices_needed():
    hw = book().hardware["gpu"]
    hv = derive.hardware_values(hw)
    assert hv.memory_bytes == 8e10  # 80 GB
    assert hv.bandwidth_bytes_per_s == 3.35e12  # 3.35 TB/s
    assert hv.peak_flop_per_s["bf16"] == 9.895e14  # 989.5 TFLOP/s
    assert derive.devices_needed(1.6e11, hw) == 2  # 160 GB on 80 GB cards
    assert derive.devices_needed(8e10, hw) == 1


def test_serving_setup_from_constants():
    b = book()
    s = derive.serving_setup(b, b.hardware["gpu"], "fp8", MODELS["toy-arch"], "toy_price", "bf16")
    assert s.bytes_per_param == 1.0
    assert s.kv_bytes_per_sequence == 32 * 1000
    assert (s.gpu_counts, s.batches) == ((1, 2, 4, 8), (1, 2, 4))
    assert (s.usd_per_gpu_hour, s.utilization, s.gpu_peak_flop_per_s) == (2.0, 0.5, 1.979e15)
    # 1e9 parameters at 1 byte on one GPU, batch 1: reads 1e9 + 32,000 bytes at 3.35e12 · 0.5 B/s
    p = s.point(1e9, 1e9, 1, 1)
    assert close(p.step_seconds, (1e9 + 32_000) / (3.35e12 * 0.5))
    assert len(s.sweep(1e9, 1e9)) == 12  # every (GPUs, batch) of 4 × 3 fits


def test_a_missing_or_fractional_constant_is_one_line():
    with pytest.raises(DataError, match=r"^data/constants.toml: constant 'chinchilla_tokens_per_param' is missing"):
        derive.model_values(book(chinchilla_tokens_per_param=True), MODELS["dense"])
    with pytest.raises(DataError, match="'toy_fraction', field 'value': must be a whole number"):
        derive.whole_constant(book(), "toy_fraction")


def test_toy_arch_is_the_hand_count():
    # guards the toy book itself: if the record's defaults change, the hand counts above are void
    assert (TOY_ARCH.ffn_kind, TOY_ARCH.norm, TOY_ARCH.norms_per_layer) == ("gated", "rmsnorm", 2)


def test_active_parameter_ratios_sparsity_and_training_utilisation():
    b = book()
    moe = derive.model_values(b, MODELS["moe"])
    assert close(moe.tokens_per_active_param, 8e12 / 13e9) and close(moe.active_overtrain_factor, 8e12 / (20 * 13e9))
    assert close(moe.sparsity, 47 / 13)
    assert derive.model_values(b, MODELS["dense"]).sparsity is None  # no stated active count
    assert close(derive.training_mfu(b, MODELS["trained"]), 6e21 / (1e4 * 3600 * 989.5e12))
    assert derive.training_mfu(b, MODELS["dense"]) is None  # no GPU-hours, no GPU


def test_optimum_under_the_toy_fit():
    # G = (αA / βB)^(1/(α+β)) = 0.1; C/6 = 1e12: N = 0.1 · 1e6, D = 1e6 / 0.1
    n, d = derive.optimum(book(), 6e12, "hoffmann")
    assert close(n, 1e5) and close(d, 1e7)


def test_serving_frontiers_of_a_model_and_its_halvings():
    b = book()
    choice = derive.ServingChoice("moe", "gpu", "fp8", "toy-arch", "bf16", "toy_price")
    frontiers = derive.serving_frontiers(b, choice)
    assert [fr.scale for fr in frontiers] == [1.0, 0.5, 0.25]  # decode_shrink_steps = 2
    assert [fr.total_params for fr in frontiers] == [47e9, 23.5e9, 11.75e9]
    assert [fr.active_params for fr in frontiers] == [13e9, 6.5e9, 3.25e9]
    # 47 GB at FP8 needs one 80 GB GPU; every frontier point fits and none is beaten on both axes
    for fr in frontiers:
        speeds = [p.tokens_per_second_per_user for p in fr.points]
        costs = [p.usd_per_million_tokens for p in fr.points]
        assert speeds == sorted(speeds) and costs == sorted(costs)
    assert derive.serving_frontiers(b, derive.ServingChoice("secret", "gpu", "fp8", "dense", "bf16", "toy_price")) == []
