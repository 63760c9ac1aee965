"""figures.moe_total_active: total against active parameters of each mixture of experts."""

from __future__ import annotations

from figures import moe_total_active as chart
from tests.unit.figures.toy_book import edit, toy_model, v, with_models


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


def test_caption_and_alt_by_hand(book):
    toy = with_models(
        book,
        toy_model("a", "2023-12-01", 46.7e9, None, active_params=v(12.9e9)),
        toy_model("b", "2023-03-01", 1.8e12, None, "rumored", active_params=v(220e9, "rumored")),
        only=True,
    )
    fig = chart.plan(toy)
    # active shares: 12.9 / 46.7 = 27.6 %, 220 / 1,800 = 12.2 %; sparsities 3.62 and 8.18
    assert fig.title == (
        "A mixture of experts runs a small part of its weights per token: from 28 % for A to 12 % for B (rumored)"
    )
    assert "A: 46.7 B total, 12.9 B active, a sparsity of 1:3.6." in fig.alt
    assert "B: 1.8 T total, 220 B active, a sparsity of 1:8.2 (rumored)." in fig.alt
    assert [q.expr for _, _, q in fig.title.numbers] == ["active_share('a', 'stated')", "active_share('b', 'stated')"]
