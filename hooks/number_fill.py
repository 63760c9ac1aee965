"""MkDocs hook: a page's computed numbers go into its HTML after Markdown made it.

While a page's macros render, each number is written into the Markdown as a token and its HTML
(button, flag, provenance: :func:`macros.ledger.to_html`) is kept aside; here the tokens become
that HTML (:func:`macros.ledger.fill`). Markdown therefore never reads a number, so a data edit
that changes numbers but no words gives the same Markdown as before: the page's HTML conversion
is reused (``hooks/speedups.py``, patch 2) and only the numbers are put in again. Then the status
flags are thinned to a density a reader can bear (:func:`macros.marks.thin`).

A number Markdown lost or copied (inside a code span, a heading, a link title) stops the build
with one line naming the page.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _titles(items) -> list[str]:
    return [t for item in items for t in (item.title, *_titles(item.children))]


def _source_line(page, index: int | None) -> str:
    """':N', the line of the page's source that wrote number ``index`` (best effort; '' if not found).

    The token's line in the rendered Markdown (``page.markdown``) is matched to the source by the
    words before the token on that line, macros left out.
    """
    from macros import ledger

    markdown = page.markdown or ""
    at = markdown.find(ledger.token(index)) if index is not None else markdown.find(ledger.OPEN)
    if at < 0:
        return ""
    before = markdown[markdown.rfind("\n", 0, at) + 1 : at]
    words = ledger.TOKEN.split(before)[-1].strip() if ledger.OPEN in before else before.strip()
    try:
        lines = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig").split("\n")
    except (OSError, TypeError, ValueError):
        return ""
    for n, line in enumerate(lines, 1):
        if words and words in line or not words and "{{" in line:
            return f":{n}"
    return ""


@event_priority(70)  # first: every later reader of the page's HTML (math, citations, search, PDF) sees the numbers
def on_page_content(html_text: str, page, config, files) -> str:
    from macros import ledger, marks

    snippets = ledger.LEDGER.snippets.get(page.file.src_uri, [])
    where = f"docs/{page.file.src_uri}"
    for title in [page.title or "", *_titles(page.toc)]:
        if m := ledger.TOKEN.search(title):
            shown = ledger.TOKEN.sub("…", title)
            raise PluginError(
                f"{where}{_source_line(page, int(m.group(1)))}: a computed number in a heading "
                f"({shown!r}): write it in the text below"
            )
    try:
        html_text = ledger.fill(html_text, snippets)
    except ledger.FillError as exc:
        raise PluginError(f"{where}{_source_line(page, exc.index)}: {exc}") from None
    return marks.thin(html_text)
