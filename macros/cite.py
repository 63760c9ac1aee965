"""Citations: short in-text references to sources (chapter citations come with versioning)."""

from __future__ import annotations

import html
import re

from . import safe
from .errors import MacroError
from .records import Book

__all__ = ["MacroError", "chapter_citation", "cite_link", "permanent_url", "short_authors"]


def short_authors(authors: str) -> str:
    """'Jordan Hoffmann, Sebastian Borgeaud, et al. (DeepMind)' -> 'Hoffmann et al.'; organisations stay whole."""
    core = re.sub(r"\s*\([^)]*\)$", "", authors).strip()
    people = [p.strip() for p in core.replace(" et al.", ", et al.").split(",") if p.strip()]
    named = [p for p in people if p != "et al."]
    words = named[0].split() if named else []
    is_person = 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)
    if not is_person or any(w in {"Team", "AI", "Inc.", "Labs", "Research", "Google", "Meta"} for w in words):
        return authors
    surname = words[-1]
    if len(people) == 1:  # one name: a person or an organisation, we cannot tell; keep it whole
        return core
    if len(people) == 2 and len(named) == 2:
        return f"{surname} and {named[1].split()[-1]}"
    return f"{surname} et al."


def cite_link(book: Book, key: str) -> str:
    """A short in-text citation, 'Hoffmann et al. (2022)', linked to the source."""
    s = book.sources.get(key)
    if s is None:
        raise MacroError(f"unknown source {key!r} (not in data/sources.toml)")
    label = f"{safe.text(short_authors(s.authors))} ({s.year})"
    title = f' title="{safe.text(s.title)}"' if safe.plain_for_tooltip(s.title) else ""
    if s.url is None:  # a document whose address was not preserved: named, not linked
        return f'<span class="cite"{title}>{label}</span>'
    return f'<a class="cite" href="{html.escape(s.url, quote=True)}"{title}>{label}</a>'


# --- Chapter citations -------------------------------------------------------------------------

ORG_WORDS = {"team", "group", "lab", "labs", "institute", "university", "project", "consortium", "ai"}


def _is_person(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not ORG_WORDS & {w.lower() for w in words}


def permanent_url(base_url: str, release: str, page_url: str) -> str:
    """``https://host/book/1.1/chapters/x/``: the chapter inside the frozen copy of a release.

    ``base_url`` is the book's root, where mike puts one folder per release; it is never the
    ``site_url`` that mike rewrites. Only a release has one: a local build links none.
    """
    root = base_url.rstrip("/") + "/"
    return f"{root}{release}/{page_url}"


# Hosts that can never serve the book (RFC 2606 and 6761 reserve them for examples and tests).
_PLACEHOLDER_HOST = re.compile(
    r"(^|\.)(example\.(org|com|net)|example|test|invalid|localhost)$|^127\.|^0\.0\.0\.0$|^\[?::1\]?$"
)


def placeholder_url(url: str) -> bool:
    """Whether ``url`` is empty or points at a reserved example, test or local host."""
    from urllib.parse import urlsplit

    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    return not host or bool(_PLACEHOLDER_HOST.search(host))


def chapter_citation(
    meta: dict,
    page_url: str,
    book_title: str,
    base_url: str,
    release: str | None,
    src: str = "?",
    draft_of: str | None = None,
) -> dict[str, str]:
    """Plain text, BibTeX and CSL-JSON for one page, from its front matter.

    ``meta`` needs ``title``, ``slug``, ``version`` (a quoted string), ``date`` and ``authors``;
    a missing or mistyped field raises :class:`MacroError` naming the page and the field.
    A release gives the permanent URL of the page in its frozen copy; a local build (no
    ``release``) is a preview and gives none. ``draft_of`` names the version a changed chapter
    will become: it is cited as that version's draft.
    """
    import datetime as dt
    import json

    for field in ("title", "slug", "version", "date", "authors"):
        if field not in meta:
            raise MacroError(f"docs/{src}: front matter has no {field!r} (needed for 'Cite this chapter')")
    version = meta["version"]
    if not isinstance(version, str):
        raise MacroError(f"docs/{src}: front matter field 'version' must be a quoted string, e.g. \"1.2\"")
    date = meta["date"]
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise MacroError(f"docs/{src}: front matter field 'date' is not a date (YYYY-MM-DD): {date!r}") from None
    if isinstance(date, dt.datetime):
        date = date.date()
    if not isinstance(date, dt.date):
        raise MacroError(f"docs/{src}: front matter field 'date' is not a date (YYYY-MM-DD): {date!r}")
    authors = meta["authors"]
    authors = [authors] if isinstance(authors, str) else list(authors)
    if not authors or not all(isinstance(a, str) and a.strip() for a in authors):
        raise MacroError(f"docs/{src}: front matter field 'authors' must be a list of names")
    title, slug = str(meta["title"]), str(meta["slug"])
    url = permanent_url(base_url, release, page_url) if release else ""
    release_text = f"release {release}" if release else "local preview (not a release)"
    if draft_of:
        version = draft_of
    version_text = f"{version}, draft" if draft_of else version

    plain = (
        f"{'; '.join(authors)} ({date.year}). {title} (chapter version {version_text}). "
        f"In {book_title}, {release_text}. {date.isoformat()}." + (f" {url}" if url else "")
    )

    def bib_name(name: str) -> str:
        return bib_escape(name) if _is_person(name) else "{" + bib_escape(name) + "}"

    def bib_escape(text: str) -> str:
        return re.sub(r"([&%$#_])", r"\\\1", text).replace('"', '{"}')

    key = f"llmbook-{slug}-{version}" + ("-draft" if draft_of else "")
    bib_fields = [
        ("author", " and ".join(bib_name(a) for a in authors)),
        ("title", "{" + bib_escape(title) + "}"),
        ("booktitle", "{" + bib_escape(book_title) + "}"),
        ("year", str(date.year)),
        ("month", str(date.month)),
        ("date", date.isoformat()),
        ("version", version_text),
        ("url", url),
        ("note", f"Chapter version {version_text}, {release_text}"),
    ]
    bib_fields = [(k, v) for k, v in bib_fields if v]
    width = max(len(k) for k, _ in bib_fields)
    bibtex = f"@incollection{{{key},\n" + ",\n".join(f'  {k.ljust(width)} = "{v}"' for k, v in bib_fields) + "\n}"

    def csl_name(name: str) -> dict[str, str]:
        if _is_person(name):
            given, _, family = name.rpartition(" ")
            return {"family": family, "given": given}
        return {"literal": name}

    csl = {
        "id": key,
        "type": "chapter",
        "title": title,
        "container-title": book_title,
        "author": [csl_name(a) for a in authors],
        "issued": {"date-parts": [[date.year, date.month, date.day]]},
        "version": version_text,
        "URL": url,
        "note": f"Chapter version {version_text}, {release_text}",
    }
    if not url:
        del csl["URL"]
    return {
        "slug": slug,
        "version": version,
        "draft": "1" if draft_of else "",
        "release": release or "",
        "release_text": release_text,
        "url": url,
        "date": date.isoformat(),
        "plain": plain,
        "bibtex": bibtex,
        "csl_json": json.dumps([csl], indent=2, ensure_ascii=False),
    }
