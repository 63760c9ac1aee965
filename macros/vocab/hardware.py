"""``hw(id)`` and the verbs of hardware time and money: GPU-days, cost, utilisation, days at peak.

The records hold bytes, bytes/s and FLOP/s; a chapter shows (and the number ledger records) an
accelerator's figures in the units of its datasheet, GB, TB/s and TFLOP/s. This module converts at
that edge with the named units of :mod:`macros.units`, both ways: the verbs take a peak in TFLOP/s.
"""

from __future__ import annotations

from .. import formulas as f
from .. import safe, units
from ..errors import MacroError
from ..quantity import Q, inputs_of
from ..records import Hardware, Value
from .base import Vocabulary, hardware, known, stated, word


def in_unit(v: Value, unit: float) -> Value:
    """A stated value in SI base units, re-expressed in ``unit`` (units.GB, units.TB, units.TERA)."""
    return Value(None if v.value is None else v.value / unit, v.status, v.source, v.note)


class HardwareView:
    """``hw('h100-sxm')`` in a chapter; ``h`` is the record, ``display`` its raw name."""

    def __init__(self, h: Hardware) -> None:
        self.h, self.name, self.id, self.display = h, safe.text(h.name), h.id, h.name
        self.year = str(h.released)  # a year is part of a name here, text like a model's ``year``
        self.expr = f"hw({h.id!r})"

    def __str__(self) -> str:
        return self.name

    def __getattr__(self, name: str) -> object:
        raise MacroError(f"hardware {self.h.id!r} has no quantity {name!r}")

    @property
    def memory(self) -> Q:
        n = self.display
        memory = in_unit(self.h.memory_bytes, units.GB)
        return stated(memory, "gb", f"memory of {n}", f"memory ({n})", f"{self.expr}.memory")

    @property
    def bandwidth(self) -> Q:
        n = self.display
        return stated(
            in_unit(self.h.bandwidth_bytes_per_s, units.TB),
            "tb_per_s",
            f"memory bandwidth of {n}",
            f"bandwidth ({n})",
            f"{self.expr}.bandwidth",
        )

    def peak(self, precision: str) -> Q:
        v = self.h.peak_flop_per_s.get(precision)
        if v is None:
            raise MacroError(
                f"hardware {self.h.id!r} has no dense peak for {precision!r}; it has {', '.join(self.h.peak_flop_per_s)}"
            )
        v = in_unit(v, units.TERA)
        p, n = precision.upper(), self.display
        return stated(v, "tflops", f"dense {p} peak of {n}", f"peak {p} ({n})", f"{self.expr}.peak({precision!r})")


@word
def hw(v: Vocabulary, hardware_id: str) -> HardwareView:
    """``hw('h100-sxm')``: an accelerator's memory, bandwidth and peaks."""
    return HardwareView(hardware(v.book, hardware_id))


@word
def gpu_days(v: Vocabulary, gpu_hours: Q, gpus: Q) -> Q:
    """Wall-clock days for ``gpu_hours`` spread over ``gpus`` accelerators."""
    return Q(
        value=f.gpu_days(gpu_hours.value, gpus.value) if known(gpu_hours, gpus) else None,
        kind="days",
        label=f"days of training ({gpu_hours.label} on {gpus.label})",
        formula="GPU-hours ÷ GPUs ÷ 24",
        inputs=gpu_hours.inputs + gpus.inputs,
        method="gpu-time",
        expr=f"gpu_days({gpu_hours.expr}, {gpus.expr})",
    )


@word
def cost(v: Vocabulary, gpu_hours: Q, price: Q) -> Q:
    """GPU-hours × price per GPU-hour."""
    return Q(
        value=f.gpu_cost(gpu_hours.value, price.value) if gpu_hours.known else None,
        kind="usd",
        label=f"cost of {gpu_hours.label}",
        formula="GPU-hours × price per GPU-hour",
        inputs=gpu_hours.inputs + price.inputs,
        method="gpu-cost",
        expr=f"cost({gpu_hours.expr}, {price.expr})",
    )


@word
def mfu(v: Vocabulary, flops: Q, gpu_hours: Q, peak_tflops: Q) -> Q:
    """Model FLOPs utilisation of a run: C ÷ (GPU-hours × 3600 × peak)."""
    ok = known(flops, gpu_hours, peak_tflops)
    return Q(
        value=f.mfu(flops.value, gpu_hours.value, peak_tflops.value * units.TERA) if ok else None,
        kind="percent",
        label=f"model FLOPs utilisation ({flops.label})",
        formula="C ÷ (GPU-hours × 3600 × peak)",
        inputs=flops.inputs + gpu_hours.inputs + peak_tflops.inputs,
        method="mfu",
        expr=f"mfu({flops.expr}, {gpu_hours.expr}, {peak_tflops.expr})",
    )


@word
def days_at(v: Vocabulary, flops: Q, gpus: Q, peak: Q, utilisation: Q | None = None) -> Q:
    """Wall-clock days to deliver ``flops`` on ``gpus`` accelerators at ``peak`` (TFLOP/s) × utilisation."""
    u = 1.0 if utilisation is None else utilisation.value
    ok = known(flops, gpus, peak) and u is not None
    hours = f.gpu_hours_for(flops.value, peak.value * units.TERA, u) if ok else None
    extra = (utilisation,) if utilisation is not None else ()
    label = "days at full peak" if utilisation is None else "days at the stated utilisation"
    return Q(
        value=f.gpu_days(hours, gpus.value) if ok else None,
        kind="days",
        label=f"{label} ({flops.label} on {gpus.label})",
        formula="C ÷ (GPUs × peak × utilisation) ÷ 86,400 s",
        inputs=inputs_of(flops, gpus, peak, *extra),
        method="time-at-peak",
        expr=f"days_at({flops.expr}, {gpus.expr}, {peak.expr}"
        + (f", {utilisation.expr})" if utilisation is not None else ")"),
    )


@word
def implied_utilisation(v: Vocabulary, flops: Q, gpus: Q, days: Q, peak: Q) -> Q:
    """Share of peak a run must have sustained to deliver ``flops`` on ``gpus`` in ``days``."""
    ok = known(flops, gpus, days, peak)
    hours = f.gpu_hours_in(gpus.value, days.value) if ok else None
    return Q(
        value=f.mfu(flops.value, hours, peak.value * units.TERA) if ok else None,
        kind="percent",
        label=f"utilisation implied by {flops.label} in {days.label} on {gpus.label}",
        formula="C ÷ (GPUs × days × 86,400 s × peak)",
        inputs=inputs_of(flops, gpus, days, peak),
        method="mfu",
        expr=f"implied_utilisation({flops.expr}, {gpus.expr}, {days.expr}, {peak.expr})",
    )
