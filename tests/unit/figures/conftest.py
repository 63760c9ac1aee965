"""Fixtures for the chart modules' unit tests."""

from __future__ import annotations

import pytest

from macros.data import Book, load
from tests.conftest import ROOT


@pytest.fixture(scope="session")
def book() -> Book:
    return load(ROOT / "data")
