"""macros.vocab.eras: the era of a model by its release year (toy eras start 2018, 2022, 2023)."""

from __future__ import annotations

import pytest

from macros.errors import MacroError
from tests.unit.vocabfix import words


def test_eras_by_release_year():
    w = words()
    e = w.era("dense")  # 2020
    assert (e.key, e.short, str(e), e.start.value, e.start.text) == (
        "bigger",
        "Bigger",
        "Bigger is better",
        2018.0,
        "2018",
    )
    assert w.era("moe").key == "balance"  # 2022
    assert w.era("secret").key == "overtrain"  # 2024
    assert w.era_start("overtrain").value == 2023.0


def test_an_unknown_era_or_a_missing_start_is_one_line():
    with pytest.raises(MacroError, match="unknown era 'middle'; use one of bigger, balance, overtrain"):
        words().era_start("middle")
    with pytest.raises(MacroError, match="unknown constant 'era_balance_start_year'"):
        words(era_balance_start_year=True).era("dense")
