"""The built site in a real browser: Debian's Chromium driven by Playwright, offline.

The site is served by Python's http.server on 127.0.0.1 (a free port); every request that is
not for that server is blocked and counted as a failure. Every page the site has (from
``sitemap.xml`` and the HTML files) is opened in the light and the dark scheme and must show no
console error and no failed request, load every visible image (the figures' light or dark SVG)
with a non-zero size, render its math as MathML with no TeX left over, and explain its numbers
on hover. Search must find a model by name, and every same-site link and anchor must resolve.
A screenshot of each page in each scheme goes to ``test-artifacts/screenshots/``.

These tests never skip: without /usr/bin/chromium they fail (``make test`` installs it first).
"""

from __future__ import annotations

import functools
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.build.test_hostile import hostile_site  # noqa: F401 - a fixture, used by name
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "test-artifacts" / "screenshots"
SCHEMES = {"light": "default", "dark": "slate"}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


VERSION = "dev"


@pytest.fixture(scope="module")
def server(built_site: Path, tmp_path_factory) -> Iterator[str]:
    """The site as it is published by mike: one directory per version, ``versions.json`` beside them
    (Material's version selector reads ``../versions.json``). Yields the version's base URL."""
    root = tmp_path_factory.mktemp("served")
    (root / VERSION).symlink_to(built_site, target_is_directory=True)
    versions = [{"version": VERSION, "title": VERSION, "aliases": ["latest"]}]
    (root / "versions.json").write_text(json.dumps(versions), encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/{VERSION}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_chromium.py (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@dataclass
class Visit:
    """What one page load showed."""

    problems: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)


def site_pages(site: Path) -> list[str]:
    """Every page, as a path relative to the site root ('' is the home page)."""
    pages = set()
    sitemap = site / "sitemap.xml"
    if sitemap.exists():
        for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")):
            pages.add(urllib.parse.urlsplit(loc).path.lstrip("/"))
    for html_file in site.rglob("index.html"):
        rel = html_file.parent.relative_to(site).as_posix()
        pages.add("" if rel == "." else rel + "/")
    # A sitemap path under a deploy prefix would not exist here: keep the pages that do.
    return sorted(p for p in pages if (site / p / "index.html").exists() or (site / p).is_file())


def new_context(browser, base: str, scheme: str, blocked: list[str]):
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(base))

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(origin + "/") or url == origin or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    ctx.route("**/*", guard)
    ctx.set_default_timeout(60_000)  # generous: CI machines are shared and slow at times
    return ctx


LOAD_IMAGES = """async () => {
  const out = [];
  for (const img of document.querySelectorAll('article img, .md-content img')) {
    if (img.offsetParent === null) continue;           // the other scheme's variant is hidden
    img.loading = 'eager';
    img.scrollIntoView();
    try { await img.decode(); } catch (e) {}
    out.push({src: img.getAttribute('src'), w: img.naturalWidth, h: img.naturalHeight, alt: img.alt});
  }
  window.scrollTo(0, 0);
  return out;
}"""

PAGE_FACTS = """() => ({
  scheme: document.body.getAttribute('data-md-color-scheme'),
  text: document.querySelector('article') ? document.querySelector('article').innerText : document.body.innerText,
  math: Array.from(document.querySelectorAll('math')).map(m => {
    const r = m.getBoundingClientRect(); return [r.width, r.height, m.getAttribute('display') || 'inline'];
  }),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  numbers: document.querySelectorAll('.num > button.num__value').length,
})"""


def visit(ctx, base: str, page_path: str, scheme: str, source_html: str) -> Visit:
    out = Visit()
    page = ctx.new_page()
    page.on("console", lambda m: m.type == "error" and out.problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: out.problems.append(f"script error: {e}"))
    page.on("requestfailed", lambda r: out.problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and out.problems.append(f"HTTP {r.status}: {r.url}"))
    page.goto(base + page_path, wait_until="load")
    images = page.evaluate(LOAD_IMAGES)
    facts = page.evaluate(PAGE_FACTS)
    if facts["scheme"] != SCHEMES[scheme]:
        out.problems.append(f"colour scheme is {facts['scheme']!r}, expected {SCHEMES[scheme]!r}")
    for img in images:
        if not (img["w"] > 0 and img["h"] > 0):
            out.problems.append(f"image did not load: {img['src']}")
        if "/figures/" in f"/{img['src']}" and img["src"].split("#")[0].endswith(".svg"):
            dark = "-dark.svg" in img["src"]
            if dark != (scheme == "dark"):
                out.problems.append(f"{scheme} scheme shows the other variant: {img['src']}")
            if not img["alt"].strip():
                out.problems.append(f"figure without alt text: {img['src']}")
    text = facts["text"]
    for leftover in ("$$", "\\(", "\\[", "{{", "{%"):
        if leftover in text:
            at = text.index(leftover)
            out.problems.append(f"raw {leftover!r} in the page text: {text[max(0, at - 40) : at + 40]!r}")
    # A page script of the book's own (not the theme's) may rebuild part of the page, e.g. a table.
    own_script = re.search(r'<script src="[^"]*assets/(?!javascripts/)[^"]*\.js"', source_html)
    if "<math" in source_html:
        if not facts["math"] and not own_script:
            out.problems.append("the HTML has MathML but the browser found none")
        flat = [m for m in facts["math"] if not (m[0] > 0 and m[1] > 0)]
        # Hidden math (inside a closed <details>) has no box; all of it hidden would mean no rendering.
        if len(flat) == len(facts["math"]) and facts["math"]:
            out.problems.append("no math has a size: MathML is not rendered")
    if scheme == "light":
        SHOTS.mkdir(parents=True, exist_ok=True)
    name = page_path.strip("/").replace("/", "-") or "index"
    page.screenshot(path=str(SHOTS / f"{name}-{scheme}.png"), full_page=True)
    if facts["numbers"]:
        hover_problem = check_tooltip(page)
        if hover_problem:
            out.problems.append(hover_problem)
    out.links = set(facts["links"])
    page.close()
    return out


STATUS_WORD = re.compile(r"\b(disclosed|estimated|claimed|rumored|undisclosed)\b")


def check_tooltip(page) -> str | None:
    """The first visible number: focused by keyboard, its provenance is its accessible description
    and shows on screen; hovered, it shows; Escape closes it. No entity code reaches the reader."""
    number = None
    for candidate in page.locator("article .num > button.num__value").all()[:10]:
        if candidate.is_visible():
            number = candidate
            break
    if number is None:  # a page whose numbers are all inside a closed element or a script's view
        return None
    prov = page.locator("#" + (number.get_attribute("aria-describedby") or "missing"))
    described = prov.text_content() or ""
    if not STATUS_WORD.search(described) or re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", described, re.I):
        return f"a number's description has no provenance or holds entity codes: {described[:80]!r}"
    number.focus()
    page.wait_for_timeout(100)
    if not prov.is_visible() or not STATUS_WORD.search(prov.inner_text()):
        return "focusing a number does not show its provenance"
    page.keyboard.press("Escape")
    page.wait_for_timeout(100)
    if prov.is_visible():
        return "Escape does not close a number's provenance"
    number.blur()
    number.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    number.hover()
    page.wait_for_timeout(150)
    if not prov.is_visible():
        return "hovering a number does not show its provenance"
    return None


@pytest.fixture(scope="module")
def visits(browser, server: str, built_site: Path) -> dict[tuple[str, str], Visit]:
    pages = site_pages(built_site)
    assert len(pages) >= 5, pages
    results: dict[tuple[str, str], Visit] = {}
    for scheme in SCHEMES:
        blocked: list[str] = []
        ctx = new_context(browser, server, scheme, blocked)
        for p in pages:
            html_file = built_site / p / "index.html" if not p or p.endswith("/") else built_site / p
            results[(p, scheme)] = v = visit(ctx, server, p, scheme, html_file.read_text(encoding="utf-8"))
            v.problems += [f"blocked a request off the machine: {u}" for u in blocked]
            blocked.clear()
        ctx.close()
    return results


def test_every_page_loads_cleanly_in_both_schemes(visits: dict[tuple[str, str], Visit]):
    problems = [f"{p or '(home)'} [{s}]: {msg}" for (p, s), v in visits.items() for msg in v.problems]
    assert not problems, "\n".join(problems[:60])
    assert len(list(SHOTS.glob("*.png"))) >= len(visits)


def test_internal_links_and_anchors_resolve(visits: dict[tuple[str, str], Visit], server: str, built_site: Path):
    anchors: dict[Path, set[str]] = {}
    broken = []
    for (page, scheme), v in visits.items():
        if scheme != "light":
            continue
        for href in sorted(v.links):
            if not href.startswith(server):
                continue
            parsed = urllib.parse.urlsplit(href)
            path = urllib.parse.unquote(urllib.parse.urlsplit(href[len(server) :]).path)
            target = built_site / path
            if target.is_dir() or path == "" or path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page or '(home)'}: {href} (no such file)")
                continue
            if parsed.fragment and target.suffix == ".html":
                if target not in anchors:
                    anchors[target] = set(re.findall(r'\bid="([^"]+)"', target.read_text(encoding="utf-8")))
                if urllib.parse.unquote(parsed.fragment) not in anchors[target]:
                    broken.append(f"{page or '(home)'}: {href} (no such anchor)")
    assert not broken, "\n".join(broken[:40])
    assert anchors, "some links carry anchors"


def test_search_finds_a_model_by_name(browser, server: str, built_site: Path):
    models = json.loads((built_site / "data" / "models.json").read_text(encoding="utf-8"))["models"]
    name = next(m["name"] for m in models if m["id"] == "llama-3-8b")
    blocked: list[str] = []
    ctx = new_context(browser, server, "light", blocked)
    page = ctx.new_page()
    page.goto(server, wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()  # at desktop width the search box sits in the header
    page.wait_for_timeout(500)  # let the search worker start
    box.press_sequentially(name, delay=40)  # Material searches on key events, not on a filled value
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=60_000)  # the index builds in a worker
    text = page.locator(".md-search-result").inner_text()
    assert name.split()[0] in text, text[:500]
    page.screenshot(path=str(SHOTS / "search-results-light.png"))
    ctx.close()
    assert not blocked, blocked


def test_hostile_data_runs_nothing_in_the_browser(browser, hostile_site: Path):  # noqa: F811
    """The site built from poisoned data (tests/build/test_hostile.py): no dialog, no injected element,
    on any page, on hover, in the book's own scripts (the data table) or in search results."""
    handler = functools.partial(QuietHandler, directory=str(hostile_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    dialogs: list[str] = []
    blocked: list[str] = []
    injected = []
    ctx = new_context(browser, base, "light", blocked)
    try:
        page = ctx.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.type} {d.message!r}"), d.dismiss()))
        for p in site_pages(hostile_site):
            if dialogs:
                break
            page.goto(base + p, wait_until="load")
            # Material's tooltips render a title as HTML: hover numbers and citations.
            for number in page.locator("article .num__value, article a.cite[title]").all()[:6]:
                if number.is_visible():
                    number.hover()
            found = page.evaluate(
                """() => [...document.querySelectorAll('img[src="x"], [onerror], [onmouseover], a[href^="javascript:"]')]
                      .map(e => e.outerHTML.slice(0, 120))"""
            )
            injected += [f"{p}: {html}" for html in found]
        page.goto(base, wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        page.wait_for_timeout(500)
        box.press_sequentially("HOSTILE", delay=40)
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(300)
        injected += page.evaluate(
            """() => [...document.querySelectorAll('img[src="x"], [onerror]')].map(e => e.outerHTML)"""
        )
        page.screenshot(path=str(SHOTS / "hostile-search-light.png"))
    finally:
        ctx.close()
        httpd.shutdown()
        httpd.server_close()
    assert not dialogs, dialogs
    assert not injected, injected[:10]
    assert not blocked, blocked[:10]
