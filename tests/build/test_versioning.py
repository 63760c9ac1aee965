"""Citable versions: the citation lock, drafts, the changelog, and two releases deployed with mike.

The end-to-end test works in a throwaway git repository holding a copy of the book: it deploys
release 1.0 to the local gh-pages branch, changes one data value, sees the build show the
chapters that show it as drafts while the lock and the deploy refuse until they are bumped,
deploys 1.1, and reads both frozen copies back from the branch. No network: mike only commits
locally.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from macros import cite, citelock
from scripts import citations
from tests.conftest import ROOT, run_mkdocs_build

EXPR = "model('llama-3-8b').tokens"
PLACEHOLDER = "https://llm-book.example.org/"  # an address `make deploy` refuses
HOST = "https://books.llm-scale.org/"  # a real-looking address for the test's releases (never fetched)


def _record(version: str, numbers: dict[str, str], text: str = "t") -> dict:
    return citelock.page_record("chapters/x.md", "chapters/x/", "X", version, text, {}, numbers)


# --- units: no build ---------------------------------------------------------------------------


def test_same_content_same_version_is_not_a_change():
    a = {"x": _record("1.0", {"n": "15 T"})}
    assert citelock.compare(a, json.loads(json.dumps(a))) == []


def test_changed_number_without_bump_is_named_with_old_and_new():
    old = {"x": _record("1.0", {"n": "15 T", "m": "2×"})}
    new = {"x": _record("1.0", {"n": "16 T", "m": "2×"})}
    [change] = citelock.compare(old, new)
    assert change.unbumped
    assert change.numbers == [("n", "15 T", "16 T")]
    message = citelock.unbumped_message(change)
    assert "'x'" in message and "kept version 1.0" in message and "n: 15 T → 16 T" in message


def test_prose_edit_alone_also_needs_a_bump():
    [change] = citelock.compare({"x": _record("1.0", {}, "old words")}, {"x": _record("1.0", {}, "new words")})
    assert change.unbumped and change.text_changed and "text changed" in citelock.describe_numbers(change)


def test_bumped_change_is_allowed_and_listed_in_the_changelog():
    r1 = {"x": _record("1.0", {"n": "15 T"})}
    r2 = {"x": _record("1.1", {"n": "16 T"})}
    [change] = citelock.compare(r1, r2)
    assert not change.unbumped
    text = citelock.changelog_markdown([("1.0", r1), ("1.1", r2)], lambda src: None)
    assert text.index("## Release 1.1") < text.index("## Release 1.0")
    assert "version 1.0 → 1.1" in text and "`n`: 15 T → 16 T" in text


def test_changelog_without_release_says_so():
    assert "No release" in citelock.changelog_markdown([], lambda src: None)


def test_next_version_and_front_matter_bump():
    assert citations.next_version("1.0") == "1.1"
    assert citations.next_version("1.9") == "1.10"
    assert citations.next_version("2") == "3"
    text = '---\ntitle: A\nversion: "1.0"\ndate: 2026-01-02\n---\n\nversion: "1.0" stays in the body\n'
    out = citations.bump_front_matter(text, "1.1", "2026-02-03")
    assert out == '---\ntitle: A\nversion: "1.1"\ndate: 2026-02-03\n---\n\nversion: "1.0" stays in the body\n'


def test_citation_formats_carry_chapter_version_release_and_permanent_url():
    meta = {
        "title": "T & U",
        "slug": "t",
        "version": "1.2",
        "date": "2026-03-04",
        "authors": ["Ada Lovelace", "X Team"],
    }
    c = cite.chapter_citation(meta, "chapters/t/", "Book", "https://h.example/book", "2.0")
    assert c["url"] == "https://h.example/book/2.0/chapters/t/"
    assert "chapter version 1.2" in c["plain"] and "release 2.0" in c["plain"]
    assert 'author    = "Ada Lovelace and {X Team}"' in c["bibtex"]
    assert 'title     = "{T \\& U}"' in c["bibtex"]
    [csl] = json.loads(c["csl_json"])
    assert csl["author"] == [{"family": "Lovelace", "given": "Ada"}, {"literal": "X Team"}]
    assert csl["issued"] == {"date-parts": [[2026, 3, 4]]} and csl["version"] == "1.2"
    assert csl["URL"] == c["url"]


def test_a_preview_and_a_draft_cite_no_permanent_url():
    meta = {"title": "T", "slug": "t", "version": "1.2", "date": "2026-03-04", "authors": ["A"]}
    preview = cite.chapter_citation(meta, "chapters/t/", "Book", "https://h.example/book", None)
    assert preview["url"] == "" and "h.example" not in preview["plain"] + preview["bibtex"] + preview["csl_json"]
    assert "local preview (not a release)" in preview["plain"] and not preview["draft"]
    draft = cite.chapter_citation(meta, "chapters/t/", "Book", "https://h.example/book", None, "t.md", "1.3")
    assert draft["draft"] and draft["version"] == "1.3"
    assert "chapter version 1.3, draft" in draft["plain"] and "url" not in draft["bibtex"]
    assert "URL" not in json.loads(draft["csl_json"])[0]


def test_placeholder_base_urls_are_recognised():
    for url in (
        "https://llm-book.example.org/",
        "https://example.com",
        "http://example.net/book/",
        "http://localhost:8000/",
        "http://127.0.0.1:8000/",
        "https://book.test/",
        "",
        "not a url",
    ):
        assert cite.placeholder_url(url), url
    for url in ("https://llm-book.org/", "https://books.example-press.com/llm/", "https://user.github.io/book/"):
        assert not cite.placeholder_url(url), url


def test_change_lines_are_what_what_changed_prints_and_the_draft_note_lists():
    old = {
        "x": citelock.page_record(
            "x.md", "x/", "X", "1.0", "a", {"figures/f.svg": "1", "figures/f-dark.svg": "2"}, {"n": "15 T"}
        )
    }
    new = {
        "x": citelock.page_record(
            "x.md", "x/", "X", "1.0", "b", {"figures/f.svg": "3", "figures/f-dark.svg": "4"}, {"n": "16 T"}
        )
    }
    [change] = citelock.compare(old, new)
    assert [str(line) for line in citelock.change_lines(change)] == ["n: 15 T → 16 T", "figure figures/f.svg redrawn"]
    assert citelock.draft_version(change) == "1.1"
    bumped = {"x": {**new["x"], "version": "1.4"}}
    assert citelock.draft_version(citelock.compare(old, bumped)[0]) == "1.4"


def test_release_refusal_names_drafts_unversioned_pages_and_an_unrecorded_version():
    locked = {"x": _record("1.0", {"n": "15 T"})}
    assert citelock.release_refusal("2.0", locked, locked, []) == ""
    draft = citelock.release_refusal("2.0", locked, {"x": _record("1.0", {"n": "16 T"})}, [])
    assert draft.startswith("refusing to release 2.0: chapters that changed")
    assert "x (docs/chapters/x.md, version 1.0)" in draft and "\n" not in draft
    unversioned = citelock.release_refusal("2.0", locked, locked, ["chapters/y.md"])
    assert "docs/chapters/y.md" in unversioned and "drafts" not in unversioned
    stale = citelock.release_refusal("2.0", locked, {"x": _record("1.1", {"n": "16 T"})}, [])
    assert "x 1.0 → 1.1" in stale and "make lock" in stale
    # Two problems: two lines, each of which says on its own what is refused and why.
    both = citelock.release_refusal("2.0", locked, {"x": _record("1.0", {"n": "16 T"})}, ["chapters/y.md"])
    lines = both.splitlines()
    assert len(lines) == 2 and all(line.startswith("refusing to release 2.0: ") for line in lines)
    assert "without a version" in lines[0] and "drafts" in lines[1]


def test_a_version_is_two_whole_numbers_and_never_goes_back():
    assert citelock.version_key("1.2") == (1, 2) and citelock.version_key("0.10") == (0, 10)
    for bad in ("1.0.0.0", "v1", "1", "1.", ".1", "01.2", "1.02", "1.2 ", "1,2", "１.２", 1.2, None):
        assert citelock.version_key(bad) is None, bad
    # 1.10 comes after 1.9 (numbers, not text).
    assert citelock.version_key("1.10") > citelock.version_key("1.9")

    def problem(meta: dict, locked: str | None = None, lock: bool = True, written: str = "") -> str | None:
        return citelock.version_problem("docs/t.md:4", meta, locked, lock, written)

    assert problem({"version": "1.2"}, "1.2") is None
    assert problem({"version": "1.10"}, "1.9") is None  # up, by numbers
    assert problem({"version": "2.0"}, "1.9") is None
    assert problem({}, None, lock=False) is None  # no lock yet: every page is new
    missing = problem({}, "1.2")
    assert missing.startswith("docs/t.md:4: front matter field 'version' is missing") and 'version: "1.2"' in missing
    assert "every page needs one" in problem({"version": None}, None)
    assert "'1.0.0.0'; it must be two whole numbers joined by a dot" in problem({"version": "1.0.0.0"})
    assert "'v1'; it must be" in problem({"version": "v1"}, lock=False)  # a bad version is bad without a lock too
    assert "is 1.10 without quotes" in problem({"version": 1.1}, written="1.10")
    back = problem({"version": "1.9"}, "1.10")
    assert "'1.9', lower than version 1.10" in back and 'use "1.10" or higher' in back
    assert citelock.locked_version({"a": _record("1.3", {})}, "renamed", "chapters/x.md") == "1.3"  # by its file
    assert citelock.locked_version({"a": _record("1.3", {})}, "b", "chapters/y.md") is None


def test_unquoted_version_is_one_clear_error():
    meta = {"title": "T", "slug": "t", "version": 1.1, "date": "2026-03-04", "authors": ["A"]}
    try:
        cite.chapter_citation(meta, "t/", "Book", "https://h.example/", None, "chapters/t.md")
    except cite.MacroError as exc:
        assert str(exc).startswith("docs/chapters/t.md: front matter field 'version' must be a quoted string")
    else:
        raise AssertionError("no error")


def test_cite_block_on_every_page_of_the_real_book(built_site: Path):
    pages = json.loads((built_site / "data/citations.json").read_text())["chapters"]
    assert {"home", "differences", "anatomy", "methods"} <= set(pages)
    for rec in pages.values():
        page = (built_site / rec["url"] / "index.html").read_text()
        assert page.count('class="book-cite"') == 1, rec["url"]
        cite_block = page[page.index('class="book-cite"') :]
        # A local build is a preview: it says so and links no permanent URL (there is none yet).
        assert "local preview" in cite_block and "development build" not in page
        assert 'class="book-cite__url"' not in cite_block and "/latest/" not in cite_block, rec["url"]


# --- end to end: two releases in a temporary git repository -------------------------------------


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    env.pop("MIKE_DOCS_VERSION", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _tool(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "scripts/citations.py", *args], repo)


def _show(repo: Path, path: str) -> str:
    result = _run(["git", "show", f"gh-pages:{path}"], repo)
    assert result.returncode == 0, result.stderr
    return html.unescape(result.stdout)


def _set_tokens(models_toml: Path, model_id: str, value: float) -> None:
    text = models_toml.read_text()
    start = text.index(f'id = "{model_id}"')
    end = text.find("[[models]]", start)
    block = text[start : end if end != -1 else len(text)]
    new_block, n = re.subn(r"(?m)^tokens = \{ value = [0-9.e+]+", f"tokens = {{ value = {value}", block, count=1)
    assert n == 1
    models_toml.write_text(text[:start] + new_block + text[start + len(block) :])


def _set_address(repo: Path, url: str) -> None:
    """Point ``site_url`` and ``extra.book_base_url`` at ``url``."""
    path = repo / "mkdocs.yml"
    path.write_text(re.sub(r"(?m)^(site_url|  book_base_url): \S+", rf"\1: {url}", path.read_text()))


def test_two_releases_stay_frozen_and_cite_themselves(book_copy: Path):
    repo = book_copy
    (repo / "scripts").mkdir()
    for name in ("__init__.py", "citations.py", "make_pdf.py", "build_site.py", "reproduce.py"):
        shutil.copy2(ROOT / "scripts" / name, repo / "scripts" / name)
    for name in ("CITATION.cff", "constraints.txt"):  # the cover's citation; the reproduce bundles' pins
        shutil.copy2(ROOT / name, repo / name)
    if (ROOT / ".cache/figures").exists():  # rendered figures are keyed on their inputs: reuse them
        shutil.copytree(ROOT / ".cache/figures", repo / ".cache/figures")
    (repo / ".gitignore").write_text("site/\n.cache/\n__pycache__/\n")
    # A book that has never been released: every chapter at version 1.0, whatever the repository's
    # chapters are at now (bumping them is ordinary work and must not break this test).
    for md in (repo / "docs").rglob("*.md"):
        text = md.read_text()
        if text.startswith("---\n"):
            md.write_text(re.sub(r'(?m)^version: "[^"]*"$', 'version: "1.0"', text, count=1))
    for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "book"]):
        assert _run(cmd, repo).returncode == 0

    # Release 1.0, once the book has an address: a placeholder base URL is refused first.
    assert not (repo / "citations.lock.json").exists()
    result = _tool(repo, "lock")
    assert result.returncode == 0, result.stderr
    lock_1 = json.loads((repo / "citations.lock.json").read_text())["chapters"]
    old_text = lock_1["differences"]["numbers"][EXPR]
    _set_address(repo, PLACEHOLDER)
    result = _tool(repo, "deploy", "1.0")
    assert result.returncode != 0 and "extra.book_base_url" in result.stderr and "placeholder" in result.stderr
    assert not (repo / "releases/1.0.lock.json").exists()
    _set_address(repo, HOST)
    assert _run(["git", "commit", "-qam", "address"], repo).returncode == 0
    result = _tool(repo, "deploy", "1.0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (repo / "releases/1.0.lock.json").exists()

    # A data edit that the "differences" chapter shows: the build shows it at once, as a draft of 1.1.
    _set_tokens(repo / "data/models.toml", "llama-3-8b", 16)
    result = run_mkdocs_build(repo / "site-check", cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    draft = html.unescape((repo / "site-check/chapters/differences/index.html").read_text())
    assert "Draft of version 1.1" in draft and f"{EXPR}</code>: {old_text} → " in draft
    # A release build of the same sources (what mike runs) fails, naming the chapter.
    result = run_mkdocs_build(repo / "site-release", cwd=repo, extra_env={"MIKE_DOCS_VERSION": "1.1"})
    assert result.returncode != 0
    assert "differences (docs/chapters/differences.md, version 1.0)" in result.stderr
    # And so does the deploy, before mike is asked for anything.
    result = _tool(repo, "deploy", "1.1")
    assert result.returncode != 0 and "differences (docs/chapters/differences.md, version 1.0)" in result.stderr
    assert not (repo / "releases/1.1.lock.json").exists()

    # What changed, before anything is bumped.
    result = _tool(repo, "what-changed")
    assert result.returncode == 1
    assert "differences (docs/chapters/differences.md): CHANGED, still version 1.0: a draft of 1.1" in result.stdout
    changed = re.findall(r"^(\S+) \(docs/(\S+)\): CHANGED", result.stdout, re.M)
    new_text = re.search(rf"^    {re.escape(EXPR)}: {re.escape(old_text)} → (.+)$", result.stdout, re.M).group(1)
    assert new_text != old_text

    # Bump every other changed page by hand: the lock still refuses, for "differences" alone.
    for slug, src in changed:
        if slug != "differences":
            path = repo / "docs" / src
            text = path.read_text()
            current = re.search(r'(?m)^version: "?([^"\n]+?)"?$', text).group(1)
            path.write_text(citations.bump_front_matter(text, citations.next_version(current), "2026-12-01"))
    result = _tool(repo, "lock")
    assert result.returncode == 1
    assert "chapter 'differences'" in result.stderr and "refusing" in result.stderr
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("chapter '")] == [
        ln for ln in result.stderr.splitlines() if ln.startswith("chapter 'differences'")
    ]

    # Bump it, lock, release 1.1.
    assert _tool(repo, "bump").returncode == 0
    assert 'version: "1.1"' in (repo / "docs/chapters/differences.md").read_text()
    result = _tool(repo, "lock")
    assert result.returncode == 0, result.stderr
    result = _tool(repo, "deploy", "1.1")
    assert result.returncode == 0, result.stderr[-3000:]

    # The selector's list, and each frozen copy with its own number and its own citation.
    versions = json.loads(_show(repo, "versions.json"))
    assert {v["version"] for v in versions} == {"1.0", "1.1"}
    assert next(v for v in versions if v["version"] == "1.1")["aliases"] == ["latest"]
    old_copy = _show(repo, "1.0/chapters/differences/index.html")
    new_copy = _show(repo, "1.1/chapters/differences/index.html")
    assert f">{old_text}<" in old_copy and f">{new_text}<" not in old_copy
    assert f">{new_text}<" in new_copy and new_copy.count(f">{old_text}<") < old_copy.count(f">{old_text}<")
    for release, page in (("1.0", old_copy), ("1.1", new_copy)):
        assert f'href="{HOST}{release}/chapters/differences/"' in page
        assert f"Version <strong>{release}</strong> of this chapter" in page  # its front matter: 1.0, then 1.1
        assert f"release {release} of the book" in page
        assert f'<link rel="canonical" href="{HOST}latest/chapters/differences/">' in page
        assert "book-draft" not in page
    assert f">{new_text}<" in _show(repo, "latest/chapters/differences/index.html")

    # Each release carries its own PDF edition, linked from its pages (tests/build/test_pdf.py reads one).
    for release in ("1.0", "1.1"):
        assert _run(["git", "cat-file", "-e", f"gh-pages:{release}/book-{release}.pdf"], repo).returncode == 0
        page = _show(repo, f"{release}/chapters/differences/index.html")
        assert f'href="../../book-{release}.pdf" download>Download this release as PDF</a>' in page

    # The changelog of 1.1, generated from the two release locks.
    changelog = _show(repo, "1.1/changelog/index.html")
    assert "Release 1.1" in changelog and "Release 1.0" in changelog
    assert f"<code>{EXPR}</code>: {old_text} → {new_text}" in changelog
    changelog_1 = _show(repo, "1.0/changelog/index.html")
    assert "Release 1.0" in changelog_1 and "Release 1.1" not in changelog_1


def test_citation_cff_has_the_required_fields():
    # Full validation: `cffconvert --validate` (not a test dependency); here the CFF 1.2.0 required keys.
    import yaml

    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert doc["cff-version"] == "1.2.0"
    assert doc["message"] and doc["title"] and doc["type"] in {"software", "dataset"}
    assert all(("name" in a) or ("family-names" in a) for a in doc["authors"])
    assert doc["url"].startswith("https://")
