"""macros.vocab.lifetime: compute-optimal budgets and the break-even of a smaller model, by hand.

Toy fit: E = 1, A = 100, B = 1000, α = β = 0.5, so G = (αA / βB)^(1/(α+β)) = 0.1,
N_opt = 0.1·√(C/6) and D_opt = 10·√(C/6).
"""

from __future__ import annotations

import math

from tests.unit.vocabfix import q, words


def close(a: float, b: float, rel: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel)


def test_optimal_allocation_of_six_trillion_flop():
    o = words().optimal(q(6e12, "flop"))  # C/6 = 1e12, √ = 1e6
    assert close(o.params.value, 1e5) and close(o.tokens.value, 1e7) and close(o.ratio.value, 100)
    assert close(o.loss.value, 1 + 2 / math.sqrt(10))  # 100/√1e5 = 1000/√1e7 = 1/√10
    assert o.params.expr == "optimal(q, 'hoffmann').params"


def test_a_smaller_model_trained_longer_matches_a_bigger_one():
    b = words().breakeven("small", "dense")
    target = 1 + 100 / math.sqrt(8e9) + 1000 / math.sqrt(16e12)  # the dense model's fitted loss
    floor = 1 + 100 / math.sqrt(6.25e9)
    tokens = (1000 / (target - floor)) ** 2  # B / D^β = the gap left above the floor
    assert b.reachable and close(b.target.value, target) and close(b.floor.value, floor)
    assert close(b.tokens.value, tokens, 1e-9) and close(b.tokens_per_param.value, tokens / 6.25e9, 1e-9)
    assert close(b.small_flops.value, 6 * 6.25e9 * tokens, 1e-9) and b.big_flops.value == 7.68e23
    assert b.saving_per_token.value == 2 * (8e9 - 6.25e9)
    assert not b.cheaper_to_train
    assert close(b.served.value, (6 * 6.25e9 * tokens - 7.68e23) / 3.5e9, 1e-9)


def test_a_model_whose_floor_is_above_the_target_never_catches_up():
    b = words().breakeven("dense", "moe")  # 1 + 100/√8e9 > 1 + 100/√47e9 + 1000/√8e12
    assert not b.reachable and b.tokens.value is None and b.served.value is None
