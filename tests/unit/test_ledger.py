"""macros/ledger.py: every number a chapter renders is one row of ``numbers.json``, under its page,
and links to its formula in the Methods appendix by a path relative to the page."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from macros import ledger
from macros.quantity import Input, Q

N = Input(symbol="N (Llama 3 8B)", text="8.03 B", status="disclosed", source="meta2024")
R = Input(symbol="N (GPT-4)", text="1.8 T", status="rumored", source=None)


@pytest.fixture
def fresh_ledger() -> Iterator[ledger.Ledger]:
    ledger.LEDGER.reset({})
    yield ledger.LEDGER
    ledger.LEDGER.reset({})


def _on_page(book_ledger: ledger.Ledger, src: str, url: str) -> None:
    book_ledger.page_src, book_ledger.page_url = src, url


@pytest.mark.parametrize(
    ("page_url", "target", "expected"),
    [
        ("chapters/scaling/", "appendix/methods/#training-compute", "../../appendix/methods/#training-compute"),
        ("", "appendix/methods/#training-compute", "appendix/methods/#training-compute"),  # the home page
        ("appendix/methods/", "appendix/methods/#kv-cache", "#kv-cache"),  # same page: the anchor alone
        ("chapters/scaling/", "chapters/eras/", "../eras/"),
        ("appendix/", "appendix/methods/", "methods/"),
    ],
)
def test_relative_url(page_url: str, target: str, expected: str):
    assert ledger.relative_url(page_url, target) == expected


def test_each_rendered_number_is_one_row_under_its_page(fresh_ledger: ledger.Ledger):
    params = Q(value=8.03e9, kind="params", label="parameters of Llama 3 8B", inputs=(N,), expr="model('l').params")
    rumour = Q(value=1.8e12, kind="params", label="parameters of GPT-4", inputs=(R,), expr="model('g').params")
    _on_page(fresh_ledger, "chapters/a.md", "chapters/a/")
    ledger.render(params)
    ledger.render(rumour)
    _on_page(fresh_ledger, "chapters/b.md", "chapters/b/")
    ledger.render(params)
    assert [(r["page"], r["expression"]) for r in fresh_ledger.rows] == [
        ("chapters/a.md", "model('l').params"),
        ("chapters/a.md", "model('g').params"),
        ("chapters/b.md", "model('l').params"),
    ]
    assert fresh_ledger.rows[1] == {
        "page": "chapters/a.md",
        "expression": "model('g').params",
        "label": "parameters of GPT-4",
        "value": 1.8e12,
        "kind": "params",
        "text": "1.8 T",
        "status": "rumored",
        "inputs": [{"symbol": "N (GPT-4)", "text": "1.8 T", "status": "rumored", "source": None}],
    }


def test_str_of_a_quantity_renders_it_and_records_it(fresh_ledger: ledger.Ledger):
    """What Jinja prints for ``{{ q }}`` goes through the ledger: the page cannot show an unrecorded number."""
    _on_page(fresh_ledger, "chapters/a.md", "chapters/a/")
    q = Q(value=8.03e9, kind="params", label="parameters", inputs=(N,), expr="e")
    html = str(q)
    assert '<button type="button" class="num__value" aria-describedby="num-chapters-a-1">8.03 B</button>' in html
    assert [r["expression"] for r in fresh_ledger.rows] == ["e"]


def test_a_number_with_a_method_links_to_it_from_its_page(fresh_ledger: ledger.Ledger):
    q = Q(value=8.03e9, kind="params", label="parameters", inputs=(N,), method="param-count")
    _on_page(fresh_ledger, "chapters/a.md", "chapters/a/")
    link = '<br><a class="num__method" href="{}">How it is computed</a></span></span>'
    assert ledger.render(q).endswith(link.format("../../appendix/methods/#param-count"))
    _on_page(fresh_ledger, "index.md", "")
    out = ledger.render(q)
    assert out.endswith(link.format("appendix/methods/#param-count"))
    assert 'id="num-index-1"' in out  # ids are unique in the site: page and count


def test_reset_starts_a_new_build(fresh_ledger: ledger.Ledger):
    _on_page(fresh_ledger, "chapters/a.md", "chapters/a/")
    ledger.render(Q(value=1.0, kind="number", label="x"))
    fresh_ledger.reset({"meta2024": object()})
    assert (fresh_ledger.rows, fresh_ledger.page_src, fresh_ledger.page_url) == ([], "", "")
    assert set(fresh_ledger.sources) == {"meta2024"}


def test_a_number_of_an_alt_text_is_a_row_that_names_its_figure(fresh_ledger: ledger.Ledger):
    rumour = Q(value=1.8e12, kind="params", label="parameters of GPT-4", inputs=(R,), expr="model('g').params")
    _on_page(fresh_ledger, "chapters/a.md", "chapters/a/")
    ledger.record(rumour, figure="params-over-time")  # no button shows it: no HTML
    ledger.render(rumour)
    alt, shown = fresh_ledger.rows
    assert alt == shown | {"figure": "params-over-time"} and "figure" not in shown
    assert alt["text"] == "1.8 T" and alt["status"] == "rumored"


# --- numbers placed after Markdown (tokens, ledger.fill) ---------------------------------------------
def _two_numbers(book_ledger: ledger.Ledger, deferring: bool) -> list[str]:
    book_ledger.reset({})
    _on_page(book_ledger, "chapters/a.md", "chapters/a/")
    book_ledger.deferring = deferring
    params = Q(value=8.03e9, kind="params", label="parameters of Llama 3 8B", inputs=(N,))
    rumour = Q(value=1.8e12, kind="params", label="parameters of GPT-4", inputs=(R,))
    return [ledger.render(params), ledger.render(rumour)]


def test_while_a_page_body_renders_numbers_are_tokens_filled_in_after_markdown(fresh_ledger: ledger.Ledger):
    direct = _two_numbers(fresh_ledger, deferring=False)
    tokens = _two_numbers(fresh_ledger, deferring=True)
    assert tokens == ["\ue0000\ue001", "\ue0001\ue001"]  # no character Markdown reads
    assert fresh_ledger.snippets["chapters/a.md"] == direct
    assert len(fresh_ledger.rows) == 2  # still one row each
    page = f"<p>From {tokens[0]} to {tokens[1]}.</p>"
    assert ledger.fill(page, fresh_ledger.snippets["chapters/a.md"]) == f"<p>From {direct[0]} to {direct[1]}.</p>"


def test_a_number_inside_math_is_filled_in_escaped_as_arithmatex_escapes_formulas(fresh_ledger: ledger.Ledger):
    tokens = _two_numbers(fresh_ledger, deferring=True)
    snippets = fresh_ledger.snippets["chapters/a.md"]
    page = f'<p><span class="arithmatex">\\(r = {tokens[0]}\\)</span> and {tokens[1]}</p>'
    out = ledger.fill(page, snippets)
    inside = out.split('<span class="arithmatex">')[1].split("</span> and")[0]
    assert "<" not in inside and html.unescape(inside) == f"\\(r = {snippets[0]}\\)"
    assert out.endswith(f" and {snippets[1]}</p>")


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        ("<p>only \ue0000\ue001</p>", "number 2 of the page was lost"),
        ("<p>\ue0000\ue001 \ue0000\ue001 \ue0001\ue001</p>", "number 1 of the page was repeated 2 times"),
        ("<p>\ue0000\ue001 \ue0001\ue001 \ue0007\ue001</p>", "number token (7) that no macro wrote"),
        ('<p><a title="\ue0000\ue001">x</a> \ue0001\ue001</p>', "number 1 of the page is inside an HTML tag"),
    ],
)
def test_a_number_markdown_lost_copied_or_put_in_a_tag_is_an_error(page: str, problem: str, fresh_ledger):
    _two_numbers(fresh_ledger, deferring=True)
    with pytest.raises(ledger.FillError, match=re.escape(problem)):
        ledger.fill(page, fresh_ledger.snippets["chapters/a.md"])
