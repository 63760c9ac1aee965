"""MkDocs hook: the number lint in every build, so a typed number stops ``make build`` and ``make serve``.

``macros/typed_numbers.py`` (no numerals typed into a page: numbers come from ``data/`` through
the macros) used to run only in ``make test``. Here it runs, once MkDocs has listed the files and
before any page is rendered, on every Markdown page of ``docs/`` and every partial of
``includes/``; the first problem stops the build with one line, ``docs/page.md:LINE: typed number
'42': …``. A page's result is kept in the page cache (``lint`` entries) under a digest of its
text, the names the lint allows and the lint's code, so an unchanged page is not linted again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros.store import PAGES, DigestStore, digest  # noqa: E402 (the book's root on the path first)

STATE: dict = {}


def on_files(files, config):
    from macros import typed_numbers as lint_numbers
    from macros.data import load

    book = load(ROOT / "data", cache_dir=ROOT / ".cache" / "data")
    code = Path(lint_numbers.__file__).read_text(encoding="utf-8")
    # The names a page may write with digits come from the data (every model's, at 30,000 models
    # 0.4 s to list): kept for the book's digest, so a build of unchanged data does not list them,
    # and a data edit that leaves the names as they were leaves every page's lint result valid.
    names_store = DigestStore(ROOT / PAGES, "lintnames")
    names = names_store.get(book.digest) if book.digest else None
    if not isinstance(names, list):
        names = lint_numbers.known_names(book)
        if book.digest:
            names_store.put(book.digest, names)
    context = digest(code, *names)
    STATE.update(lint=lint_numbers, names=names, context=context, names_store=names_store)
    STATE.update(store=DigestStore(ROOT / PAGES, "lint"))
    for path in sorted((ROOT / "includes").rglob("*.md")):
        _check(path.relative_to(ROOT).as_posix(), path)
    for f in files.documentation_pages():
        if f.abs_src_path:
            _check(f"docs/{f.src_uri}", Path(f.abs_src_path))
    return files


def _check(where: str, path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")  # hooks/page_checks.py reports bad bytes
    store: DigestStore = STATE["store"]
    key = digest(STATE["context"], text)
    if store.get(key) is not None:
        return
    problems = STATE["lint"].lint_text(text, STATE["names"])
    if problems:
        line, message = problems[0]
        more = f" (and {len(problems) - 1} more: run scripts/lint_numbers.py)" if len(problems) > 1 else ""
        raise PluginError(f"{where}:{line}: {message}: numbers come from data/ through the macros{more}")
    store.put(key, [])


def on_post_build(config):
    for name in ("store", "names_store"):
        if name in STATE:
            STATE[name].prune()
