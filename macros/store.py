"""A folder of entries keyed by digests of their inputs: the build's page cache in ``.cache/pages``.

Every step of making a page (or another file of the site) that is slow and pure keeps its result
under a digest of everything the result depends on, so an entry is either exactly right or never
found. The steps share one folder and tell their entries apart by a ``kind`` prefix: rendered
Markdown and its ledger rows (``md``, :mod:`macros.bridge`), compiled page templates (``tpl``,
:mod:`macros.guard`), pages the number lint passed and the names it allows (``lint``,
``lintnames``, ``hooks/number_lint.py``), the
visible text and highlighted code of a citation (``cite``, ``hooks/citation_hooks.py``), ``models.json``/``models.csv``
(``exports``, ``hooks/publish.py``) and, when ``hooks/speedups.py`` is on, converted HTML (``html``),
search entries (``search``) and compiled templates (``jinja``). Every entry a build reads or
writes is marked used; :meth:`DigestStore.prune` then drops the other entries of the same kind,
so the folder holds one build's worth. Anything unreadable is a miss; a folder that cannot be
written (a read-only checkout) just builds without the cache.

Entries are pickles, like the validated-data cache (``.cache/data``): they come back exactly as
they were stored, and a large entry (a page's Markdown at tens of thousands of models, the
exports) reads in a fraction of the time JSON took. Like every file of ``.cache/``, an entry is
the checkout's own output and is trusted as its code is.

Standard library only: the hooks import it, also in the benchmark's baseline site.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

PAGES = Path(".cache") / "pages"  # relative to the book's root


def digest(*parts: str) -> str:
    """A short hex digest of text parts (separated, so that ("ab", "c") differs from ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


SUFFIX = ".pickle"


class DigestStore:
    """The entries of one ``kind`` in ``folder``: ``<kind>-<key>.pickle``."""

    def __init__(self, folder: Path, kind: str) -> None:
        if not kind or not kind.isalnum():
            raise ValueError(f"a store kind is a short alphanumeric name, got {kind!r}")
        self.folder = Path(folder)
        self.kind = kind
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / f"{self.kind}-{key}{SUFFIX}"

    def get(self, key: str) -> Any | None:
        """The entry stored under ``key``, or None."""
        try:
            value = pickle.loads(self._path(key).read_bytes())
        except Exception:  # missing, truncated, damaged, written by another Python: a miss
            return None
        self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (plain data: str, numbers, lists, dicts) under ``key``, atomically."""
        self.used.add(key)
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{self.kind}-{key}.{os.getpid()}.tmp"
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(self._path(key))

    def prune(self) -> None:
        """Drop the entries of this kind that this build did not use (every page is built on every build)."""
        with contextlib.suppress(OSError):
            for entry in self.folder.glob(f"{self.kind}-*{SUFFIX}"):
                if entry.name[len(self.kind) + 1 : -len(SUFFIX)] not in self.used:
                    entry.unlink(missing_ok=True)
            for entry in self.folder.glob(f"{self.kind}-*.json"):  # entries of the JSON format of before
                entry.unlink(missing_ok=True)
