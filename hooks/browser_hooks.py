"""MkDocs hooks for the reader's tools: the compiled formulas and the vendored libraries.

``on_files`` adds ``assets/book-formulas.js``, the pure functions of the ``macros/formulas/`` package
compiled to JavaScript (:mod:`macros.jsformulas`). It is compiled into ``.cache/js``
(git-ignored, outside ``docs/``, so ``mkdocs serve`` never rebuilds in a loop), only when
a module of ``macros/formulas/`` or the compiler changed, and the file there is rewritten only when its bytes do.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "js"


def on_files(files: Files, config) -> Files:
    from macros import jsformulas

    try:
        path = jsformulas.build(CACHE)
    except jsformulas.CompileError as exc:
        raise PluginError(f"macros/formulas: {exc}") from None
    files.append(File.generated(config, jsformulas.ASSET, abs_src_path=str(path)))
    return files
