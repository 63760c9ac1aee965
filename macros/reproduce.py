"""Reproduce bundles: one chapter's numbers, with the data rows, the code and a runner that recompute them.

A bundle (``reproduce-<slug>-<version>.zip``) holds:

- ``numbers.json``: the chapter's part of the site's ``numbers.json`` (each number's expression,
  value, text, status and inputs);
- ``data/*.toml``: the rows of ``data/`` those expressions read (found by evaluating them against a
  book that records every model, accelerator and constant asked for), with the sources they cite;
- ``macros/``: the book's own package (loader, derive layer, formulas, vocabulary, formatting),
  so the numbers are recomputed on the one path the site used, not on a copy;
- ``reproduce.py`` (``scripts/reproduce.py``) and a ``requirements.txt`` with the pins it needs.

Zip entries are sorted and dated ``SOURCE_DATE_EPOCH`` (or 1980), so a bundle is byte-stable.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import rtoml

from .records import Book
from .vocab import Vocabulary, bind

ROOT = Path(__file__).resolve().parent.parent
# What the runner imports beyond the standard library (names as in constraints.txt).
RUNTIME_PACKAGES = ("annotated-types", "pydantic", "pydantic_core", "rtoml", "typing-inspection", "typing_extensions")


class _Recording(Mapping):
    """A read-only mapping that remembers which keys were read (iterating reads them all)."""

    def __init__(self, inner: Mapping[str, Any]) -> None:
        self.inner, self.read = inner, set()

    def __getitem__(self, key: str) -> Any:
        value = self.inner[key]
        self.read.add(key)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self.inner

    def __iter__(self) -> Iterator[str]:
        self.read.update(self.inner)
        return iter(self.inner)

    def __len__(self) -> int:
        return len(self.inner)


def evaluate(words: Mapping[str, Any], expression: str) -> Any:
    """A ledger expression (``model('gpt-3').train_flops / …``) evaluated with the chapter words only."""
    return eval(expression, {"__builtins__": {}}, dict(words))  # noqa: S307 -- the book's own ledger


def rows_read(book: Book, rows: list[dict]) -> dict[str, set[str]]:
    """Which models, accelerators and constants the expressions of ``rows`` read."""
    rec = {name: _Recording(getattr(book, name)) for name in ("models", "hardware", "constants")}
    words = bind(Vocabulary(replace(book, **rec)))
    for row in rows:
        evaluate(words, row["expression"])
    return {name: r.read for name, r in rec.items()}


def _cited(entries: Any) -> set[str]:
    """Every source key an entry cites (``source`` and ``arch_source`` fields, at any depth)."""
    found: set[str] = set()
    if isinstance(entries, dict):
        for key, value in entries.items():
            if key in ("source", "arch_source") and isinstance(value, str):
                found.add(value)
            else:
                found |= _cited(value)
    elif isinstance(entries, list):
        for item in entries:
            found |= _cited(item)
    return found


def read_data(data_dir: Path) -> dict[str, dict]:
    """The data files as parsed TOML (parsed once per build, shared by every bundle)."""
    return {name: rtoml.load(data_dir / f"{name}.toml") for name in ("models", "hardware", "constants", "sources")}


def data_files(read: dict[str, dict], used: dict[str, set[str]], loader_constants: tuple[str, ...]) -> dict[str, str]:
    """The used rows of each data file, as TOML, with the sources they cite."""
    models = [m for m in read["models"]["models"] if m.get("id") in used["models"]]
    # A model names the accelerator it trained on: the loader checks that it exists.
    wanted = used["hardware"] | {m["train_hardware"] for m in models if isinstance(m.get("train_hardware"), str)}
    hardware = [h for h in read["hardware"]["hardware"] if h.get("id") in wanted]
    keep = used["constants"] | {k for k in loader_constants if k in read["constants"]}
    constants = {k: v for k, v in read["constants"].items() if k in keep}
    cited = _cited(models) | _cited(hardware) | _cited(constants)
    sources = {k: v for k, v in read["sources"]["sources"].items() if k in cited}
    note = "# The rows of data/ that this chapter's numbers read (written by macros/reproduce.py).\n"
    return {
        "data/models.toml": note + rtoml.dumps({"models": models}),
        "data/hardware.toml": note + rtoml.dumps({"hardware": hardware}),
        "data/constants.toml": note + rtoml.dumps(constants),
        "data/sources.toml": note + rtoml.dumps({"sources": sources}),
    }


def requirements(constraints: Path) -> str:
    pins = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if version:
            pins[name.strip().lower().replace("_", "-")] = line.strip()
    wanted = [pins[p.lower().replace("_", "-")] for p in RUNTIME_PACKAGES]
    return "# What reproduce.py needs (pinned as the book pins it).\n" + "\n".join(wanted) + "\n"


def code_files(root: Path) -> dict[str, bytes]:
    """The book's package (every module; the bridge to MkDocs is not imported by the runner)."""
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "macros").rglob("*.py"))
        if "__pycache__" not in path.parts
    }
    files["reproduce.py"] = (root / "scripts" / "reproduce.py").read_bytes()
    files["requirements.txt"] = requirements(root / "constraints.txt").encode()
    return files


def bundle(
    book: Book,
    data: dict[str, dict],
    rows: list[dict],
    meta: dict[str, str],
    code: dict[str, bytes],
    loader_constants: tuple[str, ...],
) -> dict[str, bytes]:
    """Every file of one chapter's bundle, by its path inside the zip."""
    files = dict(code)
    for name, text in data_files(data, rows_read(book, rows), loader_constants).items():
        files[name] = text.encode()
    # One number a line, as the site's numbers.json.
    numbers = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    chapter = json.dumps(meta, ensure_ascii=False)
    files["numbers.json"] = f'{{"chapter": {chapter},\n"numbers": [\n{numbers}\n]}}\n'.encode()
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` whose bytes depend on nothing else (sorted, fixed dates and modes)."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, zip's first date
    import time

    stamp = time.gmtime(max(epoch, 315532800))[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])
    return out.getvalue()
