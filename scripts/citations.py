#!/usr/bin/env python3
"""Citation lock and releases: what changed, bump, lock, deploy.

    python scripts/citations.py what-changed   # after editing data/ or a chapter: which chapters, which numbers
    python scripts/citations.py bump           # raise the version of every chapter that changed (x.y -> x.y+1)
    python scripts/citations.py lock           # record the current chapters in citations.lock.json
    python scripts/citations.py deploy 1.2     # freeze releases/1.2.lock.json, then mike deploy 1.2 + latest

Each command builds the book once into a temporary folder and compares ``data/citations.json``
of that build with ``citations.lock.json``. Editing never needs them: a changed chapter is shown
as a draft of its next version. ``lock`` refuses while a changed chapter keeps its old version;
``deploy`` refuses while ``extra.book_base_url`` is a placeholder, a page has no version, a chapter
is a draft or the lock is not up to date (and the citation hook checks the same during mike's build).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path.cwd() if (Path.cwd() / "mkdocs.yml").exists() else Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import cite, citelock  # noqa: E402
from scripts import make_pdf  # noqa: E402


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("MIKE_DOCS_VERSION", None)
    return env


def observe() -> dict[str, dict]:
    """Build the book into a temporary folder and return what each citable page shows."""
    return _observe()["chapters"]


def _observe() -> dict:
    """The build's ``data/citations.json``: ``chapters`` and, if any, the ``unversioned`` pages."""
    with tempfile.TemporaryDirectory(prefix="book-cite-") as tmp:
        site = Path(tmp) / "site"
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
        result = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True)
        if result.returncode != 0:
            # The build's own one-line errors (MkDocs' "Aborted with a BuildError!" adds nothing).
            errors = [ln for ln in result.stderr.splitlines() if ln.startswith(("ERROR", "WARNING"))]
            sys.stderr.write("\n".join(errors or result.stderr.splitlines()[-20:]) + "\n")
            raise SystemExit(f"the build failed (exit {result.returncode}); fix it first")
        return json.loads((site / "data" / "citations.json").read_text(encoding="utf-8"))


def _locked() -> dict[str, dict] | None:
    try:
        return citelock.read_lock(ROOT / citelock.LOCK_FILE)
    except citelock.LockError as exc:
        raise SystemExit(str(exc)) from None


def what_changed(_args) -> int:
    locked = _locked()
    if locked is None:
        print(f"no {citelock.LOCK_FILE} yet: every chapter is new (`make lock` records them)")
        return 0
    changes = citelock.compare(locked, observe())
    if not changes:
        print("nothing changed: every chapter shows what the lock recorded")
        return 0
    for c in changes:
        if c.new_version is None:
            print(f"{c.slug} (docs/{c.src}): removed")
        elif c.old_version is None:
            print(f"{c.slug} (docs/{c.src}): new, version {c.new_version}")
        elif c.unbumped:
            print(
                f"{c.slug} (docs/{c.src}): CHANGED, still version {c.new_version}: a draft of {citelock.draft_version(c)}"
            )
        else:
            print(f"{c.slug} (docs/{c.src}): version {c.old_version} → {c.new_version}")
        for line in citelock.change_lines(c):
            print(f"    {line}")
    if any(c.unbumped for c in changes):
        print("Drafts are fine while writing; before a release, `make bump` then `make lock`.")
        return 1
    return 0


def next_version(version: str) -> str:
    """'1.0' -> '1.1', '2' -> '3', '1.9' -> '1.10': the last numeric part goes up by one."""
    try:
        return citelock.next_version(version)
    except citelock.LockError as exc:
        raise SystemExit(str(exc)) from None


def bump_front_matter(text: str, new_version: str, date: str) -> str:
    head = re.match(r"\A---\n.*?\n---\n", text, re.S)
    if not head:
        raise SystemExit("no front matter")
    fm = re.sub(r"(?m)^version:.*$", f'version: "{new_version}"', head.group(0), count=1)
    fm = re.sub(r"(?m)^date:.*$", f"date: {date}", fm, count=1)
    return fm + text[head.end() :]


def bump(_args) -> int:
    locked = _locked()
    if locked is None:
        raise SystemExit(f"no {citelock.LOCK_FILE} yet: nothing to compare with")
    todo = [c for c in citelock.compare(locked, observe()) if c.unbumped]
    today = dt.date.today().isoformat()
    for c in todo:
        path = ROOT / "docs" / c.src
        new = next_version(c.new_version or "")
        path.write_text(bump_front_matter(path.read_text(encoding="utf-8"), new, today), encoding="utf-8")
        print(f"docs/{c.src}: version {c.new_version} → {new}, date {today}")
    if not todo:
        print("no changed chapter keeps its old version: nothing to bump")
    return 0


def lock(_args) -> int:
    locked = _locked() or {}
    observed = observe()
    changes = citelock.compare(locked, observed)
    refused = [c for c in changes if c.unbumped]
    if refused:
        for c in refused:
            print(citelock.unbumped_message(c), file=sys.stderr)
        names = ", ".join(c.slug for c in refused)
        print(
            f"refusing to update {citelock.LOCK_FILE}: {names} changed but kept their version; "
            "bump them first (`make bump` does it)",
            file=sys.stderr,
        )
        return 1
    (ROOT / citelock.LOCK_FILE).write_text(citelock.lock_document(observed), encoding="utf-8")
    summary = ", ".join(f"{c.slug} {c.old_version or '(new)'} → {c.new_version or '(removed)'}" for c in changes)
    if not locked:
        summary = "first lock"
    print(f"{citelock.LOCK_FILE}: {len(observed)} pages" + (f"; {summary}" if summary else "; unchanged"))
    return 0


def _config() -> dict:
    """``mkdocs.yml`` as MkDocs reads it (its YAML tags included), without loading the plugins."""
    from mkdocs.utils.yaml import yaml_load

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        return yaml_load(f) or {}


def _mike(*args: str) -> None:
    code = "import sys; from mike.driver import main; sys.argv[0] = 'mike'; main()"
    subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=_env(), check=True)


def _update_cff(release: str, date: str) -> None:
    path = ROOT / "CITATION.cff"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    for key, value in (("version", f'"{release}"'), ("date-released", f'"{date}"')):
        line = f"{key}: {value}"
        text, n = re.subn(rf"(?m)^{key}:.*$", line, text, count=1)
        if not n:
            text = text.rstrip("\n") + f"\n{line}\n"
    path.write_text(text, encoding="utf-8")


def deploy(args) -> int:
    release = args.version
    if not re.fullmatch(r"[0-9][0-9A-Za-z.\-]*", release) or release == "latest":
        raise SystemExit(f"release name {release!r}: use a version such as 1.2")
    base_url = _config().get("extra", {}).get("book_base_url") or ""
    if cite.placeholder_url(base_url):
        raise SystemExit(
            f"refusing to release {release}: extra.book_base_url in mkdocs.yml is {base_url!r}, a placeholder; "
            "set it (and site_url) to the address the book is published at"
        )
    locked = _locked()
    if locked is None:
        raise SystemExit(f"no {citelock.LOCK_FILE}: run `make lock` first")
    built = _observe()
    if refusal := citelock.release_refusal(release, locked, built["chapters"], built.get("unversioned", [])):
        raise SystemExit(refusal)
    snapshot = ROOT / citelock.RELEASES_DIR / f"{release}.lock.json"
    document = citelock.lock_document(locked, release)
    if snapshot.exists() and snapshot.read_text(encoding="utf-8") != document:
        raise SystemExit(
            f"release {release} exists with other content ({snapshot.relative_to(ROOT)}): pick a new version"
        )
    created = not snapshot.exists()
    snapshot.parent.mkdir(exist_ok=True)
    snapshot.write_text(document, encoding="utf-8")
    cff = ROOT / "CITATION.cff"
    cff_before = cff.read_text(encoding="utf-8") if cff.exists() else None
    released = dt.date.today()
    _update_cff(release, released.isoformat())
    try:
        # The PDF edition of this release, published inside it (hooks/pdf_edition.py reads BOOK_PDF).
        pdf = make_pdf.make_pdf(release, make_pdf.WORK / make_pdf.pdf_name(release), date=released)
        os.environ["BOOK_PDF"] = str(pdf)
        os.environ["BOOK_BUNDLES"] = "1"  # each chapter's reproduce bundle (hooks/reproduce_bundles.py)
        _mike("deploy", "--update-aliases", *args.mike_args, release, "latest")
        has_root = subprocess.run(
            ["git", "cat-file", "-e", f"{args.branch}:index.html"], cwd=ROOT, capture_output=True
        ).returncode
        if has_root != 0:
            _mike("set-default", *args.mike_args, "latest")
    except (subprocess.CalledProcessError, make_pdf.PdfError) as exc:
        if created:
            snapshot.unlink()
        if cff_before is not None:
            cff.write_text(cff_before, encoding="utf-8")
        why = f"mike failed (exit {exc.returncode})" if isinstance(exc, subprocess.CalledProcessError) else str(exc)
        raise SystemExit(f"{why}; release {release} not deployed") from None
    print(f"deployed {release} (alias latest) to the {args.branch} branch; commit {snapshot.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("what-changed", help="which chapters and numbers differ from the lock").set_defaults(
        func=what_changed
    )
    sub.add_parser("bump", help="bump the version of every changed chapter").set_defaults(func=bump)
    sub.add_parser("lock", help="record the chapters in the lock").set_defaults(func=lock)
    d = sub.add_parser("deploy", help="freeze a release and deploy it with mike")
    d.add_argument("version")
    d.add_argument("--branch", default="gh-pages")
    d.add_argument("mike_args", nargs=argparse.REMAINDER, help="after --: passed to mike (e.g. --push)")
    d.set_defaults(func=deploy)
    args = parser.parse_args(argv)
    if getattr(args, "mike_args", None) and args.mike_args[0] == "--":
        args.mike_args = args.mike_args[1:]
    if getattr(args, "mike_args", None) is not None:
        args.mike_args = [*args.mike_args, "--branch", args.branch] if args.branch != "gh-pages" else args.mike_args
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
