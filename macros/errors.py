"""The two kinds of author mistake the book reports in one line: bad data and bad macro use."""

from __future__ import annotations


class DataError(Exception):
    """A mistake in ``data/``: the message is the whole, one-line explanation."""


class MacroError(Exception):
    """A mistake in a chapter's use of the macros (unknown id, impossible quantity)."""
