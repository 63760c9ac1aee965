"""MkDocs hooks: the few things mkdocs-macros cannot do. Kept thin on purpose.

1. Under ``mkdocs serve``, drop the book's modules from ``sys.modules`` before each build
   so that edits to ``macros/``, ``figures/`` and ``build_figures.py`` take effect without a restart.
2. Render the figures whose inputs changed (``build_figures``), into a git-ignored cache
   outside ``docs/`` so that serve never rebuilds in a loop, and add them to the site.
3. Turn TeX math (kept verbatim by ``pymdownx.arithmatex``) into MathML at build time:
   no JavaScript and no CDN. Math that does not parse stops the build, naming page and line.
4. An author's mistake in a page (not UTF-8, front matter that is not YAML) stops the build
   with one line naming the page, where MkDocs would print a traceback or skip it silently;
   MkDocs' own extra "Error reading page 'x':" line before such an error is dropped.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
OWN_MODULES = ("macros", "figures", "build_figures")


# A build allocates a few hundred thousand small objects and frees few cycles; with the
# default threshold (700) the cyclic collector ran ~200 times per build (~10 % of its time).
GC_THRESHOLD = (100_000, 50, 1000)


# Under `mkdocs serve` each rebuild loads this hook afresh, so what must outlive one build
# lives in the environment of the serving process.
SERVING = "BOOK_SERVING"
SOURCES_STAMP = "BOOK_SOURCES_STAMP"
FIGURES_PID = "BOOK_FIGURES_PID"


def _sources_stamp() -> str:
    """Sizes and mtimes of the book's own Python: a change means its modules must be re-imported."""
    paths = sorted((ROOT / "macros").rglob("*.py")) + sorted((ROOT / "figures").glob("*.py"))
    paths.append(ROOT / "build_figures.py")
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in paths if p.exists())


@event_priority(100)  # before mkdocs-macros imports the macros package
def on_config(config):
    gc.set_threshold(*GC_THRESHOLD)
    # Re-import macros/, figures/ and build_figures only when their source changed: an import costs
    # ~0.2 s (pydantic builds its validators), most of a rebuild after a data edit.
    stamp = _sources_stamp()
    if os.environ.get(SOURCES_STAMP) != stamp:
        for name in list(sys.modules):
            if name.split(".")[0] in OWN_MODULES:
                del sys.modules[name]
        os.environ[SOURCES_STAMP] = stamp
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    _skip_git_info()
    build_log = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _OneLineErrors) for f in build_log.filters):
        build_log.addFilter(_OneLineErrors())
    return config


def _skip_git_info() -> None:
    """Do not let mkdocs-macros run git on every build (13 processes, 20-60 ms per build).

    It offers the result to pages as the ``git`` variable; a page of this book must not use it:
    what a chapter shows may depend only on its sources and ``data/`` (builds are reproducible
    and a chapter's citation version covers what it shows), never on the state of the checkout.
    With ``on_undefined: strict`` a page that reads ``git.commit`` now stops the build.
    """
    try:
        from mkdocs_macros import context
    except ImportError:
        return
    context.get_git_info = lambda: {}


class _OneLineErrors(logging.Filter):
    """Drop MkDocs' bare "Error reading page 'x':" line: the error that follows names page and line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not re.fullmatch(r"Error reading page '[^']*':", record.getMessage())


_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def on_page_read_source(page, config):
    """Check a page's bytes and front matter; return None so MkDocs reads the page itself."""
    import yaml

    path = page.file.abs_src_path
    if not path:
        return None
    where = f"docs/{page.file.src_uri}"
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PluginError(f"{where}:{line}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    if m := _FRONT_MATTER.match(text):
        try:
            meta = yaml.load(m.group(1), yaml.SafeLoader)
        except yaml.YAMLError as exc:
            # "while scanning a quoted scalar" (context) points where the mistake starts.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            line = f":{mark.line + 2}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            if getattr(exc, "context", None):
                problem = f"{exc.context}: {problem}"
            raise PluginError(f"{where}{line}: front matter is not valid YAML: {problem}") from None
        if meta is not None and not isinstance(meta, dict):
            raise PluginError(f"{where}:2: front matter must be `key: value` lines, got {type(meta).__name__}")
    return None


def on_serve(server, config, builder):
    """Keep serving the last good build after a failed rebuild; rebuild when figures finish.

    MkDocs 1.6 holds every request after a failed rebuild ("the server will appear stuck"),
    and a failure while rendering pages leaves a half-emptied output folder. Instead, each
    good build is snapshotted with hard links (cheap: MkDocs unlinks files before rewriting
    them), and a failed one puts the snapshot back, so readers keep the last good site while
    the terminal shows the one-line error.
    """
    import build_figures

    os.environ[SERVING] = "1"
    _watch_natively(server)
    server.watch(str(build_figures.OUT))
    server.builder = _keep_last_good(server.builder, Path(server.root))
    return server


def _watch_natively(server) -> None:
    """Learn of a saved file from the OS (inotify) instead of polling every half second.

    MkDocs 1.6 polls the watched trees every 0.5 s and then waits 0.1 s for more changes:
    on average a third of a second between saving a value and the rebuild starting, a third
    of the author loop. The OS's own notifications arrive within milliseconds. MkDocs is
    pinned (1.6.1, frozen upstream), so its server's attributes are stable; where the OS has
    no usable notifications, or ``BOOK_SERVE_POLLING=1`` asks for it (network file systems),
    the polling stays.
    """
    if os.environ.get("BOOK_SERVE_POLLING") == "1":
        return
    try:
        from watchdog import events
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        # Changes only: the OS also reports every read (opened, closed without writing), and
        # each build reads the watched files, so without the filter every build starts another.
        changes = [
            events.FileCreatedEvent,
            events.FileModifiedEvent,
            events.FileDeletedEvent,
            events.FileMovedEvent,
            events.FileClosedEvent,
        ]

        class ChangesObserver(Observer):
            def schedule(self, handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
                return super().schedule(
                    handler,
                    path,
                    recursive=recursive,
                    event_filter=event_filter or changes,
                    follow_symlink=follow_symlink,
                )

        paths = dict(server._watched_paths)

        def watch_all(observer) -> None:
            server._watched_paths.clear()
            server._watch_refs.clear()
            server.observer = observer
            for path, count in paths.items():
                for _ in range(count):
                    server.watch(path)

        polling = server.observer
        for ref in list(server._watch_refs.values()):
            polling.unschedule(ref)
        try:
            watch_all(ChangesObserver())
        except OSError:  # e.g. the inotify watch limit: poll as MkDocs does
            watch_all(PollingObserver(timeout=polling.timeout))
            return
        server.build_delay = 0.05  # events arrive at once; only bursts (a save as several writes) need it
    except (ImportError, AttributeError):
        return


def _keep_last_good(build, site: Path):
    import atexit
    import shutil

    snapshot = site.with_name(site.name + "-last-good")
    _copy_tree(site, snapshot)
    atexit.register(shutil.rmtree, snapshot, True)
    log = logging.getLogger("mkdocs.commands.serve")

    def builder() -> None:
        try:
            build()
        except (Exception, SystemExit):  # the build already logged its one-line error
            _copy_tree(snapshot, site)
            log.error("Still serving the last good build; fix the error above and save.")
            return
        _copy_tree(site, snapshot)

    return builder


def _copy_tree(src: Path, dest: Path) -> None:
    """Make ``dest`` a hard-linked copy of ``src`` (``dest`` itself is kept: it may be a server root)."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for child in dest.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    for child in src.iterdir():
        target = dest / child.name
        if child.is_dir():
            shutil.copytree(child, target, copy_function=os.link)
        else:
            os.link(child, target)


def _figures_rendering() -> bool:
    """Whether the background figure process started by an earlier rebuild is still running."""
    pid = int(os.environ.get(FIGURES_PID) or 0)
    if not pid:
        return False
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        done = pid
    if done:
        os.environ.pop(FIGURES_PID, None)
    return not done


def _cache_page_templates(env) -> None:
    """Compile each page's Jinja once, not on every build: keep the code in ``.cache/jinja``.

    mkdocs-macros compiles every page as a template on every build (~40 % of what the macros
    cost). The compiled code is keyed by the page's text and by everything in the
    environment that the compiler reads (delimiters, extensions, the names of filters and
    tests), so a cached page behaves exactly as a freshly compiled one, errors included:
    a page that does not compile is never cached.
    """
    import hashlib

    from jinja2 import FileSystemBytecodeCache

    cache = ROOT / ".cache" / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    bcc = env.bytecode_cache = FileSystemBytecodeCache(str(cache))

    def name(x: object) -> str:  # functions and classes by name: a repr with an address differs per process
        return getattr(x, "__qualname__", None) or repr(x)

    settings = repr(
        (
            [getattr(env, a) for a in ("block_start_string", "block_end_string", "variable_start_string")],
            [getattr(env, a) for a in ("variable_end_string", "comment_start_string", "comment_end_string")],
            [getattr(env, a) for a in ("line_statement_prefix", "line_comment_prefix", "trim_blocks")],
            [getattr(env, a) for a in ("lstrip_blocks", "newline_sequence", "keep_trailing_newline")],
            [env.optimized, name(env.autoescape), name(env.undefined), name(env.finalize), sorted(env.extensions)],
            [sorted(env.filters), sorted(env.tests)],
        )
    )

    def from_string(source, globals=None, template_class=None):
        key = hashlib.sha256(f"{settings}\0{source}".encode()).hexdigest()
        bucket = bcc.get_bucket(env, key, None, source)
        if bucket.code is None:
            bucket.code = env.compile(source)
            bcc.set_bucket(bucket)
        cls = template_class or env.template_class
        return cls.from_code(env, bucket.code, env.make_globals(globals), None)

    env.from_string = from_string


def on_pre_build(config):
    import build_figures
    from macros.data import DataError

    _cache_page_templates(config.plugins["macros"].env)
    book = config.plugins["macros"].variables["book"]
    if build_figures.up_to_date(book):  # same data, code and matplotlib as the last render
        return
    if os.environ.get(SERVING) and (build_figures.OUT / "index.json").exists():
        # Under serve, a data edit must reach the page within a second: pages are built with
        # the figures as they are, and a separate process re-plans and redraws what changed;
        # its output (watched, see on_serve) triggers one more rebuild. Planning is left to it
        # too: at tens of thousands of models it takes seconds. (Starting it after the pages
        # are written instead was measured: no faster page, the chart a second later.)
        if not _figures_rendering():
            proc = subprocess.Popen(
                [sys.executable, str(ROOT / "build_figures.py"), "--together"],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                # below the rebuild in priority: the page first, the charts a moment later
                preexec_fn=(lambda: os.nice(19)) if hasattr(os, "nice") else None,
            )
            os.environ[FIGURES_PID] = str(proc.pid)
        return
    try:
        build_figures.render_changed(book, jobs=None, quiet=False)
    except DataError as exc:  # e.g. a constant a figure needs is missing
        raise PluginError(str(exc)) from None


def on_env(env, config, files):
    """Keep the theme's compiled templates between builds in ``.cache/jinja`` (git-ignored).

    Material's templates are parsed and compiled afresh by every build (~0.2 s, a fifth of a
    rebuild under serve); Jinja's bytecode cache checks each template's source checksum.
    """
    from jinja2 import FileSystemBytecodeCache

    cache = ROOT / ".cache" / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return env


def on_files(files: Files, config) -> Files:
    import build_figures
    from macros import exports

    for path in build_figures.published_files():
        uri = f"figures/{path.name}"
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    from macros.data import DataError
    from macros.quantity import MacroError

    book = config.plugins["macros"].variables["book"]
    try:
        published = _exports(book)
    except (DataError, MacroError) as exc:  # e.g. a constant the exports need is missing
        raise PluginError(f"data/models.json: {exc}") from None
    for name, text in published.items():
        files.append(File.generated(config, f"data/{name}", content=text))
    # Filled in after the pages render (macros.on_post_build), when the ledger is complete.
    files.append(File.generated(config, "data/numbers.json", content=exports.numbers_json([])))
    return files


def _exports(book) -> dict[str, str]:
    """``models.json`` and ``models.csv``, kept in ``.cache/exports`` for the book's digest.

    They depend only on the data and the code (``book.digest``); at tens of thousands of models
    writing them costs about a second, and most builds do not change the data.
    """
    from macros import exports

    cache = ROOT / ".cache" / "exports"
    names = ("models.json", "models.csv")
    key = cache / "digest"
    if book.digest:
        try:
            if key.read_text(encoding="utf-8") == book.digest:
                return {n: (cache / n).read_text(encoding="utf-8") for n in names}
        except OSError:
            pass
    out = {"models.json": exports.models_json(book), "models.csv": exports.models_csv(book)}
    if book.digest:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            key.unlink(missing_ok=True)  # the files and their digest are written in this order
            for n in names:
                (cache / n).write_text(out[n], encoding="utf-8")
            key.write_text(book.digest, encoding="utf-8")
        except OSError:
            pass
    return out


_MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)


class TexError(ValueError):
    """TeX that does not parse; ``tex`` is the formula as written."""

    def __init__(self, tex: str, problem: str) -> None:
        super().__init__(problem)
        self.tex, self.problem = tex, problem


def _check_braces(tex: str) -> None:
    depth = 0
    for ch in re.sub(r"\\[{}\\]", "", tex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            raise TexError(tex, "a '}' closes nothing")
    if depth:
        raise TexError(tex, "a '{' is never closed")


# A computed number inside math (``$r = {{ const('x') }}$``) arrives as the HTML of
# macros.ledger.to_html: an <abbr> with its tooltip, maybe a flag and a link to Methods.
_NUMBER_HTML = re.compile(
    r'(?:<a class="num-link" href="[^"<>]*">)?<abbr class="num[^"<>]*"[^<>]*>[^<>]*</abbr>'
    r'(?:<sup class="num-flag[^"<>]*">[^<>]*</sup>)?(?:</a>)?'
)


def _mathml(match: re.Match) -> str:
    import latex2mathml.converter

    tag, body = match.group(1), html.unescape(match.group(2)).strip()
    display = tag == "div"
    tex = (body[2:-2] if body.startswith(("\\(", "\\[")) else body.strip("$")).strip()
    # Numbers go through the converter as placeholders and come back as HTML inside <mtext>,
    # so they keep their tooltip and their text never reaches the TeX parser.
    numbers: list[str] = []

    def hold(m: re.Match) -> str:
        numbers.append(m.group(0))
        return f"\\text{{QQNUM{len(numbers) - 1}QQ}}"

    held = _NUMBER_HTML.sub(hold, tex)
    written = _NUMBER_HTML.sub(lambda m: re.sub(r"<[^>]*>", "", m.group(0)), tex)
    if stray := re.search(r"</?[A-Za-z][^>]*>", held):
        raise TexError(written, f"HTML inside math: {stray.group(0)[:60]}")
    _check_braces(held)
    try:
        mathml = latex2mathml.converter.convert(held, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml names the problem in its exception class
        words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower().removesuffix(" error")
        raise TexError(written, str(exc) or words) from None
    # latex2mathml writes a command it does not know as text: "\\frak" would reach the reader.
    if unknown := re.search(r"<m[ion][^>]*>(\\[A-Za-z]+)</m[ion]>", mathml):
        raise TexError(written, f"unknown command {unknown.group(1)}")
    for i, number in enumerate(numbers):
        mathml = mathml.replace(f"QQNUM{i}QQ", number, 1)
    return f'<div class="math">{mathml}</div>' if display else mathml


def _source_line(page, needle: str) -> str:
    """':N' for the first line of the page's source that holds ``needle`` (best effort)."""
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, TypeError, ValueError):
        return ""
    at = text.find(needle)
    return f":{text.count(chr(10), 0, at) + 1}" if at >= 0 else ""


@event_priority(50)  # before plugins that read the page's HTML (mkdocs-print-site-plugin for the PDF)
def on_page_content(html_text: str, page, config, files) -> str:
    if 'class="arithmatex"' not in html_text:
        return html_text
    try:
        return _MATH.sub(_mathml, html_text)
    except TexError as exc:
        where = f"docs/{page.file.src_uri}{_source_line(page, exc.tex)}"
        raise PluginError(f"{where}: TeX math does not parse ({exc.problem}): {exc.tex}") from None
