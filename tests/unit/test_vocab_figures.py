"""macros.vocab.figures: ``figure(name)`` embeds both themes, the alt text and the CSV link."""

from __future__ import annotations

import json
import re

import pytest

from macros.errors import MacroError
from macros.ledger import LEDGER
from macros.quantity import Input, Q
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


def test_caption_numbers_are_chapter_numbers_and_alt_numbers_are_ledger_rows(tmp_path, monkeypatch):
    w = words()
    params = w.model("dense").params
    ratio = w.model("dense").params / w.model("dense").params
    entry = {
        "title": f"Grew {ratio.text} | no more",
        "alt": f"A chart up to {params.text}.",
        "numbers": {
            "title": [{"at": [5, 5 + len(ratio.text)], "q": ratio.record()}],
            "alt": [{"at": [14, 14 + len(params.text)], "q": params.record()}],
        },
    }
    index = tmp_path / "index.json"
    index.write_text(json.dumps({"growth": entry}), encoding="utf-8")
    monkeypatch.setattr(figures, "INDEX", index)
    LEDGER.reset({})
    monkeypatch.setattr(LEDGER, "page_src", "chapters/scaling.md")
    html = words().figure("growth")
    caption = html.split("<figcaption", 1)[1]
    assert caption.count('class="num__value"') == 1 and f">{ratio.text}</button>" in caption
    assert "&#124; no more. [Plotted data (CSV)]" in caption  # the text around it escaped as before
    assert f"![A chart up to {params.text}.]" in html  # the alt text stays plain text
    alt_row, caption_row = LEDGER.rows
    assert (alt_row["expression"], alt_row["figure"]) == (params.expr, "growth")
    assert caption_row["expression"] == ratio.expr and "figure" not in caption_row
    LEDGER.reset({})


def test_a_caption_whose_number_does_not_match_its_text_fails(tmp_path, monkeypatch):
    params = words().model("dense").params
    entry = {"title": "Up to 7 B", "alt": "", "numbers": {"title": [{"at": [6, 9], "q": params.record()}]}}
    index = tmp_path / "index.json"
    index.write_text(json.dumps({"stale": entry}), encoding="utf-8")
    monkeypatch.setattr(figures, "INDEX", index)
    monkeypatch.setattr(LEDGER, "page_src", "chapters/scaling.md")
    assert params.text == "8 B"  # the toy book's dense model; the stored text says 7 B
    with pytest.raises(MacroError, match="figure caption 'Up to 7 B': '7 B' is not model"):
        words().figure("stale")
    LEDGER.reset({})


def test_a_status_word_is_left_out_where_the_number_carries_its_mark(tmp_path, monkeypatch):
    q = Q(
        value=1.8e12,
        kind="params",
        label="parameters of M",
        inputs=(Input(symbol="N (M)", text="1.8 T", status="rumored", source=None),),
        expr="model('m').params",
    )
    title = "M has 1.8 T (rumored); N (estimated) is smaller"
    assert (title[11:21], title[24:36]) == (" (rumored)", " (estimated)")
    entry = {
        "title": title,
        "alt": "",
        "numbers": {"title": [{"at": [6, 11], "q": q.record()}]},
        "flags": [[11, 21, "rumored"], [24, 36, "estimated"]],
    }
    index = tmp_path / "index.json"
    index.write_text(json.dumps({"m": entry}), encoding="utf-8")
    monkeypatch.setattr(figures, "INDEX", index)
    LEDGER.reset({})
    monkeypatch.setattr(LEDGER, "page_src", "chapters/scaling.md")
    caption = words().figure("m").split("<figcaption", 1)[1]
    caption = re.sub(r'<span class="num__prov".*?</span>', "", caption)  # the provenance names the status too
    assert "(rumored)" not in caption and "num-flag--rumored" in caption  # the mark says it
    assert "N (estimated) is smaller" in caption  # no number of that status here: the words stay
    LEDGER.reset({})
