"""The build's caches (``.cache/``) never serve anything stale.

Each cache is keyed by a digest of what its content depends on; these tests change one of those
inputs at a time and check that the output follows, and that a warm build publishes exactly the
bytes of a cold one.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import rtoml

from macros import data as data_mod
from macros.data import DataError, load
from tests.conftest import ROOT, run_mkdocs_build


def _tree_digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest)
    return dest


def _set_tokens(models_toml: Path, model_id: str, new_value: str) -> None:
    """Replace the tokens value of one model, by text (as an author would edit it)."""
    text = models_toml.read_text(encoding="utf-8")
    start = text.index(f'id = "{model_id}"')
    m = re.compile(r"tokens = \{ value = ([^,]+),").search(text, start)
    assert m, model_id
    models_toml.write_text(text[: m.start(1)] + new_value + text[m.end(1) :], encoding="utf-8")


# --- the validated-data cache --------------------------------------------------------------------
def test_rtoml_reads_the_data_files_exactly_as_tomllib():
    for path in sorted((ROOT / "data").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert rtoml.loads(text) == tomllib.loads(text), path.name


def test_cached_book_equals_a_freshly_validated_one(data_copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    fresh = load(data_copy)
    first = load(data_copy, cache_dir=cache)
    assert (cache / data_mod.CACHE_FILE).exists()
    again = load(data_copy, cache_dir=cache)
    for book in (first, again):
        assert book.digest and book.digest == first.digest
        for part in ("models", "hardware", "sources", "constants"):
            assert dict(getattr(book, part)) == dict(getattr(fresh, part)), part
    # Read-only as a freshly validated book is.
    with pytest.raises(TypeError):
        again.models["x"] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        next(iter(again.hardware.values())).peak_flop_per_s["fp64"] = None  # type: ignore[index]


def test_one_process_reads_the_book_once_while_data_and_cache_are_unchanged(data_copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = load(data_copy, cache_dir=cache)
    assert load(data_copy, cache_dir=cache) is first  # the macros and the number lint share one read
    os.utime(cache / data_mod.CACHE_FILE, ns=(1, 1))  # the cache file replaced meanwhile: read again
    again = load(data_copy, cache_dir=cache)
    assert again is not first and dict(again.models) == dict(first.models)


def test_a_data_edit_is_seen_through_a_warm_cache(data_copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    before = load(data_copy, cache_dir=cache)
    old = before.models["llama-3-8b"].tokens.value
    _set_tokens(data_copy / "models.toml", "llama-3-8b", "16.5")
    after = load(data_copy, cache_dir=cache)
    assert after.digest != before.digest
    assert after.models["llama-3-8b"].tokens.value == pytest.approx(16.5e12) != old


def test_a_mistake_is_reported_even_with_a_warm_cache(data_copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    load(data_copy, cache_dir=cache)
    _set_tokens(data_copy / "models.toml", "llama-3-8b", '"15"')
    with pytest.raises(DataError, match=r"model 'llama-3-8b', field 'tokens.value': expected a number"):
        load(data_copy, cache_dir=cache)


def test_a_damaged_or_foreign_cache_is_a_miss(data_copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    book = load(data_copy, cache_dir=cache)
    blob = (cache / data_mod.CACHE_FILE).read_bytes()
    # Right key, truncated body.
    (cache / data_mod.CACHE_FILE).write_bytes(blob[: len(blob) // 2])
    assert dict(load(data_copy, cache_dir=cache).models) == dict(book.models)
    # Right key, readable index, damaged models (read only when first used): validated afresh.
    load(data_copy, cache_dir=cache)
    blob = (cache / data_mod.CACHE_FILE).read_bytes()
    head, _, body = blob.partition(b"\n")
    doc = pickle.loads(body)
    doc["models"] = b"not a pickle"
    (cache / data_mod.CACHE_FILE).write_bytes(head + b"\n" + pickle.dumps(doc))
    lazy = load(data_copy, cache_dir=cache)
    assert len(lazy.models) == len(book.models)
    assert dict(lazy.models) == dict(book.models)
    # Another data directory with the same bytes does not read this one's records (they name their files).
    other = tmp_path / "other"
    shutil.copytree(data_copy, other)
    assert load(other, cache_dir=cache).files[0].parent == other


def test_a_warm_load_does_not_import_pydantic(data_copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    load(data_copy, cache_dir=cache)
    probe = (
        "import sys; from macros.data import load; "
        "b = load(sys.argv[1], cache_dir=sys.argv[2]); "
        "print(len(b.models), any(m.split('.')[0] == 'pydantic' for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(data_copy), str(cache)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    n = len(tomllib.loads((data_copy / "models.toml").read_text())["models"])
    assert out.stdout.split() == [str(n), "False"]


# --- figures: an unchanged digest skips planning ---------------------------------------------------
def test_figures_up_to_date_follows_data_code_and_files(data_copy: Path, tmp_path: Path):
    import build_figures

    out = tmp_path / "figures"
    shutil.copytree(ROOT / ".cache" / "figures", out)
    cache = tmp_path / "cache"
    book = load(data_copy, cache_dir=cache)
    build_figures.render_changed(book, jobs=1, quiet=True, out=out)  # may redraw nothing
    assert build_figures.up_to_date(book, out)
    assert not build_figures.up_to_date(load(data_copy), out)  # no digest: no claim
    # A data edit that moves a plotted point.
    _set_tokens(data_copy / "models.toml", "llama-3-8b", "16.5")
    edited = load(data_copy, cache_dir=cache)
    assert not build_figures.up_to_date(edited, out)
    # A published file that went missing.
    svg = next(out.glob("*.svg"))
    svg.unlink()
    assert not build_figures.up_to_date(book, out)


# --- whole builds: page renders, exports, citation text ---------------------------------------------
@pytest.fixture
def book_with_figures(book_copy: Path) -> Path:
    shutil.copytree(ROOT / ".cache" / "figures", book_copy / ".cache" / "figures")
    return book_copy


def _build(book: Path, site: Path) -> dict[str, str]:
    result = run_mkdocs_build(site, cwd=book)
    assert result.returncode == 0, result.stderr[-3000:]
    return _tree_digests(site)


def test_warm_build_publishes_the_bytes_of_a_cold_one_and_follows_edits(book_with_figures: Path, tmp_path: Path):
    book = book_with_figures
    cold = _build(book, tmp_path / "cold")
    # Three caches: validated data, figures, and the page cache with one kind of entry per step.
    # (``js`` is the compiled formulas of hooks/browser_hooks.py, a separate step.)
    assert sorted(p.name for p in (book / ".cache").iterdir() if p.name != "js") == ["data", "figures", "pages"]
    kinds = {p.name.split("-")[0] for p in (book / ".cache" / "pages").glob("*.pickle")}
    assert kinds == {"md", "tpl", "lint", "lintnames", "cite", "exports", "html", "search", "jinja"}
    warm = _build(book, tmp_path / "warm")
    assert warm == cold

    # A data edit reaches the pages, the exports and the ledger through the warm caches.
    _set_tokens(book / "data/models.toml", "llama-3-8b", "16.5")
    edited_site = tmp_path / "edited"
    edited = _build(book, edited_site)
    changed = {k for k in cold if edited.get(k) != cold[k]}
    assert {"data/models.json", "data/models.csv", "data/numbers.json"} <= changed
    row = next(
        r for r in json.loads((edited_site / "data/models.json").read_text())["models"] if r["id"] == "llama-3-8b"
    )
    assert row["inputs"]["tokens"]["value"] == pytest.approx(16.5e12)
    assert ">16.5 T<" in (edited_site / "appendix/data/index.html").read_text()

    # An edit to an included partial (not a page, not data) reaches the pages that include it.
    partial = next((book / "includes").rglob("*.md"))
    marker = "Cachebustingsentinel"
    partial.write_text(partial.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
    included = _build(book, tmp_path / "included")
    assert any(marker in p.read_text(encoding="utf-8") for p in (tmp_path / "included").rglob("*.html"))
    assert included != edited


def test_page_cache_keeps_only_the_last_build(book_with_figures: Path, tmp_path: Path):
    book = book_with_figures
    _build(book, tmp_path / "a")
    pages = sorted((book / ".cache" / "pages").glob("md-*.pickle"))
    _set_tokens(book / "data/models.toml", "llama-3-8b", "16.5")
    _build(book, tmp_path / "b")
    after = sorted((book / ".cache" / "pages").glob("md-*.pickle"))
    assert len(after) == len(pages) and not set(after) & set(pages)


# --- the HTML cache (hooks/speedups.py) -------------------------------------------------------------
def test_links_to_a_removed_anchor_fail_even_when_the_linking_page_is_cached(book_with_figures: Path, tmp_path: Path):
    book = book_with_figures
    _build(book, tmp_path / "a")
    assert any((book / ".cache" / "pages").glob("html-*.pickle"))
    target = book / "docs/chapters/parameters.md"
    target.write_text(target.read_text(encoding="utf-8").replace("{ #growth }", "{ #renamed }"), encoding="utf-8")
    result = run_mkdocs_build(tmp_path / "b", cwd=book)  # eras.md, unchanged and cached, links to #growth
    assert result.returncode == 1
    assert "chapters/eras.md" in result.stderr and "'#growth'" in result.stderr.replace("anchor 'growth'", "'#growth'")


def test_a_page_whose_conversion_warned_is_converted_again(book_with_figures: Path, tmp_path: Path):
    book = book_with_figures
    page = book / "docs/chapters/moe.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nSee [nowhere](no-such-page.md).\n", encoding="utf-8")
    for site in ("a", "b"):  # the config is strict: each build fails, and must warn both times
        result = run_mkdocs_build(tmp_path / site, cwd=book)
        assert result.returncode == 1
        assert "contains a link 'no-such-page.md'" in result.stderr, site


def test_pages_cannot_depend_on_the_state_of_the_git_checkout(book_copy: Path, tmp_path: Path):
    """mkdocs-macros offers git metadata to pages; the book withdraws it (macros.bridge), with or without speedups."""
    page = book_copy / "docs/chapters/moe.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nBuilt from {{ git.short_commit }}.\n", encoding="utf-8")
    shutil.copytree(ROOT / ".cache" / "figures", book_copy / ".cache" / "figures")
    result = run_mkdocs_build(tmp_path / "site", cwd=book_copy)
    assert result.returncode != 0
    errors = [ln for ln in result.stderr.splitlines() if "docs/chapters/moe.md:" in ln]
    assert len(errors) == 1 and "'git' is undefined" in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def test_a_build_whose_pages_all_come_from_the_cache_loads_no_words_charts_or_sandbox(
    book_with_figures: Path, tmp_path: Path
):
    """The words, the derive layer, the page sandbox and the chart modules are imported when a page
    must be rendered or a chart planned; a build that renders nothing does not pay for them."""
    _build(book_with_figures, tmp_path / "cold")
    heavy = ("macros.vocab", "macros.guard", "macros.derive", "macros.formulas", "figures.charts", "jinja2.sandbox")
    probe = (
        "import sys\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        f"cfg = load_config('mkdocs.yml', site_dir={str(tmp_path / 'warm')!r})\n"
        "cfg.plugins.on_startup(command='build', dirty=False)\n"
        "build(cfg)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({heavy!r}) or m == 'matplotlib'))\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=book_with_figures, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
    # And an edited page brings them back: the words are bound when a page first needs them.
    page = book_with_figures / "docs/chapters/differences.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", probe], cwd=book_with_figures, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "macros.vocab" in out.stdout and "jinja2.sandbox" in out.stdout
