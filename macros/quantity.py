"""A computed number that remembers how it was computed.

A :class:`Q` holds a value, the kind that decides how it is written, the formula in
words and the sourced inputs it came from. Arithmetic between quantities (``a / b`` in
a chapter) keeps the provenance, so a ratio of two training budgets still shows, on
hover, the four disclosed numbers behind it and the least certain status among them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from . import dimensions as dims
from . import format as fmt
from . import ledger
from .cite import short_authors
from .errors import MacroError
from .records import STATUS_RANK

__all__ = ["Input", "MacroError", "Q", "inputs_of", "worst_status"]


_WRITTEN: dict[tuple, str] = {}


def written(value: float, kind: str) -> str:
    """``format.text(value, kind)``, remembered: a book writes the same values in many places
    (a model's parameters in a dozen chapters), and under serve a data edit changes few of them.
    The key tells 0.0 from -0.0 and 1 from 1.0, which compare equal but may be written apart."""
    if value != value:  # NaN equals nothing: never found again
        return fmt.text(value, kind)
    key = (kind, type(value), value, math.copysign(1.0, value) if isinstance(value, float) else 1.0)
    out = _WRITTEN.get(key)
    if out is None:
        if len(_WRITTEN) > 200_000:
            _WRITTEN.clear()
        out = _WRITTEN[key] = fmt.text(value, kind)
    return out


@dataclass(frozen=True)
class Input:
    """One sourced value a number depends on."""

    symbol: str  # e.g. "N (Llama 3 8B)"
    text: str  # e.g. "8.03 B"
    status: str
    source: str | None  # key into sources
    note: str | None = None


def worst_status(inputs: tuple[Input, ...]) -> str:
    if not inputs:
        return "disclosed"
    return max((i.status for i in inputs), key=STATUS_RANK.__getitem__)


def inputs_of(*qs: Q) -> tuple[Input, ...]:
    """The sourced inputs of several quantities, each once, in first-seen order."""
    return _merge(*(q.inputs for q in qs))


def _merge(*groups: tuple[Input, ...]) -> tuple[Input, ...]:
    seen: dict[tuple[str, str], Input] = {}
    for group in groups:
        for i in group:
            seen.setdefault((i.symbol, i.text), i)
    return tuple(seen.values())


AUTO = "auto"  # a quantity's dimension, when not given, is the one its kind's style writes


@dataclass(frozen=True, kw_only=True)
class Q:
    value: float | None
    kind: str
    label: str  # what it is, in words: "training compute of Llama 3 8B"
    formula: str = ""  # how, in words/symbols: "6 × N × D"
    inputs: tuple[Input, ...] = ()
    method: str | None = None  # anchor of the formula in the Methods appendix
    expr: str = ""  # how the chapter asked for it, for the ledger
    dim: dims.Dim | None | str = AUTO  # what it measures (macros/dimensions.py)

    def __post_init__(self) -> None:
        if self.dim == AUTO:
            try:
                object.__setattr__(self, "dim", dims.of_style(self.kind))
            except KeyError:
                raise MacroError(
                    f"no display style for kind {self.kind!r}; known: {', '.join(dims.STYLE_DIMENSIONS)}"
                ) from None

    @property
    def status(self) -> str:
        return worst_status(self.inputs)

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def text(self) -> str:
        if self.value is None:
            return "undisclosed"
        return written(self.value, self.kind)

    # -- presentation helpers a chapter may call --------------------------------------------
    def as_(self, kind: str) -> Q:
        """The same number written in another style that fits its dimension: ``q.as_('gib')``, ``q.as_('percent')``."""
        if kind not in dims.STYLE_DIMENSIONS:
            raise MacroError(
                f"{self.expr or self.label}.as_({kind!r}): no display style for kind {kind!r}; known: {', '.join(dims.STYLE_DIMENSIONS)}"
            )
        if not dims.fits(kind, self.dim):
            fitting = ", ".join(repr(s) for s in dims.styles_for(self.dim))
            raise MacroError(
                f"{self.expr or self.label}.as_({kind!r}): {self.label} is measured in {dims.name(self.dim)}, "
                f"but style {kind!r} writes {dims.name(dims.of_style(kind))}; styles that fit: {fitting}"
            )
        # Writing an unspecified quantity (a bare constant) in a style declares what it measures.
        dim = self.dim if self.dim is not None else dims.of_style(kind)
        return replace(self, kind=kind, dim=dim, expr=f"{self.expr}.as_({kind!r})")

    # -- arithmetic that keeps provenance --------------------------------------------------
    def _combine(self, other: object, op: str) -> Q:
        if isinstance(other, Q):
            a, b = self.value, other.value
            inputs = _merge(self.inputs, other.inputs)
            other_label, other_expr = other.label, other.expr
            same_kind = self.kind == other.kind
        else:
            raise MacroError(
                f"cannot combine {self.expr or self.label} with the literal {other!r}: "
                "numbers in chapters must come from data/ (use const(...))"
            )
        dim = self._dimension_of(other, op)
        if a is None or b is None:
            value = None
        elif op == "/":
            if b == 0:
                raise MacroError(f"division by zero: {self.expr} / {other_expr}")
            value = a / b
        elif op == "*":
            value = a * b
        elif op == "+":
            value = a + b
        else:
            value = a - b
        if op == "/" and same_kind:
            kind = "ratio"
        elif op in "+-" and same_kind or op == "*" and other.kind in ("ratio", "number"):
            kind = self.kind
        elif op == "*" and self.kind in ("ratio", "number"):
            kind = other.kind
        else:
            kind = "number"
        if not dims.fits(kind, dim):  # the style the old rule picked must still write what it measures
            kind = "number"
        symbol = {"/": "÷", "*": "×", "+": "+", "-": "−"}[op]
        return Q(
            value=value,
            kind=kind,
            label=f"{self.label} {symbol} {other_label}",
            formula=f"({self.label}) {symbol} ({other_label})",
            inputs=inputs,
            method=self.method or other.method,
            expr=f"({self.expr} {op} {other_expr})",
            dim=dim,
        )

    def _dimension_of(self, other: Q, op: str) -> dims.Dim | None:
        if op == "*":
            return dims.product(self.dim, other.dim)
        if op == "/":
            return dims.quotient(self.dim, other.dim)
        try:
            return dims.sum_of(self.dim, other.dim)
        except ValueError:
            verb = "add" if op == "+" else "subtract"
            raise MacroError(
                f"cannot {verb} {other.expr or other.label} ({dims.name(other.dim)}) "
                f"{'to' if op == '+' else 'from'} {self.expr or self.label} ({dims.name(self.dim)}): "
                "only quantities that measure the same thing add up; divide them for a ratio"
            ) from None

    def __truediv__(self, other: object) -> Q:
        return self._combine(other, "/")

    def __mul__(self, other: object) -> Q:
        return self._combine(other, "*")

    def __add__(self, other: object) -> Q:
        return self._combine(other, "+")

    def __sub__(self, other: object) -> Q:
        return self._combine(other, "-")

    def __rtruediv__(self, other: object) -> Q:
        raise MacroError(f"cannot divide the literal {other!r} by {self.expr}: use const(...)")

    __rmul__ = __mul__
    __radd__ = __add__

    # -- stored form (a chart's caption numbers travel from build_figures.py to the page) ------------
    def record(self) -> dict:
        """The quantity as JSON-ready data: :meth:`from_record` gives it back."""
        return {
            "value": self.value,
            "kind": self.kind,
            "label": self.label,
            "formula": self.formula,
            "inputs": [
                {"symbol": i.symbol, "text": i.text, "status": i.status, "source": i.source, "note": i.note}
                for i in self.inputs
            ],
            "method": self.method,
            "expr": self.expr,
        }

    @classmethod
    def from_record(cls, data: dict) -> Q:
        inputs = tuple(Input(**i) for i in data["inputs"])
        return cls(**{**data, "inputs": inputs})

    # -- output --------------------------------------------------------------------------------
    def tooltip(self, sources: dict | None = None) -> str:
        lines = [self.label[:1].upper() + self.label[1:] + (f" = {self.formula}" if self.formula else "")]
        for i in self.inputs:
            where = ""
            if i.source and sources and i.source in sources:
                s = sources[i.source]
                # A policy is the book's choice, not a source to cite (Data appendix, "conventions").
                where = "; the book's own choice" if s.kind == "policy" else f"; {short_authors(s.authors)}, {s.year}"
            note = f"; {i.note}" if i.note else ""
            lines.append(f"{i.symbol} = {i.text} ({i.status}{where}{note})")
        lines.append(f"Status: {self.status}")
        return "\n".join(lines)

    def __str__(self) -> str:  # what Jinja prints for {{ q }}
        return ledger.render(self)

    def __html__(self) -> str:
        return str(self)
