"""macros.vocab.scaling: Kaplan's law and the fits on the toy book (constants in toybook.py)."""

from __future__ import annotations

import math

import pytest

from macros.errors import MacroError
from tests.unit.vocabfix import q, words


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12)


def test_kaplan_words():
    w = words()
    n = w.nonembedding_params("toy-arch")
    assert n.value == 1352 - 80 - 80 and n.label == "non-embedding parameters of TOY-ARCH"
    assert w.nonembedding_params("dense").label == "parameters of DENSE (total; no public architecture)"
    loss = w.kaplan_loss("toy-arch")
    assert close(loss.value, (8.8e13 / 1192) ** 0.076)
    assert [i.symbol for i in loss.inputs][-2:] == ["kaplan n c", "kaplan alpha n"]
    assert close(w.loss_factor(q(10)).value, 10**-0.076)
    assert close(w.loss_cut(q(10)).value, 1 - 10**-0.076)
    assert close(w.kaplan_drop("toy-arch", q(10)).value, loss.value * (1 - 10**-0.076))
    # the loss at which ×10 removes 0.1 nats, and the N with that loss
    before = 0.1 / (1 - 10**-0.076)
    assert close(w.kaplan_loss_before_drop(q(0.1), q(10)).value, before)
    assert close(w.kaplan_params_for_drop(q(0.1), q(10)).value, 8.8e13 / before ** (1 / 0.076))
    assert w.grow(q(4), q(0.5)).value == 2.0


def test_fitted_loss_and_compute_for_loss():
    w = words()
    # E + A/√N + B/√D with E = 1, A = 100, B = 1000
    assert close(w.fit_loss("dense").value, 1 + 100 / math.sqrt(8e9) + 1000 / math.sqrt(16e12))
    # the optimum of C = 6e12 has loss 1 + 2/√10 (see test_vocab_lifetime): its budget is 6e12
    assert math.isclose(w.compute_for_loss(q(1 + 2 / math.sqrt(10), "loss")).value, 6e12, rel_tol=1e-9)
    with pytest.raises(MacroError, match="below what the Hoffmann et al. fit can reach"):
        w.compute_for_loss(q(0.5, "loss"))
    with pytest.raises(MacroError, match="unknown loss fit 'kaplan'"):
        w.fit_loss("dense", "kaplan")


def test_orders_of_magnitude():
    assert words().orders(q(1000, "ratio")).value == 3.0
    with pytest.raises(MacroError, match="not a positive known ratio"):
        words().orders(q(0, "ratio"))
