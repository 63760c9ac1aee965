"""macros.guard: a page's template can print a number only as a quantity.

Each template below is one way a page could print a number without provenance; each must raise a
MacroError (the bridge turns it into ``docs/page.md:LINE: message``) naming what to write instead.
The allowed spellings the chapters use render as before.
"""

from __future__ import annotations

import jinja2
import pytest

from macros import guard, ledger
from macros.quantity import Input, MacroError, Q
from macros.records import Value
from macros.vocab.lifetime import Optimum
from macros.vocab.serving import NoPoint

N = Input(symbol="N (Llama 3 8B)", text="8.03 B", status="disclosed", source=None)
PARAMS = Q(value=8.03e9, kind="params", label="parameters of Llama 3 8B", inputs=(N,), expr="p")


class Record:  # a model view's raw record, as ``x.m`` gives it
    params = Value(8.03e9, "disclosed", None, None)
    year = 2024


def render(source: str, **variables: object) -> str:
    plugin = jinja2.Environment(undefined=jinja2.StrictUndefined)
    plugin.globals["q"] = PARAMS
    plugin.globals["rec"] = Record()
    plugin.globals["items"] = ["a", "b", "c"]
    env = guard.page_environment(plugin)
    ledger.LEDGER.reset({})
    return env.from_string(source).render(**variables)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ q.value }}", "`.value` of the quantity p is not for pages"),
        ("{{ q.text }}", "`.text` of the quantity p is not for pages"),
        ("{{ q.tooltip() }}", "`.tooltip` of the quantity p"),
        ("{{ q.inputs[0].text }}", "`.text` of an input"),
        ("{{ rec.params.value }}", "`.value` of a Value is a bare float (8030000000.0)"),
        ("{{ rec.year }}", "`.year` of a Record is a bare int (2024)"),
        ("{{ rec.params }}", "prints a Value, which has no provenance"),
        ("{{ q | round }}", "|round on the quantity p"),
        ("{{ q | int }}", "|int on the quantity p"),
        ("{{ q | abs }}", "|abs on the quantity p"),
        ("{{ '%d' | format(items | length) }}", "|format turns a bare int (3) into text"),
        ("{{ [q, q] | sum }}", "|sum on quantities"),
        ("{{ items | length }}", "prints a bare int (3)"),
        ("{% set n = 7 %}{{ n }}", "prints a bare int (7)"),
        ("{{ (items | length) / 2 }}", "prints a bare float (1.5)"),
        ("{{ items | length | string }}", "|string turns a bare int (3) into text"),
        ("{{ [items | length] | join }}", "|join turns a list into text"),
        ("{{ '%d' % (items | length) }}", "`%` turns a bare int (3) into text"),
        ("{{ '{:,}'.format(items | length) }}", "turns a bare int (3) into text"),
        ("{{ '{}'.format(rec.params) }}", "turns a Value into text"),
        ("{{ none }}", "prints a NoneType"),
    ],
)
def test_a_number_without_provenance_does_not_reach_the_page(source: str, message: str):
    with pytest.raises(MacroError) as info:
        render(source)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_tilde_is_refused_where_the_page_is_read():
    with pytest.raises(jinja2.TemplateSyntaxError, match="`~` joins values into text") as info:
        render("line one\n{{ 'a' ~ 'b' }}")
    assert info.value.lineno == 2


def test_quantities_text_and_control_flow_still_work():
    out = render(
        "{{ q }}|{{ q.as_('number') }}|{{ q | e }}|{{ q.status }}|{{ q.label }}|"
        "{% if items | length > 2 %}many{% endif %}|{% for i in items[:2] %}{{ i }}{% endfor %}|"
        "{% for i in items %}{% if loop.index == 2 %}{{ i | upper }}{% endif %}{% endfor %}"
    )
    parts = out.split("|")
    assert ">8.03 B</button>" in parts[0]  # through the ledger: a button with its provenance
    assert ">8.03 × 10⁹</button>" in parts[1]
    assert ">8.03 B</button>" in out.split("|disclosed|")[0]
    assert out.endswith("|disclosed|parameters of Llama 3 8B|many|ab|B")
    assert len(ledger.LEDGER.rows) == 3  # every printed quantity is in numbers.json


def test_loop_counters_steer_but_do_not_print():
    assert render("{% for i in items %}{% if loop.index is odd %}{{ i }}{% endif %}{% endfor %}") == "ac"
    with pytest.raises(MacroError, match="prints a bare int"):
        render("{% for i in items %}{{ loop.index }}{% endfor %}")


def test_a_view_prints_only_if_it_says_how():
    # A view with its own text prints it; one without (a dataclass repr, raw numbers inside) is refused.
    assert render("{{ v }}", v=NoPoint(reason="no configuration fits")) == "no configuration fits"
    with pytest.raises(MacroError, match="prints a Optimum, which has no provenance"):
        render("{{ v }}", v=Optimum(params=PARAMS, tokens=PARAMS, ratio=PARAMS, loss=PARAMS))
