"""Key numbers of the economics chapters against values worked out independently.

Expected values are hand arithmetic on paper figures, datasheets and published configurations
(written out in each test), never the program's own output. Tolerances are tight enough that a
unit slip (TFLOP vs FLOP, hours vs days) or a factor of two (BF16 vs FP8, K and V) fails.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest

from macros import formulas as f
from macros.data import load
from macros.vocab import Vocabulary, bind
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def v() -> SimpleNamespace:
    """The chapter words bound to the real book, called as a chapter does: ``v.model('x')``."""
    return SimpleNamespace(**bind(Vocabulary(load(ROOT / "data"))))


@pytest.fixture(scope="module")
def w(v: SimpleNamespace) -> dict:
    return vars(v)


def close(actual: float, expected: float, rel: float = 1e-3) -> bool:
    return math.isclose(actual, expected, rel_tol=rel)


def ledger_values(site: Path, page: str) -> list[float]:
    rows = json.loads((site / "data/numbers.json").read_text())["numbers"]
    return [r["value"] for r in rows if r["page"] == page and isinstance(r["value"], int | float)]


def shows(site: Path, page: str, expected: float, rel: float = 1e-3) -> bool:
    """The chapter renders a number equal to ``expected``."""
    return any(close(x, expected, rel) for x in ledger_values(site, page))


# --------------------------------------------------------------------------- hardware chapter
# Llama 3.1 405B: 30.84M H100 GPU-hours (model card), 16,384 GPUs, 15.6T tokens (paper), and
# 405,853,388,800 parameters counted by hand from its config.json (126 layers of d 16384, 128 heads
# of 128 with 8 KV heads, SwiGLU FFN 53248, vocabulary 128256, untied): per layer 2*16384^2 +
# 2*16384*1024 + 3*16384*53248 + 2*16384 = 3,187,703,808; times 126, plus 2*128256*16384 + 16384.
L405_PARAMS = 126 * (2 * 16384**2 + 2 * 16384 * 1024 + 3 * 16384 * 53248 + 2 * 16384) + 2 * 128256 * 16384 + 16384
L405_DAYS = 30.84e6 / 16384 / 24  # 78.43 days
L405_COST = 30.84e6 * 2  # $61.68M at $2/GPU-hour
L405_FLOPS = 6 * L405_PARAMS * 15.6e12  # 3.7988e25
L405_MFU = L405_FLOPS / (30.84e6 * 3600 * 989.5e12)  # 0.346 of the dense BF16 peak


def test_llama_405b_days_cost_and_mfu(v: SimpleNamespace, w: dict):
    m, h100 = v.model("llama-3.1-405b"), v.hw("h100-sxm")
    assert close(v.gpu_days(m.gpu_hours, m.gpus).value, 78.43, 1e-3)
    assert close(v.cost(m.gpu_hours, v.const("h100_price_per_gpu_hour")).value, 61.68e6)
    mfu = v.mfu(m.train_flops, m.gpu_hours, h100.peak("bf16")).value
    assert L405_PARAMS == 405_853_388_800
    assert close(mfu, 0.34579, 1e-3)
    # Below the paper's steady-state 38-43 %, which is the point the chapter explains.
    assert mfu < v.const("llama3_405b_mfu_low").value
    # At the paper's best MFU the 6ND arithmetic alone takes 3.7988e25 / (16384 * 989.5e12 * 0.43) s.
    days = w["days_at"](m.train_flops, m.gpus, h100.peak("bf16"), v.const("llama3_405b_mfu_high")).value
    assert close(days, L405_FLOPS / (16384 * 989.5e12 * 0.43) / 86400, 1e-6)
    assert close(days, 63.07, 1e-3)


def test_deepseek_v3_cost_reproduces_the_paper(v: SimpleNamespace):
    m = v.model("deepseek-v3")
    cost = v.cost(m.gpu_hours, v.const("deepseek_price_per_gpu_hour")).value
    assert close(cost, 2.788e6 * 2)  # $5.576M, the report's own figure
    assert close(cost, m.reported_cost.value, 1e-9)
    assert close(v.gpu_days(m.gpu_hours, m.gpus).value, 2.788e6 / 2048 / 24)  # 56.7 days
    # Pre-training only, FP8 peak of the H800 (1,979 TFLOP/s dense): 6*37e9*14.8e12 / (2.664e6 h).
    fp8 = v.mfu(m.train_flops, v.const("deepseek_v3_pretrain_gpu_hours"), v.hw("h800-sxm").peak("fp8")).value
    assert close(fp8, 6 * 37e9 * 14.8e12 / (2.664e6 * 3600 * 1979e12), 1e-6)
    assert 0.17 < fp8 < 0.18


def test_gpt3_estimated_schedule_implies_impossible_utilisation_on_v100s(v: SimpleNamespace, w: dict):
    g3, v100 = v.model("gpt-3"), v.hw("v100-sxm2")
    gpus, days = v.const("gpt3_v100s"), v.const("gpt3_days")
    # 3.14e23 FLOP / (1,000 x 125e12 FLOP/s) = 2.512e6 s = 29.07 days at full FP16 tensor peak.
    assert close(w["days_at"](g3.reported_train_flops, gpus, v100.peak("fp16")).value, 29.074, 1e-3)
    implied = w["implied_utilisation"](g3.reported_train_flops, gpus, days, v100.peak("fp16")).value
    assert close(implied, 29.074 / 34, 1e-3)  # 86 %
    assert v.model("gpt-3").reported_train_flops.status == "disclosed"
    # The 34 days were estimated for 1,024 A100s (Narayanan et al. 2021): at the dense BF16 peak of
    # 312 TFLOP/s that is 3.14e23 / (1024 * 34 * 86400 * 312e12) = 0.3346 of peak, an ordinary MFU.
    a100 = w["implied_utilisation"](
        g3.reported_train_flops, v.const("gpt3_a100s"), days, v.hw("a100-sxm-80gb").peak("bf16")
    )
    assert close(a100.value, 3.14e23 / (1024 * 34 * 86400 * 312e12), 1e-9)
    assert close(a100.value, 0.3346, 1e-3)


def test_hardware_chapter_shows_the_worked_values(built_site: Path):
    page = "chapters/hardware.md"
    for expected in (L405_DAYS, L405_COST, L405_MFU, 5.576e6, 29.074, 29.074 / 34, 0.3346):
        assert shows(built_site, page, expected, 2e-3), expected


# --------------------------------------------------------------------------- MoE chapter
def mixtral_active_by_hand() -> int:
    """Mixtral 8x7B config: 32 layers, d 4096, 32 heads, 8 KV heads, FFN 14336, 8 experts, top-2, vocab 32000."""
    d, layers, vocab, kv_width, ffn = 4096, 32, 32000, 8 * 128, 14336
    embed_and_head = 2 * vocab * d
    attention = layers * (2 * d * d + 2 * d * kv_width)
    expert = 3 * d * ffn
    router = d * 8
    ffn_active = layers * (2 * expert + router)
    norms = layers * 2 * d + d
    return embed_and_head + attention + ffn_active + norms


def test_mixtral_active_parameters(v: SimpleNamespace, w: dict):
    assert mixtral_active_by_hand() == 12_879_925_248
    assert w["active_from_arch"]("mixtral-8x7b").value == mixtral_active_by_hand()
    assert close(w["active_from_arch"]("mixtral-8x7b").value, 12.9e9, 0.01)  # Mistral's figure
    assert close(v.model("mixtral-8x7b").params_from_arch.value, 46.7e9, 0.01)
    assert close(w["sparsity"]("mixtral-8x7b").value, 46.7 / 12.9, 0.01)
    assert w["expert_sparsity"]("mixtral-8x7b").value == 8 / 2


def test_deepseek_v3_total_active_and_two_sparsities(v: SimpleNamespace, w: dict):
    assert close(v.model("deepseek-v3").params_from_arch.value, 671e9, 0.005)
    assert close(w["active_from_arch"]("deepseek-v3").value, 37e9, 0.02)
    assert close(w["sparsity"]("deepseek-v3", "stated").value, 671 / 37, 1e-9)
    assert w["expert_sparsity"]("deepseek-v3").value == 256 / 8  # the "1:32" of source 004
    # The rumour: 1.8T in total, ~280B per token (2 of 16 experts of ~111B plus ~55B shared).
    gpt4 = w["sparsity"]("gpt-4", "stated")
    assert close(gpt4.value, 1.8e12 / 280e9, 1e-9) and gpt4.status == "rumored"


def test_moe_training_compute_and_dense_equivalents(v: SimpleNamespace, w: dict):
    ds, l405, g4 = v.model("deepseek-v3"), v.model("llama-3.1-405b"), v.model("gpt-4")
    raw = 6 * 37e9 * 14.8e12  # 3.2856e24, active parameters only
    assert close(ds.train_flops.value, raw, 1e-9)
    eq = w["dense_equivalent"](ds.train_flops, v.const("moe_multiplier_1_32"))
    assert close(eq.value, 6 * raw, 1e-9) and eq.status == "estimated"
    assert close(l405.train_flops.value / eq.value, L405_FLOPS / (6 * raw), 1e-9)  # 1.92, not 1.5
    assert close(L405_FLOPS / (6 * raw), 1.927, 1e-3)
    g4_eq = w["dense_equivalent"](g4.reported_train_flops, v.const("moe_multiplier_1_8"))
    assert close(g4_eq.value, 6e25, 1e-9) and g4_eq.status == "rumored"
    assert close(g4_eq.value / l405.train_flops.value, 6e25 / L405_FLOPS, 1e-9)  # 1.58
    # The claims of source 004 that the chapter corrects differ from the computation by > 20 %.
    assert v.const("claim_dsv3_raw_flops").value / raw > 1.2
    assert (L405_FLOPS / (6 * raw)) / v.const("claim_dsv3_vs_llama405b").value > 1.2


def test_moe_chapter_shows_the_worked_values(built_site: Path):
    page = "chapters/moe.md"
    for expected in (12_879_925_248, 3.2856e24, 6 * 3.2856e24, L405_FLOPS / (6 * 3.2856e24), 32, 4):
        assert shows(built_site, page, expected, 1e-3), expected


# --------------------------------------------------------------------------- smaller-frontier chapter
# Book assumptions: FP8 weights, 50 % of peak, 2,048 tokens of KV cache per sequence at Llama 3.1
# 405B's layout in BF16, $3 per H200-hour. H200: 4.8 TB/s, 1,979 TFLOP/s FP8, 141 GB.
KV_TOKEN = 2 * 126 * 8 * 128 * 2  # K and V, 126 layers, 8 KV heads of 128, 2 bytes = 516,096
KV_SEQ = KV_TOKEN * 2048
BW = 4.8e12 * 0.5
PEAK = 1979e12 * 0.5


def test_kv_cache_per_token(w: dict):
    assert w["kv_per_token"]("llama-3.1-405b").value == KV_TOKEN == 516_096
    # MLA caches a 512-wide latent plus a 64-wide RoPE key per layer: 61 * 576 * 2 bytes.
    assert w["kv_per_token"]("deepseek-v3").value == 61 * (512 + 64) * 2


def test_llama_405b_on_one_h200_server(v: SimpleNamespace, w: dict):
    sv = w["serving"]("h200-sxm", "fp8")
    m, server = v.model("llama-3.1-405b"), v.const("gpus_per_server")
    batches = sv.batches()
    assert [b.value for b in batches] == [2.0**k for k in range(11)]
    one = sv.point(m.params, m.active_params, server, batches[0])
    step = (L405_PARAMS + KV_SEQ) / (8 * BW)  # memory-bound: weights + one KV cache
    assert close(one.step.value, step, 1e-9) and one.bound == "memory"
    assert close(one.speed.value, 1 / step, 1e-9)  # 47.3 tokens/s
    assert close(one.cost.value, 8 * 3 / 3600 * step * 1e6, 1e-9)  # $141 per million tokens
    big = sv.point(m.params, m.active_params, server, batches[9])  # batch 512
    assert big.bound == "compute"
    assert close(big.step.value, 512 * 2 * L405_PARAMS / (8 * PEAK), 1e-9)
    assert not sv.point(m.params, m.active_params, server, batches[10]).known  # 1,024 does not fit


def test_fast_serving_needs_a_model_an_eighth_of_gpt4(v: SimpleNamespace, w: dict):
    sv = w["serving"]("h200-sxm", "fp8")
    g4, fast = v.model("gpt-4"), v.const("gpt4o_speed_low")
    # Full rumored size on the 16-GPU limit at batch 1: (1.8e12 + KV_SEQ) / (16 * BW) per token.
    top = sv.fastest(g4.params, g4.active_params)
    assert close(top.speed.value, 16 * BW / (1.8e12 + KV_SEQ), 1e-9)  # 21.3 tokens/s
    assert not sv.cheapest_at(g4.params, g4.active_params, fast).known
    eighth = v.const("gpt4o_size_fraction")
    t8, a8 = w["scaled"](g4.params, eighth, "x"), w["scaled"](g4.active_params, eighth, "x")
    at = sv.cheapest_at(t8, a8, fast)
    # Largest power-of-two batch with (225e9 + B * KV_SEQ) / (16 * BW) <= 1/100 s is 128.
    assert at.batch.value == 128 and at.gpus.value == 16
    step = (225e9 + 128 * KV_SEQ) / (16 * BW)
    assert close(at.cost.value, 16 * 3 / 3600 * step / 128 * 1e6, 1e-9)  # $0.977 per million
    assert at.cost.status == "rumored"
    frontier = sv.frontier(t8, a8)
    speeds = [p.speed.value for p in frontier]
    costs = [p.cost.value for p in frontier]
    assert speeds == sorted(speeds) and costs == sorted(costs)  # faster always costs more
    assert close(w["with_reasoning"](fast, v.const("reasoning_tokens_per_output_token")).value, 100 * 11)


def test_smaller_frontier_chapter_shows_the_worked_values(built_site: Path):
    page = "chapters/smaller-frontier.md"
    step = (L405_PARAMS + KV_SEQ) / (8 * BW)
    # Mistral Large 2 by hand from its config: 88 layers of d 12288 (96 heads of 128, 8 KV heads),
    # SwiGLU FFN 28672, vocabulary 32768, untied: 122,610,069,504 parameters.
    ml2 = 88 * (2 * 12288**2 + 2 * 12288 * 1024 + 3 * 12288 * 28672 + 2 * 12288) + 2 * 32768 * 12288 + 12288
    assert ml2 == 122_610_069_504
    for expected in (KV_TOKEN, 8 * 3 / 3600 * step * 1e6, 16 * BW / (1.8e12 + KV_SEQ), 1100, 1.8e12 / ml2):
        assert shows(built_site, page, expected, 1e-3), expected


# --------------------------------------------------------------------------- compute-anchor chapter
def test_compute_gaps_and_clusters(v: SimpleNamespace, w: dict):
    jump = v.const("compute_gap_discontinuous")
    assert close(w["generations"](v.const("compute_gap_half"), jump).value, 0.5, 1e-12)
    assert close(w["generations"](v.const("compute_gap_quarter"), jump).value, math.log(3) / math.log(100), 1e-12)
    grok, h100 = v.model("grok-3"), v.hw("h100-sxm")
    # 3e26 FLOP on 100,000 H100s at 989.5 TFLOP/s: 3.032e6 s = 35.1 days.
    assert close(w["days_at"](grok.reported_train_flops, grok.gpus, h100.peak("bf16")).value, 35.09, 1e-3)
    assert grok.reported_train_flops.status == "estimated"
    ratio = v.model("gemini-2.0-pro").reported_train_flops / grok.reported_train_flops
    assert close(ratio.value, 2.0, 1e-12)  # the thread's "2x the Grok 3 compute"
    assert close((grok.reported_train_flops / v.model("deepseek-v3").train_flops).value, 3e26 / 3.2856e24, 1e-9)


def test_compute_anchor_chapter_shows_the_worked_values(built_site: Path):
    page = "chapters/compute-anchor.md"
    for expected in (3e26 * 150 / L405_FLOPS, 35.09, math.log10(L405_FLOPS / 3e26) / 2):
        assert shows(built_site, page, expected, 2e-3), expected


def test_corrections_include_lists_the_economics_rows(built_site: Path):
    text = (built_site / "appendix/corrections/index.html").read_text()
    assert 'id="economics"' in text and 'id="economics-confirmed"' in text
    assert "Macro Rendering Error" not in text


# --------------------------------------------------------------------------- new pure formulas
def test_serving_helpers():
    assert f.powers_of_two(1) == [1] and f.powers_of_two(20) == [1, 2, 4, 8, 16]
    with pytest.raises(ValueError):
        f.powers_of_two(0)
    slow = f.DecodePoint(1, 8, 0.1, 10.0, 1.0, "memory")
    fast = f.DecodePoint(2, 8, 0.01, 100.0, 3.0, "memory")
    faster = f.DecodePoint(4, 8, 0.005, 200.0, 2.5, "memory")
    assert f.cheapest_at_speed([slow, fast, faster], 50) is faster
    assert f.cheapest_at_speed([slow, fast, faster], 500) is None
    # decode_sweep drops configurations that do not fit: 100 GB of weights on one 80 GB GPU.
    pts = f.decode_sweep(
        gpu_counts=[1, 2],
        batches=[1],
        total_params=100e9,
        active_params=100e9,
        bytes_per_param=1,
        kv_bytes_per_sequence=0,
        gpu_memory_bytes=80e9,
        gpu_bandwidth_bytes_per_s=1e12,
        gpu_peak_flop_per_s=1e15,
        usd_per_gpu_hour=1,
    )
    assert [p.gpus for p in pts] == [2] and close(pts[0].step_seconds, 100e9 / 2e12, 1e-12)
