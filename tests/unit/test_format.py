"""macros/format.py: how a number is written, against strings worked out by hand.

Rules the expected strings follow: a number keeps ``digits`` significant digits in its fraction
and drops trailing zeros; ties round half to even (Python's ``round`` on values that are exact in
binary: 0.125, 2.5, 12.5); thousands are separated with commas; counts take the largest suffix
(K, M, B, T) that leaves at least 1 after rounding.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros import format as fmt


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (8.030261248, 3, "8.03"),  # 8.030… to 3 significant digits
        (0.0012345, 2, "0.0012"),  # leading zeros are not significant
        (1.5, 3, "1.5"),  # 1.50, trailing zero dropped
        (2.0, 3, "2"),  # 2.00, zeros and point dropped
        (0.125, 2, "0.12"),  # tie: half to even (2 is even)
        (0.375, 2, "0.38"),  # tie: half to even (8 is even)
        (2.5, 1, "2"),  # tie on the units digit
        (3.5, 1, "4"),
        (1234.5, 3, "1,234"),  # the integer part is never replaced by zeros; tie to even; comma
        (-2.345, 2, "-2.3"),
        (0, 3, "0"),
    ],
)
def test_sig(x: float, digits: int, expected: str):
    assert fmt.sig(x, digits) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (8_030_261_248, "8.03 B"),  # Llama 3 8B's parameters
        (117e6, "117 M"),  # GPT-1
        (15.6e12, "15.6 T"),
        (1234, "1.23 K"),
        (950, "950"),  # below a thousand: no suffix
        (999.4e6, "999 M"),  # stays in millions
        (999.6e6, "1 B"),  # would round to "1,000 M": written as 1 B instead
        (2.5e9, "2.5 B"),
    ],
)
def test_count_picks_the_suffix_that_reads_best(x: float, expected: str):
    assert fmt.count(x) == expected


def test_count_ties_round_half_to_even():
    assert fmt.count(2.5e9, digits=1) == "2 B"
    assert fmt.count(3.5e9, digits=1) == "4 B"


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (3.15e23, "3.15 × 10²³"),  # GPT-3's training compute
        (9.996e22, "1 × 10²³"),  # the mantissa rounds up to 10: carried into the exponent
        (-2.5e-5, "-2.5 × 10⁻⁵"),
        (1e21, "1 × 10²¹"),
        (0, "0"),
    ],
)
def test_scientific(x: float, expected: str):
    assert fmt.scientific(x) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [(94.4, "94×"), (1234.5, "1,234×"), (2.345, "2.3×"), (0.5249, "0.52×"), (10, "10×")],
)
def test_ratio(x: float, expected: str):
    assert fmt.ratio(x) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [
        (0.654, "65 %"),  # 10 % and up: whole percent
        (0.125, "12 %"),  # 12.5 % ties to even
        (0.0654, "6.5 %"),  # 1-10 %: one decimal
        (0.000033, "0.0033 %"),  # below 1 %: two significant digits
    ],
)
def test_percent(fraction: float, expected: str):
    assert fmt.percent(fraction) == expected


def test_money():
    assert fmt.usd(5.576e6) == "$5.58 million"
    assert fmt.usd(1.2e9) == "$1.2 billion"
    assert fmt.usd(2.5) == "$2.5"
    assert fmt.usd(123_456) == "$123,456"
    assert fmt.usd(0.0123) == "$0.0123"


def test_bytes_in_decimal_and_binary_units():
    assert fmt.bytes_(16.06e9) == "16.1 GB"
    assert fmt.bytes_(2**34, "GiB") == "16 GiB"  # 2^34 bytes = 16 × 2^30
    assert fmt.bytes_auto(516e3) == "516 KB"
    assert fmt.bytes_auto(1.06e9) == "1.06 GB"
    assert fmt.bytes_auto(512) == "512 bytes"


def test_fraction_integer_and_plain():
    assert fmt.fraction(0.25) == "1/4"
    assert fmt.fraction(1 / 3) == "1/3"
    assert fmt.fraction(0.4) == "0.4"  # 1/0.4 = 2.5: not a unit fraction
    assert fmt.fraction(1) == "1"
    assert fmt.integer(1_234_567.5) == "1,234,568"  # tie to even (8)
    assert fmt.integer(2.5) == "2"
    assert fmt.plain(0.5) == "0.5"
    assert fmt.plain(2.5e6) == "2.5 × 10⁶"  # a million and up: scientific
    assert fmt.plain(4e-4) == "4 × 10⁻⁴"  # below a thousandth: scientific


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (3.15e23, "flop", "3.15 × 10²³ FLOP"),
        (8_030_261_248, "params", "8.03 B"),
        (16.06e9, "bytes", "16.1 GB"),
        (2.0, "usd_per_hour", "$2 per GPU-hour"),
        (2.788e6, "gpu_hours", "2.79 M GPU-hours"),
        (989.5, "tflops", "990 TFLOP/s"),  # 100 and up: whole TFLOP/s, half to even
        (4.8, "tb_per_s", "4.8 TB/s"),
        (0.001234, "ms", "1.23 ms"),
        (18.5, "sparsity", "1:18"),  # 18.5 ties to even
        (2.66, "sparsity", "1:2.7"),
        (2.0, "loss", "2.000"),
    ],
)
def test_text_by_kind(value: float, kind: str, expected: str):
    assert fmt.text(value, kind) == expected


def test_an_unknown_kind_is_one_error_naming_it():
    with pytest.raises(ValueError, match="no display style for kind 'furlongs'"):
        fmt.text(1.0, "furlongs")


# The rounding primitives format.py is written with (so that pscript compiles it faithfully) against
# Python's own format specs and round(), which the book used before: every style's text is unchanged.
FLOATS = st.one_of(
    st.floats(-12, 26).map(lambda e: 10.0**e),
    st.tuples(st.integers(1, 99_999), st.integers(-8, 3)).map(lambda t: (t[0] + 0.5) * 2.0 ** t[1]),  # exact ties
    st.floats(allow_nan=False, allow_infinity=False),
).flatmap(lambda x: st.sampled_from([x, -x]))


@settings(max_examples=2000, deadline=None)
@given(FLOATS, st.integers(0, 8))
def test_fixed_and_round_to_are_pythons_specs(x: float, decimals: int) -> None:
    assert fmt.fixed(x, decimals) == f"{x:.{decimals}f}"
    assert fmt.fixed(x, decimals, True) == f"{x:,.{decimals}f}"
    assert fmt.round_to(x, decimals) == round(x, decimals)
    if abs(x) < 1e300:
        assert fmt.whole(x) == str(round(x))


@settings(max_examples=2000, deadline=None)
@given(FLOATS, st.integers(1, 8))
def test_general_is_pythons_g(x: float, precision: int) -> None:
    assert fmt.general(x, precision) == f"{x:.{precision}g}"


@pytest.mark.parametrize("x", [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 5e-324, 1.7976931348623157e308])
def test_primitives_at_the_edges_of_doubles(x: float) -> None:
    assert fmt.fixed(x, 2, True) == f"{x:,.2f}"
    assert fmt.general(x, 3) == f"{x:.3g}"


def test_superscript() -> None:
    assert fmt.superscript(-23) == "⁻²³"
    assert fmt.superscript(105) == "¹⁰⁵"


@settings(max_examples=2000, deadline=None)
@given(FLOATS.filter(lambda x: x != 0), st.integers(1, 8))
def test_sig_is_the_rule_it_was_written_with_before(x: float, digits: int) -> None:
    """sig() once was f"{round(x, d):,.{d}f}" with trailing zeros dropped; it must still say the same."""
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    text = f"{round(x, decimals):,.{decimals}f}"
    assert fmt.sig(x, digits) == (text.rstrip("0").rstrip(".") if decimals else text)
