"""Two clean builds of the same sources produce the same bytes, file for file.

One build reuses the rendered figures, the other starts with no figure cache at all and draws
every chart again; they run in different directories at the same time. With
``SOURCE_DATE_EPOCH`` set (the Makefile takes it from the last commit), every file, including
the SVG figures, the exports, the search index and ``sitemap.xml.gz``, must be identical.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.build.test_malformed import copy_book
from tests.conftest import ROOT, run_mkdocs_build


def _last_commit_time() -> int:
    """The build date the Makefile gives a build (the last commit's time); the data's dates must not pass it."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
        return int(out.stdout.strip())
    except (OSError, ValueError):
        return int(time.time())


EPOCH = _last_commit_time()


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_clean_builds_are_byte_identical(tmp_path: Path):
    cached = copy_book(tmp_path / "a" / "book", figures=True)
    fresh = copy_book(tmp_path / "b" / "book", figures=False)
    assert not (fresh / ".cache").exists()
    env = {"SOURCE_DATE_EPOCH": str(EPOCH)}
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda book: run_mkdocs_build(book / "site", cwd=book, extra_env=env), (cached, fresh)))
    for r in results:
        assert r.returncode == 0, r.stderr[-3000:]
    a, b = digests(cached / "site"), digests(fresh / "site")
    assert sorted(a) == sorted(b), f"different files: {sorted(set(a) ^ set(b))}"
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"{len(differ)} file(s) differ between two builds: {differ[:20]}"
    # What must be there, so the comparison covered it.
    names = set(a)
    assert {
        "sitemap.xml",
        "sitemap.xml.gz",
        "search/search_index.json",
        "data/models.json",
        "data/numbers.json",
    } <= names
    assert any(n.startswith("figures/") and n.endswith(".svg") for n in names)
    assert (fresh / ".cache" / "figures").is_dir(), "the fresh build drew its figures itself"

    # The one date in the site comes from SOURCE_DATE_EPOCH, also inside the gzip header.
    day = dt.datetime.fromtimestamp(EPOCH, dt.UTC).date().isoformat()
    sitemap = (cached / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<lastmod>{day}</lastmod>" in sitemap
    raw = (cached / "site" / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(raw[4:8], "little") == EPOCH - EPOCH % 86400  # MkDocs keeps the day
    assert gzip.decompress(raw).decode("utf-8") == sitemap
