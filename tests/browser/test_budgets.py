"""Page weight budgets, measured as a browser receives the pages from a host that compresses.

"Transferred" (``docs-dev/performance.md``, "Page budgets") is what Chromium's network layer
reports for each response of a first visit (fresh context, empty cache): the response's headers
plus its body as sent on the wire (Playwright's ``request.sizes()``). The site is served here as
a static host such as GitHub Pages serves it: text (HTML, CSS, JavaScript, JSON, SVG, CSV) gzip
-compressed at level 6 when the browser accepts gzip, images and fonts as they are.

- The Explore page: at most 600 KB transferred.
- A chapter with a calculator: at most 150 KB more than the same page without it (its block and
  the three script tags the calculator word writes, cut from a copy of the page's HTML beside the
  original, so both load the same stylesheets, scripts, figures and fonts otherwise).
"""

from __future__ import annotations

import functools
import gzip
import re
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser.test_browser import QuietHandler, browser  # noqa: F401 - fixture, used by name
from tests.browser.test_reader_tools import PAGES

pytestmark = pytest.mark.browser

EXPLORER_BUDGET = 600_000
CALCULATOR_BUDGET = 150_000
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".csv", ".txt", ".xml", ".map"}
# What macros/vocab/calculators.block writes: the hidden block, then its scripts.
CALC_BLOCK = re.compile(r'<div class="book-calc" data-calc="\w+" data-calc-spec="[^"]*" hidden>.*?</div>(\s*<script src="[^"]*" defer></script>)+', re.S)  # fmt: skip


class GzipHandler(QuietHandler):
    """A static host: text compressed with gzip (level 6) for a browser that accepts it."""

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return super().do_GET()  # the base class redirects /dir to /dir/
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _mirror(src: Path, dst: Path, stripped: set[str], rel: str = "") -> None:
    """``dst`` mirrors ``src`` with symlinks, but the pages in ``stripped`` (folders), copied without their calculator."""
    dst.mkdir()
    for entry in sorted(src.iterdir()):
        here = rel + entry.name
        if here in stripped:
            (dst / entry.name).mkdir()
            for item in entry.iterdir():
                if item.name != "index.html":
                    (dst / entry.name / item.name).symlink_to(item, target_is_directory=item.is_dir())
            text, n = CALC_BLOCK.subn("", (entry / "index.html").read_text(encoding="utf-8"))
            assert n == 1, f"{here}: expected one calculator block, found {n}"
            (dst / entry.name / "index.html").write_text(text, encoding="utf-8")
        elif any(p.startswith(here + "/") for p in stripped):
            _mirror(entry, dst / entry.name, stripped, here + "/")
        else:
            (dst / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())


@pytest.fixture(scope="module")
def host(built_site: Path, tmp_path_factory) -> Iterator[str]:
    """The built site under ``/book/`` and a copy without the calculators under ``/bare/``."""
    root = tmp_path_factory.mktemp("host")
    (root / "book").symlink_to(built_site, target_is_directory=True)
    _mirror(built_site, root / "bare", {p.rstrip("/") for p in PAGES.values()})
    handler = functools.partial(GzipHandler, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def first_visit(browser, url: str, ready: str) -> tuple[int, int, list[str]]:  # noqa: F811
    """Bytes transferred (headers + encoded bodies), bytes of the decoded bodies, and what was loaded."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    origin = url.split("/", 3)[:3]
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("/".join(origin)) else r.abort())
    page = ctx.new_page()
    done: list = []
    page.on("requestfinished", lambda r: done.append(r))
    page.goto(url, wait_until="networkidle")
    page.locator(ready).first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    sizes = [(r, r.sizes(), r.response()) for r in done]
    wire = sum(s["responseHeadersSize"] + s["responseBodySize"] for _, s, _ in sizes)
    raw = sum(len(resp.body()) for _, _, resp in sizes if resp is not None)
    urls = sorted(r.url for r, _, _ in sizes)
    ctx.close()
    return wire, raw, urls


def test_served_compressed(host: str) -> None:
    import urllib.request

    req = urllib.request.Request(host + "book/explore/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req) as resp:
        assert resp.headers["Content-Encoding"] == "gzip"
        assert b"<html" in gzip.decompress(resp.read())


def test_explorer_first_visit(browser, host: str) -> None:  # noqa: F811
    wire, raw, urls = first_visit(browser, host + "book/explore/", "[data-explorer-models][data-ready=yes]")
    print(f"explore/: {wire:,} bytes transferred, {raw:,} decoded, {len(urls)} requests")
    assert any(u.endswith("models.json") for u in urls) and any("plot.min.js" in u for u in urls)
    assert wire <= EXPLORER_BUDGET, f"explore/: {wire:,} bytes transferred ({raw:,} decoded): {urls}"


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_calculator_adds_little_to_its_chapter(browser, host: str, kind: str) -> None:  # noqa: F811
    page = PAGES[kind]
    with_calc, raw_with, urls = first_visit(browser, host + "book/" + page, f"[data-calc={kind}][data-ready=yes]")
    without, raw_without, bare_urls = first_visit(browser, host + "bare/" + page, "article")
    extra = with_calc - without
    print(
        f"{page}: {with_calc:,} bytes with the calculator, {without:,} without: +{extra:,} ({raw_with - raw_without:,} decoded)"
    )
    assert len(urls) > len(bare_urls)  # the calculator brings its scripts; the bare page does not load them
    assert 0 < extra <= CALCULATOR_BUDGET, f"{page}: the calculator adds {extra:,} bytes transferred"
