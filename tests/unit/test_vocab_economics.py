"""macros.vocab.economics: MoE sparsity, halvings, scaled models, reasoning speed, generations."""

from __future__ import annotations

import pytest

from macros.errors import MacroError
from macros.quantity import Q
from tests.unit.vocabfix import q, words


def test_sparsity_and_active_share():
    w = words()
    assert w.sparsity("moe", "stated").value == 47e9 / 13e9
    assert w.active_share("moe", "stated").value == 1 / (47e9 / 13e9)
    assert w.active_from_arch("toy-arch").value == 1352  # dense: every parameter works
    assert w.sparsity("toy-arch").value == 1.0
    with pytest.raises(MacroError, match="basis must be 'arch' or 'stated'"):
        w.sparsity("moe", "rumor")
    with pytest.raises(MacroError, match="'toy-arch' is not a mixture of experts"):
        w.expert_sparsity("toy-arch")


def test_halvings_and_scaled_models():
    w = words()
    steps = w.halvings()  # decode_shrink_steps = 2
    assert [s.value for s in steps] == [1.0, 0.5, 0.25] and steps[2].text == "1/4"
    big = Q(value=8e9, kind="params", label="parameters of X", expr="x")
    s = w.scaled(big, steps[2], "X at a quarter")
    assert (s.value, s.label, s.kind) == (2e9, "parameters of X at a quarter", "params")


def test_reasoning_speed_generations_and_dense_equivalent():
    w = words()
    assert w.with_reasoning(q(50, "tokens_per_s"), q(3)).value == 200  # 50 shown + 150 hidden tokens/s
    assert w.generations(q(100, "ratio"), q(10, "ratio")).value == 2.0
    assert w.generations(q(100, "ratio"), q(1, "ratio")).value is None  # a jump of 1× is no jump
    assert w.dense_equivalent(q(1e24, "flop"), q(2)).value == 2e24
