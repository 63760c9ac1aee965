"""The eras chapter's table of every model: server-rendered first rows, filled in the browser.

The page renders only its first rows (by release date); ``docs/assets/models-table.js`` with the
"eras" columns rebuilds the table from ``models.json``. What the script shows must be what the
server shows for the same model, cell for cell: the cells are compared with the same page opened
with JavaScript off, not with values typed here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scripts.bench.scale import synthetic_book
from tests.browser.test_browser import browser, new_context, server  # noqa: F401 - fixtures, used by name
from tests.conftest import run_mkdocs_build

PAGE = "chapters/eras/"
TABLE = "[data-models-columns=eras]"
CELLS = f"""() => [...document.querySelectorAll('{TABLE} tbody tr')]
    .filter(tr => !tr.hidden).map(tr => [...tr.children].map(td => td.innerText.trim()))"""


def test_every_model_is_in_the_static_page_sorted_by_date(built_site: Path):
    page = (built_site / PAGE / "index.html").read_text(encoding="utf-8")
    models = json.loads((built_site / "data/models.json").read_text(encoding="utf-8"))["models"]
    assert 'data-models-columns="eras"' in page and 'src="../../assets/models-table.js"' in page
    table = page[page.index('data-models-columns="eras"') :]
    table = table[: table.index("</table>")]
    names = re.findall(r"<tr>\s*<td>([^<]*)</td>", table)
    by_date = sorted(models, key=lambda m: m["released"])  # stable, as Jinja's sort
    assert names == [m["name"] for m in by_date]
    assert "until its script has loaded" not in page.lower()  # nothing is left out at this size


def _open(ctx, url: str, js: bool = True):
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    if js:
        page.wait_for_selector(f"{TABLE}[data-ready=yes]", timeout=30_000)
    return page, errors


@pytest.fixture(scope="module")
def static_cells(browser, server: str) -> list[list[str]]:  # noqa: F811
    """The server-rendered rows as a reader without JavaScript sees them."""
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(server + PAGE, wait_until="load")
    cells = page.evaluate(CELLS)
    ctx.close()
    return cells


@pytest.mark.browser
def test_script_fills_the_table_with_the_servers_cells(browser, server: str, static_cells, built_site: Path):  # noqa: F811
    models = json.loads((built_site / "data/models.json").read_text(encoding="utf-8"))["models"]
    blocked: list[str] = []
    ctx = new_context(browser, server, "light", blocked)
    page, errors = _open(ctx, server + PAGE)
    cells = page.evaluate(CELLS)
    assert page.locator(f"{TABLE} input[type=search]").count() == 1  # the script's table, not the static one
    assert len(cells) == len(models) == len(static_cells)
    assert [row[0] for row in cells] == [row[0] for row in static_cells]  # same order: by release date
    for js_row, html_row in zip(cells, static_cells, strict=True):
        assert js_row == html_row
    # Uncertain values keep their statuses (the style, and a legend under the table, not a flag per
    # cell), and the derived numbers link to Methods from their provenance.
    assert page.locator(f"{TABLE} .num--estimated").count() > 0
    assert page.locator(f"{TABLE} .num--rumored").count() > 0
    assert page.locator(f"{TABLE} sup.num-flag").count() == 0
    assert page.locator(f"{TABLE} p.num-legend .num-sample.num--rumored").count() == 1
    assert page.locator(f"{TABLE} a.num__method[href*='methods/#overtraining']").count() == len(models)
    assert page.locator(f"{TABLE} th[aria-sort=ascending]").inner_text() == "Year"
    ctx.close()
    assert not errors and not blocked, (errors, blocked)


@pytest.mark.browser
def test_sorting_and_search(browser, server: str, built_site: Path):  # noqa: F811
    models = json.loads((built_site / "data/models.json").read_text(encoding="utf-8"))["models"]
    tpp = {m["name"]: m["computed"]["tokens_per_param"] for m in models}
    blocked: list[str] = []
    ctx = new_context(browser, server, "light", blocked)
    page, errors = _open(ctx, server + PAGE)
    page.locator(f"{TABLE} button[data-key=tpp]").click()
    names = [row[0] for row in page.evaluate(CELLS)]
    known = [tpp[n] for n in names if tpp[n] is not None]
    assert known == sorted(known) and len(known) > 10
    assert all(tpp[n] is None for n in names[len(known) :])  # undisclosed last
    page.locator(f"{TABLE} button[data-key=tpp]").click()
    known = [tpp[n] for n in (row[0] for row in page.evaluate(CELLS)) if tpp[n] is not None]
    assert known == sorted(known, reverse=True)

    box = page.locator(f"{TABLE} input[type=search]")
    box.fill("llama")
    page.wait_for_function(f"document.querySelectorAll('{TABLE} tbody tr').length < {len(models)}")
    shown = [row[0] for row in page.evaluate(CELLS)]
    expected = [m["name"] for m in models if "llama" in f"{m['name']} {m['id']} {m['org']} {m['family']}".lower()]
    assert sorted(shown) == sorted(expected) and len(expected) >= 3
    box.fill("overtrain")  # an era's name finds its models
    late = sum(m["era"]["slug"] == "overtrain" for m in models)
    page.wait_for_function(f"document.querySelectorAll('{TABLE} tbody tr').length === {late}")
    assert {row[2] for row in page.evaluate(CELLS)} == {"Overtrain"} and late != len(expected)
    ctx.close()
    assert not errors and not blocked, (errors, blocked)


SYNTHETIC = 2500


@pytest.fixture(scope="module")
def synthetic_site(built_site: Path, tmp_path_factory) -> Path:
    """The book with a few thousand synthetic models (the benchmark's generator), charts not redrawn."""
    work = tmp_path_factory.mktemp("eras-synthetic")
    book = synthetic_book(work / "book", SYNTHETIC)
    site = work / "site"
    result = run_mkdocs_build(site, cwd=book)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_the_page_stays_small_with_thousands_of_models(synthetic_site: Path, built_site: Path):
    real = (built_site / PAGE / "index.html").read_text(encoding="utf-8")
    page = (synthetic_site / PAGE / "index.html").read_text(encoding="utf-8")
    rows = page.count("<tr>") - 1  # less the header
    models = len(json.loads((synthetic_site / "data/models.json").read_text(encoding="utf-8"))["models"])
    assert models == SYNTHETIC
    assert 0 < rows < models / 20
    # A full table would weigh about (bytes of the real page's rows ÷ their number) per model.
    real_rows = real.count("<tr>") - 1
    per_row = len(real[real.index("<tbody>") : real.index("</tbody>")]) / real_rows
    assert len(page) < 2 * len(real) < per_row * models / 10
    # The note says rows are left out until the script loads (the count is a number with provenance).
    visible = re.sub(r"<[^>]+>", "", re.sub(r'<span class="num__prov".*?</span>', "", page, flags=re.S))
    assert f"{models:,} models" in re.sub(r"\s+", " ", visible)


@pytest.mark.browser
def test_the_browser_table_has_every_synthetic_model(browser, synthetic_site: Path):  # noqa: F811
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from tests.browser.test_browser import QuietHandler

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(synthetic_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    blocked: list[str] = []
    ctx = new_context(browser, base, "light", blocked)
    try:
        page, errors = _open(ctx, base + PAGE)
        status = page.locator(f"{TABLE} .models-table__status").inner_text()
        assert f"({SYNTHETIC:,} in all)" in status, status
        page.locator(f"{TABLE} input[type=search]").fill("gpt-3 x41")  # a synthetic model deep in the file
        page.wait_for_function(f"document.querySelectorAll('{TABLE} tbody tr').length === 1")
        assert page.evaluate(CELLS)[0][0] == "GPT-3 x41"
    finally:
        ctx.close()
        httpd.shutdown()
        httpd.server_close()
    assert not errors and not blocked, (errors, blocked)
