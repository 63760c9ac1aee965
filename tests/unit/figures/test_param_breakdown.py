"""figures.param_breakdown: the parts of each dense model's parameters, from its architecture."""

from __future__ import annotations

import math

from figures import param_breakdown as chart
from macros import format as fmt
from tests.unit.figures.toy_book import edit


def test_only_dense_models_with_an_architecture(book):
    rows = chart.plan(book).rows
    assert {r.id for r in rows} == {m.id for m in book.models.values() if m.arch is not None and not m.is_moe}
    assert "mixtral-8x7b" not in {r.id for r in rows}


def test_llama_3_8b_by_hand(book):
    (r,) = [r for r in chart.plan(book).rows if r.id == "llama-3-8b"]
    # embedding: 128,256 tokens × 4,096 = 525,336,576 of 8,030,261,248 parameters; untied head the same
    assert r.total_params == 8_030_261_248
    assert math.isclose(r.embedding_share, 525_336_576 / 8_030_261_248)
    assert math.isclose(r.head_share, 525_336_576 / 8_030_261_248)
    assert math.isclose(sum(r.shares()), 1.0, rel_tol=1e-12)


def test_a_model_without_architecture_is_left_out(book):
    rows = chart.plan(edit(book, "gpt-2", arch=None)).rows
    assert "gpt-2" not in {r.id for r in rows}


def test_caption_and_alt_take_the_chapters_shares(book):
    fig = chart.plan(book)
    rows = fig.rows
    big, top = rows[-1], max(rows, key=lambda r: r.embedding_share)
    assert fig.title == (
        f"Embeddings hold {fmt.percent(top.embedding_share)} of {top.name} but {fmt.percent(big.embedding_share)} "
        f"of {big.name}, where the feed-forward layers hold {fmt.percent(big.ffn_share)}"
    )
    assert [q.expr for _, _, q in fig.title.numbers] == [
        f"model({top.id!r}).share('embedding')",
        f"model({big.id!r}).share('embedding')",
        f"model({big.id!r}).share('ffn')",
    ]
    assert f"sorted by size from {rows[0].name} at {fmt.count(rows[0].total_params)} to {big.name} at" in fig.alt
