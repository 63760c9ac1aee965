"""The charts' shared look: theme colours, status markers and the matplotlib settings that make SVGs byte-stable.

Nothing here imports matplotlib at module level; :func:`setup` does, when a chart is drawn.
"""

from __future__ import annotations

THEMES = ("light", "dark")
# Disclosed values are solid circles; estimates hollow squares; claims hollow diamonds; rumours
# hollow triangles.
STATUS_STYLE = {
    "disclosed": ("o", True),
    "estimated": ("s", False),
    "claimed": ("D", False),
    "rumored": ("^", False),
}
TITLE_WIDTH = 100  # characters per line of a chart's title
TITLE_SIZE = 10.5
# Written into every SVG: no date and no creator, so that the same chart gives the same bytes.
SVG_METADATA = {"Date": None, "Creator": None}

PALETTES = {
    "dark": {  # on Material's slate background (about #1e2129)
        "fg": "#e2e4e9",
        "grid": "#3b4152",
        "muted": "#a8adbd",
        "series": ["#8c9eff", "#ffab70", "#4dd0b5", "#e59af0", "#f5d76e", "#9fb3c8"],
        "flag": "#ffab70",
        "bg": "#1e2129",
    },
    "light": {
        "fg": "#1f2328",
        "grid": "#d8dce3",
        "muted": "#5c6370",
        "series": ["#3949ab", "#d84315", "#00897b", "#8e24aa", "#b7950b", "#546e7a"],
        "flag": "#d84315",
        "bg": "#ffffff",
    },
}


def palette(theme: str) -> dict:
    """The colours of one theme (anything but ``"dark"`` is the light theme)."""
    return PALETTES["dark" if theme == "dark" else "light"]


def rc_params(t: dict) -> dict:
    """matplotlib settings for one palette; ``svg.hashsalt`` keeps the SVG's element ids stable."""
    return {
        "svg.hashsalt": "llm-book",
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "text.color": t["fg"],
        "axes.labelcolor": t["fg"],
        "axes.edgecolor": t["muted"],
        "axes.titlecolor": t["fg"],
        "xtick.color": t["fg"],
        "ytick.color": t["fg"],
        "xtick.labelcolor": t["fg"],
        "ytick.labelcolor": t["fg"],
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.edgecolor": "none",
        "grid.color": t["grid"],
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "legend.fontsize": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def setup(theme: str):
    """Import matplotlib (Agg backend), reset it to defaults plus the book's settings; return (pyplot, palette)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = palette(theme)
    plt.rcParams.update(matplotlib.rcParamsDefault)
    plt.rcParams.update(rc_params(t))
    return plt, t
