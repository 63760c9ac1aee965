"""Compute-optimal allocation of a budget, and when a smaller, longer-trained model pays off."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import derive
from .. import formulas as f
from ..errors import MacroError
from ..quantity import Q, inputs_of
from .base import Vocabulary, word
from .models import ModelView, view
from .scaling import expr_of, fit_inputs, fit_loss


@dataclass(frozen=True)
class Optimum:
    """Compute-optimal allocation of one budget under one fit (``optimal(...)``)."""

    params: Q
    tokens: Q
    ratio: Q
    loss: Q


@dataclass(frozen=True)
class Breakeven:
    """A smaller model trained long enough to match a bigger one's fitted loss (``breakeven(...)``)."""

    reachable: bool
    cheaper_to_train: bool  # the small model matches the big one's loss for less training compute
    target: Q  # the big model's loss under the fit
    floor: Q  # the small model's loss with unlimited data
    tokens: Q  # tokens the small model needs (None when unreachable)
    tokens_per_param: Q
    small_flops: Q
    big_flops: Q
    extra_flops: Q
    saving_per_token: Q
    served: Q  # generated tokens at which the lifetime costs are equal


@word
def optimal(v: Vocabulary, budget: Q, fit: str = "hoffmann") -> Optimum:
    """Compute-optimal N and D for a budget of ``budget`` FLOP under a loss fit."""
    lf, qs, name = fit_inputs(v, fit)
    if not budget.known:
        raise MacroError(f"optimal: the budget {expr_of(budget)} is undisclosed")
    n, d = derive.optimum(v.book, budget.value, fit)
    inputs, e = inputs_of(budget, *qs), f"optimal({expr_of(budget)}, {fit!r})"
    what = f"for {budget.text} ({name})"

    def q(value: float, kind: str, label: str, formula: str, attr: str) -> Q:
        return Q(
            value=value,
            kind=kind,
            label=f"{label} {what}",
            formula=formula,
            inputs=inputs,
            method="compute-optimal",
            expr=f"{e}.{attr}",
        )

    return Optimum(
        params=q(n, "params", "compute-optimal parameters", "G × (C ÷ 6)^(β/(α+β))", "params"),
        tokens=q(d, "tokens", "compute-optimal tokens", "(C ÷ 6)^(α/(α+β)) ÷ G", "tokens"),
        ratio=q(f.tokens_per_param(d, n), "number", "tokens per parameter at the optimum", "D_opt ÷ N_opt", "ratio"),
        loss=q(f.chinchilla_loss(n, d, lf), "loss", "lowest fitted loss", "L(N_opt, D_opt)", "loss"),
    )


@word
def breakeven(v: Vocabulary, small: str | ModelView, big: str | ModelView, fit: str = "hoffmann") -> Breakeven:
    """Train a model of ``small``'s size until its fitted loss equals ``big``'s; when does it pay off?"""
    s, b = view(v, small), view(v, big)
    lf, qs, name = fit_inputs(v, fit)
    target = fit_loss(v, b, fit)
    ns, nb = s.params, b.params
    e = f"breakeven({s.id!r}, {b.id!r}, {fit!r})"

    def q(value: float | None, kind: str, label: str, formula: str, inputs: tuple, attr: str) -> Q:
        return Q(
            value=value,
            kind=kind,
            label=label,
            formula=formula,
            inputs=inputs,
            method="breakeven",
            expr=f"{e}.{attr}",
        )

    floor = q(
        f.loss_floor(ns.value, lf),
        "loss",
        f"lowest fitted loss of a {ns.text}-parameter model ({name})",
        "E + A ÷ N^α",
        inputs_of(ns, *qs),
        "floor",
    )
    d = f.tokens_for_loss(ns.value, target.value, lf)
    reachable = math.isfinite(d)
    ins = inputs_of(ns, target)
    tokens = q(
        d if reachable else None,
        "tokens",
        f"tokens a {ns.text}-parameter model needs to match {b.display} ({name})",
        "(B ÷ (L − E − A ÷ N^α))^(1/β)",
        ins,
        "tokens",
    )
    tpp = q(
        f.tokens_per_param(d, ns.value) if reachable else None,
        "number",
        "tokens per parameter of that model",
        "D ÷ N",
        ins,
        "tokens_per_param",
    )
    small_flops = q(
        f.train_flops(ns.value, d) if reachable else None,
        "flop",
        f"training compute of that {ns.text}-parameter model",
        "6 × N × D",
        ins,
        "small_flops",
    )
    big_flops = b.train_flops
    saving = q(
        f.inference_saving_per_token(nb.value, ns.value),
        "flop",
        "compute saved per generated token",
        "2 × (N_big − N_small)",
        inputs_of(ns, nb),
        "saving_per_token",
    )
    if reachable:
        extra_v = small_flops.value - big_flops.value
        served_v = f.breakeven_served_tokens(ns.value, d, nb.value, b.tokens.value)
    else:
        extra_v = served_v = None
    all_ins = inputs_of(small_flops, big_flops, saving)
    extra = q(
        extra_v,
        "flop",
        "extra training compute of the smaller model",
        "6·N_s·D_s − 6·N_b·D_b",
        all_ins,
        "extra_flops",
    )
    served = q(
        served_v,
        "tokens",
        f"generated tokens at which the smaller model's lifetime compute equals {b.display}'s",
        "(6·N_s·D_s − 6·N_b·D_b) ÷ (2·N_b − 2·N_s)",
        all_ins,
        "served",
    )
    cheaper = reachable and extra_v <= 0
    return Breakeven(
        reachable=reachable,
        cheaper_to_train=cheaper,
        target=target,
        floor=floor,
        tokens=tokens,
        tokens_per_param=tpp,
        small_flops=small_flops,
        big_flops=big_flops,
        extra_flops=extra,
        saving_per_token=saving,
        served=served,
    )
