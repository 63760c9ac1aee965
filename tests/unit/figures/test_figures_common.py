"""figures.common and figures.style: the planning helpers' wording and the settings for byte-stable SVGs."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from figures import common, style
from macros import derive
from macros.data import DataError


def test_names_and_flag():
    assert common.names([]) == "none"
    assert common.names(["A"]) == "A"
    assert common.names(["A", "B", "C"]) == "A, B and C"
    assert common.flag("disclosed") == "" and common.flag("rumored") == " (rumored)"


def test_least_certain():
    assert common.least_certain("disclosed", "estimated") == "estimated"
    assert common.least_certain("rumored", "estimated", "disclosed") == "rumored"


def test_logspace_by_hand():
    assert common.logspace(1, 1000, 4) == pytest.approx([1, 10, 100, 1000])


def test_a_missing_constant_names_file_and_key(book):
    constants = {k: c for k, c in book.constants.items() if k != "epoch_beta"}
    with pytest.raises(DataError, match=r"^data/constants.toml: constant 'epoch_beta' is missing"):
        derive.loss_fit(replace(book, constants=constants), "besiroglu")


def test_a_count_constant_must_be_whole(book):
    c = book.constants["decode_gpus_max"]
    broken = replace(book, constants={**book.constants, c.key: replace(c, value=2.5)})
    with pytest.raises(DataError, match="'decode_gpus_max', field 'value': must be a whole number >= 1"):
        derive.whole_constant(broken, "decode_gpus_max")


def test_the_fits(book):
    hoffmann, besiroglu = derive.loss_fit(book, "hoffmann"), derive.loss_fit(book, "besiroglu")
    assert (hoffmann.e, hoffmann.alpha, hoffmann.beta) == (1.69, 0.34, 0.28)  # Hoffmann et al. 2022
    assert math.isclose(besiroglu.e, 1.8172) and math.isclose(besiroglu.beta, 0.3658)  # Besiroglu et al. 2024


def test_byte_stable_svg_settings():
    for theme in style.THEMES:
        params = style.rc_params(style.palette(theme))
        assert params["svg.hashsalt"] and params["svg.fonttype"] == "path"
    assert style.SVG_METADATA == {"Date": None, "Creator": None}
    assert style.palette("dark")["bg"] != style.palette("light")["bg"]
