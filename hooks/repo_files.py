"""MkDocs hook: only the repository is published; a symbolic link that leads out of it stops the build.

MkDocs follows symbolic links when it walks ``docs/`` (a linked folder is walked like a real one),
the theme reads ``overrides/``, pymdownx.snippets and the macros' ``{% include %}`` read
``includes/`` and the macros read ``data/``. A link in any of them to a file or folder outside the
repository (``docs/assets/x -> /etc/passwd``) would publish, or inline into a page, something that
is not in the repository; a link that points nowhere or to a folder that contains it would make
MkDocs fail with a traceback or walk the same folder again and again. Each stops the build with
one line naming the link and its target. Links that stay inside the repository are allowed
(not into ``.git``: the repository's history is not its files).

- ``on_pre_build`` (before MkDocs walks ``docs/``, so a link to ``/`` costs nothing): every link
  in those folders, without following them; a link to a folder inside the repository is then
  checked in turn, once.
- ``on_files``: every file collected from ``docs/`` or the theme's ``custom_dir`` resolves inside
  the repository (``File.abs_src_path``), whichever plugin added it.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError

ADVICE = "only files inside the repository are published: copy the file in, or remove the link"


def _root(config) -> Path:
    return Path(os.path.abspath(config.config_file_path)).parent


def _show(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def link_problem(link: Path, root: Path) -> str | None:
    """Why the symbolic link ``link`` (a path under ``root``) may not be read, as one line, or None."""
    target = os.readlink(link)
    name = _show(link, root)
    try:
        resolved = link.resolve(strict=True)
    except FileNotFoundError:
        return f"{name}: a symbolic link to {target}, which does not exist; remove the link"
    except (RuntimeError, OSError):  # a loop of links (RuntimeError up to Python 3.12)
        return f"{name}: a symbolic link to {target} that loops back to itself; remove the link"
    real_root = root.resolve()
    if not resolved.is_relative_to(real_root):
        shown = target if target == str(resolved) else f"{target} (that is {resolved})"
        return f"{name}: a symbolic link to {shown}, outside the repository; {ADVICE}"
    if resolved.relative_to(real_root).parts[:1] == (".git",):
        return f"{name}: a symbolic link to {target}, inside .git (the repository's history, not its files); {ADVICE}"
    if resolved.is_dir() and link.parent.resolve().is_relative_to(resolved):
        return f"{name}: a symbolic link to {target}, a folder that contains the link (MkDocs would walk it forever)"
    return None


def folders(config) -> list[Path]:
    """The folders of the repository that MkDocs, the theme, snippets and the macros read."""
    root = _root(config)
    found = [Path(config.docs_dir), root / "data"]
    if config.theme.custom_dir:
        found.append(Path(config.theme.custom_dir))
    if "pymdownx.snippets" in config.markdown_extensions:
        bases = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
        found += [Path(os.path.abspath(b)) for b in ([bases] if isinstance(bases, str) else bases)]
    macros = config.plugins.get("macros")
    include = getattr(macros, "config", {}).get("include_dir") if macros is not None else None
    if include:
        found.append(root / include)
    # The repository itself is not walked (its .venv may be a link to a shared one).
    return [f for f in dict.fromkeys(found) if f != root and f.is_relative_to(root)]


def scan(tops: list[Path], root: Path) -> str | None:
    """The first link (in sorted order) under ``tops`` that leaves ``root`` or loops, as one line."""
    seen: set[Path] = set()
    todo = sorted(tops)
    while todo:
        top = todo.pop(0)
        if top.is_symlink() and (problem := link_problem(top, root)):
            return problem
        if not top.is_dir() or top.resolve() in seen:
            continue
        seen.add(top.resolve())
        for here, dirs, names in os.walk(top):  # links are not followed here; linked folders are queued
            dirs.sort()
            for name in sorted(dirs + names):
                path = Path(here) / name
                if not path.is_symlink():
                    continue
                if problem := link_problem(path, root):
                    return problem
                if path.is_dir():
                    todo.append(path)
    return None


def on_pre_build(config) -> None:
    if problem := scan(folders(config), _root(config)):
        raise PluginError(problem)


def on_files(files, config):
    root = _root(config)
    real_root = root.resolve()
    read = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    for file in files:
        if not file.abs_src_path:
            continue
        path = Path(file.abs_src_path)
        if not any(path.is_relative_to(folder) for folder in read) or path.resolve().is_relative_to(real_root):
            continue
        # Name the link on the way that leaves the repository (the file itself or a folder above it).
        for step in [*reversed(path.parents), path]:
            if step.is_relative_to(root) and step.is_symlink() and (problem := link_problem(step, root)):
                raise PluginError(problem)
        raise PluginError(f"{_show(path, root)}: resolves to {path.resolve()}, outside the repository; {ADVICE}")
    return files
