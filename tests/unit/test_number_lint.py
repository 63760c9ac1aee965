"""Every number in a chapter is computed: the lint finds typed numerals with file:line."""

from __future__ import annotations

import os
import subprocess
import sys

from scripts import lint_numbers
from tests.conftest import ROOT


def test_chapters_have_no_typed_numbers():
    result = subprocess.run([sys.executable, "scripts/lint_numbers.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_lint_catches_typed_numbers_and_literals_in_macros():
    names = lint_numbers.known_names()
    text = "---\nversion: 1.0\n---\nLlama 3 8B has 8 billion parameters.\n{{ model('gpt-3').params * 2 }}\n`code 42`\n"
    problems = lint_numbers.lint_text(text, names)
    assert problems == [(4, "typed number '8'"), (5, "literal number '2' inside a macro call")]


def test_lint_allows_names_ids_and_formula_coefficients():
    names = lint_numbers.known_names()
    text = "{{ model('llama-3.1-405b').params }} and Llama 3.1 405B on H100 SXM in BF16; $C = 6ND$.\n"
    assert lint_numbers.lint_text(text, names) == []
    assert lint_numbers.lint_text("$C = 7ND$", names) == [(1, "number '7' in math (not a formula coefficient)")]


def test_snippet_lines_are_syntax_not_numbers():
    names = lint_numbers.known_names()
    text = 'Intro.\n--8<-- "glossary.md"\n;--8<-- "skipped.md"\n--8<--\nmore 8 here\n'
    assert lint_numbers.lint_text(text, names) == [(5, "typed number '8'")]


def test_the_allowed_names_come_in_the_same_order_in_every_process():
    """The lint's cache key covers the names in order: an order that follows string hashing (a set's)
    would miss the cache in every new process (it did, costing 2.7 s a build at 30,000 models)."""
    code = "from macros import typed_numbers as t; print('\\n'.join(t.known_names()))"
    orders = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(orders) == 1 and orders.pop().count("\n") > 10
