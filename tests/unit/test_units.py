"""Units at the edge: the loader stores SI base units once; chapters show the datasheet's units."""

from __future__ import annotations

import ast

import pytest

from macros.data import load
from macros.errors import DataError
from macros.schema import RawValue, _resolve
from tests.conftest import ROOT


def test_the_real_hardware_is_loaded_in_bytes_and_flop_per_second():
    hw = load(ROOT / "data").hardware
    h100, v100 = hw["h100-sxm"], hw["v100-sxm2"]
    assert h100.memory_bytes.value == 80e9  # written as 80 GB
    assert h100.bandwidth_bytes_per_s.value == 3.35e12  # 3.35 TB/s
    assert h100.peak_flop_per_s["bf16"].value == 989.5e12  # 989.5 TFLOP/s
    assert v100.bandwidth_bytes_per_s.value == 900e9  # written as 900 GB/s


def raw(value: float, unit: str | None) -> RawValue:
    return RawValue(value=value, unit=unit, status="disclosed", source="x")


def test_every_unit_an_author_may_write():
    where = "data/hardware.toml: hardware 'x',"
    assert _resolve(raw(2, "PFLOP/s"), "flop_per_s", "peak.fp8", where).value == 2e15
    assert _resolve(raw(2, None), "flop_per_s", "peak.fp8", where).value == 2e12  # TFLOP/s by default
    assert _resolve(raw(900, "GB/s"), "bytes_per_s", "bandwidth", where).value == 9e11
    assert _resolve(raw(8, None), "bytes_per_s", "bandwidth", where).value == 8e12  # TB/s by default
    assert _resolve(raw(141, "GB"), "bytes", "memory", where).value == 141e9
    with pytest.raises(DataError, match="field 'memory.unit': unknown unit 'GiB'; use one of GB"):
        _resolve(raw(80, "GiB"), "bytes", "memory", where)


def test_a_unit_slip_is_reported_in_the_authors_unit():
    with pytest.raises(DataError) as e:
        _resolve(raw(80e9, "GB"), "bytes", "memory", "data/hardware.toml: hardware 'x',")
    assert str(e.value) == (
        "data/hardware.toml: hardware 'x', field 'memory.value': 8e+10 GB is outside the plausible range "
        "1e+00 to 1e+04 GB; check the value and its unit"
    )


def unit_literals(path) -> list[str]:
    """Where a file multiplies or divides by a power of ten that stands for a unit (``x * 1e9``), or
    names one (``GB = 1e9``): the conversions at call sites that units at the edge removed."""
    powers = {1e3, 1e6, 1e9, 1e12, 1e15}

    def is_unit(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value in powers

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        scaled = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div)
        if scaled and (is_unit(node.left) or is_unit(node.right)):
            found.append(f"{path.name}:{node.lineno}")
        if isinstance(node, ast.Assign) and is_unit(node.value):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_unit_literal_outside_the_units_module():
    # macros/formulas imports nothing of the project, so it defines its one "per million" itself.
    files = [p for p in sorted((ROOT / "macros").rglob("*.py")) if p.name != "units.py" and "formulas" not in p.parts]
    files += sorted((ROOT / "figures").rglob("*.py")) + [ROOT / "build_figures.py"]
    assert [hit for path in files for hit in unit_literals(path)] == []


def test_the_unit_literal_check_can_fail(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("GB = 1e9\nx = 2\ny = x * 1e12\nz = x / 2.0\n", encoding="utf-8")
    assert unit_literals(probe) == ["probe.py:1", "probe.py:3"]
