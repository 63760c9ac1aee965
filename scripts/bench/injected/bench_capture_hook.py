"""Benchmark only (a hook added to a throwaway book): save each page's Markdown after the macros rendered it.

The book's Markdown holds a token where each number goes (``macros.ledger``); the typed-in site
has the number itself there, as an author would type it: its HTML, which Markdown then reads.
"""

import json
import os
from pathlib import Path

from mkdocs.plugins import event_priority

OUT = Path(os.environ["BENCH_CAPTURE"])


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    from macros import ledger

    snippets = ledger.LEDGER.snippets.get(page.file.src_uri, [])
    markdown = ledger.TOKEN.sub(lambda m: snippets[int(m.group(1))], markdown)
    dest = OUT / page.file.src_uri
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(markdown, encoding="utf-8")
    meta = OUT / (page.file.src_uri + ".meta.json")
    meta.write_text(json.dumps(page.meta, default=str), encoding="utf-8")
