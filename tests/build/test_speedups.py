"""``hooks/speedups.py``: each patched internal still has the shape it was written for, and the site
builds to the same bytes with the module removed from ``mkdocs.yml`` (and a chapter's mistake is
still one line).

The shape tests fail when an upgrade of MkDocs, Material, mkdocs-macros, Jinja or watchdog moves
or reshapes what a patch replaces or reads; the patch must then be rewritten for the new version
(or dropped: the book builds the same without it).
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
from pathlib import Path

import pytest

from tests.build.test_malformed import CASES, LOG_LEVELS, copy_book, run_case
from tests.conftest import ROOT, run_mkdocs_build

SPEEDUPS_LINE = "  - hooks/speedups.py\n"


def _load_hook(name: str):
    """A hook module, loaded from its file as MkDocs loads hooks."""
    spec = importlib.util.spec_from_file_location(f"hooks/{name}.py", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _params(fn) -> list[str]:
    return list(inspect.signature(fn).parameters)


# --- the shape of what is patched ------------------------------------------------------------------
def test_mkdocs_macros_collects_git_info_through_the_patched_function():  # mkdocs-macros 1.5.0
    from mkdocs_macros import context

    assert callable(context.get_git_info) and _params(context.get_git_info) == []
    assert "get_git_info()" in inspect.getsource(context.define_env)


def test_page_render_sets_the_fields_the_html_cache_restores():  # MkDocs 1.6.1
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import get_toc

    assert _params(Page.render) == ["self", "config", "files"]
    source = inspect.getsource(Page.render)
    for field in ("self.content", "self.toc", "self._title_from_render", "self.present_anchor_ids"):
        assert field in source, field
    assert "links_to_anchors" in inspect.getsource(Page)
    assert _params(get_toc) == ["toc_tokens"]


def test_search_index_adds_a_page_through_the_patched_method():  # Material 9.8.1
    from material.plugins.search.plugin import SearchIndex

    assert _params(SearchIndex.add_entry_from_context) == ["self", "page"]
    index = SearchIndex(separator=r"[\s\-]+", pipeline=[], lang=["en"])
    assert index.entries == []


def test_jinja_compiles_and_caches_as_the_template_cache_expects():  # Jinja 3.1.6
    from jinja2 import Environment, Template
    from jinja2.bccache import Bucket, BytecodeCache

    assert _params(Environment.from_string) == ["self", "source", "globals", "template_class"]
    assert _params(Template.from_code)[:4] == ["environment", "code", "globals", "uptodate"]
    for name in ("get_bucket", "set_bucket", "get_cache_key", "get_source_checksum", "load_bytecode"):
        assert callable(getattr(BytecodeCache, name)), name
    for name in ("bytecode_from_string", "bytecode_to_string"):
        assert callable(getattr(Bucket, name)), name
    # The cached path renders what the plain path renders.
    speedups = _load_hook("speedups")

    env = Environment()
    bcc = speedups.StoreBytecode(_MemoryStore())
    bucket = bcc.get_bucket(env, "page", None, "{{ 6 * 7 }}")
    bucket.code = env.compile("{{ 6 * 7 }}")
    bcc.set_bucket(bucket)
    again = bcc.get_bucket(env, "page", None, "{{ 6 * 7 }}")
    assert again.code is not None
    assert Template.from_code(env, again.code, env.make_globals(None), None).render() == "42"


class _MemoryStore:
    def __init__(self) -> None:
        self.entries: dict = {}

    def get(self, key):
        return self.entries.get(key)

    def put(self, key, value) -> None:
        self.entries[key] = value


def test_the_live_reload_server_keeps_the_watch_tables_the_patch_rebuilds(tmp_path: Path):  # MkDocs 1.6.1
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers import Observer

    server = LiveReloadServer(lambda: None, "127.0.0.1", 0, str(tmp_path))
    assert isinstance(server._watched_paths, dict) and isinstance(server._watch_refs, dict)
    assert hasattr(server.observer, "unschedule") and hasattr(server.observer, "timeout")
    assert isinstance(server.build_delay, float)
    server.watch(str(tmp_path))
    assert server._watched_paths == {str(tmp_path): 1} and len(server._watch_refs) == 1
    # hooks/serve.py wraps the builder the server calls on each change.
    assert callable(server.builder)
    assert "event_filter" in _params(Observer.schedule)


def test_the_theme_files_are_listed_once_and_as_mkdocs_lists_them(tmp_path: Path):  # MkDocs 1.6.1
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    assert _params(Files.add_files_from_theme) == ["self", "env", "config"]
    assert "env.list_templates(filter_func=" in inspect.getsource(Files.add_files_from_theme)
    speedups = _load_hook("speedups")
    theme = tmp_path / "overrides"
    (theme / "assets").mkdir(parents=True)
    (theme / "assets" / "a.css").write_text("a {}")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# x\n")
    config = load_config(
        config_file=None,
        site_name="t",
        docs_dir=str(docs),
        site_dir=str(tmp_path / "site"),
        theme={"name": "mkdocs", "custom_dir": str(theme)},
    )

    def listing(patched: bool) -> tuple[list[str], int]:
        env, calls, files = config.theme.get_env(), [], Files([])
        real = env.list_templates
        env.list_templates = lambda **kw: calls.append(1) or real(**kw)
        if patched:
            speedups._cached_theme_files.original = Files.add_files_from_theme
            speedups._cached_theme_files(files, env, config)
        else:
            Files.add_files_from_theme(files, env, config)
        return sorted(f.src_uri for f in files), len(calls)

    plain, _ = listing(False)
    assert "assets/a.css" in plain
    assert listing(True) == (plain, 1)
    assert listing(True) == (plain, 0)  # listed once per process
    (theme / "assets" / "b.css").write_text("b {}")  # a new file in a theme folder of the book
    assert listing(True) == (sorted([*plain, "assets/b.css"]), 1)


# --- the same site without it ------------------------------------------------------------------------
def _tree_digest(site: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            h.update(f"{path.relative_to(site).as_posix()} {hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return h.hexdigest()


def without_speedups(book: Path) -> None:
    config = book / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert SPEEDUPS_LINE in text
    config.write_text(text.replace(SPEEDUPS_LINE, ""), encoding="utf-8")


def test_the_site_is_byte_identical_without_speedups(tmp_path: Path):
    fast = copy_book(tmp_path / "fast")
    slow = copy_book(tmp_path / "slow")
    without_speedups(slow)
    digests = []
    for book, name in ((fast, "cold"), (fast, "warm"), (slow, "cold"), (slow, "warm")):
        result = run_mkdocs_build(book / f"site-{name}", cwd=book)
        assert result.returncode == 0, result.stderr[-3000:]
        digests.append(_tree_digest(book / f"site-{name}"))
    assert len(set(digests)) == 1
    kinds = {p.name.split("-")[0] for p in (fast / ".cache" / "pages").glob("*.pickle")}
    assert kinds == {"md", "tpl", "lint", "lintnames", "cite", "exports", "html", "search", "jinja"}
    kinds = {p.name.split("-")[0] for p in (slow / ".cache" / "pages").glob("*.pickle")}
    assert kinds == {"md", "tpl", "lint", "lintnames", "cite", "exports"}


CHAPTER_CASES = [p for p in CASES if "file = 'docs/" in p.read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("good") / "site"
    result = run_mkdocs_build(site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.mark.parametrize("path", CHAPTER_CASES, ids=[p.stem for p in CHAPTER_CASES])
def test_a_chapter_mistake_is_one_line_without_speedups(path: Path, good_site: Path, tmp_path: Path):
    import tomllib

    case = tomllib.loads(path.read_text(encoding="utf-8"))
    out = run_case(path, tmp_path, good_site, prepare=without_speedups)
    assert out.returncode != 0 and "Traceback" not in out.output, out.output[-3000:]
    lines = [line for line in out.output.splitlines() if line.startswith(LOG_LEVELS)]
    assert len(lines) == 1, "\n".join(lines)
    assert all(s in lines[0] for s in case["expect"]), lines[0]
    assert out.site_after == out.site_before
