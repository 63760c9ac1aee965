"""A planned chart (:class:`Figure`) and the fingerprint of the code that draws it.

A chart's digest covers its plotted rows, caption, alt text and drawing settings, plus the
fingerprint of its own module, the modules of this package that module imports (directly or
through each other), the label formatting it draws with (``macros/format.py``) and the
installed matplotlib. Editing one chart module therefore redraws that chart only.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# Drawn text (tick labels, value labels) is formatted by this module, not by the plan.
DRAWN_WITH = (ROOT / "macros" / "format.py",)


@dataclass(frozen=True)
class Figure:
    """Everything needed to draw one chart, computed without matplotlib."""

    name: str
    title: str  # the caption, also drawn above the chart (a Said: its numbers are the chapters' quantities)
    alt: str  # the generated alt text (a Said, as the title)
    rows: tuple[NamedTuple, ...]  # exactly the plotted points, one per CSV row
    draw: Callable[[Figure, str], Any]  # the chart module's drawing function (figure, theme) -> matplotlib figure
    extra: Mapping[str, Any] = field(default_factory=dict)  # labels and settings the drawing needs (not points)

    @property
    def columns(self) -> tuple[str, ...]:
        return type(self.rows[0])._fields

    def csv_text(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(self.columns)
        w.writerows(self.rows)
        return out.getvalue()

    def index_entry(self) -> dict[str, Any]:
        """This chart's entry of ``index.json``: digest, caption, alt text, points, and the quantities
        the caption and alt text state (a :class:`figures.said.Said` keeps them) with their places."""
        entry: dict[str, Any] = {"hash": self.digest(), "title": str(self.title), "alt": str(self.alt)}
        entry["points"] = len(self.rows)
        numbers = {
            where: text.stored()["numbers"]
            for where, text in (("title", self.title), ("alt", self.alt))
            if getattr(text, "numbers", ())
        }
        flags = getattr(self.title, "flags", ())  # the status words of the caption (see figures.said.Flag)
        return (
            entry | ({"numbers": numbers} if numbers else {}) | ({"flags": [list(f) for f in flags]} if flags else {})
        )

    def digest(self) -> str:
        h = hashlib.sha256()
        h.update(fingerprint(self.draw.__module__).encode())
        h.update(
            json.dumps(
                [self.name, self.title, self.columns, self.rows, self.alt, dict(self.extra)],
                default=str,
            ).encode()
        )
        return h.hexdigest()


# `from . import a, b`, `from .common import x`, `from figures.style import y` (parenthesised lists too).
_IMPORT = re.compile(r"^[ \t]*from[ \t]+(?:\.|figures\.?)(\w*)[ \t]+import[ \t]+(\([^)]*\)|.*)$", re.M)


def package_imports(path: Path, package: Path = PACKAGE) -> set[str]:
    """Modules of the package that the module at ``path`` imports, read from its ``from`` lines.

    A text scan, not a parse: parsing every chart's shared modules cost ~0.3 s per build.
    """
    found: set[str] = set()
    for module, imported in _IMPORT.findall(path.read_text(encoding="utf-8")):
        if module:
            found.add(module)
        else:  # from . import style, drawing as d
            names = re.sub(r"#[^\n]*", "", imported).strip("()")
            found.update(part.split()[0] for part in names.split(",") if part.strip())
    return {name for name in found if (package / f"{name}.py").is_file()}


def shared_modules(module: str, package: Path = PACKAGE) -> list[Path]:
    """The file of chart ``module`` (``figures.isoflop``) and every package module it reaches through imports."""
    seen: set[Path] = set()
    todo = [package / f"{module.rpartition('.')[2]}.py"]
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(package / f"{name}.py" for name in package_imports(path, package))
    return sorted(seen)


@cache
def matplotlib_version() -> str:
    """The installed matplotlib, named by its metadata folder, found without importing it.

    (``importlib.metadata`` parses a file: ~10 ms per build.)
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.origin:
        return "none"
    site = Path(spec.origin).parent.parent
    return ",".join(sorted(p.name for p in site.glob("matplotlib-*.dist-info"))) or "unknown"


@cache
def fingerprint(module: str, package: Path = PACKAGE) -> str:
    """Digest of the code that draws the chart of ``module`` (e.g. ``figures.isoflop``); see the module docstring."""
    h = hashlib.sha256()
    for path in [*shared_modules(module, package), *DRAWN_WITH]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(matplotlib_version().encode())
    return h.hexdigest()


def package_fingerprint(*also: Path) -> str:
    """Digest of every module of this package, the files ``also`` and the label formatting and matplotlib."""
    h = hashlib.sha256()
    for path in [*sorted(PACKAGE.glob("*.py")), *also, *DRAWN_WITH]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(matplotlib_version().encode())
    return h.hexdigest()
