"""Chart: training tokens per parameter, one dot per model, against Chinchilla's ratio."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive
from macros import format as fmt
from macros.data import Book

from . import drawing as d
from .common import data_models, names
from .figure import Figure
from .said import Said, by_active, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "tokens-per-param"


class Row(NamedTuple):
    id: str
    name: str
    tokens_per_param: float
    overtrain_factor: float
    status: str


def plan(book: Book) -> Figure | None:
    ratio = derive.constant(book, derive.CHINCHILLA_RATIO)
    data = data_models(book)
    if not data:
        return None
    # a mixture of experts is counted by its active parameters here (see derive.ModelValues)
    rows = sorted(
        (Row(m.id, m.name, v.tokens_per_active_param, v.active_overtrain_factor, v.derived_status) for m, v in data),
        key=lambda r: (r.tokens_per_param, r.id),
    )
    w = words(book)
    return Figure(
        name=NAME,
        title=caption(w, rows),
        alt=alt_text(w, rows),
        rows=tuple(rows),
        draw=draw,
        extra={"ratio": ratio},
    )


def caption(w: SimpleNamespace, rows: list[Row]) -> Said:
    """``w``: the chapter words (:func:`figures.said.words`); ``rows`` sorted by tokens per parameter."""
    lo, hi = rows[0], rows[-1]
    return say(
        "Tokens per parameter range from ",
        by_active(w, lo.id, "tokens_per_param"),
        f" ({lo.name}) to ",
        by_active(w, hi.id, "tokens_per_param"),
        f" ({hi.name}), against Chinchilla's ",
        w.const(derive.CHINCHILLA_RATIO),
    )


def alt_text(w: SimpleNamespace, rows: list[Row]) -> Said:
    lo, hi = rows[0], rows[-1]
    left = [r.name for r in rows if r.overtrain_factor < 1]
    return say(
        f"Dot chart of training tokens per parameter, one dot per model, on a logarithmic axis, sorted from {lo.name} (",
        by_active(w, lo.id, "tokens_per_param"),
        f") to {hi.name} (",
        by_active(w, hi.id, "tokens_per_param"),
        "). A vertical line marks the Chinchilla ratio of ",
        w.const(derive.CHINCHILLA_RATIO),
        f"; to its left lie {names(left)}, the others to its right. " if left else "; every model lies to its right. ",
        "Hollow markers are estimated or rumored.",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    from matplotlib.lines import Line2D

    plt, t = setup(theme)
    rows: tuple[Row, ...] = fig.rows
    canvas, ax = d.canvas(plt, t, fig.title, (8, 1.6 + 0.24 * len(rows)))
    ratio = fig.extra["ratio"]
    ys = list(range(len(rows)))
    for y, r in zip(ys, rows, strict=True):
        color = t["series"][1] if r.overtrain_factor > 1 else t["series"][0]
        ax.plot([ratio, r.tokens_per_param], [y, y], color=color, lw=1.6, alpha=0.7, zorder=2, solid_capstyle="butt")
    d.status_scatter(ax, [r.tokens_per_param for r in rows], ys, [r.status for r in rows], t["fg"], t, size=30,
                     labels=False)  # fmt: skip
    for y, r in zip(ys, rows, strict=True):
        right = r.overtrain_factor >= 1
        ax.annotate(fmt.text(r.tokens_per_param, "number"), (r.tokens_per_param, y), xytext=(6 if right else -6, 0),
                    textcoords="offset points", ha="left" if right else "right", va="center", fontsize=7,
                    color=t["muted"])  # fmt: skip
    ax.axvline(ratio, color=t["muted"], lw=1.2, ls="--", zorder=1)
    ax.annotate(f"Chinchilla: {fmt.sig(ratio)}", (ratio, 1.0), xycoords=("data", "axes fraction"),
                xytext=(4, 2), textcoords="offset points", fontsize=8, color=t["muted"], va="bottom")  # fmt: skip
    ax.set_xscale("log")
    ax.set_yticks(ys, [r.name for r in rows], fontsize=8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel("Training tokens per parameter (tokens/parameter, log scale)")
    ax.grid(True, which="major", axis="x")
    extra = [
        Line2D([], [], color=t["series"][1], lw=1.6, label="more tokens than the ratio"),
        Line2D([], [], color=t["series"][0], lw=1.6, label="fewer tokens than the ratio"),
    ]
    values = [r.tokens_per_param for r in rows]
    ax.set_xlim(min(min(values), ratio) / 3, max(max(values), ratio) * 4)
    d.status_legend(ax, t, extra=extra, loc="lower right", color=t["fg"])
    return canvas
