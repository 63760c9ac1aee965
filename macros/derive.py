"""The one derivation: every model's, accelerator's and constant-based figure, from records through formulas.

Chapters (the vocabulary adds provenance and format), the exports and the charts all read their
numbers here; nothing else turns records into figures. Pure: no I/O, no formatting, no provenance.
A constant the book needs but ``data/constants.toml`` lacks is a :class:`DataError` of one line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from . import formulas as f
from .errors import DataError, MacroError
from .records import STATUS_RANK, Book, Hardware, Model, Value

CHINCHILLA_RATIO = "chinchilla_tokens_per_param"
# A loss fit is five constants; the chapters name the fit, not the keys.
FITS = {
    "hoffmann": ("chinchilla", "Hoffmann et al. fit"),
    "besiroglu": ("epoch", "replication fit"),
}
FIT_KEYS = ("e", "a", "b", "alpha", "beta")


@dataclass(frozen=True)
class Era:
    """One era of scaling: the constant holding its first year, and its names."""

    start_key: str
    slug: str
    name: str
    short: str  # one word, for tables


ERAS = (
    Era("era_bigger_start_year", "bigger", "Bigger is better", "Bigger"),
    Era("era_balance_start_year", "balance", "Balance parameters and data", "Balance"),
    Era("era_overtrain_start_year", "overtrain", "Overtrain, MoE and distill", "Overtrain"),
)


# --- constants -------------------------------------------------------------------------------------
def constant(book: Book, key: str) -> float:
    """The value of ``data/constants.toml``'s ``key``."""
    c = book.constants.get(key)
    if c is None:
        raise DataError(f"data/constants.toml: constant {key!r} is missing (a computed figure needs it)")
    return c.value


def whole_constant(book: Book, key: str) -> int:
    """A constant that counts something (a grid limit, a number of steps): a whole number >= 1."""
    value = constant(book, key)
    if value < 1 or value != int(value):
        raise DataError(f"data/constants.toml: constant {key!r}, field 'value': must be a whole number >= 1")
    return int(value)


def fit_keys(fit: str) -> tuple[str, ...]:
    """The constants' keys of a named loss fit ('hoffmann', 'besiroglu'), in LossFit order."""
    if fit not in FITS:
        raise MacroError(f"unknown loss fit {fit!r}; use one of {', '.join(FITS)}")
    return tuple(f"{FITS[fit][0]}_{k}" for k in FIT_KEYS)


def loss_fit(book: Book, fit: str = "hoffmann") -> f.LossFit:
    e, a, b, alpha, beta = (constant(book, key) for key in fit_keys(fit))
    return f.LossFit(e=e, a=a, b=b, alpha=alpha, beta=beta)


def era_starts(book: Book) -> list[int]:
    """The first year of each era in :data:`ERAS`, from the constants."""
    starts = [int(constant(book, era.start_key)) for era in ERAS]
    for before, after, year, prev in zip(ERAS, ERAS[1:], starts[1:], starts, strict=False):
        if year <= prev:
            raise DataError(
                f"data/constants.toml: constant {after.start_key!r}, field 'value': {year} must come after "
                f"{before.start_key} ({prev})"
            )
    return starts


def era_index(book: Book, year: int, starts: list[int] | None = None) -> int:
    """Index into :data:`ERAS` of the era a release year falls in (``starts``: :func:`era_starts`, if at hand)."""
    return f.era_index(year, era_starts(book) if starts is None else starts)


def era(book: Book, model: Model, starts: list[int] | None = None) -> Era:
    return ERAS[era_index(book, model.released.year, starts)]


# --- models ----------------------------------------------------------------------------------------
def active(model: Model) -> Value:
    """The parameters that work on each token: the stated active count, else the total."""
    return model.active_params or model.params


def least_certain(*statuses: str) -> str:
    return max(statuses, key=STATUS_RANK.__getitem__)


class ModelValues(NamedTuple):
    """Every figure the book computes for one model (None where an input is undisclosed).

    A named tuple, not a dataclass: the exports build one per model, tens of thousands per build.
    """

    params: float | None
    active_params: float | None
    tokens: float | None
    train_flops: float | None
    tokens_per_param: float | None
    chinchilla_tokens: float | None
    overtrain_factor: float | None
    # The charts of tokens against parameters count a mixture of experts by its active parameters:
    # D ÷ N_active and D ÷ (r × N_active). Chapters and models.json use the total (the two above).
    tokens_per_active_param: float | None
    active_overtrain_factor: float | None
    sparsity: float | None  # total ÷ stated active parameters (None without a stated active count)
    inference_flops_per_token: float | None
    weight_bytes: Mapping[str, float | None]  # by precision (formulas.BYTES_PER_PARAM)
    breakdown: Mapping[str, float] | None  # parameters by component, from the architecture
    derived_status: str  # of the training compute: the least certain of N_active and D

    @property
    def params_from_arch(self) -> float | None:
        return self.breakdown["total"] if self.breakdown else None

    @property
    def active_params_from_arch(self) -> float | None:
        return self.breakdown["active"] if self.breakdown else None


def model_values(book: Book, model: Model, ratio: float | None = None) -> ModelValues:
    """Every figure of one model (``ratio``: the Chinchilla tokens per parameter, if already read)."""
    n, d, na = model.params.value, model.tokens.value, active(model).value
    r = constant(book, CHINCHILLA_RATIO) if ratio is None else ratio
    both = n is not None and d is not None
    both_active = na is not None and d is not None
    stated_active = model.active_params is not None and na is not None and n is not None
    return ModelValues(
        params=n,
        active_params=na,
        tokens=d,
        train_flops=f.train_flops(na, d) if na is not None and d is not None else None,
        tokens_per_param=f.tokens_per_param(d, n) if both else None,
        chinchilla_tokens=f.chinchilla_tokens(n, r) if n is not None else None,
        overtrain_factor=f.overtrain_factor(d, n, r) if both else None,
        tokens_per_active_param=f.tokens_per_param(d, na) if both_active else None,
        active_overtrain_factor=f.overtrain_factor(d, na, r) if both_active else None,
        sparsity=f.sparsity(n, na) if stated_active else None,
        inference_flops_per_token=f.inference_flops_per_token(na) if na is not None else None,
        weight_bytes=MappingProxyType({p: f.weight_bytes(n, p) if n is not None else None for p in f.BYTES_PER_PARAM}),
        breakdown=MappingProxyType(f.param_breakdown(model.arch)) if model.arch else None,
        derived_status=least_certain(active(model).status, model.tokens.status),
    )


def every_model(book: Book) -> Iterator[tuple[Model, ModelValues, Era]]:
    """Each model with its figures and era, reading the constants once (the exports' tens of thousands)."""
    ratio, starts = constant(book, CHINCHILLA_RATIO), era_starts(book)
    for model in book.models.values():
        yield model, model_values(book, model, ratio), era(book, model, starts)


def nonembedding_params(model: Model) -> float | None:
    """Kaplan's N: from the architecture when public, else the total parameters."""
    if model.arch is None:
        return model.params.value
    p = f.param_breakdown(model.arch)
    return f.nonembedding_params(p["total"], p["embedding"], p["position"], p["head"])


def fit_loss(book: Book, model: Model, fit: str = "hoffmann") -> float | None:
    """L(N, D) of a model's total parameters and tokens under a named fit."""
    n, d = model.params.value, model.tokens.value
    return f.chinchilla_loss(n, d, loss_fit(book, fit)) if n is not None and d is not None else None


def optimum(book: Book, flops: float, fit: str = "hoffmann") -> tuple[float, float]:
    """(N_opt, D_opt): the compute-optimal parameters and tokens for a budget under a named fit."""
    return f.compute_optimal(flops, loss_fit(book, fit))


def kv_bytes_per_token(model: Model, precision: str) -> float:
    """KV cache one token occupies in ``model`` (which must have an architecture) at ``precision``."""
    return f.kv_cache_bytes_per_token(model.arch, f.BYTES_PER_PARAM[precision])


# --- accelerators -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HardwareValues:
    """One accelerator's figures as plain numbers (the records hold them in SI base units already)."""

    memory_bytes: float
    bandwidth_bytes_per_s: float
    peak_flop_per_s: Mapping[str, float]  # by precision


def hardware_values(hw: Hardware) -> HardwareValues:
    return HardwareValues(
        memory_bytes=hw.memory_bytes.value,
        bandwidth_bytes_per_s=hw.bandwidth_bytes_per_s.value,
        peak_flop_per_s=MappingProxyType({p: v.value for p, v in hw.peak_flop_per_s.items()}),
    )


def hardware_peak(hw: Hardware, precision: str, needed_by: str) -> float:
    """``hw``'s dense peak at ``precision`` in FLOP/s; missing, a one-line :class:`DataError` naming who needs it."""
    v = hw.peak_flop_per_s.get(precision)
    if v is None or v.value is None:
        has = ", ".join(hw.peak_flop_per_s) or "none"
        raise DataError(
            f"data/hardware.toml: hardware {hw.id!r}, field 'peak.{precision}': missing, but {needed_by} needs it; "
            f"add its dense {precision} peak (it has {has})"
        )
    return v.value


def devices_needed(weight_bytes: float, hw: Hardware) -> int:
    """Accelerators of type ``hw`` whose memory together holds ``weight_bytes``."""
    return f.devices_needed(weight_bytes, hardware_values(hw).memory_bytes)


def training_mfu(book: Book, model: Model, precision: str = "bf16") -> float | None:
    """Utilisation a model's stated GPU-hours imply on its training accelerator's dense peak, if all are known."""
    hw = book.hardware.get(model.train_hardware or "")
    peak = hw.peak_flop_per_s.get(precision) if hw else None
    flops = model_values(book, model).train_flops
    if peak is None or peak.value is None or flops is None or model.gpu_hours is None or model.gpu_hours.value is None:
        return None
    return f.mfu(flops, model.gpu_hours.value, peak.value)


# --- serving -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServingChoice:
    """What the economics chapter serves by default, and the inference chart draws (names, not numbers)."""

    model: str
    hardware: str
    precision: str
    kv_model: str
    kv_precision: str
    price_key: str


SERVING = ServingChoice(
    model="gpt-4",
    hardware="h200-sxm",
    precision="fp8",
    kv_model="llama-3.1-405b",
    kv_precision="bf16",
    price_key="h200_price_per_gpu_hour",
)


@dataclass(frozen=True)
class ServingSetup:
    """The decode model's assumptions on one accelerator type: the arguments of formulas.decode_point."""

    bytes_per_param: float
    kv_bytes_per_token: float
    kv_bytes_per_sequence: float
    gpu_memory_bytes: float
    gpu_bandwidth_bytes_per_s: float
    gpu_peak_flop_per_s: float
    usd_per_gpu_hour: float
    utilization: float
    gpu_counts: tuple[int, ...]
    batches: tuple[int, ...]

    def kwargs(self) -> dict[str, float]:
        return {
            "bytes_per_param": self.bytes_per_param,
            "kv_bytes_per_sequence": self.kv_bytes_per_sequence,
            "gpu_memory_bytes": self.gpu_memory_bytes,
            "gpu_bandwidth_bytes_per_s": self.gpu_bandwidth_bytes_per_s,
            "gpu_peak_flop_per_s": self.gpu_peak_flop_per_s,
            "usd_per_gpu_hour": self.usd_per_gpu_hour,
            "utilization": self.utilization,
        }

    def point(self, total: float, active: float, gpus: int, batch: int) -> f.DecodePoint | None:
        return f.decode_point(total_params=total, active_params=active, gpus=gpus, batch=batch, **self.kwargs())

    def sweep(self, total: float, active: float) -> list[f.DecodePoint]:
        """Every (GPUs, batch) of the grid that fits in memory."""
        return f.decode_sweep(
            gpu_counts=list(self.gpu_counts),
            batches=list(self.batches),
            total_params=total,
            active_params=active,
            **self.kwargs(),
        )


def serving_setup(
    book: Book, hw: Hardware, precision: str, kv_model: Model, price_key: str, kv_precision: str
) -> ServingSetup:
    hv = hardware_values(hw)
    kv_token = kv_bytes_per_token(kv_model, kv_precision)
    return ServingSetup(
        bytes_per_param=f.BYTES_PER_PARAM[precision],
        kv_bytes_per_token=kv_token,
        kv_bytes_per_sequence=f.kv_cache_bytes_per_sequence(kv_token, constant(book, "decode_context_tokens")),
        gpu_memory_bytes=hv.memory_bytes,
        gpu_bandwidth_bytes_per_s=hv.bandwidth_bytes_per_s,
        gpu_peak_flop_per_s=hardware_peak(hw, precision, "the serving model (the inference-economics chart)"),
        usd_per_gpu_hour=constant(book, price_key),
        utilization=constant(book, "decode_utilisation"),
        gpu_counts=tuple(f.powers_of_two(whole_constant(book, "decode_gpus_max"))),
        batches=tuple(f.powers_of_two(whole_constant(book, "decode_batch_max"))),
    )


@dataclass(frozen=True)
class ServingFrontier:
    """The Pareto frontier of one size of the served model (``scale`` of its parameters)."""

    scale: float
    total_params: float
    active_params: float
    points: list[f.DecodePoint]


def serving_frontiers(book: Book, choice: ServingChoice = SERVING) -> list[ServingFrontier]:
    """The served model and its halvings (``decode_shrink_steps``), each with its frontier on the chosen
    accelerator; empty when the model's sizes or the reference architecture are not known."""
    base, kv_model = book.models[choice.model], book.models[choice.kv_model]
    total, act = base.params.value, active(base).value
    if total is None or act is None or kv_model.arch is None:
        return []
    setup = serving_setup(
        book, book.hardware[choice.hardware], choice.precision, kv_model, choice.price_key, choice.kv_precision
    )
    out = []
    for step in range(whole_constant(book, "decode_shrink_steps") + 1):
        scale = f.halving(step)
        size, size_active = total * scale, act * scale
        out.append(ServingFrontier(scale, size, size_active, f.pareto_frontier(setup.sweep(size, size_active))))
    return out
