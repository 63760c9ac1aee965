"""Build-and-swap (scripts/build_site.py): the last good site survives, and nothing is left behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scripts import build_site


def _tree(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    return folder


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site-"))


def test_swap_replaces_the_old_tree_and_leaves_nothing(tmp_path):
    site = _tree(tmp_path / "site", "old")
    new = _tree(tmp_path / ".site-new-1", "new")
    build_site.swap(new, site)
    assert (site / "index.html").read_text() == "new"
    assert _leftovers(tmp_path) == []


def test_swap_into_a_missing_site(tmp_path):
    new = _tree(tmp_path / ".site-new-1", "new")
    build_site.swap(new, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "new"


def test_a_refused_swap_keeps_the_old_site_and_removes_the_new(tmp_path, monkeypatch):
    site = _tree(tmp_path / "site", "old")
    new = _tree(tmp_path / ".site-new-1", "new")
    real_rename = Path.rename

    def rename(self, target):  # the old tree moves aside, then the new one cannot move in
        if self == new:
            raise PermissionError(13, "Permission denied")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(build_site.SwapError) as err:
        build_site.swap(new, site)
    assert "\n" not in str(err.value) and "Permission denied" in str(err.value)
    assert (site / "index.html").read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_symlinked_site_updates_where_it_points(tmp_path, monkeypatch):
    real = _tree(tmp_path / "elsewhere" / "public", "old")
    link = tmp_path / "book" / "site"
    link.parent.mkdir()
    link.symlink_to(real, target_is_directory=True)

    def fake_mkdocs(cmd, cwd, env):
        out = Path(cmd[cmd.index("--site-dir") + 1])
        _tree(out, "new")
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(build_site.subprocess, "run", fake_mkdocs)
    assert build_site.build(link) == 0
    assert link.is_symlink() and (real / "index.html").read_text() == "new"
    assert _leftovers(real.parent) == [] and _leftovers(link.parent) == []


def test_a_failed_build_leaves_the_site_and_no_temporary_folder(tmp_path, monkeypatch, capsys):
    site = _tree(tmp_path / "site", "old")

    def failing_mkdocs(cmd, cwd, env):
        _tree(Path(cmd[cmd.index("--site-dir") + 1]), "half")
        return subprocess.CompletedProcess(cmd, 1)

    monkeypatch.setattr(build_site.subprocess, "run", failing_mkdocs)
    assert build_site.build(site) == 1
    assert (site / "index.html").read_text() == "old"
    assert _leftovers(tmp_path) == []
    assert "build failed; site/ is unchanged" in capsys.readouterr().err
