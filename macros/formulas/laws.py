"""Scaling laws: Kaplan's L(N), Chinchilla-style fits L(N, D), compute-optimal allocation, eras.

Pure formulas; the fits' constants come from ``data/constants.toml`` through :mod:`macros.derive`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .training import TRAIN_FLOP_PER_PARAM_TOKEN


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
