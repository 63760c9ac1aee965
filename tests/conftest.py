from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_mkdocs_build(site_dir: Path, cwd: Path = ROOT, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One strict build of the real book, shared by the site tests."""
    site = tmp_path_factory.mktemp("site") / "site"
    result = run_mkdocs_build(site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.fixture
def book_copy(tmp_path) -> Path:
    """A throwaway copy of the book (data, docs, macros, config) to break on purpose."""
    dest = tmp_path / "book"
    for name in ("data", "docs", "macros", "figures", "hooks", "includes", "overrides"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "build_figures.py"):
        shutil.copy2(ROOT / name, dest / name)
    return dest
