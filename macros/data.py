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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from .errors import DataError
from .records import (
    DEFAULT_UNIT,
    MODEL_VALUE_FIELDS,
    PLAUSIBLE,
    PRECISIONS,
    STATUS_RANK,
    STATUSES,
    UNITS,
    Book,
    Constant,
    Hardware,
    Model,
    Source,
    Value,
    build_date,
)

DATA_FILES = ("models.toml", "hardware.toml", "sources.toml", "constants.toml")
CACHE_FILE = "book.pickle"
# Bump when the pickled layout changes in a way the code digest would not show.
CACHE_FORMAT = "2"
_CODE = Path(__file__).resolve().parent


def code_digest() -> str:
    """Digest of the book's Python (``macros/**/*.py``): what turns data into records and numbers."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.rglob("*.py")):
        h.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
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


class _LazyModels(Mapping):
    """The models of a cached book, unpickled on first use.

    A build whose pages, exports and figures all come from their caches never looks at a
    model (0.25 s of unpickling at 30,000 models); one that does pays it then. Should the
    stored models not unpickle, they are validated afresh from ``data/`` (``fallback``).
    """

    def __init__(self, blob: bytes, count: int, fallback: Callable[[], Mapping[str, Model]]) -> None:
        self._blob, self._count, self._fallback = blob, count, fallback
        self._models: Mapping[str, Model] | None = None

    def _get(self) -> Mapping[str, Model]:
        if self._models is None:
            enabled = gc.isenabled()
            gc.disable()  # one object per value: the cyclic collector would run for nothing
            try:
                models = pickle.loads(self._blob)
            except Exception:  # damaged: validate again
                models = dict(self._fallback())
            finally:
                if enabled:
                    gc.enable()
            self._models, self._blob = MappingProxyType(models), b""
        return self._models

    def __getitem__(self, key: str) -> Model:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: object) -> bool:
        return key in self._get()

    def keys(self):  # type: ignore[override]
        return self._get().keys()

    def values(self):  # type: ignore[override]
        return self._get().values()

    def items(self):  # type: ignore[override]
        return self._get().items()


def _to_plain(book: Book) -> dict:
    """The book with its read-only mappings as dicts (a ``mappingproxy`` does not pickle); the
    models pickled on their own, to be unpickled only when used."""
    return {
        "models": pickle.dumps(dict(book.models), protocol=pickle.HIGHEST_PROTOCOL),
        "count": len(book.models),
        "hardware": {k: replace(h, peak_flop_per_s=dict(h.peak_flop_per_s)) for k, h in book.hardware.items()},
        "sources": dict(book.sources),
        "constants": dict(book.constants),
        "files": book.files,
        "digest": book.digest,
    }


def _from_plain(doc: dict, root: Path) -> Book:
    def fallback() -> Mapping[str, Model]:
        from .schema import validate

        return validate(root).models

    hardware = {k: replace(h, peak_flop_per_s=MappingProxyType(h.peak_flop_per_s)) for k, h in doc["hardware"].items()}
    return Book(
        models=_LazyModels(doc["models"], doc["count"], fallback),
        hardware=MappingProxyType(hardware),
        sources=MappingProxyType(doc["sources"]),
        constants=MappingProxyType(doc["constants"]),
        files=doc["files"],
        digest=doc["digest"],
    )


def _read_cache(path: Path, digest: str, root: Path) -> Book | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = digest.encode() + b"\n"
    if not blob.startswith(head):
        return None
    try:
        return _from_plain(pickle.loads(blob[len(head) :]), root)
    except Exception:  # a cache from another version of the code: rebuild it
        return None


def _write_cache(path: Path, book: Book, stamp: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = stamp.encode() + b"\n" + pickle.dumps(_to_plain(book), protocol=pickle.HIGHEST_PROTOCOL)
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
    # Validity depends on the build date too (no release after it): a cached book is reused only on the
    # date it was validated for. The date is not part of ``book.digest``, which keys the later caches.
    stamp = f"{digest} {build_date().isoformat()}"
    # Several parts of one build ask for the book (the macros, the number lint's hook): the process
    # keeps the last one it read, so the files are read and the models unpickled once per build. The
    # cache file's size and time are part of the key: a cache file replaced meanwhile is read again.
    place = (str(root.resolve()), str(cache.resolve()))
    state = _file_state(cache)
    if state is not None and (last := _LAST.get(place)) is not None and last[0] == (stamp, state):
        return last[1]
    book = _read_cache(cache, stamp, root)
    if book is None:
        from .schema import validate

        book = replace(validate(root), digest=digest)
        _write_cache(cache, book, stamp)
    _LAST.clear()
    _LAST[place] = ((stamp, _file_state(cache)), book)
    return book


_LAST: dict[tuple[str, str], tuple[tuple[str, tuple[int, int] | None], Book]] = {}  # the last book loaded


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None  # no cache file (a read-only checkout): never reused from memory
    return st.st_size, st.st_mtime_ns


__all__ = [
    "DEFAULT_UNIT",
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
