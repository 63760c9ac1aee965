"""macros/quantity.py: a computed number keeps its provenance through a chapter's arithmetic.

Quantities are built here by hand (keyword arguments), not from data/, so every expected label,
status, kind and text below follows from the rules alone: inputs merge in first-seen order
without duplicates, the status is the least certain input's, a quotient of two things of one
kind is a ratio, and a typed literal is refused.
"""

from __future__ import annotations

import json
import operator

import pytest

from macros.ledger import to_html
from macros.quantity import Input, MacroError, Q

N = Input(symbol="N (Llama 3 8B)", text="8.03 B", status="disclosed", source="meta2024")
D = Input(symbol="D (Llama 3 8B)", text="15 T", status="disclosed", source="meta2024")
G = Input(symbol="N (GPT-4)", text="1.8 T", status="rumored", source=None)
E = Input(symbol="D (GPT-3)", text="300 B", status="estimated", source=None)


def q(value: float | None, kind: str, label: str, *inputs: Input, expr: str = "", method: str | None = None) -> Q:
    return Q(value=value, kind=kind, label=label, inputs=inputs, expr=expr, method=method)


def test_quantities_take_keyword_arguments_only():
    with pytest.raises(TypeError):
        Q(1.0, "number", "one")  # type: ignore[misc]


def test_status_is_the_least_certain_input():
    assert q(1.0, "number", "x").status == "disclosed"  # nothing uncertain behind it
    assert q(1.0, "number", "x", N, D).status == "disclosed"
    assert q(1.0, "number", "x", N, E).status == "estimated"
    assert q(1.0, "number", "x", E, G, N).status == "rumored"
    undisclosed = Input(symbol="D (x)", text="undisclosed", status="undisclosed", source=None)
    assert q(None, "tokens", "x", G, undisclosed).status == "undisclosed"


def test_arithmetic_merges_provenance_once_in_first_seen_order():
    a = q(8.03e9, "params", "parameters of Llama 3 8B", N, expr="a")
    b = q(4.8e16, "flop", "compute", N, D, expr="b")
    c = q(1.8e12, "params", "parameters of GPT-4", G, expr="c")
    assert (a * b).inputs == (N, D)  # N appears in both: once
    assert (b / a).inputs == (N, D)
    assert (c / a).inputs == (G, N)
    assert ((c / a) * b).inputs == (G, N, D)
    assert ((c / a) * b).status == "rumored"  # a rumour anywhere behind a number shows on it


def test_labels_formulas_and_expressions_say_how_it_was_computed():
    a = q(2.0, "flop", "compute of A", expr="model('a').compute", method="training-compute")
    b = q(4.0, "flop", "compute of B", expr="model('b').compute")
    r = b / a
    assert r.label == "compute of B ÷ compute of A"
    assert r.formula == "(compute of B) ÷ (compute of A)"
    assert r.expr == "(model('b').compute / model('a').compute)"
    assert r.method == "training-compute"  # the first operand that has one
    assert (a - b).label == "compute of A − compute of B"


@pytest.mark.parametrize(
    ("left", "op", "right", "kind", "value"),
    [
        ("flop", "/", "flop", "ratio", 2.0),  # 4e0 / 2e0: same kind, a ratio
        ("params", "/", "tokens", "number", 2.0),  # different kinds: a bare number
        ("params", "+", "params", "params", 6.0),
        ("params", "-", "params", "params", 2.0),
        ("flop", "*", "ratio", "flop", 8.0),  # scaling by a ratio keeps the kind
        ("ratio", "*", "flop", "flop", 8.0),
        ("number", "*", "usd", "usd", 8.0),
        ("params", "*", "tokens", "number", 8.0),
    ],
)
def test_the_kind_of_a_result(left: str, op: str, right: str, kind: str, value: float):
    a, b = q(4.0, left, "a"), q(2.0, right, "b")
    result = {"/": operator.truediv, "*": operator.mul, "+": operator.add, "-": operator.sub}[op](a, b)
    assert (result.kind, result.value) == (kind, value)


def test_an_undisclosed_operand_makes_the_result_undisclosed():
    known = q(2.0, "params", "a", N)
    unknown = q(None, "params", "b", G)
    for result in (known / unknown, unknown * known, known + unknown, unknown - known):
        assert result.value is None
        assert result.text == "undisclosed"
        assert not result.known


@pytest.mark.parametrize("op", ["*", "/", "+", "-", "r*", "r/", "r+"])
def test_a_typed_literal_is_refused(op: str):
    a = q(2.0, "params", "a", expr="model('x').params")
    with pytest.raises(MacroError, match="literal 2"):
        {
            "*": lambda: a * 2,
            "/": lambda: a / 2,
            "+": lambda: a + 2,
            "-": lambda: a - 2,
            "r*": lambda: 2 * a,
            "r/": lambda: 2 / a,
            "r+": lambda: 2 + a,
        }[op]()


def test_the_refusal_says_where_numbers_come_from():
    with pytest.raises(MacroError, match=r"use const\(\.\.\.\)"):
        q(2.0, "params", "a") * 6


def test_division_by_zero_is_a_macro_error_naming_both_sides():
    a, zero = q(2.0, "flop", "a", expr="x"), q(0.0, "flop", "b", expr="y")
    with pytest.raises(MacroError, match=r"division by zero: x / y"):
        a / zero


def test_text_follows_the_kind_and_as_changes_only_the_style():
    compute = q(3.15e23, "flop", "compute of GPT-3", E, expr="c")
    assert compute.text == "3.15 × 10²³ FLOP"
    share = q(0.375, "ratio", "share", expr="s")
    as_percent = share.as_("percent")
    assert (as_percent.value, as_percent.text, as_percent.expr) == (0.375, "38 %", "s.as_('percent')")
    with pytest.raises(MacroError, match="no display style for kind 'furlongs'"):
        share.as_("furlongs")


def test_tooltip_lists_each_input_with_its_status():
    r = q(0.25, "percent", "share of x", N, E)
    r = Q(value=r.value, kind=r.kind, label=r.label, formula="a ÷ b", inputs=r.inputs)
    assert r.tooltip() == (
        "Share of x = a ÷ b\nN (Llama 3 8B) = 8.03 B (disclosed)\nD (GPT-3) = 300 B (estimated)\nStatus: estimated"
    )


def test_html_carries_status_flag_escaped_provenance_and_method_link():
    r = Q(value=0.25, kind="percent", label="share of <b>", formula="a ÷ b", inputs=(E,))
    out = to_html(r, None, "../../appendix/methods/#share", "num-3")
    assert out == (
        '<span class="num num--estimated" data-status="estimated">'
        '<button type="button" class="num__value" aria-describedby="num-3">25 %</button>'
        '<sup class="num-flag num-flag--estimated">est</sup>'
        '<span class="num__prov" id="num-3" hidden data-search-exclude>'
        "Share of &lt;b&gt; = a ÷ b<br>D (GPT-3) = 300 B (estimated)<br>Status: estimated"
        '<br><a class="num__method" href="../../appendix/methods/#share">How it is computed</a></span></span>'
    )


def test_a_disclosed_number_has_no_flag_and_no_link_without_a_method():
    r = Q(value=8.03e9, kind="params", label="parameters", inputs=(N,))
    assert to_html(r, None, None, "num-1") == (
        '<span class="num num--disclosed" data-status="disclosed">'
        '<button type="button" class="num__value" aria-describedby="num-1">8.03 B</button>'
        '<span class="num__prov" id="num-1" hidden data-search-exclude>'
        "Parameters<br>N (Llama 3 8B) = 8.03 B (disclosed)<br>Status: disclosed</span></span>"
    )


def test_a_quantity_stored_as_data_comes_back_the_same():
    q = Q(
        value=1.8e12,
        kind="params",
        label="parameters of GPT-4",
        formula="",
        inputs=(Input(symbol="N (GPT-4)", text="1.8 T", status="rumored", source="semianalysis", note="a rumour"),),
        method="parameter-count",
        expr="model('gpt-4').params",
    )
    data = q.record()
    assert json.loads(json.dumps(data)) == data
    assert Q.from_record(data) == q and Q.from_record(data).status == "rumored"


def test_written_remembers_format_text_without_mixing_up_equal_keys():
    """``quantity.written`` is ``format.text`` remembered; values that compare equal but may be
    written apart (0.0 and -0.0, 1 and 1.0) and NaN are never answered from another's entry."""
    import math

    from macros import format as fmt
    from macros.quantity import written

    for value, kind in [(0.0, "number"), (-0.0, "number"), (1, "number"), (1.0, "number"), (8.03e9, "params")]:
        for _ in range(2):  # the second call is answered from memory
            assert written(value, kind) == fmt.text(value, kind), (value, kind)
    assert written(math.nan, "decimal") == fmt.text(math.nan, "decimal")
    assert written(1.5e12, "params") != written(1.5e12, "flop")
