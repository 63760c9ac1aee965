"""Data is text, never code: hostile strings in every string field of data/ reach readers escaped.

A copy of the book gets a payload in every free-text field (model names, families, organisations,
notes, hardware names and vendors, source titles and authors, constant labels, units and notes):
script tags, an attribute break-out with ``onerror``, Jinja expressions and a stray ``{% raw %}``,
Markdown and HTML links to ``javascript:``, a ``data:`` URL, TeX math and Markdown emphasis. The
build must succeed and no page, tooltip, alt text, table, caption, citation link or search-index
entry may carry any of it as markup: everything the payload says is visible as text, nothing runs.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros.data import DataError, load
from tests.build.test_malformed import copy_book
from tests.conftest import ROOT, run_mkdocs_build

MARK = "HOSTILE"
# Attributes whose value a person or a script reads as text, never as markup.
TEXT_ATTRIBUTES = ("title", "alt", "aria-label", "content", "data-md-tooltip", "data-calc-spec")


def payload(field: str) -> str:
    return (
        f"{MARK}-{field} <script>alert('{field}')</script> \"><img src=x onerror=alert(1)> "
        "{{ 'pw' ~ 'ned' }} {% raw %} {# c #} [click](javascript:alert(1)) <a href=\"javascript:alert(1)\">a</a> "
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== $x^2$ \\(y\\) *em* __b__ |pipe| `tick` "
        "<!-- c --> &amp; &lt;b&gt;"
    )


# Free-text fields per file; `unit` is free text only in constants.toml.
FIELDS = {
    "models.toml": ("name", "family", "org", "note"),
    "hardware.toml": ("name", "vendor", "note"),
    "sources.toml": ("title", "authors", "note"),
    "constants.toml": ("label", "note", "unit"),
}
TOML_STRING = r'"(?:[^"\\\n]|\\.)*"'


def poison(text: str, fields: tuple[str, ...]) -> tuple[str, int]:
    """Replace every ``field = "..."`` (at line start, or inside an inline table) with a payload."""
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        count += 1
        return m.group(1) + json.dumps(payload(m.group(2)), ensure_ascii=False)

    keys = "|".join(f for f in fields if f != "note")
    text = re.sub(rf"(?m)^(\s*({keys})\s*=\s*){TOML_STRING}", sub, text)
    if "note" in fields:
        text = re.sub(rf"((note)\s*=\s*){TOML_STRING}", sub, text)
    return text, count


class Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.attrs: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            self.attrs.append(value)
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler attribute")
            if name in ("href", "src", "action", "formaction", "xlink:href", "srcset"):
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "title" and re.search(r"<[a-zA-Z/!]", value):
                # Material's content.tooltips inserts the (decoded) title into the page as HTML.
                self.problems.append(f"<{tag} title={value[:80]!r}> would become markup in a tooltip")
            # data-calc-spec: a calculator's inputs as JSON (escaped once, macros/vocab/calculators.py), read by
            # JSON.parse and shown only through textContent (test_calculator_script_writes_no_markup).
            if MARK in value and name not in TEXT_ATTRIBUTES:
                self.problems.append(f"<{tag} {name}={value[:80]!r}> payload in a non-text attribute")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x> from data")
        if tag == "script":
            self._in_script = True
            src = dict(attrs).get("src")
            if src is not None and re.match(r"[a-z][a-z0-9+.-]*:|//", src.strip().lower()):
                self.problems.append(f"<script src={src!r}> from elsewhere than the site")
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}> element")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and MARK in data:
            self.problems.append("payload inside a <script> element")
        self.text.append(data)


def without_number_lint(book: Path) -> None:
    """Take the number lint out of a copy whose data holds poisoned names.

    The lint allows model names with digits ("Llama 3 8B") as data/ spells them; poisoned, they no
    longer match the prose that names them. That is not about escaping: such a copy runs without it.
    """
    config = book / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - hooks/number_lint.py\n" in text, "mkdocs.yml no longer lists hooks/number_lint.py"
    config.write_text(text.replace("  - hooks/number_lint.py\n", ""), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    book = copy_book(tmp_path_factory.mktemp("hostile") / "book", figures=False)
    # Poisoned data changes what every page shows; the citation lock would rightly refuse that
    # build. This test is about escaping, not citations, so the copy has no lock.
    (book / "citations.lock.json").unlink(missing_ok=True)
    without_number_lint(book)
    total = 0
    for file, fields in FIELDS.items():
        path = book / "data" / file
        text, n = poison(path.read_text(encoding="utf-8"), fields)
        assert n > 0, f"no field of {file} was poisoned"
        total += n
        path.write_text(text, encoding="utf-8")
    assert total > 100
    site = book / "site"
    result = run_mkdocs_build(site, cwd=book)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 5
    return found


def test_the_payloads_reached_the_loader_intact(tmp_path: Path):
    book = copy_book(tmp_path / "book", figures=False)
    for file, fields in FIELDS.items():
        path = book / "data" / file
        path.write_text(poison(path.read_text(encoding="utf-8"), fields)[0], encoding="utf-8")
    loaded = load(book / "data")
    assert all(m.name.startswith(f"{MARK}-name <script>") for m in loaded.models.values())
    assert all(s.title.startswith(f"{MARK}-title") for s in loaded.sources.values())


def test_no_page_carries_data_as_markup(hostile_site: Path):
    problems = []
    shown = 0
    for page in pages(hostile_site):
        walker = Walker()
        walker.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(hostile_site).as_posix()
        problems += [f"{rel}: {p}" for p in walker.problems]
        text = "".join(walker.text) + " ".join(walker.attrs)
        # Jinja in data is never evaluated, and TeX in data never becomes math.
        if "pwned" in text:
            problems.append(f"{rel}: a Jinja expression from data was evaluated")
        raw = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<math\b.*?</math>", raw, re.S):
            # The provenance of a number inside math may hold the payload; the math's own text may not.
            formula = re.sub(r'<span class="num__prov".*?</span></span>', "", m.group(0), flags=re.S)
            if MARK in re.sub(r"<[^>]*>", "", formula):
                problems.append(f"{rel}: TeX from data became math")
        shown += text.count(f"{MARK}-")
    assert not problems, "\n".join(problems[:40])
    assert shown > 100, "the payloads should be visible as text"


@pytest.mark.parametrize("name", ["calculators.js", "explorer-table.js"])
def test_scripts_showing_data_write_no_markup(name: str):
    """The calculators (their inputs' labels) and the Explore table (names, sources) show strings from
    data/; they must do it as text: no HTML sink, and no escaping for HTML either, whose entity codes
    a screen reader or a native tooltip would read out (the table's titles are set as a DOM property)."""
    script = (ROOT / "docs" / "assets" / name).read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "&#39;", "&amp;"):
        assert sink not in script, sink


def test_payload_text_survives_verbatim_where_it_is_shown(hostile_site: Path):
    """Escaping, not deletion: a reader sees the characters the data holds."""
    page = (hostile_site / "appendix/data/index.html").read_text(encoding="utf-8")
    walker = Walker()
    walker.feed(page)
    text = "".join(walker.text)
    assert "<script>alert('name')</script>" in text
    assert "{{ 'pw' ~ 'ned' }}" in text
    assert "[click](javascript:alert(1))" in text and "$x^2$" in text


def test_tooltips_and_alt_text_are_escaped(hostile_site: Path):
    tips = alts = 0
    for page in pages(hostile_site):
        raw = page.read_text(encoding="utf-8")
        for m in re.finditer(r'<span class="num__prov"[^>]*>(.*?)</span></span>', raw):
            if MARK in m.group(1):
                tips += 1
                # Line breaks, the link to Methods and the glossary's abbreviations are the book's
                # markup; data is never markup.
                book_markup = (
                    r'<br>|<a class="num__method" href="[^"<>]*">How it is computed</a>|<abbr title="[^"<>]*">|</abbr>'
                )
                text = re.sub(book_markup, "", m.group(1))
                assert "<" not in text and ">" not in text, text[:200]
        for m in re.finditer(r'<img [^>]*alt="([^"]*)"', raw):
            if MARK in html.unescape(m.group(1)):
                alts += 1
                assert "<" not in m.group(1), m.group(1)[:200]
    assert tips > 10
    assert alts >= 1


def test_citation_links_point_only_at_http_urls(hostile_site: Path):
    links = 0
    for page in pages(hostile_site):
        for m in re.finditer(r'<a class="cite" href="([^"]*)"(?: title="([^"]*)")?>', page.read_text(encoding="utf-8")):
            links += 1
            assert m.group(1).startswith(("https://", "http://")), m.group(1)
            # Material reads a title as HTML: a title with markup in it is left out, not escaped twice.
            assert m.group(2) is None, m.group(2)
    assert links > 0


def test_search_index_holds_data_only_as_escaped_text(hostile_site: Path):
    """Material shows search results as HTML: the index must not hold data as tags."""
    index = json.loads((hostile_site / "search/search_index.json").read_text(encoding="utf-8"))
    leaks = []
    for doc in index["docs"]:
        for key in ("title", "text"):
            value = doc.get(key) or ""
            if re.search(r"<(script|img|a href=\"javascript)", value, re.I) and MARK in value:
                leaks.append(f"{doc['location']}: {key}")
    assert not leaks, leaks[:10]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " https://example.org/",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/paper.pdf",
        "//example.org/paper.pdf",
        'https://example.org/" onmouseover="alert(1)',
        "https://example.org/<script>",
        "https://exa mple.org/",
        "https://",
        "https://example.org/|[x](javascript:alert(1))",
        "https://example.org/$x$",
        "https://example.org/{{ 7 }}",
    ],
)
def test_the_loader_accepts_only_http_source_urls(tmp_path: Path, url: str):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data" / "sources.toml"
    text, n = re.subn(r'(?m)^url = "[^"]*"', lambda _: f"url = {json.dumps(url)}", path.read_text(), count=1)
    assert n == 1
    path.write_text(text)
    with pytest.raises(DataError, match=r"field 'url': must be an http\(s\) URL"):
        load(tmp_path / "data")


def test_no_html_or_markup_leaks_into_math(built_site: Path):
    """The real site: a number inside math keeps its tooltip; no tag is ever spelt out in letters."""
    for page in sorted(built_site.rglob("*.html")):
        raw = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<math\b.*?</math>", raw, re.S):
            spelt = re.sub(r"</?m[a-z]+[^>]*>", "", m.group(0))
            assert not re.search(r"<mi>a</mi><mi>b</mi><mi>b</mi><mi>r</mi>|&#x0003C;</mo><mo>&#x0002F;", m.group(0)), (
                f"{page.relative_to(built_site)}: HTML spelt out as math: {spelt[:200]}"
            )


def test_dollar_amounts_are_text_not_math(built_site: Path):
    page = (built_site / "chapters/hardware/index.html").read_text(encoding="utf-8")
    amounts = re.findall(r'<button type="button" class="num__value"[^>]*>(&#36;[^<]*)</button>', page)
    assert amounts, "the hardware chapter states costs in dollars"
