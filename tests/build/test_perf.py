"""The fast paths behind the benchmark's targets give the same answers as the slow ones.

The timings themselves live in ``scripts/bench/`` (``make bench``), not here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from macros import exports
from macros.data import load
from scripts.bench.scale import models_toml, synthetic_models
from scripts.bench.weight import page_weight

ROOT = Path(__file__).resolve().parents[2]


def test_derived_status_is_the_least_certain_input():
    book = load(ROOT / "data")
    gpt4 = book.models["gpt-4"]
    # rumored active parameters, undisclosed tokens: 6·N·D is as uncertain as its worst input
    assert (gpt4.active_params.status, gpt4.tokens.status) == ("rumored", "undisclosed")
    rows = {r["id"]: r for r in exports.model_rows(book)}
    assert rows["gpt-4"]["derived_status"] == "undisclosed"
    assert rows["llama-3-8b"]["derived_status"] == "disclosed"


def test_models_json_is_one_model_per_line_and_parses():
    book = load(ROOT / "data")
    text = exports.models_json(book)
    doc = json.loads(text)
    assert [m["id"] for m in doc["models"]] == list(book.models)
    assert set(doc["sources"]) == set(book.sources)
    model_lines = [line for line in text.splitlines() if line.startswith('{"id": ')]
    assert len(model_lines) == len(book.models)
    assert json.loads(exports.numbers_json([])) == {"schema": "llm-book/numbers/1", "numbers": []}


def test_synthetic_data_sets_load_against_the_real_schema(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "models.toml").write_text(models_toml(synthetic_models(120)))
    book = load(data)
    assert len(book.models) == 120
    real = load(ROOT / "data")
    assert set(real.models) <= set(book.models)


@pytest.mark.parametrize("page", ["index.html", "chapters/differences/index.html", "appendix/data/index.html"])
def test_pages_request_nothing_outside_the_site(built_site: Path, page: str):
    weight = page_weight(built_site, page)
    assert weight["external"] == []
    assert weight["html"] > 0 and weight["asset"] > 0


def test_data_appendix_ships_its_table_script_and_a_fallback(built_site: Path):
    page = (built_site / "appendix/data/index.html").read_text()
    assert 'data-models-table="../../data/models.json"' in page
    assert (built_site / "assets/models-table.js").exists()
    assert page.count('<span class="num num--') > 50  # the first rows, readable without JavaScript
