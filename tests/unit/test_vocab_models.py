"""macros.vocab.models: ``model(id)`` on the toy book, values worked out by hand (see toybook.py)."""

from __future__ import annotations

import pytest

from macros.errors import MacroError
from tests.unit.vocabfix import words


def test_stated_and_computed_figures_with_provenance():
    m = words().model("dense")
    assert m.name == "DENSE" and m.year == "2020"
    c = m.train_flops
    assert (c.value, c.kind, c.expr, c.status) == (7.68e23, "flop", "model('dense').train_flops", "estimated")
    assert c.label == "training compute of DENSE" and c.formula == "6 × N_active × D"
    assert [i.symbol for i in c.inputs] == ["N_active (DENSE)", "D (DENSE)"]
    assert m.tokens_per_param.value == 2000
    assert m.chinchilla_tokens.value == 1.6e11 and m.overtrain_factor.value == 100
    assert m.overtrain_factor.inputs[-1].symbol == "chinchilla tokens per param"
    assert m.inference_flops.value == 1.6e10


def test_moe_compute_uses_the_active_parameters():
    m = words().model("moe")
    assert m.active_params.value == 13e9 and m.train_flops.value == 6.24e23
    assert m.train_flops.status == "rumored"


def test_memory_and_devices():
    w = words()
    assert w.model("dense").mem("int4").text == "4 GB"  # 8e9 × 0.5 bytes
    assert w.model("dense").devices("bf16", "gpu").value == 1  # 16 GB on one 80 GB card
    d = w.model("moe").devices("bf16", "gpu")  # 94 GB: two cards
    assert d.value == 2 and d.label == "Toy GPUs to hold MOE at BF16"
    with pytest.raises(MacroError, match="unknown precision 'fp16'"):
        w.model("dense").mem("fp16")
    with pytest.raises(MacroError, match="unknown hardware id 'tpu'"):
        w.model("dense").devices("bf16", "tpu")


def test_architecture_words():
    m = words().model("toy-arch")
    assert m.params_from_arch.value == 1352
    assert m.part("ffn").value == 768 and m.per_layer("ffn").value == 384 and m.per_layer("attention").value == 192
    assert m.share("ffn").value == 768 / 1352 and m.share("ffn").kind == "percent"
    assert m.arch("d_model").value == 8.0
    # one KV head per query head: attention per layer 8·8 + 2·8·8 + 8·8 = 256 (was 192), two layers
    g = m.without_gqa
    assert g.params.value == 1352 + 2 * 64 and g.params.expr == "model('toy-arch').without_gqa.params"
    with pytest.raises(MacroError, match="'tied_embeddings' is not a numeric architecture field"):
        m.arch("tied_embeddings")
    with pytest.raises(MacroError, match="has no \\[models.arch\\]"):
        words().model("dense").part("ffn")


def test_mistakes_are_one_line():
    w = words()
    with pytest.raises(MacroError, match=r"unknown model id 'gpt-9' \(not in data/models.toml\)"):
        w.model("gpt-9")
    with pytest.raises(MacroError, match="model 'dense' has no quantity 'flops'"):
        w.model("dense").flops  # noqa: B018
    with pytest.raises(MacroError, match="model 'dense' has no 'gpu_hours' in data/models.toml"):
        w.model("dense").gpu_hours  # noqa: B018
    assert w.model("secret").train_flops.text == "undisclosed"
