"""Economics words: mixture-of-experts arithmetic, scaled hypothetical models, generations of compute.

Each word returns a quantity that keeps its formula, its sourced inputs and their least certain
status; estimated, claimed and rumored inputs flag everything derived from them.
"""

from __future__ import annotations

from .. import formulas as f
from ..errors import MacroError
from ..quantity import Q, inputs_of
from .base import Vocabulary, known, whole_const_q, word
from .models import view


@word
def active_from_arch(v: Vocabulary, model_id: str) -> Q:
    """Parameters that work on each token, computed from the architecture."""
    mv = view(v, model_id)
    q = mv.part("active")
    return Q(
        value=q.value,
        kind="params",
        label=f"active parameters per token of {mv.display}, from the architecture",
        formula="shared parts + (routed experts per token + shared experts) × expert size",
        inputs=q.inputs,
        method="sparsity",
        expr=f"active_from_arch({model_id!r})",
    )


@word
def sparsity(v: Vocabulary, model_id: str, basis: str = "arch") -> Q:
    """Total ÷ active parameters: from the architecture (``'arch'``) or the stated figures."""
    mv = view(v, model_id)
    if basis == "arch":
        total, active = mv.part("total"), active_from_arch(v, model_id)
    elif basis == "stated":
        total, active = mv.params, mv.active_params
    else:
        raise MacroError(f"sparsity: basis must be 'arch' or 'stated', not {basis!r}")
    return Q(
        value=f.sparsity(total.value, active.value) if known(total, active) else None,
        kind="sparsity",
        label=f"parameter sparsity of {mv.display}",
        formula="total ÷ active parameters",
        inputs=inputs_of(total, active),
        method="sparsity",
        expr=f"sparsity({model_id!r}, {basis!r})",
    )


@word
def active_share(v: Vocabulary, model_id: str, basis: str = "arch") -> Q:
    """Share of the parameters that work on each token (the inverse of the sparsity)."""
    s = sparsity(v, model_id, basis)
    return Q(
        value=None if s.value is None else f.inverse(s.value),
        kind="percent",
        label=s.label.replace("parameter sparsity", "active share of the parameters"),
        formula="active ÷ total parameters",
        inputs=s.inputs,
        method="sparsity",
        expr=f"active_share({model_id!r}, {basis!r})",
    )


@word
def expert_sparsity(v: Vocabulary, model_id: str) -> Q:
    """Routed experts per MoE layer ÷ routed experts chosen per token."""
    mv = view(v, model_id)
    e, k = mv.arch("experts"), mv.arch("experts_per_token")
    if not k.value:
        raise MacroError(f"model {model_id!r} is not a mixture of experts")
    return Q(
        value=f.expert_sparsity(e.value, k.value),
        kind="sparsity",
        label=f"expert sparsity of {mv.display}",
        formula="routed experts ÷ experts chosen per token",
        inputs=inputs_of(e, k),
        method="sparsity",
        expr=f"expert_sparsity({model_id!r})",
    )


@word
def dense_equivalent(v: Vocabulary, flops: Q, multiplier: Q) -> Q:
    """Dense-model compute a MoE's raw compute is reported to be worth."""
    return Q(
        value=f.effective_dense_flops(flops.value, multiplier.value) if known(flops, multiplier) else None,
        kind="flop",
        label=f"dense-equivalent compute ({flops.label})",
        formula="raw compute × MoE compute multiplier",
        inputs=inputs_of(flops, multiplier),
        method="dense-equivalent",
        expr=f"dense_equivalent({flops.expr}, {multiplier.expr})",
    )


@word
def halvings(v: Vocabulary, key: str = "decode_shrink_steps") -> list[Q]:
    """Scale factors 1, 1/2, 1/4, ... (as many halvings as the constant ``key`` says)."""
    n, c = whole_const_q(v.book, key)
    return [
        Q(
            value=f.halving(k),
            kind="fraction",
            label="scale factor",
            formula="½ to the power of the step",
            inputs=c.inputs,
            expr=f"halvings({key!r})[{k}]",
        )
        for k in range(n + 1)
    ]


@word
def scaled(v: Vocabulary, q: Q, factor: Q, name: str | None = None) -> Q:
    """``q`` times a scale factor, relabelled (a hypothetical model; by default 'GPT-4 × 1/4')."""
    if name is None:
        name = f"{q.label.split(' of ', 1)[-1]} × {factor.text}"
    out = q * factor
    return Q(
        value=out.value,
        kind=q.kind,
        label=f"{q.label.split(' of ')[0]} of {name}",
        formula=out.formula,
        inputs=out.inputs,
        method=q.method,
        expr=f"scaled({q.expr}, {factor.expr}, {name!r})",
    )


@word
def with_reasoning(v: Vocabulary, speed: Q, hidden_per_shown: Q) -> Q:
    """Raw generation speed needed to show ``speed`` visible tokens/s when each shown token
    comes with ``hidden_per_shown`` hidden reasoning tokens: speed × (r + 1)."""
    return Q(
        value=f.speed_with_reasoning(speed.value, hidden_per_shown.value) if known(speed, hidden_per_shown) else None,
        kind="tokens_per_s",
        label=f"generation speed needed for {speed.label} with hidden reasoning",
        formula="visible speed × (hidden tokens per shown token + 1)",
        inputs=inputs_of(speed, hidden_per_shown),
        method="decode-speed",
        expr=f"with_reasoning({speed.expr}, {hidden_per_shown.expr})",
    )


@word
def generations(v: Vocabulary, gap: Q, jump: Q) -> Q:
    """How much of a generational jump a compute ratio is on a log scale: log(gap) ÷ log(jump)."""
    ok = known(gap, jump) and gap.value > 0 and jump.value > 1
    return Q(
        value=f.generations(gap.value, jump.value) if ok else None,
        kind="decimal_2",
        label=f"share of a generational jump ({gap.label})",
        formula="log(compute ratio) ÷ log(ratio of a generational jump)",
        inputs=inputs_of(gap, jump),
        method="generations",
        expr=f"generations({gap.expr}, {jump.expr})",
    )
