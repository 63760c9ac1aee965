"""Chart: iso-FLOP curves of the Chinchilla loss fit for the budgets of a few models, their optima and the frontier.

The fit's constants are the replication's (Besiroglu et al.), as everywhere the book needs the
fit's optimum (the chinchilla chapter, ``optimal(..., 'besiroglu')``): the published constants
put the optimum at a ratio of tokens to parameters that their own paper's other methods contradict.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive
from macros import format as fmt
from macros import formulas as f
from macros.data import Book, Model
from macros.quantity import Q

from . import drawing as d
from .common import CURVE_POINTS, logspace
from .figure import Figure
from .said import Said, listing, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "isoflop"
# GPT-3, Chinchilla and Llama 3 8B spent about the same compute in three different ways.
ISOFLOP_MODELS = ("gpt-3", "chinchilla", "llama-3-8b", "llama-3.1-405b")
FIT = "besiroglu"  # the replication's fit, as the chapters name it (constants epoch_* in data/constants.toml)


class Row(NamedTuple):
    kind: str  # "isoflop" (a point of a budget's curve), "optimum", "model" (as trained) or "frontier"
    budget_model: str  # the model whose budget this is ("" on the frontier)
    flops: float
    params: float
    tokens: float
    loss: float  # nats per token under the fit
    status: str  # of the model's values ("model" rows only)


class Budget(NamedTuple):
    model: Model
    params: float  # active parameters as trained
    tokens: float
    flops: float


def plan(book: Book) -> Figure | None:
    lf = derive.loss_fit(book, FIT)
    budgets, status = [], {}
    for mid in ISOFLOP_MODELS:
        m = book.models.get(mid)
        v = derive.model_values(book, m) if m else None
        if v and v.train_flops is not None:
            budgets.append(Budget(m, v.active_params, v.tokens, v.train_flops))
            status[mid] = v.derived_status
    if not budgets:
        return None
    budgets.sort(key=lambda b: (b.flops, b.model.id))
    sizes = [b.params for b in budgets] + [derive.optimum(book, b.flops, FIT)[0] for b in budgets]
    grid = logspace(min(sizes) / 10, max(sizes) * 10)
    rows = []
    for b in budgets:
        c = b.flops
        for n in grid:
            tokens = c / (f.TRAIN_FLOP_PER_PARAM_TOKEN * n)
            rows.append(Row("isoflop", b.model.id, c, n, tokens, f.chinchilla_loss(n, tokens, lf), ""))
        n_opt, d_opt = derive.optimum(book, c, FIT)
        rows.append(Row("optimum", b.model.id, c, n_opt, d_opt, f.chinchilla_loss(n_opt, d_opt, lf), ""))
        loss = f.chinchilla_loss(b.params, b.tokens, lf)
        rows.append(Row("model", b.model.id, c, b.params, b.tokens, loss, status[b.model.id]))
    for c in logspace(budgets[0].flops / 10, budgets[-1].flops * 10, CURVE_POINTS // 2):
        n_opt, d_opt = derive.optimum(book, c, FIT)
        rows.append(Row("frontier", "", c, n_opt, d_opt, f.chinchilla_loss(n_opt, d_opt, lf), ""))
    # how many times its compute-optimal size each model was, as trained
    off = {b.model.id: b.params / derive.optimum(book, b.flops, FIT)[0] for b in budgets}
    w = words(book)
    return Figure(
        name=NAME,
        title=caption(w, budgets, off),
        alt=alt_text(w, budgets),
        rows=tuple(rows),
        draw=draw,
        extra={"names": {b.model.id: b.model.name for b in budgets}},
    )


def sizes(w: SimpleNamespace, model_id: str) -> tuple[Q, Q]:
    """A model's active parameters as trained and the compute-optimal size of its budget (replication fit)."""
    m = w.model(model_id)
    return m.active_params, w.optimal(m.train_flops, FIT).params


def caption(w: SimpleNamespace, budgets: list[Budget], off: dict[str, float]) -> Said:
    """``w``: the chapter words; ``off``: each model's size over the compute-optimal size for its budget."""
    big = max(budgets, key=lambda b: off[b.model.id]).model
    small = min(budgets, key=lambda b: off[b.model.id]).model
    trained, best = sizes(w, big.id)
    small_trained, small_best = sizes(w, small.id)
    return say(
        f"For its compute, {big.name} was ",
        trained / best,
        f" larger than the compute-optimal size and {small.name} ",
        small_best / small_trained,
        " smaller (replication fit)",
    )


def alt_text(w: SimpleNamespace, budgets: list[Budget]) -> Said:
    def at(b: Budget) -> Said:
        trained, best = sizes(w, b.model.id)
        return say(f"{b.model.name} at ", trained / best, " the optimal size")

    return say(
        "Line chart of the loss predicted by the Chinchilla fit with the replication's constants (nats per token) "
        "against parameters (logarithmic axis) along one curve of fixed training compute per budget: ",
        listing(say(f"{b.model.name} (", w.model(b.model.id).train_flops, ")") for b in budgets),
        ". Each curve dips to a lowest loss at its compute-optimal size; a dashed line joins these optima "
        "(the compute-optimal frontier). A marker shows where each model actually sits on its curve: ",
        listing((at(b) for b in budgets), sep="; ", last="; "),
        ".",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    from matplotlib.lines import Line2D

    plt, t = setup(theme)
    canvas, ax = d.canvas(plt, t, fig.title, (8, 5.6))
    rows: tuple[Row, ...] = fig.rows
    label = fig.extra["names"]
    opt_loss = []
    for i, mid in enumerate(dict.fromkeys(r.budget_model for r in rows if r.kind == "isoflop")):
        color = t["series"][i % len(t["series"])]
        curve = [r for r in rows if r.kind == "isoflop" and r.budget_model == mid]
        ax.plot([r.params for r in curve], [r.loss for r in curve], color=color, lw=1.6,
                label=f"budget of {label[mid]}: {fmt.scientific(curve[0].flops, 2)} FLOP")  # fmt: skip
        (opt,) = [r for r in rows if r.kind == "optimum" and r.budget_model == mid]
        (mod,) = [r for r in rows if r.kind == "model" and r.budget_model == mid]
        ax.scatter([opt.params], [opt.loss], marker="o", s=26, facecolors=color, edgecolors=color, zorder=4)
        flagged = mod.status != "disclosed"
        star = ax.scatter([mod.params], [mod.loss], marker="*", s=130, facecolors="none" if flagged else color,
                          edgecolors=t["flag"] if flagged else t["fg"], linewidths=1.2 if flagged else 0.6,
                          zorder=5)  # fmt: skip
        star.set_gid(f"model-{mod.status}-{mid}")
        opt_loss.append(opt.loss)
    front = [r for r in rows if r.kind == "frontier"]
    ax.plot([r.params for r in front], [r.loss for r in front], color=t["fg"], lw=1.1, ls="--", zorder=3,
            label="compute-optimal frontier")  # fmt: skip
    ax.set_xscale("log")
    curves = [r for r in rows if r.kind == "isoflop"]
    ax.set_xlim(min(r.params for r in curves), max(r.params for r in curves))
    lo = min(opt_loss)
    hi = max(r.loss for r in rows if r.kind in ("model", "optimum"))
    pad = (hi - lo) * 0.6
    ax.set_ylim(lo - pad * 0.4, hi + pad)
    ax.set_xlabel("Parameters N (count, log scale); tokens follow from D = C / 6N")
    ax.set_ylabel("Chinchilla fit, replication constants (nats per token)")
    ax.grid(True, which="major")
    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Line2D([], [], ls="none", marker="o", color=t["fg"], markersize=5, label="optimum of each budget"),
        Line2D([], [], ls="none", marker="*", color=t["fg"], markersize=9, label="the model as trained"),
    ]
    if any(r.status not in ("", "disclosed") for r in rows):
        handles.append(Line2D([], [], ls="none", marker="*", markerfacecolor="none", markeredgecolor=t["flag"],
                              markersize=9, label="hollow: estimated or rumored"))  # fmt: skip
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=7.5, ncols=3)
    d.finish(ax)
    models = [r for r in rows if r.kind == "model"]
    d.place_labels(ax, [r.params for r in models], [r.loss for r in models], [label[r.budget_model] for r in models],
                   t["fg"], halo=t["bg"])  # fmt: skip
    return canvas
