"""One quantity, one rendering: wherever the book shows a number, it shows it the same way.

- Every quantity the chapters render (a ledger expression in ``numbers.json``) that appears in more
  than one place renders the same text everywhere, and the page shows exactly the ledger's texts.
- Every number in a figure's caption or alt text (``.cache/figures/index.json``) is a number of the
  ledger, written the same way (a caption that rounds 15,385× to 15,000× fails): the charts take
  them from the chapter words (``figures/said.py``) and ``figure(name)`` records them.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from macros.quantity import Q
from tests.conftest import ROOT

# A number as the book writes it: digits with separators, an optional "× 10ⁿ", then a unit word
# or sign that belongs to it (K/M/B/T, %, ×).
NUMBER = re.compile(r"(?<![\w.\-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?(?: ?(?:[KMBT]\b|%|×))?")
FIGURES = ROOT / ".cache" / "figures" / "index.json"


def ledger(site: Path) -> list[dict]:
    return json.loads((site / "data/numbers.json").read_text(encoding="utf-8"))["numbers"]


def test_a_quantity_renders_the_same_text_wherever_it_appears(built_site: Path):
    # A quantity is its expression and label: a serving point's step time and speed share the
    # expression of the point (macros/vocab_economics.py) and differ in the label.
    texts: dict[tuple[str, str], set[str]] = defaultdict(set)
    places: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in ledger(built_site):
        texts[row["expression"], row["label"]].add(row["text"])
        places[row["expression"], row["label"]].add(row["page"])
    repeated = [e for e, p in places.items() if len(p) > 1]
    assert len(repeated) > 20, "some quantities appear on several pages"
    differing = {e: sorted(t) for e, t in texts.items() if len(t) > 1}
    assert not differing, differing


def test_each_page_shows_the_texts_its_ledger_records(built_site: Path):
    """A row is a number button on its page, or (``figure``) a number of that chart's alt text there."""
    by_page: dict[str, list[str]] = defaultdict(list)
    in_alt = 0
    for row in ledger(built_site):
        if "figure" in row:
            alt = _figures()[row["figure"]]["alt"]
            assert row["text"] in alt, (row["page"], row["figure"], row["text"])
            in_alt += 1
        else:
            by_page[row["page"]].append(row["text"])
    assert by_page and in_alt
    for src, expected in by_page.items():
        page = built_site / (src.removesuffix(".md").removesuffix("index") + "/index.html").lstrip("/")
        page = built_site / "index.html" if src == "index.md" else page
        raw = page.read_text(encoding="utf-8")
        shown = [
            html.unescape(t) for t in re.findall(r'<button type="button" class="num__value"[^>]*>([^<]*)</button>', raw)
        ]
        assert sorted(shown) == sorted(expected), f"{src}: the page and numbers.json disagree"


def without_names(text: str) -> str:
    """``text`` with the names of models and accelerators (digits in a name are not numbers) and the
    formula 6·N·D blanked."""
    from macros.data import load

    book = load(ROOT / "data")
    names = sorted({m.name for m in book.models.values()} | {h.name for h in book.hardware.values()}, key=len)
    for name in reversed(names):
        text = text.replace(name, " ")
    # A formula named by its symbols is no number (scripts/lint_numbers.py allows its coefficient).
    return text.replace("6·N·D", " ")


def _figures() -> dict:
    return json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.exists() else {}


@pytest.mark.parametrize("name", sorted(_figures()) or ["(no figures rendered)"])
def test_every_caption_and_alt_text_number_is_a_rendered_number(built_site: Path, name: str):
    figures = _figures()
    assert name in figures, f"{FIGURES} is missing: build the figures first"
    rendered = {m.group(0) for row in ledger(built_site) for m in NUMBER.finditer(row["text"])}
    fig = figures[name]
    stray = [
        f"{where}: {m.group(0)!r}"
        for where in ("title", "alt")
        for m in NUMBER.finditer(without_names(fig[where]))
        if m.group(0) not in rendered
    ]
    assert not stray, f"{name}: numbers no chapter renders this way: {stray}"


@pytest.mark.parametrize("name", sorted(_figures()) or ["(no figures rendered)"])
def test_every_caption_and_alt_text_number_is_one_of_its_quantities(name: str):
    """Each number of a caption or an alt text is a quantity the chart asked the chapter words for
    (stored with its place in ``index.json``), not one it wrote itself: blank those, and no number is left."""
    figures = _figures()
    assert name in figures, f"{FIGURES} is missing: build the figures first"
    fig = figures[name]
    for where in ("title", "alt"):
        text = fig[where]
        for n in fig.get("numbers", {}).get(where, []):
            start, end = n["at"]
            assert text[start:end] == Q.from_record(n["q"]).text, (name, where, n["q"]["expr"])
            text = text[:start] + " " * (end - start) + text[end:]
        left = [m.group(0) for m in NUMBER.finditer(without_names(text))]
        assert not left, f"{name} {where}: numbers that are no quantity: {left}"
