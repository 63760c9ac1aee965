"""Chapter vocabulary for the scaling chapters (registered by `macros/__init__.py`).

Every word returns :class:`~macros.quantity.Q` objects (or small records of them) built
from the loaded book through :mod:`macros.formulas`, with the constants and model
values they used as inputs, so a tooltip shows a fit's constants next to the model's size
and an estimated, claimed or rumored input marks the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from . import formulas as f
from .quantity import MacroError, Q, inputs_of
from .vocab import ModelView, Vocabulary

# A loss fit is five constants; the chapters name the fit, not the keys.
FITS = {
    "hoffmann": ("chinchilla", "Hoffmann et al. fit"),
    "besiroglu": ("epoch", "replication fit"),
}
ERAS = (
    ("era_bigger_start_year", "bigger", "Bigger is better", "Bigger"),
    ("era_balance_start_year", "balance", "Balance parameters and data", "Balance"),
    ("era_overtrain_start_year", "overtrain", "Overtrain, MoE and distill", "Overtrain"),
)


def _expr(q: Q) -> str:
    return q.expr or q.label


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


@dataclass(frozen=True)
class Era:
    key: str
    name: str
    short: str  # one word, for tables
    start: Q

    def __str__(self) -> str:
        return self.name


class ScalingWords:
    def __init__(self, vocab: Vocabulary) -> None:
        self.v = vocab

    # -- helpers ------------------------------------------------------------------------------
    def _model(self, model: str | ModelView) -> ModelView:
        return model if isinstance(model, ModelView) else self.v.model(model)

    def _fit(self, fit: str) -> tuple[f.LossFit, tuple[Q, ...], str]:
        if fit not in FITS:
            raise MacroError(f"unknown loss fit {fit!r}; use one of {', '.join(FITS)}")
        prefix, name = FITS[fit]
        qs = tuple(self.v.const(f"{prefix}_{k}") for k in ("e", "a", "b", "alpha", "beta"))
        e, a, b, alpha, beta = (q.value for q in qs)
        return f.LossFit(e=e, a=a, b=b, alpha=alpha, beta=beta), qs, name

    # -- Kaplan ---------------------------------------------------------------------------------
    def nonembedding_params(self, model: str | ModelView) -> Q:
        """Parameters outside the token and position embeddings and the output head.

        Kaplan et al. fit their law to this count. From the architecture when it is
        public; otherwise the total, which differs by a few percent for large models.
        """
        m = self._model(model)
        if m.m.arch is None:
            q = m.params
            return Q(
                q.value,
                "params",
                f"parameters of {m._n} (total; no public architecture)",
                "N",
                q.inputs,
                "kaplan-law",
                f"nonembedding_params({m.id!r})",
            )
        total, emb, pos, head = (m.part(c) for c in ("total", "embedding", "position", "head"))
        value = total.value - emb.value - pos.value - head.value
        return Q(
            value,
            "params",
            f"non-embedding parameters of {m._n}",
            "total − embeddings − output head",
            total.inputs,
            "kaplan-law",
            f"nonembedding_params({m.id!r})",
        )

    def kaplan_loss(self, model: str | ModelView) -> Q:
        """L(N) = (N_c/N)^α_N for a model's non-embedding parameters (nats per token)."""
        n = self.nonembedding_params(model)
        nc, alpha = self.v.const("kaplan_n_c"), self.v.const("kaplan_alpha_n")
        value = f.kaplan_loss(n.value, nc.value, alpha.value) if n.known else None
        return Q(
            value,
            "loss",
            f"Kaplan loss L(N) of {self._model(model)._n}",
            "(N_c ÷ N)^α_N",
            inputs_of(n, nc, alpha),
            "kaplan-law",
            f"kaplan_loss({self._model(model).id!r})",
        )

    def loss_factor(self, scale: Q) -> Q:
        """Factor by which Kaplan's L(N) shrinks when N grows by ``scale``: scale^(−α_N)."""
        alpha = self.v.const("kaplan_alpha_n")
        value = f.kaplan_loss_factor(scale.value, alpha.value)
        return Q(
            value,
            "ratio",
            f"change of L(N) when N grows {scale.text}",
            "scale^(−α_N)",
            inputs_of(scale, alpha),
            "kaplan-law",
            f"loss_factor({_expr(scale)})",
        )

    def loss_cut(self, scale: Q) -> Q:
        """Fraction of the loss removed by growing N by ``scale``: 1 − scale^(−α_N)."""
        q = self.loss_factor(scale)
        alpha = self.v.const("kaplan_alpha_n")
        return Q(
            f.kaplan_loss_cut(scale.value, alpha.value),
            "percent",
            f"share of the loss removed when N grows {scale.text}",
            "1 − scale^(−α_N)",
            q.inputs,
            "kaplan-law",
            f"loss_cut({_expr(scale)})",
        )

    def kaplan_drop(self, model: str | ModelView, scale: Q) -> Q:
        """Nats removed from L(N) when ``model`` grows by ``scale``: L·(1 − scale^(−α_N))."""
        loss, factor = self.kaplan_loss(model), self.loss_factor(scale)
        alpha = self.v.const("kaplan_alpha_n")
        value = f.kaplan_drop(loss.value, scale.value, alpha.value) if loss.known else None
        return Q(
            value,
            "loss",
            f"drop of L(N) when {self._model(model)._n} grows {scale.text}",
            "L(N) × (1 − scale^(−α_N))",
            inputs_of(loss, factor),
            "kaplan-law",
            f"kaplan_drop({self._model(model).id!r}, {_expr(scale)})",
        )

    def kaplan_params_for_drop(self, drop: Q, scale: Q) -> Q:
        """Non-embedding N at which growing by ``scale`` removes ``drop`` nats under L(N)."""
        factor = self.loss_factor(scale)
        nc, alpha = self.v.const("kaplan_n_c"), self.v.const("kaplan_alpha_n")
        loss = f.kaplan_loss_for_drop(drop.value, scale.value, alpha.value)
        value = f.kaplan_params_for_loss(loss, nc.value, alpha.value)
        return Q(
            value,
            "params",
            f"model size at which {scale.text} more parameters remove {drop.text} nats",
            "N_c ÷ (drop ÷ (1 − scale^(−α_N)))^(1/α_N)",
            inputs_of(drop, factor, nc, alpha),
            "kaplan-law",
            f"kaplan_params_for_drop({_expr(drop)}, {_expr(scale)})",
        )

    def kaplan_loss_before_drop(self, drop: Q, scale: Q) -> Q:
        """The loss a model must have for a ``scale`` step to remove ``drop`` nats."""
        factor = self.loss_factor(scale)
        alpha = self.v.const("kaplan_alpha_n")
        return Q(
            f.kaplan_loss_for_drop(drop.value, scale.value, alpha.value),
            "loss",
            f"loss at which {scale.text} more parameters remove {drop.text} nats",
            "drop ÷ (1 − scale^(−α_N))",
            inputs_of(drop, factor),
            "kaplan-law",
            f"kaplan_loss_before_drop({_expr(drop)}, {_expr(scale)})",
        )

    def grow(self, scale: Q, exponent: Q) -> Q:
        """Growth of a quantity proportional to X^exponent when X grows by ``scale``."""
        value = f.power_growth(scale.value, exponent.value)
        return Q(
            value,
            "ratio",
            f"growth when the budget grows {scale.text} ({exponent.label})",
            "scale^exponent",
            inputs_of(scale, exponent),
            "compute-allocation",
            f"grow({_expr(scale)}, {_expr(exponent)})",
        )

    # -- Chinchilla fit -----------------------------------------------------------------------
    def fit_loss(self, model: str | ModelView, fit: str = "hoffmann") -> Q:
        """L(N, D) = E + A/N^α + B/D^β for a model's parameters and tokens."""
        m = self._model(model)
        lf, qs, name = self._fit(fit)
        n, d = m.params, m.tokens
        value = f.chinchilla_loss(n.value, d.value, lf) if n.known and d.known else None
        return Q(
            value,
            "loss",
            f"fitted loss of {m._n} ({name})",
            "E + A ÷ N^α + B ÷ D^β",
            inputs_of(n, d, *qs),
            "chinchilla-fit",
            f"fit_loss({m.id!r}, {fit!r})",
        )

    def optimal(self, budget: Q, fit: str = "hoffmann") -> Optimum:
        """Compute-optimal N and D for a budget of ``budget`` FLOP under a loss fit."""
        lf, qs, name = self._fit(fit)
        if not budget.known:
            raise MacroError(f"optimal: the budget {_expr(budget)} is undisclosed")
        n, d = f.compute_optimal(budget.value, lf)
        ins, e = inputs_of(budget, *qs), f"optimal({_expr(budget)}, {fit!r})"
        what = f"for {budget.text} ({name})"
        return Optimum(
            params=Q(
                n,
                "params",
                f"compute-optimal parameters {what}",
                "G × (C ÷ 6)^(β/(α+β))",
                ins,
                "compute-optimal",
                f"{e}.params",
            ),
            tokens=Q(
                d,
                "tokens",
                f"compute-optimal tokens {what}",
                "(C ÷ 6)^(α/(α+β)) ÷ G",
                ins,
                "compute-optimal",
                f"{e}.tokens",
            ),
            ratio=Q(
                d / n,
                "number",
                f"tokens per parameter at the optimum {what}",
                "D_opt ÷ N_opt",
                ins,
                "compute-optimal",
                f"{e}.ratio",
            ),
            loss=Q(
                f.chinchilla_loss(n, d, lf),
                "loss",
                f"lowest fitted loss {what}",
                "L(N_opt, D_opt)",
                ins,
                "compute-optimal",
                f"{e}.loss",
            ),
        )

    def optimal_tokens(self, params: Q, fit: str = "besiroglu") -> Q:
        """Training tokens for which a model of ``params`` parameters is compute-optimal under the fit."""
        lf, qs, name = self._fit(fit)
        value = f.optimal_tokens_for_params(params.value, lf) if params.known else None
        return Q(
            value,
            "tokens",
            f"compute-optimal tokens for {params.label} ({name})",
            "(N ÷ G)^((α+β)/β) ÷ N",
            inputs_of(params, *qs),
            "optimal-tokens",
            f"optimal_tokens({_expr(params)}, {fit!r})",
        )

    def compute_for_loss(self, loss: Q, fit: str = "hoffmann") -> Q:
        """Smallest budget whose compute-optimal model reaches ``loss`` under the fit."""
        lf, qs, name = self._fit(fit)
        value = f.compute_for_loss(loss.value, lf) if loss.known else None
        if value is not None and math.isinf(value):
            raise MacroError(f"compute_for_loss: {loss.text} is below what the {name} can reach")
        return Q(
            value,
            "flop",
            f"compute-optimal budget that reaches {loss.label}",
            "L_opt(C) = target, solved for C",
            inputs_of(loss, *qs),
            "compute-for-loss",
            f"compute_for_loss({_expr(loss)}, {fit!r})",
        )

    # -- lifetime cost ----------------------------------------------------------------------------
    def breakeven(self, small: str | ModelView, big: str | ModelView, fit: str = "hoffmann") -> Breakeven:
        """Train a model of ``small``'s size until its fitted loss equals ``big``'s; when does it pay off?"""
        s, b = self._model(small), self._model(big)
        lf, qs, name = self._fit(fit)
        target = self.fit_loss(b, fit)
        ns = s.params
        e = f"breakeven({s.id!r}, {b.id!r}, {fit!r})"
        floor_v = f.loss_floor(ns.value, lf)
        floor = Q(
            floor_v,
            "loss",
            f"lowest fitted loss of a {ns.text}-parameter model ({name})",
            "E + A ÷ N^α",
            inputs_of(ns, *qs),
            "breakeven",
            f"{e}.floor",
        )
        d = f.tokens_for_loss(ns.value, target.value, lf)
        reachable = math.isfinite(d)
        d_v = d if reachable else None
        ins = inputs_of(ns, target)
        tokens = Q(
            d_v,
            "tokens",
            f"tokens a {ns.text}-parameter model needs to match {b._n} ({name})",
            "(B ÷ (L − E − A ÷ N^α))^(1/β)",
            ins,
            "breakeven",
            f"{e}.tokens",
        )
        tpp = Q(
            d_v / ns.value if reachable else None,
            "number",
            "tokens per parameter of that model",
            "D ÷ N",
            ins,
            "breakeven",
            f"{e}.tokens_per_param",
        )
        small_flops = Q(
            f.train_flops(ns.value, d) if reachable else None,
            "flop",
            f"training compute of that {ns.text}-parameter model",
            "6 × N × D",
            ins,
            "breakeven",
            f"{e}.small_flops",
        )
        big_flops = b.train_flops
        nb = b.params
        saving = Q(
            f.inference_flops_per_token(nb.value) - f.inference_flops_per_token(ns.value),
            "flop",
            "compute saved per generated token",
            "2 × (N_big − N_small)",
            inputs_of(ns, nb),
            "breakeven",
            f"{e}.saving_per_token",
        )
        if reachable:
            extra_v = small_flops.value - big_flops.value
            served_v = f.breakeven_served_tokens(ns.value, d, nb.value, b.tokens.value)
        else:
            extra_v = served_v = None
        all_ins = inputs_of(small_flops, big_flops, saving)
        extra = Q(
            extra_v,
            "flop",
            "extra training compute of the smaller model",
            "6·N_s·D_s − 6·N_b·D_b",
            all_ins,
            "breakeven",
            f"{e}.extra_flops",
        )
        served = Q(
            served_v,
            "tokens",
            f"generated tokens at which the smaller model's lifetime compute equals {b._n}'s",
            "(6·N_s·D_s − 6·N_b·D_b) ÷ (2·N_b − 2·N_s)",
            all_ins,
            "breakeven",
            f"{e}.served",
        )
        cheaper = reachable and extra_v <= 0
        return Breakeven(reachable, cheaper, target, floor, tokens, tpp, small_flops, big_flops, extra, saving, served)

    # -- eras and scales ---------------------------------------------------------------------------
    def era(self, model: str | ModelView) -> Era:
        """The era of scaling a model belongs to, by its release year and the eras' first years."""
        m = self._model(model)
        starts = [self.v.const(key, "year") for key, *_ in ERAS]
        i = f.era_index(m.m.released.year, [int(q.value) for q in starts])
        _, slug, name, short = ERAS[i]
        return Era(slug, name, short, starts[i])

    def era_start(self, slug: str) -> Q:
        for key, s, *_ in ERAS:
            if s == slug:
                return self.v.const(key, "year")
        raise MacroError(f"unknown era {slug!r}; use one of {', '.join(e[1] for e in ERAS)}")

    def orders(self, ratio: Q) -> Q:
        """Orders of magnitude spanned by a ratio: log10 of it."""
        if not ratio.known or ratio.value <= 0:
            raise MacroError(f"orders: {_expr(ratio)} is not a positive known ratio")
        return Q(
            math.log10(ratio.value),
            "decimal",
            f"orders of magnitude in {ratio.label}",
            "log₁₀(ratio)",
            ratio.inputs,
            "log-scale",
            f"orders({_expr(ratio)})",
        )


def macros(vocab: Vocabulary) -> dict[str, Callable]:
    """Names exposed to Jinja, bound to this build's vocabulary."""
    w = ScalingWords(vocab)
    names = (
        "nonembedding_params",
        "kaplan_loss",
        "loss_factor",
        "loss_cut",
        "kaplan_drop",
        "kaplan_params_for_drop",
        "kaplan_loss_before_drop",
        "grow",
        "fit_loss",
        "optimal",
        "optimal_tokens",
        "compute_for_loss",
        "breakeven",
        "era",
        "era_start",
        "orders",
    )
    return {name: getattr(w, name) for name in names}
