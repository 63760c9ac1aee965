"""Chart: parameter counts against release date (mixture-of-experts models with a bar down to their active parameters)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros.data import Book

from . import drawing as d
from .common import by_date, known, names
from .figure import Figure
from .said import Said, flag, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "params-over-time"


class Row(NamedTuple):
    id: str
    name: str
    released: str  # ISO date
    params: float
    params_status: str
    active_params: float | str  # "" for a dense model
    active_status: str


def plan(book: Book) -> Figure | None:
    rows = []
    for m in by_date(book):
        if not known(m.params):
            continue
        moe = known(m.active_params)
        rows.append(
            Row(
                id=m.id,
                name=m.name,
                released=m.released.isoformat(),
                params=m.params.value,
                params_status=m.params.status,
                active_params=m.active_params.value if moe else "",
                active_status=m.active_params.status if moe else "",
            )
        )
    if not rows:
        return None
    w = words(book)
    return Figure(name=NAME, title=caption(w, rows), alt=alt_text(w, rows), rows=tuple(rows), draw=draw)


def caption(w: SimpleNamespace, rows: list[Row]) -> Said:
    """``w``: the chapter words (:func:`figures.said.words`); ``rows`` oldest first."""
    first = rows[0]
    largest = max(rows, key=lambda r: r.params)
    later = [r for r in rows if r.released > largest.released]
    grew = w.model(largest.id).params / w.model(first.id).params
    title = say("Parameter counts grew ", grew, f" from {first.name} to {largest.name}", flag(largest.params_status))
    # Only the plotted models can be compared: most later frontier sizes are undisclosed.
    if later and all(r.params < largest.params for r in later):
        title = say(title, "; no later model of known or estimated size is larger")
    return title


def alt_text(w: SimpleNamespace, rows: list[Row]) -> Said:
    largest = max(rows, key=lambda r: r.params)
    smallest = min(rows, key=lambda r: r.params)
    flagged = [r.name for r in rows if r.params_status != "disclosed"]
    moe = [r.name for r in rows if r.active_params != ""]
    big, small = w.model(largest.id).params, w.model(smallest.id).params
    return say(
        "Scatter chart of parameter count (logarithmic vertical axis) against release date for every model whose "
        f"count is known, estimated or rumored. The largest is {largest.name} at ",
        big,
        f" ({largest.params_status}); the smallest is {smallest.name} at ",
        small,
        f". Hollow markers are estimated or rumored values: {names(flagged)}. "
        f"For the mixture-of-experts models ({names(moe)}) a vertical bar runs down from the total to the "
        "active parameters.",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Bbox

    plt, t = setup(theme)
    canvas, ax = d.canvas(plt, t, fig.title, (8, 5.6))
    rows: tuple[Row, ...] = fig.rows
    when = d.dates(r.released for r in rows)
    params = [r.params for r in rows]
    for day, r in zip(when, rows, strict=True):
        if r.active_params != "":
            ax.plot([day, day], [r.active_params, r.params], color=t["muted"], lw=1.2, zorder=2)
            ax.scatter([day], [r.active_params], marker="_", s=90, color=t["muted"], linewidths=1.6, zorder=3)
    d.status_scatter(ax, when, params, [r.params_status for r in rows], t["series"][0], t)
    ax.set_yscale("log")
    d.date_axis(ax)
    ax.set_ylabel("Parameters (count, log scale)")
    ax.set_xlabel("Release date (year)")
    ax.grid(True, which="major", axis="both")
    moe = Line2D([], [], color=t["muted"], lw=1.2, marker="_", markersize=9, label="MoE: total down to active")
    d.status_legend(ax, t, extra=[moe], loc="lower right")
    ax.margins(x=0.06, y=0.12)
    d.finish(ax)
    bars = []  # the total-to-active bars, so that no label sits on one
    for day, r in zip(when, rows, strict=True):
        if r.active_params != "":
            x = d.date_num(day)
            (x0, y0), (_, y1) = ax.transData.transform([(x, r.active_params), (x, r.params)])
            bars.append(Bbox([[x0 - 3, y0], [x0 + 3, y1]]))
    d.place_labels(ax, when, params, [r.name for r in rows], t["fg"], halo=t["bg"], avoid=bars)
    return canvas
