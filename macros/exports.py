"""The published data files: ``site/data/models.json``, ``models.csv``, ``numbers.json``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .ledger import FLAGS
from .records import STATUS_RANK, Book, Model, Value

if TYPE_CHECKING:
    from . import derive

CSV_COLUMNS = (
    "id", "name", "family", "org", "released", "open_weights",
    "params", "params_status", "params_source",
    "active_params", "active_params_status", "active_params_source",
    "tokens", "tokens_status", "tokens_source",
    "train_flops", "tokens_per_param", "chinchilla_tokens", "overtrain_factor",
    "params_from_architecture", "bytes_fp32", "bytes_bf16", "bytes_fp8", "bytes_int4",
    "reported_train_flops", "gpu_hours", "derived_status",
)  # fmt: skip


# Digits of every published number (Data appendix, "Numbers in the files"): more than any value in
# data/ states, so an input is written as data/ states it (8.03 B -> 8030000000, not the
# 8029999999.999999 that 8.03 x 10^9 is in binary), and a computed value to this many digits.
SIGNIFICANT_DIGITS = 12


def published(x: object) -> object:
    """``x`` as the files publish it: a float to :data:`SIGNIFICANT_DIGITS` significant digits,
    written as an integer when it is a whole number a double holds exactly; anything else as is."""
    if not isinstance(x, float) or x != x or x in (float("inf"), float("-inf")):
        return x
    y = float(f"{x:.{SIGNIFICANT_DIGITS}g}")
    return int(y) if y.is_integer() and abs(y) < 2**53 else y


def _value(v: Value | None) -> dict | None:
    if v is None:
        return None
    return {"value": published(v.value), "status": v.status, "source": v.source, "note": v.note}


def model_row(m: Model, values: derive.ModelValues, era: derive.Era) -> dict:
    """Inputs with provenance and every computed figure (from :func:`macros.derive.every_model`), for one model."""
    return {
        "id": m.id,
        "name": m.name,
        "family": m.family,
        "org": m.org,
        "released": m.released.isoformat(),
        "era": {"slug": era.slug, "name": era.name, "short": era.short},
        "open_weights": m.open_weights,
        "inputs": {
            "params": _value(m.params),
            "active_params": _value(m.active_params),
            "tokens": _value(m.tokens),
            "reported_train_flops": _value(m.reported_train_flops),
            "gpu_hours": _value(m.gpu_hours),
            "gpus": _value(m.gpus),
            "reported_cost_usd": _value(m.reported_cost_usd),
            "train_hardware": m.train_hardware,
            "architecture": None
            if m.arch is None
            else {"source": m.arch_source, "status": m.arch_status, **m.arch.__dict__},
        },
        "computed": {
            "params": published(values.params),
            "active_params": published(values.active_params),
            "tokens": published(values.tokens),
            "train_flops": published(values.train_flops),
            "tokens_per_param": published(values.tokens_per_param),
            "chinchilla_tokens": published(values.chinchilla_tokens),
            "overtrain_factor": published(values.overtrain_factor),
            "params_from_architecture": published(values.params_from_arch),
            "active_params_from_architecture": published(values.active_params_from_arch),
            "weight_bytes": {p: published(b) for p, b in dict(values.weight_bytes).items()},
        },
        "derived_status": values.derived_status,
        "sources": sorted(
            {v.source for v in (m.params, m.tokens, m.active_params) if v}
            | ({m.arch_source} if m.arch_source else set())
        ),
    }


_ROWS: list = [None, None]  # [book, rows]: models.json and models.csv share one computation per build


def model_rows(book: Book) -> list[dict]:
    """:func:`model_row` for every model, computed once per loaded book."""
    if _ROWS[0] is not book:
        from . import derive  # only when the models' files are written (not on a build that reuses them)

        _ROWS[:] = [book, [model_row(*figures) for figures in derive.every_model(book)]]
    return _ROWS[1]


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps(v, ensure_ascii=False), without a new encoder per call


def _dumps(doc: dict, per_line: tuple[str, ...], item: Callable[[object], str] | None = None) -> str:
    """JSON with one entry per line for the big members: readable, diff-friendly and fast.

    ``json.dumps(indent=...)`` runs the pure-Python encoder; at tens of thousands of models it
    took seconds. Each line here goes through the C encoder; the document parses the same.
    ``item`` writes each entry of a per-line list (default: as JSON).
    """

    one = _ENCODER.encode
    item = item or one
    parts = []
    for key, value in doc.items():
        if key in per_line and isinstance(value, list) and value:
            parts.append(f"{one(key)}: [\n" + ",\n".join(item(v) for v in value) + "\n]")
        elif key in per_line and isinstance(value, dict) and value:
            parts.append(f"{one(key)}: {{\n" + ",\n".join(f"{one(k)}: {one(v)}" for k, v in value.items()) + "\n}")
        else:
            parts.append(f"{one(key)}: {one(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def models_json(book: Book) -> str:
    rows = model_rows(book)
    doc = {
        "schema": "llm-book/models/1",
        "units": {"params": "parameters", "tokens": "tokens", "train_flops": "FLOP", "weight_bytes": "bytes"},
        # How the pages mark a status (least to most uncertain; the word after an uncertain number):
        # the browser's tables read them here instead of keeping their own copy.
        "statuses": sorted(STATUS_RANK, key=STATUS_RANK.__getitem__),
        "status_flags": dict(FLAGS),
        "models": rows,
        "sources": {
            k: {"title": s.title, "authors": s.authors, "year": s.year, "url": s.url, "kind": s.kind}
            for k, s in book.sources.items()
        },
    }
    return _dumps(doc, ("models", "sources"))


def _cell(v: object) -> object:
    """A CSV cell: an absent value (None) is an empty cell."""
    return "" if v is None else v


def models_csv(book: Book) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in model_rows(book):
        c, i = r["computed"], r["inputs"]

        def col(name: str, inputs: dict = i) -> list:
            v = inputs[name]
            return [v["value"], v["status"], v["source"]] if v else ["", "", ""]

        row = (
            [r["id"], r["name"], r["family"], r["org"], r["released"], str(r["open_weights"]).lower()]
            + col("params") + col("active_params") + col("tokens")
            + [c["train_flops"], c["tokens_per_param"], c["chinchilla_tokens"], c["overtrain_factor"], c["params_from_architecture"]]
            + [c["weight_bytes"][p] for p in ("fp32", "bf16", "fp8", "int4")]
            + [(i["reported_train_flops"] or {}).get("value"), (i["gpu_hours"] or {}).get("value"), r["derived_status"]]
        )  # fmt: skip
        w.writerow([_cell(v) for v in row])
    return out.getvalue()


def number_line(row: dict) -> str:
    """One ledger row as its line of ``numbers.json``."""
    return _ENCODER.encode({**row, "value": published(row["value"])} if isinstance(row.get("value"), float) else row)


def numbers_json(rows: list[dict], lines: Mapping[int, str] | None = None) -> str:
    """``numbers.json``; ``lines`` may hold rows already written (:func:`number_line`) by ``id`` of the row."""
    known = lines or {}
    return _dumps(
        {"schema": "llm-book/numbers/1", "numbers": rows}, ("numbers",), lambda r: known.get(id(r)) or number_line(r)
    )


def write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def write_numbers(site_dir: Path, ledger_rows: list[dict], lines: Mapping[int, str] | None = None) -> None:
    write_if_changed(site_dir / "data" / "numbers.json", numbers_json(ledger_rows, lines))
