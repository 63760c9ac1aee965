"""The author's loop in a real browser: ``mkdocs serve`` shows a data edit at once, as a draft,
and shows a broken edit's error over every open page until it is fixed.

A real ``mkdocs serve --strict`` runs on 127.0.0.1 (a free port) in a copy of the book with its
citation lock; Debian's Chromium (Playwright) keeps pages open while the test edits
``data/models.toml``. MkDocs' live reload reloads the pages after each rebuild; the banner comes
from ``hooks/serve_errors.py``. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros import citelock
from tests.build.test_drafts import copy_with_lock
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "test-artifacts" / "screenshots"
WAIT_MS = 60_000  # generous: the machine is shared


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, book: Path, base: str, log: Path) -> None:
        self.book, self.base, self.log = book, base, log

    def edit(self, old: str, new: str) -> None:
        path = self.book / "data/models.toml"
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    book = copy_with_lock(tmp_path_factory.mktemp("author-loop"))
    port = _free_port()
    log = book.parent / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=book,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        end = time.monotonic() + 180
        while "Serving on http://127.0.0.1" not in log.read_text(errors="replace"):
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < end, "mkdocs serve did not start"
            time.sleep(0.2)
        yield Served(book, f"http://127.0.0.1:{port}/", log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_chromium.py (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _open(browser, url: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(WAIT_MS)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    return page, errors


TOKENS_15 = 'tokens = { value = 15, unit = "T", status = "disclosed", source = "llama3-model-card"'
PARAMS_OK = 'params = { value = 8.03, unit = "B"'
PARAMS_BAD = 'params = { value = "8.03", unit = "B"'


def test_a_data_edit_shows_at_once_as_a_draft_without_any_bump(served: Served, browser):
    page, errors = _open(browser, served.base + "chapters/differences/")
    assert page.locator(".book-draft").count() == 0
    assert page.locator(".num > button.num__value", has_text=re.compile(r"^15 T$")).count() > 0
    locked = citelock.read_lock(served.book / citelock.LOCK_FILE)["differences"]["version"]
    draft = citelock.next_version(locked)
    served.edit(TOKENS_15, TOKENS_15.replace("value = 15,", "value = 16,"))
    note = page.wait_for_selector(".book-draft")  # live reload brings the rebuilt page
    text = note.inner_text()
    assert f"Draft of version {draft}" in text and f"differs from version {locked}" in text
    assert "model('llama-3-8b').tokens: 15 T → 16 T" in text
    assert page.locator(".num > button.num__value", has_text=re.compile(r"^16 T$")).count() > 0
    cite = page.locator("#cite-this-chapter").inner_text()
    assert f"Draft of version {draft}" in cite and "no permanent link" in cite
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "serve-draft-differences.png"))
    assert not errors, errors
    # Back to the locked data: the draft goes away.
    served.edit(TOKENS_15.replace("value = 15,", "value = 16,"), TOKENS_15)
    page.wait_for_selector(".book-draft", state="detached")
    page.context.close()


def test_a_broken_edit_shows_a_banner_on_every_open_page_until_fixed(served: Served, browser):
    pages = [_open(browser, served.base + path) for path in ("chapters/differences/", "appendix/methods/")]
    for page, _ in pages:
        assert page.locator(".book-serve-error").count() == 0
    served.edit(PARAMS_OK, PARAMS_BAD)
    for page, _ in pages:
        banner = page.wait_for_selector(".book-serve-error")
        text = banner.inner_text()
        assert "data/models.toml" in text and "llama-3-8b" in text and "params.value" in text, text
        assert "Traceback" not in text
        assert page.locator("article").count() == 1  # the last good page is still shown beneath
    pages[0][0].screenshot(path=str(SHOTS / "serve-error-banner.png"))
    served.edit(PARAMS_BAD, PARAMS_OK)
    for page, errors in pages:
        page.wait_for_selector(".book-serve-error", state="detached")
        assert not errors, errors
        page.context.close()
    log = served.log.read_text(errors="replace")
    assert "[macros]" not in log  # mkdocs-macros' configuration dump is silenced
