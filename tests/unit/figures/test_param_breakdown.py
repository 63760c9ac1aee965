"""figures.param_breakdown: the parts of each dense model's parameters, from its architecture."""

from __future__ import annotations

import math

from figures import param_breakdown as chart
from figures.param_breakdown import Row
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


def test_caption_and_alt_by_hand():
    rows = [
        Row("s", "Small", 1e8, 0.40, 0.20, 0.30, 0.09, 0.01, "disclosed"),
        Row("m", "Mid", 1e9, 0.10, 0.30, 0.50, 0.09, 0.01, "disclosed"),
        Row("b", "Big", 1e11, 0.02, 0.30, 0.66, 0.01, 0.01, "disclosed"),
    ]
    assert chart.caption(rows) == "Embeddings hold 40% of Small but 2.0% of Big, where the feed-forward layers hold 66%"
    alt = chart.alt_text(rows)
    assert "(3 models, sorted by size from Small at 100 M to Big at 100 B parameters)" in alt
    assert "the feed-forward share peaks at 66% in Big." in alt
