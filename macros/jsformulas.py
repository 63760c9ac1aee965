"""The book's formulas compiled to JavaScript: one asset that defines ``window.book.formulas``.

The package :mod:`macros.formulas` is compiled module by module (``architecture``, ``laws``,
``serving``, ``training``, found at build time): every function of each module is compiled by
pscript 0.8.1 into one shared scope (so ``serving`` calls ``training``'s functions as in Python)
and each public one is exposed under its Python name; the records (the dataclasses ``LossFit``
and ``DecodePoint``, and the protocol ``Arch``, whose fields the formulas read) become
constructors built from their fields and defaults, and the constants are written as JSON. What
is exposed is exactly the package's ``__all__``, checked at build time. Nothing here is a
hand-written twin of a formula: the runtime glue is ``math`` bound to ``Math`` and the record
constructor.

Why pscript and not Transcrypt (both tried on the formulas, then one module ``formulas.py``, November 2026):

- Transcrypt 3.9.5 aborts on every ``@dataclass`` under Python 3.11 (so on ``LossFit`` and
  ``DecodePoint``, and ``Arch`` when it was one), silently leaves keyword-only parameters ``undefined``, rounds
  ``round(x, n)`` by scaling with 10**n, and emits ES modules that need its 69 KB runtime.
- pscript compiles one function at a time to plain, readable ES5: ``/`` stays true division,
  ``//`` is ``Math.floor`` of it, ``**`` is ``Math.pow`` (within an ulp of Python's ``pow``,
  far inside the parity test's 1e-12), ``raise ValueError`` throws an ``Error`` named
  ``ValueError``, ``x or y`` keeps Python truthiness, and what it cannot translate (dict
  comprehensions, ``raise ... from``, required keyword-only parameters) stops the compile.

What pscript compiles but gets wrong is refused here (:func:`check`), naming module, function
and line, and the formulas are written without it: keyword arguments in calls (pscript passes them
only to functions taking ``**kwargs``), ``min``/``max`` with ``key=`` (dropped), tuple sort keys
(compared as text), ``round`` (``Math.round`` rounds ties up, Python to even) and ``**`` in a
call. Integers stay exact below 2**53, which parameter counts are. ``tests/browser/
test_formulas_parity.py`` compares each compiled function with Python on generated inputs.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import pkgutil
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from macros.store import digest

ASSET = "assets/book-formulas.js"
# The ``math`` names the formulas may use, bound to their JavaScript equivalents.
MATH = {
    "ceil": "Math.ceil",
    "floor": "Math.floor",
    "sqrt": "Math.sqrt",
    "log10": "Math.log10",
    "log": "Math.log",
    "exp": "Math.exp",
    "inf": "Infinity",
    "isinf": "function (x) { return x === Infinity || x === -Infinity; }",
    "copysign": "function (x, y) { return (y < 0 || Object.is(y, -0)) ? -Math.abs(x) : Math.abs(x); }",
}
REFUSED_CALLS = {"round": "Math.round rounds ties up; Python rounds them to even"}


class CompileError(ValueError):
    """A formula uses a construct the compiled JavaScript would get wrong."""


def submodules(package: ModuleType) -> list[ModuleType]:
    """The package's subject modules, by name (a plain module stands for itself)."""
    if not hasattr(package, "__path__"):
        return [package]
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{package.__name__}.{n}") for n in names]


def _functions(module: ModuleType, public: bool) -> list[str]:
    funcs = [
        (fn.__code__.co_firstlineno, name)
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not (public and name.startswith("_"))
    ]
    return [name for _, name in sorted(funcs)]


def public_functions(package: ModuleType) -> list[str]:
    """Names of the public functions of the package's modules, module by module in source order."""
    return [name for module in submodules(package) for name in _functions(module, public=True)]


def _is_record(obj: object, module: ModuleType) -> bool:
    if not inspect.isclass(obj) or obj.__module__ != module.__name__:
        return False
    return dataclasses.is_dataclass(obj) or bool(getattr(obj, "_is_protocol", False))


def record_names(package: ModuleType) -> list[str]:
    """The records: each module's dataclasses and protocols (a protocol names the fields read)."""
    return sorted(name for m in submodules(package) for name, obj in vars(m).items() if _is_record(obj, m))


def _constant_names(module: ModuleType) -> list[str]:
    """Upper-case names the module assigns itself (not those it imports), in source order."""
    out = []
    for node in ast.parse(inspect.getsource(module)).body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        for t in targets:
            for leaf in t.elts if isinstance(t, ast.Tuple) else [t]:
                if isinstance(leaf, ast.Name) and leaf.id.isupper():
                    out.append(leaf.id)
    return out


def check(name: str, source: str, dataclass_names: list[str], first_line: int = 1, namespace: str = "formulas") -> None:
    """Refuse what pscript would compile into JavaScript that differs from Python.

    ``name`` is the function's (``serving.decode_sweep``); lines count from ``first_line``.
    """
    tree = ast.parse(textwrap.dedent(source))
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        where = f"{namespace}.{name}, line {'?' if line is None else line + first_line - 1}"
        if isinstance(node, ast.Call):
            callee = node.func.id if isinstance(node.func, ast.Name) else None
            if callee in REFUSED_CALLS:
                raise CompileError(f"{where}: {callee}() cannot be compiled faithfully ({REFUSED_CALLS[callee]})")
            if node.keywords and callee not in dataclass_names:
                if callee == "sorted" and not any(_tuple_key(k) for k in node.keywords):
                    continue  # sorted(x, key=one value) compiles to a stable sort on that value
                raise CompileError(
                    f"{where}: {callee or 'a method'}() called with keyword arguments compiles wrongly "
                    "(pscript passes keywords only to **kwargs functions, drops min/max keys and "
                    "compares tuple keys as text); pass arguments by position"
                )
        is_math = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "math"
        if is_math and node.attr not in MATH:
            raise CompileError(f"{where}: math.{node.attr} has no JavaScript binding in macros/jsformulas.MATH")


def _tuple_key(keyword: ast.keyword) -> bool:
    value = keyword.value
    return keyword.arg == "key" and isinstance(value, ast.Lambda) and isinstance(value.body, ast.Tuple)


def _js_value(value: object) -> str:
    if isinstance(value, Mapping):
        value = dict(value)
    elif isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, sort_keys=False, allow_nan=False)


def _constants(package: ModuleType) -> dict[str, str]:
    out = {}
    for module in submodules(package):
        for name in _constant_names(module):
            value = getattr(module, name)
            if isinstance(value, (int, float, str, tuple, Mapping)):
                out[name] = _js_value(value)
    return out


def _record_js(cls: type) -> str:
    if dataclasses.is_dataclass(cls):
        fields = [f.name for f in dataclasses.fields(cls)]
        defaults = {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
    else:  # a protocol: its annotated fields, all required
        fields, defaults = list(cls.__annotations__), {}
    return (
        f"var {cls.__name__} = function () {{\n"
        f"    return _book_dataclass({json.dumps(cls.__name__)}, {json.dumps(fields)}, "
        f"{json.dumps(defaults)}, arguments);\n}};\n"
    )


# The one piece of glue: a frozen record from positional arguments, pscript's keyword form
# ({flx_args, flx_kwargs}, as compiled calls pass them) or one plain object of fields.
DATACLASS_RUNTIME = """var _book_dataclass = function (name, fields, defaults, args) {
    var given = {}, i, k;
    if (args.length === 1 && args[0] && args[0].constructor === Object) {
        var kw = args[0].flx_kwargs !== undefined ? args[0].flx_kwargs : args[0];
        var pos = args[0].flx_args || [];
        for (i = 0; i < pos.length; i++) given[fields[i]] = pos[i];
        for (k in kw) given[k] = kw[k];
    } else {
        for (i = 0; i < args.length; i++) given[fields[i]] = args[i];
    }
    var record = {};
    for (k in given) {
        if (fields.indexOf(k) < 0) throw _book_error("TypeError", name + "() got an unexpected field " + k);
    }
    for (i = 0; i < fields.length; i++) {
        k = fields[i];
        if (given[k] !== undefined) record[k] = given[k];
        else if (defaults.hasOwnProperty(k)) record[k] = defaults[k];
        else throw _book_error("TypeError", name + "() missing field " + k);
    }
    return Object.freeze(record);
};
var _book_error = function (name, message) {
    var e = new Error(name + ": " + message);
    e.name = name;
    return e;
};
"""


def compile_package(package: ModuleType) -> str:
    """The whole asset: compiled functions, constants and constructors behind ``window.book.formulas``."""
    records = record_names(package)
    constants = _constants(package)
    exposed = public_functions(package) + records + list(constants)
    wanted = list(getattr(package, "__all__", exposed))
    if sorted(exposed) != sorted(wanted):
        missing, extra = sorted(set(wanted) - set(exposed)), sorted(set(exposed) - set(wanted))
        raise CompileError(
            f"formulas.__all__ and the compiled names differ: not compiled {missing}, not in __all__ {extra}"
        )
    head = [f"var {k} = {v};" for k, v in constants.items()]
    head.append(DATACLASS_RUNTIME)
    head += [_record_js(_find(package, c)) for c in records]
    return compile_modules(submodules(package), "formulas", exposed, head, records, package.__name__)


def compile_modules(
    modules: list[ModuleType], namespace: str, exposed: list[str], head: list[str], records: list[str], source: str
) -> str:
    """Every function of ``modules`` compiled into one scope after ``head``; ``exposed`` as ``window.book.<namespace>``."""
    from pscript import py2js
    from pscript.stdlib import get_partial_std_lib, get_std_info

    parts, seen = [], {}
    for module in modules:
        short = module.__name__.rpartition(".")[2]
        parts.append(f"/* {module.__name__} */")
        for name in _functions(module, public=False):
            if name in seen:  # one JavaScript scope: a name defined twice would shadow the first
                raise CompileError(f"{namespace}.{short}.{name} is also defined in {namespace}.{seen[name]}")
            seen[name] = short
            fn = getattr(module, name)
            check(f"{short}.{name}", inspect.getsource(fn), records, fn.__code__.co_firstlineno, namespace)
            parts.append(py2js(fn, inline_stdlib=False))
    code = "\n".join(parts)
    _, funcs, methods = get_std_info("// nargs: 0\n" + code)
    std = get_partial_std_lib(funcs, methods)
    math = ", ".join(f"{k}: {v}" for k, v in MATH.items())
    lines = [
        f"/* Generated by macros/jsformulas.py from {source} with pscript: do not edit. */",
        "(function (root) {",
        '"use strict";',
        f"var math = {{{math}}};",
        *head,
        std,
        code,
        f"var {namespace} = {{" + ", ".join(f"{n}: {n}" for n in exposed) + "};",
        f'if (typeof module === "object" && module.exports) module.exports = {namespace};',
        "root.book = root.book || {};",
        f"root.book.{namespace} = {namespace};",
        '})(typeof window !== "undefined" ? window : globalThis);',
        "",
    ]
    return "\n".join(lines)


def _find(package: ModuleType, name: str) -> type:
    return next(getattr(m, name) for m in submodules(package) if _is_record(getattr(m, name, None), m))


FORMULAS = Path(__file__).resolve().parent / "formulas"


def sources(folder: Path = FORMULAS) -> list[str]:
    """Name and text of each module the asset is compiled from (the cache key), read without importing them."""
    return [f"{p.name}\0{p.read_text(encoding='utf-8')}" for p in sorted(folder.glob("*.py"))]


def build(cache_dir: Path) -> Path:
    """Compile (or reuse) the asset; it is written only when its bytes change. Returns its path."""
    own = Path(__file__).read_text(encoding="utf-8")
    key = digest(*sources(), own, "pscript 0.8.1")
    out = cache_dir / "book-formulas.js"
    stamp = cache_dir / "book-formulas.digest"
    if out.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        return out
    from macros import formulas

    text = compile_package(formulas)
    cache_dir.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    stamp.write_text(key, encoding="utf-8")
    return out
