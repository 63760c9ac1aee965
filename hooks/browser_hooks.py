"""MkDocs hooks for the reader's tools: the compiled formulas and the vendored libraries.

``on_files`` adds ``assets/book-formulas.js``, the pure functions of the ``macros/formulas/`` package
compiled to JavaScript (:mod:`macros.jsformulas`), and ``assets/book-format.js``, ``macros/format.py``
compiled the same way (:mod:`macros.jsformat`). Each is compiled into ``.cache/js``
(git-ignored, outside ``docs/``, so ``mkdocs serve`` never rebuilds in a loop), only when
a module it is compiled from or the compiler changed, and the file there is rewritten only when its bytes do.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "js"


def on_files(files: Files, config) -> Files:
    from macros import jsformat, jsformulas

    for name, compiler in (("macros/formulas", jsformulas), ("macros/format.py", jsformat)):
        try:
            path = compiler.build(CACHE)
        except jsformulas.CompileError as exc:
            raise PluginError(f"{name}: {exc}") from None
        files.append(File.generated(config, compiler.ASSET, abs_src_path=str(path)))
    return files
