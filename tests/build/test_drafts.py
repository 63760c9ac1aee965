"""Drafts: a data edit shows at once, as a draft of each changed chapter's next version.

A copy of the book with its citation lock gets one data edit (Llama 3 8B trained on 16 T tokens
instead of 15 T) and is built as an author builds it (no release). The chapters that show the
number are drafts: a note under the title lists each number old → new, the cite block has no
permanent link; the chapters that don't show it are untouched. The note and the cite block must
not feed the fingerprint the lock compares, or the comparison would change itself: locking the
draft build's own observation and building again must observe exactly the same thing.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

from macros import citelock
from tests.build.test_malformed import copy_book
from tests.conftest import run_mkdocs_build

EXPR = "model('llama-3-8b').tokens"
HOST = "https://books.llm-scale.org/"


def copy_with_lock(tmp_path: Path) -> Path:
    """A copy of the whole book with its citation lock and its rendered figures (not its tests)."""
    return copy_book(tmp_path / "book")


def _edit_tokens(book: Path, old: str, new: str) -> None:
    path = book / "data/models.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('id = "llama-3-8b"')
    at = text.index(f"tokens = {{ value = {old},", start)
    path.write_text(text[:at] + text[at:].replace(f"value = {old},", f"value = {new},", 1), encoding="utf-8")


def _page(site: Path, url: str) -> str:
    return html.unescape((site / url / "index.html").read_text(encoding="utf-8"))


def _deploy(book: Path, release: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/citations.py", "deploy", release],
        cwd=book,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_data_edit_builds_as_drafts_whose_note_does_not_feed_the_lock(tmp_path: Path):
    book = copy_with_lock(tmp_path)
    locked = citelock.read_lock(book / citelock.LOCK_FILE)
    assert locked is not None and locked["differences"]["numbers"][EXPR] == "15 T"
    _edit_tokens(book, "15", "16")

    result = run_mkdocs_build(tmp_path / "draft", cwd=book)
    assert result.returncode == 0, result.stderr[-3000:]
    page = _page(tmp_path / "draft", "chapters/differences")
    note = page[page.index('class="admonition warning book-draft"') :]
    note = note[: note.index("</div>")]
    version = locked["differences"]["version"]
    assert f"Draft of version {citelock.next_version(version)}" in note
    assert f"differs from version {version}" in note
    assert f"<code>{EXPR}</code>: 15 T → 16 T" in note
    assert page.index("</h1>") < page.index("book-draft")  # under the title
    cite_block = page[page.index('class="book-cite"') :]
    assert f"Draft of version {citelock.next_version(version)}</strong>" in cite_block
    assert "no permanent link" in cite_block and 'class="book-cite__url"' not in cite_block
    # A chapter that does not show the number is no draft.
    kaplan = _page(tmp_path / "draft", "chapters/kaplan")
    assert "book-draft" not in kaplan and "Draft of" not in kaplan

    # The draft build's observation, locked as it is (as if bumped), is what the next build observes.
    observed = json.loads((tmp_path / "draft/data/citations.json").read_text())["chapters"]
    assert observed["differences"]["numbers"][EXPR] == "16 T"
    (book / citelock.LOCK_FILE).write_text(citelock.lock_document(observed), encoding="utf-8")
    result = run_mkdocs_build(tmp_path / "locked", cwd=book)
    assert result.returncode == 0, result.stderr[-3000:]
    again = json.loads((tmp_path / "locked/data/citations.json").read_text())["chapters"]
    assert again == observed
    assert "book-draft" not in _page(tmp_path / "locked", "chapters/differences")


def test_a_chapter_that_loses_its_version_stops_the_build_and_the_deploy(tmp_path: Path):
    # Once a lock exists, a page without a version would leave it (its numbers free to change):
    # the build itself stops, naming the page and the version the lock records.
    book = copy_with_lock(tmp_path)
    _set_address(book, HOST)
    glossary = book / "docs/appendix/glossary.md"
    text, n = re.subn(r'(?m)^version: "[^"]*"\n', "", glossary.read_text(encoding="utf-8"), count=1)
    assert n == 1
    glossary.write_text(text, encoding="utf-8")
    locked = citelock.read_lock(book / citelock.LOCK_FILE)
    assert locked is not None
    result = _deploy(book, "9.9")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert (
        lines[0].startswith("ERROR")
        and "docs/appendix/glossary.md:1: front matter field 'version' is missing" in lines[0]
    )
    assert f"records this chapter at version {locked['glossary']['version']}" in lines[0]
    assert lines[1].startswith("the build failed")
    assert not (book / "releases/9.9.lock.json").exists()


def _set_address(book: Path, url: str) -> None:
    config = book / "mkdocs.yml"
    text = re.sub(r"(?m)^(site_url|  book_base_url): \S+", rf"\1: {url}", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")


def test_deploy_refuses_a_placeholder_address_in_one_line(tmp_path: Path):
    book = copy_with_lock(tmp_path)
    _set_address(book, "https://llm-book.example.org/")
    result = _deploy(book, "9.9")
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert "extra.book_base_url" in line and "'https://llm-book.example.org/'" in line and "placeholder" in line


def test_deploy_refuses_an_unbumped_change_in_one_message(tmp_path: Path):
    book = copy_with_lock(tmp_path)
    _set_address(book, HOST)
    _edit_tokens(book, "15", "16")
    result = _deploy(book, "9.9")
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()  # one self-contained line, no bare heading
    assert line.startswith("refusing to release 9.9: chapters that changed but keep their locked version")
    assert "differences (docs/chapters/differences.md, version" in line and "kaplan" not in line
