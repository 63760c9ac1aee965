#!/usr/bin/env python3
"""Reader-text lint: what a template can garble in the text a reader sees on the built site.

Reads every page of a built site as a reader gets it: the visible text (no scripts, styles,
hidden elements or code), block by block, and the attributes a person or a screen reader
is handed (``title``, ``alt``, ``aria-label``, ``aria-description``, ``placeholder``). Each rule is
a pure function of a string, unit-tested on small strings. A failure names the page, the rule and
the text around it.

    .venv/bin/python scripts/reader_lint.py site        # exit 1 and one line per problem
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

READ_ATTRIBUTES = ("title", "alt", "aria-label", "aria-description", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_PROSE = {"script", "style", "template", "noscript", "code", "pre", "svg"}
BLOCKS = {
    "p", "li", "td", "th", "dd", "dt", "figcaption", "caption", "div", "tr", "table", "ul", "ol", "dl",
    "section", "article", "header", "footer", "nav", "blockquote", "details", "summary", "br", "label",
    "h1", "h2", "h3", "h4", "h5", "h6", "main", "aside", "form", "figure",
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    page: str
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule}: {self.text!r}"


# --- rules on one block of visible text ---------------------------------------------------------


def _around(text: str, m: re.Match, width: int = 40) -> str:
    return text[max(0, m.start() - width) : m.end() + width].strip()


def table_pipes(text: str) -> Iterator[re.Match]:
    """A Markdown table row that was not turned into a table: ``| a | b |`` as text."""
    if text.count("|") >= 3:
        yield from re.finditer(r"\|[^|]+\|[^|]+\|", text)


def doubled_words(text: str) -> Iterator[re.Match]:
    """The same word, or phrase of up to four words, twice in a row ("is is", "bigger is bigger is")."""
    yield from re.finditer(r"\b([A-Za-z]+(?:\s+[A-Za-z]+){0,3})\s+\1\b", text, re.IGNORECASE)


def _vowel_sound(number: str) -> bool:
    """Whether a numeral is read with a vowel sound first: 8, 11, 18, 80–89, 800–899, 8,000, 11,000…"""
    lead = number.split(".")[0].split(",")[0]
    return lead.startswith("8") or lead in ("11", "18")


def a_before_vowel_number(text: str) -> Iterator[re.Match]:
    """ "a 80 %", "a 11-fold", "a 8 B": "an" is what is read."""
    for m in re.finditer(r"\b[Aa]\s+(\d[\d,]*(?:\.\d+)?)", text):
        if _vowel_sound(m.group(1)):
            yield m


def doubled_full_stop(text: str) -> Iterator[re.Match]:
    """Two full stops (an abbreviation's before the sentence's), not an ellipsis."""
    yield from re.finditer(r"(?<!\.)\.\s?\.(?!\.)", text)


def negative_amount(text: str) -> Iterator[re.Match]:
    """A negative number where a count, a multiple or a fraction of something is meant ("-0.53 of a
    generation", "-3× faster", "-4 GPUs")."""
    units = r"of|×|times|fewer|more|less|behind|ahead|models|GPUs|tokens|parameters|days|hours|years"
    flag = r"(?:(?:est|claim|rumor)\.?\s*)?"  # a status flag may sit between the number and its unit
    yield from re.finditer(rf"(?<![\w.,)])[-−]\d[\d,.]*\s*{flag}(?:{units})(?![\w])", text)


def template_leftovers(text: str) -> Iterator[re.Match]:
    """Template syntax or a Python/JavaScript non-value that reached the page."""
    after_none = r"of|is|are|was|were|has|have|had|can|could|would|will|do|does|did|but|at|in|the"
    yield from re.finditer(rf"\{{\{{|\{{%|\bNone\b(?!\s+(?:{after_none})\b)|\bnan\b|\bNaN\b|\bundefined\b", text)


TEXT_RULES = {
    "table row left as text": table_pipes,
    "doubled word or phrase": doubled_words,
    "'a' before a number read with a vowel sound": a_before_vowel_number,
    "doubled full stop": doubled_full_stop,
    "negative count or fraction": negative_amount,
    "template syntax or non-value": template_leftovers,
}


def entity_codes(value: str) -> Iterator[re.Match]:
    """An entity code left in an attribute after the browser decoded it (escaped twice)."""
    yield from re.finditer(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", value)


def check_text(text: str) -> list[tuple[str, str]]:
    """``(rule, excerpt)`` for every problem in one block of visible text."""
    return [(rule, _around(text, m)) for rule, find in TEXT_RULES.items() for m in find(text)]


def check_attribute(name: str, value: str) -> list[tuple[str, str]]:
    out = [(f"entity code in {name}", _around(value, m)) for m in entity_codes(value)]
    out += [(f"template syntax or non-value in {name}", _around(value, m)) for m in template_leftovers(value)]
    return out


# --- reading a page -----------------------------------------------------------------------------


class _Reader(HTMLParser):
    """Blocks of visible text, and the attributes people are read, of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []  # (tag, attribute, decoded value)
        self._stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self._hidden = 0
        self._text: list[str] = []

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if text:
            self.blocks.append(text)
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for name in READ_ATTRIBUTES:
            if a.get(name):
                self.attributes.append((tag, name, a[name]))
        if tag in BLOCKS and not self._hidden:
            self._flush()
        if tag in VOID:
            return
        hides = tag in NOT_PROSE or "hidden" in a or "headerlink" in a.get("class", "").split()
        self._stack.append((tag, hides))
        self._hidden += hides

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS and not self._hidden:
            self._flush()
        if tag in VOID or all(t != tag for t, _ in self._stack):
            return
        while self._stack:
            t, hides = self._stack.pop()
            self._hidden -= hides
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def check_page(html: str, page: str) -> list[Finding]:
    reader = read(html)
    found = [Finding(page, rule, text) for block in reader.blocks for rule, text in check_text(block)]
    for tag, name, value in reader.attributes:
        found += [Finding(page, f"<{tag}> {rule}", text) for rule, text in check_attribute(name, value)]
    return found


def check_site(site: Path) -> list[Finding]:
    found: list[Finding] = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")) or rel == "404.html":
            continue
        found += check_page(path.read_text(encoding="utf-8"), rel)
    return found


def main(argv: list[str]) -> int:
    site = Path(argv[1] if len(argv) > 1 else "site")
    if not site.is_dir():
        print(f"{site}: no built site (run `make build` first)", file=sys.stderr)
        return 2
    found = check_site(site)
    for f in found:
        print(f)
    print(f"{len(found)} problem(s) in the text readers see" if found else "the text readers see reads cleanly")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
