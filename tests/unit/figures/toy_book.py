"""Invented models and edited copies of the book, for the chart modules' unit tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import MappingProxyType

from macros.data import Book, Model, Value


def v(value: float | None, status: str = "disclosed") -> Value:
    """A value with a status (``None``: undisclosed)."""
    return Value(value=value, status="undisclosed" if value is None else status, source="book-policy")


def toy_model(mid: str, released: str, params: float | None, tokens: float | None, status="disclosed", **kw) -> Model:
    """An invented dense model (keyword arguments override any field)."""
    fields = dict(
        id=mid, name=mid.upper(), family="Toy", org="Test", released=dt.date.fromisoformat(released),
        open_weights=True, params=v(params, status), tokens=v(tokens, status), active_params=None,
        reported_train_flops=None, gpu_hours=None, gpus=None, reported_cost_usd=None, train_hardware=None,
        note=None, arch=None, arch_source=None, arch_status=None,
    )  # fmt: skip
    return Model(**(fields | kw))


def with_models(book: Book, *models: Model, only: bool = False) -> Book:
    """``book`` with ``models`` added or replaced (``only``: instead of all its own)."""
    base = {} if only else dict(book.models)
    return replace(book, models=MappingProxyType(base | {m.id: m for m in models}), digest="")


def edit(book: Book, model_id: str, **fields) -> Book:
    """``book`` with some fields of one model replaced."""
    return with_models(book, replace(book.models[model_id], **fields))
