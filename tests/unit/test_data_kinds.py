"""Constant kinds, release dates against the build date, and the loader's one-line refusals of odd files.

The kinds' ranges below are the ones data/README.md documents, worked out from it, not read back
from :data:`macros.schema_types.KINDS`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from macros import derive
from macros.data import DataError, load
from macros.errors import MacroError
from macros.schema_types import CODE_KINDS, KINDS
from tests.conftest import ROOT
from tests.unit.vocabfix import words

DATA = ROOT / "data"


@pytest.mark.parametrize(
    ("kind", "accepted", "refused"),
    [
        ("count", [1, 8, 1e16], [0, -1, 2.5, 1e17]),
        ("halvings", [1, 4, 10], [0, -1, 11, 5000, 1.5]),
        ("fraction", [1e-6, 0.5, 1], [0, -0.1, 1.01]),
        ("probability", [0, 0.8, 1], [-0.01, 1.2]),
        ("tolerance", [0, 0.02, 0.1], [-0.5, 0.11, 10]),
        ("exponent", [0.001, 0.34, 2], [0, -0.3, 2.5]),
        ("ratio", [1e-6, 20, 1e6], [0, -20, 2e6]),
        ("step", [1.01, 10, 1e6], [1, 0.5, 0, -10, 2e6]),
        ("usd", [1e-6, 2, 1e13], [0, -2, 2e13]),
        ("nats", [1e-6, 1.69, 1e4], [0, -1, 2e4]),
        ("year", [1950, 2024, 2100], [1949, 2101, 2024.5]),
        ("quantity", [1e-6, 34, 1e30], [0, -34, 1e31]),
    ],
)
def test_each_kind_accepts_its_documented_range(kind: str, accepted: list[float], refused: list[float]):
    for value in accepted:
        assert KINDS[kind].check(kind, value) == value
    for value in refused:
        with pytest.raises(ValueError, match=rf"is not a valid {kind} \(.*\): use .* from "):
            KINDS[kind].check(kind, value)


def constant_keys_named_in_code() -> set[str]:
    keys = set(load(DATA).constants)
    named = set(derive.fit_keys("hoffmann") + derive.fit_keys("besiroglu")) | {e.start_key for e in derive.ERAS}
    for path in [*(ROOT / "macros").rglob("*.py"), *(ROOT / "figures").rglob("*.py")]:
        named |= set(re.findall(r"[\"']([a-z0-9_]+)[\"']", path.read_text(encoding="utf-8"))) & keys
    return named


def test_every_constant_the_code_computes_with_has_a_pinned_kind():
    named = constant_keys_named_in_code()
    assert {"chinchilla_tokens_per_param", "decode_shrink_steps", "arch_tolerance", "chinchilla_alpha"} <= named
    assert named <= set(CODE_KINDS), sorted(named - set(CODE_KINDS))
    book_kinds = dict(
        re.findall(r'(?m)^\[([a-z0-9_]+)\]\nvalue = [^\n]*\nkind = "([a-z-]+)"', (DATA / "constants.toml").read_text())
    )
    assert {k: book_kinds[k] for k in CODE_KINDS} == CODE_KINDS


def copy_data(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def test_a_release_after_the_build_date_is_refused_and_the_cache_follows_the_date(tmp_path, monkeypatch):
    data = copy_data(tmp_path)
    today = dt.datetime.now(dt.UTC).date()
    models = data / "models.toml"
    models.write_text(models.read_text().replace("released = 2024-04-18", f"released = {today}", 1))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert load(data, cache_dir=tmp_path / "cache").models["llama-3-8b"].released == today
    yesterday = today - dt.timedelta(days=1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime.combine(yesterday, dt.time(12), dt.UTC).timestamp())))
    expected = (
        rf"model 'llama-3-8b', field 'released': must be a date from 2010-01-01 to {yesterday} \(the build date\)"
    )
    with pytest.raises(DataError, match=expected):
        load(data, cache_dir=tmp_path / "cache")  # the book cached on the later day is not reused


def test_a_directory_where_a_data_file_should_be_is_one_line(tmp_path):
    data = copy_data(tmp_path)
    (data / "models.toml").unlink()
    (data / "models.toml").mkdir()
    with pytest.raises(DataError, match=r"models\.toml: is a directory; it must be a TOML file$"):
        load(data)


@pytest.mark.parametrize("call", ["model", "hw", "const"])
def test_an_id_that_is_not_a_string_is_one_line(call: str):
    with pytest.raises(MacroError, match=r"takes .* in quotes"):
        getattr(words(), call)(["llama-3-8b"])


# Fields of a raw record that are not text (a date, a year, a count): safe to print as they are.
NOT_TEXT = ("released.isoformat()", "year", "open_weights")


def test_pages_print_raw_records_only_through_an_escaping_filter():
    """A chapter that loops over ``book.*`` records prints their strings only through ``| e`` or ``| md``
    (:mod:`macros.safe`); the words (``model(id).name``) escape on their own."""
    unescaped = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        names = {
            n for m in re.finditer(r"{%-?\s*for\s+(\w+)(?:\s*,\s*(\w+))?\s+in\s+book\.", text) for n in m.groups() if n
        }
        for m in re.finditer(r"{{-?\s*(\w+)((?:\.[\w()]+)*)\s*(\|\s*\w+)?[^}]*}}", text):
            var, attr, flt = m.group(1), m.group(2).lstrip("."), (m.group(3) or "").strip("| ")
            if var in names and flt not in ("e", "md") and attr not in NOT_TEXT:
                unescaped.append(f"{page.relative_to(ROOT)}: {m.group(0)}")
    assert not unescaped, unescaped
