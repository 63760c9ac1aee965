#!/usr/bin/env python3
"""Fail on numerals typed into chapters (``file:line: token``): the rules are in :mod:`macros.typed_numbers`.

The build runs the same lint on every page (``hooks/number_lint.py``); this runs it alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.typed_numbers import known_names, lint_text  # noqa: E402 (the book's root on the path first)

__all__ = ["known_names", "lint_paths", "lint_text", "main"]


def lint_paths(paths: list[Path]) -> list[str]:
    names = known_names()
    out = []
    for path in paths:
        for line, message in lint_text(path.read_text(encoding="utf-8"), names):
            out.append(f"{path.relative_to(ROOT).as_posix()}:{line}: {message}")
    return out


def main() -> int:
    paths = sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "includes").rglob("*.md"))
    problems = lint_paths(paths)
    for p in problems:
        print(p)
    print(f"{len(paths)} pages checked, {len(problems)} typed number(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
