"""What each display style measures: the one table of dimensions, and their products and quotients.

A quantity's dimension decides which display styles may write it (``q.as_('usd')`` on a parameter
count is refused) and which sums make sense (parameters + bytes is refused). A dimension is a
tuple of ``(unit, exponent)`` pairs, sorted; ``()`` is a pure number (a ratio, a share, a count of
anything). The units are the ones the styles' values are held in: a ``days`` quantity holds days
and a ``ms`` quantity holds seconds, so the two are different dimensions and cannot be added.

``None`` is an unspecified dimension: a constant of ``data/constants.toml`` whose unit is free text
(``"x"``) used without a style, and whatever is computed from one. Writing it in a style declares
its dimension. A constant whose unit names one (:data:`UNIT_DIMENSIONS`) carries it.
"""

from __future__ import annotations

Dim = tuple[tuple[str, int], ...]

DIMENSIONLESS: Dim = ()


def _d(**units: int) -> Dim:
    return tuple(sorted(units.items()))


# Every display style of macros/format.py, and what its value measures.
STYLE_DIMENSIONS: dict[str, Dim | None] = {
    "params": _d(parameters=1),
    "tokens": _d(tokens=1),
    "count": DIMENSIONLESS,
    "integer": DIMENSIONLESS,
    "gpus": _d(GPUs=1),
    "flop": _d(FLOP=1),
    "bytes": _d(bytes=1),
    "gib": _d(bytes=1),
    "bytes_small": _d(bytes=1),
    "gb": _d(GB=1),
    "tb_per_s": _d(TB=1, s=-1),
    "tflops": _d(TFLOP=1, s=-1),
    "usd": _d(USD=1),
    "usd_per_hour": _d(USD=1, GPUs=-1, hours=-1),
    "usd_per_mtok": _d(USD=1, Mtokens=-1),
    "usd_per_mtok_cell": _d(USD=1, Mtokens=-1),
    "gpu_hours": _d(GPUs=1, hours=1),
    "days": _d(days=1),
    "ms": _d(s=1),
    "tokens_per_s": _d(tokens=1, s=-1),
    "loss": _d(nats=1),
    "year": _d(years=1),
    "ratio": DIMENSIONLESS,
    "percent": DIMENSIONLESS,
    "fraction": DIMENSIONLESS,
    "probability": DIMENSIONLESS,
    "sparsity": DIMENSIONLESS,
    "decimal": DIMENSIONLESS,
    "decimal_2": DIMENSIONLESS,
    "exponent": DIMENSIONLESS,
    "number": None,  # plain digits: any quantity may be written this way; it declares nothing
}


# The ``unit`` of a constant in data/constants.toml, where it names one dimension unambiguously;
# any other unit ("x", "GPUs per model replica", "H800 GPU-hours") leaves the constant unspecified.
UNIT_DIMENSIONS: dict[str, Dim] = {
    "USD": _d(USD=1),
    "USD/GPU-hour": _d(USD=1, GPUs=-1, hours=-1),
    "USD per 1M output tokens": _d(USD=1, Mtokens=-1),
    "FLOP": _d(FLOP=1),
    "parameters": _d(parameters=1),
    "tokens": _d(tokens=1),
    "tokens/param": _d(tokens=1, parameters=-1),
    "output tokens/s per user": _d(tokens=1, s=-1),
    "days": _d(days=1),
    "year": _d(years=1),
    "nats/token": _d(nats=1),
    "exponent": DIMENSIONLESS,
    "fraction": DIMENSIONLESS,
    "probability": DIMENSIONLESS,
}


def of_unit(unit: str) -> Dim | None:
    """The dimension a constant's unit names, or None (unspecified: its first style declares it)."""
    return UNIT_DIMENSIONS.get(unit.strip())


def of_style(style: str) -> Dim | None:
    """The dimension a style writes (``KeyError`` for an unknown style)."""
    return STYLE_DIMENSIONS[style]


def name(dim: Dim | None) -> str:
    """``(('GPUs', -1), ('USD', 1), ('hours', -1))`` → ``'USD/(GPUs·hours)'``; ``()`` → ``'a pure number'``."""
    if dim is None:
        return "unspecified"
    if not dim:
        return "a pure number"

    def part(units: list[str]) -> str:
        return "·".join(units)

    up = [u if e == 1 else f"{u}^{e}" for u, e in dim if e > 0]
    down = [u if e == -1 else f"{u}^{-e}" for u, e in dim if e < 0]
    top = part(up) or "1"
    if not down:
        return top
    return f"{top}/{down[0]}" if len(down) == 1 else f"{top}/({part(down)})"


def styles_for(dim: Dim | None) -> list[str]:
    """The styles that may write a quantity of this dimension, in table order."""
    return [s for s, d in STYLE_DIMENSIONS.items() if dim is None or d is None or d == dim]


def fits(style: str, dim: Dim | None) -> bool:
    target = of_style(style)
    return dim is None or target is None or target == dim


def _combine(a: Dim, b: Dim, sign: int) -> Dim:
    out: dict[str, int] = dict(a)
    for unit, e in b:
        out[unit] = out.get(unit, 0) + sign * e
    return tuple(sorted((u, e) for u, e in out.items() if e))


def product(a: Dim | None, b: Dim | None) -> Dim | None:
    """The dimension of ``a × b`` (unspecified if either is)."""
    return None if a is None or b is None else _combine(a, b, 1)


def quotient(a: Dim | None, b: Dim | None) -> Dim | None:
    """The dimension of ``a ÷ b``: like over like is a pure number."""
    return None if a is None or b is None else _combine(a, b, -1)


def sum_of(a: Dim | None, b: Dim | None) -> Dim | None:
    """The dimension of ``a ± b``; ``ValueError`` when the two measure different things."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    raise ValueError(f"{name(a)} and {name(b)} measure different things")
