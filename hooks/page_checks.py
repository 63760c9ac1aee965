"""MkDocs hook: an author's mistake in a page's source stops the build with one line naming the page.

A page that is not UTF-8, or whose front matter is not YAML (or not ``key: value`` lines), would
make MkDocs print a traceback or skip the page silently; here it is ``docs/page.md:LINE: message``.
MkDocs' own extra "Error reading page 'x':" line before such an error is dropped, so the author
sees exactly one line. A snippet (``--8<--``, pymdownx.snippets) that is missing, or whose path
leaves the folders snippets may read, is found before the extension runs (which would raise a
traceback naming neither page nor line) and reported as ``docs/page.md:LINE: snippet 'x' ...``.
(Mistakes in a page's macros are reported the same way by :func:`macros.bridge.render_page`;
mistakes in its TeX by ``hooks/mathml.py``.)
"""

from __future__ import annotations

import logging
import os
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
    if reserved := re.search("[\ue000\ue001]", text):
        # macros.ledger writes numbers into a page's Markdown as tokens made of these two characters.
        line = text.count("\n", 0, reserved.start()) + 1
        raise PluginError(
            f"{where}:{line}: the character U+{ord(reserved.group()):04X} is reserved for the book's numbers; remove it"
        )
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


# --- snippets (pymdownx.snippets) -----------------------------------------------------------------
# A snippet that is missing, a folder, not UTF-8, or whose path leaves the allowed folders would
# stop pymdownx.snippets with a traceback that names neither page nor line; each is found here
# first, in the Markdown the extension is about to read, and named as `docs/page.md:LINE: ...`.
# The syntax is the extension's own (inline `--8<-- "file"`, blocks between `--8<--` lines,
# `;`-escapes, `file:1:3` line ranges, `file:section`); included files are checked in turn.

_SNIPPET = re.compile(
    r"""^[ \t]*(?P<escape>;*)(?:-+8<-+[ \t]+(?P<quoted>"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?')(?![ \t])"""
    r"""|(?P<block>-+8<-+)(?![ \t]))\r?$"""
)
_TARGET = re.compile(r"(?i)(.*?)(?:(?::-?[0-9]*){1,2}(?:,-?[0-9]*(?::-?[0-9]*)?)*|:([a-z][-_0-9a-z]*))?$")


class SnippetProblem(Exception):
    """A snippet the extension would fail on; ``line`` is its line in the text being scanned."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _snippet_settings(config) -> dict | None:
    if "pymdownx.snippets" not in config.markdown_extensions:
        return None
    settings = {"base_path": ["."], "restrict_base_path": True, "check_paths": False, "url_download": False}
    settings.update(config.mdx_configs.get("pymdownx.snippets", {}))
    bases = settings["base_path"]
    settings["base_path"] = [os.path.abspath(b) for b in ([bases] if isinstance(bases, str) else bases)]
    return settings if settings["check_paths"] else None  # without check_paths a missing snippet is dropped


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def _resolve(path: str, settings: dict) -> str:
    """The file ``path`` names, as the extension looks for it; a SnippetProblem (line 0) when it can't."""
    refused = False
    for base in settings["base_path"]:
        if os.path.isdir(base):
            name = os.path.abspath(os.path.join(base, path))
            if settings["restrict_base_path"] and not name.startswith(base.rstrip(os.sep) + os.sep):
                refused = True
                continue
            if os.path.exists(name):
                return name
        elif os.path.exists(name := os.path.join(os.path.dirname(base), path)) and os.path.samefile(name, base):
            return name
    folders = ", ".join(_shown(b) + ("/" if os.path.isdir(b) else "") for b in settings["base_path"])
    if refused:
        raise SnippetProblem(0, f"snippet {path!r} refused: it leads outside the folders snippets may read ({folders})")
    raise SnippetProblem(0, f"snippet {path!r} not found (looked in {folders})")


def _snippet_lines(text: str) -> list[tuple[int, str]]:
    """``(line, path)`` of every snippet the extension would include from ``text`` (1-based lines)."""
    out, block = [], False
    for n, line in enumerate(text.split("\n"), start=1):
        m = _SNIPPET.match(line)
        if m and m.group("escape"):
            continue
        if m and m.group("block"):
            block = not block
            continue
        if m and not block:
            path = m.group("quoted")[1:-1].strip()
        elif block and not m:
            path = line.strip()
        else:
            continue
        if path and not path.startswith(";"):
            out.append((n, path))
    return out


def check_snippets(text: str, settings: dict, name: str = "", seen: frozenset[str] = frozenset()) -> None:
    """Raise SnippetProblem for the first snippet in ``text`` (or in a file it includes) the extension can't use.

    ``name`` is the included file ``text`` comes from ("" for the page): a problem inside it starts
    with ``includes/x.md:LINE:`` and is reported at the page's line that includes it.
    """
    for line, spec in _snippet_lines(text):
        target = _TARGET.match(spec)
        path, section = (target.group(1).strip(), target.group(2)) if target else (spec, None)
        if settings["url_download"] and path.lower().startswith(("https://", "http://")):
            continue
        try:
            if not path:
                raise SnippetProblem(0, f"snippet {spec!r} names no file")
            found = _resolve(path, settings)
            if os.path.isdir(found):
                raise SnippetProblem(0, f"snippet {path!r} is a folder ({_shown(found)}), not a file")
            if found in seen:
                continue  # the extension skips a file that includes itself
            try:
                body = Path(found).read_text(encoding=settings.get("encoding", "utf-8"))
            except UnicodeDecodeError:
                raise SnippetProblem(0, f"snippet {path!r} ({_shown(found)}) is not valid UTF-8") from None
            marker = rf"(?im)-+8<-+[ \t]+\[[ \t]*start[ \t]*:[ \t]*{re.escape(section or '')}[ \t]*\]"
            if section and not re.search(marker, body):
                raise SnippetProblem(0, f"snippet {spec!r}: {_shown(found)} has no section {section!r}")
            check_snippets(body, settings, _shown(found), seen | {found})
        except SnippetProblem as exc:
            if exc.line:  # from a file this one includes: already says where
                raise SnippetProblem(line, str(exc)) from None
            raise SnippetProblem(line, f"{name}:{line}: {exc}" if name else str(exc)) from None


def _source_line(page, markdown: str, line: int) -> int:
    """The source line of ``markdown``'s line ``line`` (the page's macros ran already; the text may have moved)."""
    wanted = markdown.split("\n")[line - 1].rstrip()
    path = page.file.abs_src_path
    source = Path(path).read_text(encoding="utf-8-sig").split("\n") if path else []
    matches = [n for n, text in enumerate(source, start=1) if text.rstrip() == wanted]
    if matches:
        earlier = markdown.split("\n")[: line - 1].count(markdown.split("\n")[line - 1])
        return matches[min(earlier, len(matches) - 1)]
    head = _FRONT_MATTER.match("\n".join(source))
    return line + (head.group(0).count("\n") if head else 0)


def on_pre_build(config) -> None:
    """The files ``auto_append`` adds to every page exist (mkdocs.yml names them)."""
    settings = _snippet_settings(config)
    for name in (settings or {}).get("auto_append", []):
        try:
            check_snippets(f'--8<-- "{name}"', settings)
        except SnippetProblem as exc:
            raise PluginError(f"mkdocs.yml: pymdownx.snippets auto_append: {exc}") from None


def on_page_markdown(markdown: str, page, config, files) -> str:
    settings = _snippet_settings(config)
    if settings and "8<" in markdown:
        try:
            check_snippets(markdown, settings)
        except SnippetProblem as exc:
            raise PluginError(f"docs/{page.file.src_uri}:{_source_line(page, markdown, exc.line)}: {exc}") from None
    return markdown
