"""Drawing helpers several charts share: the titled canvas, log axes, status markers, label placement, SVG output.

matplotlib is imported inside the functions, so planning a chart never loads it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Iterable

from macros import format as fmt

from .style import STATUS_STYLE, SVG_METADATA, TITLE_SIZE, TITLE_WIDTH


def canvas(plt, t: dict, title: str, size: tuple[float, float]):
    """A figure with one axes and the chart's title, wrapped, flush left above it."""
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    fig.suptitle("\n".join(textwrap.wrap(title, TITLE_WIDTH)), x=0.01, ha="left", fontsize=TITLE_SIZE, color=t["fg"])
    return fig, ax


def power_of_ten(v: float, _pos=None) -> str:
    """10⁹-style label for a decade, written with Unicode superscripts.

    It reads like matplotlib's LogFormatterSciNotation but needs no mathtext parse, which
    took about a fifth of a render.
    """
    if v <= 0:
        return ""
    exponent = round(math.log10(v))
    if not math.isclose(v, 10.0**exponent, rel_tol=1e-9):
        return fmt.scientific(v, 2).replace(" ", "")
    return "10" + fmt.superscript(exponent)


def log_axis(axis, span: tuple[float, float] | None = None) -> None:
    """Decades labelled 10⁹-style; an axis spanning under about two decades also labels 2 and 5
    times each power of ten, in plain digits, so that it never shows a single tick label."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    lo, hi = sorted(span or axis.get_view_interval())
    narrow = lo > 0 and math.log10(hi / lo) < 2.2
    axis.set_major_locator(LogLocator(base=10, numticks=12))
    if narrow:
        plain = FuncFormatter(lambda v, _: fmt.sig(v, 2) if 1e-3 <= v < 1e6 else power_of_ten(v))
        axis.set_major_formatter(plain)
        axis.set_minor_locator(LogLocator(base=10, subs=(2.0, 5.0), numticks=12))
        axis.set_minor_formatter(plain)
    else:
        axis.set_major_formatter(FuncFormatter(power_of_ten))
        axis.set_minor_locator(LogLocator(base=10, subs=tuple(range(2, 10)), numticks=12))
        axis.set_minor_formatter(NullFormatter())


def finish(ax, freeze_layout: bool = True) -> None:
    """Tick every log axis once its limits are final, run the layout once and (by default) keep it.

    Call it before placing labels, which need final pixel positions. Freezing the layout also
    spares ``savefig`` a second constrained-layout pass, the costliest step of a render; the
    layout is in figure fractions, so it holds at the SVG's resolution too.
    """
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            log_axis(axis)
    ax.figure.draw_without_rendering()  # runs the layout and tick placement, paints nothing
    if freeze_layout:
        freeze(ax.figure)
    ax._book_finished = True


def freeze(fig) -> None:
    """Keep the layout the labels were placed in (constrained layout would move the axes again)."""
    fig.set_layout_engine("none")


def status_scatter(ax, xs, ys, statuses, color, t, size=36, gid="points", labels=True, flag_color=None) -> None:
    """Disclosed points solid, estimated and rumored hollow, each status its own SVG group."""
    for status, (marker, filled) in STATUS_STYLE.items():
        pts = [(x, y) for x, y, s in zip(xs, ys, statuses, strict=True) if s == status]
        if not pts:
            continue
        edge = color if filled else (flag_color or t["flag"])
        art = ax.scatter(
            [p[0] for p in pts], [p[1] for p in pts], marker=marker, s=size, zorder=4, linewidths=1.4,
            facecolors=color if filled else "none", edgecolors=edge,
            label=status if labels else None,
        )  # fmt: skip
        art.set_gid(f"{gid}-{status}")


def status_legend(ax, t, extra=(), loc="upper left", color=None, **kw) -> None:
    """A legend that always explains the three marker styles, plus any extra handles."""
    from matplotlib.lines import Line2D

    handles = []
    for status, (marker, filled) in STATUS_STYLE.items():
        c = color or t["series"][0]
        handles.append(
            Line2D([], [], ls="none", marker=marker, markersize=6, markeredgewidth=1.4,
                   markerfacecolor=c if filled else "none", markeredgecolor=c if filled else t["flag"], label=status)
        )  # fmt: skip
    ax.legend(handles=handles + list(extra), loc=loc, **kw)


def place_labels(ax, xs, ys, labels, color, size=7, avoid=(), halo=None) -> None:
    """Greedy placement: for each point try offsets outward, keep the first that overlaps no
    other label, no marker and no legend and stays inside the axes; if none is free, use the
    least-overlapping candidate. A label placed away from its point gets a leader line.

    Each label's size is measured once; candidate boxes are then plain arithmetic, so a chart
    with thirty labels costs thirty text layouts, not three hundred.
    """
    import numpy as np
    from matplotlib.transforms import Bbox

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    px_per_pt = fig.dpi / 72
    pts = ax.transData.transform(np.column_stack([ax.xaxis.convert_units(xs), ax.yaxis.convert_units(ys)]))
    r = 4.5 * px_per_pt  # marker radius
    markers = [Bbox([[px - r, py - r], [px + r, py + r]]) for px, py in pts]
    taken = list(avoid)
    leg = ax.get_legend()
    if leg is not None:
        taken.append(leg.get_window_extent(renderer))
    near = [(6, 2), (6, -9), (-6, 2), (-6, -9), (0, 7), (0, -14)]
    far = [(dx * k, dy * k) for k in (2, 3) for dx, dy in ((8, 6), (8, -12), (-8, 6), (-8, -12), (0, 10), (0, -16))]
    inside = ax.get_window_extent(renderer)
    # A faint plate in the page colour keeps a label legible where it crosses a grid or data line.
    plate = {"boxstyle": "square,pad=0.05", "fc": halo, "ec": "none", "alpha": 0.75} if halo else None
    probe = ax.text(0, 0, "", fontsize=size, transform=None)

    def overlap(b) -> float:
        area = 0.0
        for o in taken + markers:
            w = min(b.x1, o.x1) - max(b.x0, o.x0)
            h = min(b.y1, o.y1) - max(b.y0, o.y0)
            if w > 0 and h > 0:
                area += w * h
        if not (inside.contains(b.x0, b.y0) and inside.contains(b.x1, b.y1)):
            area += 1e6
        return area

    for (px, py), x, y, text in zip(pts, xs, ys, labels, strict=True):
        probe.set_text(text)
        ext = probe.get_window_extent(renderer)
        w, h = ext.width * 1.04, ext.height * 1.08
        best = None
        for dx, dy in near + far:
            ax_, ay = px + dx * px_per_pt, py + dy * px_per_pt
            x0 = ax_ if dx > 0 else ax_ - w if dx < 0 else ax_ - w / 2
            box = Bbox([[x0, ay], [x0 + w, ay + h]])
            cost = overlap(box)
            if best is None or cost < best[0]:
                best = (cost, box, (dx, dy))
            if cost == 0:
                break
        _, box, (dx, dy) = best
        leader = abs(dx) > 6 or abs(dy) > 14  # far from its point
        ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=size, color=color,
                    ha="left" if dx > 0 else "right" if dx < 0 else "center", va="bottom", zorder=5, bbox=plate,
                    arrowprops={"arrowstyle": "-", "color": color, "lw": 0.5, "alpha": 0.6, "shrinkA": 0,
                                "shrinkB": 3} if leader else None)  # fmt: skip
        taken.append(box)
    probe.remove()
    freeze(fig)


def date_axis(ax) -> None:
    """Years on the horizontal axis."""
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def dates(values: Iterable[str]) -> list[dt.date]:
    """ISO dates as :class:`datetime.date` (matplotlib's date axis wants dates)."""
    return [dt.date.fromisoformat(v) for v in values]


def date_num(d: dt.date) -> float:
    """A date in matplotlib's data coordinates."""
    import matplotlib.dates as mdates

    return mdates.date2num(d)


def svg_bytes(fig, theme: str) -> bytes:
    """Draw one planned chart in one theme and return its SVG (byte-stable: see :mod:`figures.style`)."""
    import matplotlib.pyplot as plt

    drawn = fig.draw(fig, theme)
    for ax in drawn.axes:
        if not getattr(ax, "_book_finished", False):
            finish(ax)
    buf = io.BytesIO()
    drawn.savefig(buf, format="svg", metadata=SVG_METADATA)
    plt.close(drawn)
    return buf.getvalue()
