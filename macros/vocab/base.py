"""The vocabulary's registry (the ``@word`` decorator), its binding to one book, and shared helpers.

A word is a function whose first argument is the build's :class:`Vocabulary`; ``@word``
registers it under its name and :func:`bind` gives Jinja the functions bound to one book.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .. import dimensions as dims
from .. import format as fmt
from ..cite import cite_link
from ..errors import MacroError
from ..quantity import Input, Q, written
from ..records import Book, Constant, Hardware, Value

WORDS: dict[str, Callable[..., Any]] = {}
PRECISION_NAMES = {"fp32": "FP32", "bf16": "BF16", "fp8": "FP8", "int4": "INT4"}


def word(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``fn`` (first argument: the :class:`Vocabulary`) as the chapter word of its name."""
    if fn.__name__ in WORDS:
        raise ValueError(f"two chapter words named {fn.__name__!r}")
    WORDS[fn.__name__] = fn
    return fn


class Vocabulary:
    """The loaded book a build's words read, and the model views made so far."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.views: dict[str, Any] = {}


def bind(vocab: Vocabulary) -> dict[str, Callable[..., Any]]:
    """Every registered word, bound to one build's vocabulary: what the bridge gives Jinja."""
    return {name: functools.partial(fn, vocab) for name, fn in WORDS.items()}


# --- shared helpers ---------------------------------------------------------------------------
def known(*qs: Q) -> bool:
    return all(q.value is not None for q in qs)


def stated(v: Value, kind: str, label: str, symbol: str, expr: str) -> Q:
    """A value as the data states it: its one input is itself."""
    text = "undisclosed" if v.value is None else written(v.value, kind)
    source = Input(symbol=symbol, text=text, status=v.status, source=v.source, note=v.note)
    return Q(value=v.value, kind=kind, label=label, inputs=(source,), expr=expr)


def check_precision(precision: str, known_ones: Any) -> None:
    if precision not in known_ones:
        raise MacroError(f"unknown precision {precision!r}; use one of {', '.join(known_ones)}")


def hardware(book: Book, hardware_id: str) -> Hardware:
    if not isinstance(hardware_id, str):
        raise MacroError(
            f"hw(...) takes an accelerator id in quotes, like hw('h100-sxm'); got {type(hardware_id).__name__}"
        )
    try:
        return book.hardware[hardware_id]
    except KeyError:
        raise MacroError(f"unknown hardware id {hardware_id!r}") from None


def const_q(book: Book, key: str) -> Q:
    """A constant of ``data/constants.toml`` as a quantity whose one input is itself."""
    if not isinstance(key, str):
        raise MacroError(f"const(...) takes a constant's key in quotes; got {type(key).__name__}")
    try:
        c: Constant = book.constants[key]
    except KeyError:
        raise MacroError(f"unknown constant {key!r} (not in data/constants.toml)") from None
    source = Input(
        symbol=c.label,
        text=f"{fmt.plain(c.value)} {c.unit}".strip(),
        status=c.status,
        source=c.source,
        note=c.note,
    )
    return Q(
        value=c.value, kind="number", label=c.label, inputs=(source,), expr=f"const({key!r})", dim=dims.of_unit(c.unit)
    )


def whole_const_q(book: Book, key: str) -> tuple[int, Q]:
    """A constant that counts something, as a whole number and as a quantity."""
    q = const_q(book, key)
    if q.value is None or q.value < 1 or q.value != int(q.value):
        raise MacroError(f"data/constants.toml: constant {key!r}, field 'value': must be a whole number >= 1")
    return int(q.value), q


# --- words every chapter uses -------------------------------------------------------------------
@word
def const(v: Vocabulary, key: str, kind: str = "number") -> Q:
    """``const('chinchilla_tokens_per_param')``: a constant, optionally written in another style."""
    q = const_q(v.book, key)
    return q.as_(kind) if kind != "number" else q


@word
def ratio(v: Vocabulary, a: Q, b: Q) -> Q:
    """``ratio(a, b)``: a ÷ b, keeping the provenance of both."""
    return a / b


COUNTED = {"models": ("models", "data/models.toml"), "hardware": ("accelerators", "data/hardware.toml")}


@word
def count(v: Vocabulary, table: str) -> Q:
    """``count('models')``: how many entries a data table holds, as a quantity (a page prints no bare count)."""
    if table not in COUNTED:
        raise MacroError(f"count({table!r}): can count {', '.join(repr(t) for t in COUNTED)}")
    n = len(list(getattr(v.book, table)))  # iterating reads every entry: a reproduce bundle keeps them all
    what, file = COUNTED[table]
    source = Input(symbol=f"entries of {file}", text=fmt.text(n, "integer"), status="disclosed", source=None)
    return Q(
        value=float(n), kind="integer", label=f"number of {what} in {file}", inputs=(source,), expr=f"count({table!r})"
    )


@word
def source_year(v: Vocabulary, key: str) -> str:
    """``source_year('hoffmann2022')``: the year a source appeared, as text (part of a reference, not a quantity)."""
    try:
        return str(v.book.sources[key].year)
    except KeyError:
        raise MacroError(f"unknown source {key!r} (not in data/sources.toml)") from None


@word
def cite(v: Vocabulary, key: str) -> str:
    """``cite('hoffmann2022')``: a short in-text citation linked to the source."""
    return cite_link(v.book, key)
