"""Pure formulas of the book: no I/O, no imports from the project.

Chapters (through the macros) and ``build_figures.py`` call the same functions, so a
chart and a sentence can never disagree. Every function takes plain numbers in base
units (parameters, tokens, FLOP, bytes, seconds, dollars) and returns plain numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

# Training a dense transformer costs about 6 FLOP per parameter per token:
# 2 for the forward pass (one multiply and one add per weight) and 4 for the backward
# pass (gradients with respect to activations and to weights). Kaplan et al. 2020, sec 2.1.
TRAIN_FLOP_PER_PARAM_TOKEN = 6
# Generating one token costs about 2 FLOP per active parameter (forward pass only).
INFER_FLOP_PER_PARAM_TOKEN = 2

# Bytes needed to store one weight in each number format (a definition, not a measurement).
BYTES_PER_PARAM: Mapping[str, float] = {"fp32": 4.0, "bf16": 2.0, "fp8": 1.0, "int4": 0.5}

SECONDS_PER_HOUR = 3600
HOURS_PER_DAY = 24


# --- compute and data -----------------------------------------------------------------
def train_flops(params: float, tokens: float) -> float:
    """Training compute C = 6·N·D (N active parameters, D training tokens)."""
    return TRAIN_FLOP_PER_PARAM_TOKEN * params * tokens


def inference_flops_per_token(active_params: float) -> float:
    """Forward-pass compute for one generated token: 2·N_active."""
    return INFER_FLOP_PER_PARAM_TOKEN * active_params


def tokens_per_param(tokens: float, params: float) -> float:
    return tokens / params


def chinchilla_tokens(params: float, ratio: float) -> float:
    """Compute-optimal token count by the rule of thumb D ≈ ratio·N."""
    return ratio * params


def overtrain_factor(tokens: float, params: float, ratio: float) -> float:
    """How many times more tokens than the rule-of-thumb optimum: D / (ratio·N)."""
    return tokens / chinchilla_tokens(params, ratio)


# --- memory -------------------------------------------------------------------------
def weight_bytes(params: float, precision: str) -> float:
    """Bytes to hold the weights alone (no activations, KV cache or optimizer state)."""
    try:
        return params * BYTES_PER_PARAM[precision]
    except KeyError:
        raise ValueError(f"unknown precision {precision!r}; known: {', '.join(BYTES_PER_PARAM)}") from None


def devices_needed(total_bytes: float, device_bytes: float) -> int:
    """Whole accelerators needed so that their memory holds ``total_bytes``."""
    if device_bytes <= 0:
        raise ValueError("device memory must be positive")
    return max(1, math.ceil(total_bytes / device_bytes - 1e-12))


# --- parameter count from an architecture -----------------------------------------------
class Arch(Protocol):
    """The architecture fields the formulas read (the loader's record has them; see data/README.md)."""

    layers: int
    d_model: int
    heads: int
    kv_heads: int
    ffn: int
    vocab: int
    tied_embeddings: bool
    ffn_kind: str
    head_dim: int | None
    norm: str
    norms_per_layer: int
    qk_norm: bool
    linear_bias: bool
    qkv_bias: bool
    position: str
    context: int | None
    experts: int
    experts_per_token: int
    shared_experts: int
    moe_ffn: int | None
    dense_layers: int
    router_bias: bool
    attention: str
    q_lora_rank: int | None
    kv_lora_rank: int | None
    qk_nope_head_dim: int | None
    qk_rope_head_dim: int | None
    v_head_dim: int | None


COMPONENTS = ("embedding", "position", "attention", "ffn", "norms", "head")


def _norm_params(arch: Arch, width: int) -> int:
    return width * (2 if arch.norm == "layernorm" else 1)


def attention_params(arch: Arch) -> int:
    """Weights of one attention block (projections, their biases and q/k norms)."""
    d = arch.d_model
    if arch.attention == "mla":
        # Multi-head latent attention (DeepSeek-V2/V3): queries and keys/values pass
        # through low-rank bottlenecks, each followed by an RMSNorm.
        qk_head = arch.qk_nope_head_dim + arch.qk_rope_head_dim
        q = d * arch.q_lora_rank + arch.q_lora_rank + arch.q_lora_rank * arch.heads * qk_head
        kv = (
            d * (arch.kv_lora_rank + arch.qk_rope_head_dim)
            + arch.kv_lora_rank
            + arch.kv_lora_rank * arch.heads * (arch.qk_nope_head_dim + arch.v_head_dim)
        )
        out = arch.heads * arch.v_head_dim * d
        return q + kv + out
    hd = arch.head_dim or d // arch.heads
    q_width, kv_width = arch.heads * hd, arch.kv_heads * hd
    weights = d * q_width + 2 * d * kv_width + q_width * d
    biases = 0
    if arch.linear_bias:
        biases = q_width + 2 * kv_width + d
    elif arch.qkv_bias:
        biases = q_width + 2 * kv_width
    qk_norms = 2 * _norm_params(arch, hd) if arch.qk_norm else 0
    return weights + biases + qk_norms


def ffn_params(arch: Arch, hidden: int) -> int:
    """One feed-forward network of hidden size ``hidden``."""
    d = arch.d_model
    matrices = 3 if arch.ffn_kind == "gated" else 2
    biases = (hidden + d) if arch.linear_bias else 0
    return matrices * d * hidden + biases


def param_breakdown(arch: Arch) -> dict[str, float]:
    """Parameters by component, plus ``total`` and ``active`` (per token, for MoE).

    Components: token embedding, learned positions, attention, feed-forward (all
    experts and routers), norms (per layer and final), and the output head (zero when
    tied to the embedding).
    """
    d = arch.d_model
    embedding = arch.vocab * d
    position = (arch.context or 0) * d if arch.position == "learned" else 0
    head = 0 if arch.tied_embeddings else arch.vocab * d
    attention = arch.layers * attention_params(arch)
    norms = arch.layers * arch.norms_per_layer * _norm_params(arch, d) + _norm_params(arch, d)

    if arch.experts:
        moe_layers = arch.layers - arch.dense_layers
        expert = ffn_params(arch, arch.moe_ffn or arch.ffn)
        # A router is a d_model -> experts projection, plus (DeepSeek-V3) a per-expert bias.
        router = d * arch.experts + (arch.experts if arch.router_bias else 0)
        dense = arch.dense_layers * ffn_params(arch, arch.ffn)
        ffn_total = dense + moe_layers * ((arch.experts + arch.shared_experts) * expert + router)
        ffn_active = dense + moe_layers * ((arch.experts_per_token + arch.shared_experts) * expert + router)
    else:
        ffn_total = ffn_active = arch.layers * ffn_params(arch, arch.ffn)

    parts = {
        "embedding": embedding,
        "position": position,
        "attention": attention,
        "ffn": ffn_total,
        "norms": norms,
        "head": head,
    }
    total = sum(parts.values())
    parts["total"] = total
    parts["active"] = total - ffn_total + ffn_active
    return {k: float(v) for k, v in parts.items()}


def relative_error(computed: float, stated: float) -> float:
    return abs(computed - stated) / stated


# --- scaling laws ---------------------------------------------------------------------
def kaplan_loss(n: float, n_c: float, alpha_n: float) -> float:
    """Kaplan et al. 2020: L(N) = (N_c / N)^α_N (nats/token, non-embedding N, data unlimited)."""
    return (n_c / n) ** alpha_n


def kaplan_loss_factor(scale: float, alpha_n: float) -> float:
    """Multiplicative change of L(N) when N grows by ``scale``: scale^(−α_N)."""
    return scale ** (-alpha_n)


def kaplan_loss_cut(scale: float, alpha_n: float) -> float:
    """Share of L(N) removed when N grows by ``scale``: 1 − scale^(−α_N)."""
    return 1 - kaplan_loss_factor(scale, alpha_n)


def kaplan_drop(loss: float, scale: float, alpha_n: float) -> float:
    """Nats removed from a loss ``loss`` when N grows by ``scale``: L·(1 − scale^(−α_N))."""
    return loss * kaplan_loss_cut(scale, alpha_n)


def kaplan_loss_for_drop(drop: float, scale: float, alpha_n: float) -> float:
    """The loss at which growing N by ``scale`` removes ``drop`` nats: drop / (1 − scale^(−α_N))."""
    return drop / kaplan_loss_cut(scale, alpha_n)


@dataclass(frozen=True)
class LossFit:
    """Chinchilla-style fit L(N, D) = E + A / N^α + B / D^β."""

    e: float
    a: float
    b: float
    alpha: float
    beta: float


def chinchilla_loss(n: float, d: float, fit: LossFit) -> float:
    return fit.e + fit.a / n**fit.alpha + fit.b / d**fit.beta


def loss_floor(n: float, fit: LossFit) -> float:
    """Lowest fitted loss a model of N parameters reaches with unlimited data: E + A / N^α."""
    return fit.e + fit.a / n**fit.alpha


def compute_optimal(flops: float, fit: LossFit) -> tuple[float, float]:
    """(N_opt, D_opt) minimising the fitted loss subject to 6·N·D = C.

    Setting the derivative of E + A·N^−α + B·(C/6N)^−β to zero gives
    N_opt = G·(C/6)^(β/(α+β)) and D_opt = (C/6)^(α/(α+β)) / G with
    G = (αA / βB)^(1/(α+β))  (Hoffmann et al. 2022, eq. 4).
    """
    s = fit.alpha + fit.beta
    g = (fit.alpha * fit.a / (fit.beta * fit.b)) ** (1 / s)
    base = flops / TRAIN_FLOP_PER_PARAM_TOKEN
    return g * base ** (fit.beta / s), base ** (fit.alpha / s) / g


def tokens_for_loss(n: float, target_loss: float, fit: LossFit) -> float:
    """Tokens a model of N parameters needs to reach ``target_loss`` under the fit.

    Returns ``math.inf`` when the target is at or below what N can reach with infinite data.
    """
    gap = target_loss - fit.e - fit.a / n**fit.alpha
    if gap <= 0:
        return math.inf
    return (fit.b / gap) ** (1 / fit.beta)


# --- hardware, time and money ------------------------------------------------------------
def gpu_days(gpu_hours: float, gpus: float) -> float:
    """Wall-clock days for ``gpu_hours`` spread evenly over ``gpus`` accelerators."""
    return gpu_hours / gpus / HOURS_PER_DAY


def gpu_cost(gpu_hours: float, price_per_gpu_hour: float) -> float:
    return gpu_hours * price_per_gpu_hour


def gpu_hours_for(flops: float, peak_flop_per_s: float, utilization: float) -> float:
    """GPU-hours to deliver ``flops`` at a fraction ``utilization`` of peak."""
    return flops / (peak_flop_per_s * utilization) / SECONDS_PER_HOUR


def mfu(flops: float, gpu_hours: float, peak_flop_per_s: float) -> float:
    """Model FLOPs utilisation: useful FLOP / (GPU-seconds × peak FLOP/s)."""
    return flops / (gpu_hours * SECONDS_PER_HOUR * peak_flop_per_s)


# --- mixture of experts ---------------------------------------------------------------------
def sparsity(total_params: float, active_params: float) -> float:
    """Total-to-active ratio (8 means one parameter in eight works on a given token)."""
    return total_params / active_params


def effective_dense_flops(raw_flops: float, multiplier: float) -> float:
    """Dense-model compute that a MoE's raw compute is reported to be worth."""
    return raw_flops * multiplier


# --- lifetime cost of training plus serving -------------------------------------------------
def breakeven_served_tokens(small_params: float, small_tokens: float, big_params: float, big_tokens: float) -> float:
    """Served tokens beyond which the small model's lifetime compute is lower.

    Solves 6·Ns·Ds + 2·Ns·T = 6·Nb·Db + 2·Nb·T for T. Returns 0 when the small model
    is already cheaper to train, and ``math.inf`` when it never catches up.
    """
    extra_training = train_flops(small_params, small_tokens) - train_flops(big_params, big_tokens)
    saving_per_token = inference_flops_per_token(big_params) - inference_flops_per_token(small_params)
    if extra_training <= 0:
        return 0.0
    if saving_per_token <= 0:
        return math.inf
    return extra_training / saving_per_token


# --- inference economics (decode) ------------------------------------------------------------
@dataclass(frozen=True)
class DecodePoint:
    gpus: int
    batch: int
    step_seconds: float
    tokens_per_second_per_user: float
    usd_per_million_tokens: float
    bound: str  # "memory" or "compute"


def decode_point(
    *,
    total_params: float,
    active_params: float,
    bytes_per_param: float,
    kv_bytes_per_sequence: float,
    batch: int,
    gpus: int,
    gpu_memory_bytes: float,
    gpu_bandwidth_bytes_per_s: float,
    gpu_peak_flop_per_s: float,
    usd_per_gpu_hour: float,
    utilization: float = 1.0,
) -> DecodePoint | None:
    """One decode step of ``batch`` sequences on ``gpus`` accelerators.

    Each step must read every weight once and each sequence's KV cache once (memory
    time), and do 2·N_active FLOP per sequence (compute time); the step takes the longer
    of the two. ``utilization`` scales both peaks. Returns None when weights plus KV cache
    do not fit in the accelerators' memory.
    """
    weights = total_params * bytes_per_param
    kv = kv_bytes_per_sequence * batch
    if weights + kv > gpus * gpu_memory_bytes:
        return None
    memory_s = (weights + kv) / (gpus * gpu_bandwidth_bytes_per_s * utilization)
    compute_s = batch * inference_flops_per_token(active_params) / (gpus * gpu_peak_flop_per_s * utilization)
    step = max(memory_s, compute_s)
    usd_per_token = gpus * usd_per_gpu_hour / SECONDS_PER_HOUR * step / batch
    return DecodePoint(
        gpus=gpus,
        batch=batch,
        step_seconds=step,
        tokens_per_second_per_user=1 / step,
        usd_per_million_tokens=usd_per_token * 1e6,
        bound="memory" if memory_s >= compute_s else "compute",
    )


def pareto_frontier(points: list[DecodePoint]) -> list[DecodePoint]:
    """Points not beaten on both speed (higher) and price (lower), sorted by speed."""
    best: list[DecodePoint] = []
    for p in sorted(points, key=lambda p: (-p.tokens_per_second_per_user, p.usd_per_million_tokens)):
        if not best or p.usd_per_million_tokens < best[-1].usd_per_million_tokens:
            best.append(p)
    return sorted(best, key=lambda p: p.tokens_per_second_per_user)


# --- scaling-law helpers for the scaling chapters ---------------------------------------------
def kaplan_params_for_loss(loss: float, n_c: float, alpha_n: float) -> float:
    """Inverse of :func:`kaplan_loss`: the (non-embedding) N at which L(N) equals ``loss``."""
    return n_c / loss ** (1 / alpha_n)


def power_growth(scale: float, exponent: float) -> float:
    """How much a quantity proportional to X^exponent grows when X grows by ``scale``."""
    return scale**exponent


def optimal_tokens_for_params(n: float, fit: LossFit) -> float:
    """Tokens D for which a model of N parameters is the compute-optimal one under ``fit``.

    Inverts N_opt = G·(C/6)^(β/(α+β)): C/6 = (N/G)^((α+β)/β), and D = (C/6)/N.
    """
    s = fit.alpha + fit.beta
    g = (fit.alpha * fit.a / (fit.beta * fit.b)) ** (1 / s)
    return (n / g) ** (s / fit.beta) / n


def optimal_loss(flops: float, fit: LossFit) -> float:
    """Lowest loss the fit predicts for a compute budget (at the compute-optimal N and D)."""
    n, d = compute_optimal(flops, fit)
    return chinchilla_loss(n, d, fit)


def compute_for_loss(target_loss: float, fit: LossFit) -> float:
    """Smallest 6·N·D budget whose compute-optimal model reaches ``target_loss`` under ``fit``.

    The optimal loss falls monotonically with compute, so bisection on log C converges.
    Returns ``math.inf`` when the target is at or below the irreducible loss E.
    """
    if target_loss <= fit.e:
        return math.inf
    lo, hi = 1.0, 1e40
    if optimal_loss(hi, fit) > target_loss:
        return math.inf
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if optimal_loss(mid, fit) > target_loss:
            lo = mid
        else:
            hi = mid
        if hi / lo < 1 + 1e-12:
            break
    return hi


def era_index(year: int, starts: list[int]) -> int:
    """0-based index of the era a year falls in, given the (ascending) first year of each era.

    Years before the first era count as the first era.
    """
    index = 0
    for i, start in enumerate(starts):
        if year >= start:
            index = i
    return index


# --- serving: KV cache, decode grids (economics chapters) -------------------------------------
def kv_cache_bytes_per_token(arch: Arch, bytes_per_value: float) -> float:
    """Bytes of KV cache one token occupies across all layers.

    Standard attention stores a key and a value vector per key/value head per layer:
    2 · layers · kv_heads · head_dim values. Multi-head latent attention (DeepSeek-V2/V3)
    caches one compressed latent of width kv_lora_rank plus the shared RoPE key per layer.
    """
    if arch.attention == "mla":
        per_layer = arch.kv_lora_rank + arch.qk_rope_head_dim
    else:
        per_layer = 2 * arch.kv_heads * (arch.head_dim or arch.d_model // arch.heads)
    return arch.layers * per_layer * bytes_per_value


def powers_of_two(limit: int) -> list[int]:
    """1, 2, 4, ... up to and including ``limit`` (the grid a serving sweep tries)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    out, x = [], 1
    while x <= limit:
        out.append(x)
        x *= 2
    return out


def decode_sweep(*, gpu_counts: list[int], batches: list[int], **kwargs: float) -> list[DecodePoint]:
    """Every (GPUs, batch) combination of :func:`decode_point` that fits in memory."""
    points = [decode_point(gpus=g, batch=b, **kwargs) for g in gpu_counts for b in batches]
    return [p for p in points if p is not None]


def cheapest_at_speed(points: list[DecodePoint], min_speed: float) -> DecodePoint | None:
    """The lowest-cost point that still gives each user at least ``min_speed`` tokens/s."""
    fast = [p for p in points if p.tokens_per_second_per_user >= min_speed]
    return min(fast, key=lambda p: (p.usd_per_million_tokens, -p.tokens_per_second_per_user), default=None)


# --- small derived ratios the chapters name ------------------------------------------------------
def nonembedding_params(total: float, embedding: float, position: float, head: float) -> float:
    """Parameters outside the token and position embeddings and the output head (Kaplan's N)."""
    return total - embedding - position - head


def inverse(x: float) -> float:
    """1 / x: e.g. the active share of the parameters from the sparsity (total ÷ active)."""
    return 1 / x


def expert_sparsity(experts: float, experts_per_token: float) -> float:
    """Routed experts per MoE layer ÷ routed experts chosen per token."""
    return experts / experts_per_token


def gpu_hours_in(gpus: float, days: float) -> float:
    """GPU-hours that ``gpus`` accelerators deliver in ``days`` of wall-clock time."""
    return gpus * days * HOURS_PER_DAY


def kv_cache_bytes_per_sequence(bytes_per_token: float, context_tokens: float) -> float:
    """KV cache one sequence of ``context_tokens`` tokens occupies."""
    return bytes_per_token * context_tokens


def halving(step: int) -> float:
    """Scale factor after ``step`` halvings: ½^step."""
    return 0.5**step


def speed_with_reasoning(visible_speed: float, hidden_per_shown: float) -> float:
    """Raw generation speed that shows ``visible_speed`` tokens/s when each shown token comes with
    ``hidden_per_shown`` hidden reasoning tokens: speed × (r + 1)."""
    return visible_speed * (hidden_per_shown + 1)


def generations(gap: float, jump: float) -> float:
    """How many generational jumps of ratio ``jump`` a compute ratio ``gap`` spans: log(gap) ÷ log(jump)."""
    return math.log(gap) / math.log(jump)


def orders_of_magnitude(ratio: float) -> float:
    """log₁₀ of a ratio."""
    return math.log10(ratio)


def inference_saving_per_token(big_active_params: float, small_active_params: float) -> float:
    """Compute saved on each generated token by serving the smaller model: 2·N_big − 2·N_small."""
    return inference_flops_per_token(big_active_params) - inference_flops_per_token(small_active_params)
