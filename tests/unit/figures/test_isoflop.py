"""figures.isoflop: iso-FLOP curves under the replication's loss fit, as the chinchilla chapter uses for optima."""

from __future__ import annotations

import math

import pytest

from figures import isoflop as chart
from figures.common import CURVE_POINTS
from tests.unit.figures.toy_book import edit, v

# Besiroglu et al. (2024), typed from the paper (not read from data/, so a data slip shows up).
BESIROGLU = dict(a=482.01, b=2085.43, alpha=0.3478, beta=0.3658)


def optimal_params(flops: float) -> float:
    """Hoffmann et al. eq. 4 by hand: N_opt = G·(C/6)^(β/(α+β)), G = (αA / βB)^(1/(α+β))."""
    a, b, alpha, beta = (BESIROGLU[k] for k in ("a", "b", "alpha", "beta"))
    g = (alpha * a / (beta * b)) ** (1 / (alpha + beta))
    return g * (flops / 6) ** (beta / (alpha + beta))


def test_the_optima_are_the_replication_fits(book):
    rows = chart.plan(book).rows
    optima = [r for r in rows if r.kind == "optimum"]
    assert {r.budget_model for r in optima} == set(chart.ISOFLOP_MODELS)
    for r in optima:  # the constants are rounded in the paper: agree to about 0.1 %
        assert math.isclose(r.params, optimal_params(r.flops), rel_tol=2e-3)
        assert math.isclose(6 * r.params * r.tokens, r.flops, rel_tol=1e-12)


def test_every_curve_point_spends_its_budget_and_none_beats_the_optimum(book):
    rows = chart.plan(book).rows
    for mid in chart.ISOFLOP_MODELS:
        (opt,) = [r for r in rows if r.kind == "optimum" and r.budget_model == mid]
        curve = [r for r in rows if r.kind == "isoflop" and r.budget_model == mid]
        assert len(curve) == CURVE_POINTS
        for r in curve:
            assert math.isclose(6 * r.params * r.tokens, opt.flops, rel_tol=1e-12)
            assert r.loss >= opt.loss - 1e-12


def test_caption_and_alt_put_each_model_where_the_replication_fit_does(book):
    """GPT-3 by hand: 6 × 175e9 × 300e9 = 3.15e23 FLOP; its optimum is ~53 B parameters, so 3.3× too big."""
    fig = chart.plan(book)
    gpt3, chin = book.models["gpt-3"], book.models["chinchilla"]
    g3_off = gpt3.params.value / optimal_params(6 * gpt3.params.value * gpt3.tokens.value)
    chin_off = chin.params.value / optimal_params(6 * chin.params.value * chin.tokens.value)
    assert (g3_off, chin_off) == (pytest.approx(3.3, abs=0.05), pytest.approx(0.96, abs=0.005))
    assert fig.title.startswith("For its compute, GPT-3 was 3.3× larger than the compute-optimal size")
    assert "GPT-3 at 3.3× the optimal size; Chinchilla at 0.96× the optimal size" in fig.alt
    for mid in chart.ISOFLOP_MODELS:  # the alt text names every budget
        assert book.models[mid].name in fig.alt


def test_a_model_without_tokens_has_no_curve(book):
    fig = chart.plan(edit(book, "gpt-3", tokens=v(None)))
    assert "gpt-3" not in {r.budget_model for r in fig.rows}
    assert "GPT-3" not in fig.title + fig.alt


def test_the_model_rows_carry_the_least_certain_status(book):
    rumoured = edit(book, "chinchilla", tokens=v(1.4e12, "rumored"))
    (row,) = [r for r in chart.plan(rumoured).rows if r.kind == "model" and r.budget_model == "chinchilla"]
    assert row.status == "rumored"
