"""The built book read as a reader reads it: no garbled sentence, leftover template or entity code.

The rules live in ``scripts/reader_lint.py`` (unit-tested in tests/unit/test_reader_lint.py);
here they run over every page of a real build, and each failure names the page and the text.
"""

from __future__ import annotations

from pathlib import Path

from scripts import reader_lint


def test_the_text_readers_see_reads_cleanly(built_site: Path):
    pages = [p for p in built_site.rglob("*.html") if not p.relative_to(built_site).as_posix().startswith("assets/")]
    assert len(pages) > 10
    found = reader_lint.check_site(built_site)
    assert not found, "\n".join(str(f) for f in found[:60])


def test_provenance_is_read_as_plain_text(built_site: Path):
    """A screen reader gets a number's provenance from its description: decoded once, it is plain."""
    reader = reader_lint.read((built_site / "chapters/differences/index.html").read_text(encoding="utf-8"))
    assert not [a for a in reader.attributes if a[1] == "title" and "&#" in a[2]]
    page = (built_site / "chapters/anatomy/index.html").read_text(encoding="utf-8")
    # d_model is written with an entity in the HTML source, which the browser decodes to "_".
    assert "d&#95;model (Llama 3 8B)" in page and "&amp;#95;" not in page
