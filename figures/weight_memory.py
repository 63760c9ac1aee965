"""Chart: memory for each model's weights at four precisions, against the memory of one GPU."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive, units
from macros import format as fmt
from macros import formulas as f
from macros.data import Book

from . import drawing as d
from .common import known, names
from .figure import Figure
from .said import Said, listing, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "weight-memory"
# The GPUs drawn as vertical lines (a choice of what to show, not a fact).
MEMORY_GPUS = ("rtx-4090", "h100-sxm", "h200-sxm", "b200")
PRECISION_NAMES = {"fp32": "FP32", "bf16": "BF16", "fp8": "FP8", "int4": "INT4"}


class Row(NamedTuple):
    kind: str  # "model" (one row per precision) or "gpu"
    id: str
    name: str
    precision: str  # "" for a GPU
    gigabytes: float  # the weights' memory, or the GPU's
    status: str


def plan(book: Book) -> Figure | None:
    models = sorted((m for m in book.models.values() if known(m.params)), key=lambda m: (m.params.value, m.id))
    if not models:
        return None
    weights = {m.id: derive.model_values(book, m).weight_bytes for m in models}
    rows = [
        Row("model", m.id, m.name, p, weights[m.id][p] / units.GB, m.params.status)
        for m in models
        for p in f.BYTES_PER_PARAM
    ]
    gpus = [book.hardware[h] for h in MEMORY_GPUS if h in book.hardware]
    memory = {g.id: derive.hardware_values(g).memory_bytes for g in gpus}
    rows += [Row("gpu", g.id, g.name, "", memory[g.id] / units.GB, g.memory_bytes.status) for g in gpus]
    precisions = list(f.BYTES_PER_PARAM)
    w = words(book)
    title: Said | str = "Weight memory at four precisions against the memory of one GPU"
    if gpus:
        small, big = min(gpus, key=lambda g: memory[g.id]), max(gpus, key=lambda g: memory[g.id])

        def largest_fitting(p: str, gpu) -> str | None:
            fit = [m for m in models if derive.devices_needed(weights[m.id][p], gpu) == 1]
            return fit[-1].id if fit else None  # models are sorted by size

        low, high = precisions[-1], precisions[0]
        title = say(
            "At",
            fits(w, low, small.id, largest_fitting(low, small)),
            "; at",
            fits(w, high, big.id, largest_fitting(high, big)),
        )
    return Figure(
        name=NAME,
        title=title,
        alt=alt_text(w, rows, precisions),
        rows=tuple(rows),
        draw=draw,
        extra={"precisions": precisions},
    )


def fits(w: SimpleNamespace, precision: str, gpu_id: str, model_id: str | None) -> Said:
    """' INT4, one GeForce RTX 4090 with 24 GB holds …up to X (… GB)': ``model_id`` is the largest that fits."""
    gpu = w.hw(gpu_id)
    at = f" {PRECISION_NAMES[precision]}, one {gpu.display} with "
    if model_id is None:
        return say(at, gpu.memory, " holds no model's weights")
    m = w.model(model_id)
    return say(at, gpu.memory, f" holds the weights of models up to {m.display} (", m.mem(precision), ")")


def status(r: Row) -> str:
    """', size rumored' after a model whose parameter count is not disclosed; nothing otherwise."""
    return "" if r.status == "disclosed" else f", size {r.status}"


def alt_text(w: SimpleNamespace, rows: list[Row], precisions: list[str]) -> Said:
    mem = [r for r in rows if r.kind == "model"]
    gpus = [r for r in rows if r.kind == "gpu"]
    lo, hi = min(mem, key=lambda r: r.gigabytes), max(mem, key=lambda r: r.gigabytes)
    return say(
        "Chart of the memory needed to hold each model's weights at "
        f"{names(PRECISION_NAMES[p] for p in precisions)} (logarithmic horizontal axis, gigabytes), from ",
        w.model(lo.id).mem(lo.precision),
        f" ({lo.name} at {PRECISION_NAMES[lo.precision]}{status(lo)}) to ",
        w.model(hi.id).mem(hi.precision),
        f" ({hi.name} at {PRECISION_NAMES[hi.precision]}{status(hi)}). Vertical lines mark the memory of one ",
        listing(say(f"{g.name} with ", w.hw(g.id).memory) for g in gpus),
        ". Hollow markers are models whose parameter count is estimated or rumored.",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    plt, t = setup(theme)
    rows: tuple[Row, ...] = fig.rows
    mem = [r for r in rows if r.kind == "model"]
    gpus = [r for r in rows if r.kind == "gpu"]
    ids = list(dict.fromkeys(r.id for r in mem))
    label = {r.id: r.name for r in mem}
    status = {r.id: r.status for r in mem}
    canvas, ax = d.canvas(plt, t, fig.title, (8, 1.9 + 0.24 * len(ids)))
    y = {mid: i for i, mid in enumerate(ids)}
    for mid in ids:
        vals = [r.gigabytes for r in mem if r.id == mid]
        ax.plot([min(vals), max(vals)], [y[mid], y[mid]], color=t["grid"], lw=2.2, zorder=1, solid_capstyle="butt")
    markers = ["o", "s", "D", "v"]
    for i, p in enumerate(fig.extra["precisions"]):
        pts = [r for r in mem if r.precision == p]
        color = t["series"][i]
        for flagged in (False, True):
            sel = [r for r in pts if (r.status != "disclosed") == flagged]
            if sel:
                art = ax.scatter([r.gigabytes for r in sel], [y[r.id] for r in sel], marker=markers[i % 4], s=28,
                                 facecolors="none" if flagged else color, edgecolors=color, linewidths=1.3, zorder=3,
                                 label=None if flagged else PRECISION_NAMES.get(p, p))  # fmt: skip
                art.set_gid(f"{p}-{'flagged' if flagged else 'disclosed'}")
    ax.set_yticks(list(y.values()), [label[m] + ("" if status[m] == "disclosed" else f" ({status[m]})") for m in ids],
                  fontsize=8)  # fmt: skip
    ax.set_ylim(-0.7, len(ids) - 0.3)
    ax.set_xlabel("Memory for the weights alone (GB, log scale)")
    ax.grid(True, which="major", axis="x")
    hollow = Line2D([], [], ls="none", marker="o", markerfacecolor="none", markeredgecolor=t["fg"], markersize=5,
                    label="hollow: estimated or rumored size")  # fmt: skip
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + [hollow], loc="lower right", ncols=1)
    ax.set_xscale("log")
    for g in gpus:
        ax.axvline(g.gigabytes, color=t["muted"], lw=0.9, ls=(0, (4, 3)), zorder=0)
    d.finish(ax, freeze_layout=False)
    renderer = canvas.canvas.get_renderer()
    placed: list = []
    for g in sorted(gpus, key=lambda g: g.gigabytes):  # stack the GPU names above the axes so none collide
        for level in range(len(gpus)):
            a = ax.annotate(f"{g.name}: {fmt.sig(g.gigabytes)} GB", (g.gigabytes, 1.0),
                            xycoords=("data", "axes fraction"), xytext=(0, 3 + 11 * level),
                            textcoords="offset points", fontsize=7, color=t["muted"], ha="center", va="bottom",
                            arrowprops={"arrowstyle": "-", "color": t["muted"], "lw": 0.5, "shrinkA": 0, "shrinkB": 0}
                            if level else None)  # fmt: skip
            box = Text.get_window_extent(a, renderer).expanded(1.06, 1.0)  # the text alone, not its leader
            if not any(box.overlaps(b) for b in placed):
                placed.append(box)
                break
            a.remove()
    d.finish(ax)
    return canvas
