"""The chapter words bound to the toy book, called as a chapter calls them: ``w.model('dense')``."""

from __future__ import annotations

from types import SimpleNamespace

from macros.quantity import Q
from macros.vocab import Vocabulary, bind
from tests.unit.toybook import book


def words(**drop: bool) -> SimpleNamespace:
    return SimpleNamespace(**bind(Vocabulary(book(**drop))))


def q(value: float, kind: str = "number", expr: str = "q") -> Q:
    """A quantity as a chapter would pass one (its provenance does not matter here)."""
    return Q(value=value, kind=kind, label=expr, expr=expr)
