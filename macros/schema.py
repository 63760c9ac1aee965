"""Validate the TOML files under ``data/`` into :mod:`macros.records` (pydantic schemas).

Every problem stops the build with a :class:`~macros.records.DataError` whose message is one
line that names the file, the entry and the field. Nothing here knows about Markdown or caching.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import formulas
from .errors import DataError
from .records import (
    DEFAULT_UNIT,
    MODEL_VALUE_FIELDS,
    PLAUSIBLE,
    PRECISIONS,
    UNITS,
    Arch,
    Book,
    Constant,
    Hardware,
    Model,
    Source,
    Value,
)
from .toml_input import read_toml, validate_entry

Status = Literal["disclosed", "estimated", "claimed", "rumored", "undisclosed"]

Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
PosInt = Annotated[int, Field(strict=True, gt=0)]
NonNegInt = Annotated[int, Field(strict=True, ge=0)]
Text = Annotated[str, Field(strict=True, min_length=1)]
Key = Annotated[str, Field(strict=True, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
# Strict: "false" (a string) or 1 is not a boolean, and "2024-04-18" (a string) is not a TOML date.
Bool = Annotated[bool, Field(strict=True)]
Date = Annotated[dt.date, Field(strict=True)]


# --- raw schemas (what the TOML may contain) -------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RawValue(_Strict):
    value: Number | None = None
    unit: Text | None = None
    status: Status
    source: Key
    note: Text | None = None

    @model_validator(mode="after")
    def _value_matches_status(self) -> RawValue:
        if self.status == "undisclosed" and self.value is not None:
            raise ValueError("an undisclosed value must not have a value")
        if self.status != "undisclosed" and self.value is None:
            raise ValueError(f"a {self.status} value needs a value")
        return self


class RawArch(_Strict):
    source: Key
    status: Status = "disclosed"
    layers: PosInt
    d_model: PosInt
    heads: PosInt
    kv_heads: PosInt
    ffn: PosInt
    vocab: PosInt
    tied_embeddings: Bool
    ffn_kind: Literal["gated", "mlp"] = "gated"
    head_dim: PosInt | None = None
    norm: Literal["rmsnorm", "layernorm"] = "rmsnorm"
    norms_per_layer: NonNegInt = 2
    qk_norm: Bool = False
    linear_bias: Bool = False
    qkv_bias: Bool = False
    position: Literal["rope", "learned"] = "rope"
    context: PosInt | None = None
    experts: NonNegInt = 0
    experts_per_token: NonNegInt = 0
    shared_experts: NonNegInt = 0
    moe_ffn: PosInt | None = None
    dense_layers: NonNegInt = 0
    router_bias: Bool = False
    attention: Literal["standard", "mla"] = "standard"
    q_lora_rank: PosInt | None = None
    kv_lora_rank: PosInt | None = None
    qk_nope_head_dim: PosInt | None = None
    qk_rope_head_dim: PosInt | None = None
    v_head_dim: PosInt | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RawArch:
        if self.kv_heads > self.heads:
            raise ValueError("kv_heads cannot exceed heads")
        if self.heads % self.kv_heads:
            raise ValueError("heads must be a multiple of kv_heads")
        if self.position == "learned" and self.context is None:
            raise ValueError("learned positions need `context`")
        if self.experts and not 0 < self.experts_per_token <= self.experts:
            raise ValueError("experts_per_token must be between 1 and experts")
        if not self.experts and (self.experts_per_token or self.shared_experts or self.moe_ffn or self.router_bias):
            raise ValueError("experts_per_token, shared_experts, moe_ffn and router_bias need `experts`")
        if self.dense_layers > self.layers:
            raise ValueError("dense_layers cannot exceed layers")
        mla = ("q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim")
        missing = [f for f in mla if getattr(self, f) is None]
        if self.attention == "mla" and missing:
            raise ValueError(f"attention = 'mla' needs {', '.join(missing)}")
        return self


class RawModel(_Strict):
    id: Key
    name: Text
    family: Text
    org: Text
    released: Date
    open_weights: Bool
    params: RawValue
    tokens: RawValue
    active_params: RawValue | None = None
    reported_train_flops: RawValue | None = None
    gpu_hours: RawValue | None = None
    gpus: RawValue | None = None
    reported_cost_usd: RawValue | None = None
    train_hardware: Key | None = None
    note: Text | None = None
    arch: RawArch | None = None


class RawHardware(_Strict):
    id: Key
    name: Text
    vendor: Text
    released: Annotated[int, Field(strict=True, ge=1990, le=2100)]
    memory: RawValue
    bandwidth: RawValue
    peak: dict[Literal[PRECISIONS], RawValue]  # type: ignore[valid-type]
    note: Text | None = None


URL_PATTERN = r"^https?://[^\s<>\"'`|\[\]{}\\^$]+$"
SourceKind = Literal[
    "paper", "model-card", "config", "announcement", "blog", "datasheet", "article", "forum", "course", "policy", "video"
]  # fmt: skip


class RawSource(_Strict):
    title: Text
    authors: Text
    year: Annotated[int, Field(strict=True, ge=1900, le=2100)]
    # No characters that HTML, Markdown or math would read (they must be %-encoded in a URL anyway).
    # None: the document's address was not preserved (it is named, not linked).
    url: Annotated[str, Field(strict=True, pattern=URL_PATTERN)] | None = None
    kind: SourceKind
    note: Text | None = None


class RawConstant(_Strict):
    value: Number
    status: Literal["disclosed", "estimated", "claimed", "rumored"]
    source: Key
    unit: Text
    label: Text
    note: Text | None = None


# --- resolution ---------------------------------------------------------------------------------
def _resolve(raw: RawValue | None, dimension: str, name: str, where: str) -> Value | None:
    if raw is None:
        return None
    sizes, default = UNITS[dimension], DEFAULT_UNIT[dimension]
    unit = raw.unit or default
    if unit not in sizes:
        raise DataError(f"{where} field {name + '.unit'!r}: unknown unit {unit!r}; use one of {', '.join(sizes)}")
    value = None
    if raw.value is not None:
        value = float(raw.value) * sizes[unit]  # in the SI base unit, once, here
        low, high = PLAUSIBLE[name.split(".")[0]]
        if not math.isfinite(value) or value <= 0:
            raise DataError(f"{where} field {name + '.value'!r}: must be positive, got {raw.value!r}")
        if not low <= value <= high:
            # the message speaks the author's unit (the default of the field), not bytes or FLOP/s
            scale = sizes[default]
            shown = "" if default == "1" else f" {default}"
            given = (
                f"{raw.value:g} {unit} = {value / scale:.3g}{shown}"
                if unit != default
                else f"{value / scale:.3g}{shown}"
            )
            raise DataError(
                f"{where} field {name + '.value'!r}: {given} is outside the plausible range "
                f"{low / scale:.0e} to {high / scale:.0e}{shown}; check the value and its unit"
            )
    return Value(value=value, status=raw.status, source=raw.source, note=raw.note)


def _entries(doc: dict[str, Any], table: str, file: Path) -> list[tuple[str, dict[str, Any]]]:
    items = doc.get(table)
    # An explicit `table = []` says "none" (a reproduce bundle whose chapter reads no accelerator).
    if not isinstance(items, list) or (not items and table not in doc):
        raise DataError(f"{file.as_posix()}: expected one or more [[{table}]] tables")
    unknown = sorted(set(doc) - {table})
    if unknown:
        raise DataError(f"{file.as_posix()}: unknown top-level key {unknown[0]!r} (entries go in [[{table}]])")
    out = []
    for i, item in enumerate(items):
        entry = item.get("id") if isinstance(item, dict) else None
        out.append((entry if isinstance(entry, str) and entry else f"#{i + 1}", item))
    return out


def _load_sources(path: Path) -> dict[str, Source]:
    doc = read_toml(path)
    table = doc.get("sources")
    if not isinstance(table, dict) or not table:
        raise DataError(f"{path.as_posix()}: expected [sources.KEY] tables")
    sources = {}
    for key, raw in table.items():
        rec = validate_entry(RawSource, raw, path, "source", key)
        sources[key] = Source(key=key, **rec.model_dump())
    return sources


def _load_constants(path: Path) -> dict[str, Constant]:
    doc = read_toml(path)
    return {
        key: Constant(key=key, **validate_entry(RawConstant, raw, path, "constant", key).model_dump())
        for key, raw in doc.items()
    }


def _load_models(path: Path) -> dict[str, Model]:
    models: dict[str, Model] = {}
    for entry, raw in _entries(read_toml(path), "models", path):
        rec: RawModel = validate_entry(RawModel, raw, path, "model", entry)
        where = f"{path.as_posix()}: model {rec.id!r},"
        if rec.id in models:
            raise DataError(f"{where} field 'id': duplicate id (already used by an earlier model)")
        values = {name: _resolve(getattr(rec, name), dim, name, where) for name, dim in MODEL_VALUE_FIELDS.items()}
        arch = None
        if rec.arch is not None:
            arch_fields = rec.arch.model_dump(exclude={"source", "status"})
            arch = Arch(**arch_fields)
        models[rec.id] = Model(
            id=rec.id,
            name=rec.name,
            family=rec.family,
            org=rec.org,
            released=rec.released,
            open_weights=rec.open_weights,
            train_hardware=rec.train_hardware,
            note=rec.note,
            arch=arch,
            arch_source=rec.arch.source if rec.arch else None,
            arch_status=rec.arch.status if rec.arch else None,
            **values,
        )
    return models


def _load_hardware(path: Path) -> dict[str, Hardware]:
    hardware: dict[str, Hardware] = {}
    for entry, raw in _entries(read_toml(path), "hardware", path):
        rec: RawHardware = validate_entry(RawHardware, raw, path, "hardware", entry)
        where = f"{path.as_posix()}: hardware {rec.id!r},"
        if rec.id in hardware:
            raise DataError(f"{where} field 'id': duplicate id (already used by an earlier entry)")
        peak = {p: _resolve(v, "flop_per_s", f"peak.{p}", where) for p, v in rec.peak.items()}
        hardware[rec.id] = Hardware(
            id=rec.id,
            name=rec.name,
            vendor=rec.vendor,
            released=rec.released,
            memory_bytes=_resolve(rec.memory, "bytes", "memory", where),
            bandwidth_bytes_per_s=_resolve(rec.bandwidth, "bytes_per_s", "bandwidth", where),
            peak_flop_per_s=MappingProxyType(peak),
            note=rec.note,
        )
    return hardware


def _values(model: Model) -> Iterator[tuple[str, Value]]:
    for name in MODEL_VALUE_FIELDS:
        v = getattr(model, name)
        if v is not None:
            yield name, v


def _cross_check(book: Book, root: Path) -> None:
    models_file = (root / "models.toml").as_posix()
    tolerance = book.constants.get("arch_tolerance")
    if tolerance is None:
        raise DataError(f"{(root / 'constants.toml').as_posix()}: constant 'arch_tolerance' is missing")

    def need_source(where: str, fld: str, key: str) -> None:
        if key not in book.sources:
            raise DataError(f"{where} field {fld!r}: unknown source {key!r} (add it to data/sources.toml)")

    for key, c in book.constants.items():
        need_source(f"{(root / 'constants.toml').as_posix()}: constant {key!r},", "source", c.source)
    for hw in book.hardware.values():
        where = f"{(root / 'hardware.toml').as_posix()}: hardware {hw.id!r},"
        need_source(where, "memory.source", hw.memory_bytes.source)
        need_source(where, "bandwidth.source", hw.bandwidth_bytes_per_s.source)
        for p, v in hw.peak_flop_per_s.items():
            need_source(where, f"peak.{p}.source", v.source)
    for m in book.models.values():
        where = f"{models_file}: model {m.id!r},"
        for name, v in _values(m):
            need_source(where, f"{name}.source", v.source)
        if m.arch_source:
            need_source(where, "arch.source", m.arch_source)
        if m.train_hardware and m.train_hardware not in book.hardware:
            raise DataError(f"{where} field 'train_hardware': unknown hardware id {m.train_hardware!r}")
        if m.active_params and m.active_params.known and m.params.known and m.active_params.value > m.params.value:
            raise DataError(
                f"{where} field 'active_params.value': {m.active_params.value:.4g} active exceeds "
                f"{m.params.value:.4g} total parameters"
            )
        if m.arch is not None:
            parts = formulas.param_breakdown(m.arch)
            checks = [("params", parts["total"], m.params)]
            if m.arch.experts:
                checks.append(("active_params", parts["active"], m.active_params))
            for name, computed, stated in checks:
                if stated is None or not stated.known:
                    continue
                err = formulas.relative_error(computed, stated.value)
                if err > tolerance.value:
                    raise DataError(
                        f"{where} field 'arch': computes {computed:,.0f} {name}, {err:.1%} off the stated "
                        f"{stated.value:,.0f} (tolerance {tolerance.value:.0%})"
                    )


def validate(root: Path) -> Book:
    """Read and check every file under ``root``; raise :class:`DataError` on the first problem."""
    book = Book(
        sources=MappingProxyType(_load_sources(root / "sources.toml")),
        constants=MappingProxyType(_load_constants(root / "constants.toml")),
        hardware=MappingProxyType(_load_hardware(root / "hardware.toml")),
        models=MappingProxyType(_load_models(root / "models.toml")),
        files=tuple(root / f for f in ("models.toml", "hardware.toml", "sources.toml", "constants.toml")),
    )
    _cross_check(book, root)
    return book
