"""Reproduce bundles: beside each citable chapter, linked from its cite block, and each one recomputes
its chapter's numbers in a fresh virtual environment with only the pins it ships."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_mkdocs_build


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """A published build: with each chapter's reproduce bundle (BOOK_BUNDLES=1, as make build sets it)."""
    site = tmp_path_factory.mktemp("bundled") / "site"
    result = run_mkdocs_build(site, extra_env={"BOOK_BUNDLES": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def _bundles(site: Path) -> dict[str, Path]:
    return {p.parent.relative_to(site).as_posix(): p for p in sorted(site.rglob("reproduce-*.zip"))}


def _numbers(site: Path) -> list[dict]:
    return json.loads((site / "data" / "numbers.json").read_text(encoding="utf-8"))["numbers"]


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory, built_site) -> Path:
    """A new virtual environment with nothing but one bundle's requirements.txt installed."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    some = next(iter(_bundles(built_site).values()))
    with zipfile.ZipFile(some) as zf:
        req = venv / "requirements.txt"
        req.write_bytes(zf.read("requirements.txt"))
    result = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "-r", str(req)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return venv / "bin" / "python"


def _unzip(bundle: Path, dest: Path) -> Path:
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(dest)
    return dest


def test_every_chapter_with_numbers_has_a_bundle_linked_from_its_cite_block(built_site):
    import yaml

    from tests.conftest import ROOT

    pages_with_numbers = {r["page"] for r in _numbers(built_site)}
    bundles = _bundles(built_site)
    assert len([p for p in pages_with_numbers if p.startswith("chapters/")]) == 12
    for src in sorted(pages_with_numbers):
        text = (ROOT / "docs" / src).read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        folder = "." if src == "index.md" else src.removesuffix(".md")
        bundle = bundles[folder]
        assert bundle.name == f"reproduce-{meta['slug']}-{meta['version']}.zip", src
        html = (bundle.parent / "index.html").read_text(encoding="utf-8")
        assert f'href="{bundle.name}" download' in html, src
    assert len(bundles) == len(pages_with_numbers)


def test_a_bundle_holds_only_the_rows_its_numbers_read(built_site, tmp_path):
    bundle = _bundles(built_site)["chapters/kaplan"]
    out = _unzip(bundle, tmp_path / "b")
    import tomllib

    from tests.conftest import ROOT

    models = {m["id"] for m in tomllib.loads((out / "data" / "models.toml").read_text())["models"]}
    every = {m["id"] for m in tomllib.loads((ROOT / "data" / "models.toml").read_text())["models"]}
    expressions = " ".join(r["expression"] for r in json.loads((out / "numbers.json").read_text())["numbers"])
    named = set(re.findall(r"model\('([^']+)'\)", expressions))
    assert named <= models < every  # every model the chapter names, and not the whole book
    assert (out / "macros" / "formulas").is_dir() and (out / "reproduce.py").is_file()


def test_every_bundle_reproduces_its_chapter_in_a_fresh_environment(built_site, fresh_python, tmp_path):
    rows = _numbers(built_site)
    for folder, bundle in _bundles(built_site).items():
        out = _unzip(bundle, tmp_path / folder.replace("/", "-"))
        result = subprocess.run(
            [str(fresh_python), "reproduce.py"], cwd=out, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"{bundle.name}: {result.stdout[-1500:]}{result.stderr[-1500:]}"
        shipped = json.loads((out / "numbers.json").read_text(encoding="utf-8"))["numbers"]
        page = shipped[0]["page"]
        assert shipped == [r for r in rows if r["page"] == page]  # the chapter's part of the site's ledger
        for row in shipped:  # each number, as the page renders it, with its expression
            assert f"{row['text']} [{row['status']}]  = {row['expression']}" in result.stdout


def test_a_plain_build_has_no_bundles_and_no_links(tmp_path):
    site = tmp_path / "site"
    result = run_mkdocs_build(site, extra_env={"BOOK_BUNDLES": ""})
    assert result.returncode == 0, result.stderr[-3000:]
    assert not list(site.rglob("reproduce-*.zip"))
    assert "reproduce-" not in (site / "chapters" / "kaplan" / "index.html").read_text(encoding="utf-8")


def test_a_changed_value_shows_what_follows(built_site, fresh_python, tmp_path):
    out = _unzip(_bundles(built_site)["chapters/differences"], tmp_path / "d")
    models = out / "data" / "models.toml"
    text = models.read_text(encoding="utf-8")
    start = text.index('id = "llama-3-8b"')
    tokens = text.index("[models.tokens]", start)
    value = re.compile(r"(?m)^value = ([0-9.]+)$")
    old = value.search(text, tokens)
    models.write_text(text[: old.start(1)] + str(float(old.group(1)) * 2) + text[old.end(1) :], encoding="utf-8")
    result = subprocess.run([str(fresh_python), "reproduce.py"], cwd=out, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    differing = re.findall(r"(?m)^≠ .*?  = (.+)$", result.stdout)
    assert differing and all("llama-3-8b" in e for e in differing)
    assert any(".tokens" in e or ".train_flops" in e for e in differing)
