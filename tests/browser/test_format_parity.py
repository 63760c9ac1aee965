"""``docs/assets/book-format.js`` writes numbers exactly as ``macros/format.py``, in Node.

Each formatter and each display style the browser offers gets at least 1,000 values drawn by
hypothesis (all magnitudes, both signs, and exact binary ties such as 2.5 or 0.125, where
rounding half to even differs from rounding half up); the text must be identical.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from macros import format as fmt
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

ASSET = ROOT / "docs" / "assets" / "book-format.js"
NODE = shutil.which("node")
MAGNITUDE = st.floats(-12, 26).map(lambda e: 10.0**e)
TIES = st.tuples(st.integers(1, 99_999), st.integers(-6, 3)).map(lambda t: (t[0] + 0.5) * 2.0 ** t[1])
VALUES = st.one_of(MAGNITUDE, TIES, st.floats(1e-6, 1e6)).flatmap(lambda x: st.sampled_from([x, -x]))
POSITIVE = st.one_of(MAGNITUDE, TIES, st.floats(1e-6, 1e6))
FUNCTIONS = {
    "sig": VALUES,
    "count": VALUES,
    "scientific": VALUES,
    "ratio": VALUES,
    "percent": VALUES,
    "plain": VALUES,
    "usd": POSITIVE,
    "bytes_": POSITIVE,
    "integer": VALUES.filter(lambda x: abs(x) < 1e15),
}
STYLE_KINDS = [
    "flop",
    "bytes",
    "usd_per_mtok",
    "usd_per_hour",
    "gpu_hours",
    "days",
    "gpus",
    "gb",
    "tokens_per_s",
    "number",
    "ms",
    "params",
    "tokens",
]


def draw(strategy: st.SearchStrategy[float]) -> list[float]:
    values: list[float] = []

    @settings(
        max_examples=1000,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(strategy)
    def collect(x: float) -> None:
        values.append(x)

    collect()
    return values


def run_node(calls: list[list], tmp_path: Path) -> list[str]:
    if NODE is None:
        pytest.fail("node is not installed")
    (tmp_path / "calls.json").write_text(json.dumps(calls), encoding="utf-8")
    script = (
        f"const f = require({json.dumps(str(ASSET))});"
        f"const calls = require({json.dumps(str(tmp_path / 'calls.json'))});"
        "process.stdout.write(JSON.stringify(calls.map(([n, a]) => n === 'text' ? f.text(a[0], a[1]) : f[n].apply(null, a))));"
    )
    run = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_formatter_matches_python(name: str, tmp_path: Path) -> None:
    values = draw(FUNCTIONS[name])
    assert len(values) >= 1000
    got = run_node([[name, [x]] for x in values], tmp_path)
    for x, js in zip(values, got, strict=True):
        assert js == getattr(fmt, name)(x), f"{name}({x!r})"


@pytest.mark.parametrize("kind", STYLE_KINDS)
def test_style_matches_python(kind: str, tmp_path: Path) -> None:
    values = draw(POSITIVE)
    got = run_node([["text", [x, kind]] for x in values], tmp_path)
    for x, js in zip(values, got, strict=True):
        assert js == fmt.text(x, kind), f"text({x!r}, {kind!r})"
