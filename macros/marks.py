"""Status marks at a density a reader can bear: once per status in a paragraph, a legend for a table.

Every uncertain number is styled by its status (``docs/assets/book.css``); the word flag that
:func:`macros.ledger.to_html` adds after it says the same thing in words. In running text the
flag is kept for the first number of each status in a paragraph (list item, definition, caption)
and dropped for the others, which the style still marks. Inside a table every flag is dropped and
one line after the table names the statuses its numbers carry, each written in its own style.
"""

from __future__ import annotations

import re

_FLAG = r'<sup class="num-flag num-flag--(?P<flag>\w+)">[^<>]*</sup>'  # a sample (class num-flag--sample, in the Data appendix) is left alone
_BLOCK = r"<(?P<block>p|li|dd|dt|h[1-6]|figcaption|table|/table)\b[^>]*>"
_TOKENS = re.compile(f"{_FLAG}|{_BLOCK}")

# In the order the legend names them, with the underline that marks each (docs/assets/book.css);
# a status without a flag (disclosed, undisclosed) needs none.
WORDS = {
    "estimated": ("estimated", "dashed"),
    "claimed": ("claimed by a secondary source", "double"),
    "rumored": ("rumored", "wavy"),
}


def legend(statuses: set[str]) -> str:
    """One line naming ``statuses``, each written in the style numbers of that status are drawn in."""
    named = [
        f'<span class="num-sample num--{s}">{word}</span> ({line} underline)'
        for s, (word, line) in WORDS.items()
        if s in statuses
    ]
    if not named:
        return ""
    return (
        '<p class="num-legend" data-search-exclude>Italic numbers were not disclosed by their developer: '
        f"{', '.join(named)}. Hover, focus or tap a number for its sources.</p>"
    )


def thin(html: str) -> str:
    """``html`` (a page's content) with the repeated status flags removed and table legends added."""
    if "num-flag" not in html:
        return html
    out: list[str] = []
    pos = 0
    seen: set[str] = set()
    table: set[str] | None = None  # the statuses of the table being read, or None outside tables
    for m in _TOKENS.finditer(html):
        out.append(html[pos : m.start()])
        pos = m.end()
        status, block = m.group("flag"), m.group("block")
        if status:
            if table is not None:
                table.add(status)
            elif status not in seen:
                seen.add(status)
                out.append(m.group(0))
            continue
        out.append(m.group(0))
        if block == "table":
            table = set()
        elif block == "/table":
            out.append(legend(table or set()))
            table = None
        else:
            seen = set()
    out.append(html[pos:])
    return "".join(out)
