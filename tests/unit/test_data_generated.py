"""Generated hostile data against the loader (the fast layer of the hostile corpus).

Each example puts one generated value into one place of a copy of ``data/``: a string with markup,
quotes, control, bidirectional or zero-width characters into a free-text field; a key into an id,
a table key or a reference; any number (negative, zero, huge, infinite, NaN, fractional) into a
numeric field or a constant. The loader must then either stop with one line that names the file and
the field, or load a book from which every derived figure, chart plan and export is computed without
an exception. A few of these cases also run as real builds (``tests/build/test_hostile_generated.py``).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figures import charts
from macros import derive, exports
from macros.data import DataError
from macros.errors import MacroError
from macros.records import Book
from macros.schema import validate
from macros.schema_types import KINDS
from tests.conftest import ROOT
from tests.unit.hostile_strategies import (
    TEXT_FIELDS,
    Edit,
    has_refused,
    hostile_key,
    hostile_text,
    numbers,
    toml_number,
    toml_string,
    valid_id,
)

DATA = ROOT / "data"
FILES = tuple(TEXT_FIELDS)
SETTINGS = settings(
    max_examples=40,
    derandomize=True,  # the same cases on every run (CI), found by the same generator
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("generated") / "data"
    shutil.copytree(DATA, dest)
    return dest


def load_with(data_dir: Path, edit: Edit, index: int) -> Book | str:
    """The book with ``edit`` applied at place ``index`` (the other files as they are), or the error line."""
    for name in FILES:
        shutil.copyfile(DATA / name, data_dir / name)
    path = data_dir / edit.file
    text, applied = edit.apply(path.read_text(encoding="utf-8"), index)
    assert applied, f"no place for a {edit.kind} in {edit.file}"
    path.write_text(text, encoding="utf-8")
    try:
        return validate(data_dir)
    except DataError as exc:
        message = str(exc).replace(data_dir.parent.as_posix() + "/", "")
        assert "\n" not in message, message
        assert re.match(r"data/(models|hardware|sources|constants)\.toml: ", message), message
        return message


def downstream(book: Book, allowed: str = "") -> None:
    """Every figure the book derives, every chart plan and the exports: no exception but a one-line one
    (with ``allowed``, only one whose message holds it)."""
    try:
        list(derive.every_model(book))
        charts.plan(book)
        exports.models_json(book)
        exports.models_csv(book)
    except (DataError, MacroError) as exc:
        assert "\n" not in str(exc) and str(exc).startswith("data/"), str(exc)
        assert allowed in str(exc), str(exc)


def strings_of(book: Book) -> set[str]:
    found: set[str] = set()

    def walk(x: object) -> None:
        if isinstance(x, str):
            found.add(x)
        elif dataclasses.is_dataclass(x):
            for f in dataclasses.fields(x):
                walk(getattr(x, f.name))
        elif hasattr(x, "values"):
            for v in x.values():
                walk(v)

    for table in (book.models, book.hardware, book.sources, book.constants):
        walk(table)
    return found


@SETTINGS
@given(file=st.sampled_from(FILES), index=st.integers(0, 400), text=hostile_text)
def test_a_generated_string_is_refused_in_one_line_or_kept_as_it_is(data_dir, file, index, text):
    out = load_with(data_dir, Edit(file, "text", toml_string(text)), index)
    if has_refused(text):
        assert isinstance(out, str), f"{text!r} was accepted"
        first = next(ch for ch in text if has_refused(ch))
        assert f"U+{ord(first):04X}" in out and "field '" in out and "one line of visible text" in out, out
    else:
        assert not isinstance(out, str), out
        assert text in strings_of(out)


@SETTINGS
@given(file=st.sampled_from(FILES), index=st.integers(0, 400), key=hostile_key)
def test_a_generated_key_is_refused_in_one_line_unless_it_is_an_id(data_dir, file, index, key):
    out = load_with(data_dir, Edit(file, "key", toml_string(key)), index)
    if not valid_id(key):
        assert isinstance(out, str), f"the key {key!r} was accepted"
        assert repr(key) in out and "lowercase letters" in out and "field '" in out, out
    elif not isinstance(out, str):
        downstream(out)


@SETTINGS
@given(file=st.sampled_from(FILES), index=st.integers(0, 400), value=numbers)
def test_a_generated_number_is_refused_in_one_line_or_computes(data_dir, file, index, value):
    out = load_with(data_dir, Edit(file, "number", toml_number(value)), index)
    if isinstance(out, str):
        assert "field '" in out or "is missing" in out or "invalid TOML" in out, out
    else:
        downstream(out)


@SETTINGS
@given(index=st.integers(0, 400), value=numbers)
def test_a_generated_constant_is_refused_in_one_line_or_computes(data_dir, index, value):
    out = load_with(data_dir, Edit("constants.toml", "number", toml_number(value)), index)
    if isinstance(out, str):
        # The constant itself, or (a tolerance accepted but tighter than the data) an architecture.
        assert "field 'value'" in out or "field 'arch'" in out or "invalid TOML" in out, out
    else:
        downstream(out)


@pytest.mark.parametrize("end", ["low", "high"])
def test_every_constant_at_either_end_of_its_kind_computes(end: str):
    """Each constant set to the least, then the greatest value its kind accepts: the charts, the
    derived figures and the exports still compute (a value the schema accepts never crashes them)."""
    book = validate(DATA)
    kinds = {k: c for k, c in _kinds().items() if k in book.constants}
    for key, kind in kinds.items():
        value = getattr(KINDS[kind], end)
        constants = dict(book.constants) | {key: dataclasses.replace(book.constants[key], value=float(value))}
        try:
            # Alone at one end of its range, only an era's first year can clash (with its neighbours).
            downstream(dataclasses.replace(book, constants=constants), allowed="must come after")
        except AssertionError:
            raise
        except Exception as exc:  # noqa: BLE001 - any other exception is the failure being looked for
            pytest.fail(f"{key} = {value} ({kind}, accepted by the schema): {type(exc).__name__}: {exc}")


def _kinds() -> dict[str, str]:
    """The kind each constant of data/constants.toml declares (read from the file, not the loader)."""
    text = (DATA / "constants.toml").read_text(encoding="utf-8")
    return dict(re.findall(r'(?m)^\[([a-z0-9_]+)\]\nvalue = [^\n]*\nkind = "([a-z-]+)"', text))
