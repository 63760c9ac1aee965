"""Chart: training tokens against parameters (log-log), with diagonals at the Chinchilla ratio and multiples of it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive
from macros import format as fmt
from macros import formulas as f
from macros.data import Book

from . import drawing as d
from .common import data_models, names
from .figure import Figure
from .said import Said, by_active, how_many, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "tokens-vs-params"


class Row(NamedTuple):
    kind: str  # "model", or "guide" (one end of a diagonal)
    id: str
    name: str
    params: float  # active parameters for a mixture of experts
    tokens: float
    status: str
    overtrain_factor: float  # tokens over the Chinchilla ratio's tokens (a guide's factor)


def plan(book: Book) -> Figure | None:
    ratio = derive.constant(book, derive.CHINCHILLA_RATIO)
    guides = (1.0, derive.constant(book, "overtrain_guide_low"), derive.constant(book, "overtrain_guide_high"))
    data = data_models(book)
    if not data:
        return None
    # a mixture of experts is placed by its active parameters (see derive.ModelValues)
    rows = [
        Row("model", m.id, m.name, v.active_params, v.tokens, v.derived_status, v.active_overtrain_factor)
        for m, v in data
    ]
    lo = min(v.active_params for _, v in data) / 2
    hi = max(v.active_params for _, v in data) * 2
    for factor in guides:
        for n in (lo, hi):
            tokens = factor * f.chinchilla_tokens(n, ratio)
            rows.append(Row("guide", f"overtrain-{fmt.sig(factor)}x", "", n, tokens, "", factor))
    models = [r for r in rows if r.kind == "model"]
    w = words(book)
    return Figure(
        name=NAME,
        title=caption(w, models),
        alt=alt_text(w, models),
        rows=tuple(rows),
        draw=draw,
        extra={"ratio": ratio},
    )


def caption(w: SimpleNamespace, models: list[Row]) -> Said:
    """``w``: the chapter words (:func:`figures.said.words`); ``models``: the rows of kind "model"."""
    above = [r for r in models if r.overtrain_factor > 1]
    top = max(models, key=lambda r: r.overtrain_factor)
    were = "was" if len(above) in (0, len(models)) else "were"
    return say(
        f"{how_many(len(above), len(models)).capitalize()} {were} trained past Chinchilla's ",
        w.const(derive.CHINCHILLA_RATIO),
        f" tokens per parameter; {top.name} by ",
        by_active(w, top.id, "overtrain_factor"),
    )


def alt_text(w: SimpleNamespace, models: list[Row]) -> Said:
    top = max(models, key=lambda r: r.overtrain_factor)
    under = [r.name for r in models if r.overtrain_factor < 1]
    few, many = min(models, key=lambda r: r.params), max(models, key=lambda r: r.params)
    short, long = min(models, key=lambda r: r.tokens), max(models, key=lambda r: r.tokens)
    return say(
        "Log-log scatter chart of training tokens (vertical) against parameters (horizontal, active parameters "
        "for mixture-of-experts models), parameters from ",
        w.model(few.id).active_params,
        f" ({few.name}) to ",
        w.model(many.id).active_params,
        f" ({many.name}), tokens from ",
        w.model(short.id).tokens,
        f" ({short.name}) to ",
        w.model(long.id).tokens,
        f" ({long.name}). Diagonal lines mark the Chinchilla ratio of ",
        w.const(derive.CHINCHILLA_RATIO),
        " tokens per parameter and ",
        w.const("overtrain_guide_low", "ratio"),
        " and ",
        w.const("overtrain_guide_high", "ratio"),
        f" that ratio. Below the Chinchilla line (undertrained): {names(under)}. Most overtrained: {top.name} at ",
        by_active(w, top.id, "overtrain_factor"),
        ".",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    plt, t = setup(theme)
    canvas, ax = d.canvas(plt, t, fig.title, (8, 5.8))
    rows: tuple[Row, ...] = fig.rows
    models = [r for r in rows if r.kind == "model"]
    guides: dict[float, list[Row]] = {}
    for r in rows:
        if r.kind == "guide":
            guides.setdefault(r.overtrain_factor, []).append(r)
    styles = ["-", "--", ":"]
    for i, (factor, pts) in enumerate(sorted(guides.items())):
        label = (
            f"Chinchilla: {fmt.sig(fig.extra['ratio'])} tokens per parameter"
            if factor == 1
            else f"{fmt.ratio(factor)} the Chinchilla ratio"
        )
        ax.plot([p.params for p in pts], [p.tokens for p in pts], color=t["muted"], ls=styles[i % 3], lw=1.1,
                zorder=1, label=label)  # fmt: skip
    d.status_scatter(ax, [r.params for r in models], [r.tokens for r in models], [r.status for r in models],
                     t["series"][0], t, labels=False)  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Parameters (active per token for MoE; count, log scale)")
    ax.set_ylabel("Training tokens (count, log scale)")
    ax.grid(True, which="major")
    ends = [r.params for r in rows if r.kind == "guide"]
    ax.set_xlim(min(ends), max(ends))
    ys = [r.tokens for r in models]
    ax.set_ylim(min(ys) / 3, max(ys) * 3)
    lines = ax.get_legend_handles_labels()[0]
    d.status_legend(ax, t, extra=lines, loc="lower right")
    d.finish(ax)
    d.place_labels(ax, [r.params for r in models], ys, [r.name for r in models], t["fg"], halo=t["bg"])
    return canvas
