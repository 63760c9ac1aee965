"""Text from data/ is data: escape it for HTML and neutralise Markdown before it reaches a page."""

from __future__ import annotations

import re

# Characters that start Markdown, math or template syntax; written as numeric entities they
# display the same but no extension reads them as markup. Parentheses are harmless alone.
# `|` matters most: inside a table it would split a cell, and with it an HTML tag, in two.
SPECIALS = "\\`*_{}[]#+!|~$"
HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in SPECIALS} | {ord(ch): entity for ch, entity in HTML.items()}


def text(value: object) -> str:
    """``value`` as inert text inside Markdown or HTML: no tag, link, emphasis, math or template survives.

    One pass over the characters (``str.translate``), so the ``#`` of an entity written for ``'``
    is never escaped again.
    """
    return str(value).translate(_TABLE)


def plain_for_tooltip(value: object) -> bool:
    """Whether ``value`` can be a ``title`` as it is. Material's tooltips (``content.tooltips``) put the
    decoded attribute into the page as HTML, so a title that holds a tag or an entity would become
    markup; such text is shown elsewhere (the Sources list), never in a title. Escaping it twice
    instead would hand screen readers, native tooltips and copy-paste the entity codes."""
    return not _MARKUP.search(str(value))


_MARKUP = re.compile(r"[<>]|&#?\w+;?")
