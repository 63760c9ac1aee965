"""Unit definitions: the one place a power of ten stands for a unit (everything else names them)."""

from __future__ import annotations

KILO, MEGA, GIGA, TERA, PETA = 1e3, 1e6, 1e9, 1e12, 1e15
KB, MB, GB, TB = KILO, MEGA, GIGA, TERA  # bytes in decimal kilo-, mega-, giga- and terabytes
GIB = 2**30  # bytes in a binary gibibyte
MILLION, BILLION = MEGA, GIGA
MS_PER_S = KILO  # milliseconds in a second
PERCENT = 1e-2  # a fraction written in percent
