"""Placeholders ``make add-model`` writes where only the author knows a value, and their detection.

The data loader refuses an entry that still holds one, naming the field and what to write there.
"""

from __future__ import annotations

from typing import Any

PLACEHOLDER = "TODO:"


def unfilled(raw: Any, loc: str = "") -> tuple[str, str] | None:
    """(field path, one-line message) for the first ``"TODO: ..."`` string in a raw entry, else None."""
    if isinstance(raw, str) and raw.startswith(PLACEHOLDER):
        return loc, f"placeholder not filled in; write {raw.removeprefix(PLACEHOLDER).strip()}"
    items = raw.items() if isinstance(raw, dict) else enumerate(raw) if isinstance(raw, list) else ()
    for key, value in items:
        found = unfilled(value, f"{loc}.{key}" if loc else str(key))
        if found:
            return found
    return None
