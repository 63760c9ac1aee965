"""Chart: where the parameters of each dense model live (embedding, attention, feed-forward, head, other)."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from macros import derive
from macros import format as fmt
from macros.data import Book

from . import drawing as d
from .figure import Figure
from .said import Said, say, words
from .style import setup

if TYPE_CHECKING:
    import matplotlib.figure

NAME = "param-breakdown"
BREAKDOWN = ("embedding", "attention", "ffn", "head", "other")  # "other": learned positions and norms


class Row(NamedTuple):
    id: str
    name: str
    total_params: float
    embedding_share: float
    attention_share: float
    ffn_share: float
    head_share: float
    other_share: float
    arch_status: str

    def shares(self) -> tuple[float, ...]:
        """The five shares in the order of :data:`BREAKDOWN` (they sum to one)."""
        return tuple(getattr(self, f"{c}_share") for c in BREAKDOWN)


def breakdown_shares(parts: Mapping[str, float]) -> dict[str, float]:
    """Each part's share of the parameters (``parts``: a model's breakdown from macros.derive), and the total."""
    total = parts["total"]
    other = parts["position"] + parts["norms"]
    raw = {"embedding": parts["embedding"], "attention": parts["attention"], "ffn": parts["ffn"]}
    raw |= {"head": parts["head"], "other": other}
    return {k: v / total for k, v in raw.items()} | {"total": total}


def plan(book: Book) -> Figure | None:
    dense = [m for m in book.models.values() if m.arch is not None and not m.arch.experts and not m.is_moe]
    if not dense:
        return None
    parts = {m.id: derive.model_values(book, m).breakdown for m in dense}
    rows = []
    for m in sorted(dense, key=lambda m: (parts[m.id]["total"], m.id)):
        s = breakdown_shares(parts[m.id])
        rows.append(Row(m.id, m.name, s["total"], *(s[c] for c in BREAKDOWN), m.arch_status or "disclosed"))
    w = words(book)
    return Figure(name=NAME, title=caption(w, rows), alt=alt_text(w, rows), rows=tuple(rows), draw=draw)


def _picks(rows: list[Row]) -> tuple[Row, Row, Row, Row]:
    """The models the caption and the alt text name: smallest, largest, most embedding, most feed-forward."""
    return rows[0], rows[-1], max(rows, key=lambda r: r.embedding_share), max(rows, key=lambda r: r.ffn_share)


def caption(w: SimpleNamespace, rows: list[Row]) -> Said:
    """``w``: the chapter words (:func:`figures.said.words`); ``rows`` sorted by size."""
    _, big, top_emb, _ = _picks(rows)
    return say(
        "Embeddings hold ",
        w.model(top_emb.id).share("embedding"),
        f" of {top_emb.name} but ",
        w.model(big.id).share("embedding"),
        f" of {big.name}, where the feed-forward layers hold ",
        w.model(big.id).share("ffn"),
    )


def alt_text(w: SimpleNamespace, rows: list[Row]) -> Said:
    small, big, top_emb, most_ffn = _picks(rows)
    return say(
        f"Stacked horizontal bars, one per dense model, sorted by size from {small.name} at ",
        w.model(small.id).part("total"),
        f" to {big.name} at ",
        w.model(big.id).part("total"),
        " parameters, showing the share of the parameters in the token embedding, attention, feed-forward "
        "layers, output head and other parts (norms and learned positions), computed from each published "
        "architecture. The embedding share ranges from ",
        w.model(top_emb.id).share("embedding"),
        f" ({top_emb.name}) down to ",
        w.model(big.id).share("embedding"),
        f" ({big.name}); the feed-forward share peaks at ",
        w.model(most_ffn.id).share("ffn"),
        f" in {most_ffn.name}.",
    )


def draw(fig: Figure, theme: str) -> matplotlib.figure.Figure:
    """The chart in one theme (``light`` or ``dark``)."""
    plt, t = setup(theme)
    rows: tuple[Row, ...] = fig.rows
    canvas, ax = d.canvas(plt, t, fig.title, (8, 1.9 + 0.3 * len(rows)))
    labels = {"embedding": "token embedding", "attention": "attention", "ffn": "feed-forward (FFN)",
              "head": "output head", "other": "other (norms, positions)"}  # fmt: skip
    colors = dict(zip(BREAKDOWN, [t["series"][0], t["series"][2], t["series"][1], t["series"][3], t["muted"]],
                      strict=True))  # fmt: skip
    ys = list(range(len(rows)))
    left = [0.0] * len(rows)
    for k, comp in enumerate(BREAKDOWN):
        widths = [r.shares()[k] * 100 for r in rows]
        bars = ax.barh(ys, widths, left=left, color=colors[comp], height=0.7, label=labels[comp],
                       edgecolor="none", zorder=2)  # fmt: skip
        for i, patch in enumerate(bars.patches):
            patch.set_gid(f"share-{comp}-{rows[i].id}")
        for y, w, lft in zip(ys, widths, left, strict=True):
            if w >= 7:
                txt_color = "#ffffff" if theme == "light" or comp == "other" else "#1e2129"
                ax.text(lft + w / 2, y, f"{w:.0f}%", ha="center", va="center", fontsize=7, color=txt_color, zorder=3)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(ys, [f"{r.name}  ({fmt.count(r.total_params)})" for r in rows], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("Share of all parameters (%)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=5, fontsize=8, handlelength=1.2)
    return canvas
