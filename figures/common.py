"""Planning helpers several charts share: reading constants and values from the book, and wording captions.

No matplotlib here. The helpers marked "derive layer" are copies of what the chapter vocabulary
computes; they are to be replaced by ``macros/derive.py`` (issue 11), not extended.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from macros import format as fmt
from macros import formulas as f
from macros.data import STATUS_RANK, Book, DataError, Model

GB, TB, TERA = 1e9, 1e12, 1e12  # unit definitions (to move to the loader: issue 11)
CURVE_POINTS = 48  # samples along each analytic curve (drawing resolution)
# The serving set-up of the economics chapter: the same defaults as `serving()` in
# macros/vocab_economics.py. To be replaced by the derive layer.
SERVING = {
    "model": "gpt-4",
    "hardware": "h200-sxm",
    "precision": "fp8",
    "kv_model": "llama-3.1-405b",
    "kv_precision": "bf16",
    "price": "h200_price_per_gpu_hour",
}


# --- reading the book ----------------------------------------------------------------------------
def least_certain(*statuses: str) -> str:
    """The least certain of several statuses (a derived value takes the weakest of its inputs)."""
    return max(statuses, key=lambda s: STATUS_RANK[s])


def const(book: Book, key: str) -> float:
    """A constant's value; a missing one is one line naming file and key. (Derive layer.)"""
    try:
        return book.constants[key].value
    except KeyError:
        raise DataError(f"data/constants.toml: constant {key!r} is missing (build_figures.py needs it)") from None


def int_const(book: Book, key: str) -> int:
    """A constant that must be a whole number >= 1. (Derive layer.)"""
    value = const(book, key)
    if value < 1 or value != int(value):
        raise DataError(f"data/constants.toml: constant {key!r}, field 'value': must be a whole number >= 1")
    return int(value)


def fit(book: Book, prefix: str = "chinchilla") -> f.LossFit:
    """A Chinchilla-form loss fit from the five constants ``{prefix}_e`` … ``{prefix}_beta``. (Derive layer.)"""
    return f.LossFit(*(const(book, f"{prefix}_{k}") for k in ("e", "a", "b", "alpha", "beta")))


def known(v) -> bool:
    """Whether a value is present and disclosed enough to plot (not absent, not undisclosed)."""
    return v is not None and v.value is not None


def active(m: Model):
    """The parameters that work on each token: the active ones of a mixture of experts, else all."""
    return m.active_params if known(m.active_params) else m.params


def by_date(book: Book) -> list[Model]:
    """Every model, oldest first (ties by id)."""
    return sorted(book.models.values(), key=lambda m: (m.released, m.id))


def data_models(book: Book) -> list[tuple[Model, float, float, str]]:
    """Models with known (active) parameters and tokens: (model, N, D, least certain status)."""
    out = []
    for m in by_date(book):
        n = active(m)
        if known(n) and known(m.tokens):
            out.append((m, n.value, m.tokens.value, least_certain(n.status, m.tokens.status)))
    return out


def logspace(lo: float, hi: float, n: int = CURVE_POINTS) -> list[float]:
    """``n`` points from ``lo`` to ``hi``, evenly spaced on a log scale."""
    a, b = math.log10(lo), math.log10(hi)
    return [10 ** (a + (b - a) * i / (n - 1)) for i in range(n)]


def serving_frontiers(book: Book) -> list[tuple[float, float, float, list[f.DecodePoint]]]:
    """(scale, total, active, Pareto frontier) for the GPT-4-sized model and its halvings. (Derive layer.)

    Mirrors ``serving()`` in the economics vocabulary: the same constants, the same grid of
    powers of two, the KV cache of a reference architecture at a fixed context length.
    """
    s = SERVING
    base = book.models[s["model"]]
    hw = book.hardware[s["hardware"]]
    kv_arch = book.models[s["kv_model"]].arch
    if not (known(base.params) and known(active(base)) and kv_arch is not None):
        return []
    kv_token = f.kv_cache_bytes_per_token(kv_arch, f.BYTES_PER_PARAM[s["kv_precision"]])
    kwargs = {
        "bytes_per_param": f.BYTES_PER_PARAM[s["precision"]],
        "kv_bytes_per_sequence": kv_token * const(book, "decode_context_tokens"),
        "gpu_memory_bytes": hw.memory.value * GB,
        "gpu_bandwidth_bytes_per_s": hw.bandwidth.value * TB,
        "gpu_peak_flop_per_s": hw.peak[s["precision"]].value * TERA,
        "usd_per_gpu_hour": const(book, s["price"]),
        "utilization": const(book, "decode_utilisation"),
    }
    gpus = f.powers_of_two(int_const(book, "decode_gpus_max"))
    batches = f.powers_of_two(int_const(book, "decode_batch_max"))
    out = []
    for k in range(int_const(book, "decode_shrink_steps") + 1):
        scale = 0.5**k  # one halving per step (the constant counts halvings)
        total, act = base.params.value * scale, active(base).value * scale
        points = f.decode_sweep(gpu_counts=gpus, batches=batches, total_params=total, active_params=act, **kwargs)
        out.append((scale, total, act, f.pareto_frontier(points)))
    return out


# --- wording captions and alt text ----------------------------------------------------------------
ORDINALS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def orders(ratio: float) -> str:
    """A ratio in words, rounded to whole orders of magnitude: 1,200 -> 'three orders of magnitude'."""
    n = round(math.log10(ratio))
    return f"{ORDINALS.get(n, str(n))} order{'s' if n != 1 else ''} of magnitude"


def names(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'; 'none' for nothing."""
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def flag(status: str) -> str:
    """' (rumored)' after a value that is not disclosed; nothing after one that is."""
    return "" if status == "disclosed" else f" ({status})"


def round_sig(x: float, digits: int = 2) -> str:
    """``x`` to ``digits`` significant digits also above the decimal point: 22,222 -> '22,000'."""
    if x == 0:
        return "0"
    return fmt.sig(round(x, digits - 1 - math.floor(math.log10(abs(x)))), digits)


def times(x: float) -> str:
    """A multiplier to two significant digits: 15,385 -> '15,000×', 7.14 -> '7.1×'."""
    return f"{round_sig(x)}×"


def share(x: float) -> str:
    """A fraction as a percentage without the space: 0.123 -> '12.3%' (as :func:`macros.format.percent`)."""
    return fmt.percent(x).replace(" %", "%")
