"""The book's data as typed, immutable records, and the units its values are written in.

No validation here (that is :mod:`macros.schema`, which needs pydantic): a build whose data is
unchanged reads these records from a cache without importing it (see :mod:`macros.data`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# From most to least certain. `claimed` (a figure a secondary source asserts, quoted so the book can
# check it) sits between `estimated` and `rumored`: unlike an estimate it comes with no reasoning the
# book can weigh, but unlike a rumour it is attributable to a named source that can be read.
STATUSES = ("disclosed", "estimated", "claimed", "rumored", "undisclosed")
# How uncertain a derived number is: the least certain of its inputs.
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}


# --- units: each field has a dimension, each dimension a closed list of units ---------------
UNITS: Mapping[str, Mapping[str, float]] = {
    "count": {"1": 1.0, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12},
    "flop": {"FLOP": 1.0},
    "hours": {"h": 1.0, "Mh": 1e6},
    "usd": {"USD": 1.0, "MUSD": 1e6},
    "gb": {"GB": 1.0},
    "bandwidth": {"GB/s": 1e-3, "TB/s": 1.0},
    "peak": {"TFLOP/s": 1.0, "PFLOP/s": 1e3},
}
BASE_UNIT = {
    "count": "1",
    "flop": "FLOP",
    "hours": "h",
    "usd": "USD",
    "gb": "GB",
    "bandwidth": "TB/s",
    "peak": "TFLOP/s",
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
    "memory": (1.0, 1e4),
    "bandwidth": (0.01, 1e3),
    "peak": (0.01, 1e6),
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
    memory: Value  # GB
    bandwidth: Value  # TB/s
    peak: Mapping[str, Value]  # TFLOP/s by precision
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
