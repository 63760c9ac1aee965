"""Chart: predicted loss against model size, Kaplan's L(N) next to the published Chinchilla fit."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive
from macros import format as fmt
from macros import formulas as f
from macros.data import Book

from . import drawing as d
from .common import known, logspace
from .figure import Figure
from .said import Said, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "loss-curves"
KAPLAN, FLOOR, AT_RATIO = "kaplan", "chinchilla-infinite-data", "chinchilla-20-tokens-per-param"


class Row(NamedTuple):
    curve: str  # KAPLAN, FLOOR or AT_RATIO
    params: float
    tokens: float | str  # "" where the curve assumes unlimited data
    loss: float  # nats per token


def plan(book: Book) -> Figure | None:
    lf = derive.loss_fit(book, "hoffmann")  # the published constants: the chart is about that fit
    ratio = derive.constant(book, derive.CHINCHILLA_RATIO)
    n_c, alpha_n = derive.constant(book, "kaplan_n_c"), derive.constant(book, "kaplan_alpha_n")
    sizes = [m.params.value for m in book.models.values() if known(m.params)]
    if not sizes:
        return None
    grid = logspace(min(sizes), max(sizes))
    rows = [Row(KAPLAN, n, "", f.kaplan_loss(n, n_c, alpha_n)) for n in grid]
    rows += [Row(FLOOR, n, "", f.loss_floor(n, lf)) for n in grid]
    for n in grid:
        tokens = f.chinchilla_tokens(n, ratio)
        rows.append(Row(AT_RATIO, n, tokens, f.chinchilla_loss(n, tokens, lf)))
    w = words(book)
    ids = [m.id for m in book.models.values() if known(m.params)]
    smallest = min(ids, key=lambda i: (book.models[i].params.value, i))
    largest = max(ids, key=lambda i: (book.models[i].params.value, i))
    return Figure(
        name=NAME,
        title=caption(w),
        alt=alt_text(w, smallest, largest),
        rows=tuple(rows),
        draw=draw,
        extra={"ratio": ratio, "e": lf.e},
    )


def caption(w: SimpleNamespace) -> Said:
    """``w``: the chapter words (:func:`figures.said.words`)."""
    floor = w.const(f"{derive.FITS['hoffmann'][0]}_e")
    return say(
        "Kaplan's loss keeps falling with size; Chinchilla's fit levels off towards its floor E = ", floor, " nats"
    )


def alt_text(w: SimpleNamespace, smallest: str, largest: str) -> Said:
    """``smallest``, ``largest``: the ids of the models whose sizes bound the axis."""
    lo, hi = w.model(smallest), w.model(largest)
    return say(
        f"Line chart of predicted loss in nats per token against parameters (logarithmic axis, from {lo.display}'s ",
        lo.params,
        f" to {hi.display}'s {'' if hi.params.status == 'disclosed' else hi.params.status + ' '}",
        hi.params,
        "). Kaplan's L(N) (infinite data) falls steadily across the whole range; Chinchilla's fit at ",
        w.const(derive.CHINCHILLA_RATIO),
        " tokens per parameter falls ever more slowly, and with infinite data approaches its irreducible loss E = ",
        w.const(f"{derive.FITS['hoffmann'][0]}_e"),
        ". The two fits use different data and tokenizers (and Kaplan counts non-embedding parameters), so "
        "their levels are not directly comparable; their shapes are.",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    plt, t = setup(theme)
    canvas, ax = d.canvas(plt, t, fig.title, (8, 5))
    e = fig.extra["e"]
    curves = {
        KAPLAN: ("Kaplan et al. 2020: L(N), unlimited data", t["series"][1], "-"),
        FLOOR: (r"Chinchilla fit, unlimited data: $E + A/N^{\alpha}$", t["series"][0], "--"),
        AT_RATIO: (f"Chinchilla fit at {fmt.sig(fig.extra['ratio'])} tokens per parameter", t["series"][0], "-"),
    }
    for key, (label, color, ls) in curves.items():
        pts = [r for r in fig.rows if r.curve == key]
        line = ax.plot([r.params for r in pts], [r.loss for r in pts], color=color, ls=ls, lw=1.8, label=label)[0]
        line.set_gid(f"curve-{key}")
    ax.axhline(e, color=t["muted"], lw=0.9, ls=":")
    ax.annotate(f"Chinchilla's irreducible loss E = {fmt.sig(e)}", (0.0, e), xycoords=("axes fraction", "data"),
                xytext=(6, -11), textcoords="offset points", ha="left", fontsize=8, color=t["muted"])  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel("Parameters N (count, log scale)")
    ax.set_ylabel("Predicted loss (nats per token)")
    ax.grid(True, which="major")
    ax.legend(loc="upper right")
    return canvas
