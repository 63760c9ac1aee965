"""``calculator(kind)``: the reader's calculators, blocks a chapter places with ``{{ calculator('training') }}``.

Each block is a hidden ``<div>`` whose ``data-calc-spec`` holds every input's value (SI base units),
its status and what it is, read from the vocabulary's quantities (the ones the chapter's sentences
use, derived by :mod:`macros.derive`, so a data edit moves the calculator with the prose) without
rendering them: they are not in ``numbers.json``. ``docs/assets/calculators.js`` shows the block,
computes with ``window.book.formulas`` (the book's formulas compiled to JavaScript) and writes
numbers with ``window.book.format``; without JavaScript the block stays hidden.
"""

from __future__ import annotations

import html
import json
import math
import posixpath
from collections.abc import Callable
from typing import Any

from .. import format as fmt
from .. import formulas as f
from .. import units
from ..errors import MacroError
from ..ledger import LEDGER
from ..quantity import Q
from ..records import STATUS_RANK
from .base import Vocabulary, const, ratio, word
from .hardware import hw
from .models import view
from .scaling import fit_inputs
from .serving import kv_per_token, serving

SCRIPTS = ("book-format.js", "book-formulas.js", "calculators.js")
# The memory calculator starts from a single sequence: a choice of the calculator, not a figure of the book.
ONE_SEQUENCE = Q(value=1.0, kind="integer", label="one sequence (the calculator's starting point)")


def _in(key: str, label: str, q: Q, unit: str, scale: float = 1.0, factor: float = 1.0) -> dict[str, Any]:
    """One input: value in base units (``q.value * factor``, ``factor`` the unit ``q`` is written in),
    shown in ``unit`` (value / ``scale``)."""
    if q.value is None:
        raise MacroError(f"calculator: {q.label} is undisclosed; prefill from a model that discloses it")
    return {
        "key": key,
        "label": label,
        "value": q.value * factor,
        "status": q.status,
        "from": q.label,
        "unit": unit,
        "scale": scale,
    }


def _accelerators(v: Vocabulary, precision: str) -> list[dict[str, Any]]:
    """Every accelerator of the data with a dense peak at ``precision``: what the reader can pick."""
    out = []
    for hardware_id in sorted(v.book.hardware):
        h = hw(v, hardware_id)
        if precision in h.h.peak_flop_per_s:
            peak = h.peak(precision)  # in TFLOP/s, as the chapters write it; the formulas take FLOP/s
            out.append({"id": hardware_id, "name": h.display, "value": peak.value * units.TERA, "status": peak.status,
                        "from": peak.label})  # fmt: skip
    return out


def training(
    v: Vocabulary,
    model: str = "llama-3.1-405b",
    hardware: str = "h100-sxm",
    utilization: str = "llama3_405b_mfu_low",
    price: str = "h100_price_per_gpu_hour",
) -> dict[str, Any]:
    """Prefilled with ``model`` on ``hardware``, the utilisation and the price named (constants of the data)."""
    m, h = view(v, model), hw(v, hardware)
    return {
        "title": f"Training cost, prefilled with {m.display} on {h.display}",
        "accelerators": _accelerators(v, "bf16"),
        "accelerator": hardware,
        "inputs": [
            _in("params", "Active parameters N", m.active_params, "billion", units.BILLION),
            _in("tokens", "Training tokens D", m.tokens, "trillion", units.TERA),
            # the chapters write a peak in TFLOP/s (hw().peak); the formulas take FLOP/s
            _in("peak", "Peak per GPU (BF16)", h.peak("bf16"), "TFLOP/s", units.TERA, units.TERA),
            _in("utilization", "Utilisation of peak (MFU)", const(v, utilization), "%", units.PERCENT),
            _in("gpus", "GPUs in the cluster", m.gpus, "GPUs"),
            _in("price", "Price per GPU-hour", const(v, price), "$"),
        ],
    }


def memory(v: Vocabulary, model: str = "llama-3-70b", hardware: str = "h100-sxm") -> dict[str, Any]:
    m, h = view(v, model), hw(v, hardware)
    return {
        "title": f"Memory to serve, prefilled with {m.display} on {h.display}",
        "precisions": list(f.BYTES_PER_PARAM),
        "precision": "bf16",
        "inputs": [
            _in("params", "Parameters N", m.params, "billion", units.BILLION),
            _in("kv_token", f"KV cache per token (BF16, {m.display}'s layout)", kv_per_token(v, model), "KB", units.KB),
            _in("context", "Context (tokens per sequence)", const(v, "decode_context_tokens"), "tokens"),
            _in("batch", "Sequences served at once", ONE_SEQUENCE, "sequences"),
            _in("device", f"Memory per accelerator ({h.display})", h.memory, "GB", units.GB, units.GB),
        ],
    }


def serving_calc(v: Vocabulary, model: str = "llama-3.1-405b", hardware: str = "h200-sxm") -> dict[str, Any]:
    m = view(v, model)
    sv = serving(v, hardware, "fp8", model, "h200_price_per_gpu_hour", "bf16")
    best = sv.cheapest(m.params, m.active_params)  # the configuration the chapter's sweep finds cheapest
    if not best.known:
        raise MacroError(f"calculator: {m.display} fits no configuration of the serving sweep: {best}")
    return {
        "title": f"Serving speed and price, prefilled with {m.display} on {sv.hw.display} (FP8)",
        "bytes_per_param": f.BYTES_PER_PARAM["fp8"],
        "inputs": [
            _in("total", "Total parameters", m.params, "billion", units.BILLION),
            _in("share", "Active share of the parameters", ratio(v, m.active_params, m.params), "%", units.PERCENT),
            _in("batch", "Batch (sequences decoded together)", best.batch, "sequences"),
            _in("gpus", "GPUs per model copy", best.gpus, "GPUs"),
            _in("kv_sequence", "KV cache per sequence", sv.kv_sequence, "GB", units.GB),
            _in("memory", "Memory per GPU", sv.memory, "GB", units.GB, units.GB),
            _in("bandwidth", "Memory bandwidth per GPU", sv.bandwidth, "TB/s", units.TB, units.TB),
            _in("peak", "Peak per GPU (FP8)", sv.peak, "TFLOP/s", units.TERA, units.TERA),
            _in("utilization", "Utilisation of both peaks", sv.utilisation, "%", units.PERCENT),
            _in("price", "Price per GPU-hour", sv.price, "$"),
        ],
    }


def chinchilla(v: Vocabulary, model: str = "chinchilla") -> dict[str, Any]:
    m = view(v, model)
    fits, statuses = {}, []
    for fit in ("hoffmann", "besiroglu"):
        lf, qs, _ = fit_inputs(v, fit)  # the fit the chapter's optimal() uses, and its constants
        fits[fit] = {"e": lf.e, "a": lf.a, "b": lf.b, "alpha": lf.alpha, "beta": lf.beta}
        statuses += [q.status for q in qs]
    budget = m.train_flops
    if budget.value is None or budget.value <= 0:
        raise MacroError(f"calculator: {budget.label} is undisclosed; prefill from a model that discloses it")
    power = math.floor(math.log10(budget.value))  # the input is written as a multiple of 10^power FLOP
    unit = f"× 10{fmt.superscript(power)} FLOP"
    return {
        "title": f"Compute-optimal size and tokens, prefilled with {m.display}'s budget",
        "fits": fits,
        "fit_status": max(statuses, key=STATUS_RANK.__getitem__),
        "inputs": [
            _in("budget", "Training budget C", budget, unit, float(f"1e{power}"))
        ],  # 10^power, correctly rounded
    }


CALCULATORS: dict[str, Callable[..., dict[str, Any]]] = {
    "training": training,
    "memory": memory,
    "serving": serving_calc,
    "chinchilla": chinchilla,
}


def block(v: Vocabulary, page_url: str, kind: str, **prefill: str) -> str:
    """The calculator's HTML: a hidden block with its inputs as data, and the scripts it needs."""
    if kind not in CALCULATORS:
        raise MacroError(f"unknown calculator {kind!r}; use one of {', '.join(CALCULATORS)}")
    spec = CALCULATORS[kind](v, **prefill)
    up = posixpath.relpath("assets", page_url.rstrip("/") or ".")  # raw HTML: relative to the page's URL
    data = html.escape(json.dumps(spec, ensure_ascii=False, sort_keys=True), quote=True)
    scripts = "".join(f'<script src="{up}/{name}" defer></script>' for name in SCRIPTS)
    return (
        f'<div class="book-calc" data-calc="{kind}" data-calc-spec="{data}" hidden>'
        "<p><strong>Try your own numbers.</strong> Prefilled from the book's data; change any input. "
        "The numbers you compute here are yours: they are not in numbers.json or the citation lock.</p>"
        f"</div>{scripts}"
    )


@word
def calculator(v: Vocabulary, kind: str, **prefill: str) -> str:
    """``calculator('training', model='llama-3.1-405b', hardware='h100-sxm')``: a calculator for the
    reader, prefilled from the data (training, memory, serving or chinchilla). The training one also
    takes ``utilization=`` and ``price=``, the keys of the constants it starts from."""
    return block(v, LEDGER.page_url, kind, **prefill)
