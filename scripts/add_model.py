#!/usr/bin/env python3
"""Turn a Hugging Face config.json into a ``[[models]]`` entry for ``data/models.toml``.

    python scripts/add_model.py path/to/config.json --id new-id            # print the entry
    python scripts/add_model.py path/to/config.json --id new-id --append   # add it to data/models.toml

The parameter counts come from ``macros.formulas.param_breakdown`` (the book's one counter).
What a config cannot know (name, organisation, release date, training tokens, sources) is
written as a ``"TODO: ..."`` placeholder that the data loader refuses until it is filled in.
Every problem is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a file (scripts/ on sys.path): this checkout's packages first

from macros import formulas  # noqa: E402
from macros.placeholders import PLACEHOLDER  # noqa: E402
from macros.records import Arch  # noqa: E402
from scripts.hf_config import ConfigError, arch_fields, read_config  # noqa: E402

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
HINTS = {
    "name": "display name, e.g. Llama 3 8B",
    "family": "family shown in tables, e.g. Llama 3",
    "org": "organisation that released it, e.g. Meta",
    "released": "release date as a bare TOML date, e.g. 2024-04-18 (no quotes)",
    "tokens.status": "disclosed, estimated or rumored (then add value and unit), or undisclosed",
    "tokens.source": "key of data/sources.toml that states the training tokens",
    "source": "key of data/sources.toml for this config.json (a [sources.KEY] with its URL)",
}
TODO = {field: f"{PLACEHOLDER} {hint}" for field, hint in HINTS.items()}


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _inline(**items: Any) -> str:
    return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in items.items()) + " }"


def build_entry(config_path: Path, model_id: str) -> tuple[str, dict[str, float]]:
    """The TOML text of the entry and the parameter breakdown it states."""
    if not ID_PATTERN.match(model_id):
        raise ConfigError(f"--id {model_id!r}: must be lowercase letters, digits, '.', '-' or '_' (e.g. llama-3-8b)")
    where = shown_path(config_path)
    fields, notes = arch_fields(read_config(config_path, where), where)
    parts = formulas.param_breakdown(Arch(**fields))
    total, active = int(parts["total"]), int(parts["active"])
    moe = bool(fields.get("experts"))
    if moe:
        notes.append("active_params counts every weight one token uses: the input embedding and all routers included.")
    note = "Exact count from the architecture below (make add-model through macros/formulas)."
    lines = [
        "[[models]]",
        f"# Written by `make add-model` from {where}.",
        '# Replace every "TODO: ..." (the build refuses the entry until then); keep the computed counts.',
        f"id = {_toml(model_id)}",
        *(f"{key} = {_toml(TODO[key])}" for key in ("name", "family", "org", "released")),
        "open_weights = true  # a published config.json usually comes with the weights; check",
        f"params = {_inline(value=total, status='disclosed', source=TODO['source'], note=note)}",
    ]
    if moe:
        lines.append(f"active_params = {_inline(value=active, status='disclosed', source=TODO['source'], note=note)}")
    lines.append(f"tokens = {_inline(status=TODO['tokens.status'], source=TODO['tokens.source'])}")
    lines += ["", "[models.arch]", *(f"# {row}" for n in notes for row in textwrap.wrap(n, 96))]
    shown = ", ".join(f"{k} {int(parts[k]):,}" for k in formulas.COMPONENTS if parts[k])
    lines.append(f"# macros/formulas.param_breakdown: total {total:,}" + (f", active {active:,}" if moe else ""))
    lines.append(f"# ({shown}).")
    lines += [f"source = {_toml(TODO['source'])}", 'status = "disclosed"']
    lines += [f"{key} = {_toml(value)}" for key, value in fields.items()]
    return "\n".join(lines) + "\n", parts


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies inside it (as authors typed it)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def existing_ids(models: Path) -> set[str]:
    try:
        doc = tomllib.loads(models.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{shown_path(models)}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown_path(models)}: cannot append to an invalid TOML file ({exc})") from None
    entries = doc.get("models")
    return {m.get("id") for m in entries if isinstance(m, dict)} if isinstance(entries, list) else set()


def append(models: Path, model_id: str, entry: str) -> None:
    """Add ``entry`` at the end of ``models`` (atomically); refuse an id already there."""
    if model_id in existing_ids(models):
        raise ConfigError(f"{shown_path(models)}: model {model_id!r}, field 'id': already used; choose another --id")
    text = models.read_text(encoding="utf-8")
    text = text if text.endswith("\n") or not text else text + "\n"
    fd, tmp = tempfile.mkstemp(dir=models.parent, prefix=".models-", suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text + "\n" + entry)
    os.replace(tmp, models)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path, help="a Hugging Face config.json")
    parser.add_argument("--id", required=True, help="id of the new model (lowercase, e.g. llama-3-8b)")
    parser.add_argument("--append", action="store_true", help="write the entry into the models file")
    parser.add_argument("--models", type=Path, default=ROOT / "data" / "models.toml", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        entry, _ = build_entry(args.config, args.id)
        if args.append:
            append(args.models, args.id, entry)
    except ConfigError as exc:
        print(f"add-model: {exc}", file=sys.stderr)
        return 2
    if args.append:
        print(f"added model {args.id!r} to {shown_path(args.models)}; fill in its TODO fields (the build refuses them)")
    else:
        sys.stdout.write(entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
