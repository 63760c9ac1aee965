"""MkDocs hook: TeX math becomes MathML at build time (no JavaScript, no CDN).

``pymdownx.arithmatex`` (generic mode) keeps each formula verbatim in a ``<span>`` or ``<div
class="arithmatex">``; this hook converts it with ``latex2mathml``. A computed number inside
math (``$r = {{ const('x') }}$``) keeps its tooltip: it crosses the converter as a placeholder.
Math that does not parse stops the build with one line naming the page, the line and the formula.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority


class TexError(ValueError):
    """TeX that does not parse; ``tex`` is the formula as written."""

    def __init__(self, tex: str, problem: str) -> None:
        super().__init__(problem)
        self.tex, self.problem = tex, problem


def _check_braces(tex: str) -> None:
    depth = 0
    for ch in re.sub(r"\\[{}\\]", "", tex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            raise TexError(tex, "a '}' closes nothing")
    if depth:
        raise TexError(tex, "a '{' is never closed")


# A computed number inside math (``$r = {{ const('x') }}$``) arrives as the HTML of
# macros.ledger.to_html, escaped as arithmatex escapes formulas (hooks/number_fill.py puts it there,
# before this hook): a button, maybe a flag, and its provenance (lines, a link to Methods).
_NUMBER_HTML = re.compile(
    r'<span class="num num--\w+"[^<>]*><button [^<>]*>[^<>]*</button>(?:<sup class="num-flag[^<>]*>[^<>]*</sup>)?'
    r'<span class="num__prov"[^<>]*>(?:[^<>]|<br>|<a [^<>]*>[^<>]*</a>)*</span></span>'
)


def _mathml(match: re.Match) -> str:
    import latex2mathml.converter

    tag, body = match.group(1), html.unescape(match.group(2)).strip()
    display = tag == "div"
    tex = (body[2:-2] if body.startswith(("\\(", "\\[")) else body.strip("$")).strip()
    # Numbers go through the converter as placeholders and come back as HTML inside <mtext>,
    # so they keep their provenance and their text never reaches the TeX parser. (Arithmatex
    # escaped the formula, numbers included: unescaped once, a number is to_html's HTML again.)
    numbers: list[str] = []

    def hold(m: re.Match) -> str:
        numbers.append(m.group(0))
        return f"\\text{{QQNUM{len(numbers) - 1}QQ}}"

    held = _NUMBER_HTML.sub(hold, tex)
    written = _NUMBER_HTML.sub(lambda m: re.sub(r"<[^>]*>", "", m.group(0).split('<span class="num__prov"')[0]), tex)
    if stray := re.search(r"</?[A-Za-z][^>]*>", held):
        raise TexError(written, f"HTML inside math: {stray.group(0)[:60]}")
    _check_braces(held)
    try:
        mathml = latex2mathml.converter.convert(held, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml names the problem in its exception class
        words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower().removesuffix(" error")
        raise TexError(written, str(exc) or words) from None
    # latex2mathml writes a command it does not know as text: "\\frak" would reach the reader.
    if unknown := re.search(r"<m[ion][^>]*>(\\[A-Za-z]+)</m[ion]>", mathml):
        raise TexError(written, f"unknown command {unknown.group(1)}")
    for i, number in enumerate(numbers):
        mathml = mathml.replace(f"QQNUM{i}QQ", number, 1)
    return f'<div class="math">{mathml}</div>' if display else mathml


def _source_line(page, needle: str) -> str:
    """':N' for the first line of the page's source that holds ``needle`` (best effort)."""
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, TypeError, ValueError):
        return ""
    at = text.find(needle)
    return f":{text.count(chr(10), 0, at) + 1}" if at >= 0 else ""


@event_priority(50)  # before plugins that read the page's HTML (mkdocs-print-site-plugin for the PDF)
def on_page_content(html_text: str, page, config, files) -> str:
    if 'class="arithmatex"' not in html_text:
        return html_text
    from macros.ledger import ARITHMATEX

    try:
        return ARITHMATEX.sub(_mathml, html_text)
    except TexError as exc:
        where = f"docs/{page.file.src_uri}{_source_line(page, exc.tex)}"
        raise PluginError(f"{where}: TeX math does not parse ({exc.problem}): {exc.tex}") from None
