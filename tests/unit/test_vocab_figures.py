"""macros.vocab.figures: ``figure(name)`` embeds both themes, the alt text and the CSV link."""

from __future__ import annotations

import json

import pytest

from macros.errors import MacroError
from macros.ledger import LEDGER
from macros.vocab import figures
from tests.unit.vocabfix import words


def test_figure_from_the_index(tmp_path, monkeypatch):
    index = tmp_path / "index.json"
    index.write_text(json.dumps({"loss": {"title": "Loss | falls", "alt": "A *chart*"}}), encoding="utf-8")
    monkeypatch.setattr(figures, "INDEX", index)
    monkeypatch.setattr(LEDGER, "page_src", "chapters/scaling.md")
    html = words().figure("loss")
    assert "![A &#42;chart&#42;](../figures/loss.svg#only-light)" in html
    assert "(../figures/loss-dark.svg#only-dark)" in html
    assert "Loss &#124; falls. [Plotted data (CSV)](../figures/loss.csv)" in html
    with pytest.raises(MacroError, match=r"unknown figure 'cost' \(build_figures.py defines loss\)"):
        words().figure("cost")
