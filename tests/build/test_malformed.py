"""A corpus of bad inputs: each one stops a real strict build with one clear line and no traceback.

Each file in ``tests/malformed/`` is a small TOML patch to a copy of the book:

```toml
about = "what the author did wrong"
file = "data/models.toml"          # the file to break, relative to the book
old = '''text that is in the file'''  # replaced once by `new`
new = '''the broken text'''
new_encoding = "latin-1"           # optional: write `new` in this encoding (an encoding error)
names_line = false                 # optional: a chapter error that cannot name the line (link checks)
expect = ["data/models.toml:", "model 'llama-3-8b'", "field 'params.value'"]
```

A case may instead (or as well) plant a symbolic link, which a text patch cannot:
``symlink = { path = "docs/assets/x", target = "/etc/passwd" }`` creates ``path`` (relative to
the book) pointing at ``target``, written as given (absolute, or relative to the link's folder);
``file``, ``old`` and ``new`` are then optional.

For every case, ``scripts/build_site.py`` runs in a throwaway copy of the book that already
holds a good ``site/``, and the test checks that the build exits non-zero, that exactly one log
line is an ERROR or WARNING and it holds every ``expect`` string, that no traceback is printed,
and that the old ``site/`` is byte for byte what it was. The builds run two at a time, once per
session; each case is then reported as its own test.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

CORPUS = Path(__file__).resolve().parents[1] / "malformed"
CASES = sorted(CORPUS.glob("*.toml"))
# Everything but the tree's own build products, tools and tests.
SKIP = {".git", ".venv", ".cache", "site", "tests", "test-artifacts", ".pytest_cache", ".ruff_cache", "__pycache__"}
LOG_LEVELS = ("ERROR", "WARNING")


@dataclass
class Outcome:
    returncode: int
    output: str
    site_before: str
    site_after: str


def tree_digest(root: Path) -> str:
    """One hash over every file's relative path and bytes (and the set of directories)."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir():
            h.update(f"d {rel}\n".encode())
        else:
            h.update(f"f {rel} {hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return h.hexdigest()


def copy_book(dest: Path, figures: bool = True) -> Path:
    """A copy of the whole book (not its tests or build products), optionally with the figure cache."""
    dest.mkdir(parents=True)
    for path in ROOT.iterdir():
        if path.name in SKIP or path.name.startswith(".site-"):
            continue
        if path.is_dir():
            shutil.copytree(path, dest / path.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, dest / path.name)
    if figures and (ROOT / ".cache" / "figures").is_dir():
        shutil.copytree(ROOT / ".cache" / "figures", dest / ".cache" / "figures")
    return dest


def make_book(dest: Path, good_site: Path) -> Path:
    """A copy of the book with the real book's caches and a good site/ already in place."""
    # The figures are already rendered for the real data: reuse them so no case pays for matplotlib.
    copy_book(dest)
    # So are its validated data and its pages: every entry is keyed by a digest of its inputs, so a
    # case that breaks one page or one data file misses exactly what it changed and reuses the rest.
    for sub in ("data", "pages", "js"):
        if (ROOT / ".cache" / sub).is_dir():
            shutil.copytree(ROOT / ".cache" / sub, dest / ".cache" / sub)
    shutil.copytree(good_site, dest / "site", symlinks=True)
    return dest


def apply_case(book: Path, case: dict) -> None:
    if link := case.get("symlink"):
        (book / link["path"]).symlink_to(link["target"])
    if "file" not in case:
        return
    target = book / case["file"]
    text = target.read_text(encoding="utf-8")
    assert case["old"] in text, f"corpus drifted: {case['old']!r} is no longer in {case['file']}"
    before, after = text.split(case["old"], 1)
    new = case["new"].encode(case.get("new_encoding", "utf-8"))
    target.write_bytes(before.encode("utf-8") + new + after.encode("utf-8"))


def run_case(path: Path, workdir: Path, good_site: Path, prepare: Callable[[Path], None] | None = None) -> Outcome:
    """Build the book with one case applied (``prepare`` may change the copy first)."""
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    book = make_book(workdir / path.stem, good_site)
    if prepare is not None:
        prepare(book)
    apply_case(book, case)
    before = tree_digest(book / "site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "scripts/build_site.py"],
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Outcome(result.returncode, result.stdout + result.stderr, before, tree_digest(book / "site"))


def selected_cases(session: pytest.Session) -> list[Path]:
    """The cases this session runs (all of them, or those ``-k`` selects)."""
    chosen = {
        item.callspec.params["path"]
        for item in session.items
        if item.module is sys.modules[__name__] and "path" in getattr(getattr(item, "callspec", None), "params", {})
    }
    return [p for p in CASES if p in chosen]


@pytest.fixture(scope="module")
def outcomes(built_site: Path, tmp_path_factory, request) -> dict[str, Outcome]:
    """Every selected case built once, two builds at a time (the machine has two cores)."""
    workdir = tmp_path_factory.mktemp("malformed")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {p.stem: pool.submit(run_case, p, workdir, built_site) for p in selected_cases(request.session)}
        return {name: f.result() for name, f in futures.items()}


def test_the_corpus_is_large_and_every_case_is_well_formed():
    assert len(CASES) >= 40
    for path in CASES:
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        assert {"about", "expect"} <= set(case) and ("file" in case or "symlink" in case), path.name
        if "symlink" in case:
            assert set(case["symlink"]) == {"path", "target"}, path.name
            assert not (ROOT / case["symlink"]["path"]).exists(), f"{path.name}: the link would replace a file"
        if "file" in case:
            assert {"old", "new"} <= set(case) and case["old"] != case["new"], path.name
            assert (ROOT / case["file"]).is_file(), f"{path.name}: no such file {case['file']}"
        assert case["expect"] and all(isinstance(s, str) and s for s in case["expect"]), path.name


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_input_stops_the_build_with_one_clear_line(path: Path, outcomes: dict[str, Outcome]):
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    out = outcomes[path.stem]
    assert out.returncode != 0, f"{case['about']}: the build succeeded\n{out.output[-2000:]}"
    assert "Traceback" not in out.output, out.output[-3000:]
    lines = [line for line in out.output.splitlines() if line.startswith(LOG_LEVELS)]
    assert len(lines) == 1, f"{case['about']}: expected one error line, got:\n" + "\n".join(lines)
    missing = [s for s in case["expect"] if s not in lines[0]]
    assert not missing, f"{case['about']}: {missing} not in {lines[0]!r}"
    if case.get("file", "").endswith(".md") and case.get("names_line", True):
        assert re.search(r" docs/\S+\.md:\d+: ", lines[0]), f"no page:line in {lines[0]!r}"
    assert out.site_after == out.site_before, "a failed build changed the previous site/"
