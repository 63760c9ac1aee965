#!/usr/bin/env python3
"""Recompute every number of one chapter from the data and code in this bundle, and check it.

This file ships inside each chapter's ``reproduce-<slug>-<version>.zip`` (see ``macros/reproduce.py``).
Unzip the bundle, install the pinned requirements (``pip install -r requirements.txt``) and run
``python reproduce.py``: each number of the chapter is printed as the page renders it, with the
expression that computes it, and compared with ``numbers.json`` (what the page showed). The exit
status is 1 if any number differs, 0 otherwise.

Change a value in ``data/*.toml`` and run it again to see which numbers follow (they are then
reported as differing from the published page, which is the point).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE))  # this bundle's own macros/ package
    from macros.data import DataError, load
    from macros.errors import MacroError
    from macros.reproduce import evaluate
    from macros.vocab import Vocabulary, bind

    try:
        book = load(HERE / "data")
    except DataError as exc:
        print(f"reproduce: {exc}", file=sys.stderr)
        return 2
    words = bind(Vocabulary(book))
    doc = json.loads((HERE / "numbers.json").read_text(encoding="utf-8"))
    chapter = doc["chapter"]
    print(f"{chapter['title']} (chapter version {chapter['version']}): {len(doc['numbers'])} numbers\n")
    differ = 0
    for row in doc["numbers"]:
        try:
            q = evaluate(words, row["expression"])
            text, status = q.text, q.status
        except (MacroError, DataError) as exc:
            text, status = f"error: {exc}", "-"
        same = text == row["text"] and status == row["status"]
        differ += not same
        mark = "  " if same else "≠ "
        print(f"{mark}{text} [{status}]  = {row['expression']}")
        if not same:
            print(f"    the page showed {row['text']} [{row['status']}]")
    total = len(doc["numbers"])
    print(f"\n{total - differ} of {total} numbers as the page shows them" + (f"; {differ} differ" if differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
