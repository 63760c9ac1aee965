"""figures.compute_over_time: 6·N·D for models with parameters and tokens, next to the compute a source states."""

from __future__ import annotations

import math

from figures import compute_over_time as chart
from macros import format as fmt
from tests.unit.figures.toy_book import edit, toy_model, v, with_models


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


def test_caption_by_hand(book):
    toy = with_models(
        book,
        toy_model("a", "2018-06-01", 1e9, 1e10),  # 6 × 1e9 × 1e10 = 6e19 FLOP
        toy_model("b", "2024-06-01", None, None, reported_train_flops=v(6e25, "rumored")),
        only=True,
    )
    fig = chart.plan(toy)
    # 6e25 / 6e19 = 1e6: log10 = 6.0 orders of magnitude
    assert fig.title == "Training compute grew by 6.0 orders of magnitude from A to B (rumored)"
    ((start, end, q),) = fig.title.numbers
    assert q.expr == "orders((model('b').reported_train_flops / model('a').train_flops))"
    assert (fig.title[start:end], q.status) == ("6.0", "rumored")


def test_caption_counts_growth_from_the_earliest_model_not_the_smallest(book):
    toy = with_models(
        book,
        toy_model("a", "2020-05-01", None, None, reported_train_flops=v(3e23)),
        toy_model("t", "2025-08-01", 1e9, 1e12),  # 6e21 FLOP: less than A, but not where growth started
        toy_model("b", "2025-02-01", None, None, reported_train_flops=v(6e26, "estimated")),
        only=True,
    )
    # From A to B: 6e26 / 3e23 = 2,000, log10 = 3.30
    assert chart.plan(toy).title == "Training compute grew by 3.3 orders of magnitude from A to B (estimated)"


def test_alt_names_the_extremes_and_the_models_with_both_points(book):
    fig = chart.plan(book)
    lo = min(fig.rows, key=lambda r: r.flops)
    hi = max(fig.rows, key=lambda r: r.flops)
    assert f"{fmt.scientific(lo.flops)} FLOP ({lo.name})" in fig.alt
    assert f"{fmt.scientific(hi.flops)} FLOP ({hi.name}, {hi.status})" in fig.alt
    both = [m for m in book.models.values() if m.reported_train_flops is not None and m.tokens.value]
    assert both and all(m.name in fig.alt for m in both)
