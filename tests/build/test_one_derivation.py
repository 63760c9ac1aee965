"""Every number the build publishes is the one derivation's number (macros.derive, through the vocabulary).

Walks every entry of a freshly built ``site/data/numbers.json`` and recomputes it from its
``expression`` (the chapter's macro call, re-evaluated here with a small AST interpreter over the
chapter words), every model row of ``models.json`` through :func:`macros.derive.model_values`, and
every plotted point of a model or an accelerator in the charts' CSVs.
Relative tolerance 1e-12: the same formulas in the same order give the same floats.
"""

from __future__ import annotations

import ast
import csv
import json
import math
import operator
from pathlib import Path
from types import SimpleNamespace

from macros import derive, exports
from macros.data import load
from macros.quantity import Q
from macros.reproduce import evaluate
from macros.vocab import Vocabulary, bind

ROOT = Path(__file__).resolve().parents[2]
OPS = {ast.Div: operator.truediv, ast.Mult: operator.mul, ast.Add: operator.add, ast.Sub: operator.sub}


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b or math.isclose(a, b, rel_tol=1e-12)


def same_published(written: float | None, value: float | None) -> bool:
    """The files write the derivation's value to their stated digits (exports.published)."""
    if written is None or value is None:
        return written is value
    return same(written, exports.published(value))


def test_every_published_number_is_recomputed_by_the_one_derivation(built_site: Path):
    """Each ledger expression, evaluated with the chapter words on a freshly loaded book, gives the
    value, text and status the page showed (the same evaluation a reproduce bundle runs)."""
    book = load(ROOT / "data")
    words = bind(Vocabulary(book))
    rows = json.loads((built_site / "data" / "numbers.json").read_text(encoding="utf-8"))["numbers"]
    assert len(rows) > 1000
    for row in rows:
        q = evaluate(words, row["expression"])
        assert isinstance(q, Q), (row["page"], row["expression"])
        assert same_published(row["value"], q.value), (row["page"], row["expression"], row["value"], q.value)
        assert (q.text, q.status) == (row["text"], row["status"]), (row["page"], row["expression"])


def test_every_model_row_is_recomputed_by_the_one_derivation(built_site: Path):
    book = load(ROOT / "data")
    doc = json.loads((built_site / "data" / "models.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in doc["models"]] == list(book.models)
    for row in doc["models"]:
        m = book.models[row["id"]]
        v, era, c = derive.model_values(book, m), derive.era(book, m), row["computed"]
        expected = SimpleNamespace(
            params=v.params,
            active_params=v.active_params,
            tokens=v.tokens,
            train_flops=v.train_flops,
            tokens_per_param=v.tokens_per_param,
            chinchilla_tokens=v.chinchilla_tokens,
            overtrain_factor=v.overtrain_factor,
            params_from_architecture=v.params_from_arch,
            active_params_from_architecture=v.active_params_from_arch,
        )
        for name, value in vars(expected).items():
            assert same_published(c[name], value), (m.id, name)
        for precision, value in v.weight_bytes.items():
            assert same_published(c["weight_bytes"][precision], value), (m.id, precision)
        assert row["derived_status"] == v.derived_status
        assert row["era"] == {"slug": era.slug, "name": era.name, "short": era.short}


def _csv(site: Path, name: str) -> list[dict]:
    with (site / "figures" / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_plotted_point_of_a_model_or_accelerator_is_the_one_derivations(built_site: Path):
    """Each chart's CSV (exactly its plotted points), recomputed from the records through macros.derive."""
    book = load(ROOT / "data")
    values = {m.id: derive.model_values(book, m) for m in book.models.values()}
    checked = 0

    def check(got: str, want: float | None) -> None:
        nonlocal checked
        assert want is not None and same(float(got), want), (got, want)
        checked += 1

    for r in _csv(built_site, "compute-over-time"):
        m, v = book.models[r["id"]], values[r["id"]]
        check(r["flops"], v.train_flops if r["kind"] == "6ND" else m.reported_train_flops.value)
    for r in _csv(built_site, "tokens-per-param"):
        check(r["tokens_per_param"], values[r["id"]].tokens_per_active_param)
        check(r["overtrain_factor"], values[r["id"]].active_overtrain_factor)
    for r in (r for r in _csv(built_site, "tokens-vs-params") if r["kind"] == "model"):
        v = values[r["id"]]
        check(r["params"], v.active_params), check(r["tokens"], v.tokens)
        check(r["overtrain_factor"], v.active_overtrain_factor)
    for r in _csv(built_site, "weight-memory"):
        if r["kind"] == "model":
            check(r["gigabytes"], values[r["id"]].weight_bytes[r["precision"]] / 1e9)
        else:
            check(r["gigabytes"], derive.hardware_values(book.hardware[r["id"]]).memory_bytes / 1e9)
    for r in _csv(built_site, "moe-total-active"):
        check(r["sparsity"], values[r["id"]].sparsity)
    for r in _csv(built_site, "param-breakdown"):
        parts = values[r["id"]].breakdown
        check(r["total_params"], parts["total"])
        check(r["attention_share"], parts["attention"] / parts["total"])
    for r in (r for r in _csv(built_site, "training-cost") if r["kind"] == "model"):
        check(r["flops"], values[r["id"]].train_flops)
        if r["mfu"]:
            check(r["mfu"], derive.training_mfu(book, book.models[r["id"]]))
    for r in _csv(built_site, "isoflop"):
        if r["kind"] in ("optimum", "frontier"):
            n, d = derive.optimum(book, float(r["flops"]), "besiroglu")
            check(r["params"], n), check(r["tokens"], d)
        elif r["kind"] == "model":
            check(r["flops"], values[r["budget_model"]].train_flops)
            check(r["params"], values[r["budget_model"]].active_params)
    frontiers = {fr.scale: fr for fr in derive.serving_frontiers(book)}
    for r in (r for r in _csv(built_site, "inference-economics") if r["kind"] == "frontier"):
        fr = frontiers[float(r["scale"])]
        p = next(p for p in fr.points if (p.gpus, p.batch) == (int(r["gpus"]), int(r["batch"])))
        check(r["total_params"], fr.total_params), check(r["active_params"], fr.active_params)
        check(r["tokens_per_s_per_user"], p.tokens_per_second_per_user)
        check(r["usd_per_million_tokens"], p.usd_per_million_tokens)
        assert r["bound"] == p.bound
    assert checked > 500
