"""figures.tokens_per_param: tokens per parameter per model, sorted, against Chinchilla's ratio."""

from __future__ import annotations

import math

from figures import tokens_per_param as chart
from macros import format as fmt
from tests.unit.figures.toy_book import edit, toy_model, v, with_models


def test_values_and_order(book):
    fig = chart.plan(book)
    ratio = book.constants["chinchilla_tokens_per_param"].value
    for r in fig.rows:
        m = book.models[r.id]
        n = (m.active_params or m.params).value
        assert math.isclose(r.tokens_per_param, m.tokens.value / n, rel_tol=1e-12)
        assert math.isclose(r.overtrain_factor, m.tokens.value / (ratio * n), rel_tol=1e-12)
    assert [r.tokens_per_param for r in fig.rows] == sorted(r.tokens_per_param for r in fig.rows)
    # Chinchilla by hand: 1.4e12 tokens / 70e9 parameters = 20
    assert math.isclose(next(r for r in fig.rows if r.id == "chinchilla").tokens_per_param, 20.0)


def test_an_undisclosed_model_is_not_plotted(book):
    fig = chart.plan(edit(book, "gemma-3-270m", params=v(None)))
    assert "gemma-3-270m" not in {r.id for r in fig.rows}
    assert "Gemma 3 270M" not in fig.title + fig.alt


def test_caption_and_alt_by_hand(book):
    toy = with_models(
        book,
        toy_model("a", "2020-01-01", 7e9, 12e9),  # 12 / 7 = 1.714: 1.71 tokens per parameter
        toy_model("b", "2021-01-01", 270e6, 6e12, "estimated"),  # 6e12 / 270e6 = 22,222
        only=True,
    )
    fig = chart.plan(toy)
    assert fig.title == "Tokens per parameter range from 1.71 (A) to 22,222 (B), against Chinchilla's 20"
    assert "to its left lie A, the others to its right." in fig.alt
    assert [q.expr for _, _, q in fig.title.numbers] == [
        "model('a').tokens_per_param",
        "model('b').tokens_per_param",
        "const('chinchilla_tokens_per_param')",
    ]


def test_caption_names_the_extremes_of_the_data(book):
    fig = chart.plan(book)
    known = [m for m in book.models.values() if (m.active_params or m.params).value and m.tokens.value]
    ratios = {m.name: m.tokens.value / (m.active_params or m.params).value for m in known}
    lo, hi = min(ratios, key=ratios.get), max(ratios, key=ratios.get)
    assert f"({lo})" in fig.title and f"({hi})" in fig.title
    assert f"{fmt.text(ratios[hi], 'number')} ({hi})" in fig.title
