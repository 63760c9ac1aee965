"""Chapter vocabulary for the economics chapters (registered by `macros/__init__.py`).

Hardware time, mixture-of-experts arithmetic and a first-principles serving model. Every
name returns :class:`~macros.quantity.Q` objects (or small views holding them) so that a
number shown in a chapter keeps its formula, its sourced inputs and their least certain
status; estimated, claimed and rumored inputs flag everything derived from them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from . import formulas as f
from .quantity import Input, MacroError, Q, inputs_of
from .vocab import PRECISION_NAMES, HardwareView, Vocabulary, _const_q, _hardware

SECONDS_PER_DAY = f.SECONDS_PER_HOUR * f.HOURS_PER_DAY


def _need(*qs: Q) -> bool:
    return all(q.value is not None for q in qs)


def _int_const(vocab: Vocabulary, key: str) -> tuple[int, Q]:
    q = _const_q(vocab.book, key)
    if q.value is None or q.value < 1 or q.value != int(q.value):
        raise MacroError(f"data/constants.toml: constant {key!r}, field 'value': must be a whole number >= 1")
    return int(q.value), q


@dataclass(frozen=True)
class DecodeView:
    """One serving configuration: ``.speed``, ``.cost``, ``.gpus``, ``.batch``, ``.step``, ``.bound``."""

    speed: Q
    cost: Q
    gpus: Q
    batch: Q
    step: Q
    bound: str

    @property
    def known(self) -> bool:
        return True

    def __str__(self) -> str:
        return f"{self.speed} at {self.cost}"


@dataclass(frozen=True)
class NoPoint:
    """No configuration in the sweep meets the request (the chapter says so instead of a number)."""

    reason: str

    @property
    def known(self) -> bool:
        return False

    def __str__(self) -> str:
        return self.reason


class Serving:
    """``serving('h200-sxm', 'fp8')``: the book's decode model on one accelerator type.

    The assumptions (utilisation, context length, the KV-cache layout of a reference
    model, price, the batch and GPU sweep) come from ``data/constants.toml``.
    """

    def __init__(
        self, vocab: Vocabulary, hw_id: str, precision: str, kv_model: str, price_key: str, kv_precision: str
    ) -> None:
        if precision not in f.BYTES_PER_PARAM:
            raise MacroError(f"unknown precision {precision!r}; use one of {', '.join(f.BYTES_PER_PARAM)}")
        self.vocab, self.precision = vocab, precision
        self.hw = HardwareView(vocab.book, _hardware(vocab.book, hw_id))
        self.memory, self.bandwidth, self.peak = self.hw.memory, self.hw.bandwidth, self.hw.peak(precision)
        self.price = _const_q(vocab.book, price_key).as_("usd_per_hour")
        self.utilisation = _const_q(vocab.book, "decode_utilisation").as_("percent")
        self.context = _const_q(vocab.book, "decode_context_tokens").as_("integer")
        self.kv_token = kv_per_token(vocab, kv_model, kv_precision)
        self.kv_sequence = Q(
            value=self.kv_token.value * self.context.value,
            kind="bytes",
            label="KV cache per sequence",
            formula="KV cache per token × tokens per sequence",
            inputs=inputs_of(self.kv_token, self.context),
            method="kv-cache",
            expr="serving.kv_sequence",
        )
        self._batch_max, self.batch_max = _int_const(vocab, "decode_batch_max")
        self._gpus_max, self.gpus_max = _int_const(vocab, "decode_gpus_max")
        self._e = f"serving({hw_id!r}, {precision!r})"
        self._assumptions = inputs_of(
            self.memory, self.bandwidth, self.peak, self.price, self.utilisation, self.context, self.kv_token
        )

    # -- the grid ---------------------------------------------------------------------------
    def batches(self) -> list[Q]:
        """Batch sizes the sweep tries: 1, 2, 4, ... up to ``decode_batch_max``."""
        grid = f.powers_of_two(self._batch_max)
        return [
            self._grid_q(b, "sequences in a batch", self.batch_max, f"{self._e}.batches()[{i}]")
            for i, b in enumerate(grid)
        ]

    def gpu_counts(self) -> list[Q]:
        grid = f.powers_of_two(self._gpus_max)
        return [
            self._grid_q(g, "GPUs per model copy", self.gpus_max, f"{self._e}.gpu_counts()[{i}]")
            for i, g in enumerate(grid)
        ]

    def _grid_q(self, n: int, label: str, limit: Q, expr: str) -> Q:
        # The grid value itself is a choice, not a sourced figure: its tooltip names the limit only.
        return Q(float(n), "integer", label, f"power of two up to {limit.text}", (), "decode-step", expr)

    # -- one configuration ------------------------------------------------------------------------
    def _kwargs(self, total: Q, active: Q) -> dict:
        if not _need(total, active):
            raise MacroError(f"serving: parameters of {total.label!r} are undisclosed; pass an estimate")
        return dict(
            total_params=total.value,
            active_params=active.value,
            bytes_per_param=f.BYTES_PER_PARAM[self.precision],
            kv_bytes_per_sequence=self.kv_sequence.value,
            gpu_memory_bytes=self.memory.value * 1e9,
            gpu_bandwidth_bytes_per_s=self.bandwidth.value * 1e12,
            gpu_peak_flop_per_s=self.peak.value * 1e12,
            usd_per_gpu_hour=self.price.value,
            utilization=self.utilisation.value,
        )

    def _view(self, p: f.DecodePoint, total: Q, active: Q, chosen: tuple[Input, ...], what: str) -> DecodeView:
        inputs = inputs_of(total, active) + self._assumptions + chosen
        name = f"{self.hw._n} at {PRECISION_NAMES[self.precision]}"
        where = f"{p.gpus} GPUs, batch {p.batch}"

        def q(value: float, kind: str, label: str, formula: str, method: str) -> Q:
            return Q(value, kind, f"{label}, {total.label} on {name} ({where})", formula, inputs, method, what)

        return DecodeView(
            speed=q(p.tokens_per_second_per_user, "tokens_per_s", "tokens/s per user", "1 ÷ step time", "decode-speed"),
            cost=q(
                p.usd_per_million_tokens,
                "usd_per_mtok",
                "GPU cost per million generated tokens",
                "GPUs × price × step time ÷ batch",
                "decode-cost",
            ),
            # GPU count and batch are configuration choices, not sourced figures: no inputs, no flag.
            gpus=Q(
                float(p.gpus), "gpus", f"GPUs per model copy ({where})", "chosen by the sweep", (), "decode-step", what
            ),
            batch=Q(float(p.batch), "integer", f"batch ({where})", "chosen by the sweep", (), "decode-step", what),
            step=q(
                p.step_seconds,
                "ms",
                "decode step time",
                "max(bytes read ÷ bandwidth, FLOP ÷ peak)",
                "decode-step",
            ),
            bound=p.bound,
        )

    def point(self, total: Q, active: Q, gpus: Q, batch: Q) -> DecodeView | NoPoint:
        """The decode model at a given GPU count and batch size (both must come from data)."""
        if not _need(gpus, batch):
            raise MacroError("serving.point: GPU count and batch must be known quantities")
        p = f.decode_point(gpus=int(gpus.value), batch=int(batch.value), **self._kwargs(total, active))
        expr = f"{self._e}.point({total.expr}, {active.expr}, {gpus.expr}, {batch.expr})"
        if p is None:
            return NoPoint("does not fit")
        return self._view(p, total, active, inputs_of(gpus, batch), expr)

    def _sweep(self, total: Q, active: Q) -> list[f.DecodePoint]:
        return f.decode_sweep(
            gpu_counts=f.powers_of_two(self._gpus_max),
            batches=f.powers_of_two(self._batch_max),
            **self._kwargs(total, active),
        )

    def _grid_inputs(self) -> tuple[Input, ...]:
        return inputs_of(self.batch_max, self.gpus_max)

    def frontier(self, total: Q, active: Q) -> list[DecodeView]:
        """Configurations not beaten on both speed and cost, slowest first."""
        expr = f"{self._e}.frontier({total.expr}, {active.expr})"
        pts = f.pareto_frontier(self._sweep(total, active))
        return [self._view(p, total, active, self._grid_inputs(), expr) for p in pts]

    def fastest(self, total: Q, active: Q) -> DecodeView | NoPoint:
        pts = self._sweep(total, active)
        if not pts:
            return NoPoint("does not fit")
        best = max(pts, key=lambda p: (p.tokens_per_second_per_user, -p.usd_per_million_tokens))
        return self._view(best, total, active, self._grid_inputs(), f"{self._e}.fastest({total.expr})")

    def cheapest(self, total: Q, active: Q) -> DecodeView | NoPoint:
        pts = self._sweep(total, active)
        if not pts:
            return NoPoint("does not fit")
        best = min(pts, key=lambda p: (p.usd_per_million_tokens, -p.tokens_per_second_per_user))
        return self._view(best, total, active, self._grid_inputs(), f"{self._e}.cheapest({total.expr})")

    def cheapest_at(self, total: Q, active: Q, speed: Q) -> DecodeView | NoPoint:
        """Lowest cost among configurations giving each user at least ``speed`` tokens/s."""
        if speed.value is None:
            raise MacroError("serving.cheapest_at: the target speed must be a known quantity")
        best = f.cheapest_at_speed(self._sweep(total, active), speed.value)
        if best is None:
            return NoPoint("out of reach")
        expr = f"{self._e}.cheapest_at({total.expr}, {speed.expr})"
        return self._view(best, total, active, self._grid_inputs() + speed.inputs, expr)


def kv_per_token(vocab: Vocabulary, model_id: str, precision: str = "bf16") -> Q:
    """KV-cache bytes one token occupies in ``model_id`` at ``precision``, from its architecture."""
    mv = vocab.model(model_id)
    arch = mv._arch()
    if precision not in f.BYTES_PER_PARAM:
        raise MacroError(f"unknown precision {precision!r}; use one of {', '.join(f.BYTES_PER_PARAM)}")
    value = f.kv_cache_bytes_per_token(arch, f.BYTES_PER_PARAM[precision])
    src = mv.part("total").inputs
    return Q(
        value=value,
        kind="bytes_small",
        label=f"KV cache per token of {mv._n} at {PRECISION_NAMES[precision]}",
        formula="2 × layers × KV heads × head size × bytes"
        if arch.attention != "mla"
        else "layers × latent width × bytes",
        inputs=src,
        method="kv-cache",
        expr=f"kv_per_token({model_id!r}, {precision!r})",
    )


def macros(vocab: Vocabulary) -> dict[str, Callable]:
    """Names exposed to Jinja, bound to this build's vocabulary."""

    def active_from_arch(model_id: str) -> Q:
        """Parameters that work on each token, computed from the architecture."""
        mv = vocab.model(model_id)
        q = mv.part("active")
        return Q(
            q.value,
            "params",
            f"active parameters per token of {mv._n}, from the architecture",
            "shared parts + (routed experts per token + shared experts) × expert size",
            q.inputs,
            "sparsity",
            f"active_from_arch({model_id!r})",
        )

    def sparsity(model_id: str, basis: str = "arch") -> Q:
        """Total ÷ active parameters: from the architecture (``'arch'``) or the stated figures."""
        mv = vocab.model(model_id)
        if basis == "arch":
            total, active = mv.part("total"), active_from_arch(model_id)
        elif basis == "stated":
            total, active = mv.params, mv.active_params
        else:
            raise MacroError(f"sparsity: basis must be 'arch' or 'stated', not {basis!r}")
        value = f.sparsity(total.value, active.value) if _need(total, active) else None
        return Q(
            value,
            "sparsity",
            f"parameter sparsity of {mv._n}",
            "total ÷ active parameters",
            inputs_of(total, active),
            "sparsity",
            f"sparsity({model_id!r}, {basis!r})",
        )

    def active_share(model_id: str, basis: str = "arch") -> Q:
        """Share of the parameters that work on each token (the inverse of the sparsity)."""
        s = sparsity(model_id, basis)
        return Q(
            None if s.value is None else 1 / s.value,
            "percent",
            s.label.replace("parameter sparsity", "active share of the parameters"),
            "active ÷ total parameters",
            s.inputs,
            "sparsity",
            f"active_share({model_id!r}, {basis!r})",
        )

    def expert_sparsity(model_id: str) -> Q:
        """Routed experts per MoE layer ÷ routed experts chosen per token."""
        mv = vocab.model(model_id)
        e, k = mv.arch("experts"), mv.arch("experts_per_token")
        if not k.value:
            raise MacroError(f"model {model_id!r} is not a mixture of experts")
        return Q(
            e.value / k.value,
            "sparsity",
            f"expert sparsity of {mv._n}",
            "routed experts ÷ experts chosen per token",
            inputs_of(e, k),
            "sparsity",
            f"expert_sparsity({model_id!r})",
        )

    def dense_equivalent(flops: Q, multiplier: Q) -> Q:
        """Dense-model compute a MoE's raw compute is reported to be worth."""
        value = f.effective_dense_flops(flops.value, multiplier.value) if _need(flops, multiplier) else None
        return Q(
            value,
            "flop",
            f"dense-equivalent compute ({flops.label})",
            "raw compute × MoE compute multiplier",
            inputs_of(flops, multiplier),
            "dense-equivalent",
            f"dense_equivalent({flops.expr}, {multiplier.expr})",
        )

    def days_at(flops: Q, gpus: Q, peak: Q, utilisation: Q | None = None) -> Q:
        """Wall-clock days to deliver ``flops`` on ``gpus`` accelerators at ``peak`` (TFLOP/s) × utilisation."""
        u = 1.0 if utilisation is None else utilisation.value
        ok = _need(flops, gpus, peak) and u is not None
        hours = f.gpu_hours_for(flops.value, peak.value * 1e12, u) if ok else None
        value = f.gpu_days(hours, gpus.value) if ok else None
        extra = (utilisation,) if utilisation is not None else ()
        label = "days at full peak" if utilisation is None else "days at the stated utilisation"
        return Q(
            value,
            "days",
            f"{label} ({flops.label} on {gpus.label})",
            "C ÷ (GPUs × peak × utilisation) ÷ 86,400 s",
            inputs_of(flops, gpus, peak, *extra),
            "time-at-peak",
            f"days_at({flops.expr}, {gpus.expr}, {peak.expr}"
            + (f", {utilisation.expr})" if utilisation is not None else ")"),
        )

    def implied_utilisation(flops: Q, gpus: Q, days: Q, peak: Q) -> Q:
        """Share of peak a run must have sustained to deliver ``flops`` on ``gpus`` in ``days``."""
        ok = _need(flops, gpus, days, peak)
        hours = gpus.value * days.value * f.HOURS_PER_DAY if ok else None
        value = f.mfu(flops.value, hours, peak.value * 1e12) if ok else None
        return Q(
            value,
            "percent",
            f"utilisation implied by {flops.label} in {days.label} on {gpus.label}",
            "C ÷ (GPUs × days × 86,400 s × peak)",
            inputs_of(flops, gpus, days, peak),
            "mfu",
            f"implied_utilisation({flops.expr}, {gpus.expr}, {days.expr}, {peak.expr})",
        )

    def halvings(key: str = "decode_shrink_steps") -> list[Q]:
        """Scale factors 1, 1/2, 1/4, ... (as many halvings as the constant ``key`` says)."""
        n, c = _int_const(vocab, key)
        return [
            Q(
                0.5**k,
                "fraction",
                "scale factor",
                "½ to the power of the step",
                c.inputs,
                None,
                f"halvings({key!r})[{k}]",
            )
            for k in range(n + 1)
        ]

    def scaled(q: Q, factor: Q, name: str) -> Q:
        """``q`` times a scale factor, relabelled (a hypothetical model: 'GPT-4 × 1/4')."""
        out = q * factor
        return Q(
            out.value, q.kind, f"{q.label.split(' of ')[0]} of {name}", out.formula, out.inputs, q.method, out.expr
        )

    def with_reasoning(speed: Q, hidden_per_shown: Q) -> Q:
        """Raw generation speed needed to show ``speed`` visible tokens/s when each shown token
        comes with ``hidden_per_shown`` hidden reasoning tokens: speed × (r + 1)."""
        ok = _need(speed, hidden_per_shown)
        value = speed.value * (hidden_per_shown.value + 1) if ok else None
        return Q(
            value,
            "tokens_per_s",
            f"generation speed needed for {speed.label} with hidden reasoning",
            "visible speed × (hidden tokens per shown token + 1)",
            inputs_of(speed, hidden_per_shown),
            "decode-speed",
            f"with_reasoning({speed.expr}, {hidden_per_shown.expr})",
        )

    def generations(gap: Q, jump: Q) -> Q:
        """How much of a generational jump a compute ratio is on a log scale: log(gap) ÷ log(jump)."""
        ok = _need(gap, jump) and gap.value > 0 and jump.value > 1
        value = math.log(gap.value) / math.log(jump.value) if ok else None
        return Q(
            value,
            "decimal_2",
            f"share of a generational jump ({gap.label})",
            "log(compute ratio) ÷ log(ratio of a generational jump)",
            inputs_of(gap, jump),
            "generations",
            f"generations({gap.expr}, {jump.expr})",
        )

    def serving(
        hw_id: str,
        precision: str = "fp8",
        kv_model: str = "llama-3.1-405b",
        price_key: str = "h200_price_per_gpu_hour",
        kv_precision: str = "bf16",
    ) -> Serving:
        return Serving(vocab, hw_id, precision, kv_model, price_key, kv_precision)

    return {
        "active_from_arch": active_from_arch,
        "sparsity": sparsity,
        "active_share": active_share,
        "expert_sparsity": expert_sparsity,
        "dense_equivalent": dense_equivalent,
        "days_at": days_at,
        "implied_utilisation": implied_utilisation,
        "halvings": halvings,
        "scaled": scaled,
        "with_reasoning": with_reasoning,
        "kv_per_token": lambda model_id, precision="bf16": kv_per_token(vocab, model_id, precision),
        "serving": serving,
        "generations": generations,
    }


__all__ = ["macros", "Serving", "DecodeView", "NoPoint", "kv_per_token"]
