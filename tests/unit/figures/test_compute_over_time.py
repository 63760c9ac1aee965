"""figures.compute_over_time: 6·N·D for models with parameters and tokens, next to the compute a source states."""

from __future__ import annotations

import math

from figures import compute_over_time as chart
from figures.compute_over_time import Row
from tests.unit.figures.toy_book import edit, v


def test_six_n_d_rows_by_hand(book):
    rows = {(r.id, r.kind): r for r in chart.plan(book).rows}
    # Llama 3 8B: 6 × 8.03e9 parameters × 15e12 tokens = 7.227e23 FLOP
    assert math.isclose(rows["llama-3-8b", "6ND"].flops, 7.227e23, rel_tol=1e-3)
    # DeepSeek-V3 is a mixture of experts: its 37e9 active parameters count, not its 671e9 total
    assert math.isclose(rows["deepseek-v3", "6ND"].flops, 6 * 37e9 * 14.8e12, rel_tol=1e-12)


def test_rows_are_the_models_with_data(book):
    rows = chart.plan(book).rows
    with_nd = {m.id for m in book.models.values() if (m.active_params or m.params).value and m.tokens.value}
    with_reported = {m.id for m in book.models.values() if m.reported_train_flops is not None}
    assert {r.id for r in rows if r.kind == "6ND"} == with_nd
    assert {r.id: r.flops for r in rows if r.kind == "reported"} == {
        i: book.models[i].reported_train_flops.value for i in with_reported
    }


def test_undisclosed_tokens_plot_no_six_n_d_point(book):
    rows = chart.plan(edit(book, "gopher", tokens=v(None))).rows
    assert ("gopher", "6ND") not in {(r.id, r.kind) for r in rows}


def test_caption_by_hand():
    rows = [
        Row("a", "A", "2018-06-01", "6ND", 1e19, "disclosed"),
        Row("b", "B", "2024-06-01", "reported", 2e25, "rumored"),
    ]
    # 2e25 / 1e19 = 2e6: six orders of magnitude (log10 = 6.3), in 2024 - 2018 = 6 years
    assert (
        chart.caption(rows)
        == "Training compute grew by about six orders of magnitude in 6 years, from A to B (rumored)"
    )


def test_caption_counts_growth_from_the_earliest_model_not_the_smallest():
    rows = [
        Row("a", "A", "2020-05-01", "reported", 3e23, "disclosed"),
        Row("t", "Tiny", "2025-08-01", "6ND", 1e22, "disclosed"),
        Row("b", "B", "2025-02-01", "reported", 6e26, "estimated"),
    ]
    # From A (2020) to B (2025): 6e26 / 3e23 = 2,000, three orders of magnitude in 5 years; the
    # recent Tiny model has less compute than A but is not where the growth started.
    assert (
        chart.caption(rows)
        == "Training compute grew by about three orders of magnitude in 5 years, from A to B (estimated)"
    )


def test_alt_names_the_extremes_and_the_models_with_both_points(book):
    fig = chart.plan(book)
    lo = min(fig.rows, key=lambda r: r.flops)
    hi = max(fig.rows, key=lambda r: r.flops)
    assert f"({lo.name}, {lo.released[:4]})" in fig.alt and f"({hi.name}, {hi.released[:4]}, {hi.status})" in fig.alt
    both = [m for m in book.models.values() if m.reported_train_flops is not None and m.tokens.value]
    assert both and all(m.name in fig.alt for m in both)
    assert f"({len([m for m in book.models.values() if m.reported_train_flops])} models)" in fig.alt
