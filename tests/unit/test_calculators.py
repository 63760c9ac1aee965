"""macros.vocab.calculators: the ``calculator`` word's blocks, inputs taken from the vocabulary, scripts
linked from the page's URL."""

from __future__ import annotations

import html
import json
import re

import pytest

from macros import units
from macros.data import load
from macros.ledger import LEDGER
from macros.quantity import MacroError
from macros.vocab import WORDS, Vocabulary, bind, calculators
from macros.vocab.base import const
from macros.vocab.hardware import hw
from macros.vocab.models import model
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(load(ROOT / "data"))


def _spec(block: str) -> dict:
    return json.loads(html.unescape(re.search(r'data-calc-spec="([^"]*)"', block).group(1)))


def test_training_inputs_are_the_vocabularys_quantities(vocab: Vocabulary) -> None:
    spec = _spec(calculators.block(vocab, "chapters/hardware/", "training"))
    values = {i["key"]: (i["value"], i["status"]) for i in spec["inputs"]}
    l405, h100 = model(vocab, "llama-3.1-405b"), hw(vocab, "h100-sxm")
    assert values["tokens"] == (l405.tokens.value, l405.tokens.status)
    assert values["price"][1] == const(vocab, "h100_price_per_gpu_hour").status == "estimated"
    assert values["peak"][0] == h100.peak("bf16").value * units.TERA  # TFLOP/s in the chapter, FLOP/s here
    assert values["peak"][0] == vocab.book.hardware["h100-sxm"].peak_flop_per_s["bf16"].value  # the record's SI value


def test_training_offers_every_accelerator_with_a_bf16_peak_and_named_constants(vocab: Vocabulary) -> None:
    spec = calculators.training(vocab, price="deepseek_price_per_gpu_hour", utilization="llama3_405b_mfu_high")
    records = vocab.book.hardware
    offered = {a["id"]: a["value"] for a in spec["accelerators"]}
    assert offered == {k: h.peak_flop_per_s["bf16"].value for k, h in records.items() if "bf16" in h.peak_flop_per_s}
    assert "v100-sxm2" not in offered and spec["accelerator"] == "h100-sxm"  # the V100 has no BF16
    values = {i["key"]: (i["value"], i["status"]) for i in spec["inputs"]}
    deepseek, mfu = const(vocab, "deepseek_price_per_gpu_hour"), const(vocab, "llama3_405b_mfu_high")
    assert values["price"] == (deepseek.value, deepseek.status)
    assert values["utilization"] == (mfu.value, mfu.status)


def test_the_chinchilla_budget_is_written_in_the_power_of_ten_of_its_prefill(vocab: Vocabulary) -> None:
    spec = calculators.chinchilla(vocab)
    (budget,) = spec["inputs"]
    assert budget["value"] == model(vocab, "chinchilla").train_flops.value  # 6 N D of the data
    power = len(str(int(budget["value"]))) - 1  # digits of the integer part, counted as text
    assert budget["scale"] == float(f"1e{power}") and 1 <= budget["value"] / budget["scale"] < 10
    assert budget["unit"].startswith("× 10") and budget["unit"].endswith(" FLOP")


def test_calculator_is_a_chapter_word_linking_from_the_current_page(vocab: Vocabulary) -> None:
    assert WORDS["calculator"] is calculators.calculator
    LEDGER.page_url = "chapters/anatomy/"
    try:
        out = bind(vocab)["calculator"]("memory", model="llama-3-70b", hardware="h100-sxm")
    finally:
        LEDGER.page_url = ""
    assert out == calculators.block(vocab, "chapters/anatomy/", "memory", model="llama-3-70b", hardware="h100-sxm")


def test_scripts_are_linked_relative_to_the_pages_url(vocab: Vocabulary) -> None:
    block = calculators.block(vocab, "chapters/anatomy/", "memory")
    assert '<script src="../../assets/calculators.js" defer></script>' in block
    assert "hidden" in block.split(">")[0]  # nothing shows without JavaScript
    assert "not in numbers.json" in block


def test_unknown_calculator_is_one_clear_error(vocab: Vocabulary) -> None:
    with pytest.raises(MacroError, match="unknown calculator 'costs'; use one of training, memory"):
        calculators.block(vocab, "chapters/x/", "costs")


def test_undisclosed_prefill_is_refused(vocab: Vocabulary) -> None:
    with pytest.raises(MacroError, match="undisclosed"):
        calculators.block(vocab, "chapters/x/", "training", model="gpt-4")
