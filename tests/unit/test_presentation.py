"""How a number reaches the reader: its HTML (macros.ledger.to_html), the thinning of status
flags (macros.marks) and the digits of the published files (macros.exports.published)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from macros import marks
from macros.exports import published
from macros.ledger import to_html
from macros.quantity import Input, Q


def _q(status: str = "estimated", note: str | None = None) -> Q:
    inputs = (Input("N_active (X)", "8 B", status, None, note),)
    return Q(value=8e9, kind="count", label="parameters of X", inputs=inputs, expr="model('x').params")


def test_a_number_is_a_button_described_by_plain_provenance():
    out = to_html(_q(note="it's ~10B | $5 <b>"), None, "../methods/#n", "num-7")
    assert 'aria-describedby="num-7"' in out and 'id="num-7"' in out
    assert "title=" not in out
    prov = re.search(r'<span class="num__prov"[^>]*>(.*)</span></span>$', out).group(1)
    assert "<b>" not in prov and "|" not in prov and "$" not in prov  # inert in Markdown and HTML

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    t = Text()
    t.feed(prov)
    # Decoded once, as a browser does: plain text, no entity code left.
    assert "".join(t.parts).startswith("Parameters of X")
    assert "N_active (X) = 8 B (estimated; it's ~10B | $5 <b>)" in t.parts
    assert out.count("<br>") == 3 and '<a class="num__method" href="../methods/#n">' in out


def test_flags_are_words_without_a_full_stop():
    assert re.search(r'<sup class="num-flag num-flag--estimated">est</sup>', to_html(_q(), None, None, "a"))
    assert "num-flag" not in to_html(_q("disclosed"), None, None, "a")


FLAG = '<sup class="num-flag num-flag--{0}">x</sup>'


def test_running_text_keeps_one_flag_per_status_per_paragraph():
    est, rum = FLAG.format("estimated"), FLAG.format("rumored")
    html = f"<p>a{est} b{est} c{rum} d{rum}</p><p>e{est}</p><ul><li>f{est} g{est}</li></ul>"
    assert marks.thin(html) == f"<p>a{est} b c{rum} d</p><p>e{est}</p><ul><li>f{est} g</li></ul>"


def test_a_table_drops_its_flags_for_a_legend_naming_its_statuses():
    est, rum = FLAG.format("estimated"), FLAG.format("rumored")
    html = f"<table><tr><td>1{rum}</td><td>2{est}</td></tr></table><p>x{est}</p>"
    out = marks.thin(html)
    table, rest = out.split("</table>")
    assert "num-flag" not in table
    legend = re.match(r'<p class="num-legend"[^>]*>(.*?)</p>', rest).group(1)
    assert legend.index("num--estimated") < legend.index("num--rumored")  # in the order of certainty
    assert rest.endswith(f"<p>x{est}</p>")
    assert marks.thin("<table><tr><td>1</td></tr></table>") == "<table><tr><td>1</td></tr></table>"


def test_a_sample_flag_showing_what_the_marks_look_like_is_kept_even_in_a_table():
    sample = '<sup class="num-flag num-flag--rumored num-flag--sample">rumor</sup>'
    html = f"<table><tr><td>wavy; flag {sample}</td></tr></table>"
    assert marks.thin(html) == html  # no flag of a number in it: kept as written, and no legend


def test_published_numbers_are_what_data_states_and_twelve_digits_of_what_is_computed():
    assert 8.03 * 1e9 != 8030000000  # the float noise the files used to carry
    assert published(8.03 * 1e9) == 8030000000 and isinstance(published(8.03 * 1e9), int)
    assert published(2 * 8.03e9) == 16060000000
    assert published(6 * 1.0000000000000002e25) == 6e25
    assert published(7.226999999999999e23) == 7.227e23
    assert published(15e12 / 8.03e9) == 1867.99501868  # 15000 / 8.03 = 1867.9950186799..., by hand
    assert published(1 / 3) == 0.333333333333 and published(2e9 / 3) == 666666666.667
    assert published(None) is None and published(3) == 3 and published("x") == "x"
