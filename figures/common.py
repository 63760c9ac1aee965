"""Planning helpers several charts share: which models a chart can plot, curve sampling, names in captions.

No matplotlib here, and no derivation: every figure of a model, an accelerator or a constant comes
from :mod:`macros.derive`, the one place the book computes them (chapters and exports use it too).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from macros import derive
from macros.data import Book, Model

CURVE_POINTS = 48  # samples along each analytic curve (drawing resolution)
least_certain = derive.least_certain  # a derived value takes the weakest status of its inputs


# --- reading the book ----------------------------------------------------------------------------
def known(v) -> bool:
    """Whether a value is present and disclosed enough to plot (not absent, not undisclosed)."""
    return v is not None and v.value is not None


def by_date(book: Book) -> list[Model]:
    """Every model, oldest first (ties by id)."""
    return sorted(book.models.values(), key=lambda m: (m.released, m.id))


def data_models(book: Book) -> list[tuple[Model, derive.ModelValues]]:
    """Models with known (active) parameters and tokens, oldest first, with their derived figures."""
    out = []
    for m in by_date(book):
        values = derive.model_values(book, m)
        if values.active_params is not None and values.tokens is not None:
            out.append((m, values))
    return out


def logspace(lo: float, hi: float, n: int = CURVE_POINTS) -> list[float]:
    """``n`` points from ``lo`` to ``hi``, evenly spaced on a log scale."""
    a, b = math.log10(lo), math.log10(hi)
    return [10 ** (a + (b - a) * i / (n - 1)) for i in range(n)]


# --- wording captions and alt text ----------------------------------------------------------------
def names(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'; 'none' for nothing."""
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def flag(status: str) -> str:
    """' (rumored)' after a value that is not disclosed; nothing after one that is."""
    return "" if status == "disclosed" else f" ({status})"
