"""Benchmark only (the baseline book's hook): the book's hook minus figures, exports and module reloading.

The baseline keeps the book's hook steps that are not about computed numbers (the checks of a
page's source, TeX to MathML, the collector threshold), taken from the book's own hook.
"""

import gc
import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("book_hooks_for_baseline", Path(__file__).parent / "hooks/book_hooks.py")
_book = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_book)
for _name in ("on_page_read_source", "on_page_content", "on_env"):
    if hasattr(_book, _name):
        globals()[_name] = getattr(_book, _name)


def on_config(config):
    if hasattr(_book, "GC_THRESHOLD"):
        gc.set_threshold(*_book.GC_THRESHOLD)
    return config
