"""Figures: every chart renders from the real data and from a tiny synthetic book; the
plotted points are the formulas' values; rumours look like rumours; renders are
byte-stable, cached, and only redone for the figures whose inputs changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

import build_figures as bf
from figures.charts import plan
from figures.drawing import svg_bytes
from macros import format as fmt
from macros import formulas as f
from macros.data import Book, Model, Value, load
from macros.records import Arch

ROOT = Path(__file__).resolve().parents[2]
ALL = {
    "params-over-time",
    "compute-over-time",
    "tokens-vs-params",
    "tokens-per-param",
    "weight-memory",
    "param-breakdown",
    "moe-total-active",
    "loss-curves",
    "isoflop",
    "training-cost",
    "inference-economics",
}


@pytest.fixture(scope="module")
def book() -> Book:
    return load(ROOT / "data")


@pytest.fixture(scope="module")
def rendered(book, tmp_path_factory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("figures-real")
    return out, bf.render_changed(book, out=out, quiet=True)


def read_csv(out: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / f"{name}.csv").read_text())))


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rel)


# --- a tiny synthetic book: invented models, the real constants and hardware --------------------
def _v(value, status="disclosed", source="book-policy"):
    return Value(value=value, status=status, source=source)


def _model(mid: str, released: str, params: float, tokens: float | None, status="disclosed", **kw) -> Model:
    fields = dict(
        id=mid,
        name=mid.upper(),
        family="Toy",
        org="Test",
        released=dt.date.fromisoformat(released),
        open_weights=True,
        params=_v(params, status),
        tokens=_v(tokens, status) if tokens else Value(None, "undisclosed", "book-policy"),
        active_params=None,
        reported_train_flops=None,
        gpu_hours=None,
        gpus=None,
        reported_cost_usd=None,
        train_hardware=None,
        note=None,
        arch=None,
        arch_source=None,
        arch_status=None,
    )
    fields.update(kw)
    return Model(**fields)


TOY_ARCH = Arch(layers=4, d_model=256, heads=4, kv_heads=2, ffn=1024, vocab=1000, tied_embeddings=False)
TOY_BIG_ARCH = Arch(layers=8, d_model=512, heads=8, kv_heads=8, ffn=1536, vocab=4000, tied_embeddings=True)


@pytest.fixture(scope="module")
def toy(book) -> Book:
    small = f.param_breakdown(TOY_ARCH)["total"]
    big = f.param_breakdown(TOY_BIG_ARCH)["total"]
    models = [
        # ids the iso-FLOP and serving charts look for, with invented values
        _model("gpt-3", "2020-01-01", small, 2e9, arch=TOY_ARCH, arch_source="book-policy", arch_status="disclosed"),
        _model(
            "llama-3.1-405b",
            "2022-01-01",
            big,
            3e10,
            arch=TOY_BIG_ARCH,
            arch_source="book-policy",
            arch_status="disclosed",
            gpu_hours=_v(500.0),
            train_hardware="h100-sxm",
            reported_train_flops=_v(2e20),
        ),  # fmt: skip
        _model(
            "gpt-4",
            "2023-01-01",
            4e11,
            None,
            status="rumored",
            active_params=_v(5e10, "rumored"),
            reported_train_flops=_v(1e24, "rumored"),
        ),  # fmt: skip
        _model("toy-moe", "2024-01-01", 8e9, 4e12, status="estimated", active_params=_v(1e9, "estimated")),
    ]
    return Book(
        models=MappingProxyType({m.id: m for m in models}),
        hardware=book.hardware,
        sources=book.sources,
        constants=book.constants,
    )


@pytest.fixture(scope="module")
def toy_rendered(toy, tmp_path_factory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("figures-toy")
    return out, bf.render_changed(toy, out=out, quiet=True)


# --- every figure renders, from real and from synthetic data ----------------------------------------
def _check_outputs(out: Path, names: set[str]) -> None:
    index = json.loads((out / "index.json").read_text())
    assert set(index) == names
    for name, entry in index.items():
        for suffix in (".svg", "-dark.svg"):
            svg = out / f"{name}{suffix}"
            root = ET.fromstring(svg.read_bytes())  # well-formed SVG
            assert root.tag.endswith("svg")
        rows = read_csv(out, name)
        assert len(rows) == entry["points"] > 0
        assert entry["alt"] and entry["title"]
        assert "Date" not in (out / f"{name}.svg").read_text()[:2000]


def test_every_figure_renders_from_the_real_data(rendered):
    out, names = rendered
    assert set(names) == ALL
    _check_outputs(out, ALL)


def test_every_figure_renders_from_a_tiny_synthetic_book(toy_rendered):
    out, names = toy_rendered
    assert set(names) == ALL
    _check_outputs(out, ALL)
    # the invented values, not the real ones, are what was plotted
    rows = read_csv(out, "params-over-time")
    assert {r["id"] for r in rows} == {"gpt-3", "llama-3.1-405b", "gpt-4", "toy-moe"}


def test_a_planner_with_nothing_to_plot_is_skipped(toy):
    only_gpt4 = replace(toy, models=MappingProxyType({"gpt-4": toy.models["gpt-4"]}))
    names = {fig.name for fig in plan(only_gpt4)}
    assert "param-breakdown" not in names and "tokens-per-param" not in names
    assert "params-over-time" in names and "moe-total-active" in names


# --- the CSV holds the plan (each chart's values are checked in tests/unit/figures/) ----------------
def test_each_csv_is_its_plan(rendered, book):
    out, _ = rendered
    for fig in plan(book):
        rows = read_csv(out, fig.name)
        assert tuple(rows[0]) == type(fig.rows[0])._fields
        assert [tuple(r.values()) for r in rows] == [tuple(str(x) for x in row) for row in fig.rows]


def test_the_isoflop_caption_agrees_with_the_chapter(built_site, book):
    """The chart and the chinchilla chapter put GPT-3 at the same multiple of its optimal size."""
    rows = json.loads((built_site / "data/numbers.json").read_text())["numbers"]
    rendered = {r["expression"]: r["value"] for r in rows if r["page"] == "chapters/chinchilla.md"}
    n_opt = rendered["optimal(model('gpt-3').train_flops, 'besiroglu').params"]
    title = next(fig.title for fig in plan(book) if fig.name == "isoflop")
    assert f"GPT-3 was {fmt.text(book.models['gpt-3'].params.value / n_opt, 'ratio')} larger" in title


# --- rumours look like rumours ---------------------------------------------------------------------
def _group_styles(svg: bytes, gid: str) -> list[str]:
    root = ET.fromstring(svg)
    groups = [el for el in root.iter() if el.get("id") == gid]
    return [el.get("style", "") for g in groups for el in g.iter() if el.get("style")]


def test_a_rumored_model_is_drawn_hollow_in_the_rumored_group(rendered, toy_rendered):
    out, _ = rendered
    row = next(r for r in read_csv(out, "params-over-time") if r["id"] == "gpt-4")
    assert row["params_status"] == "rumored"
    for suffix in (".svg", "-dark.svg"):
        svg = (out / f"params-over-time{suffix}").read_bytes()
        rumored = _group_styles(svg, "points-rumored")
        assert rumored and all("fill: none" in s for s in rumored)
        disclosed = _group_styles(svg, "points-disclosed")
        assert disclosed and not any("fill: none" in s for s in disclosed)
    # a synthetic model marked rumored lands in the rumored style too, on every chart that shows it
    toy_out, _ = toy_rendered
    svg = (toy_out / "params-over-time.svg").read_bytes()
    assert _group_styles(svg, "points-rumored")
    assert any(r["total_status"] == "rumored" for r in read_csv(toy_out, "moe-total-active"))
    moe = ET.fromstring((toy_out / "moe-total-active.svg").read_bytes())
    bar = next(el for el in moe.iter() if el.get("id") == "total-rumored-gpt-4")
    assert "fill: url(#" in ET.tostring(bar, encoding="unicode") or "fill: none" in ET.tostring(bar, encoding="unicode")
    front = [r for r in read_csv(toy_out, "inference-economics") if r["kind"] == "frontier"]
    assert front and {r["status"] for r in front} == {"rumored"}


# --- bytes, cache, parallelism ------------------------------------------------------------------------
def test_rendering_twice_gives_identical_bytes(rendered, book):
    out, _ = rendered
    figures = {fig.name: fig for fig in plan(book)}
    for name in ("params-over-time", "inference-economics"):
        assert svg_bytes(figures[name], "light") == (out / f"{name}.svg").read_bytes()
        assert svg_bytes(figures[name], "dark") == (out / f"{name}-dark.svg").read_bytes()


def test_unchanged_data_renders_nothing_and_never_imports_matplotlib(rendered):
    out, _ = rendered
    code = (
        "import sys; import build_figures as bf; from macros.data import load; "
        f"done = bf.render_changed(load({str(ROOT / 'data')!r}), out={str(out)!r}); "
        "print(len(done), 'matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "False"]
    assert result.stderr == ""  # no "rendered" progress lines either


def test_a_data_change_redraws_only_the_figures_it_touches(rendered, book, tmp_path):
    out, _ = rendered
    before = {fig.name: fig.digest() for fig in plan(book)}

    def changed(model_id: str, **values) -> set[str]:
        m = replace(book.models[model_id], **values)
        edited = replace(book, models=MappingProxyType({**book.models, model_id: m}))
        return {fig.name for fig in plan(edited) if fig.digest() != before[fig.name]}

    l8 = book.models["llama-3-8b"]
    assert changed("llama-3-8b", tokens=replace(l8.tokens, value=l8.tokens.value * 2)) == {
        "compute-over-time",
        "tokens-vs-params",
        "tokens-per-param",
        "isoflop",
        "training-cost",
    }
    assert changed("gpt-4", active_params=replace(book.models["gpt-4"].active_params, value=1e11)) == {
        "params-over-time",
        "moe-total-active",
        "inference-economics",
    }
    # and render_changed acts on it: a cheap change that touches one figure
    copy = tmp_path / "figures"
    shutil.copytree(out, copy)
    l1 = book.models["llama-3.2-1b"]
    m = replace(l1, gpu_hours=replace(l1.gpu_hours, value=l1.gpu_hours.value * 2))
    edited = replace(book, models=MappingProxyType({**book.models, m.id: m}))
    assert bf.render_changed(edited, out=copy, quiet=True) == ["training-cost"]
    assert (copy / "training-cost.svg").read_bytes() != (out / "training-cost.svg").read_bytes()
    assert (copy / "params-over-time.svg").read_bytes() == (out / "params-over-time.svg").read_bytes()


def test_editing_one_chart_module_redraws_only_that_chart(rendered, book_copy, tmp_path):
    out, _ = rendered
    cache = tmp_path / "cache"
    shutil.copytree(out, cache)
    module = book_copy / "figures" / "loss_curves.py"
    module.write_text(module.read_text() + "# an edit that draws nothing new\n")
    result = subprocess.run(
        [sys.executable, "build_figures.py", "--data", str(book_copy / "data"), "--out", str(cache)],
        cwd=book_copy, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("figure loss-curves: rendered light+dark")
    assert lines[1].startswith("1 figure(s) rendered, 10 unchanged")
    assert (cache / "loss-curves.svg").read_bytes() == (out / "loss-curves.svg").read_bytes()


def test_alt_text_names_the_scale_the_range_and_the_extremes(rendered):
    out, _ = rendered
    index = json.loads((out / "index.json").read_text())
    alt = index["params-over-time"]["alt"]
    assert "logarithmic" in alt and "GPT-4" in alt and "GPT-1" in alt
    assert "Gemma 3 270M" in index["tokens-per-param"]["alt"] and "Gopher" in index["tokens-per-param"]["alt"]
    for entry in index.values():
        assert len(entry["alt"]) > 150


def test_the_site_publishes_every_figure_with_its_csv(built_site, book):
    published = built_site / "figures"
    for fig in plan(book):
        assert (published / f"{fig.name}.svg").is_file()
        assert (published / f"{fig.name}-dark.svg").is_file()
        assert (published / f"{fig.name}.csv").read_text() == fig.csv_text()


def test_a_missing_constant_is_one_line_naming_file_and_key(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "constants.toml").read_text()
    start = text.index("[overtrain_guide_high]")
    end = text.find("\n[", start)
    (data / "constants.toml").write_text(text[:start] + (text[end:] if end != -1 else ""))
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_figures.py"), "--data", str(data), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: data/constants.toml: constant 'overtrain_guide_high' is missing (a computed figure needs it)"
    ]
