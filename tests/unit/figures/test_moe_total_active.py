"""figures.moe_total_active: total against active parameters of each mixture of experts."""

from __future__ import annotations

from figures import moe_total_active as chart
from figures.moe_total_active import Row
from tests.unit.figures.toy_book import edit, v


def test_rows_are_the_models_with_both_counts(book):
    rows = chart.plan(book).rows
    both = {m.id for m in book.models.values() if m.active_params and m.active_params.value and m.params.value}
    assert {r.id for r in rows} == both
    for r in rows:
        m = book.models[r.id]
        assert r.sparsity == m.params.value / m.active_params.value
    assert [r.sparsity for r in rows] == sorted(r.sparsity for r in rows)


def test_an_undisclosed_total_is_not_plotted(book):
    fig = chart.plan(edit(book, "gpt-4", params=v(None)))
    assert "gpt-4" not in {r.id for r in fig.rows}
    assert "GPT-4:" not in fig.alt


def test_caption_and_alt_by_hand():
    rows = [
        Row("a", "A", 46.7e9, "disclosed", 12.9e9, "disclosed", 46.7 / 12.9),
        Row("b", "B", 1.8e12, "rumored", 220e9, "rumored", 1800 / 220),
    ]
    # 46.7 / 12.9 = 3.62; 1,800 / 220 = 8.18
    assert chart.caption(rows) == (
        "A mixture of experts runs a small part of its weights per token: from one in 3.6 (A) to one in 8.2 (B (rumored))"
    )
    alt = chart.alt_text(rows)
    assert "A: 46.7 B total, 12.9 B active (3.6 to one)." in alt
    assert "B: 1.8 T total, 220 B active (8.2 to one) (rumored)." in alt
