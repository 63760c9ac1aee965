"""Chart: training GPU-hours against training compute, with the implied utilisation and a rental-cost axis."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive
from macros import format as fmt
from macros import formulas as f
from macros.data import Book
from macros.quantity import Q

from . import drawing as d
from .common import data_models, known, least_certain
from .figure import Figure
from .said import Said, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "training-cost"
REFERENCE_GPU = "h100-sxm"  # the GPU of the utilisation guides
MFU_KEYS = ("llama3_405b_mfu_low", "llama3_405b_mfu_high")  # the guides' utilisations (constants)
PRICE = "h100_price_per_gpu_hour"  # the rental price of the cost axis (a constant)


class Row(NamedTuple):
    kind: str  # "model", or "guide" (one end of a line at a fixed utilisation)
    id: str  # a model's id, or the guide's constant
    name: str
    flops: float  # 6·N·D
    status: str  # of the compute's inputs
    gpu_hours: float
    gpu_hours_status: str
    hardware: str  # the training GPU's name ("" if unknown)
    mfu: float | str  # implied utilisation of the BF16 peak ("" without a known GPU)


def plan(book: Book) -> Figure | None:
    rows = []
    for m, v in data_models(book):
        if not known(m.gpu_hours):
            continue
        hw = book.hardware.get(m.train_hardware or "")
        util = derive.training_mfu(book, m)
        g = m.gpu_hours
        rows.append(
            Row("model", m.id, m.name, v.train_flops, v.derived_status, g.value, g.status, hw.name if hw else "",
                "" if util is None else util)
        )  # fmt: skip
    if not rows:
        return None
    ref = book.hardware.get(REFERENCE_GPU)
    mfus = [(key, derive.constant(book, key)) for key in MFU_KEYS]
    lo_c, hi_c = min(r.flops for r in rows) / 2, max(r.flops for r in rows) * 2
    if ref is not None:
        peak = derive.hardware_peak(ref, "bf16", f"the {NAME} chart (its utilisation guides)")
        for key, u in mfus:
            for c in (lo_c, hi_c):
                hours = f.gpu_hours_for(c, peak, u)
                rows.append(Row("guide", key, "", c, "", hours, "", "", u))
    price = derive.constant(book, PRICE)
    models = [r for r in rows if r.kind == "model"]
    w = words(book)
    return Figure(
        name=NAME,
        title=caption(w, models),
        alt=alt_text(w, models, ref.name if ref else ""),
        rows=tuple(rows),
        draw=draw,
        extra={"price": price, "ref": ref.name if ref else ""},
    )


def utilisation(w: SimpleNamespace, r: Row) -> Q:
    """The utilisation a model's GPU-hours imply on its training GPU's BF16 peak (the chapters' ``mfu``)."""
    m = w.model(r.id)
    return w.mfu(m.train_flops, m.gpu_hours, w.hw(m.m.train_hardware).peak("bf16"))


def caption(w: SimpleNamespace, models: list[Row]) -> Said | str:
    """``w``: the chapter words (:func:`figures.said.words`)."""
    with_u = [r for r in models if r.mfu != ""]
    if not with_u:
        return "Training GPU-hours grow with compute"
    lo_u, hi_u = min(with_u, key=lambda r: r.mfu), max(with_u, key=lambda r: r.mfu)
    return say(
        "GPU-hours follow compute; implied utilisation runs from ",
        utilisation(w, lo_u),
        f" ({lo_u.name}) to ",
        utilisation(w, hi_u),
        f" ({hi_u.name})",
    )


def alt_text(w: SimpleNamespace, models: list[Row], ref: str) -> Said:
    """``ref``: the name of the GPU of the utilisation guides ("" if the data lack it)."""
    most = max(models, key=lambda r: r.gpu_hours)
    least = min(models, key=lambda r: r.gpu_hours)
    with_u = [r for r in models if r.mfu != ""]
    price = w.const(PRICE, "usd_per_hour")
    guides: list[str | Q] = []
    if ref:
        guides = [f" Two dashed lines show the GPU-hours an {ref} would need at Llama 3.1 405B's reported utilisation "]
        guides += [
            "of ",
            w.const(MFU_KEYS[0], "percent"),
            " and ",
            w.const(MFU_KEYS[1], "percent"),
            " of its BF16 peak.",
        ]
    each: list[str | Q] = []
    for r in with_u:
        each += [f" {r.name}: ", utilisation(w, r), f" implied utilisation on {r.hardware}."]
    return say(
        "Log-log scatter chart of disclosed training GPU-hours against training compute (6·N·D, FLOP), from ",
        w.model(least.id).gpu_hours,
        f" ({least.name}) to ",
        w.model(most.id).gpu_hours,
        f" ({most.name}). A right-hand axis converts GPU-hours to rental cost at ",
        price,
        f", so {most.name} corresponds to ",
        w.cost(w.model(most.id).gpu_hours, price),
        ".",
        *guides,
        *each,
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    plt, t = setup(theme)
    canvas, ax = d.canvas(plt, t, fig.title, (8, 5.4))
    rows: tuple[Row, ...] = fig.rows
    models = [r for r in rows if r.kind == "model"]
    guides = [r for r in rows if r.kind == "guide"]
    for i, key in enumerate(dict.fromkeys(r.id for r in guides)):
        pts = [r for r in guides if r.id == key]
        ax.plot([r.flops for r in pts], [r.gpu_hours for r in pts], color=t["muted"], lw=1, ls=["--", ":"][i % 2],
                zorder=1, label=f"{fig.extra['ref']} at {fmt.percent(pts[0].mfu)} utilisation (Llama 3.1 405B)")  # fmt: skip
    statuses = [least_certain(r.status, r.gpu_hours_status) for r in models]
    xs, ys = [r.flops for r in models], [r.gpu_hours for r in models]
    d.status_scatter(ax, xs, ys, statuses, t["series"][0], t, labels=False)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Training compute 6·N·D (FLOP, log scale)")
    ax.set_ylabel("Training GPU-hours (log scale)")
    ax.grid(True, which="major")
    price = fig.extra["price"]
    ax.set_xlim(min(xs) / 3, max(xs) * 3)
    ax.set_ylim(min(ys) / 4, max(ys) * 4)
    sec = ax.secondary_yaxis("right", functions=(lambda h: h * price, lambda usd: usd / price))
    d.log_axis(sec.yaxis, (min(ys) / 4 * price, max(ys) * 4 * price))
    sec.set_ylabel(f"Rental cost at ${fmt.sig(price)} per GPU-hour (USD, log scale)")
    lines = ax.get_legend_handles_labels()[0]
    d.status_legend(ax, t, extra=lines, loc="upper left")
    d.finish(ax)
    d.place_labels(ax, xs, ys, [r.name for r in models], t["fg"], halo=t["bg"])
    return canvas
