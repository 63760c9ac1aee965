"""The citation lock: what a reader saw in each chapter at each version, and what changed since.

A build observes every citable page (see ``hooks/citation_hooks.py``): a fingerprint of its
visible text with its tooltips, the bytes of the figures it embeds and the numbers it renders.
``citations.lock.json`` keeps the last observation an author accepted; ``releases/X.lock.json``
freezes it for release X. This module only compares such records and words the result; it does
no I/O beyond reading and writing those JSON files, and knows nothing of MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

LOCK_SCHEMA = "llm-book/citations-lock/1"
LOCK_FILE = "citations.lock.json"
RELEASES_DIR = "releases"


def sha256(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def page_record(
    src: str, url: str, title: str, version: str, text: str, figures: dict[str, str], numbers: dict[str, str]
) -> dict:
    """One observed page; ``fingerprint`` covers the text, the figures' bytes and the numbers."""
    body = {"text": text, "figures": dict(sorted(figures.items())), "numbers": numbers}
    return {
        "src": src,
        "url": url,
        "title": title,
        "version": version,
        "fingerprint": sha256(json.dumps(body, sort_keys=True, ensure_ascii=False)),
        "text": sha256(text),
        "figures": dict(sorted(figures.items())),
        "numbers": numbers,
    }


def numbers_by_expression(rows: list[dict]) -> dict[str, str]:
    """``expression -> text`` in page order; a repeated expression with another text gets ``#2``."""
    out: dict[str, str] = {}
    for row in rows:
        key, n = row["expression"] or row.get("label") or "?", 1
        while key in out and out[key] != row["text"]:
            n += 1
            key = f"{row['expression']} #{n}"
        out.setdefault(key, row["text"])
    return out


def lock_document(chapters: dict[str, dict], release: str | None = None, unversioned: list[str] | None = None) -> str:
    """The JSON of a lock; a build's ``citations.json`` also lists the pages that have no version."""
    doc: dict = {"schema": LOCK_SCHEMA}
    if release:
        doc["release"] = release
    doc["chapters"] = {slug: chapters[slug] for slug in sorted(chapters)}
    if unversioned:
        doc["unversioned"] = unversioned
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def read_lock(path: Path) -> dict[str, dict] | None:
    """The chapters of a lock file, or None when it does not exist; a broken file is one clear line."""
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LockError(f"{path.name}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(doc, dict) or doc.get("schema") != LOCK_SCHEMA or not isinstance(doc.get("chapters"), dict):
        raise LockError(f"{path.name}: not a citation lock (schema {LOCK_SCHEMA!r} expected)")
    return doc["chapters"]


class LockError(Exception):
    """A lock file that cannot be read, or a release that cannot be made."""


@dataclass
class Change:
    slug: str
    src: str
    title: str
    old_version: str | None  # None: new chapter
    new_version: str | None  # None: chapter removed
    content_changed: bool
    numbers: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (expr, old, new)
    figures: list[str] = field(default_factory=list)
    text_changed: bool = False

    @property
    def unbumped(self) -> bool:
        """Content changed while the version stayed: a citation of this version would now lie."""
        return self.content_changed and self.old_version is not None and self.old_version == self.new_version


def number_changes(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str | None, str | None]]:
    out = [(k, old[k], new.get(k)) for k in old if old[k] != new.get(k)]
    out += [(k, None, new[k]) for k in new if k not in old]
    return out


def compare(locked: dict[str, dict], observed: dict[str, dict]) -> list[Change]:
    """Every chapter whose content or version differs between the lock and this build."""
    changes = []
    for slug in sorted(set(locked) | set(observed)):
        old, new = locked.get(slug), observed.get(slug)
        if old is not None and new is not None and old == new:
            continue
        ref = new or old
        assert ref is not None
        change = Change(
            slug=slug,
            src=ref["src"],
            title=ref["title"],
            old_version=old["version"] if old else None,
            new_version=new["version"] if new else None,
            content_changed=bool(old and new and old["fingerprint"] != new["fingerprint"]),
        )
        if old and new:
            change.numbers = number_changes(old["numbers"], new["numbers"])
            change.figures = sorted(
                k for k in set(old["figures"]) | set(new["figures"]) if old["figures"].get(k) != new["figures"].get(k)
            )
            change.text_changed = old["text"] != new["text"]
        if change.content_changed or change.old_version != change.new_version:
            changes.append(change)
    return changes


def _arrow(old: str | None, new: str | None) -> str:
    return f"{old or '(none)'} → {new or '(none)'}"


class Line(NamedTuple):
    """One thing that changed in a chapter: ``kind`` is "number", "figure" or "text"."""

    kind: str
    subject: str  # the macro expression, the figure's path, or ""
    old: str | None = None
    new: str | None = None

    def __str__(self) -> str:
        if self.kind == "number":
            return f"{self.subject}: {_arrow(self.old, self.new)}"
        if self.kind == "figure":
            return f"figure {self.subject} redrawn"
        return "the text changed (no number or figure did)"


def change_lines(change: Change) -> list[Line]:
    """What changed in one chapter, in the words both ``make what-changed`` and a draft's note use.

    Each number old → new, each figure redrawn (a light/dark pair once, by its light name), or,
    when neither moved, that the text did.
    """
    lines = [Line("number", expr, old, new) for expr, old, new in change.numbers]
    figures = {re.sub(r"-dark(\.[a-z]+)$", r"\1", f) for f in change.figures}
    lines += [Line("figure", f) for f in sorted(figures)]
    if change.text_changed and not change.numbers and not change.figures:
        lines.append(Line("text", ""))
    return lines


def next_version(version: str) -> str:
    """'1.0' -> '1.1', '2' -> '3', '1.9' -> '1.10': the last numeric part goes up by one."""
    m = re.fullmatch(r"(.*?)(\d+)", version)
    if not m:
        raise LockError(f"cannot bump version {version!r}: it does not end in a number")
    return f"{m.group(1)}{int(m.group(2)) + 1}"


VERSION_RULE = 'two whole numbers joined by a dot, in quotes, such as version: "1.2"'
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def version_key(version: object) -> tuple[int, int] | None:
    """``(major, minor)`` of a valid chapter version ("1.2" -> (1, 2)), None for anything else."""
    m = _VERSION.fullmatch(version) if isinstance(version, str) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def version_problem(
    where: str, meta: dict, locked_version: str | None, lock_exists: bool, written: str = ""
) -> str | None:
    """Why a page's front matter ``version`` cannot stand (one line starting with ``where``), or None.

    A present version must be x.y (two non-negative whole numbers, no leading zeros, no "v", no
    third part); ``written`` is the value as typed (YAML reads an unquoted ``1.10`` as 1.1). Once a
    lock exists every page needs one, so that no page can leave the lock by losing its version, and
    a version never goes below the one the lock records for the page.
    """
    if "version" not in meta or meta["version"] is None:
        if locked_version is not None:
            return (
                f"{where}: front matter field 'version' is missing, but {LOCK_FILE} records this chapter at "
                f'version {locked_version}; put it back (version: "{locked_version}", or higher if its content changed)'
            )
        if lock_exists:
            return (
                f"{where}: front matter field 'version' is missing; once {LOCK_FILE} exists every page needs one: "
                f'{VERSION_RULE} (a new page starts at "1.0")'
            )
        return None
    version = meta["version"]
    if not isinstance(version, str):
        return f"{where}: front matter field 'version' is {written or repr(version)} without quotes; it must be {VERSION_RULE}"
    if version_key(version) is None:
        return f"{where}: front matter field 'version' is {version!r}; it must be {VERSION_RULE}"
    old = version_key(locked_version)
    if old is not None and version_key(version) < old:  # type: ignore[operator]
        return (
            f"{where}: front matter field 'version' is {version!r}, lower than version {locked_version} that "
            f'{LOCK_FILE} records; a version never goes back: use "{locked_version}" or higher'
        )
    return None


def locked_version(locked: dict[str, dict] | None, slug: str, src: str) -> str | None:
    """The version the lock records for a page, found by its slug or, if the slug changed, its source file."""
    if not locked:
        return None
    rec = locked.get(slug) or next((r for r in locked.values() if r.get("src") == src), None)
    return rec.get("version") if rec else None


def draft_version(change: Change) -> str | None:
    """The version a changed chapter is a draft of: the next one while it keeps its locked version."""
    if change.new_version is None:
        return None
    if change.unbumped:
        try:
            return next_version(change.new_version)
        except LockError:
            return f"{change.new_version}+"
    return change.new_version


def describe_numbers(change: Change, limit: int | None = None) -> str:
    items = [f"{expr}: {_arrow(old, new)}" for expr, old, new in change.numbers]
    if limit is not None and len(items) > limit:
        items = items[:limit] + [f"… and {len(items) - limit} more"]
    parts = []
    if items:
        parts.append("numbers changed: " + "; ".join(items))
    if change.figures:
        parts.append("figures changed: " + ", ".join(change.figures))
    if not parts and change.text_changed:
        parts.append("the text changed (no number or figure did)")
    return ", ".join(parts)


def unbumped_message(change: Change) -> str:
    """The one line a failed build or a refused lock prints for a chapter."""
    return (
        f"chapter '{change.slug}' (docs/{change.src}) changed but kept version {change.new_version}: "
        f"{describe_numbers(change)}. Bump 'version' in its front matter, then run `make lock`."
    )


def _version_key(name: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", name))


def read_releases(folder: Path) -> list[tuple[str, dict[str, dict]]]:
    """``[(release, chapters)]`` from ``releases/*.lock.json``, oldest first."""
    if not folder.is_dir():
        return []
    out = []
    for path in folder.glob("*.lock.json"):
        chapters = read_lock(path)
        assert chapters is not None
        out.append((path.name.removesuffix(".lock.json"), chapters))
    return sorted(out, key=lambda item: _version_key(item[0]))


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def changelog_markdown(releases: list[tuple[str, dict[str, dict]]], link) -> str:
    """Markdown for the changelog page, newest release first; ``link(src)`` gives a page link or None."""
    if not releases:
        return "No release has been published yet: the first one will be listed here with its chapters and versions.\n"

    def name(rec: dict) -> str:
        target = link(rec["src"])
        return f"[{_md(rec['title'])}]({target})" if target else _md(rec["title"])

    out: list[str] = []
    for i in range(len(releases) - 1, -1, -1):
        release, chapters = releases[i]
        out.append(f"## Release {release}\n")
        if i == 0:
            out.append("The first release. Its chapters and their versions:\n")
            out.append("| Chapter | Version | Numbers |\n|---|---|---|")
            for rec in chapters.values():
                out.append(f"| {name(rec)} | {_md(rec['version'])} | {len(rec['numbers'])} |")
            out.append("")
            continue
        previous_release, previous = releases[i - 1]
        changes = [c for c in compare(previous, chapters) if c.old_version != c.new_version]
        if not changes:
            out.append(f"No chapter changed its version since release {previous_release}.\n")
            continue
        out.append(f"Chapters whose version changed since release {previous_release}:\n")
        for c in changes:
            rec = chapters.get(c.slug) or previous[c.slug]
            out.append(f"- {name(rec)}: version {_md(_arrow(c.old_version, c.new_version))}")
            for expr, old, new in c.numbers:
                out.append(f"    - `{expr.replace('`', '')}`: {_md(_arrow(old, new))}")
            for fig in c.figures:
                out.append(f"    - figure `{fig}` redrawn")
            if c.text_changed and not c.numbers and not c.figures:
                out.append("    - text revised; no number changed")
        out.append("")
    return "\n".join(out) + "\n"


def release_refusal(release: str, locked: dict[str, dict], observed: dict[str, dict], unversioned: list[str]) -> str:
    """Why release ``release`` cannot be made from this build ("" when it can): one line per problem.

    A release freezes what each chapter shows under its version, so every page needs a version,
    no chapter may show changed content under its locked version (a draft), and the lock must
    record every version the release cites. Each line stands alone ("refusing to release X: ...").
    """
    changes = compare(locked, observed)
    problems = []
    if unversioned:
        pages = ", ".join(f"docs/{src}" for src in sorted(unversioned))
        problems.append(f'pages without a version in their front matter (add version: "1.0"): {pages}')
    if drafts := [c for c in changes if c.unbumped]:
        names = ", ".join(f"{c.slug} (docs/{c.src}, version {c.new_version})" for c in drafts)
        problems.append(
            f"chapters that changed but keep their locked version (drafts): {names}; "
            "`make what-changed` shows the changes, `make bump` then `make lock` gives them new versions"
        )
    elif stale := [c for c in changes if not c.unbumped and c.src not in unversioned]:
        names = ", ".join(f"{c.slug} {c.old_version or '(new)'} → {c.new_version or '(removed)'}" for c in stale)
        problems.append(f"{LOCK_FILE} does not record these versions (run `make lock`): {names}")
    return "\n".join(f"refusing to release {release}: {p}" for p in problems)
