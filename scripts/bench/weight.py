"""[5] Page weight: the bytes a first visit fetches for each chapter page; no reference leaves the site."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .common import build, copy_book, load_config, log


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (
            tag == "link"
            and a.get("href")
            and {"stylesheet", "icon", "preload", "modulepreload"} & set((a.get("rel") or "").split())
        ):
            self.refs.append(("asset", a["href"]))
        elif tag == "script" and a.get("src"):
            self.refs.append(("asset", a["src"]))
        elif tag in ("img", "source", "video", "audio", "iframe", "embed") and a.get("src"):
            src = a["src"].split("#")[0]
            self.refs.append(("figure" if src.endswith(".svg") and "figures/" in src else "asset", a["src"]))


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")


def page_weight(site: Path, page: str) -> dict:
    """Bytes a first visit fetches: the HTML, its CSS (with what the CSS pulls in), scripts, images.

    Only one of each light/dark figure pair is fetched (the other is hidden and lazy).
    Any reference with a scheme or host, other than in-page links, is an external request.
    """
    html_file = site / page
    parser = _Refs()
    parser.feed(html_file.read_text(encoding="utf-8"))
    base_url = "http://site.invalid/" + page
    seen: set[Path] = set()
    external: list[str] = []
    sizes = {"html": html_file.stat().st_size, "asset": 0, "figure": 0}

    def add(kind: str, ref: str, from_url: str) -> None:
        absolute = urljoin(from_url, ref)
        parts = urlsplit(absolute)
        if parts.scheme == "data":
            return
        if parts.netloc != "site.invalid":
            external.append(ref)
            return
        path = site / parts.path.lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path in seen or not path.exists():
            return
        seen.add(path)
        sizes[kind] += path.stat().st_size
        if path.suffix == ".css":
            for m in _CSS_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
                add(kind, m.group(1) or m.group(2), absolute)

    for kind, ref in parser.refs:
        if kind == "figure" and "-dark.svg" in ref:
            continue
        add(kind, ref, base_url)
    return {
        **sizes,
        "without_figures": sizes["html"] + sizes["asset"],
        "total": sum(sizes.values()),
        "external": external,
    }


def _nav_pages(nav: list) -> list[str]:
    pages: list[str] = []
    for item in nav:
        if isinstance(item, str):
            pages.append(item)
        elif isinstance(item, dict):
            for v in item.values():
                pages.extend(_nav_pages(v) if isinstance(v, list) else [v])
    return pages


def bench_weight(work: Path) -> dict:
    book = copy_book(work / "book-weight")
    site = work / "site-weight"
    build(book, site)
    out = {}
    for src in _nav_pages(load_config(book / "mkdocs.yml")["nav"]):
        rel = "index.html" if src == "index.md" else src.removesuffix(".md") + "/index.html"
        out[src] = page_weight(site, rel)
    external = sorted({e for w in out.values() for e in w["external"]})
    # Material's search fetches its worker and the index once per visit to the site.
    search = {
        p.relative_to(site).as_posix(): p.stat().st_size
        for p in [site / "search/search_index.json", *sorted((site / "assets/javascripts/workers").glob("search*.js"))]
        if p.exists()
    }
    log("[5] page weight (first visit, bytes): page | without figures | with figures")
    for src, w in out.items():
        log(f"    {src:40} {w['without_figures']:>10,} {w['total']:>10,}")
    log(f"[5] plus, once per visit, search: {sum(search.values()):,} bytes ({', '.join(search)})")
    log(f"[5] requests leaving the site: {external or 'none'}")
    return {"pages": out, "search_once": search, "external": external, "met": not external}
