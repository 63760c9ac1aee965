"""The book's Python installs as an editable package without shadowing a copy of the book.

``make test`` installs the project (``pip install -e . --no-deps``) so tests import ``macros``,
``scripts`` and ``build_figures`` with no ``sys.path`` edits. The tests' throwaway books are copies
run from their own folder: there, mkdocs-macros' ``module_name: macros`` and a plain ``import``
must find the copy's code, never the installed checkout's.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PROBE = """
import sys
from mkdocs_macros.util import import_local_module
module = import_local_module(sys.argv[1], "macros")
print(module.__file__)
print(module.COPY_MARK)
"""


def _copy_macros(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "macros", book / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    with (book / "macros" / "__init__.py").open("a") as init:
        init.write('\nCOPY_MARK = "the copy"\n')
    return book


def test_mkdocs_macros_loads_the_copys_macros(tmp_path: Path):
    book = _copy_macros(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(book)], cwd=elsewhere, capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines() == [str(book / "macros" / "__init__.py"), "the copy"]


def test_a_script_run_in_a_copy_imports_the_copys_macros(tmp_path: Path):
    book = _copy_macros(tmp_path)
    probe = "import macros; print(macros.COPY_MARK)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=book, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "the copy"


def _uses_sys_path(path: Path) -> bool:
    tree = ast.parse(path.read_text(), filename=str(path))
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
        for node in ast.walk(tree)
    )


def test_no_test_touches_sys_path():
    offenders = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests").rglob("*.py")) if _uses_sys_path(p)]
    assert offenders == []
