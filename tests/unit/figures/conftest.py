"""Fixtures for the chart modules' unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.data import Book, load

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def book() -> Book:
    return load(ROOT / "data")
