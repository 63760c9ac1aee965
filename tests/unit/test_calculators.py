"""The calculators' blocks: inputs taken from the vocabulary, scripts linked from the page's URL."""

from __future__ import annotations

import html
import json
import re

import pytest

from macros import calculators
from macros.data import load
from macros.quantity import MacroError
from macros.vocab import Vocabulary
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(load(ROOT / "data"))


def _spec(block: str) -> dict:
    return json.loads(html.unescape(re.search(r'data-calc-spec="([^"]*)"', block).group(1)))


def test_training_inputs_are_the_vocabularys_quantities(vocab: Vocabulary) -> None:
    spec = _spec(calculators.block(vocab, "chapters/hardware/", "training"))
    values = {i["key"]: (i["value"], i["status"]) for i in spec["inputs"]}
    l405, h100 = vocab.model("llama-3.1-405b"), vocab.hw("h100-sxm")
    assert values["tokens"] == (l405.tokens.value, l405.tokens.status)
    assert values["price"][1] == vocab.const("h100_price_per_gpu_hour").status == "estimated"
    assert values["peak"][0] == h100.peak("bf16").value * calculators.TERA  # TFLOP/s in the data, FLOP/s here


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
