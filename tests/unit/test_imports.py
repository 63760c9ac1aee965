"""The project's import graph: no cycles (also through imports inside functions), and the layers
point one way: ``formulas`` imports nothing of the project, the data records do not need the formulas.

Every module of ``macros/``, ``figures/`` (if present), ``hooks/``, ``scripts/`` and
``build_figures.py`` is parsed with :mod:`ast`; nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("macros", "figures", "hooks", "scripts")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    files = [ROOT / "build_figures.py"] if (ROOT / "build_figures.py").exists() else []
    for package in PACKAGES:
        if (ROOT / package).is_dir():
            files += sorted((ROOT / package).rglob("*.py"))
    return {module_name(p): p for p in files if "__pycache__" not in p.parts}


def _resolve(name: str, modules: dict[str, Path], here: str) -> str | None:
    """The project module an absolute name means, trying the importer's own folder for bare names
    (scripts and hooks import their neighbours by file name)."""
    folder = here.rpartition(".")[0]
    for stop, candidate in (("", name), (folder, f"{folder}.{name}" if folder else name)):
        while candidate and candidate != stop:
            if candidate in modules:
                return candidate
            candidate = candidate.rpartition(".")[0]
    return None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules ``name`` imports anywhere in its file (top level or inside functions)."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod
            targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in modules else prefix for a in node.names]
        else:
            continue
        for target in targets:
            resolved = _resolve(target, modules, name)
            if resolved and resolved != name:
                out.add(resolved)
    return out


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_the_project():
    edges = graph()
    assert {"macros.formulas", "macros.derive", "macros.vocab.models", "build_figures"} <= set(edges)
    assert "macros.derive" in edges["macros.exports"]
    assert "macros.formulas" in edges["macros.derive"]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_formulas_import_nothing_of_the_project():
    edges = graph()
    formulas = [m for m in edges if m == "macros.formulas" or m.startswith("macros.formulas.")]
    assert len(formulas) > 1
    for module in formulas:
        outside = sorted(m for m in edges[module] if not m.startswith("macros.formulas"))
        assert outside == [], f"{module} imports {outside}"


@pytest.mark.parametrize("module", ["macros.records", "macros.errors", "macros.units"])
def test_records_errors_and_units_do_not_need_the_formulas(module: str):
    imported = graph()[module]
    assert not any(m.startswith("macros.formulas") for m in imported), sorted(imported)


def test_no_hook_or_script_shadows_a_standard_module():
    """MkDocs puts a hook's folder first on ``sys.path`` while it loads the hook: a ``hooks/numbers.py``
    would be what ``import numbers`` finds (it broke the figure worker under serve)."""
    import sys

    for folder in ("hooks", "scripts"):
        clash = sorted(p.stem for p in (ROOT / folder).glob("*.py") if p.stem in sys.stdlib_module_names)
        assert not clash, f"{folder}/ shadows standard modules: {clash}"
