"""``model(id)``: a model's stated and computed figures as quantities with provenance.

Values come from :mod:`macros.derive`; this module adds the inputs, labels and formulas in words.
"""

from __future__ import annotations

from dataclasses import replace

from .. import derive, safe
from .. import format as fmt
from .. import formulas as f
from ..errors import MacroError
from ..quantity import Input, Q
from ..records import Arch, Book, Model, Value
from .base import PRECISION_NAMES, Vocabulary, check_precision, const_q, hardware, stated, word
from .hardware import HardwareView

COMPONENT_NAMES = {
    "embedding": "token embedding",
    "position": "position embedding",
    "attention": "attention",
    "ffn": "feed-forward",
    "norms": "norms",
    "head": "output head",
    "total": "total",
    "active": "active per token",
}


class ModelView:
    """``model('llama-3-8b')`` in a chapter; ``m`` is the record, ``display`` its raw name."""

    def __init__(self, book: Book, m: Model, expr: str | None = None) -> None:
        self.book, self.m = book, m
        self.id, self.display = m.id, m.name
        self.name, self.org, self.family = safe.text(m.name), safe.text(m.org), safe.text(m.family)
        self.year = str(m.released.year)
        self.open_weights = m.open_weights
        self.expr = expr or f"model({m.id!r})"
        self.values = derive.model_values(book, m)

    def __str__(self) -> str:
        return self.name

    def __getattr__(self, name: str) -> object:
        raise MacroError(f"model {self.m.id!r} has no quantity {name!r}")

    # -- stated values ------------------------------------------------------------------------
    def _stated(self, name: str, kind: str, label: str, symbol: str, attr: str) -> Q:
        v = getattr(self.m, name)
        if v is None:
            raise MacroError(f"model {self.m.id!r} has no {name!r} in data/models.toml")
        n = self.display
        return stated(v, kind, f"{label} of {n}", f"{symbol} ({n})", f"{self.expr}.{attr}")

    @property
    def params(self) -> Q:
        return self._stated("params", "params", "parameters", "N", "params")

    @property
    def active_params(self) -> Q:
        n = self.display
        label, symbol = f"active parameters of {n}", f"N_active ({n})"
        return stated(derive.active(self.m), "params", label, symbol, f"{self.expr}.active_params")

    @property
    def tokens(self) -> Q:
        return self._stated("tokens", "tokens", "training tokens", "D", "tokens")

    @property
    def reported_train_flops(self) -> Q:
        return self._stated(
            "reported_train_flops", "flop", "reported training compute", "C reported", "reported_train_flops"
        )

    @property
    def gpu_hours(self) -> Q:
        return self._stated("gpu_hours", "gpu_hours", "training GPU-hours", "GPU-hours", "gpu_hours")

    @property
    def gpus(self) -> Q:
        return self._stated("gpus", "gpus", "training GPUs", "GPUs", "gpus")

    @property
    def reported_cost(self) -> Q:
        return self._stated("reported_cost_usd", "usd", "reported training cost", "cost", "reported_cost")

    # -- computed ------------------------------------------------------------------------------
    def _derived(
        self, value: float | None, *, kind: str, label: str, formula: str, inputs: tuple[Q, ...], method: str, attr: str
    ) -> Q:
        return Q(
            value=value,
            kind=kind,
            label=f"{label} of {self.display}",
            formula=formula,
            inputs=tuple(i for q in inputs for i in q.inputs),
            method=method,
            expr=f"{self.expr}.{attr}",
        )

    def _ratio_q(self) -> Q:
        return const_q(self.book, derive.CHINCHILLA_RATIO)

    @property
    def train_flops(self) -> Q:
        return self._derived(
            self.values.train_flops,
            kind="flop",
            label="training compute",
            formula="6 × N_active × D",
            inputs=(self.active_params, self.tokens),
            method="training-compute",
            attr="train_flops",
        )

    @property
    def tokens_per_param(self) -> Q:
        return self._derived(
            self.values.tokens_per_param,
            kind="number",
            label="tokens per parameter",
            formula="D ÷ N",
            inputs=(self.tokens, self.params),
            method="tokens-per-parameter",
            attr="tokens_per_param",
        )

    @property
    def chinchilla_tokens(self) -> Q:
        return self._derived(
            self.values.chinchilla_tokens,
            kind="tokens",
            label="compute-optimal tokens",
            formula="r × N",
            inputs=(self.params, self._ratio_q()),
            method="chinchilla-rule",
            attr="chinchilla_tokens",
        )

    @property
    def overtrain_factor(self) -> Q:
        return self._derived(
            self.values.overtrain_factor,
            kind="ratio",
            label="overtraining factor",
            formula="D ÷ (r × N)",
            inputs=(self.tokens, self.params, self._ratio_q()),
            method="overtraining",
            attr="overtrain_factor",
        )

    # The charts of tokens against parameters place a mixture of experts by its active parameters.
    @property
    def tokens_per_active_param(self) -> Q:
        return self._derived(
            self.values.tokens_per_active_param,
            kind="number",
            label="tokens per active parameter",
            formula="D ÷ N_active",
            inputs=(self.tokens, self.active_params),
            method="tokens-per-parameter",
            attr="tokens_per_active_param",
        )

    @property
    def active_overtrain_factor(self) -> Q:
        return self._derived(
            self.values.active_overtrain_factor,
            kind="ratio",
            label="overtraining factor by active parameters",
            formula="D ÷ (r × N_active)",
            inputs=(self.tokens, self.active_params, self._ratio_q()),
            method="overtraining",
            attr="active_overtrain_factor",
        )

    @property
    def inference_flops(self) -> Q:
        return self._derived(
            self.values.inference_flops_per_token,
            kind="flop",
            label="compute per generated token",
            formula="2 × N_active",
            inputs=(self.active_params,),
            method="inference-compute",
            attr="inference_flops",
        )

    def mem(self, precision: str) -> Q:
        """Weight memory at ``precision`` (fp32, bf16, fp8, int4)."""
        check_precision(precision, f.BYTES_PER_PARAM)
        return self._derived(
            self.values.weight_bytes[precision],
            kind="bytes",
            label=f"{PRECISION_NAMES[precision]} weight memory",
            formula=f"N × {fmt.sig(f.BYTES_PER_PARAM[precision])} bytes",
            inputs=(self.params,),
            method="weight-memory",
            attr=f"mem({precision!r})",
        )

    def devices(self, precision: str, hardware_id: str) -> Q:
        """Accelerators of type ``hardware_id`` whose memory holds the weights at ``precision``."""
        mem = self.mem(precision)
        hw = hardware(self.book, hardware_id)
        gpu = HardwareView(hw).memory
        return Q(
            value=derive.devices_needed(mem.value, hw) if mem.known else None,
            kind="integer",
            label=f"{gpu.label.replace('memory of ', '')}s to hold {self.display} at {PRECISION_NAMES[precision]}",
            formula="⌈weight memory ÷ memory per GPU⌉",
            inputs=mem.inputs + gpu.inputs,
            method="weight-memory",
            expr=f"{self.expr}.devices({precision!r}, {hardware_id!r})",
        )

    # -- architecture ---------------------------------------------------------------------------
    def architecture(self) -> Arch:
        """The record's architecture; a chapter asking for one the data lacks gets one line."""
        if self.m.arch is None:
            raise MacroError(f"model {self.m.id!r} has no [models.arch] in data/models.toml")
        return self.m.arch

    def _arch_q(self, value: float, label: str, expr: str) -> Q:
        a = self.architecture()
        source = Input(
            symbol=f"architecture ({self.display})",
            text=f"{a.layers} layers, d_model {a.d_model}",
            status=self.m.arch_status or "disclosed",
            source=self.m.arch_source,
        )
        return Q(
            value=value,
            kind="params",
            label=f"{label} of {self.display}",
            formula="from the architecture",
            inputs=(source,),
            method="parameter-count",
            expr=expr,
        )

    def part(self, component: str) -> Q:
        """Parameters in one component, computed from the architecture."""
        self.architecture()
        parts = self.values.breakdown
        if component not in parts:
            raise MacroError(f"unknown component {component!r}; use one of {', '.join(parts)}")
        label = f"{COMPONENT_NAMES[component]} parameters"
        return self._arch_q(parts[component], label, f"{self.expr}.part({component!r})")

    def share(self, component: str) -> Q:
        """Share of all parameters in one component (a percentage)."""
        q = self.part(component) / self.part("total")
        return Q(
            value=q.value,
            kind="percent",
            label=f"share of {COMPONENT_NAMES[component]} parameters in {self.display}",
            formula="component ÷ total",
            inputs=q.inputs,
            method="parameter-count",
            expr=f"{self.expr}.share({component!r})",
        )

    def per_layer(self, component: str) -> Q:
        """Parameters of one transformer block's attention or (dense) feed-forward network."""
        a = self.architecture()
        if component == "attention":
            value = f.attention_params(a)
        elif component == "ffn" and not a.experts:
            value = f.ffn_params(a, a.ffn)
        elif component == "expert" and a.experts:
            value = f.ffn_params(a, a.moe_ffn or a.ffn)
        else:
            raise MacroError(f"per_layer: use 'attention', 'ffn' (dense) or 'expert' (MoE), not {component!r}")
        label = f"{COMPONENT_NAMES.get(component, component)} parameters per block"
        return self._arch_q(value, label, f"{self.expr}.per_layer({component!r})")

    @property
    def without_gqa(self) -> ModelView:
        """The same architecture with one key/value head per query head (plain multi-head attention)."""
        a = self.architecture()
        arch = replace(a, kv_heads=a.heads)
        total = f.param_breakdown(arch)["total"]
        status = self.m.arch_status or "disclosed"
        variant = replace(
            self.m,
            id=f"{self.m.id}-without-gqa",
            name=f"{self.display} without GQA",
            arch=arch,
            params=Value(total, status, self.m.arch_source or self.m.params.source, "hypothetical variant"),
            active_params=None,
        )
        return ModelView(self.book, variant, expr=f"{self.expr}.without_gqa")

    @property
    def params_from_arch(self) -> Q:
        return self.part("total")

    def arch(self, name: str) -> Q:
        """An architecture field as a number (layers, d_model, heads, kv_heads, ffn, vocab, ...)."""
        value = getattr(self.architecture(), name, None)
        if not isinstance(value, int) or isinstance(value, bool):
            raise MacroError(f"model {self.m.id!r}: {name!r} is not a numeric architecture field")
        source = Input(
            symbol=f"{name} ({self.display})",
            text=fmt.integer(value),
            status=self.m.arch_status or "disclosed",
            source=self.m.arch_source,
        )
        return Q(
            value=float(value),
            kind="integer",
            label=f"{name} of {self.display}",
            inputs=(source,),
            expr=f"{self.expr}.arch({name!r})",
        )


def view(v: Vocabulary, model: str | ModelView) -> ModelView:
    """The view of a model id (made once per build), or the view itself."""
    if isinstance(model, ModelView):
        return model
    if not isinstance(model, str):
        raise MacroError(f"model(...) takes a model id in quotes, like model('llama-3-8b'); got {type(model).__name__}")
    if model not in v.views:
        try:
            record = v.book.models[model]
        except KeyError:
            raise MacroError(f"unknown model id {model!r} (not in data/models.toml)") from None
        v.views[model] = ModelView(v.book, record)
    return v.views[model]


@word
def model(v: Vocabulary, model_id: str) -> ModelView:
    """``model('llama-3-8b')``: a model's figures."""
    return view(v, model_id)
