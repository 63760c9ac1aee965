"""Reading the data files and wording their mistakes: one line naming file, entry and field.

TOML is parsed here (fast with rtoml, with the standard library's message on a syntax error) and
pydantic's first error is put in an author's words. :mod:`macros.schema` holds what may be written.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import rtoml
from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import DataError
from .placeholders import unfilled


# --- error messages ------------------------------------------------------------------------
def describe(error: Mapping[str, Any]) -> tuple[str, str]:
    """(field path, message) for the first pydantic error, in words an author reads."""
    loc = ".".join(str(p) for p in error["loc"] if not str(p).startswith(("function-", "literal[", "[key]")))
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return loc, "is required but missing"
    if kind == "extra_forbidden":
        return loc, "is not a known field (a typo?)"
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing", "int_from_float"):
        if isinstance(given, str):
            return loc, f"expected a number, got the string {given!r} (write numbers without quotes)"
        if isinstance(given, bool):
            return loc, f"expected a number, got the boolean {str(given).lower()}"
        if kind == "int_from_float" or (kind == "int_type" and isinstance(given, float)):
            return loc, f"expected a whole number, got {given!r}"
        return loc, f"expected a number, got {type(given).__name__} {given!r}"
    if kind == "finite_number":
        what = "not a number (nan)" if given != given else "infinite or too large for a float (such as 1e400)"
        return loc, f"is not a finite number: the value is {what}; write a finite number"
    if kind in ("greater_than", "greater_than_equal", "less_than_equal"):
        return loc, f"{error['msg'].lower()}, got {given!r}"
    if kind == "literal_error":
        return loc, f"{error['msg']}, got {given!r}"
    if kind == "string_pattern_mismatch":
        return loc, f"must be an http(s) URL, got {given!r}"  # the only pattern: ids are checked by ID_RULE
    if kind in ("bool_type", "bool_parsing"):
        return loc, f"expected true or false, got {given!r}"
    if kind in ("model_type", "dict_type"):
        return loc, f"expected an inline table {{ value = ..., status = ..., source = ... }}, got {given!r}"
    if kind.startswith(("date_", "datetime_")):
        return loc, f"expected a date like 2024-04-18, got {given!r}"
    if kind in ("string_type", "string_too_short"):
        return loc, f"expected non-empty text, got {given!r}"
    if kind == "value_error":
        return loc or "(entry)", error["msg"].removeprefix("Value error, ")
    return loc, error["msg"]


def where(file: Path, kind: str, entry: str, loc: str) -> str:
    return f"{file.as_posix()}: {kind} {entry!r}, field {loc!r}:" if loc else f"{file.as_posix()}: {kind} {entry!r}:"


@functools.cache
def _adapter(key_type: Any) -> TypeAdapter:
    return TypeAdapter(key_type)  # built once: building one costs more than a thousand checks


def validate_key(key_type: Any, key: str, file: Path, kind: str) -> None:
    """A table's key (``[sources.KEY]``, a constant's ``[KEY]``) against the id rule of ``key_type``."""
    try:
        _adapter(key_type).validate_python(key)
    except ValidationError as exc:
        _, msg = describe(exc.errors()[0])
        raise DataError(f"{where(file, kind, key, 'key')} {msg}") from None


def validate_entry(schema: type[BaseModel], raw: Any, file: Path, kind: str, entry: str) -> Any:
    if not isinstance(raw, dict):
        raise DataError(f"{file.as_posix()}: {kind} {entry!r}: expected a table, got {type(raw).__name__}")
    todo = unfilled(raw)
    if todo:
        raise DataError(f"{where(file, kind, entry, todo[0])} {todo[1]}")
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc, msg = describe(error)
        field = schema.model_fields.get(loc)
        options = get_args(field.annotation) if field and error["type"] == "missing" else ()
        if options and get_origin(field.annotation) is Literal:
            msg += f" (one of {', '.join(map(repr, options))})"
        raise DataError(f"{where(file, kind, entry, loc)} {msg}") from None


def entry_before(text: str, line: int) -> str:
    """The entry a line belongs to ("model 'llama-3-8b'"), for a syntax error that has only a line."""
    for row in reversed(text.splitlines()[:line]):
        # `id = "..."` (models, hardware), `[sources.KEY]` or a constant's `[key]`; not `[models.arch]`.
        m = re.match(r'\s*id\s*=\s*"([^"]*)"', row) or re.match(r"\s*\[\s*(?:sources\.)?([\w-]+)\s*\]\s*$", row)
        if m:
            return m.group(1)
    return ""


def read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise DataError(f"{path.as_posix()}: file is missing") from None
    except IsADirectoryError:
        raise DataError(f"{path.as_posix()}: is a directory; it must be a TOML file") from None
    except OSError as exc:
        raise DataError(
            f"{path.as_posix()}: cannot be read ({exc.strerror}); it must be a readable TOML file"
        ) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        entry = entry_before(raw.decode("utf-8", errors="replace"), line)
        near = f" (in entry {entry!r})" if entry else ""
        raise DataError(
            f"{path.as_posix()}: not valid UTF-8 at line {line}{near} (byte {exc.start}); save the file as UTF-8"
        ) from None
    text = text.removeprefix("\ufeff")
    try:
        # rtoml (Rust) parses ~4x faster than the standard library: seconds at tens of thousands
        # of models. Its error messages differ, so a file it rejects is parsed again by tomllib,
        # whose message (line and column) is the one authors see.
        return rtoml.loads(text)
    except rtoml.TomlParsingError:
        pass
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        entry = entry_before(text, int(m.group(1))) if m else ""
        near = f" (in entry {entry!r})" if entry else ""
        raise DataError(f"{path.as_posix()}: invalid TOML: {exc}{near}") from None
