"""The reader's tools in Chromium: the four calculators and the Explorer page.

Every expected number is computed here in Python, through the vocabulary (the chapters' path) and
``macros.formulas`` / ``macros.format``, never typed: each calculator must show the Python result
for its prefilled model and after an input is edited by keyboard. The explorer must draw one mark
per model with data, redraw on an axis change, restore a shared URL, and export what it shows.
Light and dark, 390 px wide, keyboard only; no console error and no request leaving the site.
Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from macros import format as fmt
from macros import formulas as f
from macros import units
from macros.data import load
from macros.vocab import Vocabulary, calculators
from macros.vocab.lifetime import optimal
from macros.vocab.models import model
from macros.vocab.serving import serving
from tests.browser.test_browser import SHOTS, browser, new_context, server  # noqa: F401 - fixtures, used by name
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

PAGES = {"training": "chapters/hardware/", "memory": "chapters/anatomy/", "serving": "chapters/smaller-frontier/",
         "chinchilla": "chapters/chinchilla/"}  # fmt: skip
EDIT = {"training": "tokens", "memory": "context", "serving": "batch", "chinchilla": "budget"}


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(load(ROOT / "data"))


def expected(kind: str, values: dict[str, float], spec: dict) -> dict[str, str]:
    """The calculator's results in Python: macros.formulas on the same inputs, written by macros.format."""
    v = values
    if kind == "training":
        flops = f.train_flops(v["params"], v["tokens"])
        hours = f.gpu_hours_for(flops, v["peak"], v["utilization"])
        raw = {"flops": (flops, "flop"), "gpu_hours": (hours, "gpu_hours"),
               "days": (f.gpu_days(hours, v["gpus"]), "days"), "usd": (f.gpu_cost(hours, v["price"]), "usd")}  # fmt: skip
    elif kind == "memory":
        weights = f.weight_bytes(v["params"], spec["precision"])
        total = weights + v["kv_token"] * v["context"] * v["batch"]
        raw = {"weights": (weights, "bytes"), "total": (total, "bytes"),
               "devices": (f.devices_needed(total, v["device"]), "gpus")}  # fmt: skip
    elif kind == "serving":
        p = f.decode_point(v["total"], v["total"] * v["share"], spec["bytes_per_param"], v["kv_sequence"], v["batch"],
                           v["gpus"], v["memory"], v["bandwidth"], v["peak"], v["price"], v["utilization"])  # fmt: skip
        raw = {"speed": (p.tokens_per_second_per_user, "tokens_per_s"), "cost": (p.usd_per_million_tokens, "usd_per_mtok"),
               "step": (p.step_seconds, "ms")}  # fmt: skip
    else:
        raw = {}
        for fit, c in spec["fits"].items():
            n, d = f.compute_optimal(v["budget"], f.LossFit(**c))
            raw |= {f"{fit}_params": (n, "params"), f"{fit}_tokens": (d, "tokens"),
                    f"{fit}_ratio": (f.tokens_per_param(d, n), "number")}  # fmt: skip
    return {k: fmt.text(x, style) for k, (x, style) in raw.items()}


def test_prefills_are_the_chapters_figures(vocab: Vocabulary) -> None:
    """The calculators start from the numbers the chapters print (same vocabulary path)."""
    l405, l70 = model(vocab, "llama-3.1-405b"), model(vocab, "llama-3-70b")
    spec = calculators.training(vocab)
    assert expected("training", _values(spec), spec)["flops"] == l405.train_flops.text
    spec = calculators.memory(vocab)
    assert fmt.text(f.weight_bytes(_values(spec)["params"], "bf16"), "bytes") == l70.mem("bf16").text
    spec = calculators.serving_calc(vocab)
    best = serving(vocab, "h200-sxm", "fp8", "llama-3.1-405b", "h200_price_per_gpu_hour", "bf16").cheapest(
        l405.params, l405.active_params
    )
    assert expected("serving", _values(spec), spec)["cost"] == best.cost.text
    spec = calculators.chinchilla(vocab)
    opt = optimal(vocab, model(vocab, "chinchilla").train_flops, "besiroglu")
    assert expected("chinchilla", _values(spec), spec)["besiroglu_params"] == opt.params.text


def _values(spec: dict) -> dict[str, float]:
    return {i["key"]: i["value"] for i in spec["inputs"]}


def _page(browser, server: str, path: str, scheme: str = "light", width: int = 1280):  # noqa: F811
    blocked: list[str] = []
    ctx = new_context(browser, server, scheme, blocked)
    page = ctx.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + path)
    return ctx, page, errors, blocked


def _results(page, kind: str) -> dict[str, str]:
    root = page.locator(f"[data-calc={kind}][data-ready=yes]")
    root.wait_for()
    return page.evaluate(
        f"""() => Object.fromEntries([...document.querySelectorAll('[data-calc={kind}] [data-out]')]
            .map(r => [r.dataset.out, r.querySelector('.book-calc__value').textContent]))"""
    )


@pytest.mark.parametrize("kind", list(PAGES))
def test_calculator_gives_the_python_result(browser, server: str, vocab: Vocabulary, kind: str) -> None:  # noqa: F811
    spec = calculators.CALCULATORS[kind](vocab)
    ctx, page, errors, blocked = _page(browser, server, PAGES[kind])
    shown = _results(page, kind)
    want = expected(kind, _values(spec), spec)
    assert {k: shown[k] for k in want} == want
    assert page.locator(f"[data-calc={kind}]").inner_text().count("not in numbers.json") == 1

    # Edit one input by keyboard: the field's text times its unit, as the page reads it.
    field = next(i for i in spec["inputs"] if i["key"] == EDIT[kind])
    box = page.locator(f"[data-calc={kind}] input[data-key={EDIT[kind]}]")
    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    values = _values(spec) | {EDIT[kind]: 3 * field["scale"]}
    want = expected(kind, values, spec)
    shown = _results(page, kind)
    assert {k: shown[k] for k in want} == want
    statuses = page.evaluate(
        f"() => [...document.querySelectorAll('[data-calc={kind}] [data-out]')].map(r => r.dataset.status)"
    )
    assert "yours" in statuses
    page.locator(f"[data-calc={kind}]").screenshot(path=str(_shot(f"calc-{kind}.png")))
    ctx.close()
    assert errors == [] and blocked == []


def test_memory_size_toggles_between_parameters_and_bytes(browser, server: str, vocab: Vocabulary) -> None:  # noqa: F811
    spec = calculators.memory(vocab)
    ctx, page, errors, blocked = _page(browser, server, PAGES["memory"], "dark", 390)
    before = _results(page, "memory")
    page.select_option("[data-calc=memory] select[aria-label='Enter the size as']", "bytes")
    box = page.locator("[data-calc=memory] input[data-key=params]")
    assert box.input_value() == str(fmt.sig(f.weight_bytes(_values(spec)["params"], "bf16") / units.GB, 6)).replace(
        ",", ""
    )
    assert _results(page, "memory") == before  # same model, other unit
    page.screenshot(path=str(_shot("calc-memory-390-dark.png")), full_page=False)
    ctx.close()
    assert errors == [] and blocked == []


def test_training_accelerator_and_budgets(browser, server: str, vocab: Vocabulary) -> None:  # noqa: F811
    """Picking an accelerator takes its peak from the data (the data's status, not the reader's); a
    budget in dollars, GPU-hours or FLOP gives the tokens it buys, through the inverse formulas."""
    spec = calculators.training(vocab)
    b200 = next(a for a in spec["accelerators"] if a["id"] == "b200")
    ctx, page, errors, blocked = _page(browser, server, PAGES["training"])
    _results(page, "training")
    page.select_option("[data-calc=training] select[id$=-accelerator]", "b200")
    values = _values(spec) | {"peak": b200["value"]}
    want = expected("training", values, spec)
    shown = _results(page, "training")
    assert {k: shown[k] for k in want} == want
    status = {i["key"]: i["status"] for i in spec["inputs"]} | {"peak": b200["status"]}
    rank = ["disclosed", "estimated", "claimed", "rumored", "undisclosed"]
    worst = max((status[k] for k in ("params", "tokens", "peak", "utilization")), key=rank.index)
    assert (
        page.locator("[data-calc=training] [data-out=gpu_hours]").get_attribute("data-status") == worst
    )  # not "yours"
    v = values
    for mode, typed, scale in (("usd", "10", 1e6), ("gpu_hours", "2", 1e6), ("flops", "5", 1e24)):
        page.select_option("[data-calc=training] select[id$=-start-from]", mode)
        box = page.locator("[data-calc=training] input[data-key=budget]")
        box.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type(typed)
        budget = float(typed) * scale
        hours = {"usd": f.gpu_hours_for_cost(budget, v["price"]), "gpu_hours": budget}.get(mode)
        flops = budget if mode == "flops" else f.flops_in_gpu_hours(hours, v["peak"], v["utilization"])
        hours = f.gpu_hours_for(flops, v["peak"], v["utilization"]) if hours is None else hours
        want = {"tokens": fmt.text(f.tokens_for_flops(flops, v["params"]), "tokens"), "flops": fmt.text(flops, "flop"),
                "gpu_hours": fmt.text(hours, "gpu_hours"), "usd": fmt.text(f.gpu_cost(hours, v["price"]), "usd")}  # fmt: skip
        shown = _results(page, "training")
        assert {k: shown[k] for k in want} == want, mode
        assert page.locator("[data-calc=training] input[data-key=tokens]").is_disabled()
    page.select_option("[data-calc=training] select[id$=-start-from]", "model")
    assert not page.locator("[data-calc=training] input[data-key=budget]").is_visible()
    assert "tokens" not in _results(page, "training")
    page.locator("[data-calc=training]").screenshot(path=str(_shot("calc-training-budget.png")))
    ctx.close()
    assert errors == [] and blocked == []


def test_calculators_stay_hidden_without_javascript(browser, server: str) -> None:  # noqa: F811
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(server + PAGES["training"])
    assert not page.locator("[data-calc]").is_visible()
    assert page.locator(".num > button.num__value").count() > 0  # the chapter's own numbers are all there
    ctx.close()


# -- the Explorer -------------------------------------------------------------------------------
def _plotted(models: list[dict], x: str, y: str, keep=lambda m: True) -> list[dict]:
    get = {"params": lambda m: m["computed"]["params"], "tokens": lambda m: m["computed"]["tokens"],
           "flops": lambda m: m["computed"]["train_flops"], "released": lambda m: m["released"]}  # fmt: skip
    ok = lambda v: v is not None and (isinstance(v, str) or v > 0)  # noqa: E731
    return [m for m in models if keep(m) and ok(get[x](m)) and ok(get[y](m))]


def _dots(page) -> int:
    page.locator("[data-explorer-models][data-ready=yes]").wait_for()
    return page.locator(".book-explorer__chart svg circle").count()


def test_explorer_draws_redraws_restores_and_exports(browser, server: str, built_site: Path) -> None:  # noqa: F811
    models = json.loads((built_site / "data/models.json").read_text(encoding="utf-8"))["models"]
    ctx, page, errors, blocked = _page(browser, server, "explore/")
    assert _dots(page) == len(_plotted(models, "params", "tokens")) > 0
    page.select_option("#explorer-x", "flops")
    assert _dots(page) == len(_plotted(models, "flops", "tokens"))
    assert "x=flops" in page.url
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download this view as CSV").click()
    rows = Path(dl.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) - 1 == len(_plotted(models, "flops", "tokens"))
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download the chart as SVG").click()
    svg = Path(dl.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.count("<circle") == len(_plotted(models, "flops", "tokens"))
    shared = page.url.split("?")[0] + "?x=released&y=flops&open=true"
    page.goto(shared)
    want = _plotted(models, "released", "flops", lambda m: m["open_weights"])
    assert _dots(page) == len(want) and page.input_value("#explorer-open") == "true"
    assert page.locator("table.book-explorer-table__table tbody tr").count() == len(models)
    page.screenshot(path=str(_shot("explore-light.png")), full_page=True)
    ctx.close()
    assert errors == [] and blocked == []


def test_explorer_by_keyboard_dark_and_narrow(browser, server: str) -> None:  # noqa: F811
    ctx, page, errors, blocked = _page(browser, server, "explore/", "dark", 390)
    first = _dots(page)
    page.locator("#explorer-x").focus()
    page.keyboard.press("ArrowDown")  # the next quantity: active parameters
    page.wait_for_function("() => location.search.includes('x=active')")
    assert _dots(page) <= first
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing runs off the screen
    page.locator("#explorer-pick").focus()
    page.keyboard.press("ArrowDown")  # the first plotted model: its provenance and a link to its row
    assert "its row in the table" in page.locator(".book-explorer__selected").inner_text()
    header = page.locator("table.book-explorer-table__table th").nth(5)
    header.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") in ("ascending", "descending")
    page.screenshot(path=str(_shot("explore-390-dark.png")), full_page=True)
    ctx.close()
    assert errors == [] and blocked == []


def _shot(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / name
