"""``era(model)`` and ``era_start(slug)``: the eras of scaling, by release year (rule in :mod:`macros.derive`)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import derive
from ..errors import MacroError
from ..quantity import Q
from .base import Vocabulary, const_q, word
from .models import ModelView, view


@dataclass(frozen=True)
class Era:
    key: str
    name: str
    short: str  # one word, for tables
    start: Q

    def __str__(self) -> str:
        return self.name


def _start(v: Vocabulary, era: derive.Era) -> Q:
    return const_q(v.book, era.start_key).as_("year")


@word
def era(v: Vocabulary, model: str | ModelView) -> Era:
    """The era of scaling a model belongs to, by its release year and the eras' first years."""
    m = view(v, model)
    starts = [_start(v, e) for e in derive.ERAS]  # each a known constant, or the chapter's one-line error
    e = derive.era(v.book, m.m)
    return Era(key=e.slug, name=e.name, short=e.short, start=starts[derive.ERAS.index(e)])


@word
def era_start(v: Vocabulary, slug: str) -> Q:
    """The first year of an era ('bigger', 'balance', 'overtrain')."""
    for e in derive.ERAS:
        if e.slug == slug:
            return _start(v, e)
    raise MacroError(f"unknown era {slug!r}; use one of {', '.join(e.slug for e in derive.ERAS)}")
