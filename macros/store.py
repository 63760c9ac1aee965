"""A folder of JSON entries keyed by digests of their inputs: the build's caches in ``.cache/``.

Rendered pages (:mod:`macros`), converted pages and search entries (``hooks/page_cache.py``)
and citation text (``hooks/citation_hooks.py``) each keep what a slow step computed under a
digest of everything the result depends on, so an entry is either exactly right or never
found. Every entry a build reads or writes is marked used; :meth:`DigestStore.prune` then drops
the others, so a folder holds one build's worth. Anything unreadable is a miss; a folder that
cannot be written (a read-only checkout) just builds without the cache.

Standard library only: the hooks import it, also in the benchmark's baseline site.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any


def digest(*parts: str) -> str:
    """A short hex digest of text parts (separated, so that ("ab", "c") differs from ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


class DigestStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> Any | None:
        """The entry stored under ``key``, or None."""
        try:
            value = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``, atomically."""
        self.used.add(key)
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self._path(key))

    def prune(self) -> None:
        """Drop the entries this build did not use (every page is built on every build)."""
        with contextlib.suppress(OSError):
            for entry in self.folder.glob("*.json"):
                if entry.stem not in self.used:
                    entry.unlink(missing_ok=True)
