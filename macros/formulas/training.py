"""Training, memory, hardware time and money, mixture of experts and lifetime compute: pure formulas.

Plain numbers in SI base units in, plain numbers out (parameters, tokens, FLOP, bytes, seconds,
hours, dollars); nothing here imports the rest of the project.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

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
    if precision not in BYTES_PER_PARAM:
        raise ValueError(f"unknown precision {precision!r}; known: {', '.join(list(BYTES_PER_PARAM))}")
    return params * BYTES_PER_PARAM[precision]


def devices_needed(total_bytes: float, device_bytes: float) -> int:
    """Whole accelerators needed so that their memory holds ``total_bytes``."""
    if device_bytes <= 0:
        raise ValueError("device memory must be positive")
    return max(1, math.ceil(total_bytes / device_bytes - 1e-12))


# --- hardware, time and money ------------------------------------------------------------
def gpu_days(gpu_hours: float, gpus: float) -> float:
    """Wall-clock days for ``gpu_hours`` spread evenly over ``gpus`` accelerators."""
    return gpu_hours / gpus / HOURS_PER_DAY


def gpu_cost(gpu_hours: float, price_per_gpu_hour: float) -> float:
    return gpu_hours * price_per_gpu_hour


def gpu_hours_for(flops: float, peak_flop_per_s: float, utilization: float) -> float:
    """GPU-hours to deliver ``flops`` at a fraction ``utilization`` of peak."""
    return flops / (peak_flop_per_s * utilization) / SECONDS_PER_HOUR


# The calculators' budgets run the other way: from money or machine time to what it buys.
def gpu_hours_for_cost(usd: float, price_per_gpu_hour: float) -> float:
    """GPU-hours that ``usd`` rents at ``price_per_gpu_hour`` (the inverse of :func:`gpu_cost`)."""
    return usd / price_per_gpu_hour


def flops_in_gpu_hours(gpu_hours: float, peak_flop_per_s: float, utilization: float) -> float:
    """Useful FLOP that ``gpu_hours`` deliver at a fraction ``utilization`` of peak (the inverse of :func:`gpu_hours_for`)."""
    return gpu_hours * SECONDS_PER_HOUR * peak_flop_per_s * utilization


def tokens_for_flops(flops: float, params: float) -> float:
    """Training tokens D a compute budget C buys for N active parameters: C / (6·N) (the inverse of :func:`train_flops`)."""
    return flops / (TRAIN_FLOP_PER_PARAM_TOKEN * params)


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
