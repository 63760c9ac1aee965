"""Publish the PDF edition: when ``BOOK_PDF`` names a PDF made by ``scripts/make_pdf.py``, every page
links it (footer) and the build copies it into the site. Without ``BOOK_PDF`` this hook does nothing.

``make pdf`` and ``make deploy`` set the variable; a plain ``make build`` or ``make serve`` has no
PDF and shows no link to one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

VARIABLE = "BOOK_PDF"


def _pdf() -> Path | None:
    value = os.environ.get(VARIABLE)
    if not value:
        return None
    path = Path(value)
    if not path.is_file():
        raise PluginError(f"{VARIABLE}={value}: no such file (make it with `make pdf`)")
    return path


def on_config(config):
    pdf = _pdf()
    if pdf is not None:
        release = os.environ.get("MIKE_DOCS_VERSION")
        size_mb = pdf.stat().st_size / 1_000_000
        config.extra["book_pdf"] = {
            "name": pdf.name,
            "label": "Download this release as PDF" if release else "Download this preview as PDF",
            "size": f"{size_mb:.1f} MB",
        }
    return config


def on_post_build(config) -> None:
    pdf = _pdf()
    if pdf is not None:
        shutil.copyfile(pdf, Path(config["site_dir"]) / pdf.name)
