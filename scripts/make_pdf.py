#!/usr/bin/env python3
"""The book as one PDF: a print build of the site, rendered by headless Chromium, made byte-stable.

Stages (each prints one progress line):

1. **print build**: a strict MkDocs build of the same ``mkdocs.yml`` with
   mkdocs-print-site-plugin added, which joins every page in nav order into one page
   (``print_page/``) with a cover (``overrides/print/cover.html``) and a table of contents;
2. **render**: Chromium (the browser the test suite drives) opens that page from a loopback
   server, states each chapter's version under its title, and prints it to PDF with page
   numbers, a document outline and links between sections;
3. **normalise**: the PDF's dates come from ``SOURCE_DATE_EPOCH`` and its document id from its
   content (pikepdf, ``deterministic_id``), so that the same commit gives the same bytes.

Usage: ``python scripts/make_pdf.py [--release 1.2] [--out path.pdf]``; without a release it
writes ``book-preview.pdf``. ``make pdf`` then builds ``site/`` with a link to it on every page
(the ``BOOK_PDF`` variable read by ``hooks/pdf_edition.py``), and ``make deploy`` does the same
inside each release.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".cache" / "pdf"
PRINT_CONFIG = ROOT / ".mkdocs-print.yml"  # beside mkdocs.yml: its relative paths stay valid
CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class PdfError(Exception):
    """A stage failed: the message is the whole, one-line explanation."""


def _stage(n: int, text: str, started: float, stages: int = 3) -> None:
    print(f"[pdf {n}/{stages}] {text} ({time.monotonic() - started:.1f} s)", file=sys.stderr, flush=True)


def release_date() -> dt.date:
    """The edition's date: ``SOURCE_DATE_EPOCH`` (the commit's time, set by the Makefile), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def book_citation(release: str | None, date: dt.date) -> str:
    """How to cite this edition, from ``CITATION.cff`` (the book's own citation metadata)."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    authors = "; ".join(
        a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}" for a in cff["authors"]
    )
    if release:
        return f"{authors} ({date.year}). {cff['title']}, release {release}. {online_root(release)}"
    return f"{authors} ({date.year}). {cff['title']}, preview of {date.isoformat()} (not a release: cite a release)."


def online_root(release: str | None) -> str:
    """Where a release's files live on the web; a preview has none (empty)."""
    if not release:
        return ""
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["book_base_url"]
    return f"{base.rstrip('/')}/{release}/"


def print_config(release: str | None, date: dt.date, site_dir: Path) -> dict:
    """``mkdocs.yml`` with the print plugin last (it must see the final navigation) and the cover's facts."""
    cfg = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    cfg["site_dir"] = str(site_dir)
    cfg.setdefault("extra", {})["book_edition"] = {
        "release": release or "preview",
        "date": date.isoformat(),
        "citation": book_citation(release, date),
    }
    cfg["extra_css"] = [*cfg.get("extra_css", []), "assets/print.css"]
    cfg["plugins"] = [p for p in cfg["plugins"] if p != "print-site"] + [
        {
            "print-site": {
                "add_cover_page": True,
                "cover_page_template": "overrides/print/cover.html",
                "add_table_of_contents": True,
                "toc_title": "Contents",
                "toc_depth": 2,
                "enumerate_headings": False,
                "enumerate_figures": False,
                "add_print_site_banner": False,
                "print_page_title": cfg["site_name"],
                # The explorer is an interactive tool, not a page to read on paper.
                "exclude": ["explore.md"],
            }
        }
    ]
    return cfg


def print_build(release: str | None, date: dt.date) -> Path:
    site = WORK / "site"
    shutil.rmtree(site, ignore_errors=True)
    PRINT_CONFIG.write_text(yaml.safe_dump(print_config(release, date, site), sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if release:
        env["MIKE_DOCS_VERSION"] = release
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(PRINT_CONFIG)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        PRINT_CONFIG.unlink(missing_ok=True)
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if line.startswith(("ERROR", "Aborted"))]
        raise PdfError(f"print build failed: {errors[0] if errors else result.stderr.strip()[-300:]}")
    return site


def chapter_versions() -> dict[str, str]:
    """Each page's version from its front matter, keyed by its ``docs/`` path."""
    versions = {}
    for path in sorted((ROOT / "docs").rglob("*.md")):
        m = re.match(r"\A---\s*\n(.*?)\n---\s*\n", path.read_text(encoding="utf-8"), re.S)
        meta = yaml.safe_load(m.group(1)) if m else None
        if isinstance(meta, dict) and meta.get("version"):
            versions[path.relative_to(ROOT / "docs").as_posix()] = str(meta["version"])
    return versions


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


# Resolves once the page has not changed for half a second (scripts fill some tables after load).
_SETTLED = """
() => new Promise((resolve) => {
  let timer = setTimeout(done, 500);
  const watch = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 500); });
  function done() { watch.disconnect(); document.fonts.ready.then(resolve); }
  watch.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
})
"""

# Under each page's first heading: its version, as its cite block states it on the site.
_MARK_VERSIONS = """
(versions) => {
  for (const section of document.querySelectorAll("section.print-page[id]")) {
    const h1 = section.querySelector("h1");
    const key = Object.keys(versions).find((src) => section.id === src.replace(/\\.md$/, "").replace(/[/]/g, "-"));
    if (!h1 || !key) continue;
    const p = document.createElement("p");
    p.className = "book-print-version";
    p.textContent = "Chapter version " + versions[key];
    h1.after(p);
  }
}
"""


# Links between pages become links inside the PDF; links to files (CSV, JSON) point at the release
# online, or, in a preview, which has no published copy, become plain text.
_LOCAL_LINKS = """
(online) => {
  for (const a of document.querySelectorAll("a[href]")) {
    const u = new URL(a.href, location.href);
    if (u.origin !== location.origin || u.pathname === location.pathname) continue;
    const key = u.pathname.replace(/^[/]+|[/]+$/g, "").replace(/[/]/g, "-") || "index";
    const inside = [u.hash ? key + "-" + u.hash.slice(1) : "", key].find((id) => id && document.getElementById(id));
    if (inside) a.setAttribute("href", "#" + inside);
    else if (online) a.setAttribute("href", online + u.pathname.replace(/^[/]+/, "") + u.hash);
    else a.removeAttribute("href");  // a preview has no published copy to point at

  }
}
"""


def render(site: Path, out: Path, online: str) -> None:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/print_page/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), lambda route: route.abort())
            page.goto(url, wait_until="networkidle")
            page.emulate_media(media="print", color_scheme="light")
            page.evaluate(_SETTLED)  # the tables that scripts fill are drawn
            page.evaluate(_MARK_VERSIONS, chapter_versions())
            page.evaluate(_LOCAL_LINKS, online)
            page.wait_for_function("Array.from(document.images).every((i) => i.complete)")
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                prefer_css_page_size=True,  # size, margins and page numbers: docs/assets/print.css
                outline=True,
                tagged=True,
            )
            browser.close()
    except Exception as exc:  # the browser is a tool here: its failure is one line, not a traceback
        raise PdfError(f"rendering {url} in {CHROMIUM} failed: {str(exc).splitlines()[0]}") from None
    finally:
        server.shutdown()


def _renumber_structure_ids(pdf) -> None:
    """Tagged-PDF element ids are Chromium's DOM node numbers, which differ between renders:
    number them in document order instead (table cells name their headers by these ids)."""
    import pikepdf

    elems = [
        o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem" and "/ID" in o
    ]
    new = {str(e.ID): f"e{n:06d}" for n, e in enumerate(elems)}
    for e in elems:
        e.ID = pikepdf.String(new[str(e.ID)])
    for o in pdf.objects:
        if not (isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem" and "/A" in o):
            continue
        attrs = o.A if isinstance(o.A, pikepdf.Array) else [o.A]
        for a in attrs:
            if isinstance(a, pikepdf.Dictionary) and "/Headers" in a:
                a.Headers = pikepdf.Array([pikepdf.String(new.get(str(h), str(h))) for h in a.Headers])
    root = pdf.Root.get("/StructTreeRoot")
    if root is not None and elems:
        names = pikepdf.Array()
        for e in sorted(elems, key=lambda e: str(e.ID)):
            names.extend([pikepdf.String(str(e.ID)), e])
        root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))


def normalise(raw: Path, out: Path, release: str | None, date: dt.date) -> None:
    """Fixed metadata and a content-derived id: two renders of the same commit, same bytes."""
    import pikepdf

    stamp = f"D:{date.strftime('%Y%m%d')}000000Z"
    with pikepdf.open(raw) as pdf:
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata  # XMP with render time and random ids
        _renumber_structure_ids(pdf)
        info = pdf.docinfo
        for key in list(info.keys()):
            del info[key]
        info.Title = f"How Language Models Differ and Scale ({'release ' + release if release else 'preview'})"
        info.Author = "The computed-book team"
        info.Creator = "scripts/make_pdf.py (MkDocs, mkdocs-print-site-plugin, Chromium)"
        info.CreationDate = stamp
        info.ModDate = stamp
        tmp = out.with_suffix(".tmp")
        pdf.save(
            tmp, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
        )
    tmp.replace(out)


def make_pdf(release: str | None, out: Path, date: dt.date | None = None, stages: int = 3) -> Path:
    started = time.monotonic()
    date = date or release_date()
    WORK.mkdir(parents=True, exist_ok=True)
    site = print_build(release, date)
    _stage(1, "print build: every page in one", started, stages)
    raw = WORK / "raw.pdf"
    render(site, raw, online_root(release))
    _stage(2, "rendered by Chromium", started, stages)
    out.parent.mkdir(parents=True, exist_ok=True)
    normalise(raw, out, release, date)
    raw.unlink(missing_ok=True)
    _stage(3, f"normalised: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}", started, stages)
    return out


def pdf_name(release: str | None) -> str:
    return f"book-{release}.pdf" if release else "book-preview.pdf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", default=os.environ.get("MIKE_DOCS_VERSION") or None)
    parser.add_argument("--out", type=Path, default=None, help="default: .cache/pdf/book-<release>.pdf")
    parser.add_argument(
        "--site", action="store_true", help="then build site/ with the PDF in it, linked from every page"
    )
    args = parser.parse_args(argv)
    out = (args.out or WORK / pdf_name(args.release)).resolve()
    started = time.monotonic()
    try:
        make_pdf(args.release, out, stages=4 if args.site else 3)
    except PdfError as exc:
        print(f"make pdf: {exc}", file=sys.stderr)
        return 1
    if not args.site:
        print(out)
        return 0
    from build_site import build

    os.environ["BOOK_PDF"] = str(out)
    status = build()
    if status == 0:
        _stage(4, f"site/ built with site/{out.name} linked from every page", started, 4)
    return status


if __name__ == "__main__":
    sys.exit(main())
