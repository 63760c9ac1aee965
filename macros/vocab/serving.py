"""``serving(hw, precision)``: the book's first-principles decode model on one accelerator type.

The assumptions (utilisation, context length, the KV-cache layout of a reference model, price,
the batch and GPU sweep) come from ``data/constants.toml`` through :func:`macros.derive.serving_setup`;
this module adds their provenance to every speed and cost it reports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import derive
from .. import formulas as f
from ..errors import MacroError
from ..quantity import Input, Q, inputs_of
from .base import PRECISION_NAMES, Vocabulary, check_precision, const_q, hardware, known, whole_const_q, word
from .hardware import HardwareView
from .models import view


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


@word
def kv_per_token(v: Vocabulary, model_id: str, precision: str = "bf16") -> Q:
    """KV-cache bytes one token occupies in ``model_id`` at ``precision``, from its architecture."""
    mv = view(v, model_id)
    arch = mv.architecture()
    check_precision(precision, f.BYTES_PER_PARAM)
    return Q(
        value=derive.kv_bytes_per_token(mv.m, precision),
        kind="bytes_small",
        label=f"KV cache per token of {mv.display} at {PRECISION_NAMES[precision]}",
        formula="2 × layers × KV heads × head size × bytes"
        if arch.attention != "mla"
        else "layers × latent width × bytes",
        inputs=mv.part("total").inputs,
        method="kv-cache",
        expr=f"kv_per_token({model_id!r}, {precision!r})",
    )


class Serving:
    """The decode model of one accelerator type at one precision, with its sourced assumptions."""

    def __init__(
        self, v: Vocabulary, hw_id: str, precision: str, kv_model: str, price_key: str, kv_precision: str
    ) -> None:
        check_precision(precision, f.BYTES_PER_PARAM)
        self.precision = precision
        self.hw = HardwareView(hardware(v.book, hw_id))
        self.memory, self.bandwidth, self.peak = self.hw.memory, self.hw.bandwidth, self.hw.peak(precision)
        self.price = const_q(v.book, price_key).as_("usd_per_hour")
        self.utilisation = const_q(v.book, "decode_utilisation").as_("percent")
        self.context = const_q(v.book, "decode_context_tokens").as_("integer")
        self.kv_token = kv_per_token(v, kv_model, kv_precision)
        _, self.batch_max = whole_const_q(v.book, "decode_batch_max")
        _, self.gpus_max = whole_const_q(v.book, "decode_gpus_max")
        self.setup = derive.serving_setup(v.book, self.hw.h, precision, view(v, kv_model).m, price_key, kv_precision)
        self.kv_sequence = Q(
            value=self.setup.kv_bytes_per_sequence,
            kind="bytes",
            label="KV cache per sequence",
            formula="KV cache per token × tokens per sequence",
            inputs=inputs_of(self.kv_token, self.context),
            method="kv-cache",
            expr="",
        )
        defaults = (derive.SERVING.kv_model, derive.SERVING.price_key, derive.SERVING.kv_precision)
        extra = (
            ""
            if (kv_model, price_key, kv_precision) == defaults
            else f", {kv_model!r}, {price_key!r}, {kv_precision!r}"
        )
        self.expr = f"serving({hw_id!r}, {precision!r}{extra})"
        self.kv_sequence = replace(self.kv_sequence, expr=f"{self.expr}.kv_sequence")
        self.assumptions = inputs_of(
            self.memory, self.bandwidth, self.peak, self.price, self.utilisation, self.context, self.kv_token
        )

    # -- the grid ---------------------------------------------------------------------------
    def batches(self) -> list[Q]:
        """Batch sizes the sweep tries: 1, 2, 4, ... up to ``decode_batch_max``."""
        label, limit = "sequences in a batch", self.batch_max
        return [self._grid_q(b, label, limit, f"{self.expr}.batches()[{i}]") for i, b in enumerate(self.setup.batches)]

    def gpu_counts(self) -> list[Q]:
        label, limit = "GPUs per model copy", self.gpus_max
        return [
            self._grid_q(g, label, limit, f"{self.expr}.gpu_counts()[{i}]") for i, g in enumerate(self.setup.gpu_counts)
        ]

    @staticmethod
    def _grid_q(n: int, label: str, limit: Q, expr: str) -> Q:
        # The grid value itself is a choice, not a sourced figure: its tooltip names the limit only.
        return Q(
            value=float(n),
            kind="integer",
            label=label,
            formula=f"power of two up to {limit.text}",
            method="decode-step",
            expr=expr,
        )

    # -- configurations ------------------------------------------------------------------------
    @staticmethod
    def _sizes(total: Q, active: Q) -> tuple[float, float]:
        if not known(total, active):
            raise MacroError(f"serving: parameters of {total.label!r} are undisclosed; pass an estimate")
        return total.value, active.value

    def _view(self, p: f.DecodePoint, total: Q, active: Q, chosen: tuple[Input, ...], what: str) -> DecodeView:
        inputs = inputs_of(total, active) + self.assumptions + chosen
        name = f"{self.hw.display} at {PRECISION_NAMES[self.precision]}"
        where = f"{p.gpus} GPUs, batch {p.batch}"

        def q(value: float, kind: str, label: str, formula: str, method: str, field: str) -> Q:
            label = f"{label}, {total.label} on {name} ({where})"
            return Q(
                value=value,
                kind=kind,
                label=label,
                formula=formula,
                inputs=inputs,
                method=method,
                expr=f"{what}.{field}",
            )

        def choice(value: int, kind: str, label: str, field: str) -> Q:
            # GPU count and batch are configuration choices, not sourced figures: no inputs, no flag.
            return Q(
                value=float(value),
                kind=kind,
                label=label,
                formula="chosen by the sweep",
                method="decode-step",
                expr=f"{what}.{field}",
            )

        return DecodeView(
            speed=q(
                p.tokens_per_second_per_user,
                "tokens_per_s",
                "tokens/s per user",
                "1 ÷ step time",
                "decode-speed",
                "speed",
            ),
            cost=q(
                p.usd_per_million_tokens,
                "usd_per_mtok",
                "GPU cost per million generated tokens",
                "GPUs × price × step time ÷ batch",
                "decode-cost",
                "cost",
            ),
            gpus=choice(p.gpus, "gpus", f"GPUs per model copy ({where})", "gpus"),
            batch=choice(p.batch, "integer", f"batch ({where})", "batch"),
            step=q(
                p.step_seconds,
                "ms",
                "decode step time",
                "max(bytes read ÷ bandwidth, FLOP ÷ peak)",
                "decode-step",
                "step",
            ),
            bound=p.bound,
        )

    def point(self, total: Q, active: Q, gpus: Q, batch: Q) -> DecodeView | NoPoint:
        """The decode model at a given GPU count and batch size (both must come from data)."""
        if not known(gpus, batch):
            raise MacroError("serving.point: GPU count and batch must be known quantities")
        p = self.setup.point(*self._sizes(total, active), int(gpus.value), int(batch.value))
        if p is None:
            return NoPoint("does not fit")
        expr = f"{self.expr}.point({total.expr}, {active.expr}, {gpus.expr}, {batch.expr})"
        return self._view(p, total, active, inputs_of(gpus, batch), expr)

    def _grid_inputs(self) -> tuple[Input, ...]:
        return inputs_of(self.batch_max, self.gpus_max)

    def frontier(self, total: Q, active: Q) -> list[DecodeView]:
        """Configurations not beaten on both speed and cost, slowest first."""
        expr = f"{self.expr}.frontier({total.expr}, {active.expr})"
        pts = f.pareto_frontier(self.setup.sweep(*self._sizes(total, active)))
        return [self._view(p, total, active, self._grid_inputs(), f"{expr}[{i}]") for i, p in enumerate(pts)]

    def fastest(self, total: Q, active: Q) -> DecodeView | NoPoint:
        pts = self.setup.sweep(*self._sizes(total, active))
        if not pts:
            return NoPoint("does not fit")
        best = max(pts, key=lambda p: (p.tokens_per_second_per_user, -p.usd_per_million_tokens))
        return self._view(best, total, active, self._grid_inputs(), f"{self.expr}.fastest({total.expr}, {active.expr})")

    def cheapest(self, total: Q, active: Q) -> DecodeView | NoPoint:
        pts = self.setup.sweep(*self._sizes(total, active))
        if not pts:
            return NoPoint("does not fit")
        best = min(pts, key=lambda p: (p.usd_per_million_tokens, -p.tokens_per_second_per_user))
        return self._view(
            best, total, active, self._grid_inputs(), f"{self.expr}.cheapest({total.expr}, {active.expr})"
        )

    def cheapest_at(self, total: Q, active: Q, speed: Q) -> DecodeView | NoPoint:
        """Lowest cost among configurations giving each user at least ``speed`` tokens/s."""
        if speed.value is None:
            raise MacroError("serving.cheapest_at: the target speed must be a known quantity")
        best = f.cheapest_at_speed(self.setup.sweep(*self._sizes(total, active)), speed.value)
        if best is None:
            return NoPoint("out of reach")
        expr = f"{self.expr}.cheapest_at({total.expr}, {active.expr}, {speed.expr})"
        return self._view(best, total, active, self._grid_inputs() + speed.inputs, expr)


# The serving set-up of the economics chapter; the inference chart uses the same (macros.derive).
@word
def serving(
    v: Vocabulary,
    hw_id: str,
    precision: str = derive.SERVING.precision,
    kv_model: str = derive.SERVING.kv_model,
    price_key: str = derive.SERVING.price_key,
    kv_precision: str = derive.SERVING.kv_precision,
) -> Serving:
    """``serving('h200-sxm', 'fp8')``: the decode model on one accelerator type."""
    return Serving(v, hw_id, precision, kv_model, price_key, kv_precision)
