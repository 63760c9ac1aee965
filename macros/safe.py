"""Text from data/ is data: escape it for HTML and neutralise Markdown before it reaches a page."""

from __future__ import annotations

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


def attr(value: object) -> str:
    """``value`` for a ``title`` attribute. Material's tooltips (``content.tooltips``) put the decoded
    attribute into the page as HTML, so the text is escaped twice: once for the attribute, once for that."""
    return text(value).replace("&", "&amp;")
