"""Captions and alt texts written from the chapters' quantities: the words a chart says and the numbers in them.

A chart states no number of its own making. Each number in a caption or an alt text is a
quantity (:class:`macros.quantity.Q`) asked of the chapter words (``model('gpt-4').params``,
``mfu(...)``), so it is derived once (:mod:`macros.derive`) and written by the chapters' format
rules. The text keeps those quantities (:class:`Said`): ``figure(name)`` shows the caption's
numbers as the chapters show theirs and records every number in the page's ledger
(``numbers.json``), the alt text's too.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from macros.data import Book
from macros.quantity import Q
from macros.vocab import Vocabulary, bind


class Flag(str):
    """A status in words after a name (' (rumored)'): the chart's title needs it; a page whose number
    of that status already carries its mark does not (``figure()`` leaves it out there)."""

    status: str

    def __new__(cls, status: str) -> Flag:
        flag = super().__new__(cls, f" ({status})")
        flag.status = status
        return flag

    def __reduce__(self) -> tuple:
        return (Flag, (self.status,))


def flag(status: str) -> str:
    """' (rumored)' after a value that is not disclosed (a :class:`Flag`); nothing after one that is."""
    return "" if status == "disclosed" else Flag(status)


class Said(str):
    """Plain text that remembers which of its spans are quantities (``numbers``: start, end, Q) and
    which are status words (``flags``: start, end, status)."""

    numbers: tuple[tuple[int, int, Q], ...]
    flags: tuple[tuple[int, int, str], ...]

    def __new__(
        cls, text: str = "", numbers: Iterable[tuple[int, int, Q]] = (), flags: Iterable[tuple[int, int, str]] = ()
    ) -> Said:
        said = super().__new__(cls, text)
        said.numbers, said.flags = tuple(numbers), tuple(flags)
        return said

    def __reduce__(self) -> tuple:  # pickled for the drawing processes
        return (Said, (str(self), self.numbers, self.flags))

    def stored(self) -> dict[str, Any]:
        """The text, its numbers and its status words as JSON-ready data (``.cache/figures/index.json``)."""
        numbers = [{"at": [a, b], "q": q.record()} for a, b, q in self.numbers]
        return {"text": str(self), "numbers": numbers, "flags": [[a, b, status] for a, b, status in self.flags]}


def say(*parts: str | Q) -> Said:
    """``parts`` joined: text as it is, a quantity as its text (the chapters' format), kept as a number."""
    out: list[str] = []
    numbers: list[tuple[int, int, Q]] = []
    flags: list[tuple[int, int, str]] = []
    pos = 0
    for part in parts:
        if isinstance(part, Q):
            text = part.text
            numbers.append((pos, pos + len(text), part))
        elif isinstance(part, Said):
            text = str(part)
            numbers += [(pos + a, pos + b, q) for a, b, q in part.numbers]
            flags += [(pos + a, pos + b, status) for a, b, status in part.flags]
        elif isinstance(part, Flag):
            text = str(part)
            flags.append((pos, pos + len(text), part.status))
        else:
            text = part
        out.append(text)
        pos += len(text)
    return Said("".join(out), numbers, flags)


def listing(items: Iterable[str | Q], sep: str = ", ", last: str = " and ") -> Said:
    """'a', 'a and b', 'a, b and c' (items may hold quantities); 'none' for nothing."""
    items = list(items)
    if not items:
        return say("none")
    parts: list[str | Q] = []
    for i, item in enumerate(items):
        if i:
            parts.append(last if i == len(items) - 1 else sep)
        parts.append(item)
    return say(*parts)


def words(book: Book) -> SimpleNamespace:
    """The chapter words bound to ``book``, as attributes: ``w.model('gpt-4').params``."""
    return SimpleNamespace(**bind(Vocabulary(book)))


def how_many(k: int, n: int, noun: str = "model") -> str:
    """A share of ``n`` things in words, for a caption that needs no count: 'most models', 'every model'."""
    if k == 0:
        return f"no {noun}"
    if k == n:
        return f"every {noun}" if n > 1 else f"the one {noun}"
    return f"most {noun}s" if 2 * k > n else f"some {noun}s"


# --- quantities several charts ask for -------------------------------------------------------------
ACTIVE = {"tokens_per_param": "tokens_per_active_param", "overtrain_factor": "active_overtrain_factor"}


def by_active(w: SimpleNamespace, model_id: str, name: str) -> Q:
    """A model's ``tokens_per_param`` or ``overtrain_factor`` as the charts of tokens against parameters
    count it: by the active parameters of a mixture of experts (for a dense model, the chapters' own word)."""
    m = w.model(model_id)
    return getattr(m, ACTIVE[name] if m.m.active_params is not None else name)
