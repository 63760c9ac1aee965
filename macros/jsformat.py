"""How the book writes a number, compiled to JavaScript: the asset that defines ``window.book.format``.

:mod:`macros.format` is compiled whole by the machinery of :mod:`macros.jsformulas` (pscript,
one scope, the same guard against constructs compiled wrongly): every function, its
constants as JSON, and the units it reads (``u.GB``…) as one object. Each public function
is exposed under its Python name. ``format.py`` is written so that pscript translates it
faithfully (see its docstring); ``tests/browser/test_format_parity.py`` compares the compiled
functions with Python on generated values, and ``tests/unit/test_jsformat.py`` checks the asset.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

from macros import jsformulas
from macros.store import digest

ASSET = "assets/book-format.js"


def _imported_units(module: types.ModuleType) -> list[str]:
    """``var u = {...}``: each module the compiled one imports (but ``math``), as its upper-case numbers."""
    out = []
    for alias, value in sorted(vars(module).items()):
        if isinstance(value, types.ModuleType) and value.__name__ != "math" and not alias.startswith("__"):
            names = jsformulas._constant_names(value)
            numbers = {n: getattr(value, n) for n in names if isinstance(getattr(value, n), (int, float))}
            out.append(f"var {alias} = {json.dumps(numbers)};")
    return out


def compile_format() -> str:
    """The whole asset: ``macros.format`` compiled, its public functions behind ``window.book.format``."""
    from macros import format as fmt

    exposed = jsformulas._functions(fmt, public=True)
    constants = jsformulas._constants(fmt)
    head = _imported_units(fmt) + [f"var {k} = {v};" for k, v in constants.items()]
    return jsformulas.compile_modules([fmt], "format", exposed, head, [], fmt.__name__)


def build(cache_dir: Path) -> Path:
    """Compile (or reuse) the asset; it is written only when its bytes change. Returns its path."""
    here = Path(__file__).resolve().parent
    sources = [(here / name).read_text(encoding="utf-8") for name in ("format.py", "units.py", "jsformulas.py")]
    key = digest(*sources, Path(__file__).read_text(encoding="utf-8"), "pscript 0.8.1")
    out = cache_dir / "book-format.js"
    stamp = cache_dir / "book-format.digest"
    if out.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        return out
    text = compile_format()
    cache_dir.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    stamp.write_text(key, encoding="utf-8")
    return out
