"""Inference economics: one decode step on a group of accelerators, sweeps and Pareto frontiers.

Pure formulas: bytes, FLOP, seconds and dollars in and out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .training import SECONDS_PER_HOUR, inference_flops_per_token

MILLION = 1e6  # tokens in the "per million tokens" of a price


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
        usd_per_million_tokens=usd_per_token * MILLION,
        bound="memory" if memory_s >= compute_s else "compute",
    )


def pareto_frontier(points: list[DecodePoint]) -> list[DecodePoint]:
    """Points not beaten on both speed (higher) and price (lower), sorted by speed."""
    best: list[DecodePoint] = []
    # Fastest first, cheaper first among equally fast: two stable sorts (one key each, which the
    # compiled JavaScript orders exactly as Python; a tuple key would compare as text there).
    by_price = sorted(points, key=lambda p: p.usd_per_million_tokens)
    for p in sorted(by_price, key=lambda p: -p.tokens_per_second_per_user):
        if not best or p.usd_per_million_tokens < best[-1].usd_per_million_tokens:
            best.append(p)
    return sorted(best, key=lambda p: p.tokens_per_second_per_user)


# --- serving: KV cache, decode grids (economics chapters) -------------------------------------
def powers_of_two(limit: int) -> list[int]:
    """1, 2, 4, ... up to and including ``limit`` (the grid a serving sweep tries)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    out, x = [], 1
    while x <= limit:
        out.append(x)
        x *= 2
    return out


def decode_sweep(
    gpu_counts: list[int],
    batches: list[int],
    total_params: float,
    active_params: float,
    bytes_per_param: float,
    kv_bytes_per_sequence: float,
    gpu_memory_bytes: float,
    gpu_bandwidth_bytes_per_s: float,
    gpu_peak_flop_per_s: float,
    usd_per_gpu_hour: float,
    utilization: float = 1.0,
) -> list[DecodePoint]:
    """Every (GPUs, batch) combination of :func:`decode_point` that fits in memory."""
    points = []
    for g in gpu_counts:
        for b in batches:
            p = decode_point(
                total_params,
                active_params,
                bytes_per_param,
                kv_bytes_per_sequence,
                b,
                g,
                gpu_memory_bytes,
                gpu_bandwidth_bytes_per_s,
                gpu_peak_flop_per_s,
                usd_per_gpu_hour,
                utilization,
            )
            if p is not None:
                points.append(p)
    return points


def cheapest_at_speed(points: list[DecodePoint], min_speed: float) -> DecodePoint | None:
    """The lowest-cost point that still gives each user at least ``min_speed`` tokens/s."""
    best = None  # the first of the cheapest, faster first among equally cheap (as min() with a key)
    for p in points:
        if p.tokens_per_second_per_user < min_speed:
            continue
        if (
            best is None
            or p.usd_per_million_tokens < best.usd_per_million_tokens
            or (
                p.usd_per_million_tokens == best.usd_per_million_tokens
                and p.tokens_per_second_per_user > best.tokens_per_second_per_user
            )
        ):
            best = p
    return best
