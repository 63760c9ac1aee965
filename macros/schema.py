"""Validate the TOML files under ``data/`` into :mod:`macros.records`: load, resolve units, cross-check.

Every problem stops the build with a :class:`~macros.records.DataError` whose message is one
line that names the file, the entry and the field. Nothing here knows about Markdown or caching.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import formulas
from .errors import DataError
from .records import (
    DEFAULT_UNIT,
    MODEL_VALUE_FIELDS,
    PLAUSIBLE,
    UNITS,
    Arch,
    Book,
    Constant,
    Hardware,
    Model,
    Source,
    Value,
)
from .schema_raw import RawConstant, RawHardware, RawModel, RawSource, RawValue
from .schema_types import CODE_KINDS, KINDS, Key
from .toml_input import read_toml, validate_entry, validate_key

__all__ = ["RawConstant", "RawHardware", "RawModel", "RawSource", "RawValue", "validate"]

# Values that count whole things (after conversion to the base unit).
WHOLE = {"gpus": "a number of GPUs"}


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
        if not math.isfinite(value):
            raise DataError(f"{where} field {name + '.value'!r}: {raw.value:g} {unit} is not a finite number")
        if value <= 0:
            raise DataError(f"{where} field {name + '.value'!r}: must be positive, got {raw.value!r}")
        if name in WHOLE and abs(value - round(value)) > 1e-9 * value:
            raise DataError(f"{where} field {name + '.value'!r}: {WHOLE[name]} is a whole number, got {value:g}")
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
        validate_key(Key, key, path, "source")
        rec = validate_entry(RawSource, raw, path, "source", key)
        sources[key] = Source(key=key, **rec.model_dump())
    return sources


def _load_constants(path: Path) -> dict[str, Constant]:
    constants = {}
    for key, raw in read_toml(path).items():
        validate_key(Key, key, path, "constant")
        rec: RawConstant = validate_entry(RawConstant, raw, path, "constant", key)
        needed = CODE_KINDS.get(key)
        if needed and rec.kind != needed:
            raise DataError(
                f"{path.as_posix()}: constant {key!r}, field 'kind': the book computes with it as {needed!r} "
                f"({KINDS[needed].meaning}), got {rec.kind!r}"
            )
        constants[key] = Constant(key=key, **rec.model_dump(exclude={"kind"}))
    return constants


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
        # A datasheet states these, and every chart and chapter that reads one computes with it.
        for name, v in (
            ("memory", rec.memory),
            ("bandwidth", rec.bandwidth),
            *((f"peak.{p}", v) for p, v in rec.peak.items()),
        ):
            if v.value is None:
                raise DataError(
                    f"{where} field {name + '.value'!r}: an accelerator's figures are stated, not undisclosed"
                )
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
            _check_arch(m, where, tolerance.value)


def _check_arch(m: Model, where: str, tolerance: float) -> None:
    """The stated totals against the architecture's: every parameter, and those active per token."""
    parts = formulas.param_breakdown(m.arch)
    active = m.active_params
    if active is not None and active.known and not m.arch.experts:
        err = formulas.relative_error(m.params.value, active.value) if m.params.known else 0.0
        if err > tolerance:
            raise DataError(
                f"{where} field 'active_params.value': {active.value:,.0f}, but the architecture has no experts, so "
                f"all {m.params.value:,.0f} parameters are active; remove active_params (or add the experts)"
            )
    # A dense model's active parameters are all of them: its `active` count is the total.
    for name, computed, stated in (("params", parts["total"], m.params), ("active_params", parts["active"], active)):
        if stated is None or not stated.known:
            continue
        err = formulas.relative_error(computed, stated.value)
        if err > tolerance:
            raise DataError(
                f"{where} field 'arch': computes {computed:,.0f} {name}, {err:.1%} off the stated "
                f"{stated.value:,.0f} (tolerance {tolerance * 100:g}%)"
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
