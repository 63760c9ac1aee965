"""Unit definitions: the one place a power of ten stands for a unit (everything else names them)."""

from __future__ import annotations

KILO, MEGA, GIGA, TERA, PETA = 1e3, 1e6, 1e9, 1e12, 1e15
GB = GIGA  # bytes in a (decimal) gigabyte
TB = TERA  # bytes in a terabyte
MILLION = MEGA
