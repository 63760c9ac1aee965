"""The book's data as typed, immutable records (values in SI base units), and the units authors write.

No validation here (that is :mod:`macros.schema`, which needs pydantic): a build whose data is
unchanged reads these records from a cache without importing it (see :mod:`macros.data`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import units

# From most to least certain. `claimed` (a figure a secondary source asserts, quoted so the book can
# check it) sits between `estimated` and `rumored`: unlike an estimate it comes with no reasoning the
# book can weigh, but unlike a rumour it is attributable to a named source that can be read.
STATUSES = ("disclosed", "estimated", "claimed", "rumored", "undisclosed")
# How uncertain a derived number is: the least certain of its inputs.
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}


# --- units: each field has a dimension, each dimension a closed list of units ---------------
# A value is stored in the SI base unit of its dimension (bytes, FLOP, FLOP/s, bytes/s, USD; counts
# as plain numbers; GPU time in GPU-hours): ``UNITS`` gives, for each unit an author may write,
# its size in that base unit. Authors write the units of the datasheets (GB, TB/s, TFLOP/s).
UNITS: Mapping[str, Mapping[str, float]] = {
    "count": {"1": 1.0, "K": units.KILO, "M": units.MEGA, "B": units.GIGA, "T": units.TERA},
    "flop": {"FLOP": 1.0},
    "hours": {"h": 1.0, "Mh": units.MEGA},
    "usd": {"USD": 1.0, "MUSD": units.MEGA},
    "bytes": {"GB": units.GB},
    "bytes_per_s": {"GB/s": units.GB, "TB/s": units.TB},
    "flop_per_s": {"TFLOP/s": units.TERA, "PFLOP/s": units.PETA},
}
# The unit of a value written without one (and of the ranges in messages).
DEFAULT_UNIT = {
    "count": "1",
    "flop": "FLOP",
    "hours": "h",
    "usd": "USD",
    "bytes": "GB",
    "bytes_per_s": "TB/s",
    "flop_per_s": "TFLOP/s",
}
# Plausible ranges in base units: a value outside is almost always a unit slip.
PLAUSIBLE: Mapping[str, tuple[float, float]] = {
    "params": (1e4, 1e15),
    "active_params": (1e4, 1e15),
    "tokens": (1e6, 1e16),
    "reported_train_flops": (1e15, 1e30),
    "gpu_hours": (1.0, 1e10),
    "gpus": (1.0, 1e8),
    "reported_cost_usd": (1.0, 1e13),
    "memory": (units.GB, 10_000 * units.GB),
    "bandwidth": (units.TB / 100, 1_000 * units.TB),
    "peak": (units.TERA / 100, 1_000_000 * units.TERA),
}
MODEL_VALUE_FIELDS = {
    "params": "count",
    "active_params": "count",
    "tokens": "count",
    "reported_train_flops": "flop",
    "gpu_hours": "hours",
    "gpus": "count",
    "reported_cost_usd": "usd",
}
PRECISIONS = ("fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp4")


# --- dates -------------------------------------------------------------------------------------
EARLIEST_RELEASE = dt.date(2010, 1, 1)  # before the first model or accelerator the book could discuss


def build_date() -> dt.date:
    """The date of this build: ``SOURCE_DATE_EPOCH`` (reproducible builds) if set, else today (UTC).

    Release dates may not lie after it (:mod:`macros.schema_types`); :mod:`macros.data` keys its cache on it.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


# --- resolved records ----------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    """A number in base units with where it came from."""

    value: float | None
    status: str
    source: str
    note: str | None = None

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Arch:
    """A model's architecture as published (see data/README.md); :mod:`macros.formulas` reads its fields."""

    layers: int
    d_model: int
    heads: int
    kv_heads: int
    ffn: int
    vocab: int
    tied_embeddings: bool
    ffn_kind: str = "gated"
    head_dim: int | None = None
    norm: str = "rmsnorm"
    norms_per_layer: int = 2
    qk_norm: bool = False
    linear_bias: bool = False
    qkv_bias: bool = False
    position: str = "rope"
    context: int | None = None
    experts: int = 0
    experts_per_token: int = 0
    shared_experts: int = 0
    moe_ffn: int | None = None
    dense_layers: int = 0
    router_bias: bool = False
    attention: str = "standard"
    q_lora_rank: int | None = None
    kv_lora_rank: int | None = None
    qk_nope_head_dim: int | None = None
    qk_rope_head_dim: int | None = None
    v_head_dim: int | None = None


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    family: str
    org: str
    released: dt.date
    open_weights: bool
    params: Value
    tokens: Value
    active_params: Value | None
    reported_train_flops: Value | None
    gpu_hours: Value | None
    gpus: Value | None
    reported_cost_usd: Value | None
    train_hardware: str | None
    note: str | None
    arch: Arch | None
    arch_source: str | None
    arch_status: str | None

    @property
    def is_moe(self) -> bool:
        return self.active_params is not None or bool(self.arch and self.arch.experts)


@dataclass(frozen=True)
class Hardware:
    id: str
    name: str
    vendor: str
    released: int
    memory_bytes: Value
    bandwidth_bytes_per_s: Value
    peak_flop_per_s: Mapping[str, Value]  # dense peak by precision
    note: str | None


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    authors: str
    year: int
    url: str | None  # None when the document's address was not preserved
    kind: str
    note: str | None


@dataclass(frozen=True)
class Constant:
    key: str
    value: float
    status: str
    source: str
    unit: str
    label: str
    note: str | None


@dataclass(frozen=True, repr=False)
class Book:
    models: Mapping[str, Model]
    hardware: Mapping[str, Hardware]
    sources: Mapping[str, Source]
    constants: Mapping[str, Constant]
    files: tuple[Path, ...] = field(default=())
    # Digest of the data files and the loader's code: equal digests, equal book (see macros.data).
    digest: str = ""

    def __repr__(self) -> str:
        # Short on purpose: mkdocs-macros serialises every template variable (this book among
        # them) for its debug log on every build, and a full repr at 30,000 models took 0.3 s.
        return (
            f"<Book: {len(self.models)} models, {len(self.hardware)} accelerators, "
            f"{len(self.sources)} sources, {len(self.constants)} constants>"
        )
