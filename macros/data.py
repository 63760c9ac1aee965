"""Load ``data/`` once per build into typed, immutable records, from a cache when unchanged.

Validation (:mod:`macros.schema`) parses the TOML and runs pydantic: at the book's size that
costs more in imports than in work (pydantic ~0.1 s), at tens of thousands of models it is
seconds. A validated book depends only on the bytes of the data files and on the loader's code,
so :func:`load` with a ``cache_dir`` keeps the last validated book there, keyed by a digest of
both, and a build whose data did not change reads it back without importing pydantic.

The cache is a pickle that only this book writes, in its own git-ignored ``.cache/`` folder;
anything wrong with it (missing, truncated, another Python) counts as a miss.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from .records import (
    BASE_UNIT,
    MODEL_VALUE_FIELDS,
    PLAUSIBLE,
    PRECISIONS,
    STATUS_RANK,
    STATUSES,
    UNITS,
    Book,
    Constant,
    DataError,
    Hardware,
    Model,
    Source,
    Value,
)

DATA_FILES = ("models.toml", "hardware.toml", "sources.toml", "constants.toml")
CACHE_FILE = "book.pickle"
# Bump when the pickled layout changes in a way the code digest would not show.
CACHE_FORMAT = "1"
_CODE = Path(__file__).resolve().parent


def code_digest() -> str:
    """Digest of the book's Python (``macros/*.py``): what turns data into records and numbers."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def data_digest(root: Path) -> str:
    """Digest of the data files' bytes, the loader's code and the Python that pickles them."""
    h = hashlib.blake2b(digest_size=16)
    # The root is part of the key: the records name their files (``Book.files``).
    h.update(f"{CACHE_FORMAT}\0{sys.version}\0{code_digest()}\0{root.resolve()}\0".encode())
    for name in DATA_FILES:
        path = root / name
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"\0missing\0")
    return h.hexdigest()


def _to_plain(book: Book) -> dict:
    """The book with its read-only mappings as dicts (a ``mappingproxy`` does not pickle)."""
    return {
        "models": dict(book.models),
        "hardware": {k: replace(h, peak=dict(h.peak)) for k, h in book.hardware.items()},
        "sources": dict(book.sources),
        "constants": dict(book.constants),
        "files": book.files,
        "digest": book.digest,
    }


def _from_plain(doc: dict) -> Book:
    hardware = {k: replace(h, peak=MappingProxyType(h.peak)) for k, h in doc["hardware"].items()}
    return Book(
        models=MappingProxyType(doc["models"]),
        hardware=MappingProxyType(hardware),
        sources=MappingProxyType(doc["sources"]),
        constants=MappingProxyType(doc["constants"]),
        files=doc["files"],
        digest=doc["digest"],
    )


def _read_cache(path: Path, digest: str) -> Book | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = digest.encode() + b"\n"
    if not blob.startswith(head):
        return None
    # Unpickling allocates one object per value; the cyclic collector would run hundreds of
    # times over them for nothing (a third of the time at 30,000 models).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _from_plain(pickle.loads(blob[len(head) :]))
    except Exception:  # a cache from another version of the code: rebuild it
        return None
    finally:
        if enabled:
            gc.enable()


def _write_cache(path: Path, book: Book) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = book.digest.encode() + b"\n" + pickle.dumps(_to_plain(book), protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".book-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:  # a read-only checkout still builds, only without the cache
        pass


def load(root: Path | str = "data", cache_dir: Path | str | None = None) -> Book:
    """Read and check every file under ``root``; raise :class:`DataError` on the first problem.

    With ``cache_dir``, a book validated earlier from the same bytes by the same code is read
    back from there instead (and a newly validated one is stored).
    """
    root = Path(root)
    if cache_dir is None:
        from .schema import validate

        return validate(root)
    digest = data_digest(root)
    cache = Path(cache_dir) / CACHE_FILE
    book = _read_cache(cache, digest)
    if book is None:
        from .schema import validate

        book = replace(validate(root), digest=digest)
        _write_cache(cache, book)
    return book


__all__ = [
    "BASE_UNIT",
    "CACHE_FILE",
    "DATA_FILES",
    "MODEL_VALUE_FIELDS",
    "PLAUSIBLE",
    "PRECISIONS",
    "STATUSES",
    "STATUS_RANK",
    "UNITS",
    "Book",
    "Constant",
    "DataError",
    "Hardware",
    "Model",
    "Source",
    "Value",
    "code_digest",
    "data_digest",
    "load",
]
