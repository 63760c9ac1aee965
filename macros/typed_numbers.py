"""The number lint: numerals typed into a page, which must come from data/ through the macros.

Scans ``docs/**/*.md`` after blanking what may hold digits legitimately: front matter,
code, link targets, HTML tags, string literals inside macro calls (model ids such as
'llama-3-8b'), and the names of models, families and hardware as data/ spells them.
A digit left over is reported as ``file:line: token``. Inside a macro call a digit outside
a string literal is an error too, so ``{{ x * 2 }}`` cannot smuggle a typed number in.

The allow-lists below are the only exceptions; each says why. ``hooks/number_lint.py`` runs it in
every build; ``scripts/lint_numbers.py`` runs it alone (and in ``make test``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Terms with digits that are names, not quantities.
ALLOWED_TERMS = {
    "FP32": "name of a number format",
    "FP16": "name of a number format",
    "BF16": "name of a number format",
    "TF32": "name of a number format",
    "FP8": "name of a number format",
    "FP4": "name of a number format",
    "INT4": "name of a number format",
    "INT8": "name of a number format",
}
# Digits allowed inside TeX math: coefficients that define a formula, not data about a model.
MATH_ALLOWED = {
    "6": "C = 6ND: FLOP per parameter per token in training, the definition of the approximation",
    "2": "2N per generated token (forward pass); also exponents of unit definitions (2^30 bytes in a GiB)",
    "10": "powers of ten in unit definitions (10^9 bytes in a GB)",
    "9": "10^9 bytes in a GB (unit definition)",
    "30": "2^30 bytes in a GiB (unit definition)",
    "24": "hours per day (unit conversion)",
    "3600": "seconds per hour (unit conversion)",
}

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]+`")
JINJA_STMT = re.compile(r"\{%.*?%\}|\{##.*?##\}", re.S)
JINJA_EXPR = re.compile(r"\{\{.*?\}\}", re.S)
STRING = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
HTML_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>")
LINK_TARGET = re.compile(r"\]\([^)\n]*\)|\{ *#[^}\n]*\}|\{[^}\n]*loading=[^}\n]*\}")
SNIPPET = re.compile(r"^[ \t]*;?-+8<-+.*$", re.M)  # pymdownx.snippets' include line (--8<-- "file"), not a quantity
LIST_MARKER = re.compile(r"^[ \t]*\d+\.(?=[ \t])", re.M)  # Markdown ordered-list syntax, not a quantity
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
DIGIT_TOKEN = re.compile(r"[\w.,·×/-]*\d[\w.,·×/-]*")


def _blank(text: str, span: tuple[int, int]) -> str:
    a, b = span
    return text[:a] + re.sub(r"[^\n]", " ", text[a:b]) + text[b:]


NOT_NEWLINE = re.compile(r"[^\n]")


def _spaces(m: re.Match) -> str:
    return NOT_NEWLINE.sub(" ", m.group(0))


@functools.lru_cache(maxsize=4)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """One alternation of the names that hold digits, longest first (as ``names`` is ordered)."""
    with_digits = [re.escape(n) for n in names if any(ch.isdigit() for ch in n)]
    return re.compile("|".join(with_digits)) if with_digits else None


def _blank_all(text: str, pattern: re.Pattern) -> str:
    """Every match of ``pattern`` blanked (lines kept), in one pass: the lint runs in every build."""
    return pattern.sub(_spaces, text)


def known_names(book: object = None) -> list[str]:
    """Names with digits that are names (models, families, accelerators, number formats), longest first."""
    if book is None:
        from .data import load

        book = load(ROOT / "data")
    names = {m.name for m in book.models.values()} | {m.family for m in book.models.values()}
    names |= {h.name for h in book.hardware.values()} | set(ALLOWED_TERMS)
    return sorted(
        names, key=lambda n: (-len(n), n)
    )  # longest first; ties by name, so the order is the same in every process


def lint_text(text: str, names: list[str]) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    work = text
    m = FRONT_MATTER.match(work)
    if m:
        work = _blank(work, m.span())
    for pattern in (FENCE, HTML_COMMENT, JINJA_STMT):
        work = _blank_all(work, pattern)
    for expr in JINJA_EXPR.finditer(work):
        inner = STRING.sub("''", expr.group(0))
        for tok in re.finditer(r"(?<![A-Za-z_0-9.])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", inner):
            problems.append((line_of(expr.start()), f"literal number {tok.group(0)!r} inside a macro call"))
    work = _blank_all(work, JINJA_EXPR)
    for math in MATH.finditer(work):
        for tok in re.findall(r"\d+(?:\.\d+)?", math.group(0)):
            if tok not in MATH_ALLOWED:
                problems.append((line_of(math.start()), f"number {tok!r} in math (not a formula coefficient)"))
    for pattern in (MATH, INLINE_CODE, LINK_TARGET, HTML_TAG, SNIPPET, LIST_MARKER):
        work = _blank_all(work, pattern)
    if (pattern := _names_pattern(tuple(names))) is not None:
        work = _blank_all(work, pattern)
    for tok in DIGIT_TOKEN.finditer(work):
        problems.append((line_of(tok.start()), f"typed number {tok.group(0)!r}"))
    return sorted(problems)
