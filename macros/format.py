"""How a quantity is written: one style per kind, used by every chapter and export.

The browser runs this module itself: :mod:`macros.jsformat` compiles it to JavaScript with
pscript (``window.book.format``). So it is written with what pscript compiles faithfully:
numbers are rounded by :func:`fixed` and :func:`general`, which do what Python's format specs
``,.Nf`` and ``.Ng`` (and ``round``) do, on the exact decimal expansion of the double, half to
even, with small-integer arithmetic only (exact in both languages), instead of f-string specs
and ``round()``, which pscript translates to ``toFixed`` and ``Math.round`` (ties rounded up).
``tests/unit/test_format.py`` checks both against Python's own specs; the browser parity test
compares the compiled functions with these on generated values.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from . import units as u

DIGITS = "0123456789"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUFFIXES = ((u.TERA, "T"), (u.GIGA, "B"), (u.MEGA, "M"), (u.KILO, "K"))
TWO_POW_53 = 9007199254740992.0  # doubles at or above it are even whole numbers
LIMB = 1000000  # six decimal digits a limb
FIVES = tuple(5**k for k in range(14))  # 5**13 times a limb plus a carry stays below 2**53
TWOS = tuple(2**k for k in range(21))


def _times(limbs: list[int], factor: int) -> None:
    """``limbs`` (base 10⁶, most significant first) times ``factor`` (at most 5**13), in place."""
    carry = 0
    i = len(limbs) - 1
    while i >= 0:
        v = limbs[i] * factor + carry
        r = v % LIMB
        limbs[i] = r
        carry = int((v - r) / LIMB)  # exact: a multiple of 10⁶ below 2**53, divided by 10⁶
        i -= 1
    while carry > 0:
        r = carry % LIMB
        limbs.insert(0, r)
        carry = int((carry - r) / LIMB)


def _zeros(n: int) -> str:
    return "0" * n if n > 0 else ""


def _exact(x: float) -> tuple[str, int]:
    """|x| (finite, non-zero) exactly, as digits d and a point p: |x| = 0.d₁d₂d₃… × 10^p."""
    y = abs(x)
    twos = 0
    while y != math.floor(y):  # doubling is exact: y = m · 2^twos with m a whole number
        y = y * 256
        twos -= 8
    while twos < 0 and y % 2 == 0:
        y = y / 2
        twos += 1
    while y >= TWO_POW_53:
        y = y / 2
        twos += 1
    n = int(y)
    limbs = []
    while n > 0:
        r = n % LIMB
        limbs.insert(0, r)
        n = int((n - r) / LIMB)
    fives = 0
    while twos > 0:
        step = min(twos, 20)
        _times(limbs, TWOS[step])
        twos -= step
    while twos < 0:  # m / 2^k = m · 5^k / 10^k
        step = min(-twos, 13)
        _times(limbs, FIVES[step])
        fives += step
        twos += step
    digits = str(limbs[0])
    for limb in limbs[1:]:
        text = str(limb)
        digits += _zeros(6 - len(text)) + text
    return digits, len(digits) - fives


def _rounded(digits: str, point: int, keep: int) -> tuple[str, int]:
    """0.d × 10^point rounded half to even to its first ``keep`` digits (none when keep ≤ 0)."""
    if keep < 0:
        return "", point
    kept = digits[:keep]
    kept += _zeros(keep - len(kept))
    rest = digits[keep:]
    first = rest[:1]
    odd = kept[len(kept) - 1 :] in ("1", "3", "5", "7", "9")
    if first > "5" or (first == "5" and (rest[1:].lstrip("0") != "" or odd)):
        i = len(kept) - 1
        while i >= 0 and kept[i] == "9":
            i -= 1
        if i < 0:  # every digit carried (or none kept): one more place before the point
            return "1" + _zeros(len(kept)), point + 1
        kept = kept[:i] + DIGITS[DIGITS.index(kept[i]) + 1] + _zeros(len(kept) - i - 1)
    return kept, point


def _grouped(whole: str) -> str:
    out = ""
    for i in range(len(whole)):
        if i > 0 and (len(whole) - i) % 3 == 0:
            out += ","
        out += whole[i]
    return out


def _special(x: float) -> str:
    """Python's text for nan and ±inf, or '' for a finite number."""
    if x != x:
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return ""


def fixed(x: float, decimals: int, group: bool = False) -> str:
    """``f"{x:.{decimals}f}"`` (with ``group``, ``f"{x:,.{decimals}f}"``): the exact value, rounded half to even."""
    if _special(x) != "":
        return _special(x)
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    body, point = "", 1
    if x != 0:
        digits, point = _exact(x)
        body, point = _rounded(digits, point, point + decimals)
    if point < 1:
        body = _zeros(1 - point) + body
        point = 1
    body += _zeros(point + decimals - len(body))
    whole = body[:point].lstrip("0")
    if whole == "":
        whole = "0"
    if group:
        whole = _grouped(whole)
    return sign + whole + ("." + body[point : point + decimals] if decimals > 0 else "")


def general(x: float, precision: int) -> str:
    """``f"{x:.{precision}g}"``: ``precision`` significant digits, fixed or with an exponent, no trailing zeros."""
    if _special(x) != "":
        return _special(x)
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    if x == 0:
        return sign + "0"
    digits, point = _exact(x)
    kept, point = _rounded(digits, point, precision)
    exponent = point - 1
    if exponent >= -4 and exponent < precision:
        text = fixed(x, precision - 1 - exponent)
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa = (kept[:1] + "." + kept[1:precision]).rstrip("0").rstrip(".")
    power = str(abs(exponent))
    return sign + mantissa + "e" + ("-" if exponent < 0 else "+") + _zeros(2 - len(power)) + power


def round_to(x: float, decimals: int) -> float:
    """``round(x, decimals)``: the double nearest the exact value rounded half to even."""
    return float(fixed(x, decimals))


def whole(x: float) -> str:
    """``str(round(x))``: the nearest whole number, ties to even, without a sign on zero."""
    text = fixed(x, 0)
    return "0" if text == "-0" else text


def superscript(n: int) -> str:
    """-23 → '⁻²³'."""
    out = "⁻" if n < 0 else ""
    for c in str(abs(n)):
        out += SUPERSCRIPT_DIGITS[DIGITS.index(c)]
    return out


def sig(x: float, digits: int = 3) -> str:
    """``x`` to ``digits`` significant digits, without trailing zeros or exponent."""
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - magnitude)
    # Was f"{round(x, decimals):,.{decimals}f}": the same text, as the double nearest a number of at
    # most ``digits`` significant digits (or a whole number) prints back as that number.
    text = fixed(x, decimals, True)
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text


def count(x: float, digits: int = 3) -> str:
    """8030261248 → '8.03 B'; 117e6 → '117 M'; below a thousand, the number itself."""
    for scale, suffix in SUFFIXES:
        if abs(x) >= scale * 0.9995:
            return sig(x / scale, digits) + " " + suffix
    return sig(x, digits)


def _ten(exponent: int) -> float:
    """10^exponent as the nearest double (as Python's ``x / 10**n`` divides by)."""
    return float("1e" + str(exponent))


def scientific(x: float, digits: int = 3) -> str:
    """3.15e23 → '3.15 × 10²³'."""
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(x)))
    mantissa = round_to(x / _ten(exponent), digits - 1)
    if abs(mantissa) >= 10:
        mantissa /= 10
        exponent += 1
    return sig(mantissa, digits) + " × 10" + superscript(exponent)


def ratio(x: float) -> str:
    """A multiplier: '94×', '2.3×', '0.52×'."""
    if abs(x) >= 10:
        return fixed(x, 0, True) + "×"
    return sig(x, 2) + "×"


def percent(fraction: float) -> str:
    """0.654 -> '65 %'; 0.0654 -> '6.5 %'; 0.000033 -> '0.0033 %' (tiny shares keep two digits)."""
    value = fraction * 100
    if value != 0 and abs(value) < 1:
        return sig(value, 2) + " %"
    return (fixed(value, 1) if abs(value) < 10 else fixed(value, 0)) + " %"


def bytes_(x: float, unit: str = "GB") -> str:
    scale = {"GB": u.GB, "GiB": u.GIB, "TB": u.TB, "MB": u.MB}[unit]
    return sig(x / scale, 3) + " " + unit


def usd(x: float) -> str:
    if abs(x) >= u.BILLION:
        return "$" + sig(x / u.BILLION, 3) + " billion"
    if abs(x) >= u.MILLION:
        return "$" + sig(x / u.MILLION, 3) + " million"
    if abs(x) >= 1:
        return "$" + sig(x, 3)
    return "$" + general(x, 3)


def fraction(x: float) -> str:
    """0.25 -> '1/4' (unit fractions as fractions), 1 -> '1', anything else to three digits."""
    if x == 1:
        return "1"
    if 0 < x < 1 and abs(1 / x - round_to(1 / x, 0)) < 1e-9:
        return "1/" + whole(1 / x)
    return sig(x)


def bytes_auto(x: float) -> str:
    """Bytes in the largest decimal unit that keeps the number at least one: '516 KB', '1.06 GB'."""
    for scale, unit in ((u.TB, "TB"), (u.GB, "GB"), (u.MB, "MB"), (u.KB, "KB")):
        if abs(x) >= scale:
            return sig(x / scale, 3) + " " + unit
    return sig(x, 3) + " bytes"


def integer(x: float) -> str:
    text = fixed(x, 0, True)
    return "0" if text == "-0" else text


def plain(x: float, digits: int = 3) -> str:
    if x != 0 and (abs(x) >= u.MILLION or abs(x) < 1e-3):
        return scientific(x, digits)
    return sig(x, digits)


def styles() -> dict[str, Callable[[float], str]]:
    """The display style of each kind of quantity."""
    return {
        "params": lambda x: count(x),
        "tokens": lambda x: count(x),
        "count": lambda x: count(x),
        "flop": lambda x: scientific(x) + " FLOP",
        "bytes": lambda x: bytes_(x, "GB"),
        "gib": lambda x: bytes_(x, "GiB"),
        "ratio": ratio,
        "percent": percent,
        "usd": usd,
        "usd_per_hour": lambda x: usd(x) + " per GPU-hour",
        "usd_per_mtok": lambda x: usd(x) + " per million tokens",
        "usd_per_mtok_cell": usd,  # the same price in a column headed "per million tokens"
        "gpu_hours": lambda x: count(x) + " GPU-hours",
        "days": lambda x: sig(x, 3) + " days",
        "integer": integer,
        "gpus": integer,
        "tflops": lambda x: (integer(x) if x >= 100 else sig(x, 3)) + " TFLOP/s",
        "tb_per_s": lambda x: sig(x, 3) + " TB/s",
        "gb": lambda x: sig(x, 3) + " GB",
        "tokens_per_s": lambda x: (sig(x, 2) if x < 10 else integer(x)) + " tokens/s",
        "loss": lambda x: fixed(x, 3),
        "exponent": lambda x: general(x, 3),
        "number": lambda x: plain(x),
        "probability": lambda x: fixed(x * 100, 0) + " %",
        "year": whole,
        "decimal": lambda x: fixed(x, 1),  # one decimal: orders of magnitude, "4.2"
        # economics chapters
        "sparsity": lambda x: "1:" + (sig(x, 2) if x < 10 else integer(x)),
        "fraction": fraction,
        "ms": lambda x: sig(x * u.MS_PER_S, 3) + " ms",
        "bytes_small": lambda x: bytes_auto(x),
        "decimal_2": lambda x: fixed(x, 2),
    }


def text(value: float, kind: str) -> str:
    known = styles()
    if kind not in known:
        raise ValueError("no display style for kind '" + kind + "'; known: " + ", ".join(list(known.keys())))
    return known[kind](value)
