"""Chart: serving speed against cost per token for a GPT-4-sized model and its halvings, with observed API points."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from macros import derive
from macros import format as fmt
from macros.data import Book
from macros.quantity import Q

from . import drawing as d
from .common import least_certain
from .figure import Figure
from .said import Said, listing, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "inference-economics"
# Observed API price and speed (constants) next to the modelled frontier: model id -> keys.
API_POINTS = {
    "gpt-4o": ("gpt4o_price_out", ("gpt4o_speed_low", "gpt4o_speed_high")),
    "gpt-4-turbo": ("gpt4_turbo_price_out", ("gpt4_turbo_speed",)),
    "claude-3.5-sonnet": ("claude35_sonnet_price_out", ("claude35_sonnet_speed",)),
}
TARGET_SPEED = "gpt4o_speed_low"  # the speed the caption asks each size to reach (a constant)


class Row(NamedTuple):
    kind: str  # "frontier" (a Pareto point of the decode model) or "api" (an observed price and speed)
    scale: str  # the model's size as a fraction of the base model, e.g. "0.25"; an "api" row: the model's id
    total_params: float | str  # "" on an "api" row, as are the next four fields
    active_params: float | str
    gpus: int | str
    batch: int | str
    tokens_per_s_per_user: float
    usd_per_million_tokens: float
    bound: str  # "memory" or "compute"
    status: str


def plan(book: Book) -> Figure | None:
    s = derive.SERVING  # the economics chapter's serving set-up
    if s.model not in book.models or s.hardware not in book.hardware or s.kv_model not in book.models:
        return None
    frontiers = derive.serving_frontiers(book, s)
    if not frontiers:
        return None
    base = book.models[s.model]
    hw = book.hardware[s.hardware]
    status = least_certain(base.params.status, derive.active(base).status)
    rows = [
        Row("frontier", fmt.sig(fr.scale), fr.total_params, fr.active_params, p.gpus, p.batch,
            p.tokens_per_second_per_user, p.usd_per_million_tokens, p.bound, status)
        for fr in frontiers
        for p in fr.points
    ]  # fmt: skip
    for mid, (price_key, speed_keys) in API_POINTS.items():
        if mid not in book.models or price_key not in book.constants:
            continue
        price = book.constants[price_key]
        for key in speed_keys:
            if key in book.constants:
                sp = book.constants[key]
                rows.append(
                    Row("api", mid, "", "", "", "", sp.value, price.value, "", least_certain(price.status, sp.status))
                )
    api_names = {mid: book.models[mid].name for mid in API_POINTS if mid in book.models}
    w = words(book)
    sizes = versions(w)
    return Figure(
        name=NAME,
        title=caption(w, sizes, hw.name, TARGET_SPEED in book.constants),
        alt=alt_text(w, sizes, status, hw.name, {mid: api_names[mid] for mid in api_names if ok_api(book, mid)}),
        rows=tuple(rows),
        draw=draw,
        extra={"model": base.name, "api_names": api_names, "hardware": hw.name},
    )


def ok_api(book: Book, mid: str) -> bool:
    return API_POINTS[mid][0] in book.constants and all(k in book.constants for k in API_POINTS[mid][1])


class Version(NamedTuple):
    """One size of the served model, as the smaller-frontier chapter's table asks for it."""

    scale: Q  # halvings()[k]
    total: Q
    active: Q
    fastest: Any  # a DecodeView (``.speed``), or NoPoint when no configuration fits
    frontier: list  # DecodeViews, slowest first


def versions(w: SimpleNamespace) -> list[Version]:
    """The served model and its halvings on the chapter's serving set-up (``derive.SERVING``)."""
    s = derive.SERVING
    sv, g = w.serving(s.hardware, s.precision), w.model(s.model)
    out = []
    for k in w.halvings():
        name = f"{g.display} × {k.text}"
        total, active = w.scaled(g.params, k, name), w.scaled(g.active_params, k, name)
        out.append(Version(k, total, active, sv.fastest(total, active), sv.frontier(total, active)))
    return out


def caption(w: SimpleNamespace, sizes: list[Version], gpu: str, has_target: bool) -> Said | str:
    """``sizes``: :func:`versions`; ``has_target``: whether the data hold the speed asked for."""
    model = w.model(derive.SERVING.model).display
    title = f"Smaller versions of {model} are both faster and cheaper to serve on {gpu}s"
    if not has_target:
        return title
    target = w.const(TARGET_SPEED, "tokens_per_s")
    reach = [v for v in sizes if v.fastest.known and v.fastest.speed.value >= target.value]
    if reach and max(v.scale.value for v in reach) < 1:
        largest = max(reach, key=lambda v: v.scale.value)
        return say(f"On {gpu}s, only versions of {model} at ", largest.scale, " of its size or smaller reach ", target,
                   " per user")  # fmt: skip
    if reach:
        return say(f"On {gpu}s every version of {model} can reach ", target, " per user")
    return title


def alt_text(w: SimpleNamespace, sizes: list[Version], status: str, gpu: str, api_names: dict[str, str]) -> Said:
    """``status``: of the served model's sizes; ``api_names``: the models of the observed points, by id."""
    s = derive.SERVING
    g = w.model(s.model)
    full = sizes[0].frontier
    if full:
        speeds = sorted((p.speed for p in full), key=lambda q: q.value)
        costs = sorted((p.cost.as_("usd_per_mtok_cell") for p in full), key=lambda q: q.value)
        span = say(" The full-size model ranges from ", speeds[0], " to ", speeds[-1], " and from ", costs[0], " to ",
                   costs[-1], " per million tokens.")  # fmt: skip
    else:
        span = say(f" The full-size model does not fit on {gpu} within the sweep.")
    fastest = listing(
        say(v.fastest.speed if v.fastest.known else "no speed (it does not fit)",
            " at full size" if v.scale.value == 1 else say(" at ", v.scale))
        for v in sizes
    )  # fmt: skip
    api = listing(
        (say(f"{api_names[mid]} at ", w.const(API_POINTS[mid][0], "usd_per_mtok"), " and ",
            listing((w.const(k, "tokens_per_s") for k in API_POINTS[mid][1]), last=" to "))
        for mid in api_names),
        sep="; ", last="; ",
    )  # fmt: skip
    return say(
        "Log-log chart of generation speed per user (tokens per second, horizontal) against GPU cost per million "
        f"output tokens (US dollars, vertical) on {gpu} GPUs at ",
        w.const(s.price_key, "usd_per_hour"),
        f", for a model the size of {g.display} (",
        g.params,
        f" parameters, {status}) and its halvings down to ",
        sizes[-1].scale,
        " of that size. Each line is the Pareto frontier over batch sizes and GPU counts.",
        span,
        " The fastest each size reaches is ",
        fastest,
        ". Hollow diamonds mark observed API prices and speeds, which include the provider's margin: ",
        api,
        ".",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    from matplotlib.lines import Line2D

    plt, t = setup(theme)
    canvas, ax = d.canvas(plt, t, fig.title, (8, 5.6))
    rows: tuple[Row, ...] = fig.rows
    model = fig.extra["model"]
    front = [r for r in rows if r.kind == "frontier"]
    flagged = any(r.status != "disclosed" for r in front)
    for i, sc in enumerate(dict.fromkeys(r.scale for r in front)):
        pts = sorted((r for r in front if r.scale == sc), key=lambda r: r.tokens_per_s_per_user)
        color = t["series"][i % len(t["series"])]
        frac = float(sc)
        name = model if frac == 1 else f"{model} × 1/{fmt.sig(1 / frac)}"
        line = ax.plot([r.tokens_per_s_per_user for r in pts], [r.usd_per_million_tokens for r in pts], color=color,
                       lw=1.6, zorder=2, ls="--" if flagged else "-", marker="o", markersize=3.5,
                       markerfacecolor="none" if flagged else color,
                       label=f"{name} ({fmt.count(pts[0].total_params)} total, {fmt.count(pts[0].active_params)} active)")[0]  # fmt: skip
        line.set_gid(f"frontier-{pts[0].status}-{sc}")
    api = [r for r in rows if r.kind == "api"]
    for mid in dict.fromkeys(r.scale for r in api):
        pts = [r for r in api if r.scale == mid]
        xs = [r.tokens_per_s_per_user for r in pts]
        if len(xs) > 1:
            ax.plot([min(xs), max(xs)], [pts[0].usd_per_million_tokens] * 2, color=t["fg"], lw=1, zorder=3)
        art = ax.scatter(xs, [r.usd_per_million_tokens for r in pts], marker="D", s=30, facecolors="none",
                         edgecolors=t["fg"], linewidths=1.2, zorder=4)  # fmt: skip
        art.set_gid(f"api-{mid}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Generation speed per user (output tokens/s, log scale)")
    ax.set_ylabel("GPU cost per million output tokens (USD, log scale)")
    ax.grid(True, which="major")
    handles, _ = ax.get_legend_handles_labels()
    if flagged:
        handles.append(Line2D([], [], color=t["fg"], ls="--", marker="o", markerfacecolor="none", markersize=3.5,
                              label="dashed, hollow: size is rumored"))  # fmt: skip
    if api:
        handles.append(Line2D([], [], ls="none", marker="D", markerfacecolor="none", markeredgecolor=t["fg"],
                              markersize=5, label="API price and speed (with margin)"))  # fmt: skip
    ax.legend(handles=handles, loc="upper right", fontsize=7.5)
    d.finish(ax)
    firsts: dict[str, Row] = {}
    for r in api:
        firsts.setdefault(r.scale, r)
    d.place_labels(ax, [r.tokens_per_s_per_user for r in firsts.values()],
                   [r.usd_per_million_tokens for r in firsts.values()],
                   [fig.extra["api_names"].get(m, m) for m in firsts], t["fg"], halo=t["bg"])  # fmt: skip
    return canvas
