"""MkDocs hook: an author's mistake in a page's source stops the build with one line naming the page.

A page that is not UTF-8, or whose front matter is not YAML (or not ``key: value`` lines), would
make MkDocs print a traceback or skip the page silently; here it is ``docs/page.md:LINE: message``.
MkDocs' own extra "Error reading page 'x':" line before such an error is dropped, so the author
sees exactly one line. (Mistakes in a page's macros are reported the same way by
:func:`macros.bridge.render_page`; mistakes in its TeX by ``hooks/mathml.py``.)
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


class _OneLineErrors(logging.Filter):
    """Drop MkDocs' bare "Error reading page 'x':" line: the error that follows names page and line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not re.fullmatch(r"Error reading page '[^']*':", record.getMessage())


def on_config(config):
    build_log = logging.getLogger("mkdocs.commands.build")
    if not any(type(f).__name__ == "_OneLineErrors" for f in build_log.filters):  # serve reloads this module
        build_log.addFilter(_OneLineErrors())
    return config


def on_page_read_source(page, config):
    """Check a page's bytes and front matter; return None so MkDocs reads the page itself."""
    import yaml

    path = page.file.abs_src_path
    if not path:
        return None
    where = f"docs/{page.file.src_uri}"
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PluginError(f"{where}:{line}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    if m := _FRONT_MATTER.match(text):
        try:
            meta = yaml.load(m.group(1), yaml.SafeLoader)
        except yaml.YAMLError as exc:
            # "while scanning a quoted scalar" (context) points where the mistake starts.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            line = f":{mark.line + 2}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            if getattr(exc, "context", None):
                problem = f"{exc.context}: {problem}"
            raise PluginError(f"{where}{line}: front matter is not valid YAML: {problem}") from None
        if meta is not None and not isinstance(meta, dict):
            raise PluginError(f"{where}:2: front matter must be `key: value` lines, got {type(meta).__name__}")
        if isinstance(meta, dict) and meta.get("render_macros") is True:
            # mkdocs.yml sets render_by_default: false because the book renders pages itself
            # (macros.bridge.render_page); `true` would make the plugin render the page twice.
            raise PluginError(f"{where}:2: `render_macros: true` is the default here; remove it")
    return None
