"""Scaling-law words: Kaplan's L(N), the Chinchilla-style fits, compute-optimal budgets.

Every word returns quantities whose inputs include the fit's constants next to the model's
figures, so a tooltip shows both and an estimated, claimed or rumored input marks the result.
"""

from __future__ import annotations

import math

from .. import derive
from .. import formulas as f
from ..errors import MacroError
from ..quantity import Q, inputs_of
from .base import Vocabulary, const_q, word
from .models import ModelView, view


def expr_of(q: Q) -> str:
    return q.expr or q.label


def fit_inputs(v: Vocabulary, fit: str) -> tuple[f.LossFit, tuple[Q, ...], str]:
    """A named fit's values (from :mod:`macros.derive`), its constants as quantities, and its name."""
    keys = derive.fit_keys(fit)
    return derive.loss_fit(v.book, fit), tuple(const_q(v.book, k) for k in keys), derive.FITS[fit][1]


def _kaplan(v: Vocabulary) -> tuple[Q, Q]:
    return const_q(v.book, "kaplan_n_c"), const_q(v.book, "kaplan_alpha_n")


# -- Kaplan ---------------------------------------------------------------------------------
@word
def nonembedding_params(v: Vocabulary, model: str | ModelView) -> Q:
    """Parameters outside the token and position embeddings and the output head.

    Kaplan et al. fit their law to this count. From the architecture when it is
    public; otherwise the total, which differs by a few percent for large models.
    """
    m = view(v, model)
    value = derive.nonembedding_params(m.m)
    if m.m.arch is None:
        label, formula, inputs = f"parameters of {m.display} (total; no public architecture)", "N", m.params.inputs
    else:
        label, formula = f"non-embedding parameters of {m.display}", "total − embeddings − output head"
        inputs = m.part("total").inputs
    return Q(
        value=value,
        kind="params",
        label=label,
        formula=formula,
        inputs=inputs,
        method="kaplan-law",
        expr=f"nonembedding_params({m.id!r})",
    )


@word
def kaplan_loss(v: Vocabulary, model: str | ModelView) -> Q:
    """L(N) = (N_c/N)^α_N for a model's non-embedding parameters (nats per token)."""
    m = view(v, model)
    n = nonembedding_params(v, m)
    nc, alpha = _kaplan(v)
    return Q(
        value=f.kaplan_loss(n.value, nc.value, alpha.value) if n.known else None,
        kind="loss",
        label=f"Kaplan loss L(N) of {m.display}",
        formula="(N_c ÷ N)^α_N",
        inputs=inputs_of(n, nc, alpha),
        method="kaplan-law",
        expr=f"kaplan_loss({m.id!r})",
    )


@word
def loss_factor(v: Vocabulary, scale: Q) -> Q:
    """Factor by which Kaplan's L(N) shrinks when N grows by ``scale``: scale^(−α_N)."""
    _, alpha = _kaplan(v)
    return Q(
        value=f.kaplan_loss_factor(scale.value, alpha.value),
        kind="ratio",
        label=f"change of L(N) when N grows {scale.as_('ratio').text}",
        formula="scale^(−α_N)",
        inputs=inputs_of(scale, alpha),
        method="kaplan-law",
        expr=f"loss_factor({expr_of(scale)})",
    )


@word
def loss_cut(v: Vocabulary, scale: Q) -> Q:
    """Fraction of the loss removed by growing N by ``scale``: 1 − scale^(−α_N)."""
    _, alpha = _kaplan(v)
    return Q(
        value=f.kaplan_loss_cut(scale.value, alpha.value),
        kind="percent",
        label=f"share of the loss removed when N grows {scale.as_('ratio').text}",
        formula="1 − scale^(−α_N)",
        inputs=loss_factor(v, scale).inputs,
        method="kaplan-law",
        expr=f"loss_cut({expr_of(scale)})",
    )


@word
def kaplan_drop(v: Vocabulary, model: str | ModelView, scale: Q) -> Q:
    """Nats removed from L(N) when ``model`` grows by ``scale``: L·(1 − scale^(−α_N))."""
    m = view(v, model)
    loss, factor = kaplan_loss(v, m), loss_factor(v, scale)
    _, alpha = _kaplan(v)
    return Q(
        value=f.kaplan_drop(loss.value, scale.value, alpha.value) if loss.known else None,
        kind="loss",
        label=f"drop of L(N) when {m.display} grows {scale.as_('ratio').text}",
        formula="L(N) × (1 − scale^(−α_N))",
        inputs=inputs_of(loss, factor),
        method="kaplan-law",
        expr=f"kaplan_drop({m.id!r}, {expr_of(scale)})",
    )


@word
def kaplan_params_for_drop(v: Vocabulary, drop: Q, scale: Q) -> Q:
    """Non-embedding N at which growing by ``scale`` removes ``drop`` nats under L(N)."""
    factor = loss_factor(v, scale)
    nc, alpha = _kaplan(v)
    loss = f.kaplan_loss_for_drop(drop.value, scale.value, alpha.value)
    return Q(
        value=f.kaplan_params_for_loss(loss, nc.value, alpha.value),
        kind="params",
        label=f"model size at which {scale.text} more parameters remove {drop.text} nats",
        formula="N_c ÷ (drop ÷ (1 − scale^(−α_N)))^(1/α_N)",
        inputs=inputs_of(drop, factor, nc, alpha),
        method="kaplan-law",
        expr=f"kaplan_params_for_drop({expr_of(drop)}, {expr_of(scale)})",
    )


@word
def kaplan_loss_before_drop(v: Vocabulary, drop: Q, scale: Q) -> Q:
    """The loss a model must have for a ``scale`` step to remove ``drop`` nats."""
    factor = loss_factor(v, scale)
    _, alpha = _kaplan(v)
    return Q(
        value=f.kaplan_loss_for_drop(drop.value, scale.value, alpha.value),
        kind="loss",
        label=f"loss at which {scale.text} more parameters remove {drop.text} nats",
        formula="drop ÷ (1 − scale^(−α_N))",
        inputs=inputs_of(drop, factor),
        method="kaplan-law",
        expr=f"kaplan_loss_before_drop({expr_of(drop)}, {expr_of(scale)})",
    )


@word
def grow(v: Vocabulary, scale: Q, exponent: Q) -> Q:
    """Growth of a quantity proportional to X^exponent when X grows by ``scale``."""
    return Q(
        value=f.power_growth(scale.value, exponent.value),
        kind="ratio",
        label=f"growth when the budget grows {scale.as_('ratio').text} ({exponent.label})",
        formula="scale^exponent",
        inputs=inputs_of(scale, exponent),
        method="compute-allocation",
        expr=f"grow({expr_of(scale)}, {expr_of(exponent)})",
    )


# -- Chinchilla-style fits ---------------------------------------------------------------------
@word
def fit_loss(v: Vocabulary, model: str | ModelView, fit: str = "hoffmann") -> Q:
    """L(N, D) = E + A/N^α + B/D^β for a model's parameters and tokens."""
    m = view(v, model)
    _, qs, name = fit_inputs(v, fit)
    return Q(
        value=derive.fit_loss(v.book, m.m, fit),
        kind="loss",
        label=f"fitted loss of {m.display} ({name})",
        formula="E + A ÷ N^α + B ÷ D^β",
        inputs=inputs_of(m.params, m.tokens, *qs),
        method="chinchilla-fit",
        expr=f"fit_loss({m.id!r}, {fit!r})",
    )


@word
def optimal_tokens(v: Vocabulary, params: Q, fit: str = "besiroglu") -> Q:
    """Training tokens for which a model of ``params`` parameters is compute-optimal under the fit."""
    lf, qs, name = fit_inputs(v, fit)
    return Q(
        value=f.optimal_tokens_for_params(params.value, lf) if params.known else None,
        kind="tokens",
        label=f"compute-optimal tokens for {params.label} ({name})",
        formula="(N ÷ G)^((α+β)/β) ÷ N",
        inputs=inputs_of(params, *qs),
        method="optimal-tokens",
        expr=f"optimal_tokens({expr_of(params)}, {fit!r})",
    )


@word
def compute_for_loss(v: Vocabulary, loss: Q, fit: str = "hoffmann") -> Q:
    """Smallest budget whose compute-optimal model reaches ``loss`` under the fit."""
    lf, qs, name = fit_inputs(v, fit)
    value = f.compute_for_loss(loss.value, lf) if loss.known else None
    if value is not None and math.isinf(value):
        raise MacroError(f"compute_for_loss: {loss.text} is below what the {name} can reach")
    return Q(
        value=value,
        kind="flop",
        label=f"compute-optimal budget that reaches {loss.label}",
        formula="L_opt(C) = target, solved for C",
        inputs=inputs_of(loss, *qs),
        method="compute-for-loss",
        expr=f"compute_for_loss({expr_of(loss)}, {fit!r})",
    )


@word
def orders(v: Vocabulary, ratio: Q) -> Q:
    """Orders of magnitude spanned by a ratio: log10 of it."""
    if not ratio.known or ratio.value <= 0:
        raise MacroError(f"orders: {expr_of(ratio)} is not a positive known ratio")
    return Q(
        value=f.orders_of_magnitude(ratio.value),
        kind="decimal",
        label=f"orders of magnitude in {ratio.label}",
        formula="log₁₀(ratio)",
        inputs=ratio.inputs,
        method="log-scale",
        expr=f"orders({expr_of(ratio)})",
    )
