"""macros/safe.py: text from data/ reaches a page as text, never as HTML, Markdown, math or Jinja.

Each character that opens markup in one of the page's languages is written as a character
reference, which a browser shows as the character itself but no Markdown extension, TeX scanner
or template engine reads as syntax. Decoding once gives the original back.
"""

from __future__ import annotations

import html

import pytest

from macros import safe


@pytest.mark.parametrize(
    ("char", "entity", "why"),
    [
        ("<", "&lt;", "opens an HTML tag"),
        (">", "&gt;", "closes an HTML tag (and starts a Markdown quote)"),
        ("&", "&amp;", "starts a character reference"),
        ('"', "&quot;", "ends a double-quoted attribute"),
        ("'", "&#39;", "ends a single-quoted attribute"),
        ("*", "&#42;", "Markdown emphasis"),
        ("_", "&#95;", "Markdown emphasis"),
        ("`", "&#96;", "Markdown code"),
        ("[", "&#91;", "Markdown link text"),
        ("]", "&#93;", "Markdown link text"),
        ("#", "&#35;", "Markdown heading"),
        ("+", "&#43;", "Markdown list item"),
        ("!", "&#33;", "Markdown image"),
        ("|", "&#124;", "splits a table cell"),
        ("~", "&#126;", "strikethrough (pymdownx.tilde)"),
        ("$", "&#36;", "TeX math (arithmatex)"),
        ("\\", "&#92;", "Markdown escape, TeX commands"),
        ("{", "&#123;", "Jinja expression"),
        ("}", "&#125;", "Jinja expression"),
    ],
)
def test_each_markup_character_becomes_a_reference(char: str, entity: str, why: str):
    assert safe.text(char) == entity, why


def test_ordinary_text_is_untouched():
    plain = "Llama 3.1 (405B), Meta - 2024: 15.6e12 tokens; a/b = c % d"
    assert safe.text(plain) == plain


def test_payloads_are_inert():
    assert safe.text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert safe.text("{{ 7 * 7 }}") == "&#123;&#123; 7 &#42; 7 &#125;&#125;"
    assert safe.text("[x](javascript:alert(1))") == "&#91;x&#93;(javascript:alert(1))"
    assert safe.text("$5 and $6") == "&#36;5 and &#36;6"


def test_one_pass_never_escapes_its_own_output():
    # The "#" inside "&#39;" is not turned into "&#35;", nor the "&" into "&amp;".
    assert safe.text("it's") == "it&#39;s"
    assert safe.text("&#39;") == "&amp;&#35;39;"  # a literal entity in the data stays visible as typed


def test_values_of_any_type_are_written_as_text():
    assert safe.text(3) == "3"
    assert safe.text(None) == "None"


PAYLOADS = ["<b>bold</b>", "a|b", "x_y*z", 'it\'s "q"', "{% raw %}", "$x$ & \\alpha"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_decoding_once_gives_the_text_back(payload: str):
    assert html.unescape(safe.text(payload)) == payload


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if "<" in p])
def test_text_that_would_be_markup_in_a_tooltip_never_becomes_a_title(payload: str):
    """Material's tooltip puts a decoded title into the page as HTML: a tag or an entity is refused,
    rather than escaped twice (which hands screen readers the entity codes)."""
    assert not safe.plain_for_tooltip(payload)


def test_plain_titles_by_hand():
    assert safe.plain_for_tooltip("Scaling Language Models: Methods, Analysis & Insights")
    assert safe.plain_for_tooltip("Llama 3 | $5 * x_y")  # Markdown specials are harmless there
    assert not safe.plain_for_tooltip("<b>")
    assert not safe.plain_for_tooltip("AT&amp;T")
    assert not safe.plain_for_tooltip("&#60;b")
