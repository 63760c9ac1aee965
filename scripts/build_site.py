#!/usr/bin/env python3
"""Strict build into a fresh directory, then swap it in for ``site/``.

MkDocs empties its output directory before it builds, so a failed build would leave no
site at all. Building next to it and renaming on success keeps the last good ``site/``
exactly as it was whenever the build fails, and leaves nothing behind:

- the new tree is built beside the real target (when ``site`` is a symlink, beside the folder it
  points to, so that the link keeps working and its target is what gets updated);
- a swap that the file system refuses (permissions, a busy folder) restores the old tree, removes
  the new one and says so in one line;
- a failed, interrupted (Ctrl-C, SIGTERM) or crashed build removes its temporary folder, and the
  temporary folders of earlier runs that died are removed by the next one;
- a failure MkDocs reports as a Python traceback (a full disk, a bug in a hook) is printed as one
  line, the exception's (``BOOK_DEBUG=1`` prints the traceback as it is).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
TEMPORARY = re.compile(r"\.site-(new|old)-(\d+)")


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
        shutil.rmtree(new, ignore_errors=True)
        reason = exc.strerror or str(exc)
        if moved_old and not target.exists():
            try:
                old.rename(target)
            except OSError:
                raise SwapError(f"cannot replace {target}: {reason}; the previous site is in {old}") from None
        raise SwapError(f"cannot replace {target}: {reason}; the previous site is unchanged") from None
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(parent: Path) -> None:
    """Remove the temporary folders that builds which died (SIGKILL, power loss) left in ``parent``."""
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for path in entries:
        m = TEMPORARY.fullmatch(path.name)
        if m and int(m.group(2)) != os.getpid() and not _alive(int(m.group(2))):
            shutil.rmtree(path, ignore_errors=True)


def _exception_line(lines: list[str]) -> str:
    """The last line of a traceback: ``Type: message``."""
    for line in reversed(lines):
        if line.strip() and not line.startswith((" ", "\t")):
            return line.strip()
    return "the build crashed"


def run(cmd: list[str], env: dict[str, str]) -> int:
    """Run MkDocs, passing its log through, with every traceback folded into its exception's line."""
    debug = bool(os.environ.get("BOOK_DEBUG"))
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, errors="replace")
    try:
        traceback: list[str] | None = None
        for line in proc.stderr:
            if debug:
                sys.stderr.write(line)
            elif line.startswith("Traceback (most recent call last):"):
                traceback = []
            elif traceback is not None:
                traceback.append(line.rstrip("\n"))
            else:
                sys.stderr.write(line)
        if traceback is not None:
            print(f"ERROR    -  {_exception_line(traceback)} (BOOK_DEBUG=1 shows where)", file=sys.stderr)
        return proc.wait()
    finally:
        if proc.poll() is None:  # interrupted: stop MkDocs before its folder is removed
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def build(site: Path = ROOT / "site", extra: list[str] | None = None) -> int:
    target = _target(site)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"build: cannot create {target.parent}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    remove_stale(target.parent)
    tmp = target.with_name(f".site-new-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    # A published build carries each chapter's reproduce bundle (hooks/reproduce_bundles.py).
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BOOK_BUNDLES": "1"}
    cmd = [*MKDOCS, "build", "--strict", "--site-dir", str(tmp), *(extra or [])]
    try:
        if run(cmd, env) != 0:
            print(f"build failed; {site.name}/ is unchanged", file=sys.stderr)
            return 1
        swap(tmp, target)
    except SwapError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"build interrupted; {site.name}/ is unchanged", file=sys.stderr)
        return 130
    except OSError as exc:  # e.g. the pipe to MkDocs, or a full disk here
        print(f"build: {exc.strerror or exc}; {site.name}/ is unchanged", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"built {site.relative_to(ROOT) if site.is_relative_to(ROOT) else site}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)  # a stopped build cleans up as an interrupted one
    sys.exit(build(extra=sys.argv[1:]))
