"""The PDF edition (``make pdf``): complete, citable, linked inside, page-numbered and byte-stable.

Two renders of the same commit are compared byte for byte; the text is read back with poppler's
``pdftotext`` and the structure with pikepdf. A few pages are rendered to PNG (``pdftoppm``)
into ``test-artifacts/pdf/`` for a person to look at.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "pdf"
EPOCH = "1795000000"  # a fixed SOURCE_DATE_EPOCH: 2026-11-18 (UTC)


def _make(out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("MIKE_DOCS_VERSION", None)
    env.pop("BOOK_PDF", None)
    return subprocess.run(
        [sys.executable, "scripts/make_pdf.py", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    first, second = folder / "a.pdf", folder / "b.pdf"
    for out in (first, second):
        result = _make(out)
        assert result.returncode == 0, result.stderr[-3000:]
    # One progress line per stage.
    assert re.findall(r"^\[pdf (\d)/3\]", result.stderr, re.M) == ["1", "2", "3"]
    return first, second


@pytest.fixture(scope="module")
def pages(pdfs) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdfs[0]), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")


def _print_site() -> Path:
    return ROOT / ".cache" / "pdf" / "site"


def test_two_renders_of_the_same_commit_are_the_same_bytes(pdfs):
    first, second = pdfs
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    assert digest[0] == digest[1]  # (digests: pytest's diff of two 2 MB byte strings takes minutes)


def test_title_page_names_the_edition_date_and_citation(pages):
    from scripts import make_pdf

    cover = "".join(pages[0].split())  # pdftotext breaks lines (and dates) where the page wraps them
    assert "HowLanguageModelsDifferandScale" in cover
    assert "Previewof2026-11-18" in cover  # no release: a preview, dated by SOURCE_DATE_EPOCH
    citation = make_pdf.book_citation(None, make_pdf.dt.date(2026, 11, 18))
    assert "".join(citation.split()) in cover


def test_every_page_of_the_book_is_in_it_with_its_version(pages):
    text = " ".join(" ".join(pages).split())
    site = _print_site()
    html = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    # Every page of the navigation, by the title of its first heading.
    titles = re.findall(r'<section class="print-page" id="([^"]+)"[^>]*>\s*<h1[^>]*>(.*?)</h1>', html, re.S)
    assert len(titles) >= 17, titles
    for _, title in titles:
        plain = " ".join(re.sub(r"<[^>]+>", "", title).replace("&para;", "").replace("¶", "").split())
        assert plain in text, plain
    for path in sorted((ROOT / "docs" / "chapters").glob("*.md")):
        version = re.search(r'(?m)^version: "?([^"\n]+?)"?$', path.read_text(encoding="utf-8")).group(1)
        assert f"Chapter version {version}" in text, path.name
    assert text.count("Chapter version") >= 12


def test_numbers_and_status_legend_are_those_of_the_site(pages):
    text = " ".join(" ".join(pages).split())
    numbers = json.loads((_print_site() / "data" / "numbers.json").read_text(encoding="utf-8"))["numbers"]
    exact = [
        r
        for r in numbers
        if r["expression"].startswith("model('llama-3-8b').params") and r["page"] == "chapters/anatomy.md"
    ]
    assert exact, "the anatomy chapter states Llama 3 8B's parameter count"
    for row in exact:
        assert row["text"] in text
    for status in ("disclosed", "estimated", "rumored", "undisclosed"):
        assert status in text
    assert "How sure is a number?" in text


def test_no_template_leftovers(pages):
    text = "\n".join(pages)
    for leftover in ("{{", "}}", "{%", "%}", "{#"):
        assert leftover not in text, leftover
    for word in (r"\bNone\b", r"\bnan\b", r"\bUndefined\b", r"\binf\b"):
        assert not re.search(word, text), word


def test_links_between_pages_stay_inside_and_pages_are_numbered(pdfs, pages):
    with pikepdf.open(pdfs[0]) as pdf:
        inside, outside = 0, []
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                if "/Dest" in annot or ("/A" in annot and annot.A.get("/S") == "/GoTo"):
                    inside += 1
                elif "/A" in annot and "/URI" in annot.A:
                    outside.append(str(annot.A.URI))
        count = len(pdf.pages)
        assert pdf.Root.get("/Outlines") is not None  # a document outline (bookmarks)
        assert pdf.Root.get("/StructTreeRoot") is not None  # tagged for screen readers
    assert inside > 100
    assert not [u for u in outside if "127.0.0.1" in u or "localhost" in u]
    assert all(u.startswith(("https://", "mailto:")) for u in outside), sorted(set(outside))[:5]
    from macros.cite import placeholder_url

    assert not [u for u in outside if placeholder_url(u)]  # a preview links no placeholder address
    assert f"3 / {count}" in pages[2]
    assert f"{count} / {count}" in pages[count - 1]


def test_look_at_a_few_pages(pdfs, pages):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data_page = next(i for i, p in enumerate(pages) if "Every model in the book, with each" in p)
    for first in (1, 2, 3, data_page + 1):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", str(first), "-l", str(first), str(pdfs[0]), str(ARTIFACTS / "page")],
            check=True,
        )
    assert len(list(ARTIFACTS.glob("page-*.png"))) >= 4


def test_site_links_the_pdf_from_every_page(tmp_path, pdfs):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BOOK_PDF": str(pdfs[0])}
    env.pop("MIKE_DOCS_VERSION", None)
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / pdfs[0].name).read_bytes() == pdfs[0].read_bytes()
    pages = [p for p in site.rglob("index.html") if "print_page" not in p.parts]
    assert len(pages) >= 17
    for page in pages:
        html = page.read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]+)" download>Download this preview as PDF</a>', html)
        assert link, page
        assert (page.parent / link.group(1)).resolve() == (site / pdfs[0].name).resolve()
