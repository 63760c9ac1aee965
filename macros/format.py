"""How a quantity is written: one style per kind, used by every chapter and export."""

from __future__ import annotations

import math

from . import units as u

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
SUFFIXES = ((u.TERA, "T"), (u.GIGA, "B"), (u.MEGA, "M"), (u.KILO, "K"))


def sig(x: float, digits: int = 3) -> str:
    """``x`` to ``digits`` significant digits, without trailing zeros or exponent."""
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{round(x, decimals - 0):,.{decimals}f}" if decimals else f"{round(x, decimals):,.0f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text


def count(x: float, digits: int = 3) -> str:
    """8030261248 → '8.03 B'; 117e6 → '117 M'; below a thousand, the number itself."""
    for scale, suffix in SUFFIXES:
        if abs(x) >= scale * 0.9995:
            return f"{sig(x / scale, digits)} {suffix}"
    return sig(x, digits)


def scientific(x: float, digits: int = 3) -> str:
    """3.15e23 → '3.15 × 10²³'."""
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(x)))
    mantissa = round(x / 10**exponent, digits - 1)
    if abs(mantissa) >= 10:
        mantissa /= 10
        exponent += 1
    return f"{sig(mantissa, digits)} × 10{str(exponent).translate(SUPERSCRIPT)}"


def ratio(x: float) -> str:
    """A multiplier: '94×', '2.3×', '0.52×'."""
    if abs(x) >= 10:
        return f"{x:,.0f}×"
    return f"{sig(x, 2)}×"


def percent(fraction: float) -> str:
    """0.654 -> '65 %'; 0.0654 -> '6.5 %'; 0.000033 -> '0.0033 %' (tiny shares keep two digits)."""
    value = fraction * 100
    if value != 0 and abs(value) < 1:
        return f"{sig(value, 2)} %"
    text = f"{value:.1f}" if abs(value) < 10 else f"{value:.0f}"
    return f"{text} %"


def bytes_(x: float, unit: str = "GB") -> str:
    scale = {"GB": u.GB, "GiB": u.GIB, "TB": u.TB, "MB": u.MB}[unit]
    return f"{sig(x / scale, 3)} {unit}"


def usd(x: float) -> str:
    for scale, suffix in ((u.BILLION, "billion"), (u.MILLION, "million")):
        if abs(x) >= scale:
            return f"${sig(x / scale, 3)} {suffix}"
    if abs(x) >= 1:
        return f"${sig(x, 3)}"
    return f"${x:.3g}"


def fraction(x: float) -> str:
    """0.25 -> '1/4' (unit fractions as fractions), 1 -> '1', anything else to three digits."""
    if x == 1:
        return "1"
    if 0 < x < 1 and abs(1 / x - round(1 / x)) < 1e-9:
        return f"1/{round(1 / x)}"
    return sig(x)


def bytes_auto(x: float) -> str:
    """Bytes in the largest decimal unit that keeps the number at least one: '516 KB', '1.06 GB'."""
    for scale, unit in ((u.TB, "TB"), (u.GB, "GB"), (u.MB, "MB"), (u.KB, "KB")):
        if abs(x) >= scale:
            return f"{sig(x / scale, 3)} {unit}"
    return f"{sig(x, 3)} bytes"


def integer(x: float) -> str:
    return f"{round(x):,}"


def plain(x: float, digits: int = 3) -> str:
    if x != 0 and (abs(x) >= u.MILLION or abs(x) < 1e-3):
        return scientific(x, digits)
    return sig(x, digits)


STYLES = {
    "params": lambda x: count(x),
    "tokens": lambda x: count(x),
    "count": lambda x: count(x),
    "flop": lambda x: f"{scientific(x)} FLOP",
    "bytes": lambda x: bytes_(x, "GB"),
    "gib": lambda x: bytes_(x, "GiB"),
    "ratio": ratio,
    "percent": percent,
    "usd": usd,
    "usd_per_hour": lambda x: f"{usd(x)} per GPU-hour",
    "usd_per_mtok": lambda x: f"{usd(x)} per million tokens",
    "gpu_hours": lambda x: f"{count(x)} GPU-hours",
    "days": lambda x: f"{sig(x, 3)} days",
    "integer": integer,
    "gpus": integer,
    "tflops": lambda x: f"{integer(x) if x >= 100 else sig(x, 3)} TFLOP/s",
    "tb_per_s": lambda x: f"{sig(x, 3)} TB/s",
    "gb": lambda x: f"{sig(x, 3)} GB",
    "tokens_per_s": lambda x: f"{sig(x, 2) if x < 10 else integer(x)} tokens/s",
    "loss": lambda x: f"{x:.3f}",
    "exponent": lambda x: f"{x:.3g}",
    "number": plain,
    "probability": lambda x: f"{x * 100:.0f} %",
    "year": lambda x: f"{round(x)}",
    "decimal": lambda x: f"{x:.1f}",  # one decimal: orders of magnitude, "4.2"
    # economics chapters
    "sparsity": lambda x: f"1:{sig(x, 2) if x < 10 else integer(x)}",
    "fraction": fraction,
    "ms": lambda x: f"{sig(x * u.MS_PER_S, 3)} ms",
    "bytes_small": lambda x: bytes_auto(x),
    "decimal_2": lambda x: f"{x:.2f}",
}


def text(value: float, kind: str) -> str:
    try:
        style = STYLES[kind]
    except KeyError:
        raise ValueError(f"no display style for kind {kind!r}; known: {', '.join(STYLES)}") from None
    return style(value)
