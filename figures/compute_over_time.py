"""Chart: training compute against release date, 6·N·D next to the compute a paper or estimate states."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive
from macros.data import Book
from macros.quantity import Q

from . import drawing as d
from .common import by_date, known, names
from .figure import Figure
from .said import Said, flag, say, words
from .style import STATUS_STYLE, setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "compute-over-time"


class Row(NamedTuple):
    id: str
    name: str
    released: str  # ISO date
    kind: str  # "6ND" (computed from parameters and tokens) or "reported"
    flops: float
    status: str


def plan(book: Book) -> Figure | None:
    rows = []
    for m in by_date(book):
        v = derive.model_values(book, m)
        if v.train_flops is not None:
            rows.append(Row(m.id, m.name, m.released.isoformat(), "6ND", v.train_flops, v.derived_status))
        if known(m.reported_train_flops):
            r = m.reported_train_flops
            rows.append(Row(m.id, m.name, m.released.isoformat(), "reported", r.value, r.status))
    if not rows:
        return None
    both = sorted({r.id for r in rows if r.kind == "reported"} & {r.id for r in rows if r.kind == "6ND"})
    w = words(book)
    alt = alt_text(w, rows, [book.models[i].name for i in both])
    return Figure(name=NAME, title=caption(w, rows), alt=alt, rows=tuple(rows), draw=draw)


def compute(w: SimpleNamespace, r: Row) -> Q:
    """The quantity a point plots: 6·N·D, or the compute a paper or estimate states."""
    m = w.model(r.id)
    return m.train_flops if r.kind == "6ND" else m.reported_train_flops


def caption(w: SimpleNamespace, rows: list[Row]) -> Said:
    """``w``: the chapter words (:func:`figures.said.words`)."""
    # Growth over time: from the earliest model with a known compute (the smallest of that day), not
    # the smallest overall, which can be a recent tiny model.
    lo = min(rows, key=lambda r: (r.released, r.flops))
    hi = max(rows, key=lambda r: r.flops)
    return say(
        "Training compute grew by ",
        w.orders(compute(w, hi) / compute(w, lo)),
        f" orders of magnitude from {lo.name} to {hi.name}",
        flag(hi.status),
    )


def alt_text(w: SimpleNamespace, rows: list[Row], with_both: list[str]) -> Said:
    """``with_both``: the names of the models that have a 6·N·D and a reported point."""
    lo = min(rows, key=lambda r: r.flops)
    hi = max(rows, key=lambda r: r.flops)
    return say(
        "Scatter chart of training compute in FLOP (logarithmic vertical axis) against release date, from ",
        compute(w, lo),
        f" ({lo.name}) to ",
        compute(w, hi),
        f" ({hi.name}, {hi.status}). Circles are 6·N·D computed from parameters and tokens; diamonds are the "
        "compute a paper or estimate states, shown where one exists; a thin line joins the two where both "
        f"exist ({names(with_both)}). Hollow markers are estimated or rumored.",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    from matplotlib.lines import Line2D

    plt, t = setup(theme)
    canvas, ax = d.canvas(plt, t, fig.title, (8, 5.6))
    rows: tuple[Row, ...] = fig.rows
    calc = [r for r in rows if r.kind == "6ND"]
    rep = [r for r in rows if r.kind == "reported"]
    c6, cr = t["series"][0], t["series"][2]
    by_id = {r.id: r for r in calc}
    for r in rep:
        if r.id in by_id:
            (day,) = d.dates([r.released])
            ax.plot([day, day], [r.flops, by_id[r.id].flops], color=t["muted"], lw=0.8, zorder=2)
    d.status_scatter(
        ax, d.dates(r.released for r in calc), [r.flops for r in calc], [r.status for r in calc], c6, t, gid="6nd"
    )
    for status, (_, filled) in STATUS_STYLE.items():
        pts = [r for r in rep if r.status == status]
        if pts:
            art = ax.scatter(d.dates(r.released for r in pts), [r.flops for r in pts], marker="D", s=70, zorder=3,
                             facecolors=cr if filled else "none", edgecolors=cr if filled else t["flag"],
                             linewidths=1.4)  # fmt: skip
            art.set_gid(f"reported-{status}")
    extra = [
        Line2D([], [], ls="none", marker="o", color=c6, markersize=6, label="6·N·D from parameters and tokens"),
        Line2D([], [], ls="none", marker="D", color=cr, markersize=7, label="compute stated by a paper or estimate"),
    ]
    ax.set_yscale("log")
    d.date_axis(ax)
    ax.set_ylabel("Training compute (FLOP, log scale)")
    ax.set_xlabel("Release date (year)")
    ax.grid(True, which="major")
    d.status_legend(ax, t, extra=extra, loc="lower right")
    ax.margins(x=0.06, y=0.12)
    d.finish(ax)
    first: dict[str, Row] = {}
    for r in sorted(rows, key=lambda r: r.kind != "6ND"):  # one label per model, on its 6ND point if any
        first.setdefault(r.id, r)
    ordered = sorted(first.values(), key=lambda r: (r.released, r.flops))
    d.place_labels(
        ax, d.dates(r.released for r in ordered), [r.flops for r in ordered], [r.name for r in ordered], t["fg"],
        halo=t["bg"],
    )  # fmt: skip
    return canvas
