"""macros/jsformat.py: format.py compiled whole, exposed under its Python names, refused when unfaithful."""

from __future__ import annotations

import pytest

from macros import format as fmt
from macros import jsformat, jsformulas


def test_asset_exposes_the_public_functions_and_the_units_read() -> None:
    js = jsformat.compile_format()
    line = js[js.index("var format = {") :].split("};")[0].removeprefix("var format = {")
    assert line.split(", ") == [f"{n}: {n}" for n in jsformulas._functions(fmt, public=True)]
    assert "root.book.format = format;" in js
    assert 'var u = {"KILO": 1000.0,' in js  # format.py reads u.GB, u.MILLION…
    assert "_exact = function" in js  # private helpers are compiled too, not exposed
    assert "toFixed" not in js and "Math.round" not in js  # rounding is format.py's own, half to even


def test_guard_names_the_format_module() -> None:
    with pytest.raises(jsformulas.CompileError, match="format.f, line 2"):
        jsformulas.check("f", "def f(x):\n    return round(x, 2)\n", [], 1, "format")
