#!/usr/bin/env python3
"""Strict build into a fresh directory, then swap it in for ``site/``.

MkDocs empties its output directory before it builds, so a failed build would leave no
site at all. Building next to it and renaming on success keeps the last good ``site/``
exactly as it was whenever the build fails, and leaves nothing behind:

- the new tree is built beside the real target (when ``site`` is a symlink, beside the folder it
  points to, so that the link keeps working and its target is what gets updated);
- a swap that the file system refuses (permissions, a busy folder) restores the old tree, removes
  the new one and says so in one line;
- an interrupted or failed build removes its temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class SwapError(Exception):
    """The new site was built but could not replace the old one (the old one is intact)."""


def _target(site: Path) -> Path:
    """The folder to replace: ``site`` itself, or the folder a ``site`` symlink points to."""
    return site.resolve() if site.is_symlink() else site


def swap(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is; on any failure the old ``target`` stays and ``new`` goes."""
    old = target.with_name(f".site-old-{os.getpid()}")
    moved_old = False
    try:
        if target.exists():
            target.rename(old)
            moved_old = True
        new.rename(target)
    except OSError as exc:
        if moved_old and not target.exists():
            old.rename(target)
        shutil.rmtree(new, ignore_errors=True)
        raise SwapError(f"cannot replace {target}: {exc.strerror or exc}; the previous site is unchanged") from None
    shutil.rmtree(old, ignore_errors=True)


def build(site: Path = ROOT / "site", extra: list[str] | None = None) -> int:
    target = _target(site)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"build: cannot create {target.parent}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    tmp = target.with_name(f".site-new-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    # A published build carries each chapter's reproduce bundle (hooks/reproduce_bundles.py).
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BOOK_BUNDLES": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp), *(extra or [])]
    try:
        result = subprocess.run(cmd, cwd=ROOT, env=env)
        if result.returncode != 0:
            print(f"build failed; {site.name}/ is unchanged", file=sys.stderr)
            return result.returncode
        swap(tmp, target)
    except SwapError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"build interrupted; {site.name}/ is unchanged", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"built {site.relative_to(ROOT) if site.is_relative_to(ROOT) else site}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(build(extra=sys.argv[1:]))
