"""Generated hostile data as real builds: each stops with one line, or publishes the string only as text.

The cases come from the strategies of ``tests/unit/hostile_strategies.py`` (derandomised: the same
cases on every run). Refused ones (a control, bidirectional or zero-width character in a string, a
key that is not an id, a negative, infinite or NaN constant) must stop ``scripts/build_site.py`` as the
corpus of ``tests/malformed/`` does: non-zero exit, exactly one error line naming the data file and
the field, no traceback, the previous ``site/`` untouched. Accepted hostile strings (markup, quotes,
templates, math) in several fields at once must build a site where no page holds them as markup.
The loader meets many more generated cases in ``tests/unit/test_data_generated.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.build.test_hostile import MARK, Walker, without_number_lint
from tests.build.test_malformed import CASES, LOG_LEVELS, copy_book, make_book, tree_digest
from tests.unit.hostile_strategies import (
    FRAGMENTS,
    TEXT_FIELDS,
    Edit,
    has_refused,
    hostile_key,
    hostile_text,
    toml_number,
    toml_string,
    valid_id,
)

REFUSED_BUILDS = 12
PUBLISHED_BUILDS = 2
FILES = tuple(TEXT_FIELDS)


def draw(strategy: st.SearchStrategy, n: int) -> list:
    """``n`` examples of ``strategy``, the same on every run."""
    found: list = []

    @settings(max_examples=n * 3, derandomize=True, database=None, deadline=None)
    @given(strategy)
    def collect(example) -> None:
        if len(found) < n and example not in found:
            found.append(example)

    collect()
    assert len(found) == n
    return found


refused_text = st.builds(
    lambda f, i, t: (Edit(f, "text", toml_string(t)), i), st.sampled_from(FILES), st.integers(0, 400),
    hostile_text.filter(has_refused),
)  # fmt: skip
refused_key = st.builds(
    lambda f, i, k: (Edit(f, "key", toml_string(k)), i), st.sampled_from(FILES), st.integers(0, 400),
    hostile_key.filter(lambda k: not valid_id(k)),
)  # fmt: skip
refused_constant = st.builds(
    lambda i, v: (Edit("constants.toml", "number", toml_number(v)), i), st.integers(0, 400),
    st.one_of(st.floats(max_value=-1e-9), st.sampled_from([float("inf"), float("-inf"), float("nan")])),
)  # fmt: skip
REFUSED = draw(refused_text, 5) + draw(refused_key, 4) + draw(refused_constant, 3)
# Accepted strings: markup, quotes and templates with a mark, put into ten places across the files.
PUBLISHED = [
    [(Edit(FILES[(k + j) % 4], "text", toml_string(f"{MARK}-gen{k}-{j} {text}")), 7 * j + k) for j in range(10)]
    for k, text in enumerate(draw(hostile_text.filter(lambda t: not has_refused(t)).map(lambda t: t + FRAGMENTS[0]), 2))
]


def apply(book: Path, edits: list[tuple[Edit, int]]) -> None:
    for edit, index in edits:
        path = book / "data" / edit.file
        text, applied = edit.apply(path.read_text(encoding="utf-8"), index)
        assert applied, edit
        path.write_text(text, encoding="utf-8")


def build(book: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "scripts/build_site.py"], cwd=book, env=env, capture_output=True, text=True, timeout=600
    )


def refused_outcome(k: int, workdir: Path, good_site: Path) -> tuple[subprocess.CompletedProcess, str, str]:
    book = make_book(workdir / f"refused-{k}", good_site)
    apply(book, [REFUSED[k]])
    before = tree_digest(book / "site")
    return build(book), before, tree_digest(book / "site")


def published_outcome(k: int, workdir: Path) -> tuple[subprocess.CompletedProcess, Path]:
    book = copy_book(workdir / f"published-{k}")
    (book / "citations.lock.json").unlink(missing_ok=True)  # the data changed on purpose: no drafts to compare
    without_number_lint(book)  # a poisoned model name no longer matches the prose that names it
    apply(book, PUBLISHED[k])
    return build(book), book / "site"


@pytest.fixture(scope="module")
def outcomes(built_site: Path, tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("generated")
    with ThreadPoolExecutor(max_workers=2) as pool:
        published = [pool.submit(published_outcome, k, workdir) for k in range(PUBLISHED_BUILDS)]
        refused = [pool.submit(refused_outcome, k, workdir, built_site) for k in range(REFUSED_BUILDS)]
        return {"refused": [f.result() for f in refused], "published": [f.result() for f in published]}


def test_the_hostile_corpus_has_at_least_120_real_builds():
    """Issue 13: at least 120 cases, each a real build (the corpus files and the generated builds)."""
    assert len(CASES) + len(REFUSED) + len(PUBLISHED) >= 120
    assert len(REFUSED) == REFUSED_BUILDS and len(PUBLISHED) == PUBLISHED_BUILDS


@pytest.mark.parametrize("k", range(REFUSED_BUILDS))
def test_a_generated_refused_value_stops_the_build_with_one_line(k: int, outcomes: dict):
    result, before, after = outcomes["refused"][k]
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{REFUSED[k]}: the build succeeded"
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in output.splitlines() if line.startswith(LOG_LEVELS)]
    assert len(lines) == 1, "\n".join(lines)
    assert re.search(r"data/(models|hardware|sources|constants)\.toml: .*field '", lines[0]), lines[0]
    assert after == before, "a failed build changed the previous site/"


@pytest.mark.parametrize("k", range(PUBLISHED_BUILDS))
def test_a_generated_accepted_string_is_published_only_as_text(k: int, outcomes: dict):
    result, site = outcomes["published"][k]
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    problems, shown = [], 0
    for page in sorted(site.rglob("*.html")):
        walker = Walker()
        walker.feed(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(site)}: {p}" for p in walker.problems]
        shown += "".join(walker.text).count(f"{MARK}-gen{k}-")
    assert not problems, "\n".join(problems[:20])
    assert shown > 0, "the generated strings should be visible as text"
