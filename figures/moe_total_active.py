"""Chart: mixture-of-experts models, total parameters against the parameters active per token."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive
from macros import format as fmt
from macros.data import Book
from macros.quantity import Q

from . import drawing as d
from .common import by_date, least_certain
from .figure import Figure
from .said import Said, flag, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "moe-total-active"


class Row(NamedTuple):
    id: str
    name: str
    total_params: float
    total_status: str
    active_params: float
    active_status: str
    sparsity: float  # total over active: one parameter in this many works on a token


def plan(book: Book) -> Figure | None:
    rows = []
    for m in by_date(book):
        sparsity = derive.model_values(book, m).sparsity
        if sparsity is not None:
            p, a = m.params, m.active_params
            rows.append(Row(m.id, m.name, p.value, p.status, a.value, a.status, sparsity))
    if not rows:
        return None
    rows.sort(key=lambda r: (r.sparsity, r.id))
    w = words(book)
    return Figure(name=NAME, title=caption(w, rows), alt=alt_text(w, rows), rows=tuple(rows), draw=draw)


def caption(w: SimpleNamespace, rows: list[Row]) -> Said:
    """``w``: the chapter words (:func:`figures.said.words`); ``rows`` sorted by sparsity."""
    lo, hi = rows[0], rows[-1]
    return say(
        "A mixture of experts runs a small part of its weights per token: from ",
        w.active_share(lo.id, "stated"),
        f" for {lo.name}",
        flag(lo.active_status),
        " to ",
        w.active_share(hi.id, "stated"),
        f" for {hi.name}",
        flag(hi.active_status),
    )


def alt_text(w: SimpleNamespace, rows: list[Row]) -> Said:
    parts: list[str | Q] = [
        "Horizontal bars, one per mixture-of-experts model, on a logarithmic parameter axis: a long pale bar "
        "for the total parameters and a short solid bar for the parameters active per token, with the ratio "
        "written beside each."
    ]
    for r in rows:
        m = w.model(r.id)
        parts += [f" {r.name}: ", m.params, " total, ", m.active_params, " active, a sparsity of "]
        parts += [w.sparsity(r.id, "stated"), flag(least_certain(r.total_status, r.active_status)), "."]
    return say(*parts, " Hatched bars are rumored or estimated figures.")


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    from matplotlib.patches import Patch

    plt, t = setup(theme)
    rows: tuple[Row, ...] = fig.rows
    canvas, ax = d.canvas(plt, t, fig.title, (8, 1.9 + 0.62 * len(rows)))
    ys = list(range(len(rows)))
    c_total, c_active = t["series"][0], t["series"][1]
    floor = min(r.active_params for r in rows) / 10
    for y, r in zip(ys, rows, strict=True):
        for value, st, color, h, tag in (
            (r.total_params, r.total_status, c_total, 0.62, "total"),
            (r.active_params, r.active_status, c_active, 0.34, "active"),
        ):
            flagged = st != "disclosed"
            bar = ax.barh([y], [value - floor], left=floor, height=h, zorder=2 if tag == "total" else 3,
                          color="none" if flagged else color, edgecolor=color, hatch="///" if flagged else None,
                          linewidth=1.2, alpha=0.55 if tag == "total" and not flagged else 1)  # fmt: skip
            bar.patches[0].set_gid(f"{tag}-{st}-{r.id}")
        ax.annotate(f"{fmt.count(r.total_params)} total, {fmt.count(r.active_params)} active: "
                    f"{fmt.text(r.sparsity, 'sparsity')}", (r.total_params, y), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=8, color=t["fg"])  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlim(floor, max(r.total_params for r in rows) * 25)
    flagged_names = [
        r.name + ("" if r.total_status == r.active_status == "disclosed" else f" ({least_certain(r.total_status, r.active_status)})")
        for r in rows
    ]  # fmt: skip
    ax.set_yticks(ys, flagged_names, fontsize=8.5)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("Parameters (count, log scale)")
    ax.grid(True, which="major", axis="x")
    ax.legend(
        handles=[
            Patch(facecolor=c_total, alpha=0.55, label="total parameters"),
            Patch(facecolor=c_active, label="active per token"),
            Patch(facecolor="none", edgecolor=t["fg"], hatch="///", label="hatched: rumored or estimated"),
        ],
        loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3,
    )  # fmt: skip
    return canvas
