"""macros/store.py: the digest-keyed cache folder. A key names its inputs, a damaged entry is a miss,
and pruning keeps exactly what the last build used."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from macros.store import DigestStore, digest
from tests.conftest import ROOT


def test_digest_is_blake2b_128_of_the_parts_each_ended_by_nul():
    expected = hashlib.blake2b(b"ab\0c\0", digest_size=16).hexdigest()
    assert digest("ab", "c") == expected
    assert len(expected) == 32


def test_parts_are_separated_so_that_moving_a_boundary_changes_the_key():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("abc") != digest("ab", "c")
    assert digest("") != digest()


def test_a_digest_is_the_same_in_another_process():
    code = "from macros.store import digest; print(digest('page', 'text'))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == digest("page", "text")


def test_put_then_get_round_trips(tmp_path: Path):
    store = DigestStore(tmp_path / "cache", "md")
    value = {"html": "<p>8.03 B</p>", "rows": [1, 2.5, None, "ü"]}
    store.put("k1", value)
    assert DigestStore(tmp_path / "cache", "md").get("k1") == value
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["md-k1.pickle"]  # no temporary file left


def test_a_missing_key_is_a_miss(tmp_path: Path):
    store = DigestStore(tmp_path / "cache", "md")
    assert store.get("nothing") is None
    assert store.used == set()


@pytest.mark.parametrize("damage", [b"\x80\x05\x95trunc", b"", b"\xff\xfe not a pickle", b'{"html": 1}'])
def test_a_damaged_entry_is_a_miss_and_not_kept(tmp_path: Path, damage: bytes):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "md-bad.pickle").write_bytes(damage)
    store = DigestStore(folder, "md")
    assert store.get("bad") is None
    store.prune()
    assert not (folder / "md-bad.pickle").exists()


def test_prune_keeps_what_this_build_read_or_wrote(tmp_path: Path):
    folder = tmp_path / "cache"
    first = DigestStore(folder, "md")
    for key in ("a", "b", "c"):
        first.put(key, key)
    first.prune()
    assert sorted(p.stem for p in folder.glob("*.pickle")) == ["md-a", "md-b", "md-c"]

    second = DigestStore(folder, "md")  # the next build reads a, writes d, never asks for b or c
    assert second.get("a") == "a"
    second.put("d", "d")
    second.prune()
    assert sorted(p.stem for p in folder.glob("*.pickle")) == ["md-a", "md-d"]


def test_pruning_one_kind_leaves_the_others(tmp_path: Path):
    folder = tmp_path / "cache"
    DigestStore(folder, "cite").put("x", 1)
    pages = DigestStore(folder, "md")
    pages.put("y", 2)
    pages.prune()  # this build's md entries: y; the cite entry belongs to another step
    assert sorted(p.stem for p in folder.glob("*.pickle")) == ["cite-x", "md-y"]
    assert DigestStore(folder, "cite").get("x") == 1


@pytest.mark.parametrize("kind", ["", "md-x", "../up", "a b"])
def test_a_kind_is_a_short_alphanumeric_name(tmp_path: Path, kind: str):
    with pytest.raises(ValueError):
        DigestStore(tmp_path, kind)


def test_a_folder_that_cannot_be_written_builds_without_the_cache(tmp_path: Path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    store = DigestStore(blocker, "md")
    store.put("k", {"x": 1})  # no exception
    assert store.get("k") is None
    store.prune()
    assert blocker.read_text() == "a file where the folder should be"
