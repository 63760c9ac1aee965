"""Key numbers of the scaling chapters against values worked out independently.

Expected values come from hand arithmetic on the published figures (model sizes, token
counts, the fitted constants of Kaplan et al., Hoffmann et al. and Besiroglu et al.), written
out here step by step, never from the program's own output. The built site's ledger
(``data/numbers.json``) tells what each chapter actually rendered.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pytest

from macros import formulas as f

# Published constants, typed from the papers (not read from data/, so a data slip shows up).
KAPLAN_NC, KAPLAN_ALPHA = 8.8e13, 0.076
HOFFMANN = dict(e=1.69, a=406.4, b=410.7, alpha=0.34, beta=0.28)
BESIROGLU = dict(e=1.8172, a=482.01, b=2085.43, alpha=0.3478, beta=0.3658)


def _numbers(site: Path, page: str) -> dict[str, dict]:
    rows = json.loads((site / "data/numbers.json").read_text())["numbers"]
    return {r["expression"]: r for r in rows if r["page"] == page}


def _value(site: Path, page: str, expression: str) -> float:
    rows = _numbers(site, page)
    assert expression in rows, f"{page} does not render {expression}"
    return rows[expression]["value"]


def _text(site: Path, url: str) -> str:
    page = (site / url / "index.html").read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _fit_loss(fit: dict, n: float, d: float) -> float:
    return fit["e"] + fit["a"] / n ** fit["alpha"] + fit["b"] / d ** fit["beta"]


# --- the formulas added for these chapters ----------------------------------------------------
def test_kaplan_inverse_by_hand():
    # alpha = 0.5, N_c = 100: L(25) = (100/25)^0.5 = 2, so the size for loss 2 is 25.
    assert f.kaplan_params_for_loss(2.0, 100.0, 0.5) == pytest.approx(25.0)


def test_symmetric_fit_splits_compute_evenly():
    # A = B and alpha = beta: G = 1, so N_opt = D_opt = sqrt(C/6) and D(N) = N.
    fit = f.LossFit(e=0.0, a=1.0, b=1.0, alpha=0.5, beta=0.5)
    assert f.optimal_tokens_for_params(1e9, fit) == pytest.approx(1e9, rel=1e-9)
    # Optimal loss at C: 2 / (C/6)^0.25; 1 + that = 1.02 needs (C/6)^0.25 = 100, C = 6e8.
    fit_e = f.LossFit(e=1.0, a=1.0, b=1.0, alpha=0.5, beta=0.5)
    assert f.compute_for_loss(1.02, fit_e) == pytest.approx(6e8, rel=1e-6)
    assert f.compute_for_loss(0.99, fit_e) == math.inf


def test_power_growth_and_eras():
    assert f.power_growth(10, 0.5) == pytest.approx(3.16227766)
    starts = [2018, 2022, 2024]
    assert [f.era_index(y, starts) for y in (2017, 2019, 2021, 2022, 2023, 2024, 2025)] == [0, 0, 0, 1, 1, 2, 2]


# --- Parameters -----------------------------------------------------------------------------------
def test_parameters_growth_factors(built_site: Path):
    page = "chapters/parameters.md"
    # GPT-2 XL's released checkpoint has 1,557,611,200 weights (1558M in OpenAI's repository; the
    # paper's 1542M was miscounted); GPT-1's has 116.5M (HF openai-gpt config). 175e9 / 1557.6e6 =
    # 112.35 (the 117x that circulates is 175 / 1.5); 175e9 / 116.5e6 = 1502.1; 1557.6 / 116.5 = 13.37.
    assert _value(built_site, page, "(model('gpt-3').params / model('gpt-2').params)") == pytest.approx(
        112.35, rel=1e-3
    )
    assert _value(built_site, page, "(model('gpt-3').params / model('gpt-1').params)") == pytest.approx(
        1502.1, rel=1e-3
    )
    assert _value(built_site, page, "(model('gpt-2').params / model('gpt-1').params)") == pytest.approx(13.37, rel=1e-3)
    gpt4 = _numbers(built_site, page)["(model('gpt-4').params / model('gpt-3').params)"]
    assert gpt4["value"] == pytest.approx(1.8e12 / 175e9, rel=1e-9) and gpt4["status"] == "rumored"
    # log10(1.8e12 / 117e6) = log10(15385) = 4.187
    orders = _numbers(built_site, page)["orders((model('gpt-4').params / model('gpt-1').params))"]
    assert orders["value"] == pytest.approx(4.187, abs=2e-3) and orders["status"] == "rumored"
    text = _text(built_site, "chapters/parameters")
    assert "undisclosed" in text  # Claude Haiku and Opus sizes are not published


# --- Kaplan ------------------------------------------------------------------------------------------
def test_kaplan_tenfold_is_a_fixed_factor(built_site: Path):
    page = "chapters/kaplan.md"
    # 10^-0.076 = exp(-0.076 * 2.302585) = exp(-0.174996) = 0.83946
    factor = _value(built_site, page, "loss_factor(const('scale_step_decade'))")
    assert factor == pytest.approx(0.83946, abs=2e-5)
    # GPT-3 non-embedding parameters: 96 blocks of 12 d^2 + 13 d (attention and MLP weights and
    # biases, two LayerNorms) plus a final LayerNorm of 2 d, with d = 12288.
    d = 12288
    n = 96 * (12 * d * d + 13 * d) + 2 * d
    assert n == 173_961_535_488
    expected = (KAPLAN_NC / n) ** KAPLAN_ALPHA  # = 505.86^0.076 = 1.6051
    assert _value(built_site, page, "kaplan_loss('gpt-3')") == pytest.approx(expected, rel=1e-4)
    assert expected == pytest.approx(1.605, abs=1e-3)
    drop = _value(built_site, page, "kaplan_drop('gpt-3', const('scale_step_decade'))")
    assert drop == pytest.approx(expected * (1 - 0.83946), rel=1e-3)  # about 0.258 nats, not 0.5
    # The claimed 0.5 nats needs L = 0.5 / 0.16054 = 3.1145 before the step,
    # i.e. N = 8.8e13 / 3.1145^(1/0.076) = 2.83e7 non-embedding parameters.
    n_claim = _value(
        built_site, page, "kaplan_params_for_drop(const('claim_kaplan_10x_nats'), const('scale_step_decade'))"
    )
    assert n_claim == pytest.approx(KAPLAN_NC / (0.5 / (1 - 0.83946)) ** (1 / KAPLAN_ALPHA), rel=2e-3)
    assert 2.7e7 < n_claim < 2.9e7


# --- Chinchilla ------------------------------------------------------------------------------------
def test_chinchilla_optimum_and_rule(built_site: Path):
    page = "chapters/chinchilla.md"
    c = 6 * 70e9 * 1.4e12  # 5.88e23 FLOP
    assert _value(built_site, page, "model('chinchilla').train_flops") == pytest.approx(5.88e23, rel=1e-12)
    # Besiroglu fit at C: s = 0.7136, G = (0.3478*482.01 / (0.3658*2085.43))^(1/0.7136) = 0.2198^1.4013
    # = 0.1196; N = G (C/6)^0.5126 = 0.1196 * 6.10e11 = 7.30e10; D = (C/6)^0.4874 / G = 1.34e12.
    n = _value(built_site, page, "optimal(model('chinchilla').train_flops, 'besiroglu').params")
    ratio = _value(built_site, page, "optimal(model('chinchilla').train_flops, 'besiroglu').ratio")
    assert n == pytest.approx(7.30e10, rel=0.01)
    assert ratio == pytest.approx(18.4, rel=0.01)  # the ~20 tokens/param rule
    # Hoffmann's printed constants: G = (0.34*406.4 / (0.28*410.7))^(1/0.62) = 1.2016^1.6129 = 1.345;
    # N = 1.345 * (9.8e22)^0.4516 = 3.25e10, so D/N = 5.88e23 / 6 / (3.25e10)^2 = 92.8.
    h_ratio = _value(built_site, page, "optimal(model('chinchilla').train_flops, 'hoffmann').ratio")
    assert h_ratio == pytest.approx(c / 6 / 3.25e10**2, rel=0.01)
    # Brute force check of optimality, independent of the closed form: scan N along 6ND = C.
    grid = [10 ** (9 + i / 2000) for i in range(6000)]
    best = min(grid, key=lambda x: _fit_loss(BESIROGLU, x, c / 6 / x))
    assert n == pytest.approx(best, rel=2e-3)


def test_chinchilla_vs_gopher_and_gpt3(built_site: Path):
    page = "chapters/chinchilla.md"
    # Hoffmann fit: Chinchilla 1.69 + 406.4/70e9^0.34 + 410.7/1.4e12^0.28 = 1.69 + 0.0836 + 0.1631
    chin = _value(built_site, page, "fit_loss('chinchilla', 'hoffmann')")
    assert chin == pytest.approx(_fit_loss(HOFFMANN, 70e9, 1.4e12), abs=1e-9)
    assert chin == pytest.approx(1.937, abs=1e-3)
    gopher = _value(built_site, page, "fit_loss('gopher', 'hoffmann')")
    assert gopher == pytest.approx(1.993, abs=1e-3) and gopher > chin
    # GPT-3 undertrained: 20 * 175e9 = 3.5e12 tokens, 11.67x the 300e9 it saw.
    assert _value(built_site, page, "(model('gpt-3').chinchilla_tokens / model('gpt-3').tokens)") == pytest.approx(
        3.5e12 / 300e9
    )
    # The budget that reaches GPT-3's fitted loss: check by brute force that the best split of that
    # budget indeed lands on GPT-3's loss, and that GPT-3's own budget is larger.
    c_needed = _value(built_site, page, "compute_for_loss(fit_loss('gpt-3', 'besiroglu'), 'besiroglu')")
    target = _fit_loss(BESIROGLU, 175e9, 300e9)
    grid = [10 ** (9 + i / 2000) for i in range(6000)]
    best = min(_fit_loss(BESIROGLU, x, c_needed / 6 / x) for x in grid)
    assert best == pytest.approx(target, abs=1e-5)
    assert 1.5 < 3.15e23 / c_needed < 1.8


def test_compute_optimal_tokens_table(built_site: Path):
    page = "chapters/chinchilla.md"
    # Rule of thumb: 20 * 6.74e9 = 1.348e11; the replication fit gives within 25 % of the rule.
    assert _value(built_site, page, "model('llama-2-7b').chinchilla_tokens") == pytest.approx(1.348e11)
    d = _value(built_site, page, "optimal_tokens(model('llama-2-7b').params, 'besiroglu')")
    assert 0.8 * 1.348e11 < d < 1.25 * 1.348e11
    # At 70B the replication's optimum is 1.29e12 tokens (18.4 per parameter, as for Chinchilla's budget).
    assert _value(built_site, page, "optimal_tokens(model('chinchilla').params, 'besiroglu')") == pytest.approx(
        1.29e12, rel=0.01
    )


# --- Overtraining ----------------------------------------------------------------------------------
def test_overtraining_factors(built_site: Path):
    page = "chapters/overtraining.md"
    # 15e12 / 8.03e9 = 1868.0; / 20 = 93.40 (not the 75x or 94x that circulate)
    assert _value(built_site, page, "model('llama-3-8b').tokens_per_param") == pytest.approx(1868.0, rel=1e-4)
    assert _value(built_site, page, "model('llama-3-8b').overtrain_factor") == pytest.approx(93.40, rel=1e-3)
    # Exact counts from the configs: Llama 3 70B 70,553,706,496 (80 layers of d 8192, 8 KV heads of
    # 128, FFN 28672, vocabulary 128256, untied); Phi-3 Mini 3.821e9. 15e12 / (20 * 70.554e9) = 10.630;
    # 3.3e12 / 3.821e9 = 863.65, / 20 = 43.18.
    l70 = 80 * (2 * 8192**2 + 2 * 8192 * 1024 + 3 * 8192 * 28672 + 2 * 8192) + 2 * 128256 * 8192 + 8192
    assert l70 == 70_553_706_496
    assert _value(built_site, page, "model('llama-3-70b').overtrain_factor") == pytest.approx(
        15e12 / (20 * l70), rel=1e-3
    )
    assert _value(built_site, page, "model('phi-3-mini').tokens_per_param") == pytest.approx(863.65, rel=1e-3)
    assert _value(built_site, page, "model('phi-3-mini').overtrain_factor") == pytest.approx(43.18, rel=1e-3)
    text = _text(built_site, "chapters/overtraining")
    assert "75×" in text and "93×" in text


def test_breakeven_by_hand(built_site: Path):
    page = "chapters/overtraining.md"
    target = _fit_loss(HOFFMANN, 70e9, 1.4e12)  # Chinchilla's fitted loss, 1.9366
    ns = 8.03e9
    gap = target - 1.69 - 406.4 / ns**0.34  # what the data term may still cost
    ds = (410.7 / gap) ** (1 / 0.28)
    served = (6 * ns * ds - 6 * 70e9 * 1.4e12) / (2 * (70e9 - ns))
    assert _value(built_site, page, "breakeven('llama-3-8b', 'chinchilla', 'hoffmann').tokens") == pytest.approx(
        ds, rel=1e-6
    )
    assert _value(built_site, page, "breakeven('llama-3-8b', 'chinchilla', 'hoffmann').served") == pytest.approx(
        served, rel=1e-6
    )
    assert 4e12 < served < 7e12  # trillions of generated tokens
    # Under the replication fit an 8.03B model cannot reach Chinchilla's loss at all.
    floor = 1.8172 + 482.01 / ns**0.3478
    assert floor > _fit_loss(BESIROGLU, 70e9, 1.4e12)
    assert "has no answer" in _text(built_site, "chapters/overtraining")


# --- Small models ----------------------------------------------------------------------------------
def test_small_models_tokens_per_parameter(built_site: Path):
    page = "chapters/small-models.md"
    # Exact counts by hand from each config.json (layers x (attention + FFN + norms) + embeddings):
    phi = 32 * (4 * 3072**2 + 3 * 3072 * 8192 + 2 * 3072) + 2 * 32064 * 3072 + 3072  # MHA, untied
    gemma = 42 * (2 * 3584 * 4096 + 2 * 3584 * 2048 + 3 * 3584 * 14336 + 4 * 3584) + 256000 * 3584 + 3584  # tied
    qwen = 28 * (2 * 3584**2 + 3584 + 2 * (3584 * 512 + 512) + 3 * 3584 * 18944 + 2 * 3584) + 2 * 152064 * 3584 + 3584
    l3b = 28 * (2 * 3072**2 + 2 * 3072 * 1024 + 3 * 3072 * 8192 + 2 * 3072) + 128256 * 3072 + 3072  # tied
    expected = {  # tokens from the model cards and reports / those counts
        "phi-3-mini": 3.3e12 / phi,  # 863.6
        "gemma-2-9b": 8e12 / gemma,  # 865.6
        "qwen2.5-7b": 18e12 / qwen,  # 2363.6
        "llama-3.2-3b": 9e12 / l3b,  # 2801.3
    }
    for mid, value in expected.items():
        assert _value(built_site, page, f"model({mid!r}).tokens_per_param") == pytest.approx(value, rel=1e-9)
    # Phi-3 Mini at INT4: 3,821,079,552 * 0.5 bytes = 1.91 GB
    assert phi == 3_821_079_552
    assert _value(built_site, page, "model('phi-3-mini').mem('int4')") == pytest.approx(phi / 2)


# --- Eras ---------------------------------------------------------------------------------------------
def test_every_model_is_placed_in_its_era(built_site: Path):
    import tomllib

    from tests.conftest import ROOT

    models = tomllib.loads((ROOT / "data/models.toml").read_text())["models"]
    page = (built_site / "chapters/eras/index.html").read_text()
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    names = {m["name"]: m["released"].year for m in models}
    placed = {}
    for row in rows:
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td.*?</td>", row, re.S)]
        if cells and cells[0] in names:
            placed[cells[0]] = cells[2]
    assert set(placed) == set(names)
    # Source 002's periodisation: 2018-2021 bigger, 2022-2023 balance, 2024+ overtrain.
    for name, year in names.items():
        want = "Bigger" if year < 2022 else "Balance" if year < 2024 else "Overtrain"
        assert placed[name] == want, (name, placed[name])


# --- Corrections --------------------------------------------------------------------------------------
def test_corrections_show_the_computed_values(built_site: Path):
    page = "appendix/corrections.md"
    assert _value(built_site, page, "(model('gpt-3').params / model('gpt-2').params)") == pytest.approx(
        112.35, rel=1e-3
    )
    assert _value(built_site, page, "const('claim_llama3_8b_chinchilla_multiple').as_('ratio')") == 75
    assert _value(built_site, page, "model('llama-3-8b').overtrain_factor") == pytest.approx(93.40, rel=1e-3)
    # Source 000 used 15e12 tokens: 6 * 405e9 * 15e12 = 3.645e25; the paper's 15.6e12 with the exact
    # 405,853,388,800 parameters gives 3.7988e25.
    assert _value(built_site, page, "model('llama-3.1-405b').train_flops") == pytest.approx(3.7988e25, rel=1e-4)
    text = _text(built_site, "appendix/corrections")
    assert "They agree." in text and "Where the book disagrees" in text
