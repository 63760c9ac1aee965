"""macros/exports.py: ``numbers.json`` is the same document whether its lines were written now or
come from the render cache, and parses to the ledger's rows with values as the files publish them."""

from __future__ import annotations

import json

from macros import exports

ROWS = [
    {"page": "a.md", "expression": "e1", "value": 8.03e9, "text": "8.03 B", "inputs": [{"symbol": "N", "text": "é"}]},
    {"page": "a.md", "expression": "e2", "value": 1 / 3, "text": "0.33", "inputs": []},
    {"page": "b.md", "expression": "e3", "value": None, "text": "undisclosed", "inputs": []},
    {"page": "b.md", "expression": "e4", "value": 7, "text": "7", "inputs": []},
]


def test_numbers_json_parses_to_the_rows_with_published_values():
    doc = json.loads(exports.numbers_json(ROWS))
    assert doc["schema"] == "llm-book/numbers/1"
    assert [r["value"] for r in doc["numbers"]] == [8030000000, 0.333333333333, None, 7]
    assert doc["numbers"][0]["inputs"][0]["text"] == "é"  # written as is, not as \u00e9
    assert "é" in exports.numbers_json(ROWS)


def test_lines_written_earlier_give_the_same_bytes():
    fresh = exports.numbers_json(ROWS)
    lines = {id(r): exports.number_line(r) for r in ROWS[:3]}  # as restored from the render cache
    assert exports.numbers_json(ROWS, lines) == fresh
    rows = [exports.number_line(r) for r in ROWS]
    assert fresh.splitlines()[3:-2] == [line + "," for line in rows[:-1]] + rows[-1:]  # one row a line


def test_no_numbers_is_an_empty_list():
    assert json.loads(exports.numbers_json([])) == {"schema": "llm-book/numbers/1", "numbers": []}
