"""What a page may read: snippets checked before pymdownx.snippets runs, and no link out of the repository.

``hooks/page_checks.py`` finds a snippet the extension would fail on and names page and line;
the parity test runs the extension itself on the same texts, so the pre-check cannot drift from
what it guards. ``hooks/repo_files.py`` refuses symbolic links that leave the repository.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import markdown
import pytest

from tests.conftest import ROOT


def _hook(name: str):
    """A hook module, loaded from its file as MkDocs loads hooks."""
    spec = importlib.util.spec_from_file_location(f"hooks/{name}.py", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


page_checks = _hook("page_checks")
repo_files = _hook("repo_files")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    inc = tmp_path / "book" / "includes"
    (inc / "sub").mkdir(parents=True)
    (inc / "a.md").write_text("alpha\n")
    (inc / "nest.md").write_text('one\n--8<-- "gone.md"\n')
    (inc / "self.md").write_text('--8<-- "self.md"\n')
    (inc / "sec.md").write_text("--8<-- [start:intro]\nhello\n--8<-- [end:intro]\n")
    (inc / "latin.md").write_bytes("caf\xe9\n".encode("latin-1"))
    (tmp_path / "book" / "secret.md").write_text("secret\n")
    return inc


def _settings(inc: Path) -> dict:
    return {"base_path": [str(inc)], "restrict_base_path": True, "check_paths": True, "url_download": False}


def _problem(text: str, inc: Path) -> tuple[int, str] | None:
    try:
        page_checks.check_snippets(text, _settings(inc))
    except page_checks.SnippetProblem as exc:
        return exc.line, str(exc)
    return None


def test_a_missing_snippet_is_named_with_its_line_and_where_it_was_looked_for(base: Path):
    line, message = _problem('# Title\n\ntext\n--8<-- "nope.md"\n', base)
    assert line == 4 and message == f"snippet 'nope.md' not found (looked in {base}/)"


def test_a_path_that_climbs_out_of_the_base_is_refused_not_missing(base: Path):
    # ../secret.md exists, one folder above includes/: the extension refuses it all the same.
    assert (base.parent / "secret.md").exists()
    for path in ("../secret.md", "../../../../../../etc/passwd", "sub/../../secret.md"):
        line, message = _problem(f'--8<-- "{path}"\n', base)
        assert line == 1 and message.startswith(f"snippet {path!r} refused: it leads outside the folders"), message


def test_block_form_escapes_and_comments(base: Path):
    assert _problem("--8<--\na.md\n\n;ignored.md\n--8<--\n", base) is None
    assert _problem(';--8<-- "nope.md"\n', base) is None  # escaped: printed as text
    assert _problem("--8<--\na.md\nmissing.md\n--8<--\n", base)[0] == 3


def test_nested_files_sections_folders_and_encodings(base: Path):
    line, message = _problem('x\n--8<-- "nest.md"\n', base)
    assert line == 2 and message.startswith(
        f"{page_checks._shown(str(base / 'nest.md'))}:2: snippet 'gone.md' not found"
    )
    assert _problem('--8<-- "self.md"\n', base) is None  # a file that includes itself is skipped, not a loop
    assert _problem('--8<-- "sec.md:intro"\n', base) is None
    assert "has no section 'outro'" in _problem('--8<-- "sec.md:outro"\n', base)[1]
    assert _problem('--8<-- "a.md:1:2"\n', base) is None  # a line range, not a section
    assert "is a folder" in _problem('--8<-- "sub"\n', base)[1]
    assert "not valid UTF-8" in _problem('--8<-- "latin.md"\n', base)[1]


PARITY = [
    '--8<-- "a.md"\n',
    '--8<-- "nope.md"\n',
    '--8<-- "../secret.md"\n',
    "--8<--\na.md\nmissing.md\n--8<--\n",
    ';--8<-- "nope.md"\n',
    'x\n--8<-- "nest.md"\n',
    '--8<-- "sec.md:intro"\n',
    '--8<-- "sec.md:outro"\n',
    '```\n--8<-- "nope.md"\n```\n',  # the extension reads fenced code too
]


@pytest.mark.parametrize("text", PARITY)
def test_the_pre_check_fails_exactly_where_the_extension_would(text: str, base: Path):
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": _settings(base)})
    try:
        md.convert(text)
        extension_failed = False
    except Exception:  # noqa: BLE001 - SnippetMissingError, or what a folder or bad bytes raise
        extension_failed = True
    assert (_problem(text, base) is not None) == extension_failed


def test_links_that_leave_the_repository_are_named_with_their_target(tmp_path: Path):
    root = tmp_path / "repo"
    docs = root / "docs"
    (docs / "assets").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "x.toml").write_text("")
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours")

    def first_problem() -> str | None:
        return repo_files.scan([docs], root)

    assert first_problem() is None
    (docs / "assets" / "ok.toml").symlink_to("../../data/x.toml")  # inside the repository: allowed
    assert first_problem() is None
    (docs / "assets" / "out.txt").symlink_to(outside)
    assert first_problem() == (
        f"docs/assets/out.txt: a symbolic link to {outside}, outside the repository; {repo_files.ADVICE}"
    )
    (docs / "assets" / "out.txt").unlink()
    (docs / "assets" / "dir").symlink_to(os.path.relpath(tmp_path, docs / "assets"))
    assert first_problem().startswith(f"docs/assets/dir: a symbolic link to ../../.. (that is {tmp_path.resolve()})")
    (docs / "assets" / "dir").unlink()
    (docs / "assets" / "gone").symlink_to("nowhere")
    assert first_problem() == "docs/assets/gone: a symbolic link to nowhere, which does not exist; remove the link"
    (docs / "assets" / "gone").unlink()
    (root / ".git").mkdir()
    (docs / "assets" / "git").symlink_to("../../.git")
    assert "inside .git" in first_problem()
    (docs / "assets" / "git").unlink()
    (docs / "assets" / "up").symlink_to("..")
    assert "a folder that contains the link" in first_problem()
    (docs / "assets" / "up").unlink()
    # A link to a folder inside the repository is followed: a link out of that folder is found.
    (docs / "assets" / "data").symlink_to("../../data")
    (root / "data" / "leak.txt").symlink_to(outside)
    assert first_problem().startswith("docs/assets/data/leak.txt: a symbolic link to")
