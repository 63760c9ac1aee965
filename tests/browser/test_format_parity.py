"""The compiled ``assets/book-format.js`` writes numbers exactly as ``macros/format.py``, in Node.

The asset is ``macros/format.py`` compiled by pscript (:mod:`macros.jsformat`), as the build
publishes it. Every public function (found as the compiler finds them, so a new one is covered or
this test fails asking for a strategy) and every display style gets at least 1,000 input sets drawn
by hypothesis: all magnitudes, both signs, exact binary ties such as 2.5 or 0.125 (where rounding
half to even differs from rounding half up), values just below a power of ten and whole numbers
beyond 2**53. The text must be identical.
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
from macros import jsformat, jsformulas

pytestmark = pytest.mark.browser

EXAMPLES = 1000
NODE = shutil.which("node")
MAGNITUDE = st.floats(-12, 26).map(lambda e: 10.0**e)
TIES = st.tuples(st.integers(1, 99_999), st.integers(-6, 3)).map(lambda t: (t[0] + 0.5) * 2.0 ** t[1])
BELOW_POWER = st.integers(-8, 22).map(lambda e: float(f"1e{e}") * (1 - 2**-52))
POSITIVE = st.one_of(MAGNITUDE, TIES, BELOW_POWER, st.floats(1e-6, 1e6), st.integers(0, 10**22).map(float))
VALUES = POSITIVE.flatmap(lambda x: st.sampled_from([x, -x]))
DIGITS = st.integers(1, 6)
DECIMALS = st.integers(0, 6)
ARGS = {  # the argument sets each public function is called with
    "fixed": st.tuples(VALUES, DECIMALS, st.booleans()),
    "general": st.tuples(VALUES, DIGITS),
    "round_to": st.tuples(VALUES, DECIMALS),
    "whole": st.tuples(VALUES),
    "superscript": st.tuples(st.integers(-(10**6), 10**6)),
    "sig": st.tuples(VALUES, DIGITS),
    "count": st.tuples(VALUES, DIGITS),
    "scientific": st.tuples(VALUES, DIGITS),
    "ratio": st.tuples(VALUES),
    "percent": st.tuples(VALUES),
    "bytes_": st.tuples(POSITIVE, st.sampled_from(["GB", "GiB", "TB", "MB"])),
    "usd": st.tuples(POSITIVE),
    "fraction": st.tuples(st.one_of(VALUES, st.integers(1, 10**6).map(lambda n: 1 / n))),
    "bytes_auto": st.tuples(POSITIVE),
    "integer": st.tuples(VALUES),
    "plain": st.tuples(VALUES, DIGITS),
}
NOT_CALLED = {"styles", "text"}  # the styles themselves: each is run through text() below


def draw(strategy: st.SearchStrategy) -> list:
    values: list = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(strategy)
    def collect(x) -> None:
        values.append(x)

    collect()
    return values


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    if NODE is None:
        pytest.fail("node is not installed (apt-get install nodejs)")
    return jsformat.build(tmp_path_factory.mktemp("js"))


def run_node(compiled: Path, calls: list[list], tmp_path: Path) -> list:
    (tmp_path / "calls.json").write_text(json.dumps(calls), encoding="utf-8")
    script = (
        f"const f = require({json.dumps(str(compiled))});"
        f"const calls = require({json.dumps(str(tmp_path / 'calls.json'))});"
        "process.stdout.write(JSON.stringify(calls.map(([n, a]) => f[n].apply(null, a))));"
    )
    run = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_every_public_function_has_inputs() -> None:
    public = set(jsformulas._functions(fmt, public=True)) - NOT_CALLED
    assert public == set(ARGS), f"give the parity test a strategy for {sorted(public - set(ARGS))}"


@pytest.mark.parametrize("name", sorted(ARGS))
def test_compiled_function_matches_python(name: str, compiled: Path, tmp_path: Path) -> None:
    cases = draw(ARGS[name])
    assert len(cases) >= EXAMPLES, f"hypothesis drew only {len(cases)} input sets for {name}"
    got = run_node(compiled, [[name, list(args)] for args in cases], tmp_path)
    for args, js in zip(cases, got, strict=True):
        py = getattr(fmt, name)(*args)
        if isinstance(py, float):  # JSON writes a whole double as an integer: compare the doubles
            js = float(js)
        assert js == py, f"{name}{args!r}"


@pytest.mark.parametrize("kind", list(fmt.styles()))
def test_style_matches_python(kind: str, compiled: Path, tmp_path: Path) -> None:
    values = draw(POSITIVE)
    got = run_node(compiled, [["text", [x, kind]] for x in values], tmp_path)
    for x, js in zip(values, got, strict=True):
        assert js == fmt.text(x, kind), f"text({x!r}, {kind!r})"


def test_asset_is_what_the_build_publishes(compiled: Path) -> None:
    script = f"const f = require({json.dumps(str(compiled))}); console.log(JSON.stringify(Object.keys(f)));"
    names = json.loads(subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True).stdout)
    assert names == jsformulas._functions(fmt, public=True)
    assert compiled.read_text(encoding="utf-8") == jsformat.compile_format()
