"""figures.params_over_time: one point per model with a known parameter count, oldest first."""

from __future__ import annotations

from figures import params_over_time as chart
from macros import format as fmt
from tests.unit.figures.toy_book import edit, toy_model, v, with_models


def test_one_row_per_model_with_a_known_parameter_count(book):
    fig = chart.plan(book)
    expected = {m.id for m in book.models.values() if m.params.value is not None}
    assert [r.id for r in fig.rows] == sorted(expected, key=lambda i: (book.models[i].released, i))
    for r in fig.rows:
        m = book.models[r.id]
        assert (r.params, r.params_status, r.released) == (m.params.value, m.params.status, m.released.isoformat())
        assert r.active_params == (m.active_params.value if m.active_params else "")
    assert fig.columns == ("id", "name", "released", "params", "params_status", "active_params", "active_status")


def test_an_undisclosed_count_is_not_plotted(book):
    hidden = edit(book, "gpt-4", params=v(None))
    fig = chart.plan(hidden)
    assert "gpt-4" not in {r.id for r in fig.rows}
    assert "GPT-4 " not in fig.alt and "GPT-4," not in fig.alt


def test_caption_by_hand(book):
    toy = with_models(
        book,
        toy_model("a", "2020-01-01", 1e9, None),
        toy_model("b", "2021-01-01", 1e12, None, "rumored"),
        toy_model("c", "2022-01-01", 1e10, None),
        only=True,
    )
    fig = chart.plan(toy)
    # 1e12 / 1e9 = 1,000; C came later and is smaller
    assert (
        fig.title
        == "Parameter counts grew 1,000× from A to B (rumored); no later model of known or estimated size is larger"
    )
    # the number is the chapters' quantity, kept with its place in the text
    ((start, end, q),) = fig.title.numbers
    assert (fig.title[start:end], q.expr, q.status) == ("1,000×", "(model('b').params / model('a').params)", "rumored")
    bigger_later = with_models(toy, toy_model("d", "2023-01-01", 2e12, None))
    assert chart.plan(bigger_later).title == "Parameter counts grew 2,000× from A to D"


def test_caption_and_alt_follow_the_data(book):
    fig = chart.plan(book)
    known = [m for m in book.models.values() if m.params.value is not None]
    first = min(known, key=lambda m: (m.released, m.id))
    largest = max(known, key=lambda m: m.params.value)
    smallest = min(known, key=lambda m: m.params.value)
    grew = fmt.text(largest.params.value / first.params.value, "ratio")
    assert fig.title.startswith(f"Parameter counts grew {grew}")
    assert f"from {first.name} to {largest.name}" in fig.title
    assert f"The largest is {largest.name} at {fmt.count(largest.params.value)}" in fig.alt
    assert f"the smallest is {smallest.name} at {fmt.count(smallest.params.value)}" in fig.alt
    for m in known:  # every estimated or rumored count is named, and every mixture of experts
        if m.params.status != "disclosed" or m.active_params is not None:
            assert m.name in fig.alt


def test_nothing_to_plot_plans_nothing(book):
    hidden = with_models(book, toy_model("toy", "2024-01-01", None, None), only=True)
    assert chart.plan(hidden) is None
