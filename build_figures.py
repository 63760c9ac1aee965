#!/usr/bin/env python3
"""Render the book's charts from data/ through the same formulas the chapters use.

Run it alone (``python build_figures.py``) or let the MkDocs hook call
:func:`render_changed` before each build. Each figure is planned first, without
matplotlib: its plotted points are computed and hashed together with this script's
source. A figure whose hash is unchanged is not redrawn, and when nothing changed
matplotlib is never imported. Changed figures render in parallel, one process per core.

Outputs go to ``.cache/figures/`` (git-ignored), never into ``docs/``: for each figure a
light and a dark SVG, a CSV of exactly the plotted points, and ``index.json`` with the
title and generated alt text that the ``figure()`` macro embeds.

No number in this file is a fact about a model or a device: every plotted value comes
from the loaded :class:`~macros.data.Book` through :mod:`macros.formulas`. The numbers
that do appear are unit definitions (bytes in a GB), drawing geometry and colours.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib.util
import io
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import format as fmt  # noqa: E402
from macros import formulas as f  # noqa: E402
from macros.data import STATUS_RANK, Book, DataError, Model, load  # noqa: E402

OUT = ROOT / ".cache" / "figures"
THEMES = ("light", "dark")
# Disclosed values are solid circles; estimates hollow squares; rumours hollow triangles.
STATUS_STYLE = {
    "disclosed": ("o", True),
    "estimated": ("s", False),
    "rumored": ("^", False),
}
GB, TB, TERA, MILLION = 1e9, 1e12, 1e12, 1e6  # unit definitions
PRECISION_NAMES = {"fp32": "FP32", "bf16": "BF16", "fp8": "FP8", "int4": "INT4"}
# Choices of what to show (names, not numbers): the GPUs drawn on the memory chart, the models
# whose training budgets the iso-FLOP chart uses, and the serving set-up of the economics chapter
# (the same defaults as `serving()` in macros/vocab_economics.py).
MEMORY_GPUS = ("rtx-4090", "h100-sxm", "h200-sxm", "b200")
# GPT-3, Chinchilla and Llama 3 8B spent about the same compute in three different ways.
ISOFLOP_MODELS = ("gpt-3", "chinchilla", "llama-3-8b", "llama-3.1-405b")
SERVING = {
    "model": "gpt-4",
    "hardware": "h200-sxm",
    "precision": "fp8",
    "kv_model": "llama-3.1-405b",
    "kv_precision": "bf16",
    "price": "h200_price_per_gpu_hour",
}
# Observed API price and speed (constants) next to the modelled frontier: model id -> keys.
API_POINTS = {
    "gpt-4o": ("gpt4o_price_out", ("gpt4o_speed_low", "gpt4o_speed_high")),
    "gpt-4-turbo": ("gpt4_turbo_price_out", ("gpt4_turbo_speed",)),
    "claude-3.5-sonnet": ("claude35_sonnet_price_out", ("claude35_sonnet_speed",)),
}
CURVE_POINTS = 48  # samples along each analytic curve (drawing resolution)


@dataclass(frozen=True)
class Figure:
    """Everything needed to draw one chart, computed without matplotlib."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]  # exactly the plotted points, one per CSV row
    alt: str
    draw: str  # name of the drawing function in this module
    extra: dict = field(default_factory=dict)  # labels and settings the drawing needs (not points)

    def csv_text(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(self.columns)
        w.writerows(self.rows)
        return out.getvalue()

    def digest(self) -> str:
        h = hashlib.sha256()
        h.update(_script_fingerprint().encode())
        h.update(
            json.dumps(
                [self.name, self.title, self.columns, self.rows, self.alt, self.extra],
                default=str,
            ).encode()
        )
        return h.hexdigest()

    def spec(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            **self.extra,
        }


@cache
def _script_fingerprint() -> str:
    """This script's source and the matplotlib version: a change in either redraws everything.

    The version is read from the name of matplotlib's installed metadata folder, found next to
    the package without importing it (``importlib.metadata`` parses a file: ~10 ms per build).
    """
    spec = importlib.util.find_spec("matplotlib")
    version = "none"
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        version = ",".join(sorted(p.name for p in site.glob("matplotlib-*.dist-info"))) or "unknown"
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest() + version


# --- small helpers used by the planners --------------------------------------------------------------
def _least_certain(*statuses: str) -> str:
    return max(statuses, key=lambda s: STATUS_RANK[s])


def _const(book: Book, key: str) -> float:
    try:
        return book.constants[key].value
    except KeyError:
        raise DataError(f"data/constants.toml: constant {key!r} is missing (build_figures.py needs it)") from None


def _int_const(book: Book, key: str) -> int:
    value = _const(book, key)
    if value < 1 or value != int(value):
        raise DataError(f"data/constants.toml: constant {key!r}, field 'value': must be a whole number >= 1")
    return int(value)


def _fit(book: Book, prefix: str = "chinchilla") -> f.LossFit:
    return f.LossFit(*(_const(book, f"{prefix}_{k}") for k in ("e", "a", "b", "alpha", "beta")))


def _known(v) -> bool:
    return v is not None and v.value is not None


def _active(m: Model):
    return m.active_params if _known(m.active_params) else m.params


def _by_date(book: Book) -> list[Model]:
    return sorted(book.models.values(), key=lambda m: (m.released, m.id))


def _logspace(lo: float, hi: float, n: int = CURVE_POINTS) -> list[float]:
    a, b = math.log10(lo), math.log10(hi)
    return [10 ** (a + (b - a) * i / (n - 1)) for i in range(n)]


def _orders(ratio: float) -> str:
    n = round(math.log10(ratio))
    words = {
        1: "one",
        2: "two",
        3: "three",
        4: "four",
        5: "five",
        6: "six",
        7: "seven",
        8: "eight",
        9: "nine",
    }
    return f"{words.get(n, str(n))} order{'s' if n != 1 else ''} of magnitude"


def _names(items: Iterable[str]) -> str:
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _flag(status: str) -> str:
    return "" if status == "disclosed" else f" ({status})"


def _round(x: float, digits: int = 2) -> str:
    """``x`` to ``digits`` significant digits also above the decimal point: 22,222 -> '22,000'."""
    if x == 0:
        return "0"
    return fmt.sig(round(x, digits - 1 - math.floor(math.log10(abs(x)))), digits)


def _times(x: float) -> str:
    """A multiplier to two significant digits: 15,385 -> '15,000×', 7.14 -> '7.1×'."""
    return f"{_round(x)}×"


def _share(x: float) -> str:
    return fmt.percent(x).replace(" %", "%")


# --- 1. parameters over release date ------------------------------------------------------------------
def plan_params_over_time(book: Book) -> Figure | None:
    rows = []
    for m in _by_date(book):
        if not _known(m.params):
            continue
        active = m.active_params.value if _known(m.active_params) else ""
        a_status = m.active_params.status if _known(m.active_params) else ""
        rows.append(
            (
                m.id,
                m.name,
                m.released.isoformat(),
                m.params.value,
                m.params.status,
                active,
                a_status,
            )
        )
    if not rows:
        return None
    first = rows[0]
    largest = max(rows, key=lambda r: r[3])
    later = [r for r in rows if r[2] > largest[2]]
    growth = _times(largest[3] / first[3])
    title = f"Parameter counts grew {growth} from {first[1]} to {largest[1]}{_flag(largest[4])}"
    if later and all(r[3] < largest[3] for r in later):
        title += "; no model released since is larger"
    smallest = min(rows, key=lambda r: r[3])
    flagged = [r[1] for r in rows if r[4] != "disclosed"]
    moe = [r[1] for r in rows if r[5] != ""]
    alt = (
        f"Scatter chart of parameter count (logarithmic vertical axis, from {fmt.count(smallest[3])} to "
        f"{fmt.count(largest[3])}) against release date (from {first[2][:4]} to {rows[-1][2][:4]}) for "
        f"{len(rows)} models. The largest is {largest[1]} at {fmt.count(largest[3])} ({largest[4]}); the "
        f"smallest is {smallest[1]} at {fmt.count(smallest[3])}. Hollow markers are estimated or rumored "
        f"values: {_names(flagged)}. For the mixture-of-experts models ({_names(moe)}) a vertical bar "
        "runs down from the total to the active parameters."
    )
    return Figure(
        name="params-over-time",
        title=title,
        columns=(
            "id",
            "name",
            "released",
            "params",
            "params_status",
            "active_params",
            "active_status",
        ),
        rows=tuple(rows),
        alt=alt,
        draw="draw_params_over_time",
    )


# --- 2. training compute over release date ----------------------------------------------------------
def plan_compute_over_time(book: Book) -> Figure | None:
    rows = []
    for m in _by_date(book):
        n = _active(m)
        if _known(n) and _known(m.tokens):
            status = _least_certain(n.status, m.tokens.status)
            rows.append(
                (
                    m.id,
                    m.name,
                    m.released.isoformat(),
                    "6ND",
                    f.train_flops(n.value, m.tokens.value),
                    status,
                )
            )
        if _known(m.reported_train_flops):
            r = m.reported_train_flops
            rows.append((m.id, m.name, m.released.isoformat(), "reported", r.value, r.status))
    if not rows:
        return None
    lo = min(rows, key=lambda r: r[4])
    hi = max(rows, key=lambda r: r[4])
    years = int(hi[2][:4]) - int(lo[2][:4])
    title = (
        f"Training compute grew by about {_orders(hi[4] / lo[4])} in {years} years, "
        f"from {lo[1]} to {hi[1]}{_flag(hi[5])}"
    )
    both = sorted({r[0] for r in rows if r[3] == "reported"} & {r[0] for r in rows if r[3] == "6ND"})
    alt = (
        "Scatter chart of training compute in FLOP (logarithmic vertical axis) against release date for "
        f"{len({r[0] for r in rows})} models, from {fmt.scientific(lo[4])} FLOP ({lo[1]}, {lo[2][:4]}) to "
        f"{fmt.scientific(hi[4])} FLOP ({hi[1]}, {hi[2][:4]}, {hi[5]}). Circles are 6·N·D computed from "
        "parameters and tokens; diamonds are the compute a paper or estimate states, shown where one exists"
        f" ({sum(r[3] == 'reported' for r in rows)} models); a thin line joins the two where both exist "
        f"({_names(book.models[i].name for i in both)}). Hollow markers are estimated or rumored."
    )
    return Figure(
        name="compute-over-time",
        title=title,
        columns=("id", "name", "released", "kind", "flops", "status"),
        rows=tuple(rows),
        alt=alt,
        draw="draw_compute_over_time",
    )


# --- 3. tokens against parameters -------------------------------------------------------------------
def _data_models(book: Book) -> list[tuple[Model, float, float, str]]:
    """Models with known (active) parameters and tokens: (model, N, D, least certain status)."""
    out = []
    for m in _by_date(book):
        n = _active(m)
        if _known(n) and _known(m.tokens):
            out.append((m, n.value, m.tokens.value, _least_certain(n.status, m.tokens.status)))
    return out


def plan_tokens_vs_params(book: Book) -> Figure | None:
    ratio = _const(book, "chinchilla_tokens_per_param")
    guides = (
        1.0,
        _const(book, "overtrain_guide_low"),
        _const(book, "overtrain_guide_high"),
    )
    data = _data_models(book)
    if not data:
        return None
    rows = []
    for m, n, d, status in data:
        rows.append(("model", m.id, m.name, n, d, status, f.overtrain_factor(d, n, ratio)))
    lo = min(n for _, n, _, _ in data) / 2
    hi = max(n for _, n, _, _ in data) * 2
    for factor in guides:
        for n in (lo, hi):
            d = factor * f.chinchilla_tokens(n, ratio)
            rows.append(("guide", f"overtrain-{fmt.sig(factor)}x", "", n, d, "", factor))
    models = [r for r in rows if r[0] == "model"]
    above = [r for r in models if r[6] > 1]
    top = max(models, key=lambda r: r[6])
    title = (
        f"{len(above)} of {len(models)} models were trained past Chinchilla's {fmt.sig(ratio)} tokens per "
        f"parameter; {top[2]} by {_times(top[6])}"
    )
    under = [r[2] for r in models if r[6] < 1]
    alt = (
        "Log-log scatter chart of training tokens (vertical) against parameters (horizontal, active parameters "
        f"for mixture-of-experts models) for {len(models)} models, parameters from {fmt.count(min(r[3] for r in models))} "
        f"to {fmt.count(max(r[3] for r in models))}, tokens from {fmt.count(min(r[4] for r in models))} to "
        f"{fmt.count(max(r[4] for r in models))}. Diagonal lines mark the Chinchilla ratio of {fmt.sig(ratio)} tokens "
        f"per parameter and {fmt.ratio(guides[1])} and {fmt.ratio(guides[2])} that ratio. Below the Chinchilla line "
        f"(undertrained): {_names(under)}. Most overtrained: {top[2]} at {_times(top[6])}."
    )
    return Figure(
        name="tokens-vs-params",
        title=title,
        columns=(
            "kind",
            "id",
            "name",
            "params",
            "tokens",
            "status",
            "overtrain_factor",
        ),
        rows=tuple(rows),
        alt=alt,
        draw="draw_tokens_vs_params",
        extra={"ratio": ratio},
    )


# --- 4. tokens per parameter by model ---------------------------------------------------------------
def plan_tokens_per_param(book: Book) -> Figure | None:
    ratio = _const(book, "chinchilla_tokens_per_param")
    data = _data_models(book)
    if not data:
        return None
    rows = sorted(
        ((m.id, m.name, f.tokens_per_param(d, n), f.overtrain_factor(d, n, ratio), s) for m, n, d, s in data),
        key=lambda r: (r[2], r[0]),
    )
    lo, hi = rows[0], rows[-1]
    title = (
        f"Tokens per parameter range from {_round(lo[2])} ({lo[1]}) to {_round(hi[2])} ({hi[1]}), "
        f"against Chinchilla's {fmt.sig(ratio)}"
    )
    alt = (
        f"Dot chart of training tokens per parameter for {len(rows)} models on a logarithmic axis, sorted from "
        f"{lo[1]} ({fmt.sig(lo[2], 2)}) to {hi[1]} ({fmt.sig(hi[2])}). A vertical line marks the Chinchilla "
        f"ratio of {fmt.sig(ratio)}; {sum(r[3] > 1 for r in rows)} models lie to its right and "
        f"{sum(r[3] < 1 for r in rows)} to its left. Hollow markers are estimated or rumored."
    )
    return Figure(
        name="tokens-per-param",
        title=title,
        columns=("id", "name", "tokens_per_param", "overtrain_factor", "status"),
        rows=tuple(rows),
        alt=alt,
        draw="draw_tokens_per_param",
        extra={"ratio": ratio},
    )


# --- 5. weight memory by precision --------------------------------------------------------------------
def plan_weight_memory(book: Book) -> Figure | None:
    models = sorted(
        (m for m in book.models.values() if _known(m.params)),
        key=lambda m: (m.params.value, m.id),
    )
    if not models:
        return None
    rows = []
    for m in models:
        for p in f.BYTES_PER_PARAM:
            rows.append(
                (
                    "model",
                    m.id,
                    m.name,
                    p,
                    f.weight_bytes(m.params.value, p) / GB,
                    m.params.status,
                )
            )
    gpus = [book.hardware[h] for h in MEMORY_GPUS if h in book.hardware]
    for g in gpus:
        rows.append(("gpu", g.id, g.name, "", g.memory.value, g.memory.status))
    precisions = list(f.BYTES_PER_PARAM)
    low, high = precisions[-1], precisions[0]

    def fits(p: str, gpu) -> list[str]:
        return [
            m.name for m in models if f.devices_needed(f.weight_bytes(m.params.value, p), gpu.memory.value * GB) == 1
        ]

    title = "Weight memory at four precisions against the memory of one GPU"
    if gpus:
        small, big = (
            min(gpus, key=lambda g: g.memory.value),
            max(gpus, key=lambda g: g.memory.value),
        )
        k_small, k_big = len(fits(low, small)), len(fits(high, big))
        title = (
            f"{k_small} of {len(models)} models fit one {small.name} even at {PRECISION_NAMES[low]}; "
            f"{len(models) - k_big} exceed one {big.name} at {PRECISION_NAMES[high]}"
        )
    mem = [r for r in rows if r[0] == "model"]
    lo, hi = min(mem, key=lambda r: r[4]), max(mem, key=lambda r: r[4])
    alt = (
        f"Chart of the memory needed to hold the weights of {len(models)} models at "
        f"{_names(PRECISION_NAMES[p] for p in precisions)} (logarithmic horizontal axis, gigabytes), from "
        f"{fmt.sig(lo[4])} GB ({lo[2]} at {PRECISION_NAMES[lo[3]]}) to {fmt.sig(hi[4])} GB ({hi[2]} at "
        f"{PRECISION_NAMES[hi[3]]}). Vertical lines mark the memory of one "
        f"{_names(f'{g.name} ({fmt.sig(g.memory.value)} GB)' for g in gpus)}. Hollow markers are models whose "
        "parameter count is estimated or rumored."
    )
    return Figure(
        name="weight-memory",
        title=title,
        columns=("kind", "id", "name", "precision", "gigabytes", "status"),
        rows=tuple(rows),
        alt=alt,
        draw="draw_weight_memory",
        extra={"precisions": precisions},
    )


# --- 6. where the parameters live ---------------------------------------------------------------------
BREAKDOWN = (
    "embedding",
    "attention",
    "ffn",
    "head",
    "other",
)  # "other": learned positions and norms


def breakdown_shares(arch: f.Arch) -> dict[str, float]:
    parts = f.param_breakdown(arch)
    total = parts["total"]
    other = parts["position"] + parts["norms"]
    raw = {
        "embedding": parts["embedding"],
        "attention": parts["attention"],
        "ffn": parts["ffn"],
    }
    raw |= {"head": parts["head"], "other": other}
    return {k: v / total for k, v in raw.items()} | {"total": total}


def plan_param_breakdown(book: Book) -> Figure | None:
    dense = [m for m in book.models.values() if m.arch is not None and not m.arch.experts and not m.is_moe]
    if not dense:
        return None
    rows = []
    for m in sorted(dense, key=lambda m: (f.param_breakdown(m.arch)["total"], m.id)):
        s = breakdown_shares(m.arch)
        rows.append(
            (
                m.id,
                m.name,
                s["total"],
                *(s[c] for c in BREAKDOWN),
                m.arch_status or "disclosed",
            )
        )
    small, big = rows[0], rows[-1]
    emb = BREAKDOWN.index("embedding") + 3
    ffn = BREAKDOWN.index("ffn") + 3
    top_emb = max(rows, key=lambda r: r[emb])
    title = (
        f"Embeddings hold {_share(top_emb[emb])} of {top_emb[1]} but {_share(big[emb])} of {big[1]}, "
        f"where the feed-forward layers hold {_share(big[ffn])}"
    )
    most_ffn = max(rows, key=lambda r: r[ffn])
    alt = (
        f"Stacked horizontal bars, one per dense model ({len(rows)} models, sorted by size from {small[1]} at "
        f"{fmt.count(small[2])} to {big[1]} at {fmt.count(big[2])} parameters), showing the share of the parameters "
        "in the token embedding, attention, feed-forward layers, output head and other parts (norms and learned "
        f"positions), computed from each published architecture. The embedding share ranges from {_share(top_emb[emb])} "
        f"({top_emb[1]}) down to {_share(big[emb])} ({big[1]}); the feed-forward share peaks at {_share(most_ffn[ffn])} "
        f"in {most_ffn[1]}."
    )
    return Figure(
        name="param-breakdown",
        title=title,
        columns=(
            "id",
            "name",
            "total_params",
            *(f"{c}_share" for c in BREAKDOWN),
            "arch_status",
        ),
        rows=tuple(rows),
        alt=alt,
        draw="draw_param_breakdown",
    )


# --- 7. mixture of experts: total against active ------------------------------------------------------
def plan_moe(book: Book) -> Figure | None:
    rows = []
    for m in _by_date(book):
        if _known(m.active_params) and _known(m.params):
            s = f.sparsity(m.params.value, m.active_params.value)
            rows.append(
                (
                    m.id,
                    m.name,
                    m.params.value,
                    m.params.status,
                    m.active_params.value,
                    m.active_params.status,
                    s,
                )
            )
    if not rows:
        return None
    rows.sort(key=lambda r: (r[6], r[0]))
    lo, hi = rows[0], rows[-1]
    title = (
        f"A mixture of experts runs a small part of its weights per token: from one in {fmt.sig(lo[6], 2)} "
        f"({lo[1]}{_flag(lo[5])}) to one in {fmt.sig(hi[6], 2)} ({hi[1]}{_flag(hi[5])})"
    )
    alt = (
        f"Horizontal bars for {len(rows)} mixture-of-experts models on a logarithmic parameter axis: a long pale bar "
        "for the total parameters and a short solid bar for the parameters active per token, with the ratio written "
        f"beside each. "
        + " ".join(
            f"{r[1]}: {fmt.count(r[2])} total, {fmt.count(r[4])} active ({fmt.sig(r[6], 2)} to one){_flag(r[5])}."
            for r in rows
        )
        + " Hatched bars are rumored or estimated figures."
    )
    return Figure(
        name="moe-total-active",
        title=title,
        columns=(
            "id",
            "name",
            "total_params",
            "total_status",
            "active_params",
            "active_status",
            "sparsity",
        ),
        rows=tuple(rows),
        alt=alt,
        draw="draw_moe",
    )


# --- 8a. Kaplan and Chinchilla loss curves ---------------------------------------------------------
def plan_loss_curves(book: Book) -> Figure | None:
    fit = _fit(book)
    ratio = _const(book, "chinchilla_tokens_per_param")
    n_c, alpha_n = _const(book, "kaplan_n_c"), _const(book, "kaplan_alpha_n")
    sizes = [m.params.value for m in book.models.values() if _known(m.params)]
    if not sizes:
        return None
    grid = _logspace(min(sizes), max(sizes))
    rows = []
    for n in grid:
        rows.append(("kaplan", n, "", f.kaplan_loss(n, n_c, alpha_n)))
    for n in grid:
        rows.append(("chinchilla-infinite-data", n, "", f.loss_floor(n, fit)))
    for n in grid:
        d = f.chinchilla_tokens(n, ratio)
        rows.append(("chinchilla-20-tokens-per-param", n, d, f.chinchilla_loss(n, d, fit)))
    k = [r for r in rows if r[0] == "kaplan"]
    c = [r for r in rows if r[0] == "chinchilla-20-tokens-per-param"]
    title = (
        f"Kaplan's loss keeps falling with size; Chinchilla's fit levels off towards its floor "
        f"E = {fmt.sig(fit.e)} nats"
    )
    alt = (
        f"Line chart of predicted loss in nats per token against parameters (logarithmic axis, {fmt.count(grid[0])} "
        f"to {fmt.count(grid[-1])}). Kaplan's L(N) (infinite data) falls from {fmt.sig(k[0][3])} to "
        f"{fmt.sig(k[-1][3])}; Chinchilla's fit at {fmt.sig(ratio)} tokens per parameter falls from "
        f"{fmt.sig(c[0][3])} to {fmt.sig(c[-1][3])}, and with infinite data approaches its irreducible loss "
        f"{fmt.sig(fit.e)}. The two fits use different data and tokenizers (and Kaplan counts non-embedding "
        "parameters), so their levels are not directly comparable; their shapes are."
    )
    return Figure(
        name="loss-curves",
        title=title,
        columns=("curve", "params", "tokens", "loss"),
        rows=tuple(rows),
        alt=alt,
        draw="draw_loss_curves",
        extra={"ratio": ratio, "e": fit.e},
    )


# --- 8b. Chinchilla iso-FLOP curves and the compute-optimal frontier -----------------------------
def plan_isoflop(book: Book) -> Figure | None:
    fit = _fit(book)
    budgets = []
    for mid in ISOFLOP_MODELS:
        m = book.models.get(mid)
        if m and _known(m.params) and _known(m.tokens):
            n = _active(m).value
            budgets.append((m, n, m.tokens.value, f.train_flops(n, m.tokens.value)))
    status = {m.id: _least_certain(_active(m).status, m.tokens.status) for m, *_ in budgets}
    if not budgets:
        return None
    budgets.sort(key=lambda b: (b[3], b[0].id))
    sizes = [n for _, n, _, _ in budgets] + [f.compute_optimal(c, fit)[0] for *_, c in budgets]
    grid = _logspace(min(sizes) / 10, max(sizes) * 10)
    rows = []
    for m, n_model, d_model, c in budgets:
        for n in grid:
            d = c / (f.TRAIN_FLOP_PER_PARAM_TOKEN * n)
            rows.append(("isoflop", m.id, c, n, d, f.chinchilla_loss(n, d, fit), ""))
        n_opt, d_opt = f.compute_optimal(c, fit)
        rows.append(("optimum", m.id, c, n_opt, d_opt, f.chinchilla_loss(n_opt, d_opt, fit), ""))
        rows.append(
            (
                "model",
                m.id,
                c,
                n_model,
                d_model,
                f.chinchilla_loss(n_model, d_model, fit),
                status[m.id],
            )
        )
    for c in _logspace(budgets[0][3] / 10, budgets[-1][3] * 10, CURVE_POINTS // 2):
        n_opt, d_opt = f.compute_optimal(c, fit)
        rows.append(("frontier", "", c, n_opt, d_opt, f.chinchilla_loss(n_opt, d_opt, fit), ""))
    off = {}
    for m, n_model, _, c in budgets:
        off[m.id] = n_model / f.compute_optimal(c, fit)[0]
    big = max(budgets, key=lambda b: off[b[0].id])[0]
    small = min(budgets, key=lambda b: off[b[0].id])[0]
    title = (
        f"For its compute, {big.name} was {_times(off[big.id])} larger than Chinchilla's optimum "
        f"and {small.name} {_times(1 / off[small.id])} smaller"
    )
    alt = (
        "Line chart of Chinchilla's fitted loss (nats per token) against parameters (logarithmic axis) along "
        f"{len(budgets)} curves of fixed training compute, one per budget of "
        + _names(f"{m.name} ({fmt.scientific(c)} FLOP)" for m, _, _, c in budgets)
        + ". Each curve dips to a lowest loss at its compute-optimal size; a dashed line joins these optima "
        "(the compute-optimal frontier). A marker shows where each model actually sits on its curve: "
        + "; ".join(f"{m.name} at {_times(off[m.id])} the optimal size" for m, *_ in budgets)
        + "."
    )
    names = {m.id: m.name for m, *_ in budgets}
    return Figure(
        name="isoflop",
        title=title,
        columns=("kind", "budget_model", "flops", "params", "tokens", "loss", "status"),
        rows=tuple(rows),
        alt=alt,
        draw="draw_isoflop",
        extra={"names": names},
    )


# --- 9. training GPU-hours against compute -------------------------------------------------------------
def plan_training_cost(book: Book) -> Figure | None:
    rows = []
    for m, n, d, status in _data_models(book):
        if not _known(m.gpu_hours):
            continue
        flops = f.train_flops(n, d)
        hw = book.hardware.get(m.train_hardware or "")
        peak = hw.peak.get("bf16") if hw else None
        util = f.mfu(flops, m.gpu_hours.value, peak.value * TERA) if peak else ""
        rows.append(
            (
                "model",
                m.id,
                m.name,
                flops,
                status,
                m.gpu_hours.value,
                m.gpu_hours.status,
                hw.name if hw else "",
                util,
            )
        )
    if not rows:
        return None
    ref = book.hardware.get("h100-sxm")
    mfus = [("llama3_405b_mfu_low", _const(book, "llama3_405b_mfu_low"))]
    mfus.append(("llama3_405b_mfu_high", _const(book, "llama3_405b_mfu_high")))
    lo_c, hi_c = min(r[3] for r in rows) / 2, max(r[3] for r in rows) * 2
    if ref is not None:
        for key, u in mfus:
            for c in (lo_c, hi_c):
                rows.append(
                    (
                        "guide",
                        key,
                        "",
                        c,
                        "",
                        f.gpu_hours_for(c, ref.peak["bf16"].value * TERA, u),
                        "",
                        "",
                        u,
                    )
                )
    price = _const(book, "h100_price_per_gpu_hour")
    models = [r for r in rows if r[0] == "model"]
    with_u = [r for r in models if r[8] != ""]
    title = "Training GPU-hours grow with compute"
    if with_u:
        lo_u, hi_u = min(with_u, key=lambda r: r[8]), max(with_u, key=lambda r: r[8])
        title = (
            f"GPU-hours follow compute; implied utilisation runs from {_share(lo_u[8])} ({lo_u[2]}) "
            f"to {_share(hi_u[8])} ({hi_u[2]})"
        )
    most = max(models, key=lambda r: r[5])
    alt = (
        f"Log-log scatter chart of disclosed training GPU-hours against training compute (6·N·D, FLOP) for "
        f"{len(models)} models, from {fmt.count(min(r[5] for r in models))} to {fmt.count(most[5])} GPU-hours "
        f"({most[2]}). A right-hand axis converts GPU-hours to rental cost at ${fmt.sig(price)} per GPU-hour, "
        f"so {most[2]} corresponds to {fmt.usd(f.gpu_cost(most[5], price))}. Two dashed lines show the GPU-hours "
        f"an H100 would need at Llama 3.1 405B's reported utilisation of {_share(mfus[0][1])} and "
        f"{_share(mfus[1][1])} of its BF16 peak. "
        + " ".join(f"{r[2]}: {_share(r[8])} implied utilisation on {r[7]}." for r in with_u)
    )
    return Figure(
        name="training-cost",
        title=title,
        columns=(
            "kind",
            "id",
            "name",
            "flops",
            "status",
            "gpu_hours",
            "gpu_hours_status",
            "hardware",
            "mfu",
        ),
        rows=tuple(rows),
        alt=alt,
        draw="draw_training_cost",
        extra={"price": price, "ref": ref.name if ref else ""},
    )


# --- 10. inference economics -------------------------------------------------------------------------
def serving_frontiers(
    book: Book,
) -> list[tuple[float, float, float, list[f.DecodePoint]]]:
    """(scale, total, active, Pareto frontier) for the GPT-4-sized model and its halvings.

    Mirrors ``serving()`` in the economics vocabulary: the same constants, the same grid of
    powers of two, the KV cache of a reference architecture at a fixed context length.
    """
    s = SERVING
    base = book.models[s["model"]]
    hw = book.hardware[s["hardware"]]
    kv_arch = book.models[s["kv_model"]].arch
    if not (_known(base.params) and _known(_active(base)) and kv_arch is not None):
        return []
    kv_token = f.kv_cache_bytes_per_token(kv_arch, f.BYTES_PER_PARAM[s["kv_precision"]])
    kwargs = {
        "bytes_per_param": f.BYTES_PER_PARAM[s["precision"]],
        "kv_bytes_per_sequence": kv_token * _const(book, "decode_context_tokens"),
        "gpu_memory_bytes": hw.memory.value * GB,
        "gpu_bandwidth_bytes_per_s": hw.bandwidth.value * TB,
        "gpu_peak_flop_per_s": hw.peak[s["precision"]].value * TERA,
        "usd_per_gpu_hour": _const(book, s["price"]),
        "utilization": _const(book, "decode_utilisation"),
    }
    gpus = f.powers_of_two(_int_const(book, "decode_gpus_max"))
    batches = f.powers_of_two(_int_const(book, "decode_batch_max"))
    out = []
    for k in range(_int_const(book, "decode_shrink_steps") + 1):
        scale = 0.5**k  # one halving per step (the constant counts halvings)
        total, active = base.params.value * scale, _active(base).value * scale
        points = f.decode_sweep(
            gpu_counts=gpus,
            batches=batches,
            total_params=total,
            active_params=active,
            **kwargs,
        )
        out.append((scale, total, active, f.pareto_frontier(points)))
    return out


def plan_inference(book: Book) -> Figure | None:
    s = SERVING
    if s["model"] not in book.models or s["hardware"] not in book.hardware or s["kv_model"] not in book.models:
        return None
    frontiers = serving_frontiers(book)
    if not frontiers:
        return None
    base = book.models[s["model"]]
    hw = book.hardware[s["hardware"]]
    status = _least_certain(base.params.status, _active(base).status)
    rows = []
    for scale, total, active, pts in frontiers:
        for p in pts:
            rows.append(
                ("frontier", fmt.sig(scale), total, active, p.gpus, p.batch, p.tokens_per_second_per_user,
                 p.usd_per_million_tokens, p.bound, status)
            )  # fmt: skip
    for mid, (price_key, speed_keys) in API_POINTS.items():
        if mid not in book.models or price_key not in book.constants:
            continue
        price = book.constants[price_key]
        for key in speed_keys:
            if key in book.constants:
                sp = book.constants[key]
                st = _least_certain(price.status, sp.status)
                rows.append(("api", mid, "", "", "", "", sp.value, price.value, "", st))
    price = _const(book, s["price"])
    target_key = "gpt4o_speed_low"
    fastest = {fr[0]: max((p.tokens_per_second_per_user for p in fr[3]), default=0.0) for fr in frontiers}
    title = f"Smaller versions of {base.name} are both faster and cheaper to serve on {hw.name}s"
    if target_key in book.constants:
        target = book.constants[target_key].value
        reach = [sc for sc, v in fastest.items() if v >= target]
        if reach and max(reach) < 1:
            title = (
                f"On {hw.name}s, only versions of {base.name} at 1/{fmt.sig(1 / max(reach))} of its size or "
                f"smaller reach {fmt.sig(target)} tokens/s per user"
            )
        elif reach:
            title = f"On {hw.name}s every version of {base.name} can reach {fmt.sig(target)} tokens/s per user"
    front = [r for r in rows if r[0] == "frontier"]
    full = [r for r in front if r[1] == fmt.sig(1.0)]
    alt = (
        f"Log-log chart of generation speed per user (tokens per second, horizontal) against GPU cost per million "
        f"output tokens (US dollars, vertical) on {hw.name} GPUs at ${fmt.sig(price)} per GPU-hour, for a "
        f"{fmt.count(base.params.value)}-parameter model the size of {base.name} ({status}) and "
        f"{len(frontiers) - 1} halvings of it. Each line is the Pareto frontier over batch sizes and GPU counts. "
        + (
            f"The full-size model ranges from {fmt.sig(min(r[6] for r in full))} to {fmt.sig(max(r[6] for r in full))} "
            f"tokens/s and from ${fmt.sig(min(r[7] for r in full))} to ${fmt.sig(max(r[7] for r in full))} per "
            "million tokens. "
            if full
            else f"The full-size model does not fit on {s['hardware']} within the sweep. "
        )
        + "Fastest speed reached: "
        + "; ".join(
            f"{'full size' if sc == 1 else '1/' + fmt.sig(1 / sc)} {fmt.sig(v)} tokens/s" for sc, v in fastest.items()
        )
        + ". Hollow diamonds mark observed API prices and speeds, which include the provider's margin: "
        + _names(
            f"{book.models[r[1]].name} ${fmt.sig(r[7])} at {fmt.sig(r[6])} tokens/s" for r in rows if r[0] == "api"
        )
        + "."
    )
    return Figure(
        name="inference-economics",
        title=title,
        columns=(
            "kind", "scale", "total_params", "active_params", "gpus", "batch", "tokens_per_s_per_user",
            "usd_per_million_tokens", "bound", "status",
        ),
        rows=tuple(rows),
        alt=alt,
        draw="draw_inference",
        extra={
            "model": base.name,
            "api_names": {mid: book.models[mid].name for mid in API_POINTS if mid in book.models},
            "hardware": hw.name,
        },
    )  # fmt: skip


PLANNERS: tuple[Callable[[Book], Figure | None], ...] = (
    plan_params_over_time,
    plan_compute_over_time,
    plan_tokens_vs_params,
    plan_tokens_per_param,
    plan_weight_memory,
    plan_param_breakdown,
    plan_moe,
    plan_loss_curves,
    plan_isoflop,
    plan_training_cost,
    plan_inference,
)


def plan(book: Book) -> list[Figure]:
    """Every figure the data supports (a planner with nothing to plot returns None)."""
    return [fig for p in PLANNERS if (fig := p(book)) is not None]


# --- drawing (imports matplotlib lazily) -----------------------------------------------------------
def _theme(name: str) -> dict:
    if name == "dark":  # on Material's slate background (about #1e2129)
        return {
            "fg": "#e2e4e9",
            "grid": "#3b4152",
            "muted": "#a8adbd",
            "series": [
                "#8c9eff",
                "#ffab70",
                "#4dd0b5",
                "#e59af0",
                "#f5d76e",
                "#9fb3c8",
            ],
            "flag": "#ffab70",
            "bg": "#1e2129",
        }
    return {
        "fg": "#1f2328",
        "grid": "#d8dce3",
        "muted": "#5c6370",
        "series": ["#3949ab", "#d84315", "#00897b", "#8e24aa", "#b7950b", "#546e7a"],
        "flag": "#d84315",
        "bg": "#ffffff",
    }


def _setup(theme: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = _theme(theme)
    plt.rcParams.update(matplotlib.rcParamsDefault)
    plt.rcParams.update(
        {
            "svg.hashsalt": "llm-book",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "text.color": t["fg"],
            "axes.labelcolor": t["fg"],
            "axes.edgecolor": t["muted"],
            "axes.titlecolor": t["fg"],
            "xtick.color": t["fg"],
            "ytick.color": t["fg"],
            "xtick.labelcolor": t["fg"],
            "ytick.labelcolor": t["fg"],
            "axes.facecolor": "none",
            "figure.facecolor": "none",
            "savefig.facecolor": "none",
            "savefig.edgecolor": "none",
            "grid.color": t["grid"],
            "grid.linewidth": 0.6,
            "legend.frameon": False,
            "legend.fontsize": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt, t


def _figure(plt, t: dict, spec: dict, size: tuple[float, float]):
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    fig.suptitle(_wrap(spec["title"], 100), x=0.01, ha="left", fontsize=10.5, color=t["fg"])
    return fig, ax


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _power_of_ten(v: float, _pos=None) -> str:
    """10⁹-style label for a decade, written with Unicode superscripts.

    It reads like matplotlib's LogFormatterSciNotation but needs no mathtext parse, which
    took about a fifth of a render.
    """
    if v <= 0:
        return ""
    exponent = round(math.log10(v))
    if not math.isclose(v, 10.0**exponent, rel_tol=1e-9):
        return fmt.scientific(v, 2).replace(" ", "")
    return "10" + str(exponent).translate(fmt.SUPERSCRIPT)


def _log_axis(axis, span: tuple[float, float] | None = None) -> None:
    """Decades labelled 10⁹-style; an axis spanning under about two decades also labels 2 and 5
    times each power of ten, in plain digits, so that it never shows a single tick label."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    lo, hi = sorted(span or axis.get_view_interval())
    narrow = lo > 0 and math.log10(hi / lo) < 2.2
    axis.set_major_locator(LogLocator(base=10, numticks=12))
    if narrow:
        plain = FuncFormatter(lambda v, _: fmt.sig(v, 2) if 1e-3 <= v < 1e6 else _power_of_ten(v))
        axis.set_major_formatter(plain)
        axis.set_minor_locator(LogLocator(base=10, subs=(2.0, 5.0), numticks=12))
        axis.set_minor_formatter(plain)
    else:
        axis.set_major_formatter(FuncFormatter(_power_of_ten))
        axis.set_minor_locator(LogLocator(base=10, subs=tuple(range(2, 10)), numticks=12))
        axis.set_minor_formatter(NullFormatter())


def _finish(ax, freeze: bool = True) -> None:
    """Tick every log axis once its limits are final, run the layout once and (by default) keep it.

    Call it before placing labels, which need final pixel positions. Freezing the layout also
    spares ``savefig`` a second constrained-layout pass, the costliest step of a render; the
    layout is in figure fractions, so it holds at the SVG's resolution too.
    """
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            _log_axis(axis)
    ax.figure.draw_without_rendering()  # runs the layout and tick placement, paints nothing
    if freeze:
        _freeze(ax.figure)
    ax._book_finished = True


def _freeze(fig) -> None:
    """Keep the layout the labels were placed in (constrained layout would move the axes again)."""
    fig.set_layout_engine("none")


def _status_scatter(ax, xs, ys, statuses, color, t, size=36, gid="points", labels=True, flag_color=None):
    """Disclosed points solid, estimated and rumored hollow, each status its own SVG group."""
    for status, (marker, filled) in STATUS_STYLE.items():
        pts = [(x, y) for x, y, s in zip(xs, ys, statuses, strict=True) if s == status]
        if not pts:
            continue
        edge = color if filled else (flag_color or t["flag"])
        art = ax.scatter(
            [p[0] for p in pts], [p[1] for p in pts], marker=marker, s=size, zorder=4, linewidths=1.4,
            facecolors=color if filled else "none", edgecolors=edge,
            label=status if labels else None,
        )  # fmt: skip
        art.set_gid(f"{gid}-{status}")


def _status_legend(ax, t, extra=(), loc="upper left", color=None, **kw):
    """A legend that always explains the three marker styles, plus any extra handles."""
    from matplotlib.lines import Line2D

    handles = []
    for status, (marker, filled) in STATUS_STYLE.items():
        c = color or t["series"][0]
        handles.append(
            Line2D([], [], ls="none", marker=marker, markersize=6, markeredgewidth=1.4,
                   markerfacecolor=c if filled else "none", markeredgecolor=c if filled else t["flag"], label=status)
        )  # fmt: skip
    ax.legend(handles=handles + list(extra), loc=loc, **kw)


def _place_labels(ax, xs, ys, labels, color, size=7, avoid=(), halo=None):
    """Greedy placement: for each point try offsets outward, keep the first that overlaps no
    other label, no marker and no legend and stays inside the axes; if none is free, use the
    least-overlapping candidate. A label placed away from its point gets a leader line.

    Each label's size is measured once; candidate boxes are then plain arithmetic, so a chart
    with thirty labels costs thirty text layouts, not three hundred.
    """
    import numpy as np
    from matplotlib.transforms import Bbox

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    px_per_pt = fig.dpi / 72
    pts = ax.transData.transform(np.column_stack([ax.xaxis.convert_units(xs), ax.yaxis.convert_units(ys)]))
    r = 4.5 * px_per_pt  # marker radius
    markers = [Bbox([[px - r, py - r], [px + r, py + r]]) for px, py in pts]
    taken = list(avoid)
    leg = ax.get_legend()
    if leg is not None:
        taken.append(leg.get_window_extent(renderer))
    near = [(6, 2), (6, -9), (-6, 2), (-6, -9), (0, 7), (0, -14)]
    far = [(dx * k, dy * k) for k in (2, 3) for dx, dy in ((8, 6), (8, -12), (-8, 6), (-8, -12), (0, 10), (0, -16))]
    inside = ax.get_window_extent(renderer)
    # A faint plate in the page colour keeps a label legible where it crosses a grid or data line.
    plate = {"boxstyle": "square,pad=0.05", "fc": halo, "ec": "none", "alpha": 0.75} if halo else None
    probe = ax.text(0, 0, "", fontsize=size, transform=None)

    def overlap(b) -> float:
        area = 0.0
        for o in taken + markers:
            w = min(b.x1, o.x1) - max(b.x0, o.x0)
            h = min(b.y1, o.y1) - max(b.y0, o.y0)
            if w > 0 and h > 0:
                area += w * h
        if not (inside.contains(b.x0, b.y0) and inside.contains(b.x1, b.y1)):
            area += 1e6
        return area

    for (px, py), x, y, text in zip(pts, xs, ys, labels, strict=True):
        probe.set_text(text)
        ext = probe.get_window_extent(renderer)
        w, h = ext.width * 1.04, ext.height * 1.08
        best = None
        for dx, dy in near + far:
            ax_, ay = px + dx * px_per_pt, py + dy * px_per_pt
            x0 = ax_ if dx > 0 else ax_ - w if dx < 0 else ax_ - w / 2
            box = Bbox([[x0, ay], [x0 + w, ay + h]])
            cost = overlap(box)
            if best is None or cost < best[0]:
                best = (cost, box, (dx, dy))
            if cost == 0:
                break
        _, box, (dx, dy) = best
        leader = abs(dx) > 6 or abs(dy) > 14  # far from its point
        ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=size, color=color,
                    ha="left" if dx > 0 else "right" if dx < 0 else "center", va="bottom", zorder=5, bbox=plate,
                    arrowprops={"arrowstyle": "-", "color": color, "lw": 0.5, "alpha": 0.6, "shrinkA": 0,
                                "shrinkB": 3} if leader else None)  # fmt: skip
        taken.append(box)
    probe.remove()
    _freeze(fig)


def _date_axis(ax) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def _dates(values) -> list[dt.date]:
    return [dt.date.fromisoformat(v) for v in values]


def draw_params_over_time(spec: dict, theme: str):
    plt, t = _setup(theme)
    fig, ax = _figure(plt, t, spec, (8, 5.6))
    rows = spec["rows"]
    dates = _dates(r[2] for r in rows)
    params = [r[3] for r in rows]
    c = t["series"][0]
    for d, r in zip(dates, rows, strict=True):
        if r[5] != "":
            ax.plot([d, d], [r[5], r[3]], color=t["muted"], lw=1.2, zorder=2)
            ax.scatter(
                [d],
                [r[5]],
                marker="_",
                s=90,
                color=t["muted"],
                linewidths=1.6,
                zorder=3,
            )
    _status_scatter(ax, dates, params, [r[4] for r in rows], c, t)
    ax.set_yscale("log")
    _date_axis(ax)
    ax.set_ylabel("Parameters (count, log scale)")
    ax.set_xlabel("Release date (year)")
    ax.grid(True, which="major", axis="both")
    from matplotlib.lines import Line2D

    moe = Line2D(
        [],
        [],
        color=t["muted"],
        lw=1.2,
        marker="_",
        markersize=9,
        label="MoE: total down to active",
    )
    _status_legend(ax, t, extra=[moe], loc="lower right")
    ax.margins(x=0.06, y=0.12)
    _finish(ax)
    from matplotlib.transforms import Bbox

    bars = []  # the total-to-active bars, so that no label sits on one
    for d, r in zip(dates, rows, strict=True):
        if r[5] != "":
            (x0, y0), (_, y1) = ax.transData.transform([(mdates_num(d), r[5]), (mdates_num(d), r[3])])
            bars.append(Bbox([[x0 - 3, y0], [x0 + 3, y1]]))
    _place_labels(ax, dates, params, [r[1] for r in rows], t["fg"], halo=t["bg"], avoid=bars)
    return fig


def mdates_num(d: dt.date) -> float:
    import matplotlib.dates as mdates

    return mdates.date2num(d)


def draw_compute_over_time(spec: dict, theme: str):
    plt, t = _setup(theme)
    fig, ax = _figure(plt, t, spec, (8, 5.6))
    rows = spec["rows"]
    calc = [r for r in rows if r[3] == "6ND"]
    rep = [r for r in rows if r[3] == "reported"]
    c6, cr = t["series"][0], t["series"][2]
    by_id = {r[0]: r for r in calc}
    for r in rep:
        if r[0] in by_id:
            d = dt.date.fromisoformat(r[2])
            ax.plot([d, d], [r[4], by_id[r[0]][4]], color=t["muted"], lw=0.8, zorder=2)
    _status_scatter(
        ax,
        _dates(r[2] for r in calc),
        [r[4] for r in calc],
        [r[5] for r in calc],
        c6,
        t,
        gid="6nd",
    )
    for status, (_, filled) in STATUS_STYLE.items():
        pts = [r for r in rep if r[5] == status]
        if pts:
            art = ax.scatter(_dates(r[2] for r in pts), [r[4] for r in pts], marker="D", s=70, zorder=3,
                             facecolors=cr if filled else "none", edgecolors=cr if filled else t["flag"],
                             linewidths=1.4)  # fmt: skip
            art.set_gid(f"reported-{status}")
    from matplotlib.lines import Line2D

    extra = [
        Line2D(
            [],
            [],
            ls="none",
            marker="o",
            color=c6,
            markersize=6,
            label="6·N·D from parameters and tokens",
        ),
        Line2D(
            [],
            [],
            ls="none",
            marker="D",
            color=cr,
            markersize=7,
            label="compute stated by a paper or estimate",
        ),
    ]
    ax.set_yscale("log")
    _date_axis(ax)
    ax.set_ylabel("Training compute (FLOP, log scale)")
    ax.set_xlabel("Release date (year)")
    ax.grid(True, which="major")
    _status_legend(ax, t, extra=extra, loc="lower right")
    ax.margins(x=0.06, y=0.12)
    _finish(ax)
    first: dict[str, tuple] = {}
    for r in sorted(rows, key=lambda r: r[3] != "6ND"):  # one label per model, on its 6ND point if any
        first.setdefault(r[0], r)
    ordered = sorted(first.values(), key=lambda r: (r[2], r[4]))
    _place_labels(
        ax,
        _dates(r[2] for r in ordered),
        [r[4] for r in ordered],
        [r[1] for r in ordered],
        t["fg"],
        halo=t["bg"],
    )
    return fig


def draw_tokens_vs_params(spec: dict, theme: str):
    plt, t = _setup(theme)
    fig, ax = _figure(plt, t, spec, (8, 5.8))
    rows = spec["rows"]
    models = [r for r in rows if r[0] == "model"]
    guides: dict[float, list] = {}
    for r in rows:
        if r[0] == "guide":
            guides.setdefault(r[6], []).append(r)
    styles = ["-", "--", ":"]
    for i, (factor, pts) in enumerate(sorted(guides.items())):
        xs, ys = [p[3] for p in pts], [p[4] for p in pts]
        label = (
            f"Chinchilla: {fmt.sig(spec['ratio'])} tokens per parameter"
            if factor == 1
            else f"{fmt.ratio(factor)} the Chinchilla ratio"
        )
        ax.plot(xs, ys, color=t["muted"], ls=styles[i % 3], lw=1.1, zorder=1, label=label)
    _status_scatter(ax, [r[3] for r in models], [r[4] for r in models], [r[5] for r in models], t["series"][0], t,
                    labels=False)  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Parameters (active per token for MoE; count, log scale)")
    ax.set_ylabel("Training tokens (count, log scale)")
    ax.grid(True, which="major")
    ax.set_xlim(
        min(r[3] for r in rows if r[0] == "guide"),
        max(r[3] for r in rows if r[0] == "guide"),
    )
    ys = [r[4] for r in models]
    ax.set_ylim(min(ys) / 3, max(ys) * 3)
    lines = ax.get_legend_handles_labels()[0]
    _status_legend(ax, t, extra=lines, loc="lower right")
    _finish(ax)
    _place_labels(
        ax,
        [r[3] for r in models],
        [r[4] for r in models],
        [r[2] for r in models],
        t["fg"],
        halo=t["bg"],
    )
    return fig


def draw_tokens_per_param(spec: dict, theme: str):
    plt, t = _setup(theme)
    rows = spec["rows"]
    fig, ax = _figure(plt, t, spec, (8, 1.6 + 0.24 * len(rows)))
    ratio = spec["ratio"]
    ys = list(range(len(rows)))
    for y, r in zip(ys, rows, strict=True):
        color = t["series"][1] if r[3] > 1 else t["series"][0]
        ax.plot(
            [ratio, r[2]],
            [y, y],
            color=color,
            lw=1.6,
            alpha=0.7,
            zorder=2,
            solid_capstyle="butt",
        )
    _status_scatter(
        ax,
        [r[2] for r in rows],
        ys,
        [r[4] for r in rows],
        t["fg"],
        t,
        size=30,
        labels=False,
    )
    for y, r in zip(ys, rows, strict=True):
        ax.annotate(_round(r[2]), (r[2], y), xytext=(6 if r[3] >= 1 else -6, 0), textcoords="offset points",
                    ha="left" if r[3] >= 1 else "right", va="center", fontsize=7, color=t["muted"])  # fmt: skip
    ax.axvline(ratio, color=t["muted"], lw=1.2, ls="--", zorder=1)
    ax.annotate(f"Chinchilla: {fmt.sig(ratio)}", (ratio, 1.0), xycoords=("data", "axes fraction"),
                xytext=(4, 2), textcoords="offset points", fontsize=8, color=t["muted"], va="bottom")  # fmt: skip
    ax.set_xscale("log")
    ax.set_yticks(ys, [r[1] for r in rows], fontsize=8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel("Training tokens per parameter (tokens/parameter, log scale)")
    ax.grid(True, which="major", axis="x")
    from matplotlib.lines import Line2D

    extra = [
        Line2D([], [], color=t["series"][1], lw=1.6, label="more tokens than the ratio"),
        Line2D([], [], color=t["series"][0], lw=1.6, label="fewer tokens than the ratio"),
    ]
    ax.set_xlim(min(min(r[2] for r in rows), ratio) / 3, max(max(r[2] for r in rows), ratio) * 4)
    _status_legend(ax, t, extra=extra, loc="lower right", color=t["fg"])
    return fig


def draw_weight_memory(spec: dict, theme: str):
    plt, t = _setup(theme)
    rows = spec["rows"]
    mem = [r for r in rows if r[0] == "model"]
    gpus = [r for r in rows if r[0] == "gpu"]
    ids = list(dict.fromkeys(r[1] for r in mem))
    names = {r[1]: r[2] for r in mem}
    status = {r[1]: r[5] for r in mem}
    fig, ax = _figure(plt, t, spec, (8, 1.9 + 0.24 * len(ids)))
    y = {mid: i for i, mid in enumerate(ids)}
    for mid in ids:
        vals = [r[4] for r in mem if r[1] == mid]
        ax.plot(
            [min(vals), max(vals)],
            [y[mid], y[mid]],
            color=t["grid"],
            lw=2.2,
            zorder=1,
            solid_capstyle="butt",
        )
    markers = ["o", "s", "D", "v"]
    for i, p in enumerate(spec["precisions"]):
        pts = [r for r in mem if r[3] == p]
        color = t["series"][i]
        for flagged in (False, True):
            sel = [r for r in pts if (r[5] != "disclosed") == flagged]
            if sel:
                art = ax.scatter([r[4] for r in sel], [y[r[1]] for r in sel], marker=markers[i % 4], s=28,
                                 facecolors="none" if flagged else color, edgecolors=color, linewidths=1.3, zorder=3,
                                 label=None if flagged else PRECISION_NAMES.get(p, p))  # fmt: skip
                art.set_gid(f"{p}-{'flagged' if flagged else 'disclosed'}")
    ax.set_yticks(list(y.values()), [names[m] + ("" if status[m] == "disclosed" else f" ({status[m]})") for m in ids],
                  fontsize=8)  # fmt: skip
    ax.set_ylim(-0.7, len(ids) - 0.3)
    ax.set_xlabel("Memory for the weights alone (GB, log scale)")
    ax.grid(True, which="major", axis="x")
    from matplotlib.lines import Line2D

    hollow = Line2D([], [], ls="none", marker="o", markerfacecolor="none", markeredgecolor=t["fg"], markersize=5,
                    label="hollow: estimated or rumored size")  # fmt: skip
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + [hollow], loc="lower right", ncols=1)
    ax.set_xscale("log")
    for g in gpus:
        ax.axvline(g[4], color=t["muted"], lw=0.9, ls=(0, (4, 3)), zorder=0)
    _finish(ax, freeze=False)
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    placed: list = []
    for g in sorted(gpus, key=lambda g: g[4]):  # stack the GPU names above the axes so none collide
        for level in range(len(gpus)):
            a = ax.annotate(f"{g[2]}: {fmt.sig(g[4])} GB", (g[4], 1.0), xycoords=("data", "axes fraction"),
                            xytext=(0, 3 + 11 * level), textcoords="offset points", fontsize=7, color=t["muted"],
                            ha="center", va="bottom",
                            arrowprops={"arrowstyle": "-", "color": t["muted"], "lw": 0.5, "shrinkA": 0, "shrinkB": 0}
                            if level else None)  # fmt: skip
            box = Text.get_window_extent(a, renderer).expanded(1.06, 1.0)  # the text alone, not its leader
            if not any(box.overlaps(b) for b in placed):
                placed.append(box)
                break
            a.remove()
    _finish(ax)
    return fig


def draw_param_breakdown(spec: dict, theme: str):
    plt, t = _setup(theme)
    rows = spec["rows"]
    fig, ax = _figure(plt, t, spec, (8, 1.9 + 0.3 * len(rows)))
    labels = {"embedding": "token embedding", "attention": "attention", "ffn": "feed-forward (FFN)",
              "head": "output head", "other": "other (norms, positions)"}  # fmt: skip
    colors = dict(zip(BREAKDOWN, [t["series"][0], t["series"][2], t["series"][1], t["series"][3], t["muted"]],
                      strict=True))  # fmt: skip
    ys = list(range(len(rows)))
    left = [0.0] * len(rows)
    for k, comp in enumerate(BREAKDOWN):
        widths = [r[3 + k] * 100 for r in rows]
        bars = ax.barh(ys, widths, left=left, color=colors[comp], height=0.7, label=labels[comp],
                       edgecolor="none", zorder=2)  # fmt: skip
        for i, patch in enumerate(bars.patches):
            patch.set_gid(f"share-{comp}-{rows[i][0]}")
        for y, w, lft in zip(ys, widths, left, strict=True):
            if w >= 7:
                txt_color = "#ffffff" if theme == "light" or comp == "other" else "#1e2129"
                ax.text(
                    lft + w / 2,
                    y,
                    f"{w:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=txt_color,
                    zorder=3,
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(ys, [f"{r[1]}  ({fmt.count(r[2])})" for r in rows], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("Share of all parameters (%)")
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.09),
        ncols=5,
        fontsize=8,
        handlelength=1.2,
    )
    return fig


def draw_moe(spec: dict, theme: str):
    plt, t = _setup(theme)
    rows = spec["rows"]
    fig, ax = _figure(plt, t, spec, (8, 1.9 + 0.62 * len(rows)))
    ys = list(range(len(rows)))
    c_total, c_active = t["series"][0], t["series"][1]
    floor = min(r[4] for r in rows) / 10
    for y, r in zip(ys, rows, strict=True):
        for value, st, color, h, tag in (
            (r[2], r[3], c_total, 0.62, "total"),
            (r[4], r[5], c_active, 0.34, "active"),
        ):
            flagged = st != "disclosed"
            bar = ax.barh([y], [value - floor], left=floor, height=h, zorder=2 if tag == "total" else 3,
                          color="none" if flagged else color, edgecolor=color, hatch="///" if flagged else None,
                          linewidth=1.2, alpha=0.55 if tag == "total" and not flagged else 1)  # fmt: skip
            bar.patches[0].set_gid(f"{tag}-{st}-{r[0]}")
        ax.annotate(f"{fmt.count(r[2])} total, {fmt.count(r[4])} active: 1 in {fmt.sig(r[6], 2)}", (r[2], y),
                    xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=8, color=t["fg"])  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlim(floor, max(r[2] for r in rows) * 25)
    ax.set_yticks(ys, [r[1] + ("" if r[3] == r[5] == "disclosed" else f" ({_least_certain(r[3], r[5])})")
                       for r in rows], fontsize=8.5)  # fmt: skip
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("Parameters (count, log scale)")
    ax.grid(True, which="major", axis="x")
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(facecolor=c_total, alpha=0.55, label="total parameters"),
            Patch(facecolor=c_active, label="active per token"),
            Patch(facecolor="none", edgecolor=t["fg"], hatch="///", label="hatched: rumored or estimated"),
        ],
        loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3,
    )  # fmt: skip
    return fig


def draw_loss_curves(spec: dict, theme: str):
    plt, t = _setup(theme)
    fig, ax = _figure(plt, t, spec, (8, 5))
    rows = spec["rows"]
    curves = {
        "kaplan": ("Kaplan et al. 2020: L(N), unlimited data", t["series"][1], "-"),
        "chinchilla-infinite-data": (r"Chinchilla fit, unlimited data: $E + A/N^{\alpha}$", t["series"][0], "--"),
        "chinchilla-20-tokens-per-param": (
            f"Chinchilla fit at {fmt.sig(spec['ratio'])} tokens per parameter", t["series"][0], "-"),
    }  # fmt: skip
    for key, (label, color, ls) in curves.items():
        pts = [r for r in rows if r[0] == key]
        line = ax.plot(
            [r[1] for r in pts],
            [r[3] for r in pts],
            color=color,
            ls=ls,
            lw=1.8,
            label=label,
        )[0]
        line.set_gid(f"curve-{key}")
    ax.axhline(spec["e"], color=t["muted"], lw=0.9, ls=":")
    ax.annotate(f"Chinchilla's irreducible loss E = {fmt.sig(spec['e'])}", (0.0, spec["e"]),
                xycoords=("axes fraction", "data"), xytext=(6, -11), textcoords="offset points", ha="left",
                fontsize=8, color=t["muted"])  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel("Parameters N (count, log scale)")
    ax.set_ylabel("Predicted loss (nats per token)")
    ax.grid(True, which="major")
    ax.legend(loc="upper right")
    return fig


def draw_isoflop(spec: dict, theme: str):
    plt, t = _setup(theme)
    fig, ax = _figure(plt, t, spec, (8, 5.6))
    rows = spec["rows"]
    budgets = list(dict.fromkeys(r[1] for r in rows if r[0] == "isoflop"))
    opt_loss = []
    for i, mid in enumerate(budgets):
        color = t["series"][i % len(t["series"])]
        curve = [r for r in rows if r[0] == "isoflop" and r[1] == mid]
        flops = curve[0][2]
        ax.plot([r[3] for r in curve], [r[5] for r in curve], color=color, lw=1.6,
                label=f"budget of {spec['names'][mid]}: {fmt.scientific(flops, 2)} FLOP")  # fmt: skip
        (opt,) = [r for r in rows if r[0] == "optimum" and r[1] == mid]
        (mod,) = [r for r in rows if r[0] == "model" and r[1] == mid]
        ax.scatter(
            [opt[3]],
            [opt[5]],
            marker="o",
            s=26,
            facecolors=color,
            edgecolors=color,
            zorder=4,
        )
        flagged = mod[6] != "disclosed"
        star = ax.scatter([mod[3]], [mod[5]], marker="*", s=130, facecolors="none" if flagged else color,
                          edgecolors=t["flag"] if flagged else t["fg"], linewidths=1.2 if flagged else 0.6,
                          zorder=5)  # fmt: skip
        star.set_gid(f"model-{mod[6]}-{mid}")
        opt_loss.append(opt[5])
    front = [r for r in rows if r[0] == "frontier"]
    ax.plot([r[3] for r in front], [r[5] for r in front], color=t["fg"], lw=1.1, ls="--", zorder=3,
            label="compute-optimal frontier")  # fmt: skip
    ax.set_xscale("log")
    curves = [r for r in rows if r[0] == "isoflop"]
    ax.set_xlim(min(r[3] for r in curves), max(r[3] for r in curves))
    lo = min(opt_loss)
    hi = max(r[5] for r in rows if r[0] in ("model", "optimum"))
    pad = (hi - lo) * 0.6
    ax.set_ylim(lo - pad * 0.4, hi + pad)
    ax.set_xlabel("Parameters N (count, log scale); tokens follow from D = C / 6N")
    ax.set_ylabel("Chinchilla fitted loss (nats per token)")
    ax.grid(True, which="major")
    from matplotlib.lines import Line2D

    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Line2D(
            [],
            [],
            ls="none",
            marker="o",
            color=t["fg"],
            markersize=5,
            label="optimum of each budget",
        ),
        Line2D(
            [],
            [],
            ls="none",
            marker="*",
            color=t["fg"],
            markersize=9,
            label="the model as trained",
        ),
    ]
    if any(r[6] not in ("", "disclosed") for r in rows):
        handles.append(Line2D([], [], ls="none", marker="*", markerfacecolor="none", markeredgecolor=t["flag"],
                              markersize=9, label="hollow: estimated or rumored"))  # fmt: skip
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.13),
        fontsize=7.5,
        ncols=3,
    )
    _finish(ax)
    models = [r for r in rows if r[0] == "model"]
    _place_labels(
        ax,
        [r[3] for r in models],
        [r[5] for r in models],
        [spec["names"][r[1]] for r in models],
        t["fg"],
        halo=t["bg"],
    )
    return fig


def draw_training_cost(spec: dict, theme: str):
    plt, t = _setup(theme)
    fig, ax = _figure(plt, t, spec, (8, 5.4))
    rows = spec["rows"]
    models = [r for r in rows if r[0] == "model"]
    guides = [r for r in rows if r[0] == "guide"]
    for i, key in enumerate(dict.fromkeys(r[1] for r in guides)):
        pts = [r for r in guides if r[1] == key]
        ax.plot([r[3] for r in pts], [r[5] for r in pts], color=t["muted"], lw=1, ls=["--", ":"][i % 2], zorder=1,
                label=f"{spec['ref']} at {_share(pts[0][8])} utilisation (Llama 3.1 405B)")  # fmt: skip
    statuses = [_least_certain(r[4], r[6]) for r in models]
    _status_scatter(
        ax,
        [r[3] for r in models],
        [r[5] for r in models],
        statuses,
        t["series"][0],
        t,
        labels=False,
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Training compute 6·N·D (FLOP, log scale)")
    ax.set_ylabel("Training GPU-hours (log scale)")
    ax.grid(True, which="major")
    price = spec["price"]
    xs = [r[3] for r in models]
    ax.set_xlim(min(xs) / 3, max(xs) * 3)
    ys = [r[5] for r in models]
    ax.set_ylim(min(ys) / 4, max(ys) * 4)
    sec = ax.secondary_yaxis("right", functions=(lambda h: h * price, lambda usd: usd / price))
    _log_axis(sec.yaxis, (min(ys) / 4 * price, max(ys) * 4 * price))
    sec.set_ylabel(f"Rental cost at ${fmt.sig(price)} per GPU-hour (USD, log scale)")
    lines = ax.get_legend_handles_labels()[0]
    _status_legend(ax, t, extra=lines, loc="upper left")
    _finish(ax)
    _place_labels(ax, xs, ys, [r[2] for r in models], t["fg"], halo=t["bg"])
    return fig


def draw_inference(spec: dict, theme: str):
    plt, t = _setup(theme)
    fig, ax = _figure(plt, t, spec, (8, 5.6))
    rows = spec["rows"]
    front = [r for r in rows if r[0] == "frontier"]
    scales = list(dict.fromkeys(r[1] for r in front))
    flagged = any(r[9] != "disclosed" for r in front)
    for i, sc in enumerate(scales):
        pts = sorted((r for r in front if r[1] == sc), key=lambda r: r[6])
        color = t["series"][i % len(t["series"])]
        frac = float(sc)
        name = spec["model"] if frac == 1 else f"{spec['model']} × 1/{fmt.sig(1 / frac)}"
        line = ax.plot([r[6] for r in pts], [r[7] for r in pts], color=color, lw=1.6, zorder=2,
                       ls="--" if flagged else "-", marker="o", markersize=3.5,
                       markerfacecolor="none" if flagged else color,
                       label=f"{name} ({fmt.count(pts[0][2])} total, {fmt.count(pts[0][3])} active)")[0]  # fmt: skip
        line.set_gid(f"frontier-{pts[0][9]}-{sc}")
    api = [r for r in rows if r[0] == "api"]
    for mid in dict.fromkeys(r[1] for r in api):
        pts = [r for r in api if r[1] == mid]
        xs = [r[6] for r in pts]
        if len(xs) > 1:
            ax.plot([min(xs), max(xs)], [pts[0][7]] * 2, color=t["fg"], lw=1, zorder=3)
        art = ax.scatter(xs, [r[7] for r in pts], marker="D", s=30, facecolors="none", edgecolors=t["fg"],
                         linewidths=1.2, zorder=4)  # fmt: skip
        art.set_gid(f"api-{mid}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Generation speed per user (output tokens/s, log scale)")
    ax.set_ylabel("GPU cost per million output tokens (USD, log scale)")
    ax.grid(True, which="major")
    from matplotlib.lines import Line2D

    handles, _ = ax.get_legend_handles_labels()
    if flagged:
        handles.append(Line2D([], [], color=t["fg"], ls="--", marker="o", markerfacecolor="none", markersize=3.5,
                              label="dashed, hollow: size is rumored"))  # fmt: skip
    if api:
        handles.append(Line2D([], [], ls="none", marker="D", markerfacecolor="none", markeredgecolor=t["fg"],
                              markersize=5, label="API price and speed (with margin)"))  # fmt: skip
    ax.legend(handles=handles, loc="upper right", fontsize=7.5)
    _finish(ax)
    firsts = {}
    for r in api:
        firsts.setdefault(r[1], r)
    _place_labels(ax, [r[6] for r in firsts.values()], [r[7] for r in firsts.values()],
                  [spec["api_names"].get(m, m) for m in firsts], t["fg"], halo=t["bg"])  # fmt: skip
    return fig


# --- cache and parallel rendering ------------------------------------------------------------------
def _svg_bytes(spec: dict, theme: str) -> bytes:
    fig = globals()[spec["draw"]](spec, theme)
    for ax in fig.axes:
        if not getattr(ax, "_book_finished", False):
            _finish(ax)
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def _render_one(task: tuple[dict, str]) -> tuple[str, str, bytes, float]:
    spec, theme = task
    start = time.perf_counter()
    data = _svg_bytes(spec, theme)
    return spec["name"], theme, data, time.perf_counter() - start


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        # A name of its own per process: two builds sharing the cache must not trip over one file.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)


def _files(name: str, out: Path) -> dict[str, Path]:
    return {
        "light": out / f"{name}.svg",
        "dark": out / f"{name}-dark.svg",
        "csv": out / f"{name}.csv",
    }


def render_changed(
    book: Book,
    jobs: int | None = None,
    quiet: bool = False,
    force: bool = False,
    out: Path | None = None,
    together: bool = False,
) -> list[str]:
    """Render the figures whose inputs changed into ``out`` (default ``.cache/figures``); return their names.

    Planning needs no matplotlib; it is imported (in the worker processes) only when a figure
    must be drawn. Each (figure, theme) pair is one task, so two cores share the work evenly.
    """
    out = Path(out) if out is not None else OUT
    out.mkdir(parents=True, exist_ok=True)
    if not force and up_to_date(book, out):
        return []
    index_file = out / "index.json"
    figures = plan(book)
    try:
        old = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else {}
    except json.JSONDecodeError:
        old = {}
    todo = []
    for fig in figures:
        fresh = old.get(fig.name, {}).get("hash") == fig.digest() and all(
            p.exists() for p in _files(fig.name, out).values()
        )
        if force or not fresh:
            todo.append(fig)
    if todo:
        tasks = [({"draw": fig.draw, **fig.spec()}, theme) for fig in todo for theme in THEMES]
        workers = max(1, min(jobs or _cores(), len(tasks)))
        if workers > 1:
            from concurrent.futures import ProcessPoolExecutor  # only when drawing: ~3 ms per build

            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = pool.map(_render_one, tasks)
                _collect(results, out, quiet, together)
        else:
            _collect(map(_render_one, tasks), out, quiet, together)
    index = {}
    for fig in figures:
        _write_if_changed(_files(fig.name, out)["csv"], fig.csv_text().encode())
        index[fig.name] = {
            "hash": fig.digest(),
            "title": fig.title,
            "alt": fig.alt,
            "points": len(fig.rows),
        }
    _write_if_changed(index_file, (json.dumps(index, indent=1, ensure_ascii=False) + "\n").encode())
    if book.digest:
        _write_if_changed(out / INPUTS_FILE, _inputs_key(book).encode())
    return [fig.name for fig in todo]


INPUTS_FILE = "inputs.key"


def _inputs_key(book: Book) -> str:
    """What every figure depends on: the book's data and code (its digest), this script, matplotlib."""
    return f"{book.digest}:{_script_fingerprint()}\n"


def up_to_date(book: Book, out: Path | None = None) -> bool:
    """Whether the last render used the same data, code and matplotlib, and its files are all there.

    Planning every figure digests every plotted point (a second at 30,000 models); a book loaded
    from the data cache carries a digest of its inputs, and equal inputs plan equal figures.
    """
    out = Path(out) if out is not None else OUT
    if not book.digest:
        return False
    try:
        if (out / INPUTS_FILE).read_text(encoding="utf-8") != _inputs_key(book):
            return False
        names = json.loads((out / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(p.exists() for n in names for p in _files(n, out).values())


def _cores() -> int:
    """Cores this process may use (the affinity mask, which containers narrow), else all."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _collect(results: Iterable[tuple[str, str, bytes, float]], out: Path, quiet: bool, together: bool = False) -> None:
    """Write each SVG as it arrives (or, ``together``, all once the last is drawn); print one
    line per figure once both variants are in."""
    seconds: dict[str, float] = {}
    held: list[tuple[Path, bytes]] = []
    for name, theme, data, took in results:
        if together:
            held.append((_files(name, out)[theme], data))
        else:
            _write_if_changed(_files(name, out)[theme], data)
        seconds[name] = seconds.get(name, 0.0) + took
        if not quiet and theme == THEMES[-1]:
            print(
                f"figure {name}: rendered light+dark in {seconds[name]:.2f} s",
                file=sys.stderr,
                flush=True,
            )
    for path, data in held:
        _write_if_changed(path, data)


def published_files(out: Path | None = None) -> list[Path]:
    """The files the site publishes under ``figures/`` (from the last render)."""
    out = Path(out) if out is not None else OUT
    index_file = out / "index.json"
    if not index_file.exists():
        return []
    names = json.loads(index_file.read_text(encoding="utf-8"))
    return [p for n in sorted(names) for p in _files(n, out).values() if p.exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data"), help="data directory (default: data/)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="parallel processes (default: one per core)",
    )
    parser.add_argument("--force", action="store_true", help="re-render every figure")
    parser.add_argument(
        "--together",
        action="store_true",
        help="write the figures only once all are drawn (under `mkdocs serve`: one rebuild, not one per figure)",
    )
    parser.add_argument("--out", default=str(OUT), help="output directory (default: .cache/figures)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        book = load(args.data, cache_dir=ROOT / ".cache" / "data")
        done = render_changed(book, jobs=args.jobs, force=args.force, out=Path(args.out), together=args.together)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    total = len(plan(book))
    print(
        f"{len(done)} figure(s) rendered, {total - len(done)} unchanged, {time.perf_counter() - start:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
