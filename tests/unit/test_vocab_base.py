"""macros.vocab.base: the @word registry, binding to a book, const/ratio/cite."""

from __future__ import annotations

import pytest

from macros.errors import MacroError
from macros.vocab import WORDS, base
from tests.unit.vocabfix import words

CHAPTER_WORDS = {
    "model", "hw", "const", "gpu_days", "cost", "mfu", "ratio", "cite", "figure",
    "nonembedding_params", "kaplan_loss", "loss_factor", "loss_cut", "kaplan_drop", "kaplan_params_for_drop",
    "kaplan_loss_before_drop", "grow", "fit_loss", "optimal", "optimal_tokens", "compute_for_loss", "breakeven",
    "era", "era_start", "orders", "active_from_arch", "sparsity", "active_share", "expert_sparsity",
    "dense_equivalent", "days_at", "implied_utilisation", "halvings", "scaled", "with_reasoning", "kv_per_token",
    "serving", "generations", "calculator", "count", "source_year",
}  # fmt: skip


def test_every_chapter_word_is_registered_once():
    assert set(WORDS) == CHAPTER_WORDS


def test_a_second_word_of_the_same_name_is_refused():
    def const(v: object) -> None:
        return None

    with pytest.raises(ValueError, match="two chapter words named 'const'"):
        base.word(const)
    assert WORDS["const"] is base.const


def test_const_and_ratio_keep_provenance():
    w = words()
    r = w.const("chinchilla_tokens_per_param")
    assert (r.value, r.expr, r.inputs[0].symbol, r.inputs[0].text) == (
        20.0,
        "const('chinchilla_tokens_per_param')",
        "chinchilla tokens per param",
        "20",
    )
    assert w.const("decode_utilisation", "percent").text == "50 %"
    half = w.ratio(w.const("decode_utilisation"), w.const("chinchilla_tokens_per_param"))
    assert half.value == 0.025 and len(half.inputs) == 2
    with pytest.raises(MacroError, match=r"unknown constant 'nope' \(not in data/constants.toml\)"):
        w.const("nope")


def test_cite_links_the_source_with_short_authors():
    html = words().cite("toy-source")
    assert html == '<a class="cite" href="https://example.org" title="Toy paper">Lovelace et al. (2024)</a>'
    with pytest.raises(MacroError, match="unknown source 'x'"):
        words().cite("x")


def test_count_is_a_quantity_of_the_entries_a_table_holds():
    w = words()
    n = w.count("models")
    # The toy book holds six models (dense, moe, secret, small, trained, toy-arch) and one accelerator.
    assert (n.value, n.kind, n.text, n.expr) == (6.0, "integer", "6", "count('models')")
    assert n.inputs[0].text == "6"  # written as the page writes the count (2,500, not "2.5 K" beside it)
    assert w.count("hardware").value == 1.0
    assert n.inputs[0].symbol == "entries of data/models.toml"
    with pytest.raises(MacroError, match="count\\('sources'\\): can count 'models', 'hardware'"):
        w.count("sources")


def test_a_source_year_is_text():
    w = words()
    assert w.source_year("toy-source") == "2024"  # the toy paper's year
    with pytest.raises(MacroError, match="unknown source 'nobody1999'"):
        w.source_year("nobody1999")
