"""MkDocs hook: under ``mkdocs serve``, a failed rebuild shows its error in the browser; the log stays quiet.

Front-end dev servers show a build error over the page the author is looking at; MkDocs only
prints it in the terminal, and the book's server keeps serving the last good site
(``hooks/serve.py``), so the browser alone would show stale pages with no sign of the error.

- Each build (serve only): the one-line error of a failed build is kept (``on_build_error``;
  strict-mode warnings by the first warning; an exception MkDocs does not report itself as the
  same one line ``hooks/serve.py`` logs), and a successful one is marked in ``on_post_build``.
- ``on_serve`` wraps the server's builder: after every rebuild it writes ``serve-status.json``
  (``{"ok": true}`` or ``{"ok": false, "error": "..."}``) into the served folder.
- ``on_files`` / ``on_post_page`` (serve only) add ``assets/serve-errors.js`` to every page: it
  reads the status on load and every second, and shows the error in a banner until a good build
  clears it (MkDocs' live reload then reloads the page). ``mkdocs build`` output never has it.
- mkdocs-macros logs its whole configuration at INFO on every build: its logger is set to WARNING.

What one build tells the builder that ``on_serve`` wrapped goes through the environment, which does
not depend on whether MkDocs reloads hook modules between builds (1.6 loads them once per process).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SERVING = "BOOK_SERVE_ERRORS"  # "1" in the serving process
STATUS = "BOOK_SERVE_BUILD"  # this build: "pending", "built" or "error:<message>"
SCRIPT = "assets/serve-errors.js"
STATUS_FILE = "serve-status.json"

_warnings: list[str] = []


class _FirstWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if len(_warnings) < 3:
            _warnings.append(record.getMessage())


_handler = _FirstWarnings()


def _quiet_macros() -> None:
    logging.getLogger("mkdocs.plugins.mkdocs_macros").setLevel(logging.WARNING)


def on_startup(command: str, dirty: bool) -> None:
    _quiet_macros()
    if command == "serve":
        os.environ[SERVING] = "1"


@event_priority(100)
def on_config(config):
    _quiet_macros()
    if os.environ.get(SERVING):
        _warnings.clear()
        logging.getLogger("mkdocs").addHandler(_handler)
    return config


def on_files(files, config):
    if os.environ.get(SERVING):
        script = Path(__file__).with_name("serve-errors.js")
        files.append(File.generated(config, SCRIPT, abs_src_path=str(script)))
    return files


def on_post_page(output: str, page, config) -> str:
    if not os.environ.get(SERVING):
        return output
    tag = f'<script src="{get_relative_url(SCRIPT, page.url)}"></script>'
    at = output.rfind("</body>")
    return output[:at] + tag + output[at:] if at >= 0 else output + tag


@event_priority(-100)  # after every other post-build step has had its chance to fail
def on_post_build(config) -> None:
    logging.getLogger("mkdocs").removeHandler(_handler)
    if os.environ.get(STATUS) == "pending":
        os.environ[STATUS] = "built"


def on_build_error(error: Exception) -> None:
    logging.getLogger("mkdocs").removeHandler(_handler)
    if not os.environ.get(SERVING):
        return
    if isinstance(error, MkDocsException):  # its message is the one line MkDocs logged
        message = str(error).strip()
    else:  # an exception MkDocs does not report: the line hooks/serve.py logs for it
        import build_figures

        message = build_figures.one_line(error)
    if message.startswith("Aborted with") and _warnings:  # strict mode: the warnings are the errors
        message = _warnings[0]
    os.environ[STATUS] = "error:" + (message or type(error).__name__)


def status(state: str | None) -> dict:
    """What the page script reads, from this build's state (None or "pending": it never finished)."""
    if state == "built":
        return {"ok": True}
    error = state[len("error:") :] if state and state.startswith("error:") else ""
    return {"ok": False, "error": error or "the rebuild failed; the terminal running `make serve` says why"}


def on_serve(server, config, builder):
    """Wrap the builder (the last-good-site one of hooks/serve.py, if any) to publish each build's status."""
    inner = server.builder
    root = Path(server.root)

    def write(doc: dict) -> None:
        (root / STATUS_FILE).write_text(json.dumps(doc), encoding="utf-8")

    def build_and_report() -> None:
        os.environ[STATUS] = "pending"
        try:
            inner()
        finally:
            write(status(os.environ.pop(STATUS, None)))

    write({"ok": True})  # the first build succeeded, or serve would not have started
    server.builder = build_and_report
    return server
