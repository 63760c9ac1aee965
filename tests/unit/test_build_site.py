"""Build-and-swap (scripts/build_site.py): the last good site survives, and nothing is left behind.

MkDocs is replaced by a small script (``build_site.MKDOCS``) run as a real child process: it
writes a tree into ``--site-dir`` and then succeeds, fails, crashes with a traceback, runs out of
file space (``RLIMIT_FSIZE``: the kernel refuses the write, as on a full disk) or hangs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import build_figures
from scripts import build_site


def _tree(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    return folder


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site-"))


@pytest.fixture
def fake_mkdocs(tmp_path, monkeypatch):
    """Install a stand-in for MkDocs: ``body`` runs with ``out`` (the --site-dir) defined."""

    def install(body: str) -> None:
        script = tmp_path / "fake_mkdocs.py"
        head = (
            "import os, sys, time\nfrom pathlib import Path\nout = Path(sys.argv[sys.argv.index('--site-dir') + 1])\n"
        )
        script.write_text(head + textwrap.dedent(body))
        monkeypatch.setattr(build_site, "MKDOCS", [sys.executable, str(script)])

    return install


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


def _refuse_renaming(monkeypatch, refused: Path) -> None:
    real_rename = Path.rename

    def rename(self, target):
        if self == refused:
            raise PermissionError(13, "Permission denied")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)


def test_a_refused_swap_keeps_the_old_site_and_removes_the_new(tmp_path, monkeypatch):
    site = _tree(tmp_path / "site", "old")
    new = _tree(tmp_path / ".site-new-1", "new")
    _refuse_renaming(monkeypatch, new)  # the old tree moves aside, then the new one cannot move in
    with pytest.raises(build_site.SwapError) as err:
        build_site.swap(new, site)
    assert "\n" not in str(err.value) and "Permission denied" in str(err.value)
    assert (site / "index.html").read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_site_that_cannot_be_renamed_is_one_line_and_leaves_no_temporary_folder(
    tmp_path, monkeypatch, fake_mkdocs, capsys
):
    site = _tree(tmp_path / "site", "old")
    fake_mkdocs("(out / 'big').mkdir(parents=True)\n(out / 'big' / 'x.html').write_text('new' * 1000)\n")
    _refuse_renaming(monkeypatch, site)
    assert build_site.build(site) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"build: cannot replace {site}: Permission denied; the previous site is unchanged"]
    assert (site / "index.html").read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_symlinked_site_updates_where_it_points(tmp_path, fake_mkdocs):
    real = _tree(tmp_path / "elsewhere" / "public", "old")
    link = tmp_path / "book" / "site"
    link.parent.mkdir()
    link.symlink_to(real, target_is_directory=True)
    fake_mkdocs("out.mkdir(parents=True)\n(out / 'index.html').write_text('new')\n")
    assert build_site.build(link) == 0
    assert link.is_symlink() and link.resolve() == real
    assert (real / "index.html").read_text() == "new"
    assert _leftovers(real.parent) == [] and _leftovers(link.parent) == []


def test_a_failed_build_leaves_the_site_and_no_temporary_folder(tmp_path, fake_mkdocs, capsys):
    site = _tree(tmp_path / "site", "old")
    fake_mkdocs("out.mkdir(parents=True)\n(out / 'index.html').write_text('half')\nsys.exit(1)\n")
    assert build_site.build(site) == 1
    assert (site / "index.html").read_text() == "old"
    assert _leftovers(tmp_path) == []
    assert "build failed; site/ is unchanged" in capsys.readouterr().err


def test_a_full_disk_is_one_line_and_leaves_no_temporary_folder(tmp_path, fake_mkdocs, capsys):
    """The child may write at most 4 KiB per file: the kernel refuses the rest (EFBIG), as a full disk would."""
    site = _tree(tmp_path / "site", "old")
    fake_mkdocs(
        """
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        print('INFO    -  Building documentation...', file=sys.stderr)
        out.mkdir(parents=True)
        (out / 'index.html').write_text('x' * 100_000)
        """
    )
    assert build_site.build(site) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "File too large" in err
    lines = [line for line in err.splitlines() if line.startswith(("ERROR", "WARNING"))]
    assert len(lines) == 1 and lines[0].startswith("ERROR    -  OSError: [Errno 27] File too large"), err
    assert "INFO    -  Building documentation..." in err  # the log itself still comes through
    assert (site / "index.html").read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_stopped_build_stops_mkdocs_and_removes_its_folder(tmp_path, fake_mkdocs):
    site = _tree(tmp_path / "site", "old")
    pid_file = tmp_path / "child.pid"
    fake_mkdocs(
        f"""
        Path({str(pid_file)!r}).write_text(str(os.getpid()))
        out.mkdir(parents=True)
        (out / 'index.html').write_text('half')
        print('writing', file=sys.stderr, flush=True)
        time.sleep(60)
        """
    )
    previous = signal.signal(signal.SIGTERM, build_site._interrupt)
    timer = threading.Timer(2.0, os.kill, (os.getpid(), signal.SIGTERM))
    try:
        timer.start()
        assert build_site.build(site) == 130
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, previous)
    assert _leftovers(tmp_path) == []
    assert (site / "index.html").read_text() == "old"
    child = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # terminated and reaped


def test_temporary_folders_of_builds_that_died_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = _tree(tmp_path / f".site-new-{int(dead.stdout)}", "stale")
    old = _tree(tmp_path / f".site-old-{int(dead.stdout)}", "stale")
    running = _tree(tmp_path / f".site-new-{os.getppid()}", "another build, still running")
    build_site.remove_stale(tmp_path)
    assert not stale.exists() and not old.exists() and running.exists()


def test_a_figure_write_on_a_full_disk_leaves_no_temporary_file(tmp_path):
    """``build_figures._write_if_changed`` under a 4 KiB file-size limit: the write fails, the
    old file is intact and no ``.tmp`` stays in the cache folder."""
    target = tmp_path / "chart.svg"
    target.write_bytes(b"old chart")
    code = textwrap.dedent(
        f"""
        import resource, signal, sys
        from pathlib import Path
        sys.path.insert(0, {str(Path(build_figures.__file__).parent)!r})
        import build_figures
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            build_figures._write_if_changed(Path({str(target)!r}), b"<svg>" * 10_000)
        except OSError as exc:
            print(build_figures.one_line(exc))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("File too large ("), result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.svg"]
    assert target.read_bytes() == b"old chart"
