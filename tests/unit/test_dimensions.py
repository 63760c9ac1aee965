"""macros.dimensions and the quantity rules built on it: a style fits what a quantity measures.

Expected dimensions are worked out by hand from what each style's value holds (a ``flop``
quantity holds FLOP, a ``tflops`` one TFLOP per second, a ``usd_per_hour`` one dollars per
GPU-hour), not read back from the table.
"""

from __future__ import annotations

import operator

import pytest

from macros import dimensions as dims
from macros import format as fmt
from macros.quantity import MacroError, Q


def q(value: float, kind: str, label: str = "x", expr: str = "x") -> Q:
    return Q(value=value, kind=kind, label=label, expr=expr)


def test_every_display_style_has_a_dimension_and_every_dimension_a_style():
    assert set(dims.STYLE_DIMENSIONS) == set(fmt.styles())


@pytest.mark.parametrize(
    ("a", "op", "b", "expected"),
    [
        ("flop", "/", "flop", ()),  # like over like: a pure number
        ("gpu_hours", "*", "usd_per_hour", (("USD", 1),)),  # GPU·h × USD/(GPU·h) = USD
        ("tokens", "/", "params", (("parameters", -1), ("tokens", 1))),  # tokens per parameter
        ("params", "*", "ratio", (("parameters", 1),)),  # scaling keeps what it measures
        ("usd", "/", "gpu_hours", (("GPUs", -1), ("USD", 1), ("hours", -1))),  # back to a price
        ("number", "*", "params", None),  # an unstyled constant: unspecified
    ],
)
def test_products_and_quotients(a: str, op: str, b: str, expected: dims.Dim | None):
    fn = dims.product if op == "*" else dims.quotient
    assert fn(dims.of_style(a), dims.of_style(b)) == expected


def test_sums_need_one_dimension():
    assert dims.sum_of(dims.of_style("bytes"), dims.of_style("gib")) == (("bytes", 1),)
    assert dims.sum_of(None, dims.of_style("params")) == (("parameters", 1),)
    with pytest.raises(ValueError, match="parameters and bytes measure different things"):
        dims.sum_of(dims.of_style("params"), dims.of_style("bytes"))


def test_names_read_as_units():
    assert dims.name(dims.of_style("usd_per_hour")) == "USD/(GPUs·hours)"
    assert dims.name(dims.of_style("tokens_per_s")) == "tokens/s"
    assert dims.name(()) == "a pure number"
    assert dims.name(None) == "unspecified"


def test_as_accepts_only_a_style_that_fits():
    params = q(8.03e9, "params", "parameters of Llama 3 8B", "model('llama-3-8b').params")
    assert params.as_("number").text == "8.03 × 10⁹"  # plain digits fit anything
    with pytest.raises(
        MacroError, match=r"is measured in parameters, but style 'usd' writes USD; styles that fit: 'params', 'number'"
    ):
        params.as_("usd")
    memory = q(140e9, "bytes")
    assert memory.as_("gib").text == "130 GiB"  # 140e9 / 2^30 = 130.4
    with pytest.raises(MacroError, match="style 'gb' writes GB"):  # a gb quantity holds GB, not bytes
        memory.as_("gb")


def test_an_unstyled_constant_takes_the_dimension_of_its_first_style():
    c = q(20.0, "number")
    assert c.dim is None
    tokens = c.as_("tokens")
    assert tokens.dim == (("tokens", 1),)
    with pytest.raises(MacroError, match="style 'usd' writes USD"):
        tokens.as_("usd")


@pytest.mark.parametrize("op", [operator.add, operator.sub])
def test_quantities_that_measure_different_things_do_not_add(op):
    params = q(8.03e9, "params", expr="model('llama-3-8b').params")
    memory = q(80e9, "gb", expr="hw('h100-sxm').memory")
    with pytest.raises(
        MacroError, match=r"hw\('h100-sxm'\).memory \(GB\) .*model\('llama-3-8b'\).params \(parameters\)"
    ):
        op(params, memory)


def test_ratios_of_like_quantities_are_pure_numbers_and_products_carry_dimensions():
    r = q(4.0, "flop") / q(2.0, "flop")
    assert (r.kind, r.dim, r.value) == ("ratio", (), 2.0)
    cost = q(1e4, "gpu_hours") * q(2.0, "usd_per_hour")
    assert (cost.dim, cost.value) == ((("USD", 1),), 2e4)
    assert cost.as_("usd").text == "$20,000"
    # params × fraction keeps the old kind rule's result ("number") but knows it measures parameters
    part = q(8e9, "params") * q(0.25, "fraction")
    assert (part.kind, part.dim) == ("number", (("parameters", 1),))
    assert part.as_("params").text == "2 B"


def test_a_constant_whose_unit_names_a_dimension_is_held_to_it():
    assert dims.of_unit("USD/GPU-hour") == (("GPUs", -1), ("USD", 1), ("hours", -1))
    assert dims.of_unit("x raw compute") is None  # free text: unspecified until a style declares it
    price = Q(value=2.0, kind="number", label="H100 price", expr="const('h100')", dim=dims.of_unit("USD/GPU-hour"))
    assert price.as_("usd_per_hour").text == "$2 per GPU-hour"
    with pytest.raises(MacroError, match="style 'params' writes parameters"):
        price.as_("params")
