"""[4] Scale: synthetic data sets of thousands of models (real entries replicated and perturbed)."""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
import tomllib
from pathlib import Path

from .common import ROOT, build, copy_book, fmt_s, log, median_of, run_injected


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def models_toml(models: list[dict]) -> str:
    out = []
    for m in models:
        out.append("[[models]]")
        out += [f"{k} = {_toml_value(v)}" for k, v in m.items() if k != "arch"]
        if "arch" in m:
            out.append("[models.arch]")
            out += [f"{k} = {_toml_value(v)}" for k, v in m["arch"].items()]
        out.append("")
    return "\n".join(out)


def synthetic_models(n: int) -> list[dict]:
    """``n`` models: the real ones first, then copies with unique ids and perturbed tokens and dates."""
    real = tomllib.loads((ROOT / "data/models.toml").read_text())["models"]
    out = []
    for k in range(n):
        base = real[k % len(real)]
        rep = k // len(real)
        if rep == 0:
            out.append(base)
            continue
        m = json.loads(json.dumps(base, default=str))  # deep copy; dates come back as text
        m["id"] = f"{base['id']}-x{rep}"
        m["name"] = f"{base['name']} x{rep}"
        m["released"] = base["released"] + dt.timedelta(days=rep % 300)
        tok = m["tokens"]
        if "value" in tok:
            tok["value"] = round(tok["value"] * (1 + ((k * 7919) % 201 - 100) / 1000), 6)
        out.append(m)
    return out


def stub_figures(book: Path, rendered: Path = ROOT / ".cache/figures") -> None:
    """Mark the charts of ``book`` as drawn for its (synthetic) data, reusing the SVGs in ``rendered``.

    Charts are not redrawn for synthetic data (their cost is measured in [2]); the planner still
    runs, and a build of ``book`` afterwards redraws nothing.
    """
    out = run_injected(book, "bench_stub_figures.py", str(rendered))
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])


def synthetic_book(dest: Path, n: int) -> Path:
    """A copy of the book with ``n`` synthetic models and its charts marked as drawn."""
    book = copy_book(dest)
    (book / "data/models.toml").write_text(models_toml(synthetic_models(n)))
    stub_figures(book)
    return book


def _growth_exponent(results: dict[int, dict]) -> float:
    """Least-squares slope of log(build time) over log(models)."""
    xs = [math.log(n) for n in results]
    ys = [math.log(r["median"]) for r in results.values()]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def bench_scale(work: Path, runs: int, sizes: list[int]) -> dict:
    real_n = len(tomllib.loads((ROOT / "data/models.toml").read_text())["models"])
    books = {real_n: copy_book(work / f"book-{real_n}")}
    books |= {n: synthetic_book(work / f"book-{n}", n) for n in sizes if n != real_n}
    results = {}
    for n, book in books.items():
        first = build(book, work / f"site-{n}").wall  # the first build after the data changed
        res = median_of(runs, {"build": lambda book=book, n=n: build(book, work / f"site-{n}")})
        results[n] = {**res["build"], "first": round(first, 3)}
        log(
            f"[4] scale: {n} models: first build {fmt_s(first)}, then {fmt_s(res['build']['median'])} {res['build']['runs']}"
        )
    largest = max(results)
    heavy = sorted(
        (
            (p.stat().st_size, p.relative_to(work / f"site-{largest}").as_posix())
            for p in (work / f"site-{largest}").rglob("*.html")
        ),
        reverse=True,
    )[:3]
    log(f"[4] scale: heaviest pages at {largest} models: " + ", ".join(f"{name} {size:,} B" for size, name in heavy))
    slope = _growth_exponent(results)
    ratio = results[largest]["median"] / results[real_n]["median"]
    cpu_ratio = results[largest]["cpu_median"] / results[real_n]["cpu_median"]
    log(
        f"[4] scale: {largest} models / {real_n} models = {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU "
        f"(target <= 3x at 30,000); growth exponent {slope:.3f}"
    )
    return {
        "models": {str(n): r for n, r in results.items()},
        "heaviest_pages": {name: size for size, name in heavy},
        "base_models": real_n,
        "largest": largest,
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "exponent": slope,
        "target": 3.0,
        "met": ratio <= 3.0 if largest >= 30000 else None,
    }
