"""mkdocs-macros entry point: the thin bridge from chapters to the book's data and formulas.

``define_env`` loads ``data/`` once per build and gives Jinja the vocabulary of
:mod:`macros.vocab` when a page first needs it (:mod:`macros.bridge`). A chapter's mistake (an unknown id, a
misspelt name) stops the build with one line naming the page and line; no traceback.

The work is imported when mkdocs-macros calls in, not when the package is imported: the hooks
import :mod:`macros.store` alone, also in the benchmark's baseline site, which must not pay for
loading the book's vocabulary.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    from .bridge import define_env as define

    define(env)


def on_pre_page_macros(env: Any) -> None:
    from .bridge import on_pre_page_macros as before_page

    before_page(env)


def on_post_build(env: Any) -> None:
    from .bridge import on_post_build as after_build

    after_build(env)


__all__ = ["define_env", "on_pre_page_macros", "on_post_build"]
