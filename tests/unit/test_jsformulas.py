"""The compiler's guard refuses what pscript would compile into JavaScript that differs from Python."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from macros import formulas, jsformulas


@pytest.mark.parametrize(
    "source",
    [
        "def f(x):\n    return round(x, 2)\n",
        "def f(xs):\n    return min(xs, key=lambda p: p.price)\n",
        "def f(xs):\n    return sorted(xs, key=lambda p: (p.a, p.b))\n",
        "def f(x):\n    return g(a=x)\n",
        "def f(kw):\n    return g(**kw)\n",
        "def f(x):\n    return math.gamma(x)\n",
    ],
)
def test_guard_refuses_constructs_compiled_wrongly(source: str) -> None:
    with pytest.raises(jsformulas.CompileError, match="formulas.f, line 2"):
        jsformulas.check("f", source, ["Arch"])


def test_guard_allows_records_by_keyword_and_single_sort_keys() -> None:
    jsformulas.check("f", "def f(xs):\n    return sorted(xs, key=lambda p: p.a), Arch(layers=1)\n", ["Arch"])


def test_public_functions_found_module_by_module_in_source_order() -> None:
    names = jsformulas.public_functions(formulas)
    modules = [m.__name__ for m in jsformulas.submodules(formulas)]
    assert modules == [f"macros.formulas.{m}" for m in ("architecture", "laws", "serving", "training")]
    assert names.index("train_flops") + 1 == names.index("inference_flops_per_token")  # training.py's order
    assert names.index("decode_point") < names.index("train_flops")  # serving before training
    assert "_norm_params" not in names
    assert "cheapest_at_speed" in names


def test_asset_exposes_exactly_the_packages_public_names() -> None:
    js = jsformulas.compile_package(formulas)
    line = js[js.index("var formulas = {") :].split("};")[0].removeprefix("var formulas = {")
    exposed = line.split(", ")
    assert sorted(exposed) == sorted(f"{name}: {name}" for name in formulas.__all__)
    for name in [*jsformulas.public_functions(formulas), "Arch", "LossFit", "DecodePoint", "BYTES_PER_PARAM"]:
        assert f"{name}: {name}" in exposed
    assert "root.book.formulas = formulas;" in js
    # the protocol Arch becomes a record of the fields the formulas read, all of them required
    assert 'return _book_dataclass("Arch", ["layers", "d_model", ' in js
    assert '"v_head_dim"], {}, arguments);' in js


def make_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> ModuleType:
    name = f"toyformulas_{tmp_path.name}"  # a fresh name: the import system caches packages
    pkg = tmp_path / name
    pkg.mkdir()
    for file, text in files.items():
        (pkg / file).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module(name)


def test_a_name_defined_in_two_modules_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"__init__.py": "", "a.py": "def _half(x):\n    return x / 2\n", "b.py": "def _half(x):\n    return x\n"}
    package = make_package(tmp_path, monkeypatch, files)
    with pytest.raises(jsformulas.CompileError, match=r"formulas.b._half is also defined in formulas.a"):
        jsformulas.compile_package(package)


def test_the_guard_names_the_line_in_the_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"__init__.py": "", "a.py": "X = 1\n\n\ndef f(x):\n    return round(x)\n"}
    package = make_package(tmp_path, monkeypatch, files)
    with pytest.raises(jsformulas.CompileError, match=r"formulas.a.f, line 5: round\(\)"):
        jsformulas.compile_package(package)
