"""The value types every data file shares: identifiers, text, finite numbers, dates and constant kinds.

Each rule is written once here and used by every field of its type (:mod:`macros.schema`), so a field
added later gets it too. A broken rule is a ``ValueError`` whose message says what would be valid;
:mod:`macros.toml_input` adds the file, the entry and the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .records import EARLIEST_RELEASE, build_date

# --- identifiers ------------------------------------------------------------------------------------
# Model, accelerator, source and constant keys: they end up in URLs, HTML ids and file names.
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
ID_MAX = 64
ID_RULE = f"lowercase letters, digits, '.', '-' or '_', starting with a letter or digit, at most {ID_MAX} characters"
_ID = re.compile(ID_PATTERN)


def _id(value: str) -> str:
    if not (_ID.match(value) and len(value) <= ID_MAX):
        raise ValueError(f"must be {ID_RULE}, got {value!r}")
    return value


Key = Annotated[str, Field(strict=True), AfterValidator(_id)]

# --- text --------------------------------------------------------------------------------------------
# Every string in data/ is one line of visible text: it lands in table cells, tooltips, alt text and
# one-line error messages. Refused by Unicode category: control characters (Cc: line breaks, tabs,
# escape), format characters (Cf: bidirectional overrides and isolates U+202A-E and U+2066-9,
# zero-width characters U+200B-D, U+2060, U+FEFF, soft hyphen), line and paragraph separators
# (Zl, Zp), surrogates (Cs) and private-use (Co) code points. Unassigned code points are let through:
# which ones are unassigned depends on the Unicode version of the Python that builds the book.
REFUSED_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character (bidirectional or zero-width)",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Cs": "a surrogate",
    "Co": "a private-use character",
}
TEXT_RULE = "one line of visible text (no line breaks, tabs, control, bidirectional or zero-width characters)"


def _plain(value: str) -> str:
    if value.isprintable():  # fast path (in C): no character of a refused category (nor Zs but " ", nor Cn)
        return value
    for i, ch in enumerate(value):
        what = REFUSED_CATEGORIES.get(unicodedata.category(ch))
        if what:
            raise ValueError(f"holds {what} (U+{ord(ch):04X}) at position {i + 1}; write {TEXT_RULE}")
    return value


Text = Annotated[str, Field(strict=True, min_length=1), AfterValidator(_plain)]
# No characters that HTML, Markdown or math would read (they must be %-encoded in a URL anyway).
URL_PATTERN = r"^https?://[^\s<>\"'`|\[\]{}\\^$]+$"
Url = Annotated[str, Field(strict=True, pattern=URL_PATTERN), AfterValidator(_plain)]

# --- numbers -----------------------------------------------------------------------------------------
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
PosInt = Annotated[int, Field(strict=True, gt=0)]
NonNegInt = Annotated[int, Field(strict=True, ge=0)]
# Strict: "false" (a string) or 1 is not a boolean, and "2024-04-18" (a string) is not a TOML date.
Bool = Annotated[bool, Field(strict=True)]


# --- dates ---------------------------------------------------------------------------------------------
def _released(value: dt.date) -> dt.date:
    today = build_date()
    if not EARLIEST_RELEASE <= value <= today:
        raise ValueError(f"must be a date from {EARLIEST_RELEASE.isoformat()} to {today.isoformat()} (the build date)")
    return value


def _release_year(value: int) -> int:
    today = build_date()
    if not EARLIEST_RELEASE.year <= value <= today.year:
        raise ValueError(f"must be a year from {EARLIEST_RELEASE.year} to {today.year} (the build year), got {value}")
    return value


def _source_year(value: int) -> int:
    today = build_date()
    if not 1900 <= value <= today.year:
        raise ValueError(f"must be a year from 1900 to {today.year} (the build year), got {value}")
    return value


ReleaseDate = Annotated[dt.date, Field(strict=True), AfterValidator(_released)]
ReleaseYear = Annotated[int, Field(strict=True), AfterValidator(_release_year)]
SourceYear = Annotated[int, Field(strict=True), AfterValidator(_source_year)]


# --- constant kinds ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    """What a constant measures, and the values that can mean it (in the unit the constant is written in)."""

    meaning: str
    low: float
    high: float
    whole: bool = False

    def rule(self) -> str:
        what = "a whole number" if self.whole else "a number"
        return f"{what} from {self.low:g} to {self.high:g}"

    def check(self, name: str, value: float) -> float:
        if not (self.low <= value <= self.high and (not self.whole or value == int(value))):
            raise ValueError(f"{value:g} is not a valid {name} ({self.meaning}): use {self.rule()}")
        return value


# Every range stays far from 0 and from the largest float, so any product or quotient of two
# constants a chapter or a chart computes is a finite, non-zero number.
KINDS: dict[str, Kind] = {
    "count": Kind("a number of things: GPUs, experts, sequences, parameters", 1, 1e16, whole=True),
    "halvings": Kind("how many times a chart halves a size", 1, 10, whole=True),
    "fraction": Kind("a share of a whole", 1e-6, 1),
    "probability": Kind("a chance", 0, 1),
    "tolerance": Kind("a relative gap the book accepts", 0, 0.1),
    "exponent": Kind("the exponent of a power law", 1e-3, 2),
    "ratio": Kind("a positive ratio or multiple", 1e-6, 1e6),
    # A step a power law is taken over (one order of magnitude): at 1 the law's drop over the step is 0.
    "step": Kind("a step up in size: a multiple above one", 1.01, 1e6),
    "usd": Kind("an amount or price in US dollars", 1e-6, 1e13),
    "nats": Kind("a loss, or a term of a loss fit, in nats", 1e-6, 1e4),
    "year": Kind("a calendar year", 1950, 2100, whole=True),
    "quantity": Kind("a positive quantity in the unit written beside it", 1e-6, 1e30),
}
ConstantKind = Literal[tuple(KINDS)]  # type: ignore[valid-type]

# The constants the book's code computes with (macros/derive.py, figures/, macros/vocab/), and the
# kind the code assumes: declaring another kind would let through a value the code cannot use
# (tests/unit/test_data_kinds.py checks every such key the code names is listed here).
CODE_KINDS: dict[str, str] = {
    "arch_tolerance": "tolerance",
    "chinchilla_tokens_per_param": "ratio",
    **{f"{fit}_{k}": "nats" for fit in ("chinchilla", "epoch") for k in ("e", "a", "b")},
    **{f"{fit}_{k}": "exponent" for fit in ("chinchilla", "epoch") for k in ("alpha", "beta")},
    "kaplan_n_c": "quantity",
    "kaplan_alpha_n": "exponent",
    "era_bigger_start_year": "year",
    "era_balance_start_year": "year",
    "era_overtrain_start_year": "year",
    "overtrain_guide_low": "ratio",
    "overtrain_guide_high": "ratio",
    "llama3_405b_mfu_low": "fraction",
    "llama3_405b_mfu_high": "fraction",
    "h100_price_per_gpu_hour": "usd",
    "h200_price_per_gpu_hour": "usd",
    "decode_utilisation": "fraction",
    "decode_context_tokens": "count",
    "decode_batch_max": "count",
    "decode_gpus_max": "count",
    "decode_shrink_steps": "halvings",
    "gpt4o_price_out": "usd",
    "gpt4_turbo_price_out": "usd",
    "claude35_sonnet_price_out": "usd",
    "gpt4o_speed_low": "quantity",
    "gpt4o_speed_high": "quantity",
    "gpt4_turbo_speed": "quantity",
    "claude35_sonnet_speed": "quantity",
}
